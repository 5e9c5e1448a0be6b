//! The three stages of the pipeline, each independent of the bus that
//! carries it: [`ingest`] (a source: feeds polled on their intervals),
//! [`classify`] (raw → scored, a pure function on a task) and [`aggregate`]
//! (a sink: the store and the running counters).

pub mod aggregate;
pub mod classify;
pub mod ingest;
