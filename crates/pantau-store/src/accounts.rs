//! Staff accounts, their API tokens and sign-in sessions. Secrets arrive
//! here as digests only (see `pantau_accounts::Secret`).

use pantau_accounts::Role;
use sqlx::Row;

use crate::{Store, StoreError};

/// An account as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Name (what the audit trail records).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Created, Unix ms.
    pub created_ms: i64,
    /// Disabled at, Unix ms.
    pub disabled_ms: Option<i64>,
    /// API tokens issued.
    pub tokens: i64,
}

/// Who a presented token or session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The account.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Sessions only: the CSRF token writes must echo.
    pub csrf: Option<String>,
}

/// What a sign-in attempt needs to check.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Role.
    pub role: Role,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// Whether the account is disabled.
    pub disabled: bool,
}

fn role(s: &str) -> Result<Role, StoreError> {
    s.parse()
        .map_err(|e: pantau_accounts::AccountError| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Adds an account; [`StoreError::AccountExists`] when the name is taken.
    pub async fn add_account(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO accounts (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::AccountExists(name.to_owned()));
        }
        Ok(())
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.name, a.role, a.created_at, a.disabled_at, \
             (SELECT COUNT(*) FROM api_tokens t WHERE t.account = a.name) AS tokens \
             FROM accounts a ORDER BY a.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Account {
                    name: r.try_get("name")?,
                    role: role(&r.try_get::<String, _>("role")?)?,
                    created_ms: r.try_get("created_at")?,
                    disabled_ms: r.try_get("disabled_at")?,
                    tokens: r.try_get("tokens")?,
                })
            })
            .collect()
    }

    /// Whether any account exists (sign-in is offered only then).
    pub async fn has_accounts(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// What a sign-in of `name` is checked against.
    pub async fn credentials(&self, name: &str) -> Result<Option<Credentials>, StoreError> {
        let row =
            sqlx::query("SELECT role, password_hash, disabled_at FROM accounts WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(Credentials {
                role: role(&r.try_get::<String, _>("role")?)?,
                password_hash: r.try_get("password_hash")?,
                disabled: r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Sets an account's password (and enables it); `false` when there is
    /// no such account. Its sessions end: whoever held them signs in again.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE name = $2")
            .bind(password_hash)
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM sessions WHERE account = $1")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Disables (or enables) an account; `false` when there is no such
    /// account. Disabling ends its sessions; its tokens are refused while
    /// it is disabled.
    pub async fn set_disabled(
        &self,
        name: &str,
        disabled: bool,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE name = $2")
            .bind(disabled.then_some(now_ms))
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE account = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Records an API token (its digest) of an existing account.
    pub async fn add_token(
        &self,
        account: &str,
        digest: &str,
        label: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (digest, account, label, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(account)
        .bind(label)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes every API token of an account; how many there were.
    pub async fn revoke_tokens(&self, account: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM api_tokens WHERE account = $1")
            .bind(account)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// The enabled account an API token (by digest) belongs to.
    pub async fn token_account(&self, digest: &str) -> Result<Option<Signed>, StoreError> {
        let row = sqlx::query(
            "SELECT a.name, a.role FROM api_tokens t JOIN accounts a ON a.name = t.account \
             WHERE t.digest = $1 AND a.disabled_at IS NULL",
        )
        .bind(digest)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Signed {
                name: r.try_get("name")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                csrf: None,
            })
        })
        .transpose()
    }

    /// Opens a session (by digest) until `expires_ms`, dropping expired ones.
    pub async fn open_session(
        &self,
        digest: &str,
        account: &str,
        csrf: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (digest, account, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(digest)
        .bind(account)
        .bind(csrf)
        .bind(now_ms)
        .bind(expires_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The enabled account of a live session (by digest), with its CSRF token.
    pub async fn session(&self, digest: &str, now_ms: i64) -> Result<Option<Signed>, StoreError> {
        let row = sqlx::query(
            "SELECT a.name, a.role, s.csrf FROM sessions s JOIN accounts a ON a.name = s.account \
             WHERE s.digest = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL",
        )
        .bind(digest)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Signed {
                name: r.try_get("name")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                csrf: Some(r.try_get("csrf")?),
            })
        })
        .transpose()
    }

    /// Ends a session (sign-out).
    pub async fn close_session(&self, digest: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE digest = $1")
            .bind(digest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
