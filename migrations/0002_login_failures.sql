-- Failed logins, for the login rate limit (at most N failures per email and per client address
-- in a sliding window). Kept in the database, not in memory, so that the limit holds across
-- every hoteld node. Rows older than an hour are deleted as new failures arrive.
CREATE TABLE login_failures (
    scope     text NOT NULL,
    key       text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT login_failures_scope_valid CHECK (scope IN ('email', 'address'))
);
CREATE INDEX login_failures_lookup_idx ON login_failures (scope, key, failed_at);
CREATE INDEX login_failures_age_idx ON login_failures (failed_at);
