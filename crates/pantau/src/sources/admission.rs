//! The one admission step every source takes — feeds, pushes, imports:
//! known to the store? → relevant to an entity? → a copy of one seen in
//! the same batch? → new. Only new items go on to be classified and stored.

use std::collections::HashSet;

use pantau_model::{ArticleId, RawArticle};
use pantau_store::{Store, StoreError};

use crate::classify::Classify;

/// What admission decided for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// New and relevant: it goes on.
    New,
    /// Stored already, or a copy of an item earlier in the batch.
    Duplicate,
    /// About no monitored entity.
    NotRelevant,
}

impl Status {
    /// The word the push API answers with.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "stored",
            Status::Duplicate => "duplicate",
            Status::NotRelevant => "not_relevant",
        }
    }
}

/// Admits items against the store and against each other.
pub struct Admission<'a> {
    store: &'a Store,
    classify: &'a Classify,
    /// Dedup keys of the items admitted (or refused as copies) so far.
    seen: HashSet<String>,
}

impl<'a> Admission<'a> {
    /// A fresh admission (one request, file or feed response).
    pub fn new(store: &'a Store, classify: &'a Classify) -> Self {
        Admission {
            store,
            classify,
            seen: HashSet::new(),
        }
    }

    /// The ids of `items` the store already holds; checked first, as it is
    /// the cheapest way to skip the work the rest would cost.
    pub async fn known(&self, items: &[RawArticle]) -> Result<HashSet<ArticleId>, StoreError> {
        self.store.known(&items.iter().collect::<Vec<_>>()).await
    }

    /// Decides one item, filling in its relevance; `known` is what
    /// [`Admission::known`] returned for its batch.
    pub fn decide(&mut self, item: &mut RawArticle, known: &HashSet<ArticleId>) -> Status {
        if known.contains(&item.id) {
            return Status::Duplicate;
        }
        item.relevance = self.classify.relevance(item);
        if item.relevance.is_empty() {
            return Status::NotRelevant;
        }
        item.own_channel |= self.classify.is_own_site(item);
        // A copy under another key: the same GUID within the outlet, the
        // same article number in its link.
        let keys = item.dedup_keys();
        let copy = keys.iter().any(|k| self.seen.contains(k));
        self.seen.extend(keys);
        if copy {
            Status::Duplicate
        } else {
            Status::New
        }
    }
}
