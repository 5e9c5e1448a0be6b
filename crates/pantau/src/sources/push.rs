//! Items pushed to `POST /api/v1/articles`: admitted, then published on
//! the raw-article bus; the call resolves when every new one is stored.

use std::sync::Arc;

use pantau_bus::Publisher;
use pantau_model::RawArticle;
use pantau_store::Store;
use serde::Serialize;

use super::admission::{Admission, Status};
use crate::classify::Classify;

/// What happened to one item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outcome {
    /// Index in the request.
    pub index: usize,
    /// The article id.
    pub id: String,
    /// `stored`, `duplicate` or `not_relevant`.
    pub status: &'static str,
    /// Entities it is relevant to.
    pub entities: Vec<String>,
}

/// Where pushed articles go: the embedded pipeline's raw-article bus.
pub struct PushCtx {
    /// The raw-article bus (a publish resolves when the article is stored).
    pub publisher: pantau_bus::embedded::EmbeddedPublisher<RawArticle>,
    /// Relevance matchers.
    pub classify: Arc<Classify>,
}

impl std::fmt::Debug for PushCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushCtx")
    }
}

/// Admits the items and publishes the new ones; resolves when every new
/// item is stored, with each item's outcome in request order.
pub async fn push(
    store: &Store,
    ctx: &PushCtx,
    mut raws: Vec<RawArticle>,
) -> anyhow::Result<Vec<Outcome>> {
    let mut admission = Admission::new(store, &ctx.classify);
    let known = admission.known(&raws).await?;
    let mut outcomes = Vec::with_capacity(raws.len());
    let mut new = Vec::new();
    for (i, r) in raws.iter_mut().enumerate() {
        let status = admission.decide(r, &known);
        if status == Status::New {
            new.push(i);
        }
        outcomes.push(Outcome {
            index: i,
            id: r.id.to_string(),
            status: status.as_str(),
            entities: r.relevance.iter().map(|x| x.entity.to_string()).collect(),
        });
    }
    let results =
        futures::future::join_all(new.iter().map(|&i| ctx.publisher.publish(raws[i].clone())))
            .await;
    if let Some(e) = results.into_iter().find_map(Result::err) {
        anyhow::bail!("{e}");
    }
    Ok(outcomes)
}
