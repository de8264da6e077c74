#pragma once
// The statement catalogue: every SQL statement the server runs while serving requests, named,
// in one place. Connections prepare them on first use; tests/db prepares all of them against
// the migrated schema, so a statement that does not fit the schema fails CI, not production.

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// Readiness probe.
inline constexpr pg::Statement ping{"ping", "SELECT 1"};

// --- users -----------------------------------------------------------------------------------
inline constexpr pg::Statement user_insert{
    "user_insert",
    "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (email) DO NOTHING RETURNING id"};
inline constexpr pg::Statement user_hotels_insert{
    "user_hotels_insert",
    "INSERT INTO user_hotels (hotel_id, user_id) SELECT h, $2::uuid FROM unnest($1::uuid[]) AS h "
    "ON CONFLICT DO NOTHING"};
inline constexpr pg::Statement user_by_email{
    "user_by_email",
    "SELECT u.id, u.email, u.name, u.password_hash, u.role, "
    "       coalesce(array_agg(h.hotel_id ORDER BY h.hotel_id) FILTER (WHERE h.hotel_id IS NOT NULL), "
    "                '{}'::uuid[]) "
    "FROM users u LEFT JOIN user_hotels h ON h.user_id = u.id "
    "WHERE u.email = $1 GROUP BY u.id"};
inline constexpr pg::Statement user_by_id{
    "user_by_id",
    "SELECT u.id, u.email, u.name, u.password_hash, u.role, "
    "       coalesce(array_agg(h.hotel_id ORDER BY h.hotel_id) FILTER (WHERE h.hotel_id IS NOT NULL), "
    "                '{}'::uuid[]) "
    "FROM users u LEFT JOIN user_hotels h ON h.user_id = u.id "
    "WHERE u.id = $1::uuid GROUP BY u.id"};

// --- login rate limit --------------------------------------------------------------------------
// $1 email, $2 address, $3 max failures, $4 window in seconds. Seconds until the address or
// the email may try again (the oldest failure inside the window leaving it), or NULL.
inline constexpr pg::Statement login_blocked_for{
    "login_blocked_for",
    "SELECT max(ceil(extract(epoch FROM oldest + make_interval(secs => $4::int) - now())))::int8 "
    "FROM (SELECT min(failed_at) AS oldest, count(*) AS n FROM login_failures "
    "      WHERE ((scope = 'email' AND key = $1) OR (scope = 'address' AND key = $2)) "
    "        AND failed_at > now() - make_interval(secs => $4::int) "
    "      GROUP BY scope) t "
    "WHERE n >= $3::int"};
inline constexpr pg::Statement login_failure_insert{
    "login_failure_insert",
    "INSERT INTO login_failures (scope, key) VALUES ('email', $1), ('address', $2)"};
inline constexpr pg::Statement login_failures_prune{
    "login_failures_prune",
    "DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $1::int)"};

// Every statement above, for the catalogue test.
const std::vector<pg::Statement>& all();

}  // namespace hotel::storage::sql
