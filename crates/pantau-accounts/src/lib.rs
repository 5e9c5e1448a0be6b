//! Staff accounts, without I/O: the roles and what each may do, account
//! names, argon2id password hashes, and the random secrets of API tokens and
//! sign-in sessions.
//!
//! # Layout
//!
//! - [`Role`]: `viewer` reads, `analyst` also reviews (overrides,
//!   confirmations, audit verdicts) and pushes articles, `admin` may do
//!   everything; [`Role::may`] answers for an [`Action`].
//! - [`validate_name`]: what an account name may be (it is what the audit
//!   trail records).
//! - [`hash_password`], [`verify_password`]: argon2id with the crate's
//!   default cost (OWASP's recommended minimum), as a PHC string; a
//!   generated sign-in password is [`new_password`].
//! - [`Secret`]: a random API token or session id, shown once; the store
//!   keeps only its [`digest`] (SHA-256), so a stolen database holds no
//!   usable token.

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What went wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    /// Not a role.
    #[error("unknown role {0:?}: expected viewer, analyst or admin")]
    UnknownRole(String),
    /// Not an account name.
    #[error("account name {0:?}: use 2–64 lower-case letters, digits, '.', '_' or '-', starting with a letter")]
    BadName(String),
    /// A password too short to be one.
    #[error("the password must be at least {MIN_PASSWORD} characters")]
    ShortPassword,
    /// The system's random source failed.
    #[error("no random bytes from the system: {0}")]
    Random(String),
    /// Hashing failed (a malformed stored hash, or the hasher's own error).
    #[error("password hash: {0}")]
    Hash(String),
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the dashboard, reports and the API.
    Viewer,
    /// Also reviews articles and pushes new ones.
    Analyst,
    /// Everything.
    Admin,
}

/// A thing an account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read pages, reports, lists.
    Read,
    /// Override or confirm a verdict, record an audit verdict.
    Review,
    /// Push articles (`POST /api/v1/articles`).
    Push,
}

impl Role {
    /// Every role, least first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Analyst, Role::Admin];

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::Read => true,
            Action::Review | Action::Push => self >= Role::Analyst,
        }
    }

    /// The role's name, as in config and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// The role's name for the bureau's staff.
    pub fn label_id(self) -> &'static str {
        match self {
            Role::Viewer => "pembaca",
            Role::Analyst => "analis",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = AccountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AccountError::UnknownRole(s.to_owned()))
    }
}

/// Checks an account name: 2–64 characters of `a-z 0-9 . _ -`, starting
/// with a letter. Plain names, because the audit trail shows them.
pub fn validate_name(name: &str) -> Result<(), AccountError> {
    let ok = (2..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadName(name.to_owned()))
    }
}

fn random_bytes<const N: usize>() -> Result<[u8; N], AccountError> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|e| AccountError::Random(e.to_string()))?;
    Ok(buf)
}

/// The argon2id hash of `password` with a fresh random salt, as a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::ShortPassword);
    }
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AccountError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC `hash` (any argon2 variant and
/// cost the string names). A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A generated sign-in password: 20 characters from an alphabet without
/// look-alikes (no 0/O, 1/l/I), in groups of five, about 100 bits.
pub fn new_password() -> Result<String, AccountError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXYZ2345679";
    let bytes = random_bytes::<20>()?;
    let mut out = String::with_capacity(23);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        // 256 % 53 leaves a bias under 2 % on a few letters: immaterial at
        // 20 characters.
        out.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
    }
    Ok(out)
}

/// A random secret (an API token or a session id): 32 bytes, hex, with a
/// prefix that says what it is (`pt_` tokens, `ps_` sessions) so one found
/// in a log or a paste is recognised.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A new API token.
    pub fn new_token() -> Result<Secret, AccountError> {
        Self::new("pt_")
    }

    /// A new session id.
    pub fn new_session() -> Result<Secret, AccountError> {
        Self::new("ps_")
    }

    /// A new CSRF token (no prefix: it is only ever compared).
    pub fn new_csrf() -> Result<Secret, AccountError> {
        Self::new("")
    }

    fn new(prefix: &str) -> Result<Secret, AccountError> {
        let mut s = String::with_capacity(prefix.len() + 64);
        s.push_str(prefix);
        for b in random_bytes::<32>()? {
            s.push_str(&format!("{b:02x}"));
        }
        Ok(Secret(s))
    }

    /// The secret itself: shown once, then only its digest is kept.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the store keeps.
    pub fn digest(&self) -> String {
        digest(&self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The SHA-256 of a presented secret, hex: what the store looks it up by.
/// A plain hash suffices: the secrets are 256 random bits, not passwords.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Constant-time equality of two presented strings (CSRF tokens).
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_allow_what_they_say() {
        assert!(Role::Viewer.may(Action::Read));
        assert!(!Role::Viewer.may(Action::Review));
        assert!(!Role::Viewer.may(Action::Push));
        assert!(Role::Analyst.may(Action::Review));
        assert!(Role::Analyst.may(Action::Push));
        assert!(Role::Admin.may(Action::Review));
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert_eq!(
            "editor".parse::<Role>(),
            Err(AccountError::UnknownRole("editor".into()))
        );
    }

    #[test]
    fn names_are_plain() {
        for good in ["rina", "budi.s", "analis-2", "a_b"] {
            assert_eq!(validate_name(good), Ok(()), "{good}");
        }
        for bad in ["", "r", "Rina", "2rina", "rina s", "rína", &"a".repeat(65)] {
            assert!(validate_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let h = hash_password("kata-sandi-panjang").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "kata-sandi-panjang"));
        assert!(!verify_password(&h, "kata-sandi-panjanG"));
        assert!(!verify_password("not a hash", "kata-sandi-panjang"));
        // A fresh salt each time: the same password, two hashes.
        assert_ne!(h, hash_password("kata-sandi-panjang").unwrap());
        assert_eq!(hash_password("pendek"), Err(AccountError::ShortPassword));
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let a = new_password().unwrap();
        let b = new_password().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 23);
        assert!(a.chars().filter(|c| *c != '-').count() >= MIN_PASSWORD);
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']), "{a}");
    }

    #[test]
    fn secrets_are_prefixed_random_and_stored_as_digests() {
        let t = Secret::new_token().unwrap();
        assert!(t.expose().starts_with("pt_"));
        assert_eq!(t.expose().len(), 67);
        assert_ne!(t, Secret::new_token().unwrap());
        assert_eq!(t.digest(), digest(t.expose()));
        assert_eq!(t.digest().len(), 64);
        assert!(!format!("{t:?}").contains(&t.expose()[3..]));
        assert!(Secret::new_session().unwrap().expose().starts_with("ps_"));
        // SHA-256 of "abc".
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    proptest! {
        #[test]
        fn same_secret_is_equality(a in "[a-f0-9]{0,8}", b in "[a-f0-9]{0,8}") {
            prop_assert_eq!(same_secret(&a, &b), a == b);
        }
    }
}
