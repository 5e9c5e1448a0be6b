-- Staff accounts, their API tokens and their sign-in sessions. Tokens and
-- session ids are kept only as their SHA-256 (hex): the database holds
-- nothing a thief could present. Passwords are argon2id PHC strings.
CREATE TABLE accounts (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,       -- viewer | analyst | admin
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT               -- set: signs in no more, tokens refused
);

CREATE TABLE api_tokens (
    digest      TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(name),
    label       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens (account);

CREATE TABLE sessions (
    digest      TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(name),
    csrf        TEXT NOT NULL,       -- sent back on every write
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account);
CREATE INDEX sessions_expiry ON sessions (expires_at);
