-- Identity hardening (issue 10, items 4 and 5).
--
-- 1. Login and registration throttling by counters that are claimed atomically before a
--    password is checked: one row per (scope, key) with the number of attempts in the current
--    fixed window and the instant the window ends. Replaces login_failures (migration 0002),
--    whose check-then-insert let parallel failures through and whose per-email limit locked
--    the owner out.
-- 2. Revocation: users get a token version (carried by access tokens, bumped by any change of
--    role, hotel scope or status) and a disabled flag; refresh tokens are stored as SHA-256
--    hashes, in families that rotate on every use.

DROP TABLE login_failures;

CREATE TABLE auth_attempts (
    scope      text NOT NULL,
    key        text NOT NULL,
    attempts   integer NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key),
    CONSTRAINT auth_attempts_scope_valid CHECK (scope IN ('pair', 'email', 'address', 'register'))
);
CREATE INDEX auth_attempts_expiry_idx ON auth_attempts (expires_at);

ALTER TABLE users
    ADD COLUMN token_version integer NOT NULL DEFAULT 0,
    ADD COLUMN disabled boolean NOT NULL DEFAULT false;

CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,  -- hex SHA-256 of the opaque token; the token is never stored
    family_id  uuid NOT NULL,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,  -- set when rotated: presenting it again revokes the family
    revoked_at timestamptz,
    CONSTRAINT refresh_tokens_hash_form CHECK (token_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (expires_at);
