#pragma once
// SQL of hotels, room types, rooms, rate plans, rates and availability (catalogue_store.cpp).
// Every statement is named and listed in catalogue_statements() below: connections prepare them
// on first use, and tests/db prepares every listed one against the migrated schema (and fails
// on a statement defined here but not listed).

#include <vector>

#include "pg/statement.hpp"

namespace hotel::storage::sql {

// --- catalogue --------------------------------------------------------------------------------
// A hotel as hotel_from() reads it, by these names.
#define HOTEL_COLUMNS                                      \
    "id, name, city, country, timezone, currency, "        \
    "to_char(check_in_time, 'HH24:MI') AS check_in_time, " \
    "to_char(check_out_time, 'HH24:MI') AS check_out_time"
inline constexpr pg::Statement hotel_insert{
    "hotel_insert",
    "WITH h AS (INSERT INTO hotels (name, city, country, timezone, currency, check_in_time, "
    "check_out_time) VALUES ($1, $2, $3, $4, $5, $6::time, $7::time) RETURNING " HOTEL_COLUMNS
    "), "
    "c AS (INSERT INTO invoice_counters (hotel_id) SELECT id FROM h) "
    "SELECT * FROM h"};
inline constexpr pg::Statement hotel_by_id{
    "hotel_by_id", "SELECT " HOTEL_COLUMNS " FROM hotels WHERE id = $1::uuid"};
// Every hotel, by name: the listing of GET /v1/hotels without a city. $1 offset, $2 limit.
inline constexpr pg::Statement hotels_page{
    "hotels_page",
    "SELECT " HOTEL_COLUMNS " FROM hotels ORDER BY name, id OFFSET $1::int8 LIMIT $2::int8"};
inline constexpr pg::Statement hotels_count{"hotels_count", "SELECT count(*) FROM hotels"};
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
    "VALUES ($1::uuid, $2, $3, $4::int, $5) "
    "ON CONFLICT (hotel_id, code) WHERE retired_at IS NULL DO NOTHING RETURNING id"};
inline constexpr pg::Statement room_types_of_hotel{
    "room_types_of_hotel",
    "SELECT id, code, name, max_occupancy, description FROM room_types "
    "WHERE hotel_id = $1::uuid AND retired_at IS NULL ORDER BY code"};
inline constexpr pg::Statement room_insert{
    "room_insert",
    "INSERT INTO rooms (hotel_id, room_type_id, number, floor) "
    "SELECT t.hotel_id, t.id, $3, $4::int FROM room_types t "
    "WHERE t.hotel_id = $1::uuid AND t.id = $2::uuid AND t.retired_at IS NULL FOR SHARE OF t "
    "ON CONFLICT (hotel_id, number) WHERE retired_at IS NULL DO NOTHING RETURNING id"};
// Whether a room type is live (a room insert that wrote nothing: unknown type, or duplicate).
inline constexpr pg::Statement room_type_live{
    "room_type_live",
    "SELECT EXISTS (SELECT 1 FROM room_types WHERE hotel_id = $1::uuid AND id = $2::uuid "
    "AND retired_at IS NULL)"};
inline constexpr pg::Statement rooms_of_hotel{"rooms_of_hotel",
                                              "SELECT id, room_type_id, number, floor FROM rooms "
                                              "WHERE hotel_id = $1::uuid AND retired_at IS NULL "
                                              "ORDER BY floor NULLS FIRST, length(number), number"};
// A plan's pricing terms (migration 0022), as RatePlanColumns reads them.
#define RATE_PLAN_TERMS                                                                        \
    "included_guests, extra_guest_minor, inclusion_names, inclusion_amounts, parent_plan_id, " \
    "adjustment_bp"
inline constexpr pg::Statement rate_plan_insert{
    "rate_plan_insert",
    "INSERT INTO rate_plans (hotel_id, code, name, refundable, free_cancellation_hours, penalty, "
    "  " RATE_PLAN_TERMS
    ") "
    "VALUES ($1::uuid, $2, $3, $4::bool, $5::int, $6, $7::int4, $8::int8, $9::text[], "
    "  $10::int8[], $11::uuid, $12::int4) "
    "ON CONFLICT (hotel_id, code) WHERE retired_at IS NULL DO NOTHING RETURNING id"};
inline constexpr pg::Statement rate_plans_of_hotel{
    "rate_plans_of_hotel",
    "SELECT id, code, name, refundable, free_cancellation_hours, penalty, " RATE_PLAN_TERMS
    " FROM rate_plans WHERE hotel_id = $1::uuid AND retired_at IS NULL ORDER BY code"};

#undef RATE_PLAN_TERMS

// Derived plans (migration 0022). A write of a plan's rates, a plan becoming derived and a
// plan's retirement first lock the plan whose rates are followed (FOR NO KEY UPDATE: bookings'
// foreign-key checks on it still pass), so a derived plan never misses its parent's change.
inline constexpr pg::Statement rate_plan_lock{
    "rate_plan_lock",
    "SELECT parent_plan_id, adjustment_bp, retired_at IS NULL AS live FROM rate_plans "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid FOR NO KEY UPDATE"};
inline constexpr pg::Statement rate_plan_children{
    "rate_plan_children",
    "SELECT id, adjustment_bp FROM rate_plans "
    "WHERE hotel_id = $1::uuid AND parent_plan_id = $2::uuid AND retired_at IS NULL ORDER BY id"};
inline constexpr pg::Statement plan_rates{
    "plan_rates",
    "SELECT room_type_id, rate_plan_id, date, price_minor, min_stay, max_stay, "
    "       closed_to_arrival, closed_to_departure, stop_sell "
    "FROM daily_rates WHERE hotel_id = $1::uuid AND rate_plan_id = $2::uuid"};
inline constexpr pg::Statement plan_rates_delete{
    "plan_rates_delete",
    "DELETE FROM daily_rates WHERE hotel_id = $1::uuid AND rate_plan_id = $2::uuid"};
// A derived plan's days, whole rows as core::derived_rate made them from its parent's.
inline constexpr pg::Statement derived_rates_upsert{
    "derived_rates_upsert",
    "INSERT INTO daily_rates AS r (hotel_id, room_type_id, rate_plan_id, date, price_minor, "
    "  min_stay, max_stay, closed_to_arrival, closed_to_departure, stop_sell) "
    "SELECT $1::uuid, t, $2::uuid, d, p, mn, mx, cta, ctd, ss "
    "FROM unnest($3::uuid[], $4::date[], $5::int8[], $6::int4[], $7::int4[], $8::bool[], "
    "  $9::bool[], $10::bool[]) AS u(t, d, p, mn, mx, cta, ctd, ss) "
    "ON CONFLICT (hotel_id, room_type_id, rate_plan_id, date) DO UPDATE SET "
    "  price_minor = EXCLUDED.price_minor, min_stay = EXCLUDED.min_stay, "
    "  max_stay = EXCLUDED.max_stay, closed_to_arrival = EXCLUDED.closed_to_arrival, "
    "  closed_to_departure = EXCLUDED.closed_to_departure, stop_sell = EXCLUDED.stop_sell, "
    "  updated_at = now()"};

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
    "  stop_sell = coalesce($15::bool, r.stop_sell), updated_at = now() "
    "RETURNING room_type_id, rate_plan_id, date, price_minor, min_stay, max_stay, "
    "  closed_to_arrival, closed_to_departure, stop_sell"};
inline constexpr pg::Statement rate_targets_exist{
    "rate_targets_exist",
    "SELECT EXISTS (SELECT 1 FROM room_types WHERE hotel_id = $1::uuid AND id = $2::uuid "
    "               AND retired_at IS NULL) AS type_live, "
    "       EXISTS (SELECT 1 FROM rate_plans WHERE hotel_id = $1::uuid AND id = $3::uuid "
    "               AND retired_at IS NULL) AS plan_live"};
inline constexpr pg::Statement rates_in_range{
    "rates_in_range",
    "SELECT d::date AS date, r.price_minor, r.min_stay, r.max_stay, "
    "       coalesce(r.closed_to_arrival, false) AS closed_to_arrival, "
    "       coalesce(r.closed_to_departure, false) AS closed_to_departure, "
    "       coalesce(r.stop_sell, false) AS stop_sell "
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
    "FROM rooms r WHERE r.hotel_id = $1::uuid AND r.id = $2::uuid AND r.retired_at IS NULL "
    "RETURNING id"};

// --- maintenance (migration 0014) ---------------------------------------------------------------
inline constexpr pg::Statement room_type_update{
    "room_type_update",
    "UPDATE room_types SET code = $3, name = $4, max_occupancy = $5::int, description = $6 "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND retired_at IS NULL RETURNING id"};
inline constexpr pg::Statement rate_plan_update{
    "rate_plan_update",
    "UPDATE rate_plans SET code = $3, name = $4, refundable = $5::bool, "
    "  free_cancellation_hours = $6::int, penalty = $7, included_guests = $8::int4, "
    "  extra_guest_minor = $9::int8, inclusion_names = $10::text[], "
    "  inclusion_amounts = $11::int8[], parent_plan_id = $12::uuid, adjustment_bp = $13::int4 "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND retired_at IS NULL RETURNING id"};
// Retires a room type ($2) or a rate plan ($3), unless stays hold it.
inline constexpr pg::Statement catalogue_item_retire{
    "catalogue_item_retire",
    "SELECT o_outcome, o_booking, o_check_in, o_check_out "
    "FROM retire_catalogue_item($1::uuid, $2::uuid, $3::uuid)"};
inline constexpr pg::Statement room_change{
    "room_change",
    "SELECT o_outcome, o_booking, o_check_in, o_check_out "
    "FROM change_room($1::uuid, $2::uuid, $3, $4::bool, $5::int, $6::uuid, $7::bool)"};
inline constexpr pg::Statement room_by_id{
    "room_by_id",
    "SELECT id, room_type_id, number, floor FROM rooms "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND retired_at IS NULL"};

// Periods out of service (rows of bookings, see out_of_service_insert), not lifted.
#define HOTEL_OOS_COLUMNS "id, room_id, check_in, check_out, reason "
inline constexpr pg::Statement out_of_service_of_hotel{
    "out_of_service_of_hotel",
    "SELECT " HOTEL_OOS_COLUMNS
    "FROM bookings "
    "WHERE hotel_id = $1::uuid AND kind = 'out_of_service' AND status = 'confirmed' "
    "  AND check_in < $3::date AND check_out > $2::date "
    "  AND ($4::uuid IS NULL OR room_id = $4::uuid) "
    "ORDER BY check_in, room_id, id"};
inline constexpr pg::Statement out_of_service_by_id{
    "out_of_service_by_id",
    "SELECT " HOTEL_OOS_COLUMNS
    "FROM bookings "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND kind = 'out_of_service' "
    "  AND status = 'confirmed'"};
// New dates: the exclusion constraint guards the new period as it guarded the first.
inline constexpr pg::Statement out_of_service_update{
    "out_of_service_update",
    "UPDATE bookings SET check_in = $3::date, check_out = $4::date, "
    "  period = tstzrange($5::timestamptz, $6::timestamptz, '[)'), reason = $7, "
    "  version = version + 1, updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND kind = 'out_of_service' "
    "  AND status = 'confirmed' RETURNING " HOTEL_OOS_COLUMNS};
// Lifted: kept as cancelled (history), no longer blocking the room.
inline constexpr pg::Statement out_of_service_lift{
    "out_of_service_lift",
    "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), version = version + 1, "
    "  updated_at = now() "
    "WHERE hotel_id = $1::uuid AND id = $2::uuid AND kind = 'out_of_service' "
    "  AND status = 'confirmed' RETURNING id"};
#undef HOTEL_OOS_COLUMNS

// Housekeeping (migration 0015): every live room, its state (none: clean), whether a guest is in.
inline constexpr pg::Statement housekeeping_of_hotel{
    "housekeeping_of_hotel",
    "SELECT r.id, r.number, r.floor, r.room_type_id, coalesce(h.status, 'clean') AS status, "
    "       extract(epoch FROM h.updated_at)::int8 AS updated_epoch, "
    "       EXISTS (SELECT 1 FROM bookings b WHERE b.hotel_id = r.hotel_id AND b.room_id = r.id "
    "               AND b.status = 'checked_in') AS occupied "
    "FROM rooms r LEFT JOIN room_housekeeping h ON h.hotel_id = r.hotel_id AND h.room_id = r.id "
    "WHERE r.hotel_id = $1::uuid AND r.retired_at IS NULL "
    "ORDER BY r.floor NULLS FIRST, length(r.number), r.number"};
inline constexpr pg::Statement housekeeping_set{
    "housekeeping_set",
    "WITH room AS (SELECT hotel_id, id FROM rooms "
    "              WHERE hotel_id = $1::uuid AND id = $2::uuid AND retired_at IS NULL) "
    "INSERT INTO room_housekeeping (hotel_id, room_id, status, updated_by) "
    "SELECT hotel_id, id, $3, $4::uuid FROM room "
    "ON CONFLICT (hotel_id, room_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now(), "
    "  updated_by = EXCLUDED.updated_by "
    "RETURNING room_id"};

// Per room type and night of [$2, $3): rooms, active stays, rooms out of service.
inline constexpr pg::Statement availability_by_type{
    "availability_by_type",
    "WITH days AS (SELECT d::date AS date FROM generate_series($2::date, $3::date - 1, "
    "              interval '1 day') AS d), "
    "     totals AS (SELECT t.id, count(r.id)::int4 AS total FROM room_types t "
    "                LEFT JOIN rooms r ON r.hotel_id = t.hotel_id AND r.room_type_id = t.id "
    "                     AND r.retired_at IS NULL "
    "                WHERE t.hotel_id = $1::uuid AND t.retired_at IS NULL GROUP BY t.id), "
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
    "SELECT totals.id, days.date, totals.total, coalesce(held.booked, 0) AS booked, "
    "       coalesce(held.oos, 0) AS oos "
    "FROM totals CROSS JOIN days "
    "LEFT JOIN held ON held.room_type_id = totals.id AND held.date = days.date "
    "ORDER BY totals.id, days.date"};

// A hotel's tax settings (migration 0021), and new ones.
inline constexpr pg::Statement hotel_taxes_of{
    "hotel_taxes_of",
    "SELECT to_char(vat_percent, 'FM90.00') AS vat_percent, city_tax_minor FROM hotel_taxes "
    "WHERE hotel_id = $1::uuid"};
inline constexpr pg::Statement hotel_taxes_set{
    "hotel_taxes_set",
    "INSERT INTO hotel_taxes (hotel_id, vat_percent, city_tax_minor, updated_by) "
    "VALUES ($1::uuid, $2::numeric, $3::int8, $4::uuid) "
    "ON CONFLICT (hotel_id) DO UPDATE SET vat_percent = EXCLUDED.vat_percent, "
    "  city_tax_minor = EXCLUDED.city_tax_minor, updated_by = EXCLUDED.updated_by, "
    "  updated_at = now()"};

inline const std::vector<pg::Statement>& catalogue_statements() {
    static const std::vector<pg::Statement> list = {
        hotel_insert,
        hotel_by_id,
        hotels_page,
        hotels_count,
        hotel_update,
        hotel_has_money,
        room_type_insert,
        room_types_of_hotel,
        room_insert,
        rooms_of_hotel,
        rate_plan_insert,
        rate_plans_of_hotel,
        rates_upsert,
        rate_targets_exist,
        rates_in_range,
        out_of_service_insert,
        availability_by_type,
        room_type_live,
        room_type_update,
        rate_plan_update,
        catalogue_item_retire,
        room_change,
        room_by_id,
        out_of_service_of_hotel,
        out_of_service_by_id,
        out_of_service_update,
        out_of_service_lift,
        housekeeping_of_hotel,
        housekeeping_set,
        hotel_taxes_of,
        hotel_taxes_set,
        rate_plan_lock,
        rate_plan_children,
        plan_rates,
        plan_rates_delete,
        derived_rates_upsert,
    };
    return list;
}

}  // namespace hotel::storage::sql
