//! A period's stories and issues as analysts read them: each story's
//! copies, outlets and tones; each issue's stories, counts, outlets, media
//! types and its points of the negative percentage; the percentage
//! counted per story.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Context;
use chrono::{DateTime, Utc};
use pantau_aggregate::{period_bounds, Denominator};
use pantau_config::EntityConfig;
use pantau_model::{Period, Sentiment};
use pantau_store::Store;
use pantau_stories::{contribution_points, explained_by_top, per_story, PerStory, StoryTally};
use serde::Serialize;

use crate::state::denominator;

/// Counts by effective sentiment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tones {
    /// Negative.
    pub negative: u64,
    /// Neutral.
    pub neutral: u64,
    /// Positive.
    pub positive: u64,
}

impl Tones {
    fn add(&mut self, s: Sentiment) {
        match s {
            Sentiment::Negative => self.negative += 1,
            Sentiment::Neutral => self.neutral += 1,
            Sentiment::Positive => self.positive += 1,
        }
    }
    fn total(&self) -> u64 {
        self.negative + self.neutral + self.positive
    }
}

/// A story of the period.
#[derive(Debug, Clone, Serialize)]
pub struct StoryOut {
    /// Id (its first article's).
    pub id: String,
    /// Its first article's headline in the period.
    pub title: String,
    /// Its articles in the period, oldest first.
    pub articles: Vec<String>,
    /// Their links, in the same order.
    pub links: Vec<Option<String>>,
    /// Their outlets.
    pub outlets: Vec<String>,
    /// Their tones.
    pub sentiment: Tones,
    /// Its issue (after merges), when assigned.
    pub issue: Option<String>,
    /// First publication in the period.
    pub first: DateTime<Utc>,
    /// A link to its first article.
    pub url: Option<String>,
}

/// An issue of the period.
#[derive(Debug, Clone, Serialize)]
pub struct IssueOut {
    /// Id.
    pub id: String,
    /// Its name: the analyst's, else the generated label.
    pub label: String,
    /// The generated label.
    pub generated_label: String,
    /// Stories in the period.
    pub stories: usize,
    /// Articles in the period.
    pub articles: u64,
    /// Their tones.
    pub sentiment: Tones,
    /// Its points of the period's negative percentage.
    pub negative_points: Option<f64>,
    /// First article in the period.
    pub first_seen: DateTime<Utc>,
    /// Latest.
    pub last_seen: DateTime<Utc>,
    /// Outlets, most articles first.
    pub outlets: Vec<String>,
    /// Media types.
    pub media_types: Vec<String>,
    /// Its stories' ids, most articles first.
    pub story_ids: Vec<String>,
}

/// The issues of a period.
#[derive(Debug, Clone, Serialize)]
pub struct IssuesReport {
    /// Entity.
    pub entity: String,
    /// The period.
    pub period: String,
    /// Negative articles.
    pub negative: u64,
    /// Articles in the denominator.
    pub denominator: u64,
    /// The negative percentage, per publication.
    pub percent: Option<f64>,
    /// The same counted per story.
    pub per_story: PerStory,
    /// The share (0–1) of negatives the five largest issues explain.
    pub top5_explain: Option<f64>,
    /// Articles not yet given a story (assignment runs every few seconds).
    pub unassigned: u64,
    /// Issues, most negative articles first.
    pub issues: Vec<IssueOut>,
}

/// The stories and the issues of `e` in `period`.
pub async fn compute(
    store: &Store,
    e: &EntityConfig,
    period: &Period,
) -> anyhow::Result<(Vec<StoryOut>, IssuesReport)> {
    let (from, to) = period_bounds(period, e.time_zone);
    let rows = store
        .story_articles(&e.id, from.timestamp_millis(), to.timestamp_millis())
        .await
        .context("reading the period's stories")?;
    // Issue ids after merges, and their names.
    let issue_rows = store.issue_rows(&e.id).await?;
    let by_id: HashMap<&str, &pantau_store::IssueRow> =
        issue_rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let resolve = |id: &str| crate::stories::resolve_merged(&by_id, id);
    let mut unassigned = 0;
    let mut stories: BTreeMap<String, (StoryOut, Vec<String>)> = BTreeMap::new();
    let mut order = Vec::new();
    for r in &rows {
        let id = r.story.clone().unwrap_or_else(|| {
            unassigned += 1;
            r.id.clone()
        });
        let entry = stories.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            (
                StoryOut {
                    id: id.clone(),
                    title: r.title.clone(),
                    articles: Vec::new(),
                    links: Vec::new(),
                    outlets: Vec::new(),
                    sentiment: Tones::default(),
                    issue: r.issue.as_deref().map(resolve),
                    first: DateTime::from_timestamp_millis(r.event_ms).unwrap_or_default(),
                    url: r.url.clone(),
                },
                Vec::new(),
            )
        });
        entry.0.articles.push(r.id.clone());
        entry.0.links.push(r.url.clone());
        if !entry.0.outlets.contains(&r.outlet) {
            entry.0.outlets.push(r.outlet.clone());
        }
        entry.0.sentiment.add(r.sentiment);
        entry.1.push(r.media_type.as_str().to_owned());
    }
    let den = denominator(e);
    let (mut negative, mut counted) = (0, 0);
    for r in &rows {
        negative += u64::from(r.sentiment == Sentiment::Negative);
        counted += u64::from(den == Denominator::All || r.sentiment != Sentiment::Neutral);
    }
    let per = per_story(
        stories.values().map(|(s, _)| StoryTally {
            negative: s.sentiment.negative,
            neutral: s.sentiment.neutral,
            positive: s.sentiment.positive,
        }),
        den == Denominator::Opinionated,
    );
    // Issues from their stories.
    let mut issues: BTreeMap<String, IssueOut> = BTreeMap::new();
    let mut outlet_counts: HashMap<String, BTreeMap<String, u64>> = HashMap::new();
    let mut media: HashMap<String, BTreeSet<String>> = HashMap::new();
    for id in &order {
        let (s, media_types) = &stories[id];
        let Some(issue) = &s.issue else { continue };
        let row = by_id.get(issue.as_str());
        let generated = row.map_or_else(|| issue.clone(), |r| r.label.clone());
        let label = row
            .and_then(|r| r.name.clone())
            .unwrap_or_else(|| generated.clone());
        let i = issues.entry(issue.clone()).or_insert_with(|| IssueOut {
            id: issue.clone(),
            label,
            generated_label: generated,
            stories: 0,
            articles: 0,
            sentiment: Tones::default(),
            negative_points: None,
            first_seen: s.first,
            last_seen: s.first,
            outlets: Vec::new(),
            media_types: Vec::new(),
            story_ids: Vec::new(),
        });
        i.stories += 1;
        i.articles += s.sentiment.total();
        i.sentiment.negative += s.sentiment.negative;
        i.sentiment.neutral += s.sentiment.neutral;
        i.sentiment.positive += s.sentiment.positive;
        i.first_seen = i.first_seen.min(s.first);
        i.last_seen = i.last_seen.max(s.first);
        i.story_ids.push(s.id.clone());
        let oc = outlet_counts.entry(issue.clone()).or_default();
        for o in &s.outlets {
            *oc.entry(o.clone()).or_default() += 1;
        }
        media
            .entry(issue.clone())
            .or_default()
            .extend(media_types.iter().cloned());
    }
    let mut issues: Vec<IssueOut> = issues
        .into_values()
        .map(|mut i| {
            i.negative_points = contribution_points(i.sentiment.negative, counted);
            let mut outlets: Vec<(String, u64)> = outlet_counts
                .remove(&i.id)
                .unwrap_or_default()
                .into_iter()
                .collect();
            outlets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            i.outlets = outlets.into_iter().map(|(o, _)| o).collect();
            i.media_types = media
                .remove(&i.id)
                .unwrap_or_default()
                .into_iter()
                .collect();
            i.story_ids
                .sort_by_key(|s| std::cmp::Reverse(stories[s].0.articles.len()));
            i
        })
        .collect();
    issues.sort_by(|a, b| {
        b.sentiment
            .negative
            .cmp(&a.sentiment.negative)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| a.id.cmp(&b.id))
    });
    let top5 = explained_by_top(
        issues.iter().map(|i| i.sentiment.negative).collect(),
        5,
        negative,
    );
    let report = IssuesReport {
        entity: e.id.clone(),
        period: period.to_string(),
        negative,
        denominator: counted,
        percent: (counted > 0).then(|| 100.0 * negative as f64 / counted as f64),
        per_story: per,
        top5_explain: top5,
        unassigned,
        issues,
    };
    let mut list: Vec<StoryOut> = order
        .into_iter()
        .map(|id| stories.remove(&id).expect("story").0)
        .collect();
    list.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.first.cmp(&b.first))
    });
    Ok((list, report))
}
