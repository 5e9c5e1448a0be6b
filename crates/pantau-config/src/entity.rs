//! Entity files: who is monitored, how to recognise them, and their targets.

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::{deserialize_all, ConfigError};

/// What the negative percentage is a share of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Denominator {
    /// All monitored (relevant) articles — the IKU's definition.
    #[default]
    All,
    /// Only opinionated articles (positive + negative).
    Opinionated,
}

/// The terms that recognise an entity. Matching is whole-word and
/// case-insensitive over title, summary and body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityTerms {
    /// Names of the institution: enough on their own ("Kementerian Sosial").
    #[serde(default)]
    pub names: Vec<String>,
    /// Titles of its officials: enough on their own ("Menteri Sosial"),
    /// unless the article is about one of `other_roles`.
    #[serde(default)]
    pub officials: Vec<String>,
    /// Distinctive programme names: enough on their own.
    #[serde(default)]
    pub programmes: Vec<String>,
    /// Personal names of the officials now in office ("Gus Ipul", the
    /// minister): enough on their own, like `officials`, unless one of their
    /// other roles is in view (`other_roles`). Headlines name a minister by
    /// his nickname and rarely add a word that says which hat he wears.
    #[serde(default)]
    pub office_holders: Vec<String>,
    /// The entity's family of programmes by its common name ("bansos",
    /// "BLT"): enough on their own (national social assistance is the
    /// ministry's) unless one of `other_actors` is named as well.
    #[serde(default)]
    pub shared_programmes: Vec<String>,
    /// Other givers of aid and runners of programmes ("Polda", "Pemprov",
    /// "Dinas Sosial"): named beside a shared programme and no name,
    /// official or programme of the entity, the news is theirs.
    #[serde(default)]
    pub other_actors: Vec<String>,
    /// Personal names of former or other officials: count only together
    /// with a `context` term.
    #[serde(default)]
    pub people: Vec<String>,
    /// Ambiguous acronyms ("PKH"): count only together with a `context` term.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    /// Words that confirm a `people` or `ambiguous` match ("bansos").
    #[serde(default)]
    pub context: Vec<String>,
    /// Phrases masked before matching: their words never count ("Satgas PKH").
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// Other roles of the entity's officials ("Sekjen PBNU", "PBNU",
    /// "muktamar"): when one is mentioned, `officials` and `office_holders`
    /// need a `context` term too.
    #[serde(default)]
    pub other_roles: Vec<String>,
}

/// One monitored entity, from `entities/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityConfig {
    /// Stable id; defaults to the file name without `.toml`.
    #[serde(default)]
    pub id: String,
    /// Full name, for reports.
    pub name: String,
    /// Time zone of its calendar windows and reports.
    #[serde(default = "default_tz")]
    pub time_zone: Tz,
    /// What the negative percentage is a share of.
    #[serde(default)]
    pub denominator: Denominator,
    /// Negative-coverage targets: the percentage must stay *below* it, per year
    /// (`2025 = 15.0`).
    #[serde(default)]
    pub targets: BTreeMap<String, f64>,
    /// How to recognise the entity.
    pub terms: EntityTerms,
}

fn default_tz() -> Tz {
    chrono_tz::Asia::Jakarta
}

impl EntityConfig {
    /// The negative-coverage target for a year, in percent, if one is set.
    pub fn target_pct(&self, year: i32) -> Option<f64> {
        self.targets.get(&year.to_string()).copied()
    }
}

/// Loads every `*.toml` in `dir`, appending problems to `errors`.
pub(crate) fn load_dir(dir: &Path, errors: &mut Vec<ConfigError>) -> Vec<EntityConfig> {
    let location = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(ConfigError {
                location,
                message: format!("cannot read entities directory: {e}"),
            });
            return Vec::new();
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out: Vec<EntityConfig> = Vec::new();
    for path in paths {
        if let Some(e) = load_file(&path, errors) {
            if out.iter().any(|o| o.id == e.id) {
                errors.push(ConfigError {
                    location: format!("{}: id", path.display()),
                    message: format!("{:?} is used by another entity file", e.id),
                });
            } else {
                out.push(e);
            }
        }
    }
    out
}

/// Loads and validates one entity file.
pub fn load_file(path: &Path, errors: &mut Vec<ConfigError>) -> Option<EntityConfig> {
    let file = path.display().to_string();
    let mut push = |key: &str, message: String| {
        errors.push(ConfigError {
            location: if key.is_empty() {
                file.clone()
            } else {
                format!("{file}: {key}")
            },
            message,
        })
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            push("", format!("cannot read: {e}"));
            return None;
        }
    };
    let value: toml::Value = match toml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            push("", format!("invalid TOML: {}", e.message()));
            return None;
        }
    };
    // Every bad key of the file is reported, not only the first.
    let mut bad = false;
    let entity = deserialize_all::<EntityConfig>("", value, &mut |key, message| {
        bad = true;
        push(&key, message)
    });
    // The keys that did deserialize are still checked, so one run shows all.
    let mut entity = entity?;
    if entity.id.is_empty() {
        entity.id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let before = errors.len();
    let mut push = |key: &str, message: String| {
        errors.push(ConfigError {
            location: format!("{file}: {key}"),
            message,
        })
    };
    if entity.id.is_empty()
        || !entity
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b))
    {
        push(
            "id",
            format!(
                "{:?}: use lower-case letters, digits, '-' or '_'",
                entity.id
            ),
        );
    }
    for (year, pct) in &entity.targets {
        if year
            .parse::<i32>()
            .map_or(true, |y| !(1990..=2200).contains(&y))
        {
            push(
                &format!("targets.{year}"),
                "key must be a year such as 2025".into(),
            );
        }
        if !(0.0..=100.0).contains(pct) {
            push(
                &format!("targets.{year}"),
                format!("{pct} is not a percentage in 0..100"),
            );
        }
    }
    let t = &entity.terms;
    if t.names.is_empty()
        && t.officials.is_empty()
        && t.programmes.is_empty()
        && t.office_holders.is_empty()
        && t.shared_programmes.is_empty()
    {
        push(
            "terms",
            "needs at least one of names, officials, programmes, office_holders or \
             shared_programmes: nothing would match"
                .into(),
        );
    }
    if (!t.people.is_empty() || !t.ambiguous.is_empty() || !t.other_roles.is_empty())
        && t.context.is_empty()
    {
        push(
            "terms.context",
            "people, ambiguous and other_roles need context terms to ever match".into(),
        );
    }
    for (list, terms) in [
        ("names", &t.names),
        ("officials", &t.officials),
        ("programmes", &t.programmes),
        ("office_holders", &t.office_holders),
        ("shared_programmes", &t.shared_programmes),
        ("other_actors", &t.other_actors),
        ("people", &t.people),
        ("ambiguous", &t.ambiguous),
        ("context", &t.context),
        ("exclusions", &t.exclusions),
        ("other_roles", &t.other_roles),
    ] {
        for (i, term) in terms.iter().enumerate() {
            if !term.chars().any(char::is_alphanumeric) {
                push(
                    &format!("terms.{list}[{i}]"),
                    format!("{term:?} has no letters or digits"),
                );
            }
        }
    }
    (errors.len() == before && !bad).then_some(entity)
}
