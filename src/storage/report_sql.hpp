#pragma once
// SQL of the managers' reports (report_store.cpp; DOMAIN.md "Reports").
// Every statement is named and listed in report_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// Occupancy: per night of [$2, $3) of hotel $1, in order:
// - the rooms live that night: created on or before that date and not retired on or before it
//   (both read as dates in the hotel's time zone);
// - of those, the rooms out of service that night (a period not lifted whose dates hold it);
// - the nights sold (booking_nights of stays confirmed, in house or checked out) and the sum of
//   their prices.
inline constexpr pg::Statement report_occupancy{
    "report_occupancy",
    "WITH h AS (SELECT timezone FROM hotels WHERE id = $1::uuid), "
    "nights AS ("
    "  SELECT $2::date + i AS night FROM generate_series(0, $3::date - $2::date - 1) AS i), "
    "live AS ("
    "  SELECT n.night, r.id FROM nights n CROSS JOIN h "
    "  JOIN rooms r ON r.hotel_id = $1::uuid "
    "   AND (r.created_at AT TIME ZONE h.timezone)::date <= n.night "
    "   AND (r.retired_at IS NULL OR (r.retired_at AT TIME ZONE h.timezone)::date > n.night)), "
    "rooms_live AS ("
    "  SELECT l.night, count(*) AS live, "
    "         count(*) FILTER (WHERE EXISTS ("
    "           SELECT 1 FROM bookings b WHERE b.hotel_id = $1::uuid AND b.room_id = l.id "
    "           AND b.kind = 'out_of_service' AND b.status = 'confirmed' "
    "           AND b.check_in <= l.night AND b.check_out > l.night)) AS out_of_service "
    "  FROM live l GROUP BY l.night), "
    "sold AS ("
    "  SELECT bn.night, count(*) AS sold, sum(bn.amount_minor) AS revenue "
    "  FROM booking_nights bn JOIN bookings b ON b.hotel_id = bn.hotel_id AND b.id = bn.booking_id "
    "  WHERE bn.hotel_id = $1::uuid AND bn.night >= $2::date AND bn.night < $3::date "
    "  AND b.kind = 'stay' AND b.status IN ('confirmed', 'checked_in', 'checked_out') "
    "  GROUP BY bn.night) "
    "SELECT n.night, coalesce(l.live, 0)::int8, coalesce(l.out_of_service, 0)::int8, "
    "       coalesce(s.sold, 0)::int8, coalesce(s.revenue, 0)::int8 "
    "FROM nights n LEFT JOIN rooms_live l ON l.night = n.night "
    "LEFT JOIN sold s ON s.night = n.night ORDER BY n.night"};

// Pickup: per stay date of [$2, $3) of hotel $1, in order: the nights on the books and their
// prices as of $4, then now. A stay is on the books now when confirmed, in house or checked
// out; as of $4 when created by then with no cancellation or no-show recorded (booking_events)
// by then, with the nights it had then: its current nights written by then, and the nights a
// later change replaced (booking_night_history, migration 0020) written by then and replaced
// after it.
inline constexpr pg::Statement report_on_the_books{
    "report_on_the_books",
    "WITH nights AS ("
    "  SELECT $2::date + i AS night FROM generate_series(0, $3::date - $2::date - 1) AS i), "
    "stays AS ("
    "  SELECT b.hotel_id, b.id, b.created_at, "
    "         b.status IN ('confirmed', 'checked_in', 'checked_out') AS now_on, "
    "         (b.created_at <= $4::timestamptz AND NOT EXISTS ("
    "            SELECT 1 FROM booking_events e WHERE e.hotel_id = b.hotel_id "
    "            AND e.booking_id = b.id AND e.type IN ('booking.cancelled', 'booking.no_show') "
    "            AND e.at <= $4::timestamptz)) AS then_on "
    "  FROM bookings b WHERE b.hotel_id = $1::uuid AND b.kind = 'stay'), "
    "priced AS ("
    "  SELECT bn.night, bn.amount_minor, s.now_on, "
    "         s.then_on AND coalesce(bn.recorded_at, s.created_at) <= $4::timestamptz AS then_on "
    "  FROM stays s JOIN booking_nights bn ON bn.hotel_id = s.hotel_id AND bn.booking_id = s.id "
    "  WHERE bn.night >= $2::date AND bn.night < $3::date "
    "  UNION ALL "
    "  SELECT h.night, h.amount_minor, false, "
    "         s.then_on AND coalesce(h.recorded_at, s.created_at) <= $4::timestamptz "
    "         AND h.replaced_at > $4::timestamptz "
    "  FROM stays s JOIN booking_night_history h ON h.hotel_id = s.hotel_id "
    "    AND h.booking_id = s.id "
    "  WHERE h.hotel_id = $1::uuid AND h.night >= $2::date AND h.night < $3::date) "
    "SELECT n.night, "
    "       count(p.night) FILTER (WHERE p.then_on)::int8, "
    "       coalesce(sum(p.amount_minor) FILTER (WHERE p.then_on), 0)::int8, "
    "       count(p.night) FILTER (WHERE p.now_on)::int8, "
    "       coalesce(sum(p.amount_minor) FILTER (WHERE p.now_on), 0)::int8 "
    "FROM nights n LEFT JOIN priced p ON p.night = n.night GROUP BY n.night ORDER BY n.night"};

inline const std::vector<pg::Statement>& report_statements() {
    static const std::vector<pg::Statement> list = {
        report_occupancy,
        report_on_the_books,
    };
    return list;
}

}  // namespace hotel::storage::sql
