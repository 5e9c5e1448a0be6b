//! The wiring of pantau: stages, shared state, HTTP, and the tools behind the
//! `pantau` binary. The logic lives in the `pantau-*` library crates.
//!
//! # Layout
//!
//! - [`pipeline`]: the stages (ingest, classify, aggregate) and `pantau run`.
//! - [`classify`]: the classify stage's pure function (relevance + sentiment).
//! - [`push`]: articles from print, TV, radio and social media: push API and file import.
//! - [`report`]: the KPI report of a period (`pantau report`, `/api/v1/kpi?period=`).
//! - [`review`]: analyst overrides with an audit trail, and their effect on the counters.
//! - [`state`]: shared state and the KPI view that `/metrics` and the API read.
//! - [`http`]: the HTTP server; [`api`]: its read API for the web pages;
//!   [`web`]: the embedded dashboard pages.
//! - [`survey`]: the satisfaction survey: import, report, public form API, metrics.
//! - [`evaluate`]: `pantau eval`, the classifier measured on labelled files.
//! - [`demo`]: `pantau demo-server`, the offline sample-feed server.

pub mod api;
pub mod classify;
pub mod demo;
pub mod evaluate;
pub mod http;
pub mod pipeline;
pub mod push;
pub mod report;
pub mod review;
pub mod state;
pub mod survey;
pub mod web;
