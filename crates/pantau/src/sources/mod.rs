//! Where articles come from besides being scored: feeds are polled by the
//! ingest stage ([`crate::stages::ingest`]); clippings, transcripts and
//! social-media exports arrive as [`item`]s pushed to the API ([`push`]) or
//! read from a file ([`import`]). All three take the same [`admission`]
//! step.

pub mod admission;
pub mod import;
pub mod item;
pub mod push;
