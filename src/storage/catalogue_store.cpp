#include "storage/catalogue_store.hpp"

#include "pg/error.hpp"
#include "storage/catalogue_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;
using core::StoreError;

core::Hotel hotel_from(const pg::Rows& rows, int i) {
    auto [id, name, city, country, tz, currency, in, out] =
        rows.row<pg::Uuid, std::string, std::string, std::string, std::string, std::string,
                 std::string, std::string>(i);
    core::Hotel h;
    h.id = std::move(id.text);
    h.name = std::move(name);
    h.city = std::move(city);
    h.country = std::move(country);
    h.timezone = std::move(tz);
    h.currency = std::move(currency);
    h.check_in_time = core::parse_time_of_day(in).value_or(core::TimeOfDay{15, 0});
    h.check_out_time = core::parse_time_of_day(out).value_or(core::TimeOfDay{11, 0});
    return h;
}

core::DailyRate daily_rate_from(const pg::Rows& rows, int i, int first) {
    core::DailyRate r;
    r.date = rows.get_as<core::Date>(i, first);
    r.price_minor = rows.get_as<std::optional<std::int64_t>>(i, first + 1);
    r.min_stay = rows.get_as<std::optional<std::int32_t>>(i, first + 2);
    r.max_stay = rows.get_as<std::optional<std::int32_t>>(i, first + 3);
    r.closed_to_arrival = rows.get_as<bool>(i, first + 4);
    r.closed_to_departure = rows.get_as<bool>(i, first + 5);
    r.stop_sell = rows.get_as<bool>(i, first + 6);
    return r;
}

std::vector<core::RateCell> rate_cells_from(const pg::Rows& rows) {
    std::vector<core::RateCell> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i)
        out.push_back({rows.get_as<pg::Uuid>(i, 0).text, rows.get_as<pg::Uuid>(i, 1).text,
                       daily_rate_from(rows, i, 2)});
    return out;
}

std::vector<core::RoomType> room_types_from(const pg::Rows& rows, const std::string& hotel_id) {
    std::vector<core::RoomType> out;
    for (auto& [id, code, name, occupancy, description] :
         rows.all<pg::Uuid, std::string, std::string, std::int32_t, std::optional<std::string>>())
        out.push_back({id.text, hotel_id, code, name, occupancy, description});
    return out;
}

std::vector<core::RatePlan> rate_plans_from(const pg::Rows& rows, const std::string& hotel_id) {
    std::vector<core::RatePlan> out;
    for (auto& [id, code, name, refundable, hours, penalty] :
         rows.all<pg::Uuid, std::string, std::string, bool, std::optional<std::int32_t>,
                  std::optional<std::string>>()) {
        core::RatePlan p;
        p.id = id.text;
        p.hotel_id = hotel_id;
        p.code = code;
        p.name = name;
        p.policy.refundable = refundable;
        if (refundable) {
            p.policy.free_cancellation_hours = hours.value_or(0);
            p.policy.penalty = core::Penalty::parse(penalty.value_or("full_stay"))
                                   .value_or(core::Penalty{core::Penalty::Kind::full_stay, 0});
        }
        out.push_back(std::move(p));
    }
    return out;
}

namespace {

// Statement arguments are named locals: GCC 12 destroys temporaries of a co_await
// full-expression twice (docs/ARCHITECTURE.md).

pg::Timestamp to_timestamp(core::Instant t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

// A plan's free_cancellation_hours and penalty columns: NULL for a non-refundable plan.
std::pair<std::optional<std::int32_t>, std::optional<std::string>> policy_columns(
    const core::CancellationPolicy& policy) {
    if (!policy.refundable)
        return {};
    return {policy.free_cancellation_hours, policy.penalty.to_string()};
}

// The answer of retire_catalogue_item or change_room (migration 0014) when it is a refusal.
std::optional<core::ChangeRefusal> refusal_in(const pg::Rows& rows) {
    const auto outcome = rows.get_as<std::string>(0, rows.column("o_outcome"));
    if (outcome == "retired" || outcome == "changed")
        return std::nullopt;
    if (outcome == "in_use") {
        core::ChangeRefusal r{StoreError::in_use};
        for (int i = 0; i < rows.size(); ++i)
            r.stays.push_back({rows.get_as<pg::Uuid>(i, rows.column("o_booking")).text,
                               rows.get_as<core::Date>(i, rows.column("o_check_in")),
                               rows.get_as<core::Date>(i, rows.column("o_check_out"))});
        return r;
    }
    if (outcome == "duplicate")
        return core::ChangeRefusal{StoreError::duplicate};
    if (outcome == "unknown_room_type")
        return core::ChangeRefusal{StoreError::unknown_room_type};
    return core::ChangeRefusal{StoreError::not_found};
}

core::OutOfService out_of_service_from(const pg::Rows& rows, int i, const std::string& hotel_id) {
    core::OutOfService o;
    o.id = rows.get_as<pg::Uuid>(i, rows.column("id")).text;
    o.hotel_id = hotel_id;
    o.room_id = rows.get_as<pg::Uuid>(i, rows.column("room_id")).text;
    o.from = rows.get_as<core::Date>(i, rows.column("check_in"));
    o.to = rows.get_as<core::Date>(i, rows.column("check_out"));
    o.reason = rows.get_as<std::optional<std::string>>(i, rows.column("reason")).value_or("");
    return o;
}

}  // namespace

asio::awaitable<core::Hotel> PgCatalogueStore::create_hotel(core::Hotel h) {
    const auto in = core::format_time_of_day(h.check_in_time);
    const auto out = core::format_time_of_day(h.check_out_time);
    auto rows = co_await pool_->query(sql::hotel_insert, h.name, h.city, h.country, h.timezone,
                                      h.currency, in, out);
    co_return hotel_from(rows);
}

asio::awaitable<std::optional<core::Hotel>> PgCatalogueStore::find_hotel(std::string id) {
    if (!pg::Uuid::valid(id))
        co_return std::nullopt;
    const pg::Uuid uuid{id};
    auto rows = co_await pool_->query(sql::hotel_by_id, uuid);
    if (rows.empty())
        co_return std::nullopt;
    co_return hotel_from(rows);
}

asio::awaitable<core::HotelPage> PgCatalogueStore::hotels(long long offset, long long limit) {
    const std::int64_t from = offset, count = limit;
    auto rows = co_await pool_->query(sql::hotels_page, from, count);
    auto total = co_await pool_->query(sql::hotels_count);
    core::HotelPage page;
    page.total = total.scalar<std::int64_t>();
    for (int i = 0; i < rows.size(); ++i)
        page.items.push_back(hotel_from(rows, i));
    co_return page;
}

asio::awaitable<core::Hotel> PgCatalogueStore::update_hotel(core::Hotel h) {
    const pg::Uuid uuid{h.id};
    const auto in = core::format_time_of_day(h.check_in_time);
    const auto out = core::format_time_of_day(h.check_out_time);
    auto rows = co_await pool_->query(sql::hotel_update, uuid, h.name, h.city, h.country,
                                      h.timezone, h.currency, in, out);
    co_return hotel_from(rows);
}

asio::awaitable<bool> PgCatalogueStore::has_money(std::string hotel_id) {
    const pg::Uuid uuid{hotel_id};
    auto rows = co_await pool_->query(sql::hotel_has_money, uuid);
    co_return rows.scalar<bool>();
}

asio::awaitable<core::Result<core::RoomType, StoreError>> PgCatalogueStore::create_room_type(
    core::RoomType t) {
    const pg::Uuid hotel{t.hotel_id};
    const std::int32_t occupancy = t.max_occupancy;
    auto rows = co_await pool_->query(sql::room_type_insert, hotel, t.code, t.name, occupancy,
                                      t.description);
    if (rows.empty())
        co_return core::fail(StoreError::duplicate);
    t.id = rows.get_as<pg::Uuid>(0, 0).text;
    co_return t;
}

asio::awaitable<std::vector<core::RoomType>> PgCatalogueStore::room_types(std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::room_types_of_hotel, hotel);
    co_return room_types_from(rows, hotel_id);
}

asio::awaitable<core::Result<core::Room, StoreError>> PgCatalogueStore::create_room(core::Room r) {
    const pg::Uuid hotel{r.hotel_id};
    const pg::Uuid type{r.room_type_id};
    const std::optional<std::int32_t> floor = r.floor;
    try {
        auto rows = co_await pool_->query(sql::room_insert, hotel, type, r.number, floor);
        if (rows.empty()) {
            // Nothing written: a retired or unknown type, or the number is taken.
            auto live = co_await pool_->query(sql::room_type_live, hotel, type);
            co_return core::fail(live.scalar<bool>() ? StoreError::duplicate
                                                     : StoreError::unknown_room_type);
        }
        r.id = rows.get_as<pg::Uuid>(0, 0).text;
        co_return r;
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::foreign_key_violation)
            throw;
    }
    co_return core::fail(StoreError::unknown_room_type);
}

asio::awaitable<std::vector<core::Room>> PgCatalogueStore::rooms(std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::rooms_of_hotel, hotel);
    std::vector<core::Room> out;
    for (auto& [id, type, number, floor] :
         rows.all<pg::Uuid, pg::Uuid, std::string, std::optional<std::int32_t>>())
        out.push_back({id.text, hotel_id, type.text, number, floor});
    co_return out;
}

asio::awaitable<core::Result<core::RatePlan, StoreError>> PgCatalogueStore::create_rate_plan(
    core::RatePlan p) {
    const pg::Uuid hotel{p.hotel_id};
    const auto [hours, penalty] = policy_columns(p.policy);
    const bool refundable = p.policy.refundable;
    auto rows = co_await pool_->query(sql::rate_plan_insert, hotel, p.code, p.name, refundable,
                                      hours, penalty);
    if (rows.empty())
        co_return core::fail(StoreError::duplicate);
    p.id = rows.get_as<pg::Uuid>(0, 0).text;
    co_return p;
}

asio::awaitable<std::vector<core::RatePlan>> PgCatalogueStore::rate_plans(std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::rate_plans_of_hotel, hotel);
    co_return rate_plans_from(rows, hotel_id);
}

asio::awaitable<core::Result<long long, StoreError>> PgCatalogueStore::write_rates(
    core::RatesWrite w) {
    const auto& u = w.update;
    const pg::Uuid hotel{w.hotel_id};
    const pg::Uuid type{u.room_type_id};
    const pg::Uuid plan{u.rate_plan_id};
    std::vector<std::int32_t> weekdays;
    for (auto d : u.weekdays)
        weekdays.push_back(static_cast<std::int32_t>(d));
    const bool price_given = w.price_minor.present;
    const std::optional<std::int64_t> price = w.price_minor.value;
    const bool min_given = u.min_stay.present;
    const std::optional<std::int32_t> min_stay = u.min_stay.value;
    const bool max_given = u.max_stay.present;
    const std::optional<std::int32_t> max_stay = u.max_stay.value;
    try {
        auto rows =
            co_await pool_->query(sql::rates_upsert, hotel, type, plan, u.from, u.to, weekdays,
                                  price_given, price, min_given, min_stay, max_given, max_stay,
                                  u.closed_to_arrival, u.closed_to_departure, u.stop_sell);
        co_return rows.affected();
    } catch (const pg::Error& e) {
        if (e.kind() == pg::ErrorKind::foreign_key_violation) {
            if (e.constraint().find("rate_plan") != std::string::npos)
                co_return core::fail(StoreError::unknown_rate_plan);
            co_return core::fail(StoreError::unknown_room_type);
        }
        if (e.kind() != pg::ErrorKind::check_violation)
            throw;
    }
    co_return core::fail(StoreError::stay_bounds);
}

asio::awaitable<core::Result<std::vector<core::DailyRateRow>, StoreError>> PgCatalogueStore::rates(
    std::string hotel_id, std::string room_type_id, std::string rate_plan_id, core::Date from,
    core::Date to) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid type{room_type_id};
    const pg::Uuid plan{rate_plan_id};
    auto exist = co_await pool_->query(sql::rate_targets_exist, hotel, type, plan);
    auto [type_ok, plan_ok] = exist.row<bool, bool>(0);
    if (!type_ok)
        co_return core::fail(StoreError::unknown_room_type);
    if (!plan_ok)
        co_return core::fail(StoreError::unknown_rate_plan);
    auto rows = co_await pool_->query(sql::rates_in_range, hotel, type, plan, from, to);
    std::vector<core::DailyRateRow> out;
    for (auto& [date, price, min_stay, max_stay, cta, ctd, stop] :
         rows.all<core::Date, std::optional<std::int64_t>, std::optional<std::int32_t>,
                  std::optional<std::int32_t>, bool, bool, bool>())
        out.push_back({date, price, min_stay, max_stay, cta, ctd, stop});
    co_return out;
}

asio::awaitable<core::Result<core::OutOfService, StoreError>> PgCatalogueStore::add_out_of_service(
    core::OutOfService oos, core::Instant starts, core::Instant ends, std::string actor) {
    const pg::Uuid hotel{oos.hotel_id};
    const pg::Uuid room{oos.room_id};
    const pg::Uuid by{actor};
    const auto from_ts = to_timestamp(starts);
    const auto to_ts = to_timestamp(ends);
    try {
        auto rows = co_await pool_->query(sql::out_of_service_insert, hotel, room, oos.from, oos.to,
                                          from_ts, to_ts, oos.reason, by);
        if (rows.empty())
            co_return core::fail(StoreError::unknown_room);
        oos.id = rows.get_as<pg::Uuid>(0, 0).text;
        co_return oos;
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::exclusion_violation)
            throw;
    }
    co_return core::fail(StoreError::occupied);
}

// --- maintenance --------------------------------------------------------------------------------

asio::awaitable<core::Result<core::RoomType, StoreError>> PgCatalogueStore::update_room_type(
    core::RoomType t) {
    const pg::Uuid hotel{t.hotel_id};
    const pg::Uuid id{t.id};
    const std::int32_t occupancy = t.max_occupancy;
    try {
        auto rows = co_await pool_->query(sql::room_type_update, hotel, id, t.code, t.name,
                                          occupancy, t.description);
        if (rows.empty())
            co_return core::fail(StoreError::not_found);
        co_return t;
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::unique_violation)
            throw;
    }
    co_return core::fail(StoreError::duplicate);
}

asio::awaitable<core::Result<core::RatePlan, StoreError>> PgCatalogueStore::update_rate_plan(
    core::RatePlan p) {
    const pg::Uuid hotel{p.hotel_id};
    const pg::Uuid id{p.id};
    const auto [hours, penalty] = policy_columns(p.policy);
    const bool refundable = p.policy.refundable;
    try {
        auto rows = co_await pool_->query(sql::rate_plan_update, hotel, id, p.code, p.name,
                                          refundable, hours, penalty);
        if (rows.empty())
            co_return core::fail(StoreError::not_found);
        co_return p;
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::unique_violation)
            throw;
    }
    co_return core::fail(StoreError::duplicate);
}

asio::awaitable<core::Result<core::Unit, core::ChangeRefusal>> PgCatalogueStore::retire_room_type(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const std::optional<pg::Uuid> type{pg::Uuid{id}};
    const std::optional<pg::Uuid> plan;
    auto rows = co_await pool_->query(sql::catalogue_item_retire, hotel, type, plan);
    if (auto refused = refusal_in(rows))
        co_return core::fail(std::move(*refused));
    co_return core::Unit{};
}

asio::awaitable<core::Result<core::Unit, core::ChangeRefusal>> PgCatalogueStore::retire_rate_plan(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const std::optional<pg::Uuid> type;
    const std::optional<pg::Uuid> plan{pg::Uuid{id}};
    auto rows = co_await pool_->query(sql::catalogue_item_retire, hotel, type, plan);
    if (auto refused = refusal_in(rows))
        co_return core::fail(std::move(*refused));
    co_return core::Unit{};
}

asio::awaitable<core::Result<core::Unit, core::ChangeRefusal>> PgCatalogueStore::retire_room(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid room{id};
    const std::optional<std::string> number;
    const bool set_floor = false, retire = true;
    const std::optional<std::int32_t> floor;
    const std::optional<pg::Uuid> type;
    auto rows = co_await pool_->query(sql::room_change, hotel, room, number, set_floor, floor, type,
                                      retire);
    if (auto refused = refusal_in(rows))
        co_return core::fail(std::move(*refused));
    co_return core::Unit{};
}

asio::awaitable<core::Result<core::Room, core::ChangeRefusal>> PgCatalogueStore::change_room(
    std::string hotel_id, std::string id, core::RoomChange change) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid room{id};
    const bool retire = false;
    const std::optional<std::int32_t> floor = change.floor;
    std::optional<pg::Uuid> type;
    if (change.room_type_id)
        type = pg::Uuid{*change.room_type_id};
    try {
        auto rows = co_await pool_->query(sql::room_change, hotel, room, change.number,
                                          change.set_floor, floor, type, retire);
        if (auto refused = refusal_in(rows))
            co_return core::fail(std::move(*refused));
    } catch (const pg::Error& e) {
        // Two changes to the same number at once: the unique index decides.
        if (e.kind() != pg::ErrorKind::unique_violation)
            throw;
        co_return core::fail(core::ChangeRefusal{StoreError::duplicate});
    }
    auto rows = co_await pool_->query(sql::room_by_id, hotel, room);
    if (rows.empty())
        co_return core::fail(core::ChangeRefusal{StoreError::not_found});
    auto [rid, rtype, number, rfloor] =
        rows.row<pg::Uuid, pg::Uuid, std::string, std::optional<std::int32_t>>(0);
    co_return core::Room{rid.text, hotel_id, rtype.text, number, rfloor};
}

asio::awaitable<std::vector<core::OutOfService>> PgCatalogueStore::out_of_service(
    std::string hotel_id, core::Date from, core::Date to, std::optional<std::string> room_id) {
    const pg::Uuid hotel{hotel_id};
    std::optional<pg::Uuid> room;
    if (room_id)
        room = pg::Uuid{*room_id};
    auto rows = co_await pool_->query(sql::out_of_service_of_hotel, hotel, from, to, room);
    std::vector<core::OutOfService> out;
    for (int i = 0; i < rows.size(); ++i)
        out.push_back(out_of_service_from(rows, i, hotel_id));
    co_return out;
}

asio::awaitable<std::optional<core::OutOfService>> PgCatalogueStore::find_out_of_service(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid oos{id};
    auto rows = co_await pool_->query(sql::out_of_service_by_id, hotel, oos);
    if (rows.empty())
        co_return std::nullopt;
    co_return out_of_service_from(rows, 0, hotel_id);
}

asio::awaitable<core::Result<core::OutOfService, StoreError>>
PgCatalogueStore::change_out_of_service(core::OutOfService oos, core::Instant starts,
                                        core::Instant ends) {
    const pg::Uuid hotel{oos.hotel_id};
    const pg::Uuid id{oos.id};
    const auto from_ts = to_timestamp(starts);
    const auto to_ts = to_timestamp(ends);
    try {
        auto rows = co_await pool_->query(sql::out_of_service_update, hotel, id, oos.from, oos.to,
                                          from_ts, to_ts, oos.reason);
        if (rows.empty())
            co_return core::fail(StoreError::not_found);
        co_return out_of_service_from(rows, 0, oos.hotel_id);
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::exclusion_violation)
            throw;
    }
    co_return core::fail(StoreError::occupied);
}

asio::awaitable<bool> PgCatalogueStore::lift_out_of_service(std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid oos{id};
    auto rows = co_await pool_->query(sql::out_of_service_lift, hotel, oos);
    co_return !rows.empty();
}

asio::awaitable<std::vector<core::RoomHousekeeping>> PgCatalogueStore::housekeeping(
    std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::housekeeping_of_hotel, hotel);
    std::vector<core::RoomHousekeeping> out;
    for (auto& [room, number, floor, type, status, at, occupied] :
         rows.all<pg::Uuid, std::string, std::optional<std::int32_t>, pg::Uuid, std::string,
                  std::optional<std::int64_t>, bool>()) {
        core::RoomHousekeeping h;
        h.room_id = room.text;
        h.number = number;
        h.floor = floor;
        h.room_type_id = type.text;
        h.status = core::parse_housekeeping(status).value_or(core::Housekeeping::clean);
        if (at)
            h.updated_at = core::Instant{std::chrono::seconds(*at)};
        h.occupied = occupied;
        out.push_back(std::move(h));
    }
    co_return out;
}

asio::awaitable<bool> PgCatalogueStore::set_housekeeping(std::string hotel_id, std::string room_id,
                                                         core::Housekeeping status,
                                                         std::string actor_id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid room{room_id};
    const pg::Uuid actor{actor_id};
    const std::string text(core::to_string(status));
    auto rows = co_await pool_->query(sql::housekeeping_set, hotel, room, text, actor);
    co_return !rows.empty();
}

asio::awaitable<std::vector<core::AvailabilityRow>> PgCatalogueStore::availability(
    std::string hotel_id, core::Date from, core::Date to) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::availability_by_type, hotel, from, to);
    std::vector<core::AvailabilityRow> out;
    for (auto& [type, date, total, booked, oos] :
         rows.all<pg::Uuid, core::Date, std::int32_t, std::int32_t, std::int32_t>()) {
        const int available = std::max(0, total - booked - oos);
        out.push_back({type.text, date, total, booked, oos, available});
    }
    co_return out;
}

}  // namespace hotel::storage
