//! `pantau user add|list|disable|enable|password|token|revoke-tokens`: the
//! staff accounts that sign in to the dashboard and call the API. Secrets
//! (passwords, tokens) are printed once and stored only hashed.

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use pantau_accounts::{Role, Secret};
use pantau_config::Config;
use pantau_store::Store;

use crate::topology::{open_existing_store, open_store};

/// The account commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add an account; prints its one-time password (and, with `--token`,
    /// an API token). Creates the store when it does not exist yet.
    Add {
        /// The name (lower-case letters, digits, '.', '_', '-'): what the
        /// audit trail records.
        name: String,
        /// viewer (reads), analyst (also reviews and pushes), admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Also issue an API token.
        #[arg(long)]
        token: bool,
    },
    /// List the accounts.
    List {
        /// table or json.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Disable an account: its sessions end, its tokens are refused.
    Disable {
        /// The account.
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        name: String,
    },
    /// Give an account a new one-time password (its sessions end).
    Password {
        /// The account.
        name: String,
    },
    /// Issue an API token for an account (for scripts and pushes).
    Token {
        /// The account.
        name: String,
        /// What the token is for.
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// Revoke every API token of an account.
    RevokeTokens {
        /// The account.
        name: String,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|e: pantau_accounts::AccountError| e.to_string())
}

/// Runs an account command.
pub fn run(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let store = match command {
            Command::Add { .. } => open_store(config).await?,
            _ => open_existing_store(config).await?,
        };
        let result = execute(command, &store).await;
        store.close().await;
        result
    })
}

async fn execute(command: Command, store: &Store) -> anyhow::Result<ExitCode> {
    let now = Utc::now().timestamp_millis();
    match command {
        Command::Add { name, role, token } => {
            pantau_accounts::validate_name(&name)?;
            let password = pantau_accounts::new_password()?;
            let hash = pantau_accounts::hash_password(&password)?;
            store.add_account(&name, role, &hash, now).await?;
            println!("account {name} ({role}) added");
            println!("password (shown once): {password}");
            if token {
                println!(
                    "API token (shown once): {}",
                    issue_token(store, &name, "api").await?
                );
            }
        }
        Command::List { format } => {
            let accounts = store.accounts().await?;
            if format == "json" {
                let rows: Vec<_> = accounts
                    .iter()
                    .map(|a| {
                        serde_json::json!({
                            "name": a.name,
                            "role": a.role,
                            "created": crate::http::rfc3339(a.created_ms),
                            "disabled": a.disabled_ms.and_then(crate::http::rfc3339),
                            "tokens": a.tokens,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if accounts.is_empty() {
                println!("no accounts: add one with `pantau user add NAME --role analyst`");
            } else {
                println!(
                    "{:<24} {:<8} {:<9} {:>6}",
                    "name", "role", "state", "tokens"
                );
                for a in &accounts {
                    let state = if a.disabled_ms.is_some() {
                        "disabled"
                    } else {
                        "active"
                    };
                    println!("{:<24} {:<8} {:<9} {:>6}", a.name, a.role, state, a.tokens);
                }
            }
        }
        Command::Disable { name } => {
            found(store.set_disabled(&name, true, now).await?, &name)?;
            println!("account {name} disabled: its sessions ended, its tokens are refused");
        }
        Command::Enable { name } => {
            found(store.set_disabled(&name, false, now).await?, &name)?;
            println!("account {name} enabled");
        }
        Command::Password { name } => {
            let password = pantau_accounts::new_password()?;
            let hash = pantau_accounts::hash_password(&password)?;
            found(store.set_password(&name, &hash).await?, &name)?;
            println!("new password for {name} (shown once): {password}");
        }
        Command::Token { name, label } => {
            let token = issue_token(store, &name, &label).await?;
            println!("API token for {name} (shown once): {token}");
        }
        Command::RevokeTokens { name } => {
            exists(store, &name).await?;
            let n = store.revoke_tokens(&name).await?;
            println!("{n} token(s) of {name} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn issue_token(store: &Store, name: &str, label: &str) -> anyhow::Result<String> {
    exists(store, name).await?;
    let token = Secret::new_token()?;
    store
        .add_token(name, &token.digest(), label, Utc::now().timestamp_millis())
        .await
        .context("recording the token")?;
    Ok(token.expose().to_owned())
}

async fn exists(store: &Store, name: &str) -> anyhow::Result<()> {
    found(store.credentials(name).await?.is_some(), name)
}

fn found(found: bool, name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(found, "no account named {name:?} (see `pantau user list`)");
    Ok(())
}
