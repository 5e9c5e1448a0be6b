//! `pantau classify-text`: relevance to an entity, sentiment and the
//! explanation of one text, or of every line of standard input.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use pantau_config::Config;

use crate::classify::Classify;

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The text (first line is the headline); omit with --stdin.
    text: Option<String>,
    /// Entity to target (e.g. kemensos); without it the whole text is scored.
    #[arg(long)]
    entity: Option<String>,
    /// Read one text per line from standard input.
    #[arg(long)]
    stdin: bool,
    /// One JSON object per text.
    #[arg(long)]
    json: bool,
}

/// Classifies the text(s).
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    let ctx = super::classifier_for(config, a.entity.as_deref())?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if a.stdin {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading standard input")?;
            if line.trim().is_empty() {
                continue;
            }
            print(&mut out, &ctx, a.entity.as_deref(), &line, "", a.json)?;
        }
    } else {
        let text = a.text.context("give TEXT or --stdin")?;
        let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
        print(&mut out, &ctx, a.entity.as_deref(), title, body, a.json)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print(
    out: &mut impl Write,
    ctx: &Classify,
    entity: Option<&str>,
    title: &str,
    body: &str,
    json: bool,
) -> anyhow::Result<()> {
    let (text, _) = pantau_sentiment::compose(title, body, "");
    let verdict = entity
        .and_then(|_| ctx.entities.first())
        .map(|(_, m)| m.assess(&text));
    let scored = ctx.score_text(title, body, verdict.as_ref().filter(|v| v.relevant));
    if json {
        let v = serde_json::json!({
            "text": if body.is_empty() { title.to_owned() } else { format!("{title}\n{body}") },
            "sentiment": scored.sentiment,
            "score": scored.score,
            "relevance": verdict.as_ref().map(|v| serde_json::json!({
                "entity": entity, "relevant": v.relevant, "reason": v.reason })),
            "explanation": scored.explanation,
        });
        writeln!(out, "{v}")?;
        return Ok(());
    }
    writeln!(
        out,
        "sentiment: {} (score {:+.3})",
        scored.sentiment, scored.score
    )?;
    if let Some(v) = &verdict {
        writeln!(
            out,
            "relevance: {} to {} — {}",
            if v.relevant {
                "relevant"
            } else {
                "not relevant"
            },
            entity.unwrap_or("-"),
            v.reason
        )?;
    }
    writeln!(
        out,
        "language:  {}, scope: {}",
        scored.explanation.language, scored.explanation.scope
    )?;
    for t in &scored.explanation.terms {
        let mods = if t.modifiers.is_empty() {
            String::new()
        } else {
            format!("  [{}]", t.modifiers.join(", "))
        };
        writeln!(
            out,
            "  {:>+6.2}  {:<28} lexicon {:<24} {:+.1}  @{}{}",
            t.effective,
            format!("\"{}\"", t.text),
            t.lemma,
            t.weight,
            t.position,
            mods
        )?;
    }
    Ok(())
}
