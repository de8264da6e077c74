#pragma once
// SQL of bookings, invoices, idempotency keys and the built-in test payment gateway
// (booking_store.cpp). Every statement is named and listed in booking_statements() below:
// connections prepare them on first use, and tests/db prepares every listed one against the
// migrated schema (and fails on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// --- bookings ---------------------------------------------------------------------------------
inline constexpr pg::Statement booking_context{
    "booking_context",
    "SELECT h.id, h.name, h.city, h.country, h.timezone, h.currency, "
    "       to_char(h.check_in_time, 'HH24:MI') AS check_in_time, "
    "       to_char(h.check_out_time, 'HH24:MI') AS check_out_time, "
    "       t.id AS type_id, t.max_occupancy, p.id AS plan_id, p.refundable, "
    "       p.free_cancellation_hours, p.penalty, p.included_guests, p.extra_guest_minor, "
    "       p.inclusion_names, p.inclusion_amounts, p.parent_plan_id, p.adjustment_bp "
    "FROM hotels h "
    "LEFT JOIN room_types t ON t.hotel_id = h.id AND t.id = $2::uuid AND t.retired_at IS NULL "
    "LEFT JOIN rate_plans p ON p.hotel_id = h.id AND p.id = $3::uuid AND p.retired_at IS NULL "
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
    "  AND r.retired_at IS NULL "
    "  AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.hotel_id = r.hotel_id AND b.room_id = r.id "
    "                  AND b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "                  AND b.period && tstzrange($3::timestamptz, $4::timestamptz, '[)')) "
    "ORDER BY r.number FOR UPDATE OF r SKIP LOCKED LIMIT 1"};
// A change to another room type or rate plan holds both against retirement (as book_stay does,
// migration 0014) before catalogue_live looks at them, in a statement of its own so that its
// snapshot is taken once the holds are granted.
inline constexpr pg::Statement catalogue_hold{
    "catalogue_hold",
    "SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(1952801, hashtext($1::text)), "
    "pg_advisory_xact_lock_shared(1952802, hashtext($2::text))) held"};
inline constexpr pg::Statement catalogue_live{
    "catalogue_live",
    "SELECT EXISTS (SELECT 1 FROM room_types WHERE hotel_id = $1::uuid AND id = $2::uuid "
    "               AND retired_at IS NULL), "
    "       EXISTS (SELECT 1 FROM rate_plans WHERE hotel_id = $1::uuid AND id = $3::uuid "
    "               AND retired_at IS NULL)"};
// A whole new booking in one call (migrations 0008, 0011, 0013, 0014, 0021): the quote's catalogue
// version checked, the cap on card-less stays, the room, the booking, its nights, the event, the
// invoice and its lines (numbered after commit).
inline constexpr pg::Statement book_stay{
    "book_stay",
    "SELECT o_outcome, o_booking, o_room, o_room_number, o_invoice, o_invoice_number, o_created, "
    "  o_invoice_total "
    "FROM book_stay($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::int4, $7::date, $8::date, "
    "  $9::timestamptz, $10::timestamptz, $11, $12::int8, $13::timestamptz, $14, $15, $16, $17, "
    "  $18::uuid, $19::date[], $20::int8[], $21::int4, $22::int8, $23, $24, $25::text[], "
    "  $26::int8[], $27::text[], $28::date[], $29::int8[])"};
// Several new bookings in one statement and one commit (storage/booking_batch.cpp): book_stay
// called once per booking, in the order given. Its arguments come as arrays, an element per
// booking; what it takes as arrays (the nights, the inclusions, the lines) comes as array
// literals, one per booking. Each call is a statement of its own, so a booking sees those placed
// before it in the batch (rooms, the cap on card-less stays) as if they had committed first.
inline constexpr pg::Statement book_stays{
    "book_stays",
    "SELECT b.ord::int4 AS o_ord, s.o_outcome, s.o_booking, s.o_room, s.o_room_number, "
    "  s.o_invoice, s.o_created, s.o_invoice_total "
    "FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::int4[], "
    "  $7::date[], $8::date[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::int8[], "
    "  $13::timestamptz[], $14::text[], $15::text[], $16::text[], $17::text[], $18::uuid[], "
    "  $19::text[], $20::text[], $21::int4[], $22::int8[], $23::text[], $24::text[], "
    "  $25::text[], $26::text[], $27::text[], $28::text[], $29::text[]) WITH ORDINALITY "
    "  AS b(hotel, type, plan, guest, guest_name, guests, check_in, check_out, starts, ends, "
    "       currency, total, free_until, penalty, card_last4, transaction, special, actor, "
    "       nights, amounts, unsecured_limit, catalogue_version, guest_email, guest_phone, "
    "       inclusion_names, inclusion_amounts, line_texts, line_dates, line_amounts, ord) "
    "CROSS JOIN LATERAL book_stay(b.hotel, b.type, b.plan, b.guest, b.guest_name, b.guests, "
    "  b.check_in, b.check_out, b.starts, b.ends, b.currency, b.total, b.free_until, b.penalty, "
    "  b.card_last4, b.transaction, b.special, b.actor, b.nights::date[], b.amounts::int8[], "
    "  b.unsecured_limit, b.catalogue_version, b.guest_email, b.guest_phone, "
    "  b.inclusion_names::text[], b.inclusion_amounts::int8[], b.line_texts::text[], "
    "  b.line_dates::date[], b.line_amounts::int8[]) AS s"};
inline constexpr pg::Statement booking_nights_insert{
    "booking_nights_insert",
    "INSERT INTO booking_nights (hotel_id, booking_id, night, amount_minor) "
    "SELECT $1::uuid, $2::uuid, n, a FROM unnest($3::date[], $4::int8[]) AS u(n, a)"};
// An invoice is written unnumbered, in the transaction of its booking; invoices_number_pending
// numbers it right after commit (migration 0011, storage/invoice_numbering.cpp).
inline constexpr pg::Statement invoice_insert{
    "invoice_insert",
    "INSERT INTO invoices (hotel_id, booking_id, kind, currency, total_minor) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5::int8) RETURNING id"};
inline constexpr pg::Statement invoices_number_pending{
    "invoices_number_pending", "SELECT o_invoice, o_number FROM number_pending_invoices()"};
inline constexpr pg::Statement invoice_numbers{
    "invoice_numbers", "SELECT id, number FROM invoices WHERE id = ANY ($1::uuid[])"};
// An invoice's item lines in order (texts, days or NULL, amounts), numbered from 1.
inline constexpr pg::Statement invoice_lines_insert{
    "invoice_lines_insert",
    "INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date, "
    "amount_minor) "
    "SELECT $1::uuid, $2::uuid, ord::int4, t, d, a "
    "FROM unnest($3::text[], $4::date[], $5::int8[]) WITH ORDINALITY AS u(t, d, a, ord)"};
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
    "SELECT request_hash, response_status, response_body, booking_id FROM idempotency_keys "
    "WHERE user_id = $1::uuid AND key = $2 AND response_status IS NOT NULL"};
// Completes a claim inside the booking's transaction; no row: the claim was lost (its lease
// lapsed and another request took the key), and the booking must not happen.
inline constexpr pg::Statement idempotency_complete{
    "idempotency_complete",
    "UPDATE idempotency_keys SET response_status = $4::int4, response_body = $5, "
    "  hotel_id = $6::uuid, booking_id = $7::uuid, locked_until = NULL "
    "WHERE user_id = $1::uuid AND key = $2 AND claim_id = $3::uuid AND response_status IS NULL"};
// The response body of a completed key, once its booking's invoice has its number; the first
// writer wins (the request itself, or a replay after the request died before writing it).
inline constexpr pg::Statement idempotency_finish{
    "idempotency_finish",
    "UPDATE idempotency_keys SET response_body = $3 "
    "WHERE user_id = $1::uuid AND key = $2 AND response_status IS NOT NULL "
    "  AND response_body IS NULL RETURNING response_body"};
// Batched cleanup: at most $2 rows older than $1 seconds per statement.
inline constexpr pg::Statement idempotency_cleanup_batch{
    "idempotency_cleanup_batch",
    "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys "
    "WHERE created_at < now() - make_interval(secs => $1::int) LIMIT $2::int)"};

// A booking as booking_from() reads it, by these names.
#define BOOKING_COLUMNS                                                                          \
    "b.id, b.status, b.hotel_id, b.room_type_id, b.rate_plan_id, b.guest_id, "                   \
    "coalesce(b.guest_name, '') AS guest_name, b.guest_email, b.guest_phone, b.guests, "         \
    "b.check_in, b.check_out, "                                                                  \
    "coalesce(b.booked_check_in_at, lower(b.period)) AS check_in_at, "                           \
    "upper(b.period) AS check_out_at, b.currency, "                                              \
    "b.total_minor, b.free_cancellation_until, b.penalty, b.cancellation_fee_minor, "            \
    "b.room_id, r.number AS room_number, b.card_last4, b.payment_transaction_id, "               \
    "b.special_requests, b.version, b.created_at, b.updated_at, i.id AS invoice_id, "            \
    "i.number AS invoice_number, i.status AS invoice_status, "                                   \
    "i.total_minor AS invoice_total_minor, "                                                     \
    "(SELECT array_agg(n.night ORDER BY n.night) FROM booking_nights n "                         \
    " WHERE n.hotel_id = b.hotel_id AND n.booking_id = b.id) AS nights, "                        \
    "(SELECT array_agg(n.amount_minor ORDER BY n.night) FROM booking_nights n "                  \
    " WHERE n.hotel_id = b.hotel_id AND n.booking_id = b.id) AS night_amounts, "                 \
    "(SELECT timezone FROM hotels WHERE id = b.hotel_id) AS hotel_timezone, b.fee_floor_minor, " \
    "b.checked_in_at, b.checked_out_at, "                                                        \
    "((SELECT coalesce(sum(total_minor), 0) FROM invoices "                                      \
    "  WHERE hotel_id = b.hotel_id AND booking_id = b.id) - "                                    \
    " (SELECT coalesce(sum(CASE WHEN kind = 'payment' THEN amount_minor ELSE -amount_minor "     \
    "END), 0) FROM folio_payments WHERE hotel_id = b.hotel_id AND booking_id = b.id))::int8 "    \
    "AS balance_minor, "                                                                         \
    "CASE WHEN b.booked_check_in_at IS NOT NULL THEN lower(b.period) END AS room_since, "        \
    "b.inclusion_names, b.inclusion_amounts "                                                    \
    "FROM bookings b JOIN rooms r ON r.hotel_id = b.hotel_id AND r.id = b.room_id "              \
    "LEFT JOIN LATERAL (SELECT id, number, status, total_minor FROM invoices "                   \
    "  WHERE hotel_id = b.hotel_id AND booking_id = b.id AND kind <> 'credit_note' "             \
    "  ORDER BY number DESC NULLS FIRST, created_at DESC LIMIT 1) i ON true "
inline constexpr pg::Statement booking_by_id{
    "booking_by_id", "SELECT " BOOKING_COLUMNS "WHERE b.id = $1::uuid AND b.kind = 'stay'"};
#define BOOKING_FILTER                                                                        \
    "WHERE b.kind = 'stay' AND ($1::uuid IS NULL OR b.guest_id = $1::uuid) "                  \
    "AND ($2::uuid[] IS NULL OR b.hotel_id = ANY ($2::uuid[])) "                              \
    "AND ($3::uuid IS NULL OR b.hotel_id = $3::uuid) "                                        \
    "AND ($4::text[] IS NULL OR b.status = ANY ($4::text[])) "                                \
    "AND ($5::date IS NULL OR b.check_out > $5::date) AND ($6::date IS NULL OR b.check_in < " \
    "$6::date) AND ($7::date IS NULL OR b.check_in = $7::date) "                              \
    "AND ($8::date IS NULL OR b.check_out = $8::date) "                                       \
    "AND ($9::date IS NULL OR (b.check_in <= $9::date AND b.check_out > $9::date)) "
inline constexpr pg::Statement bookings_page{
    "bookings_page", "SELECT " BOOKING_COLUMNS BOOKING_FILTER
                     "ORDER BY b.check_in, b.created_at, b.id OFFSET $10::int8 LIMIT $11::int8"};
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
    "UPDATE bookings SET status = $4, version = version + 1, updated_at = now(), "
    "  checked_in_at = CASE WHEN $4 = 'checked_in' THEN now() ELSE checked_in_at END, "
    "  checked_out_at = CASE WHEN $4 = 'checked_out' THEN now() ELSE checked_out_at END "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND status = $3 AND version = $5::int4 "
    "RETURNING version"};
// A room move: the room (live, of the hotel) held against its retirement, then the booking moved
// onto it with the room's type; the exclusion constraint refuses a taken room.
inline constexpr pg::Statement room_hold{
    "room_hold",
    "SELECT r.room_type_id, t.max_occupancy FROM rooms r "
    "JOIN room_types t ON t.hotel_id = r.hotel_id AND t.id = r.room_type_id "
    "WHERE r.hotel_id = $1::uuid AND r.id = $2::uuid AND r.retired_at IS NULL FOR SHARE OF r"};
inline constexpr pg::Statement booking_room_move{
    "booking_room_move",
    "UPDATE bookings SET room_id = $3::uuid, room_type_id = $4::uuid, version = version + 1, "
    "  updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND version = $5::int4 AND status = $6 "
    "RETURNING version"};
// A guest in the house moves at $6 (the hotel's check-out time today, migration 0017): the
// current room is kept until then, as a segment of the stay's history, and the booking holds
// the new room from then on.
inline constexpr pg::Statement booking_room_split{
    "booking_room_split",
    "WITH kept AS ("
    "  INSERT INTO booking_room_segments (hotel_id, booking_id, room_id, room_type_id, period, "
    "    moved_by) "
    "  SELECT b.hotel_id, b.id, b.room_id, b.room_type_id, "
    "    tstzrange(lower(b.period), $6::timestamptz, '[)'), $7::uuid FROM bookings b "
    "  WHERE b.hotel_id = $1::uuid AND b.id = $2::uuid AND b.version = $5::int4 "
    "    AND b.status = 'checked_in' AND lower(b.period) < $6::timestamptz) "
    "UPDATE bookings b SET room_id = $3::uuid, room_type_id = $4::uuid, "
    "  booked_check_in_at = coalesce(b.booked_check_in_at, lower(b.period)), "
    "  period = tstzrange(greatest(lower(b.period), $6::timestamptz), upper(b.period), '[)'), "
    "  version = b.version + 1, updated_at = now() "
    "WHERE b.hotel_id = $1::uuid AND b.id = $2::uuid AND b.version = $5::int4 "
    "  AND b.status = 'checked_in' AND $6::timestamptz < upper(b.period) "
    "RETURNING b.version"};
// The parts of stays spent in earlier rooms that overlap [$2, $3) (the room chart).
// The room chart's stays (view=bars): the filter and order of bookings_page for one hotel, a
// range and the statuses a chart shows, without the per-stay reads of a whole booking.
inline constexpr pg::Statement chart_stays{
    "chart_stays",
    "SELECT b.id, b.status, b.version, b.room_id, b.room_type_id, b.rate_plan_id, "
    "  coalesce(b.guest_name, ''), b.guests, b.check_in, b.check_out "
    "FROM bookings b "
    "WHERE b.kind = 'stay' AND b.hotel_id = $1::uuid "
    "  AND b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "  AND b.check_out > $2::date AND b.check_in < $3::date "
    "ORDER BY b.check_in, b.created_at, b.id"};
inline constexpr pg::Statement room_segments_in_range{
    "room_segments_in_range",
    "SELECT s.booking_id, s.room_id, lower(s.period), upper(s.period) "
    "FROM booking_room_segments s "
    "WHERE s.hotel_id = $1::uuid AND upper(s.period) > $2::timestamptz "
    "  AND lower(s.period) < $3::timestamptz ORDER BY lower(s.period), s.booking_id"};
// Housekeeping (migration 0015): a room's state (none: clean), and dirty after a check-out.
inline constexpr pg::Statement housekeeping_of_room{
    "housekeeping_of_room",
    "SELECT status FROM room_housekeeping WHERE hotel_id = $1::uuid AND room_id = $2::uuid"};
inline constexpr pg::Statement housekeeping_dirty{
    "housekeeping_dirty",
    "INSERT INTO room_housekeeping (hotel_id, room_id, status, updated_by) "
    "VALUES ($1::uuid, $2::uuid, 'dirty', $3::uuid) "
    "ON CONFLICT (hotel_id, room_id) DO UPDATE SET status = 'dirty', updated_at = now(), "
    "  updated_by = EXCLUDED.updated_by"};
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
    "  inclusion_names = $15::text[], inclusion_amounts = $16::int8[], "
    "  version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid RETURNING version"};
// A stay in the house takes a new departure in its room; with $7 the guest leaves as well. A
// guest moved today (migration 0017: the period then starts at today's check-out time) who
// leaves today keeps a period of one second, as a period is never empty.
inline constexpr pg::Statement booking_departure{
    "booking_departure",
    "UPDATE bookings SET check_out = $3::date, "
    "  period = tstzrange(lower(period), "
    "    greatest($4::timestamptz, lower(period) + interval '1 second'), '[)'), "
    "  total_minor = $5::int8, "
    "  cancellation_fee_minor = $6::int8, "
    "  status = CASE WHEN $7::bool THEN 'checked_out' ELSE status END, "
    "  checked_out_at = CASE WHEN $7::bool THEN now() ELSE checked_out_at END, "
    "  version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND status = 'checked_in' "
    "  AND version = $8::int4 RETURNING version"};
inline constexpr pg::Statement booking_nights_delete{
    "booking_nights_delete",
    "DELETE FROM booking_nights WHERE hotel_id = $1::uuid AND booking_id = $2::uuid"};
// The booking's issued invoices are credited (migration 0018): each is marked void and gets a
// credit note of its lines negated, created a microsecond before the transaction's other
// invoices, so that the numbering step gives it the number before the invoice replacing it.
inline constexpr pg::Statement invoices_credit{
    "invoices_credit",
    "WITH credited AS ("
    "  UPDATE invoices SET status = 'void', voided_at = now() "
    "  WHERE hotel_id = $1::uuid AND booking_id = $2::uuid AND status = 'issued' "
    "    AND kind <> 'credit_note' RETURNING id, currency, total_minor), "
    "notes AS ("
    "  INSERT INTO invoices (hotel_id, booking_id, kind, currency, total_minor, "
    "    credits_invoice_id, created_at) "
    "  SELECT $1::uuid, $2::uuid, 'credit_note', currency, -total_minor, id, "
    "    now() - interval '1 microsecond' FROM credited RETURNING id, credits_invoice_id) "
    "INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date, "
    "  amount_minor, kind) "
    "SELECT $1::uuid, n.id, l.line_no, l.description, l.service_date, -l.amount_minor, l.kind "
    "FROM notes n JOIN invoice_lines l ON l.hotel_id = $1::uuid AND l.invoice_id = "
    "n.credits_invoice_id"};
// A stay's invoice ends with the charges posted to it (line numbers after $4), in its total.
inline constexpr pg::Statement invoice_charges_append{
    "invoice_charges_append",
    "WITH c AS ("
    "  SELECT description, service_date, amount_minor, "
    "    row_number() OVER (ORDER BY posted_at, id) AS n FROM folio_charges "
    "  WHERE hotel_id = $1::uuid AND booking_id = $3::uuid), "
    "lines AS ("
    "  INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, service_date, "
    "    amount_minor) "
    "  SELECT $1::uuid, $2::uuid, $4::int4 + n::int4, description, service_date, amount_minor "
    "  FROM c) "
    "UPDATE invoices SET total_minor = total_minor + (SELECT coalesce(sum(amount_minor), 0) "
    "  FROM c)::int8 WHERE hotel_id = $1::uuid AND id = $2::uuid"};
// A stay invoice's tax lines, and its total with them (migration 0021: one function for every
// path that issues a stay invoice).
inline constexpr pg::Statement invoice_taxes_add{
    "invoice_taxes_add", "SELECT add_invoice_taxes($1::uuid, $2::uuid, $3::uuid)"};
// A charge posted to a stay in the house or just left (at the version read).
inline constexpr pg::Statement booking_charge_version{
    "booking_charge_version",
    "UPDATE bookings SET version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND version = $3::int4 "
    "  AND status IN ('checked_in', 'checked_out') RETURNING version"};
inline constexpr pg::Statement folio_charge_insert{
    "folio_charge_insert",
    "INSERT INTO folio_charges (hotel_id, booking_id, description, service_date, currency, "
    "  amount_minor, posted_by) "
    "VALUES ($1::uuid, $2::uuid, $3, $4::date, $5, $6::int8, $7::uuid) "
    "RETURNING id, posted_at"};
// Invoices and credit notes as invoices_from() reads them, with their lines.
#define INVOICE_COLUMNS                                                                        \
    "SELECT i.id, i.number, i.kind, i.status, i.currency, i.total_minor, i.issued_at, "        \
    "  i.voided_at, i.credits_invoice_id, i.booking_id, "                                      \
    "  coalesce(array_agg(l.description ORDER BY l.line_no) FILTER (WHERE l.line_no IS NOT "   \
    "NULL), '{}') AS descriptions, "                                                           \
    "  coalesce(array_agg(coalesce(to_char(l.service_date, 'YYYY-MM-DD'), '') "                \
    "ORDER BY l.line_no) FILTER (WHERE l.line_no IS NOT NULL), '{}') AS dates, "               \
    "  coalesce(array_agg(l.amount_minor ORDER BY l.line_no) FILTER (WHERE l.line_no IS NOT "  \
    "NULL), '{}') AS amounts, "                                                                \
    "  coalesce(array_agg(l.kind ORDER BY l.line_no) FILTER (WHERE l.line_no IS NOT NULL), "   \
    "'{}') AS kinds "                                                                          \
    "FROM invoices i LEFT JOIN invoice_lines l ON l.hotel_id = i.hotel_id AND l.invoice_id = " \
    "i.id "
// A payment or refund on a booking's folio (migration 0019).
inline constexpr pg::Statement folio_payment_insert{
    "folio_payment_insert",
    "INSERT INTO folio_payments (hotel_id, booking_id, kind, method, currency, amount_minor, "
    "  reference, recorded_by) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::int8, $7, $8::uuid) RETURNING id, recorded_at"};
inline constexpr pg::Statement folio_payments_of{
    "folio_payments_of",
    "SELECT id, kind, method, currency, amount_minor, reference, recorded_at FROM folio_payments "
    "WHERE hotel_id = $1::uuid AND booking_id = $2::uuid ORDER BY recorded_at, id"};
// A booking's invoices and credit notes, in number order (one not numbered yet last).
inline constexpr pg::Statement booking_invoices{
    "booking_invoices", INVOICE_COLUMNS
    "WHERE i.hotel_id = $1::uuid AND i.booking_id = $2::uuid "
    "GROUP BY i.hotel_id, i.id "
    "ORDER BY i.number NULLS LAST, i.created_at"};
// A hotel's numbered invoices and credit notes issued in [$2, $3), a page of them, and how many.
inline constexpr pg::Statement hotel_invoices{
    "hotel_invoices", INVOICE_COLUMNS
    "WHERE i.hotel_id = $1::uuid AND i.number IS NOT NULL "
    "AND i.issued_at >= $2::timestamptz AND i.issued_at < $3::timestamptz "
    "GROUP BY i.hotel_id, i.id ORDER BY i.number OFFSET $4::int8 LIMIT $5::int8"};
inline constexpr pg::Statement hotel_invoices_count{
    "hotel_invoices_count",
    "SELECT count(*) FROM invoices WHERE hotel_id = $1::uuid AND number IS NOT NULL "
    "AND issued_at >= $2::timestamptz AND issued_at < $3::timestamptz"};

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

inline const std::vector<pg::Statement>& booking_statements() {
    static const std::vector<pg::Statement> list = {
        booking_context,
        booking_rates,
        room_allocate,
        catalogue_hold,
        catalogue_live,
        book_stay,
        book_stays,
        booking_nights_insert,
        invoice_insert,
        invoices_number_pending,
        invoice_numbers,
        invoice_lines_insert,
        booking_event_insert,
        idempotency_claim,
        idempotency_release,
        idempotency_lookup,
        idempotency_complete,
        idempotency_finish,
        idempotency_cleanup_batch,
        booking_by_id,
        bookings_page,
        bookings_count,
        booking_cancel,
        booking_state_of,
        booking_transition,
        booking_lock,
        room_hold,
        booking_room_move,
        booking_room_split,
        chart_stays,
        room_segments_in_range,
        housekeeping_of_room,
        housekeeping_dirty,
        booking_move,
        booking_departure,
        booking_nights_delete,
        invoices_credit,
        invoice_charges_append,
        invoice_taxes_add,
        booking_charge_version,
        folio_charge_insert,
        booking_invoices,
        folio_payment_insert,
        folio_payments_of,
        hotel_invoices,
        hotel_invoices_count,
        test_gateway_authorize,
        test_gateway_reauthorize,
        test_gateway_capture,
        test_gateway_void,
    };
    return list;
}

}  // namespace hotel::storage::sql
