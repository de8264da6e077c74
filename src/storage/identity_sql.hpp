#pragma once
// SQL of accounts, login throttling and refresh tokens (identity_store.cpp).
// Every statement is named and listed in identity_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// --- users -----------------------------------------------------------------------------------
inline constexpr pg::Statement user_insert{
    "user_insert",
    "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (email) DO NOTHING RETURNING id"};
inline constexpr pg::Statement user_hotels_insert{
    "user_hotels_insert",
    "INSERT INTO user_hotels (hotel_id, user_id) SELECT h, $2::uuid FROM unnest($1::uuid[]) AS h "
    "ON CONFLICT DO NOTHING"};
// A user with the ids of their hotels, as user_from() reads it, by these names; by email or
// by id.
#define USER_SELECT                                                                       \
    "SELECT u.id, u.email, u.name, u.password_hash, u.role, "                             \
    "       coalesce(array_agg(h.hotel_id ORDER BY h.hotel_id) "                          \
    "                FILTER (WHERE h.hotel_id IS NOT NULL), '{}'::uuid[]) AS hotel_ids, " \
    "       u.token_version, u.disabled "                                                 \
    "FROM users u LEFT JOIN user_hotels h ON h.user_id = u.id "
inline constexpr pg::Statement user_by_email{"user_by_email",
                                             USER_SELECT "WHERE u.email = $1 GROUP BY u.id"};
inline constexpr pg::Statement user_by_id{"user_by_id",
                                          USER_SELECT "WHERE u.id = $1::uuid GROUP BY u.id"};
#undef USER_SELECT
// GET /v1/users: $1 role or NULL, $2 hotel id or NULL, $3 email prefix ('' for any), $4 the
// cursor (a user's id) or NULL, $5 rows. Email order (unique); a cursor naming no user matches
// nothing. The same columns as user_by_id, but each user's hotels come from a subquery rather
// than a GROUP BY, so a page reads users_email_key in order and stops after $5 rows.
inline constexpr pg::Statement users_page{
    "users_page",
    "SELECT u.id, u.email, u.name, u.password_hash, u.role, "
    "       coalesce((SELECT array_agg(h.hotel_id ORDER BY h.hotel_id) FROM user_hotels h "
    "                 WHERE h.user_id = u.id), '{}'::uuid[]) AS hotel_ids, "
    "       u.token_version, u.disabled "
    "FROM users u "
    "WHERE ($1::text IS NULL OR u.role = $1::text) "
    "  AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM user_hotels s "
    "                                   WHERE s.user_id = u.id AND s.hotel_id = $2::uuid)) "
    "  AND starts_with(u.email, $3::text) "
    "  AND ($4::uuid IS NULL OR u.email > (SELECT c.email FROM users c WHERE c.id = $4::uuid)) "
    "ORDER BY u.email LIMIT $5::int8"};
inline constexpr pg::Statement user_email_taken{
    "user_email_taken", "SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)"};
// What every authenticated request is checked against (through the per-node cache).
inline constexpr pg::Statement user_account_state{
    "user_account_state", "SELECT token_version, disabled FROM users WHERE id = $1::uuid"};
// $1 id, $2 role, $3 disabled. Every change of access bumps the token version.
inline constexpr pg::Statement user_access_update{
    "user_access_update",
    "UPDATE users SET role = $2, disabled = $3, token_version = token_version + 1, "
    "       updated_at = now() "
    "WHERE id = $1::uuid RETURNING id"};
inline constexpr pg::Statement user_hotels_clear{
    "user_hotels_clear", "DELETE FROM user_hotels WHERE user_id = $1::uuid"};

// --- login and registration throttling ----------------------------------------------------------
// Counts one attempt on each (scope, key) row, atomically: $1 scopes, $2 keys, $3 windows in
// seconds, in this order (every caller passes its scopes in one fixed order, so concurrent
// statements lock shared rows in the same order). A window that has ended starts afresh; an
// attempt never extends a running window. Returns each scope's attempts (this one included)
// and the seconds until its window ends.
inline constexpr pg::Statement auth_attempts_count{
    "auth_attempts_count",
    "INSERT INTO auth_attempts AS t (scope, key, attempts, expires_at) "
    "SELECT u.s, u.k, 1, now() + make_interval(secs => u.w) "
    "FROM unnest($1::text[], $2::text[], $3::int4[]) WITH ORDINALITY AS u(s, k, w, n) "
    "ORDER BY u.n "
    "ON CONFLICT (scope, key) DO UPDATE SET "
    "  attempts = CASE WHEN t.expires_at <= now() THEN 1 "
    "                  ELSE least(t.attempts, 2000000000) + 1 END, "
    "  expires_at = CASE WHEN t.expires_at <= now() THEN EXCLUDED.expires_at "
    "                    ELSE t.expires_at END "
    "RETURNING t.scope, t.attempts::int8 AS attempts, "
    "          greatest(1, ceil(extract(epoch FROM t.expires_at - now())))::int8 AS seconds_left"};
// After a successful login: $1 pair key, $2 email, $3 address.
inline constexpr pg::Statement auth_attempts_forgive{
    "auth_attempts_forgive",
    "WITH pair AS (DELETE FROM auth_attempts WHERE scope = 'pair' AND key = $1) "
    "UPDATE auth_attempts SET attempts = greatest(attempts - 1, 0) "
    "WHERE (scope = 'email' AND key = $2) OR (scope = 'address' AND key = $3)"};
inline constexpr pg::Statement auth_attempts_prune{
    "auth_attempts_prune", "DELETE FROM auth_attempts WHERE expires_at < now()"};

// --- refresh tokens ------------------------------------------------------------------------------
// $1 token hash, $2 user, $3 lifetime in seconds: a new family.
inline constexpr pg::Statement refresh_token_start{
    "refresh_token_start",
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) "
    "VALUES ($1, gen_random_uuid(), $2::uuid, now() + make_interval(secs => $3::int))"};
// $1 presented hash, $2 successor hash, $3 lifetime: uses the token up and issues its
// successor in the same family, in one statement. No row: not usable (see the next one).
inline constexpr pg::Statement refresh_token_rotate{
    "refresh_token_rotate",
    "WITH used AS ("
    "  UPDATE refresh_tokens SET used_at = now() "
    "  WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() "
    "  RETURNING family_id, user_id) "
    "INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) "
    "SELECT $2, family_id, user_id, now() + make_interval(secs => $3::int) FROM used "
    "RETURNING user_id"};
// Reuse: $1 names a token already rotated; its whole family is revoked. Rows affected > 0
// means reuse was detected.
inline constexpr pg::Statement refresh_family_revoke_reused{
    "refresh_family_revoke_reused",
    "UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) "
    "WHERE family_id IN (SELECT family_id FROM refresh_tokens "
    "                    WHERE token_hash = $1 AND used_at IS NOT NULL)"};
inline constexpr pg::Statement refresh_family_revoke{
    "refresh_family_revoke",
    "UPDATE refresh_tokens SET revoked_at = now() "
    "WHERE revoked_at IS NULL "
    "  AND family_id IN (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)"};
inline constexpr pg::Statement refresh_user_revoke{
    "refresh_user_revoke",
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL"};
inline constexpr pg::Statement refresh_tokens_prune{
    "refresh_tokens_prune",
    "DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'"};

inline const std::vector<pg::Statement>& identity_statements() {
    static const std::vector<pg::Statement> list = {
        user_insert,           user_hotels_insert,
        user_by_email,         user_by_id,
        user_email_taken,      user_account_state,
        user_access_update,    user_hotels_clear,
        auth_attempts_count,   auth_attempts_forgive,
        auth_attempts_prune,   refresh_token_start,
        refresh_token_rotate,  refresh_family_revoke_reused,
        refresh_family_revoke, refresh_user_revoke,
        refresh_tokens_prune,  users_page,
    };
    return list;
}

}  // namespace hotel::storage::sql
