//! The wiring of pantau: the stages, the sources, the HTTP API, start-up
//! and the command line. The logic lives in the `pantau-*` library crates;
//! this crate connects them.
//!
//! # Layout
//!
//! | room | what |
//! |---|---|
//! | [`cli`] | the command line: one file per command, `main.rs` dispatches |
//! | [`topology`] | start-up, once: a `Runtime` per [`topology::Role`] over the embedded bus or Kafka |
//! | [`stages`] | ingest (feeds), classify, aggregate (store and counters) |
//! | [`sources`] | where articles come from: push, import, and the admission step they share with feeds |
//! | [`http`] | the router, the one error type, auth, one file per resource, the web pages |
//! | [`state`] | what the tasks share: config, metrics, counters, and the KPI view of them |
//! | [`classify`] | the classify stage's pure function: relevance, then sentiment per entity |
//! | [`review`] | analysts' overrides applied to the running counters |
//! | [`survey`] | survey import and report over the store, and the IKM snapshot |
//! | [`report`] | the KPI report of a period from the store |
//! | [`audit`] | the audited KPI over the store: drawing review samples, what they say about a period |
//! | [`outlook`] | early warning over the store: spikes, the projected close of month, quarter and year, the budget |
//! | [`digest`] | the clipping over the store: what it says, delivery by SMTP, Telegram and webhooks, the schedule |
//! | [`stories`] | stories (syndicated copies) and issues over the store: the background assignment, a period's view with the KPI attribution |
//! | [`evaluate`] | `pantau eval`: the classifier on labelled files |
//! | [`shutdown`] | one signal to stop every task |
//! | [`systemd`] | `Type=notify`: ready, stopping, the watchdog's pings |
//! | [`demo`] | the offline sample-feed server of `make demo` |
//!
//! Dependencies point one way: `cli` → `topology` → `stages`, `sources`,
//! `http` → `state`, `classify`, `review`, `survey`, `report`, `audit`, `outlook`, `digest`, `stories` → the library
//! crates; nothing below imports what is above it.

pub mod audit;
pub mod classify;
pub mod cli;
pub mod demo;
pub mod digest;
pub mod evaluate;
pub mod http;
pub mod outlook;
pub mod report;
pub mod review;
pub mod shutdown;
pub mod sources;
pub mod stages;
pub mod state;
pub mod stories;
pub mod survey;
pub mod systemd;
pub mod topology;
