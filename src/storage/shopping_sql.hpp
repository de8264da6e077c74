#pragma once
// SQL of the city search, offers and destinations on SQL (shopping_store.cpp).
// Every statement is named and listed in shopping_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// --- shopping -----------------------------------------------------------------------------------
inline constexpr pg::Statement city_hotels{
    "city_hotels",
    "SELECT id, name, city, country, timezone, currency, "
    "       to_char(check_in_time, 'HH24:MI') AS check_in_time, "
    "       to_char(check_out_time, 'HH24:MI') AS check_out_time "
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
//    has a price and no restriction is violated; the total adds the plan's price per night for
//    each guest beyond those its rates are for (core::Occupancy, migration 0022).
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
    "         (sum(r.price_minor) FILTER (WHERE r.date < $5::date) "
    "          + $6::int4 * max(greatest($7::int4 - p.included_guests, 0) * p.extra_guest_minor)"
    "         )::int8 AS total "
    "  FROM rates r "
    "  JOIN room_types t ON t.hotel_id = r.hotel_id AND t.id = r.room_type_id AND t.max_occupancy "
    ">= $7::int4 AND t.retired_at IS NULL "
    "  JOIN rate_plans p ON p.hotel_id = r.hotel_id AND p.id = r.rate_plan_id "
    "       AND p.retired_at IS NULL "
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
    "= u.type_id AND rm.retired_at IS NULL "
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
    "     AND rm.retired_at IS NULL "
    "WHERE t.hotel_id = $1::uuid AND t.retired_at IS NULL GROUP BY t.id, t.code, t.name, "
    "t.max_occupancy ORDER BY t.code"};
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

inline const std::vector<pg::Statement>& shopping_statements() {
    static const std::vector<pg::Statement> list = {
        city_hotels, hotel_search, room_types_free, hotel_rates_for_stay, destinations_by_prefix,
    };
    return list;
}

}  // namespace hotel::storage::sql
