//! pantau's data model: what travels between the stages.
//!
//! # Layout
//!
//! - [`RawArticle`]: an item as ingested (from a feed, the push API or an
//!   import), already known to be relevant to at least one entity.
//! - [`ScoredArticle`]: a raw article plus one [`Assessment`] per relevant
//!   entity (sentiment, score, explanation).
//! - [`ArticleId`]: the stable identity of an article (see [`id`]).
//! - [`Sentiment`], [`MediaType`], [`EntityId`]: the small vocabularies every
//!   count and metric is labelled with.
//! - [`stored`]: an explanation in the store's compact form.
//! - [`Period`]: reporting periods (year, quarter, month, range);
//!   [`Format`]: the formats every report is rendered in.
//!
//! Everything here is plain data with serde; JSON on the wire carries
//! [`SCHEMA_VERSION`] so a consumer can refuse a message it does not know.

pub mod id;
pub mod period;
pub mod stored;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use compact_str::{format_compact, CompactString};
pub use id::{canonical_url, dedup_keys, headline_key, registrable_domain, ArticleId};
pub use period::{date_id, Period, PeriodError, MONTHS_ID};

/// The format a report (KPI, survey) is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// Markdown.
    Markdown,
    /// CSV with a header.
    Csv,
    /// JSON.
    Json,
}

/// Version of the JSON schema of [`RawArticle`] and [`ScoredArticle`].
pub const SCHEMA_VERSION: u32 = 1;

/// The tone of an article toward an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    /// Unfavourable to the entity.
    Negative,
    /// Neither, or balanced.
    Neutral,
    /// Favourable to the entity.
    Positive,
}

impl Sentiment {
    /// Every sentiment, in a fixed order (for initialising labelled metrics).
    pub const ALL: [Sentiment; 3] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive];

    /// Its position in [`Sentiment::ALL`] (rows and strata are indexed so).
    pub fn index(self) -> usize {
        match self {
            Sentiment::Negative => 0,
            Sentiment::Neutral => 1,
            Sentiment::Positive => 2,
        }
    }

    /// The English label used in metrics and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    /// The Indonesian label used in reports.
    pub fn label_id(self) -> &'static str {
        match self {
            Sentiment::Negative => "negatif",
            Sentiment::Neutral => "netral",
            Sentiment::Positive => "positif",
        }
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sentiment {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "negative" | "negatif" | "neg" => Ok(Sentiment::Negative),
            "neutral" | "netral" | "neu" => Ok(Sentiment::Neutral),
            "positive" | "positif" | "pos" => Ok(Sentiment::Positive),
            _ => Err(ParseError::new(
                "sentiment",
                s,
                "negative, neutral, positive",
            )),
        }
    }
}

/// Where an article was published. The IKU counts all five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// Print (cetak): newspapers and magazines.
    Print,
    /// Television (elektronik).
    Tv,
    /// Radio.
    Radio,
    /// Online news sites.
    Online,
    /// Social media (media sosial).
    Social,
}

impl MediaType {
    /// Every media type, in a fixed order.
    pub const ALL: [MediaType; 5] = [
        MediaType::Print,
        MediaType::Tv,
        MediaType::Radio,
        MediaType::Online,
        MediaType::Social,
    ];

    /// The English label used in metrics, config and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Print => "print",
            MediaType::Tv => "tv",
            MediaType::Radio => "radio",
            MediaType::Online => "online",
            MediaType::Social => "social",
        }
    }

    /// The Indonesian label of the IKU.
    pub fn label_id(self) -> &'static str {
        match self {
            MediaType::Print => "cetak",
            MediaType::Tv => "elektronik",
            MediaType::Radio => "radio",
            MediaType::Online => "online",
            MediaType::Social => "media sosial",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MediaType {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "print" | "cetak" => Ok(MediaType::Print),
            "tv" | "television" | "elektronik" => Ok(MediaType::Tv),
            "radio" => Ok(MediaType::Radio),
            "online" => Ok(MediaType::Online),
            "social" | "media sosial" | "media_sosial" | "sosmed" => Ok(MediaType::Social),
            _ => Err(ParseError::new(
                "media type",
                s,
                "print (cetak), tv (elektronik), radio, online, social (media sosial)",
            )),
        }
    }
}

/// A value that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}: expected one of {expected}")]
pub struct ParseError {
    what: &'static str,
    value: String,
    expected: &'static str,
}

impl ParseError {
    fn new(what: &'static str, value: &str, expected: &'static str) -> Self {
        ParseError {
            what,
            value: value.to_owned(),
            expected,
        }
    }
}

/// The id of a monitored entity, as in its file name (`kemensos`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl EntityId {
    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for EntityId {
    fn from(s: &str) -> Self {
        EntityId(s.to_owned())
    }
}

/// Why an article is about an entity: the terms that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relevance {
    /// The entity.
    pub entity: EntityId,
    /// A short human-readable reason (matched terms and rules).
    pub reason: String,
    /// Byte ranges of the entity's mentions in the article's composed text
    /// (title, summary and body, as relevance and sentiment both read it),
    /// so classify targets them without matching the text again. Absent
    /// from messages of older producers: classify then matches itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<(u32, u32)>,
}

/// An article as ingested, before classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawArticle {
    /// [`SCHEMA_VERSION`] of this message.
    pub schema_version: u32,
    /// Stable identity (see [`id`]).
    pub id: ArticleId,
    /// Where it came from: a feed id, `push` or `import:<file>`.
    pub source: String,
    /// The publication (outlet) name.
    pub outlet: String,
    /// Print, TV, radio, online or social.
    pub media_type: MediaType,
    /// The article's canonical URL, when it has one.
    pub url: Option<String>,
    /// The feed's GUID, when it has one.
    pub guid: Option<String>,
    /// The outlet's own address when an aggregator relayed the item (RSS
    /// `<source url>`): with the headline and the day it makes the relayed
    /// copy and the outlet's own item one article ([`headline_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Headline, plain text.
    pub title: String,
    /// Summary or teaser, plain text.
    pub summary: String,
    /// Full text when known, plain text.
    pub body: String,
    /// Publication time as given by the source, when it was usable.
    pub published_at: Option<DateTime<Utc>>,
    /// When pantau first saw the item.
    pub fetched_at: DateTime<Utc>,
    /// The entities this article is about (decided at ingest).
    pub relevance: Vec<Relevance>,
    /// From a feed marked `own_channel`: the entity's own publication (its
    /// website, its accounts), stored and shown but not counted in the KPI,
    /// which is about coverage by the media.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub own_channel: bool,
}

impl RawArticle {
    /// Event time: publication time, falling back to fetch time.
    pub fn event_time(&self) -> DateTime<Utc> {
        self.published_at.unwrap_or(self.fetched_at)
    }

    /// The keys that make another item a duplicate of this one
    /// ([`dedup_keys`]).
    pub fn dedup_keys(&self) -> Vec<String> {
        let mut keys = dedup_keys(
            &self.id,
            self.url.as_deref(),
            self.guid.as_deref(),
            &self.outlet,
        );
        let site = self.source_url.as_deref().or(self.url.as_deref());
        if let (Some(site), Some(published)) = (site, self.published_at) {
            keys.extend(headline_key(site, &self.title, published));
        }
        keys
    }
}

/// One matched lexicon term or phrase, for the explanation. Its strings
/// are [`CompactString`]s: a term and its lemma are short, so they live
/// inline and an explanation costs no allocation per term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedTerm {
    /// The words as they appear in the text.
    pub text: CompactString,
    /// The lexicon entry that matched (a root after affix stripping).
    pub lemma: CompactString,
    /// Lexicon weight before modifiers.
    pub weight: f32,
    /// Weight after negation, boosters, contrast and position.
    pub effective: f32,
    /// Byte offset in the scored text (title, then a newline, then the body).
    pub position: usize,
    /// Modifiers applied: `negated by "tidak"`, `boosted by "sangat"`, `headline`…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<CompactString>,
}

/// Why a score is what it is: every matched term with its weight.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Language the lexicon was chosen for (`id`, `en`).
    pub language: String,
    /// Which text was scored: `targeted` (sentences about the entity) or `whole`.
    pub scope: String,
    /// Matched terms, in text order.
    pub terms: Vec<MatchedTerm>,
}

impl Explanation {
    /// The compact form the store keeps (see [`stored`]).
    pub fn to_stored(&self) -> String {
        stored::encode(self)
    }

    /// Reads a stored explanation, compact or plain JSON.
    pub fn from_stored(s: &str) -> Result<Self, serde_json::Error> {
        stored::decode(s)
    }
}

/// The classification of one article for one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The entity.
    pub entity: EntityId,
    /// Why the article is about it.
    pub relevance_reason: String,
    /// Negative, neutral or positive.
    pub sentiment: Sentiment,
    /// Score in [-1, 1].
    pub score: f32,
    /// The matched terms behind the score.
    pub explanation: Explanation,
}

/// An article with its assessments: the output of `classify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredArticle {
    /// [`SCHEMA_VERSION`] of this message.
    pub schema_version: u32,
    /// The article as ingested.
    pub article: RawArticle,
    /// One assessment per relevant entity.
    pub assessments: Vec<Assessment>,
}

/// A message whose schema version this build does not understand.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not valid JSON for the type.
    #[error("malformed message: {0}")]
    Json(#[from] serde_json::Error),
    /// A schema version from a newer (or broken) producer.
    #[error("unsupported schema version {found} (this build reads {SCHEMA_VERSION})")]
    Version {
        /// The version found in the message.
        found: u32,
    },
}

impl RawArticle {
    /// Decodes a JSON message, checking its schema version.
    pub fn from_json(bytes: &[u8]) -> Result<Self, DecodeError> {
        let a: RawArticle = serde_json::from_slice(bytes)?;
        check_version(a.schema_version)?;
        Ok(a)
    }
}

impl ScoredArticle {
    /// Decodes a JSON message, checking its schema version.
    pub fn from_json(bytes: &[u8]) -> Result<Self, DecodeError> {
        let a: ScoredArticle = serde_json::from_slice(bytes)?;
        check_version(a.schema_version)?;
        Ok(a)
    }
}

fn check_version(found: u32) -> Result<(), DecodeError> {
    if found == SCHEMA_VERSION {
        Ok(())
    } else {
        Err(DecodeError::Version { found })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentiment_s_index_is_its_place_in_all() {
        for (i, s) in Sentiment::ALL.into_iter().enumerate() {
            assert_eq!(s.index(), i);
        }
    }

    fn raw() -> RawArticle {
        RawArticle {
            schema_version: SCHEMA_VERSION,
            id: ArticleId::for_item(Some("https://a.example/x"), None, "feed", "t"),
            source: "feed".into(),
            outlet: "Outlet".into(),
            media_type: MediaType::Online,
            url: Some("https://a.example/x".into()),
            guid: None,
            source_url: None,
            title: "Judul".into(),
            summary: String::new(),
            body: String::new(),
            published_at: None,
            fetched_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            relevance: vec![],
            own_channel: false,
        }
    }

    #[test]
    fn vocabularies_parse_both_languages() {
        assert_eq!("cetak".parse::<MediaType>().unwrap(), MediaType::Print);
        assert_eq!("Elektronik".parse::<MediaType>().unwrap(), MediaType::Tv);
        assert_eq!(
            "media sosial".parse::<MediaType>().unwrap(),
            MediaType::Social
        );
        assert_eq!("negatif".parse::<Sentiment>().unwrap(), Sentiment::Negative);
        let err = "koran".parse::<MediaType>().unwrap_err().to_string();
        assert!(err.contains("\"koran\""), "{err}");
        for m in MediaType::ALL {
            assert_eq!(m.as_str().parse::<MediaType>().unwrap(), m);
            assert_eq!(m.label_id().parse::<MediaType>().unwrap(), m);
        }
    }

    #[test]
    fn event_time_falls_back_to_fetch_time() {
        let mut a = raw();
        assert_eq!(a.event_time(), a.fetched_at);
        let p = DateTime::from_timestamp(1_600_000_000, 0).unwrap();
        a.published_at = Some(p);
        assert_eq!(a.event_time(), p);
    }

    #[test]
    fn json_round_trip_and_version_check() {
        let a = raw();
        let json = serde_json::to_vec(&a).unwrap();
        assert_eq!(RawArticle::from_json(&json).unwrap(), a);
        let mut v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        v["schema_version"] = 99.into();
        let err = RawArticle::from_json(v.to_string().as_bytes()).unwrap_err();
        assert!(matches!(err, DecodeError::Version { found: 99 }));
        assert!(RawArticle::from_json(b"{").is_err());
    }
}
