//! `pantau check-config`: validates the configuration, the entity files
//! and the lexicons, prints every error at once (exit 1) or a summary.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

/// Checks the configuration at `path`.
pub fn run(path: &Path) -> anyhow::Result<ExitCode> {
    let c = match pantau_config::load(path) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    println!("{}: ok", c.path.display());
    println!("  store:    {}", pantau_store::redact(&c.store_url()));
    println!("  http:     {}", c.http.listen);
    println!("  feeds:    {}", c.feeds.len());
    for e in &c.entities {
        let t = &e.terms;
        let terms = t.names.len()
            + t.officials.len()
            + t.office_holders.len()
            + t.programmes.len()
            + t.shared_programmes.len()
            + t.people.len()
            + t.ambiguous.len();
        println!(
            "  entity:   {} ({}), {terms} terms, {} exclusions, time zone {}, targets {:?}",
            e.id,
            e.name,
            t.exclusions.len(),
            e.time_zone,
            e.targets
        );
    }
    let classifier = pantau_sentiment::Classifier::load(&c.lexicon_dir)
        .with_context(|| format!("lexicons in {}", c.lexicon_dir.display()))?;
    let (id, en) = classifier.sizes();
    let (news, _) = classifier.targeted_sizes();
    println!(
        "  lexicon:  {id} Indonesian entries ({news} with the news register), {en} English entries"
    );
    Ok(ExitCode::SUCCESS)
}
