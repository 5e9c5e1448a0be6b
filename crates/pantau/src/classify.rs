//! The classify stage's pure function: raw article → scored article.

use std::collections::HashSet;

use pantau_config::{EntityConfig, FeedConfig};
use pantau_model::{Assessment, EntityId, RawArticle, Relevance, ScoredArticle, SCHEMA_VERSION};
use pantau_relevance::{EntityMatcher, Verdict};
use pantau_sentiment::{compose, Classifier, Input, Scored};

/// Everything classification needs, built once at start-up.
#[derive(Debug)]
pub struct Classify {
    /// The lexicon classifier.
    pub classifier: Classifier,
    /// One matcher per entity, with its id.
    pub entities: Vec<(EntityId, EntityMatcher)>,
    /// The sites (registrable domains) of the feeds marked `own_channel`:
    /// an item from one of them, however it arrives (relayed by Google
    /// News, pushed, imported), is the entity's own publication.
    pub own_sites: HashSet<String>,
}

impl Classify {
    /// Builds matchers for the configured entities.
    pub fn new(classifier: Classifier, entities: &[EntityConfig]) -> Self {
        Classify {
            classifier,
            entities: entities
                .iter()
                .map(|e| (EntityId(e.id.clone()), EntityMatcher::new(e)))
                .collect(),
            own_sites: HashSet::new(),
        }
    }

    /// With the sites of the feeds marked `own_channel`.
    pub fn with_own_channels(mut self, feeds: &[FeedConfig]) -> Self {
        self.own_sites = feeds
            .iter()
            .filter(|f| f.own_channel)
            .filter_map(|f| pantau_model::registrable_domain(&f.url))
            .collect();
        self
    }

    /// Whether `a` comes from one of the entity's own sites: the outlet's
    /// address an aggregator named, else the article's link.
    pub fn is_own_site(&self, a: &RawArticle) -> bool {
        !self.own_sites.is_empty()
            && a.source_url
                .as_deref()
                .or(a.url.as_deref())
                .and_then(pantau_model::registrable_domain)
                .is_some_and(|site| self.own_sites.contains(&site))
    }

    /// Relevance of an article to every entity (ingest's filter).
    pub fn relevance(&self, a: &RawArticle) -> Vec<Relevance> {
        let (text, _) = compose(&a.title, &a.summary, &a.body);
        self.entities
            .iter()
            .filter_map(|(id, m)| {
                let v = m.assess(&text);
                v.relevant.then(|| Relevance {
                    entity: id.clone(),
                    reason: v.reason,
                    mentions: v
                        .mentions
                        .iter()
                        .map(|m| (m.span.start as u32, m.span.end as u32))
                        .collect(),
                })
            })
            .collect()
    }

    /// Scores a text for one entity's mentions (or the whole text).
    pub fn score_text(&self, title: &str, body: &str, verdict: Option<&Verdict>) -> Scored {
        let (text, title_len) = compose(title, body, "");
        let mentions: Vec<_> = verdict
            .map(|v| v.mentions.iter().map(|m| m.span.clone()).collect())
            .unwrap_or_default();
        self.classifier.score(Input {
            text: &text,
            title_len,
            mentions: &mentions,
        })
    }

    /// Classifies an article for every entity it is relevant to.
    pub fn classify(&self, article: RawArticle) -> ScoredArticle {
        let (text, title_len) = compose(&article.title, &article.summary, &article.body);
        let mut assessments = Vec::with_capacity(article.relevance.len());
        for rel in &article.relevance {
            let Some((_, matcher)) = self.entities.iter().find(|(id, _)| *id == rel.entity) else {
                // An entity removed from the configuration since ingest: skip it.
                continue;
            };
            // Relevance found the mentions already; a message from an older
            // producer carries none, and the text is matched again.
            let in_text = |&(a, b): &(u32, u32)| {
                let (a, b) = (a as usize, b as usize);
                (a < b && b <= text.len()).then_some(a..b)
            };
            let mentions: Vec<_> = if rel.mentions.is_empty() {
                let verdict = matcher.assess(&text);
                verdict.mentions.iter().map(|m| m.span.clone()).collect()
            } else {
                rel.mentions.iter().filter_map(in_text).collect()
            };
            let s = self.classifier.score(Input {
                text: &text,
                title_len,
                mentions: &mentions,
            });
            assessments.push(Assessment {
                entity: rel.entity.clone(),
                relevance_reason: rel.reason.clone(),
                sentiment: s.sentiment,
                score: s.score,
                explanation: s.explanation,
            });
        }
        ScoredArticle {
            schema_version: SCHEMA_VERSION,
            article,
            assessments,
        }
    }
}
