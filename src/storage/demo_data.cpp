#include "storage/demo_data.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <map>
#include <set>
#include <stdexcept>

#include "core/catalogue_service.hpp"
#include "core/hotel_time.hpp"
#include "core/identity.hpp"
#include "core/money.hpp"
#include "storage/catalogue_store.hpp"
#include "storage/password_hash.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {

struct TypeSpec {
    const char* code;
    const char* name;
    int max_occupancy;
    int rooms;
    int first_floor;
    std::int64_t base_minor;  // weekday price of the flexible plan
    const char* description;
};

struct HotelSpec {
    const char* name;
    const char* city;
    const char* country;
    const char* timezone;
    const char* currency;
    core::TimeOfDay check_in;
    core::TimeOfDay check_out;
    std::vector<TypeSpec> types;
};

const std::vector<HotelSpec>& demo_hotels() {
    static const std::vector<HotelSpec> hotels = {
        {"Casa do Tejo",
         "Lisbon",
         "PT",
         "Europe/Lisbon",
         "EUR",
         {15, 0},
         {11, 0},
         {{"STD", "Standard Double", 2, 24, 1, 12000, "Double bed, courtyard view"},
          {"SUP", "Superior River View", 3, 16, 4, 16500, "King bed and sofa bed, river view"},
          {"STE", "Suite", 4, 10, 6, 26000, "Separate living room, balcony"}}},
        {"Hudson Yards Inn",
         "New York",
         "US",
         "America/New_York",
         "USD",
         {16, 0},
         {11, 0},
         {{"QQ", "Two Queens", 4, 30, 2, 24900, "Two queen beds"},
          {"KNG", "King Room", 2, 20, 8, 27900, "King bed, city view"},
          {"STE", "Corner Suite", 4, 10, 12, 45000, "Corner suite with skyline view"}}},
    };
    return hotels;
}

template <class T>
T ok_or_throw(core::CatalogueResult<T> r, const std::string& what) {
    if (!r)
        throw std::runtime_error("demo data: " + what + ": " + r.error().message);
    return std::move(r).value();
}

asio::awaitable<DemoSummary> load(core::CatalogueService& catalogue, const core::Caller& admin,
                                  std::map<std::string, std::string> existing_hotels) {
    DemoSummary summary;
    for (const auto& spec : demo_hotels()) {
        std::string hotel_id;
        if (auto it = existing_hotels.find(spec.name); it != existing_hotels.end()) {
            hotel_id = it->second;
        } else {
            core::HotelInput in{spec.name,     spec.city,     spec.country,  spec.timezone,
                                spec.currency, spec.check_in, spec.check_out};
            auto created = co_await catalogue.create_hotel(admin, std::move(in));
            hotel_id = ok_or_throw(std::move(created), "hotel").id;
            ++summary.hotels_created;
        }
        ++summary.hotels;

        auto listed_types = co_await catalogue.room_types(hotel_id);
        std::map<std::string, std::string> types;
        for (const auto& t : ok_or_throw(std::move(listed_types), "room types"))
            types[t.code] = t.id;
        auto listed_rooms = co_await catalogue.rooms(admin, hotel_id);
        std::set<std::string> numbers;
        for (const auto& r : ok_or_throw(std::move(listed_rooms), "rooms"))
            numbers.insert(r.number);
        auto listed_plans = co_await catalogue.rate_plans(hotel_id);
        std::map<std::string, std::string> plans;
        for (const auto& p : ok_or_throw(std::move(listed_plans), "rate plans"))
            plans[p.code] = p.id;

        for (const auto& [code, name, refundable, hours, penalty] :
             {std::tuple{"FLEX", "Flexible", true, 48, "first_night"},
              std::tuple{"NRF", "Non-refundable", false, 0, ""}}) {
            if (plans.count(code))
                continue;
            core::RatePlanInput in{code, name, refundable, std::nullopt, std::nullopt};
            if (refundable) {
                in.free_cancellation_hours = hours;
                in.penalty = penalty;
            }
            auto created = co_await catalogue.create_rate_plan(admin, hotel_id, std::move(in));
            plans[code] = ok_or_throw(std::move(created), "rate plan").id;
        }

        const auto currency = *core::Currency::of(spec.currency);
        const auto clock = *core::HotelClock::for_zone(spec.timezone);
        const auto today = clock.date_at(
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
        for (const auto& t : spec.types) {
            if (!types.count(t.code)) {
                core::RoomTypeInput in{t.code, t.name, t.max_occupancy, std::string(t.description)};
                auto created = co_await catalogue.create_room_type(admin, hotel_id, std::move(in));
                types[t.code] = ok_or_throw(std::move(created), "room type").id;
            }
            // Rooms: floor f holds f01, f02, ... ten to a floor.
            for (int n = 1; n <= t.rooms; ++n) {
                const int floor = t.first_floor + (n - 1) / 10;
                const std::string number = std::to_string(floor * 100 + 1 + (n - 1) % 10);
                if (numbers.count(number))
                    continue;
                core::RoomInput in{number, types[t.code], floor};
                auto created = co_await catalogue.create_room(admin, hotel_id, std::move(in));
                ok_or_throw(std::move(created), "room " + number);
                numbers.insert(number);
            }
            // A year of prices from the hotel's today: the flexible plan at the base price, the
            // non-refundable one 10% cheaper, Friday and Saturday nights 25% more.
            for (const auto& [plan_code, percent] :
                 {std::pair{"FLEX", 100}, std::pair{"NRF", 90}}) {
                for (const bool weekend : {false, true}) {
                    const std::int64_t minor =
                        t.base_minor * (weekend ? 125 : 100) * percent / 10000;
                    core::RatesUpdate u;
                    u.room_type_id = types[t.code];
                    u.rate_plan_id = plans[plan_code];
                    u.from = today;
                    u.to = core::add_days(today, 365);
                    if (weekend)
                        u.weekdays = {5, 6};
                    u.price = core::Patch<std::string>::set(core::Money{minor, currency}.amount());
                    u.min_stay = core::Patch<int>::set(1);
                    auto written = co_await catalogue.set_rates(admin, hotel_id, std::move(u));
                    summary.rate_days_written += ok_or_throw(std::move(written), "rates");
                }
            }
        }
        summary.rooms += static_cast<int>(numbers.size());
    }
    co_return summary;
}

}  // namespace

namespace {
constexpr const char* kDemoGuests[] = {"Ana Ribeiro", "Tom Becker",   "Mei Lin",     "Omar Haddad",
                                       "Sofia Rossi", "Liam Walsh",   "Aiko Tanaka", "Lucas Silva",
                                       "Emma Dubois", "Noah Fischer", "Zara Khan",   "Ivan Petrov"};
}  // namespace

int load_demo_stays(const std::string& conninfo, const std::string& admin_email) {
    auto db = pg::BlockingConnection::open(conninfo, "hoteld:demo-data");
    auto admin = db.query("SELECT id FROM users WHERE email = $1 AND role = 'admin'",
                          {core::normalize_email(admin_email)});
    if (admin.empty())
        throw std::runtime_error("demo stays: no admin " + admin_email);
    const std::string actor(admin.text(0, 0));
    int written = 0;
    for (const auto& spec : demo_hotels()) {
        auto hotel = db.query(
            "SELECT h.id, p.id, (SELECT count(*) FROM bookings b WHERE b.hotel_id = h.id "
            "  AND b.kind = 'stay') FROM hotels h JOIN rate_plans p ON p.hotel_id = h.id "
            "  AND p.code = 'FLEX' AND p.retired_at IS NULL "
            "WHERE h.name = $1 AND h.city = $2 ORDER BY h.created_at LIMIT 1",
            {std::string(spec.name), std::string(spec.city)});
        if (hotel.empty() || hotel.text(0, 2) != "0")
            continue;  // not loaded, or it has stays already
        const std::string hotel_id(hotel.text(0, 0));
        const std::string plan_id(hotel.text(0, 1));
        const auto clock = *core::HotelClock::for_zone(spec.timezone);
        const auto today = clock.date_at(
            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
        std::map<std::string, std::string> type_ids;  // by code, live ones
        for (const auto& t : spec.types) {
            auto row = db.query(
                "SELECT id FROM room_types WHERE hotel_id = $1::uuid AND code = $2 "
                "AND retired_at IS NULL",
                {hotel_id, std::string(t.code)});
            if (!row.empty())
                type_ids[t.code] = std::string(row.text(0, 0));
        }
        for (int i = 0; i < 36; ++i) {
            const auto& type = spec.types[static_cast<std::size_t>(i) % spec.types.size()];
            const int offset = (i * 5) % 17 - 3;  // from three days ago to 13 days ahead
            const int nights = 1 + (i * 7) % 4;
            const auto check_in = core::add_days(today, offset);
            const auto check_out = core::add_days(check_in, nights);
            const auto found = type_ids.find(type.code);
            if (found == type_ids.end())
                continue;
            const std::string& type_id = found->second;
            // The nights' prices (days before today have none: they take today's).
            std::string nights_text = "{", amounts_text = "{";
            std::int64_t total = 0;
            for (int n = 0; n < nights; ++n) {
                const auto night = core::add_days(check_in, n);
                auto price = db.query(
                    "SELECT coalesce((SELECT price_minor FROM daily_rates WHERE hotel_id = "
                    "$1::uuid AND room_type_id = $2::uuid AND rate_plan_id = $3::uuid AND date = "
                    "$4::date), $5::int8)",
                    {hotel_id, type_id, plan_id, core::format_date(std::max(night, today)),
                     std::to_string(type.base_minor)});
                const auto amount = std::stoll(std::string(price.text(0, 0)));
                total += amount;
                nights_text += (n ? "," : "") + core::format_date(night);
                amounts_text += (n ? "," : "") + std::to_string(amount);
            }
            nights_text += "}";
            amounts_text += "}";
            const auto starts = clock.instant_of(check_in, spec.check_in);
            const auto ends = clock.instant_of(check_out, spec.check_out);
            const auto free_until = starts - std::chrono::hours(48);
            const std::string name = kDemoGuests[static_cast<std::size_t>(i) % 12];
            auto booked = db.query(
                "SELECT o_outcome, o_booking FROM book_stay($1::uuid, $2::uuid, $3::uuid, NULL, "
                "$4, 2, $5::date, $6::date, $7::timestamptz, $8::timestamptz, $9, $10::int8, "
                "$11::timestamptz, 'first_night', NULL, NULL, NULL, $12::uuid, $13::date[], "
                "$14::int8[], NULL, NULL, $15, NULL)",
                {hotel_id, type_id, plan_id, name, core::format_date(check_in),
                 core::format_date(check_out), core::format_instant(starts),
                 core::format_instant(ends), std::string(spec.currency), std::to_string(total),
                 core::format_instant(free_until), actor, nights_text, amounts_text,
                 std::string("guest@example.com")});
            if (booked.empty() || booked.text(0, 0) != "booked")
                continue;  // the type is full then
            ++written;
            if (offset < 0) {
                // Arrived before today: in the house.
                const std::string id(booked.text(0, 1));
                db.query(
                    "WITH b AS (UPDATE bookings SET status = 'checked_in', "
                    "  checked_in_at = lower(period), version = version + 1 "
                    "  WHERE id = $1::uuid RETURNING hotel_id, id, version) "
                    "INSERT INTO booking_events (hotel_id, booking_id, type, actor_id, version, "
                    "  payload) SELECT hotel_id, id, 'booking.checked_in', $2::uuid, version, "
                    "  '{}'::jsonb FROM b",
                    {id, actor});
            }
        }
    }
    return written;
}

bool create_admin(pg::BlockingConnection& db, const std::string& email, const std::string& password,
                  const std::string& name) {
    const std::string normalised = core::normalize_email(email);
    auto existing = db.query("SELECT 1 FROM users WHERE email = $1", {normalised});
    if (existing.size() > 0)
        return false;
    auto inserted = db.query(
        "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, 'admin') "
        "ON CONFLICT (email) DO NOTHING",
        {normalised, name, hash_password(password)});
    return inserted.affected() == 1;
}

DemoSummary load_demo_data(const std::string& conninfo, const std::string& admin_email,
                           const std::string& admin_password) {
    auto db = pg::BlockingConnection::open(conninfo, "hoteld:demo-data");
    const bool admin_created = create_admin(db, admin_email, admin_password, "Demo Admin");
    auto admin_row = db.query("SELECT id, role FROM users WHERE email = $1",
                              {core::normalize_email(admin_email)});
    if (admin_row.empty() || admin_row.text(0, 1) != "admin")
        throw std::runtime_error("demo data: " + admin_email + " exists but is not an admin");
    const core::Caller admin{std::string(admin_row.text(0, 0)), core::Role::admin, {}};

    // Demo hotels are recognised by name and city: a second run finds them again.
    std::map<std::string, std::string> existing;
    for (const auto& spec : demo_hotels()) {
        auto found = db.query(
            "SELECT id FROM hotels WHERE name = $1 AND city = $2 ORDER BY created_at LIMIT 1",
            {std::string(spec.name), std::string(spec.city)});
        if (!found.empty())
            existing[spec.name] = std::string(found.text(0, 0));
    }

    asio::io_context ioc(1);
    pg::PoolOptions options;
    options.connect.conninfo = conninfo;
    options.connect.application_name = "hoteld:demo-data";
    options.max_size = 2;
    options.query_timeout = std::chrono::seconds(60);
    auto pool = pg::Pool::create(ioc.get_executor(), options);
    PgCatalogueStore store(pool);
    core::CatalogueService catalogue(store);
    auto future =
        asio::co_spawn(ioc, load(catalogue, admin, std::move(existing)), asio::use_future);
    ioc.run();
    DemoSummary summary = future.get();
    summary.admin_created = admin_created;
    return summary;
}

}  // namespace hotel::storage
