//! Stories and issues over the store. [`Assigner`] gives each stored
//! article its story and each new story its issue per entity, in the order
//! articles were stored (a background task of the aggregating process, and
//! the catch-up of `pantau stories|issues`); [`view`] reads a period's
//! stories and issues with the KPI attribution.

pub mod view;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use pantau_config::Config;
use pantau_store::{Assignments, IssueRow, Store};
use pantau_stories::{terms, Fingerprint, IssueIndex, IssueRules, IssueState, StoryIndex};
use rustc_hash::FxHashSet;
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::shutdown::{stopped, Shutdown};

/// Stories older than this (by storing time) are not rebuilt into the
/// index at start: a copy arrives within days of its story.
const REBUILD_DAYS: i64 = 14;
/// Articles assigned per round.
const BATCH: i64 = 2_000;
/// How often the task looks for new articles.
const POLL: Duration = Duration::from_secs(10);
/// The cursor goes back this far, for transactions that committed late.
const LATE_MS: i64 = 60_000;

/// The story and issue indexes, rebuilt from the store.
pub struct Assigner {
    places: FxHashSet<String>,
    stories: StoryIndex,
    issues: HashMap<String, IssueIndex>,
    own_names: HashMap<String, FxHashSet<String>>,
    cursor_ms: i64,
}

/// The lexicon's gazetteer as `Fingerprint::of` takes it.
fn places(config: &Config) -> FxHashSet<String> {
    let path = config.lexicon_dir.join("id/names-places.txt");
    pantau_stories::places_from_gazetteer(&std::fs::read_to_string(path).unwrap_or_default())
}

/// The issue an issue's stories count in: itself, or the issue it was
/// merged into (followed through merges of merges).
pub fn resolve_merged(
    by_id: &std::collections::HashMap<&str, &pantau_store::IssueRow>,
    id: &str,
) -> String {
    let mut cur = id;
    for _ in 0..16 {
        match by_id.get(cur).and_then(|r| r.merged_into.as_deref()) {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur.to_owned()
}

/// The id of an issue an analyst founds by splitting a story off.
pub fn split_issue_id(entity: &str, at_ms: i64) -> String {
    format!("{entity}-pisah-{at_ms}")
}

/// The entity's own names, lower-cased word by word: every story of the
/// entity has them, so they say nothing about its issue.
fn own_names(e: &pantau_config::EntityConfig) -> FxHashSet<String> {
    let mut out: FxHashSet<String> = ["kemensos", "mensos", "kementerian", "menteri", "sosial"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for name in std::iter::once(&e.name).chain(&e.terms.names) {
        for (w, _) in pantau_stories::terms(name, &FxHashSet::default())
            .into_iter()
            .map(|t| (t.key, t.shown))
        {
            if !w.contains(' ') {
                out.insert(w);
            }
        }
    }
    out
}

impl Assigner {
    /// Rebuilds the indexes from the store: the last two weeks' stories,
    /// every entity's issues.
    pub async fn load(store: &Store, config: &Config) -> anyhow::Result<Assigner> {
        let started = std::time::Instant::now();
        let places = places(config);
        let mut stories = StoryIndex::new(Default::default());
        let now = chrono::Utc::now().timestamp_millis();
        let known = store
            .known_stories(now - REBUILD_DAYS * 86_400_000)
            .await
            .context("reading the recent stories")?;
        let mut own = HashMap::new();
        let mut issues = HashMap::new();
        for e in &config.entities {
            let names = own_names(e);
            let mut index = IssueIndex::new(IssueRules::default(), 0);
            for row in store
                .issue_rows(&e.id)
                .await
                .context("reading the issues")?
            {
                if row.merged_into.is_some() {
                    continue;
                }
                if let Ok(state) = serde_json::from_str::<IssueState>(&row.state) {
                    index.restore(state);
                }
            }
            own.insert(e.id.clone(), names);
            issues.insert(e.id.clone(), index);
        }
        for k in &known {
            stories.restore(
                &k.story_id,
                Fingerprint::of(&k.title, &k.lead, &places),
                k.last_ms,
            );
            for (id, index) in issues.iter_mut() {
                index.observe(&terms(&k.title, &own[id]));
            }
        }
        let cursor_ms = store.stories_cursor().await?.unwrap_or(i64::MIN + LATE_MS) - LATE_MS;
        info!(
            stories = stories.len(),
            seconds = started.elapsed().as_secs_f64(),
            "story index rebuilt"
        );
        Ok(Assigner {
            places,
            stories,
            issues,
            own_names: own,
            cursor_ms,
        })
    }

    /// Assigns every article stored since the cursor; returns how many.
    pub async fn catch_up(&mut self, store: &Store) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let mut batch = store
                .unassigned_articles(self.cursor_ms, BATCH)
                .await
                .context("reading unassigned articles")?;
            // In publication order: an import or a backlog stores many at
            // one instant, and a story is best founded by its first copy.
            batch.sort_by_key(|a| a.event_ms);
            if batch.is_empty() {
                return Ok(total);
            }
            let mut out = Assignments::default();
            let mut touched: HashMap<(String, String), ()> = HashMap::new();
            for a in &batch {
                let f = Fingerprint::of(&a.title, &a.lead, &self.places);
                let s = self.stories.assign(&a.id, f, a.event_ms);
                out.stories.push((a.id.clone(), s.story.clone()));
                if s.new {
                    for e in &a.entities {
                        let (Some(index), Some(own)) =
                            (self.issues.get_mut(e), self.own_names.get(e))
                        else {
                            continue;
                        };
                        let j = index.assign(&terms(&a.title, own), a.event_ms, e);
                        out.story_issues
                            .push((e.clone(), s.story.clone(), j.issue.clone()));
                        touched.insert((e.clone(), j.issue), ());
                    }
                }
                self.cursor_ms = self.cursor_ms.max(a.stored_ms - LATE_MS);
            }
            for (entity, id) in touched.into_keys() {
                let Some(state) = self.issues.get(&entity).and_then(|i| i.get(&id)) else {
                    continue;
                };
                out.issues.push(IssueRow {
                    entity: entity.clone(),
                    id: id.clone(),
                    label: state.label(),
                    name: None,
                    merged_into: None,
                    state: serde_json::to_string(state)?,
                    first_ms: state.first_ms,
                    last_ms: state.last_ms,
                });
            }
            store
                .save_assignments(&out)
                .await
                .context("storing stories and issues")?;
            total += batch.len();
            if (batch.len() as i64) < BATCH {
                return Ok(total);
            }
        }
    }
}

/// The aggregating process's task: new articles get their stories and
/// issues within seconds.
pub fn spawn(store: Store, state: Arc<crate::state::AppState>, mut sd: Shutdown) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut assigner = match Assigner::load(&store, &state.config).await {
            Ok(a) => a,
            Err(e) => {
                warn!(error = %format!("{e:#}"), "stories and issues disabled: the index could not be rebuilt");
                return;
            }
        };
        loop {
            match assigner.catch_up(&store).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(articles = n, "stories assigned"),
                Err(e) => warn!(error = %format!("{e:#}"), "stories not assigned; retrying"),
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = stopped(&mut sd) => return,
            }
        }
    })
}
