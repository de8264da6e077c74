#pragma once
// SQL of what the search index loads and how its feed waits (index_feed.cpp).
// Every statement is named and listed in index_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// The search index's loader (storage/index_feed.cpp): every hotel, then per hotel, in one
// REPEATABLE READ transaction, its catalogue (hotel_by_id, room_types_of_hotel,
// rate_plans_of_hotel), its rooms, its rates from two days ago (the earliest "today" on Earth
// is at most one day behind UTC) and its active periods that end after three days ago, with
// their bounds as microseconds since the epoch (exact: extract returns numeric).
inline constexpr pg::Statement index_hotel_ids{"index_hotel_ids", "SELECT id FROM hotels"};
// Read first in a hotel's load (migration 0013): the rows read after it are at least as new.
inline constexpr pg::Statement index_catalogue_version{
    "index_catalogue_version", "SELECT catalogue_version FROM hotels WHERE id = $1::uuid"};
inline constexpr pg::Statement index_rooms{
    "index_rooms",
    "SELECT id, room_type_id, number FROM rooms WHERE hotel_id = $1::uuid AND retired_at IS NULL"};
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

// A mark in the stream where the load ended (a logical decoding message in a transaction of its
// own, so that its commit flushes it: a non-transactional one could wait in the WAL buffers of
// a quiet database): every transaction that committed before it is streamed before it, so
// once the feed reads its own mark back, the index holds all that the load missed.
inline constexpr pg::Statement index_mark{
    "index_mark", "SELECT pg_logical_emit_message(true, 'hotel_index', $1)::text"};

inline const std::vector<pg::Statement>& index_statements() {
    static const std::vector<pg::Statement> list = {
        index_hotel_ids,   index_catalogue_version, index_rooms,
        index_rates,       index_periods,           index_transaction_running,
        index_running_now, index_still_running,     index_mark,
    };
    return list;
}

}  // namespace hotel::storage::sql
