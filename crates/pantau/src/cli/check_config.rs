//! `pantau check-config`: validates the configuration, the entity files
//! and the lexicons, prints every error at once (exit 1) or a summary.

use std::path::Path;
use std::process::ExitCode;

/// Checks the configuration at `path`, and the lexicons even when the
/// configuration has errors: every problem in one run.
pub fn run(path: &Path) -> anyhow::Result<ExitCode> {
    let config = pantau_config::load(path);
    let lexicon_dir = match &config {
        Ok(c) => c.lexicon_dir.clone(),
        Err(_) => pantau_config::lexicon_dir_of(path),
    };
    let lexicons = pantau_sentiment::Classifier::load(&lexicon_dir);
    let mut problems: Vec<String> = match &config {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    };
    if let Err(e) = &lexicons {
        problems.extend(e.all().iter().map(|e| format!("lexicon {e}")));
    }
    let (Ok(c), Ok(classifier)) = (config, lexicons) else {
        eprintln!("{} configuration error(s):", problems.len());
        for p in &problems {
            eprintln!("  - {p}");
        }
        return Ok(ExitCode::FAILURE);
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
    let d = &c.digest;
    if d.recipients.is_empty() {
        println!("  digest:   no recipients (pantau digest prints the clipping)");
    } else {
        for r in &d.recipients {
            println!(
                "  digest:   {} at {} — {} e-mail, {} Telegram, {} webhook",
                r.entity,
                if d.times.is_empty() {
                    "no scheduled times (pantau digest --send)".to_owned()
                } else {
                    d.times.join(", ")
                },
                r.email.len(),
                r.telegram.len(),
                r.webhook.len()
            );
        }
    }
    let (id, en) = classifier.sizes();
    let (news, _) = classifier.targeted_sizes();
    println!(
        "  lexicon:  {id} Indonesian entries ({news} with the news register), {en} English entries"
    );
    Ok(ExitCode::SUCCESS)
}
