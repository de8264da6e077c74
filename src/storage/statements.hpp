#pragma once
// The statement catalogue: every SQL statement the server runs while serving requests, named,
// in one place. Connections prepare them on first use; tests/db prepares all of them against
// the migrated schema, so a statement that does not fit the schema fails CI, not production.

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// Readiness probe.

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
    "       coalesce(array_agg(h.hotel_id ORDER BY h.hotel_id) FILTER (WHERE h.hotel_id IS NOT "
    "NULL), "
    "                '{}'::uuid[]), "
    "       u.token_version, u.disabled "
    "FROM users u LEFT JOIN user_hotels h ON h.user_id = u.id "
    "WHERE u.email = $1 GROUP BY u.id"};
inline constexpr pg::Statement user_by_id{
    "user_by_id",
    "SELECT u.id, u.email, u.name, u.password_hash, u.role, "
    "       coalesce(array_agg(h.hotel_id ORDER BY h.hotel_id) FILTER (WHERE h.hotel_id IS NOT "
    "NULL), "
    "                '{}'::uuid[]), "
    "       u.token_version, u.disabled "
    "FROM users u LEFT JOIN user_hotels h ON h.user_id = u.id "
    "WHERE u.id = $1::uuid GROUP BY u.id"};
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
    "RETURNING t.scope, t.attempts::int8, "
    "          greatest(1, ceil(extract(epoch FROM t.expires_at - now())))::int8"};
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

// --- catalogue --------------------------------------------------------------------------------
#define HOTEL_COLUMNS                                                                  \
    "id, name, city, country, timezone, currency, to_char(check_in_time, 'HH24:MI'), " \
    "to_char(check_out_time, 'HH24:MI')"
inline constexpr pg::Statement hotel_insert{
    "hotel_insert",
    "WITH h AS (INSERT INTO hotels (name, city, country, timezone, currency, check_in_time, "
    "check_out_time) VALUES ($1, $2, $3, $4, $5, $6::time, $7::time) RETURNING " HOTEL_COLUMNS
    "), "
    "c AS (INSERT INTO invoice_counters (hotel_id) SELECT id FROM h) "
    "SELECT * FROM h"};
inline constexpr pg::Statement hotel_by_id{
    "hotel_by_id", "SELECT " HOTEL_COLUMNS " FROM hotels WHERE id = $1::uuid"};
inline constexpr pg::Statement hotel_update{
    "hotel_update",
    "UPDATE hotels SET name = $2, city = $3, country = $4, timezone = $5, currency = $6, "
    "check_in_time = $7::time, check_out_time = $8::time, updated_at = now() "
    "WHERE id = $1::uuid RETURNING " HOTEL_COLUMNS};
#undef HOTEL_COLUMNS
inline constexpr pg::Statement hotel_has_money{
    "hotel_has_money",
    "SELECT EXISTS (SELECT 1 FROM daily_rates WHERE hotel_id = $1::uuid AND price_minor IS NOT "
    "NULL) "
    "    OR EXISTS (SELECT 1 FROM bookings WHERE hotel_id = $1::uuid AND kind = 'stay')"};

inline constexpr pg::Statement room_type_insert{
    "room_type_insert",
    "INSERT INTO room_types (hotel_id, code, name, max_occupancy, description) "
    "VALUES ($1::uuid, $2, $3, $4::int, $5) ON CONFLICT (hotel_id, code) DO NOTHING RETURNING id"};
inline constexpr pg::Statement room_types_of_hotel{
    "room_types_of_hotel",
    "SELECT id, code, name, max_occupancy, description FROM room_types "
    "WHERE hotel_id = $1::uuid ORDER BY code"};
inline constexpr pg::Statement room_insert{
    "room_insert",
    "INSERT INTO rooms (hotel_id, room_type_id, number, floor) "
    "VALUES ($1::uuid, $2::uuid, $3, $4::int) ON CONFLICT (hotel_id, number) DO NOTHING RETURNING "
    "id"};
inline constexpr pg::Statement rooms_of_hotel{
    "rooms_of_hotel",
    "SELECT id, room_type_id, number, floor FROM rooms WHERE hotel_id = $1::uuid "
    "ORDER BY floor NULLS FIRST, length(number), number"};
inline constexpr pg::Statement rate_plan_insert{
    "rate_plan_insert",
    "INSERT INTO rate_plans (hotel_id, code, name, refundable, free_cancellation_hours, penalty) "
    "VALUES ($1::uuid, $2, $3, $4::bool, $5::int, $6) "
    "ON CONFLICT (hotel_id, code) DO NOTHING RETURNING id"};
inline constexpr pg::Statement rate_plans_of_hotel{
    "rate_plans_of_hotel",
    "SELECT id, code, name, refundable, free_cancellation_hours, penalty FROM rate_plans "
    "WHERE hotel_id = $1::uuid ORDER BY code"};

// The bulk rate write: every day of [$4, $5) whose ISO weekday is in $6 (all when empty), in
// one statement. Each field has a "given" flag: not given keeps the stored value (or the
// default for a new day); given with NULL clears it.
inline constexpr pg::Statement rates_upsert{
    "rates_upsert",
    "INSERT INTO daily_rates AS r (hotel_id, room_type_id, rate_plan_id, date, price_minor, "
    "  min_stay, max_stay, closed_to_arrival, closed_to_departure, stop_sell) "
    "SELECT $1::uuid, $2::uuid, $3::uuid, d::date, "
    "       CASE WHEN $7::bool THEN $8::int8 END, CASE WHEN $9::bool THEN $10::int4 END, "
    "       CASE WHEN $11::bool THEN $12::int4 END, coalesce($13::bool, false), "
    "       coalesce($14::bool, false), coalesce($15::bool, false) "
    "FROM generate_series($4::date, $5::date - 1, interval '1 day') AS d "
    "WHERE cardinality($6::int4[]) = 0 OR extract(isodow FROM d)::int4 = ANY ($6::int4[]) "
    "ON CONFLICT (hotel_id, room_type_id, rate_plan_id, date) DO UPDATE SET "
    "  price_minor = CASE WHEN $7::bool THEN EXCLUDED.price_minor ELSE r.price_minor END, "
    "  min_stay = CASE WHEN $9::bool THEN EXCLUDED.min_stay ELSE r.min_stay END, "
    "  max_stay = CASE WHEN $11::bool THEN EXCLUDED.max_stay ELSE r.max_stay END, "
    "  closed_to_arrival = coalesce($13::bool, r.closed_to_arrival), "
    "  closed_to_departure = coalesce($14::bool, r.closed_to_departure), "
    "  stop_sell = coalesce($15::bool, r.stop_sell), updated_at = now()"};
inline constexpr pg::Statement rate_targets_exist{
    "rate_targets_exist",
    "SELECT EXISTS (SELECT 1 FROM room_types WHERE hotel_id = $1::uuid AND id = $2::uuid), "
    "       EXISTS (SELECT 1 FROM rate_plans WHERE hotel_id = $1::uuid AND id = $3::uuid)"};
inline constexpr pg::Statement rates_in_range{
    "rates_in_range",
    "SELECT d::date, r.price_minor, r.min_stay, r.max_stay, coalesce(r.closed_to_arrival, false), "
    "       coalesce(r.closed_to_departure, false), coalesce(r.stop_sell, false) "
    "FROM generate_series($4::date, $5::date - 1, interval '1 day') AS d "
    "LEFT JOIN daily_rates r ON r.hotel_id = $1::uuid AND r.room_type_id = $2::uuid "
    "     AND r.rate_plan_id = $3::uuid AND r.date = d::date "
    "ORDER BY 1"};

// An out-of-service period is a row of bookings, so no_overlapping_stays guards it too.
inline constexpr pg::Statement out_of_service_insert{
    "out_of_service_insert",
    "INSERT INTO bookings (hotel_id, kind, status, room_id, room_type_id, check_in, check_out, "
    "  period, reason, created_by) "
    "SELECT r.hotel_id, 'out_of_service', 'confirmed', r.id, r.room_type_id, $3::date, $4::date, "
    "       tstzrange($5::timestamptz, $6::timestamptz, '[)'), $7, $8::uuid "
    "FROM rooms r WHERE r.hotel_id = $1::uuid AND r.id = $2::uuid RETURNING id"};

// Per room type and night of [$2, $3): rooms, active stays, rooms out of service.
inline constexpr pg::Statement availability_by_type{
    "availability_by_type",
    "WITH days AS (SELECT d::date AS date FROM generate_series($2::date, $3::date - 1, "
    "              interval '1 day') AS d), "
    "     totals AS (SELECT t.id, count(r.id)::int4 AS total FROM room_types t "
    "                LEFT JOIN rooms r ON r.hotel_id = t.hotel_id AND r.room_type_id = t.id "
    "                WHERE t.hotel_id = $1::uuid GROUP BY t.id), "
    "     held AS (SELECT b.room_type_id, days.date, "
    "                     count(*) FILTER (WHERE b.kind = 'stay')::int4 AS booked, "
    "                     count(DISTINCT b.room_id) FILTER (WHERE b.kind = 'out_of_service')::int4 "
    "AS oos "
    "              FROM bookings b JOIN days ON b.check_in <= days.date AND b.check_out > "
    "days.date "
    "              WHERE b.hotel_id = $1::uuid AND b.status IN ('confirmed', 'checked_in', "
    "'checked_out') "
    "                AND b.check_in < $3::date AND b.check_out > $2::date "
    "              GROUP BY b.room_type_id, days.date) "
    "SELECT totals.id, days.date, totals.total, coalesce(held.booked, 0), coalesce(held.oos, 0) "
    "FROM totals CROSS JOIN days "
    "LEFT JOIN held ON held.room_type_id = totals.id AND held.date = days.date "
    "ORDER BY totals.id, days.date"};

// --- bookings ---------------------------------------------------------------------------------
inline constexpr pg::Statement booking_context{
    "booking_context",
    "SELECT h.id, h.name, h.city, h.country, h.timezone, h.currency, "
    "       to_char(h.check_in_time, 'HH24:MI'), to_char(h.check_out_time, 'HH24:MI'), "
    "       t.id, t.max_occupancy, p.id, p.refundable, p.free_cancellation_hours, p.penalty "
    "FROM hotels h "
    "LEFT JOIN room_types t ON t.hotel_id = h.id AND t.id = $2::uuid "
    "LEFT JOIN rate_plans p ON p.hotel_id = h.id AND p.id = $3::uuid "
    "WHERE h.id = $1::uuid"};
inline constexpr pg::Statement booking_rates{
    "booking_rates",
    "SELECT date, price_minor, min_stay, max_stay, closed_to_arrival, closed_to_departure, "
    "stop_sell "
    "FROM daily_rates WHERE hotel_id = $1::uuid AND room_type_id = $2::uuid "
    "AND rate_plan_id = $3::uuid AND date BETWEEN $4::date AND $5::date ORDER BY date"};

// Hard allocation: lock one free room of the type that no concurrent booking is allocating
// (SKIP LOCKED), so N requests for N free rooms each get their own room at once, without
// queueing behind each other. Rooms already tried ($5) are skipped. The exclusion constraint
// stays the final guard for the rare race this snapshot cannot see.
inline constexpr pg::Statement room_allocate{
    "room_allocate",
    "SELECT r.id, r.number FROM rooms r "
    "WHERE r.hotel_id = $1::uuid AND r.room_type_id = $2::uuid AND r.id <> ALL ($5::uuid[]) "
    "  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.hotel_id = r.hotel_id AND b.room_id = r.id "
    "                  AND b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "                  AND b.period && tstzrange($3::timestamptz, $4::timestamptz, '[)')) "
    "ORDER BY r.number FOR UPDATE OF r SKIP LOCKED LIMIT 1"};
// A whole new booking in one call (migration 0008): the cap on card-less stays, the room, the
// booking, its nights, the event, the invoice with its number and lines.
inline constexpr pg::Statement book_stay{
    "book_stay",
    "SELECT o_outcome, o_booking, o_room, o_room_number, o_invoice, o_invoice_number, o_created "
    "FROM book_stay($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::int4, $7::date, $8::date, "
    "  $9::timestamptz, $10::timestamptz, $11, $12::int8, $13::timestamptz, $14, $15, $16, $17, "
    "  $18::uuid, $19::date[], $20::int8[], $21::int4)"};
inline constexpr pg::Statement booking_nights_insert{
    "booking_nights_insert",
    "INSERT INTO booking_nights (hotel_id, booking_id, night, amount_minor) "
    "SELECT $1::uuid, $2::uuid, n, a FROM unnest($3::date[], $4::int8[]) AS u(n, a)"};
inline constexpr pg::Statement invoice_number_next{
    "invoice_number_next",
    "INSERT INTO invoice_counters (hotel_id, last_number) VALUES ($1::uuid, 1) "
    "ON CONFLICT (hotel_id) DO UPDATE SET last_number = invoice_counters.last_number + 1 "
    "RETURNING last_number"};
inline constexpr pg::Statement invoice_insert{
    "invoice_insert",
    "INSERT INTO invoices (hotel_id, booking_id, number, kind, currency, total_minor) "
    "VALUES ($1::uuid, $2::uuid, $3::int8, $4, $5, $6::int8) RETURNING id"};
inline constexpr pg::Statement invoice_night_lines_insert{
    "invoice_night_lines_insert",
    "INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date, "
    "amount_minor) "
    "SELECT $1::uuid, $2::uuid, ord::int4, 'Night of ' || to_char(n, 'YYYY-MM-DD'), n, a "
    "FROM unnest($3::date[], $4::int8[]) WITH ORDINALITY AS u(n, a, ord)"};
inline constexpr pg::Statement invoice_line_insert{
    "invoice_line_insert",
    "INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, amount_minor) "
    "VALUES ($1::uuid, $2::uuid, 1, $3, $4::int8)"};
inline constexpr pg::Statement booking_event_insert{
    "booking_event_insert",
    "INSERT INTO booking_events (hotel_id, booking_id, type, actor_id, version, payload) "
    "VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5::int4, $6::jsonb)"};
// Claims a key for one request: a new row, or an abandoned claim whose lease has lapsed. No row
// back: the key is completed (see idempotency_lookup) or another request holds it.
inline constexpr pg::Statement idempotency_claim{
    "idempotency_claim",
    "INSERT INTO idempotency_keys AS k (user_id, key, request_hash, claim_id, locked_until) "
    "VALUES ($1::uuid, $2, $3, gen_random_uuid(), now() + make_interval(secs => $4::int)) "
    "ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, "
    "  claim_id = EXCLUDED.claim_id, locked_until = EXCLUDED.locked_until, created_at = now() "
    "  WHERE k.response_status IS NULL AND k.locked_until < now() "
    "RETURNING k.claim_id"};
// Lets a claim go after an attempt that stored nothing.
inline constexpr pg::Statement idempotency_release{
    "idempotency_release",
    "DELETE FROM idempotency_keys WHERE user_id = $1::uuid AND key = $2 AND claim_id = $3::uuid "
    "AND response_status IS NULL"};
inline constexpr pg::Statement idempotency_lookup{
    "idempotency_lookup",
    "SELECT request_hash, response_status, response_body FROM idempotency_keys "
    "WHERE user_id = $1::uuid AND key = $2 AND response_status IS NOT NULL"};
// Completes a claim inside the booking's transaction; no row: the claim was lost (its lease
// lapsed and another request took the key), and the booking must not happen.
inline constexpr pg::Statement idempotency_complete{
    "idempotency_complete",
    "UPDATE idempotency_keys SET response_status = $4::int4, response_body = $5, "
    "  hotel_id = $6::uuid, booking_id = $7::uuid, locked_until = NULL "
    "WHERE user_id = $1::uuid AND key = $2 AND claim_id = $3::uuid AND response_status IS NULL"};
// Batched cleanup: at most $2 rows older than $1 seconds per statement.
inline constexpr pg::Statement idempotency_cleanup_batch{
    "idempotency_cleanup_batch",
    "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys "
    "WHERE created_at < now() - make_interval(secs => $1::int) LIMIT $2::int)"};

#define BOOKING_COLUMNS                                                                       \
    "b.id, b.status, b.hotel_id, b.room_type_id, b.rate_plan_id, b.guest_id, "                \
    "coalesce(b.guest_name, ''), b.guests, b.check_in, b.check_out, lower(b.period), "        \
    "upper(b.period), b.currency, b.total_minor, b.free_cancellation_until, b.penalty, "      \
    "b.cancellation_fee_minor, b.room_id, r.number, b.card_last4, b.payment_transaction_id, " \
    "b.special_requests, b.version, b.created_at, b.updated_at, i.id, i.number, i.status, "   \
    "i.total_minor, "                                                                         \
    "(SELECT array_agg(n.night ORDER BY n.night) FROM booking_nights n "                      \
    " WHERE n.hotel_id = b.hotel_id AND n.booking_id = b.id), "                               \
    "(SELECT array_agg(n.amount_minor ORDER BY n.night) FROM booking_nights n "               \
    " WHERE n.hotel_id = b.hotel_id AND n.booking_id = b.id), "                               \
    "(SELECT timezone FROM hotels WHERE id = b.hotel_id), b.fee_floor_minor "                 \
    "FROM bookings b JOIN rooms r ON r.hotel_id = b.hotel_id AND r.id = b.room_id "           \
    "LEFT JOIN LATERAL (SELECT id, number, status, total_minor FROM invoices "                \
    "  WHERE hotel_id = b.hotel_id AND booking_id = b.id ORDER BY number DESC LIMIT 1) i ON true "
inline constexpr pg::Statement booking_by_id{
    "booking_by_id", "SELECT " BOOKING_COLUMNS "WHERE b.id = $1::uuid AND b.kind = 'stay'"};
#define BOOKING_FILTER                                                                         \
    "WHERE b.kind = 'stay' AND ($1::uuid IS NULL OR b.guest_id = $1::uuid) "                   \
    "AND ($2::uuid[] IS NULL OR b.hotel_id = ANY ($2::uuid[])) "                               \
    "AND ($3::uuid IS NULL OR b.hotel_id = $3::uuid) AND ($4::text IS NULL OR b.status = $4) " \
    "AND ($5::date IS NULL OR b.check_out > $5::date) AND ($6::date IS NULL OR b.check_in < "  \
    "$6::date) "
inline constexpr pg::Statement bookings_page{
    "bookings_page", "SELECT " BOOKING_COLUMNS BOOKING_FILTER
                     "ORDER BY b.check_in, b.created_at, b.id OFFSET $7::int8 LIMIT $8::int8"};
inline constexpr pg::Statement bookings_count{"bookings_count",
                                              "SELECT count(*) FROM bookings b " BOOKING_FILTER};
#undef BOOKING_FILTER
#undef BOOKING_COLUMNS

inline constexpr pg::Statement booking_cancel{
    "booking_cancel",
    "UPDATE bookings SET status = 'cancelled', version = version + 1, cancellation_fee_minor = "
    "$3::int8, "
    "  cancelled_at = now(), updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND version = $4::int4 AND status = 'confirmed' "
    "RETURNING version"};
inline constexpr pg::Statement booking_state_of{
    "booking_state_of",
    "SELECT status, version FROM bookings WHERE hotel_id = $1::uuid AND id = $2::uuid"};
// A staff action: $3 the status it must have, $4 the new one, $5 the version read.
inline constexpr pg::Statement booking_transition{
    "booking_transition",
    "UPDATE bookings SET status = $4, version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND status = $3 AND version = $5::int4 "
    "RETURNING version"};
// Modification: lock the row at the version read, move it (room, dates, price, terms).
inline constexpr pg::Statement booking_lock{"booking_lock",
                                            "SELECT status FROM bookings WHERE hotel_id = $1::uuid "
                                            "AND id = $2::uuid AND version = $3::int4 "
                                            "FOR UPDATE"};
inline constexpr pg::Statement booking_move{
    "booking_move",
    "UPDATE bookings SET room_id = $3::uuid, room_type_id = $4::uuid, rate_plan_id = $5::uuid, "
    "  guests = $6::int4, check_in = $7::date, check_out = $8::date, "
    "  period = tstzrange($9::timestamptz, $10::timestamptz, '[)'), total_minor = $11::int8, "
    "  free_cancellation_until = $12::timestamptz, penalty = $13, fee_floor_minor = $14::int8, "
    "  version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid RETURNING version"};
inline constexpr pg::Statement booking_nights_delete{
    "booking_nights_delete",
    "DELETE FROM booking_nights WHERE hotel_id = $1::uuid AND booking_id = $2::uuid"};
inline constexpr pg::Statement invoices_void{
    "invoices_void",
    "UPDATE invoices SET status = 'void', voided_at = now() "
    "WHERE hotel_id = $1::uuid AND booking_id = $2::uuid AND status = 'issued'"};

// --- the built-in test payment gateway -----------------------------------------------------------
inline constexpr pg::Statement test_gateway_authorize{
    "test_gateway_authorize",
    "INSERT INTO test_gateway_ledger (transaction_id, card_last4, currency, amount_minor, "
    "reference) "
    "VALUES ($1, $2, $3, $4::int8, $5)"};
// A new hold amount; an increase on a card ending in $3 is declined (no row back).
inline constexpr pg::Statement test_gateway_reauthorize{
    "test_gateway_reauthorize",
    "UPDATE test_gateway_ledger SET amount_minor = $2::int8, updated_at = now() "
    "WHERE transaction_id = $1 AND status = 'authorized' "
    "  AND ($2::int8 <= amount_minor OR card_last4 <> $3) "
    "RETURNING amount_minor"};
inline constexpr pg::Statement test_gateway_capture{
    "test_gateway_capture",
    "UPDATE test_gateway_ledger SET status = 'captured', captured_minor = least($2::int8, "
    "amount_minor), updated_at = now() WHERE transaction_id = $1 AND status = 'authorized'"};
inline constexpr pg::Statement test_gateway_void{
    "test_gateway_void",
    "UPDATE test_gateway_ledger SET status = 'voided', voided_at = now(), updated_at = now() "
    "WHERE transaction_id = $1 AND status = 'authorized'"};

// --- shopping -----------------------------------------------------------------------------------
inline constexpr pg::Statement city_hotels{
    "city_hotels",
    "SELECT id, name, city, country, timezone, currency, to_char(check_in_time, 'HH24:MI'), "
    "       to_char(check_out_time, 'HH24:MI') "
    "FROM hotels WHERE lower(city) = lower($1) ORDER BY name, id"};

// "Is room rm free for the stay [S, E)?", in both shopping statements below: no active stay of
// the room ends after S and starts before E. Written so that only bookings_room_end_idx (btree
// on (room_id, upper(period), lower(period)) for active stays) can answer it, whatever the
// statistics and settings: the room is bounded by two row comparisons,
//   (room_id, upper(period)) > (rm.id, S) AND (room_id, upper(period)) <= (rm.id, 'infinity'),
// which together mean exactly room_id = rm.id AND upper(period) > S, and a row comparison is an
// index condition for a btree only. Written as room_id = rm.id, the GiST index of the exclusion
// constraint (no_overlapping_stays) could serve it too, and on a vacuumed table the planner
// preferred that index (an index-only scan, but one that walks a large part of the index for a
// room: 1.4-2.5 ms per probe instead of 0.02 ms; issue 11). The ORDER BY of the btree's key
// with LIMIT 1 leaves the btree's ordered scan as the only cheap plan: the alternative, a
// sequential scan, would have to sort every matching booking first.

// City search for a stay. $1 hotel ids, $2 and $3 each hotel's check-in and check-out instants
// (computed by HotelClock), $4 check-in date, $5 check-out date, $6 nights, $7 guests,
// $8 offset, $9 limit.
// 1. priced: per (hotel, type, plan), the rate rows of the nights and the departure day (one
//    index-only range of daily_rates_hotel_date_idx per hotel; OFFSET 0 keeps the planner from
//    flattening the lateral into a scan of every rate row of the city), kept when every night
//    has a price and no restriction is violated.
// 2. per hotel, its types ordered by their cheapest sellable total.
// 3. per hotel, the first of those types with a room free for the whole stay: a probe of
//    bookings_room_end_idx per room (see above) until one is free. The unnest is read in array
//    order and the LIMIT stops at the first match, so usually one type and one room are probed.
// Nothing here reads bookings in proportion to their number.
inline constexpr pg::Statement hotel_search{
    "hotel_search",
    "WITH stay AS MATERIALIZED ("
    "  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS s(hotel_id, "
    "starts, ends)), "
    "rates AS MATERIALIZED ("
    "  SELECT s.hotel_id, s.starts, s.ends, r.room_type_id, r.rate_plan_id, r.date, r.price_minor, "
    "         r.min_stay, r.max_stay, r.closed_to_arrival, r.closed_to_departure, r.stop_sell "
    "  FROM stay s CROSS JOIN LATERAL ("
    "    SELECT * FROM daily_rates d WHERE d.hotel_id = s.hotel_id "
    "    AND d.date >= $4::date AND d.date <= $5::date OFFSET 0) r), "
    "priced AS ("
    "  SELECT r.hotel_id, r.starts, r.ends, r.room_type_id, "
    "         sum(r.price_minor) FILTER (WHERE r.date < $5::date)::int8 AS total "
    "  FROM rates r "
    "  JOIN room_types t ON t.hotel_id = r.hotel_id AND t.id = r.room_type_id AND t.max_occupancy "
    ">= $7::int4 "
    "  GROUP BY r.hotel_id, r.starts, r.ends, r.room_type_id, r.rate_plan_id "
    "  HAVING count(r.price_minor) FILTER (WHERE r.date < $5::date) = $6::int4 "
    "     AND NOT coalesce(bool_or(r.stop_sell) FILTER (WHERE r.date < $5::date), false) "
    "     AND coalesce(bool_and((r.min_stay IS NULL OR r.min_stay <= $6::int4) "
    "         AND (r.max_stay IS NULL OR r.max_stay >= $6::int4) AND NOT r.closed_to_arrival) "
    "         FILTER (WHERE r.date = $4::date), false) "
    "     AND NOT coalesce(bool_or(r.closed_to_departure) FILTER (WHERE r.date = $5::date), "
    "false)), "
    "per_type AS (SELECT hotel_id, starts, ends, room_type_id, min(total) AS total FROM priced "
    "             GROUP BY hotel_id, starts, ends, room_type_id), "
    "per_hotel AS (SELECT hotel_id, starts, ends, array_agg(room_type_id ORDER BY total) AS types, "
    "                     array_agg(total ORDER BY total) AS totals "
    "              FROM per_type GROUP BY hotel_id, starts, ends) "
    "SELECT h.id, h.name, h.city, h.country, h.timezone, h.currency, f.total, count(*) OVER () "
    "FROM per_hotel ph "
    "CROSS JOIN LATERAL (SELECT u.total FROM unnest(ph.types, ph.totals) AS u(type_id, total) "
    "    WHERE EXISTS (SELECT 1 FROM rooms rm WHERE rm.hotel_id = ph.hotel_id AND rm.room_type_id "
    "= u.type_id "
    "        AND NOT EXISTS (SELECT 1 FROM (SELECT 1 FROM bookings b "
    "            WHERE b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "              AND (b.room_id, upper(b.period)) > (rm.id, ph.starts) "
    "              AND (b.room_id, upper(b.period)) <= (rm.id, 'infinity'::timestamptz) "
    "              AND lower(b.period) < ph.ends "
    "            ORDER BY b.room_id, upper(b.period) LIMIT 1) clash)) "
    "    LIMIT 1) f "
    "JOIN hotels h ON h.id = ph.hotel_id "
    "ORDER BY f.total, h.name, h.id OFFSET $8::int8 LIMIT $9::int8"};

// Offers of one hotel: per room type, its rooms free for the whole stay [$2, $3) (the probe is
// the city search's, see above).
inline constexpr pg::Statement room_types_free{
    "room_types_free",
    "SELECT t.id, t.code, t.name, t.max_occupancy, "
    "       count(rm.id) FILTER (WHERE rm.id IS NOT NULL AND NOT EXISTS ("
    "           SELECT 1 FROM (SELECT 1 FROM bookings b "
    "           WHERE b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "             AND (b.room_id, upper(b.period)) > (rm.id, $2::timestamptz) "
    "             AND (b.room_id, upper(b.period)) <= (rm.id, 'infinity'::timestamptz) "
    "             AND lower(b.period) < $3::timestamptz "
    "           ORDER BY b.room_id, upper(b.period) LIMIT 1) clash))::int4 "
    "FROM room_types t LEFT JOIN rooms rm ON rm.hotel_id = t.hotel_id AND rm.room_type_id = t.id "
    "WHERE t.hotel_id = $1::uuid GROUP BY t.id, t.code, t.name, t.max_occupancy ORDER BY t.code"};
inline constexpr pg::Statement hotel_rates_for_stay{
    "hotel_rates_for_stay",
    "SELECT room_type_id, rate_plan_id, date, price_minor, min_stay, max_stay, closed_to_arrival, "
    "       closed_to_departure, stop_sell "
    "FROM daily_rates WHERE hotel_id = $1::uuid AND date BETWEEN $2::date AND $3::date"};

// Destinations: the cities whose name starts with $1, folded for case and accents on both sides;
// the prefix's LIKE wildcards are escaped, so it only ever matches as a prefix. One entry per
// (folded city, country), spelled as most of its hotels spell it, the biggest first.
inline constexpr pg::Statement destinations_by_prefix{
    "destinations_by_prefix",
    "SELECT mode() WITHIN GROUP (ORDER BY city), country, count(*)::int4 FROM hotels "
    "WHERE lower(unaccent(city)) LIKE replace(replace(replace(lower(unaccent($1)), '\\', "
    "'\\\\'), '%', '\\%'), '_', '\\_') || '%' "
    "GROUP BY lower(unaccent(city)), country ORDER BY count(*) DESC, 1, 2 LIMIT $2::int4"};

// The search index's loader (storage/index_feed.cpp): every hotel, then per hotel, in one
// REPEATABLE READ transaction, its catalogue (hotel_by_id, room_types_of_hotel,
// rate_plans_of_hotel), its rooms, its rates from two days ago (the earliest "today" on Earth
// is at most one day behind UTC) and its active periods that end after three days ago, with
// their bounds as microseconds since the epoch (exact: extract returns numeric).
inline constexpr pg::Statement index_hotel_ids{"index_hotel_ids", "SELECT id FROM hotels"};
inline constexpr pg::Statement index_rooms{
    "index_rooms", "SELECT id, room_type_id, number FROM rooms WHERE hotel_id = $1::uuid"};
inline constexpr pg::Statement index_rates{
    "index_rates",
    "SELECT room_type_id, rate_plan_id, date, price_minor, min_stay, max_stay, closed_to_arrival, "
    "       closed_to_departure, stop_sell "
    "FROM daily_rates WHERE hotel_id = $1::uuid AND date >= current_date - 2"};
inline constexpr pg::Statement index_periods{
    "index_periods",
    "SELECT id, room_id, (extract(epoch FROM lower(period)) * 1000000)::int8, "
    "       (extract(epoch FROM upper(period)) * 1000000)::int8 "
    "FROM bookings WHERE hotel_id = $1::uuid AND status IN ('confirmed', 'checked_in', "
    "'checked_out') AND upper(period) > now() - interval '3 days'"};

// A commit is decoded from the WAL a moment before the committing backend leaves the list of
// running transactions (longer under synchronous replication, which waits in between), so a
// reload that reads SQL right away can miss the very change it follows. The feed waits first:
// - whether transaction $1 (32 bits, as logical decoding prints it) still runs for a snapshot
//   taken now; the full id is the nearest one to the snapshot's xmax with those low 32 bits;
inline constexpr pg::Statement index_transaction_running{
    "index_transaction_running",
    "SELECT NOT pg_visible_in_snapshot("
    "         (x.xmax + (($1::int8 - (x.xmax & 4294967295) + 6442450944) % 4294967296)"
    "          - 2147483648)::text::xid8, x.snap) "
    "FROM (SELECT s AS snap, pg_snapshot_xmax(s)::text::int8 AS xmax "
    "      FROM pg_current_snapshot() s) x"};
// - the transactions running now (as a snapshot's text), and whether any of them still runs.
inline constexpr pg::Statement index_running_now{"index_running_now",
                                                 "SELECT pg_current_snapshot()::text"};
inline constexpr pg::Statement index_still_running{
    "index_still_running",
    "SELECT EXISTS (SELECT 1 FROM pg_snapshot_xip($1::pg_snapshot) r "
    "               WHERE NOT pg_visible_in_snapshot(r, pg_current_snapshot()))"};

// Every statement above, for the catalogue test.
const std::vector<pg::Statement>& all();

}  // namespace hotel::storage::sql
