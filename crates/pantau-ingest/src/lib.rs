//! Feed ingestion: fetch a feed politely, parse RSS 0.9x/1.0/2.0, Atom or
//! JSON Feed, and normalise its items into [`pantau_model::RawArticle`]s.
//!
//! # Layout
//!
//! - [`fetch`]: HTTP(S) and `file://` fetching with conditional GET, timeouts,
//!   a redirect limit, compression and a body-size cap enforced while
//!   streaming; errors carry a bounded [`fetch::FetchErrorKind`] for metrics
//!   and a retry hint.
//! - [`decode`]: any charset (header, XML declaration, BOM) to UTF-8;
//!   Indonesian zone names (WIB, WITA, WIT) to offsets.
//! - [`normalize`]: bytes → parsed feed → normalised items (plain text, dates
//!   checked, ids per DESIGN.md).
//! - [`fulltext`]: an article page's main text, for teaser-only feeds.
//! - [`relayed`]: what an aggregator's item says of its outlet (`<source>`),
//!   and the headline without the outlet appended to it.
//!
//! Scheduling, relevance and publishing are the binary's ingest stage; this
//! crate only turns a URL into items.

pub mod decode;
pub mod fetch;
pub mod fulltext;
pub mod normalize;
pub mod relayed;

pub use fetch::{Cursor, FetchError, FetchErrorKind, FetchOutcome, Fetcher, FetcherConfig};
pub use normalize::{parse_feed, parse_feed_as, FeedItems, NormalizeError};
