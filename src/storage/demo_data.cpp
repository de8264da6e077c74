#include "storage/demo_data.hpp"

#include <algorithm>
#include <cctype>

#include "storage/password_hash.hpp"

namespace hotel::storage {
namespace {

// Demo ids are derived from fixed names (md5 → uuid), so every run addresses the same rows.
constexpr const char* kDemoCatalogue = R"sql(
INSERT INTO hotels (id, name, city, country, timezone, currency, check_in_time, check_out_time)
VALUES (md5('demo:hotel:lisbon')::uuid, 'Casa do Tejo', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR',
        '15:00', '11:00'),
       (md5('demo:hotel:new-york')::uuid, 'Hudson Yards Inn', 'New York', 'US',
        'America/New_York', 'USD', '16:00', '11:00')
ON CONFLICT (id) DO NOTHING;

INSERT INTO invoice_counters (hotel_id)
SELECT id FROM hotels WHERE id IN (md5('demo:hotel:lisbon')::uuid, md5('demo:hotel:new-york')::uuid)
ON CONFLICT (hotel_id) DO NOTHING;

WITH t(hotel, code, name, max_occupancy, rooms, first_floor, description) AS (
  VALUES ('lisbon', 'STD', 'Standard Double', 2, 24, 1, 'Double bed, courtyard view'),
         ('lisbon', 'SUP', 'Superior River View', 3, 16, 4, 'King bed and sofa bed, river view'),
         ('lisbon', 'STE', 'Suite', 4, 10, 6, 'Separate living room, balcony'),
         ('new-york', 'QQ', 'Two Queens', 4, 30, 2, 'Two queen beds'),
         ('new-york', 'KNG', 'King Room', 2, 20, 8, 'King bed, city view'),
         ('new-york', 'STE', 'Corner Suite', 4, 10, 12, 'Corner suite with skyline view'))
INSERT INTO room_types (hotel_id, id, code, name, max_occupancy, description)
SELECT md5('demo:hotel:' || hotel)::uuid, md5('demo:type:' || hotel || ':' || code)::uuid,
       code, name, max_occupancy, description
FROM t
ON CONFLICT (hotel_id, id) DO NOTHING;

-- Rooms: floor f, numbers f01, f02, ... ten to a floor.
WITH t(hotel, code, rooms, first_floor) AS (
  VALUES ('lisbon', 'STD', 24, 1), ('lisbon', 'SUP', 16, 4), ('lisbon', 'STE', 10, 6),
         ('new-york', 'QQ', 30, 2), ('new-york', 'KNG', 20, 8), ('new-york', 'STE', 10, 12))
INSERT INTO rooms (hotel_id, id, room_type_id, number, floor)
SELECT md5('demo:hotel:' || hotel)::uuid,
       md5('demo:room:' || hotel || ':' || code || ':' || n)::uuid,
       md5('demo:type:' || hotel || ':' || code)::uuid,
       ((first_floor + (n - 1) / 10) * 100 + 1 + (n - 1) % 10)::text,
       first_floor + (n - 1) / 10
FROM t, generate_series(1, rooms) AS n
ON CONFLICT (hotel_id, id) DO NOTHING;

WITH p(code, name, refundable, hours, penalty) AS (
  VALUES ('FLEX', 'Flexible', true, 48, 'first_night'),
         ('NRF', 'Non-refundable', false, NULL::int, NULL::text))
INSERT INTO rate_plans (hotel_id, id, code, name, refundable, free_cancellation_hours, penalty)
SELECT md5('demo:hotel:' || h)::uuid, md5('demo:plan:' || h || ':' || code)::uuid,
       code, name, refundable, hours, penalty
FROM p, (VALUES ('lisbon'), ('new-york')) AS hs(h)
ON CONFLICT (hotel_id, id) DO NOTHING;
)sql";

// A year of prices from today in each hotel's own zone. Friday and Saturday nights cost 25%
// more; the non-refundable plan is 10% cheaper. All arithmetic is in integer minor units.
constexpr const char* kDemoRates = R"sql(
WITH base(hotel, code, price_minor) AS (
  VALUES ('lisbon', 'STD', 12000), ('lisbon', 'SUP', 16500), ('lisbon', 'STE', 26000),
         ('new-york', 'QQ', 24900), ('new-york', 'KNG', 27900), ('new-york', 'STE', 45000)),
plan(code, percent) AS (VALUES ('FLEX', 100), ('NRF', 90)),
days AS (
  SELECT b.hotel, b.code, b.price_minor, d::date AS date
  FROM base b
  JOIN hotels h ON h.id = md5('demo:hotel:' || b.hotel)::uuid,
  generate_series((now() AT TIME ZONE h.timezone)::date,
                  (now() AT TIME ZONE h.timezone)::date + 364, interval '1 day') AS d)
INSERT INTO daily_rates (hotel_id, room_type_id, rate_plan_id, date, price_minor, min_stay)
SELECT md5('demo:hotel:' || days.hotel)::uuid,
       md5('demo:type:' || days.hotel || ':' || days.code)::uuid,
       md5('demo:plan:' || days.hotel || ':' || plan.code)::uuid,
       days.date,
       (days.price_minor
          * (CASE WHEN extract(isodow FROM days.date) IN (5, 6) THEN 125 ELSE 100 END)
          * plan.percent) / 10000,
       1
FROM days, plan
ON CONFLICT (hotel_id, room_type_id, rate_plan_id, date) DO NOTHING
)sql";

std::string normalise_email(std::string email) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    email.erase(email.begin(), std::find_if(email.begin(), email.end(), not_space));
    email.erase(std::find_if(email.rbegin(), email.rend(), not_space).base(), email.end());
    std::transform(email.begin(), email.end(), email.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return email;
}

}  // namespace

bool create_admin(pg::BlockingConnection& db, const std::string& email,
                  const std::string& password, const std::string& name) {
    const std::string normalised = normalise_email(email);
    auto existing = db.query("SELECT 1 FROM users WHERE email = $1", {normalised});
    if (existing.size() > 0) return false;
    auto inserted = db.query(
        "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, 'admin') "
        "ON CONFLICT (email) DO NOTHING",
        {normalised, name, hash_password(password)});
    return inserted.affected() == 1;
}

DemoSummary load_demo_data(pg::BlockingConnection& db, const std::string& admin_email,
                           const std::string& admin_password) {
    DemoSummary summary;
    db.query("BEGIN");
    try {
        db.run_script(kDemoCatalogue);
        auto rates = db.query(pg::Sql(kDemoRates));
        summary.rate_days_added = rates.affected();
        summary.admin_created = create_admin(db, admin_email, admin_password, "Demo Admin");
        db.query("COMMIT");
    } catch (...) {
        try {
            db.query("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    auto counts = db.query(
        "SELECT (SELECT count(*) FROM hotels WHERE id IN (md5('demo:hotel:lisbon')::uuid, "
        "md5('demo:hotel:new-york')::uuid)), (SELECT count(*) FROM rooms WHERE hotel_id IN "
        "(md5('demo:hotel:lisbon')::uuid, md5('demo:hotel:new-york')::uuid))");
    summary.hotels = std::stoi(std::string(counts.text(0, 0)));
    summary.rooms = std::stoi(std::string(counts.text(0, 1)));
    return summary;
}

}  // namespace hotel::storage
