//! `pantau outlook`: early warning — spikes now, and where the month,
//! quarter and year will close against the target.

use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use pantau_config::Config;

use crate::outlook::{compute, PeriodOutlook};
use crate::topology::open_existing_store;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text.
    Table,
    /// JSON.
    Json,
}

/// The arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Entity (default: the only configured one).
    #[arg(long)]
    entity: Option<String>,
    /// As of this moment (RFC 3339, or YYYY-MM-DD[THH:MM] in the entity's
    /// time zone), to check the outlook against history; default now.
    #[arg(long)]
    at: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// Reads `--at`.
pub(super) fn parse_at(s: &str, tz: chrono_tz::Tz) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
        })
        .map_err(|_| anyhow::anyhow!("--at {s:?}: expected RFC 3339 or YYYY-MM-DD[THH:MM]"))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("--at {s:?}: no such local time in {tz}"))
}

/// Prints the outlook.
pub fn run(a: Args, config: &Config) -> anyhow::Result<ExitCode> {
    let e = config
        .entity_or_only(a.entity.as_deref())
        .map_err(anyhow::Error::msg)?;
    let at = match &a.at {
        Some(s) => parse_at(s, e.time_zone)?,
        None => Utc::now(),
    };
    let o = super::runtime()?.block_on(async {
        let store = open_existing_store(config).await?;
        let o = compute(&store, e, at).await;
        store.close().await;
        o
    })?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&o)?),
        Format::Table => {
            println!(
                "Prakiraan — {} ({}), per {}",
                e.name,
                e.id,
                super::local_time(at.timestamp_millis(), e.time_zone)
            );
            println!(
                "{:<10} {:>10} {:>10} {:>16} {:>12} {:>12}",
                "periode", "sejauh ini", "proyeksi", "IK 95 %", "P(≥ target)", "sisa kuota"
            );
            let pct = |v: f64| format!("{v:.1} %").replace('.', ",");
            let row = |p: &Option<PeriodOutlook>| {
                let Some(p) = p else { return };
                println!(
                    "{:<10} {:>10} {:>10} {:>16} {:>12} {:>12}",
                    p.period,
                    p.so_far_percent.map_or("—".into(), pct),
                    pct(p.projected_percent),
                    format!(
                        "{}–{}",
                        pct(p.ci_low).trim_end_matches(" %"),
                        pct(p.ci_high)
                    ),
                    p.p_over_target
                        .map_or("—".into(), |v| format!("{:.0} %", v * 100.0)),
                    p.remaining_budget.map_or("—".into(), |b| b.to_string()),
                );
            };
            row(&o.month);
            row(&o.quarter);
            row(&o.year);
            if o.spikes.is_empty() {
                println!("Lonjakan: tidak ada");
            }
            for s in &o.spikes {
                let (what, unit) = match s.kind {
                    pantau_outlook::SpikeKind::Share => ("persentase negatif", " %"),
                    pantau_outlook::SpikeKind::Volume => ("jumlah berita negatif", ""),
                };
                let dec = |v: f64| format!("{v:.1}").replace('.', ",");
                println!(
                    "Lonjakan {} ({}): {what} {}{unit}, biasanya {}{unit} ({} negatif dari {} berita, p = {:.1e})",
                    if s.window == "day" { "hari ini" } else { "jam terakhir" },
                    super::local_time(s.start.timestamp_millis(), e.time_zone),
                    dec(s.observed),
                    dec(s.expected),
                    s.negatives,
                    s.articles,
                    s.p_value
                );
            }
            // Each window's articles once, under its spikes.
            let mut shown = std::collections::HashSet::new();
            for s in &o.spikes {
                if !shown.insert((s.window, s.start)) || s.behind.is_empty() {
                    continue;
                }
                let when = if s.window == "day" {
                    "hari ini"
                } else {
                    "jam terakhir"
                };
                println!("  Di balik lonjakan {when}:");
                for a in &s.behind {
                    println!(
                        "    - {} — {}{}",
                        a.title,
                        a.outlet,
                        a.url
                            .as_deref()
                            .map_or(String::new(), |u| format!(" <{u}>"))
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
