//! Stories and issues. A **story** is one news story's copies and light
//! rewrites across outlets (syndication); an **issue** (*isu*) is the
//! stories about one matter over days — a programme's controversy, a
//! disaster response. Each publication still counts in the KPI; stories
//! are what analysts read and review, issues what the bureau reports.
//! Pure and incremental: articles are assigned as they arrive, never by
//! re-clustering the archive.
//!
//! # Layout
//!
//! - `normalise`: the headline without the outlet's prefix and suffix, the
//!   lead without dateline and "Baca juga" lines, canonical words.
//! - `story`: [`Fingerprint`] and [`StoryIndex`] — MinHash signatures of
//!   leads, the facts (places, figures) of headline and lead, LSH buckets,
//!   a count-min sketch of how many stories name each fact, the checks
//!   that make two articles one story.
//! - `issue`: [`terms`] and [`IssueIndex`] — stories grouped into issues by
//!   the cosine similarity of their TF-IDF terms; generated labels.
//! - `attribution`: each issue's points of the negative percentage, the
//!   share the top issues explain, the KPI counted per story.

mod attribution;
mod issue;
mod normalise;
mod story;

pub use attribution::{
    contribution_points, explained_by_top, per_story, PerStory, Sentiment3, StoryTally,
};
pub use issue::{terms, IssueIndex, IssueRules, IssueState, Joined, Term};
pub use normalise::{headline_core, lead_core};
pub use story::{
    places_from_gazetteer, Assigned, Fingerprint, StoryIndex, StoryRules, BANDS, HASHES,
};
