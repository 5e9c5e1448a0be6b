//! The KPI report of a period in the IKU's form: monitored, positive,
//! neutral, negative, the negative percentage against the target and
//! whether it is achieved; by media type, by outlet, month by month; the
//! most negative articles with the terms that made them so. Pure: built
//! from the rows the store returns, rendered to text.
//!
//! # Layout
//!
//! - `build`: [`build`] from a period's counts ([`PeriodInput`], read by
//!   aggregate SQL) into a [`KpiReport`]; every
//!   count is a [`pantau_aggregate::Tally`], the one shape counts take in
//!   pantau's API and reports.
//! - `audit`: the audited estimate beside the as-classified figure
//!   ([`AuditSummary`], from the period's review samples, [`AuditInput`]),
//!   with the classifier's measured precision and confusion matrix.
//! - `render`: [`render`] in a [`Format`] (table, Markdown, CSV, JSON) and
//!   a [`Lang`] (Indonesian, English).

mod audit;
mod build;
mod render;

pub use audit::{summarise as audit_summary, AuditInput, AuditSummary, Precision};
pub use build::{
    build, local_date, negative_terms, KpiReport, PeriodInput, ReportSubject, Slice, TopArticle,
    TopIssue,
};
pub use pantau_model::Format;
pub use render::{csv_for_indonesian_locale, render, Lang};
