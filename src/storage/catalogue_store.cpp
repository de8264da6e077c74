#include "storage/catalogue_store.hpp"

#include "pg/error.hpp"
#include "pg/transaction.hpp"
#include "storage/catalogue_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;
using core::StoreError;

namespace {

// Each row shape below is a struct of column indexes, looked up by name once per result, and
// its read(rows, i) of row i; read_rows() reads every row of a result with one lookup.

template <class Columns, class... Extra>
auto read_rows(const pg::Rows& rows, const Extra&... extra) {
    const Columns c(rows);
    std::vector<decltype(c.read(rows, 0, extra...))> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i)
        out.push_back(c.read(rows, i, extra...));
    return out;
}

// HOTEL_COLUMNS (catalogue_sql.hpp) and sql::city_hotels.
struct HotelColumns {
    explicit HotelColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          name(rows.column("name")),
          city(rows.column("city")),
          country(rows.column("country")),
          timezone(rows.column("timezone")),
          currency(rows.column("currency")),
          check_in_time(rows.column("check_in_time")),
          check_out_time(rows.column("check_out_time")) {}

    core::Hotel read(const pg::Rows& rows, int i) const {
        core::Hotel h;
        h.id = rows.get_as<pg::Uuid>(i, id).text;
        h.name = rows.get_as<std::string>(i, name);
        h.city = rows.get_as<std::string>(i, city);
        h.country = rows.get_as<std::string>(i, country);
        h.timezone = rows.get_as<std::string>(i, timezone);
        h.currency = rows.get_as<std::string>(i, currency);
        h.check_in_time = core::parse_time_of_day(rows.get_as<std::string>(i, check_in_time))
                              .value_or(core::TimeOfDay{15, 0});
        h.check_out_time = core::parse_time_of_day(rows.get_as<std::string>(i, check_out_time))
                               .value_or(core::TimeOfDay{11, 0});
        return h;
    }

    int id, name, city, country, timezone, currency, check_in_time, check_out_time;
};

// sql::room_types_of_hotel.
struct RoomTypeColumns {
    explicit RoomTypeColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          code(rows.column("code")),
          name(rows.column("name")),
          max_occupancy(rows.column("max_occupancy")),
          description(rows.column("description")) {}

    core::RoomType read(const pg::Rows& rows, int i, const std::string& hotel_id) const {
        return {rows.get_as<pg::Uuid>(i, id).text,
                hotel_id,
                rows.get_as<std::string>(i, code),
                rows.get_as<std::string>(i, name),
                rows.get_as<std::int32_t>(i, max_occupancy),
                rows.get_as<std::optional<std::string>>(i, description)};
    }

    int id, code, name, max_occupancy, description;
};

// sql::rate_plans_of_hotel.
struct RatePlanColumns {
    explicit RatePlanColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          code(rows.column("code")),
          name(rows.column("name")),
          refundable(rows.column("refundable")),
          hours(rows.column("free_cancellation_hours")),
          penalty(rows.column("penalty")),
          terms(rows) {}

    core::RatePlan read(const pg::Rows& rows, int i, const std::string& hotel_id) const {
        core::RatePlan p;
        p.id = rows.get_as<pg::Uuid>(i, id).text;
        p.hotel_id = hotel_id;
        p.code = rows.get_as<std::string>(i, code);
        p.name = rows.get_as<std::string>(i, name);
        p.policy.refundable = rows.get_as<bool>(i, refundable);
        if (p.policy.refundable) {
            p.policy.free_cancellation_hours =
                rows.get_as<std::optional<std::int32_t>>(i, hours).value_or(0);
            const auto text = rows.get_as<std::optional<std::string>>(i, penalty);
            p.policy.penalty = core::Penalty::parse(text.value_or("full_stay"))
                                   .value_or(core::Penalty{core::Penalty::Kind::full_stay, 0});
        }
        terms.read(rows, i, p);
        return p;
    }

    int id, code, name, refundable, hours, penalty;
    RatePlanTermColumns terms;
};

// A day's rate: sql::booking_rates, sql::rates_in_range, and within RateCellColumns.
struct DailyRateColumns {
    explicit DailyRateColumns(const pg::Rows& rows)
        : date(rows.column("date")),
          price_minor(rows.column("price_minor")),
          min_stay(rows.column("min_stay")),
          max_stay(rows.column("max_stay")),
          closed_to_arrival(rows.column("closed_to_arrival")),
          closed_to_departure(rows.column("closed_to_departure")),
          stop_sell(rows.column("stop_sell")) {}

    core::DailyRate read(const pg::Rows& rows, int i) const {
        core::DailyRate r;
        r.date = rows.get_as<core::Date>(i, date);
        r.price_minor = rows.get_as<std::optional<std::int64_t>>(i, price_minor);
        r.min_stay = rows.get_as<std::optional<std::int32_t>>(i, min_stay);
        r.max_stay = rows.get_as<std::optional<std::int32_t>>(i, max_stay);
        r.closed_to_arrival = rows.get_as<bool>(i, closed_to_arrival);
        r.closed_to_departure = rows.get_as<bool>(i, closed_to_departure);
        r.stop_sell = rows.get_as<bool>(i, stop_sell);
        return r;
    }

    int date, price_minor, min_stay, max_stay, closed_to_arrival, closed_to_departure, stop_sell;
};

// sql::hotel_rates_for_stay and sql::index_rates.
struct RateCellColumns {
    explicit RateCellColumns(const pg::Rows& rows)
        : room_type_id(rows.column("room_type_id")),
          rate_plan_id(rows.column("rate_plan_id")),
          rate(rows) {}

    core::RateCell read(const pg::Rows& rows, int i) const {
        return {rows.get_as<pg::Uuid>(i, room_type_id).text,
                rows.get_as<pg::Uuid>(i, rate_plan_id).text, rate.read(rows, i)};
    }

    int room_type_id, rate_plan_id;
    DailyRateColumns rate;
};

}  // namespace

core::Hotel hotel_from(const pg::Rows& rows) {
    return HotelColumns(rows).read(rows, 0);
}

std::vector<core::Hotel> hotels_from(const pg::Rows& rows) {
    return read_rows<HotelColumns>(rows);
}

std::vector<core::RoomType> room_types_from(const pg::Rows& rows, const std::string& hotel_id) {
    return read_rows<RoomTypeColumns>(rows, hotel_id);
}

RatePlanTermColumns::RatePlanTermColumns(const pg::Rows& rows)
    : included_guests(rows.column("included_guests")),
      extra_guest_minor(rows.column("extra_guest_minor")),
      inclusion_names(rows.column("inclusion_names")),
      inclusion_amounts(rows.column("inclusion_amounts")),
      parent_plan_id(rows.column("parent_plan_id")),
      adjustment_bp(rows.column("adjustment_bp")) {}

void RatePlanTermColumns::read(const pg::Rows& rows, int i, core::RatePlan& p) const {
    p.occupancy.included_guests = rows.get_as<std::int32_t>(i, included_guests);
    p.occupancy.extra_guest_minor = rows.get_as<std::int64_t>(i, extra_guest_minor);
    p.inclusions = inclusions_of(rows.get_as<std::vector<std::string>>(i, inclusion_names),
                                 rows.get_as<std::vector<std::int64_t>>(i, inclusion_amounts));
    if (!rows.is_null(i, parent_plan_id))
        p.derived_from = core::DerivedFrom{rows.get_as<pg::Uuid>(i, parent_plan_id).text,
                                           rows.get_as<std::int32_t>(i, adjustment_bp)};
}

std::vector<core::Inclusion> inclusions_of(const std::vector<std::string>& names,
                                           const std::vector<std::int64_t>& amounts) {
    std::vector<core::Inclusion> out;
    for (std::size_t k = 0; k < names.size() && k < amounts.size(); ++k)
        out.push_back({names[k], amounts[k]});
    return out;
}

std::vector<core::RatePlan> rate_plans_from(const pg::Rows& rows, const std::string& hotel_id) {
    return read_rows<RatePlanColumns>(rows, hotel_id);
}

std::vector<core::DailyRate> daily_rates_from(const pg::Rows& rows) {
    return read_rows<DailyRateColumns>(rows);
}

std::vector<core::RateCell> rate_cells_from(const pg::Rows& rows) {
    return read_rows<RateCellColumns>(rows);
}

namespace {

// Statement arguments are named locals: GCC 12 destroys temporaries of a co_await
// full-expression twice (docs/ARCHITECTURE.md).

pg::Timestamp to_timestamp(core::Instant t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

// A plan's free_cancellation_hours and penalty columns: NULL for a non-refundable plan.
// A plan's pricing terms as rate_plan_insert and rate_plan_update take them.
struct PlanTerms {
    explicit PlanTerms(const core::RatePlan& p)
        : included_guests(p.occupancy.included_guests),
          extra_guest_minor(p.occupancy.extra_guest_minor),
          inclusions(p.inclusions) {
        if (p.derived_from) {
            parent = pg::Uuid{p.derived_from->plan_id};
            adjustment_bp = p.derived_from->adjustment_bp;
        }
    }
    std::int32_t included_guests;
    std::int64_t extra_guest_minor;
    InclusionArrays inclusions;
    std::optional<pg::Uuid> parent;
    std::optional<std::int32_t> adjustment_bp;
};

// Locks the plan a derived plan is to follow; false unless it is a live, underived plan of the
// hotel.
asio::awaitable<bool> lock_parent(pg::Transaction& tx, const pg::Uuid& hotel,
                                  const std::string& parent_id) {
    const pg::Uuid parent{parent_id};
    auto rows = co_await tx.query(sql::rate_plan_lock, hotel, parent);
    co_return !rows.empty() && rows.get_as<bool>(0, rows.column("live")) &&
        rows.is_null(0, rows.column("parent_plan_id"));
}

// A derived plan's days made from its parent's (core::derived_rate), written whole.
asio::awaitable<void> write_derived(pg::Transaction& tx, const pg::Uuid& hotel,
                                    const pg::Uuid& child, const std::vector<core::RateCell>& days,
                                    int adjustment_bp) {
    if (days.empty())
        co_return;
    std::vector<pg::Uuid> types;
    std::vector<core::Date> dates;
    std::vector<std::optional<std::int64_t>> prices;
    std::vector<std::optional<std::int32_t>> min_stays, max_stays;
    std::vector<bool> cta, ctd, stop;
    for (const auto& day : days) {
        const auto r = core::derived_rate(day.rate, adjustment_bp);
        types.push_back(pg::Uuid{day.room_type_id});
        dates.push_back(r.date);
        prices.push_back(r.price_minor);
        min_stays.push_back(r.min_stay);
        max_stays.push_back(r.max_stay);
        cta.push_back(r.closed_to_arrival);
        ctd.push_back(r.closed_to_departure);
        stop.push_back(r.stop_sell);
    }
    co_await tx.query(sql::derived_rates_upsert, hotel, child, types, dates, prices, min_stays,
                      max_stays, cta, ctd, stop);
}

// A derived plan's rows replaced by its parent's, adjusted.
asio::awaitable<void> derive_all(pg::Transaction& tx, const pg::Uuid& hotel, const pg::Uuid& parent,
                                 const pg::Uuid& child, int adjustment_bp) {
    co_await tx.query(sql::plan_rates_delete, hotel, child);
    auto rows = co_await tx.query(sql::plan_rates, hotel, parent);
    const auto days = rate_cells_from(rows);
    co_await write_derived(tx, hotel, child, days, adjustment_bp);
}

std::pair<std::optional<std::int32_t>, std::optional<std::string>> policy_columns(
    const core::CancellationPolicy& policy) {
    if (!policy.refundable)
        return {};
    return {policy.free_cancellation_hours, policy.penalty.to_string()};
}

// sql::catalogue_item_retire and sql::room_change: the stays that hold what was to change.
struct HoldingStayColumns {
    explicit HoldingStayColumns(const pg::Rows& rows)
        : booking(rows.column("o_booking")),
          check_in(rows.column("o_check_in")),
          check_out(rows.column("o_check_out")) {}

    core::HoldingStay read(const pg::Rows& rows, int i) const {
        return {rows.get_as<pg::Uuid>(i, booking).text, rows.get_as<core::Date>(i, check_in),
                rows.get_as<core::Date>(i, check_out)};
    }

    int booking, check_in, check_out;
};

// The answer of retire_catalogue_item or change_room (migration 0014) when it is a refusal.
std::optional<core::ChangeRefusal> refusal_in(const pg::Rows& rows) {
    const auto outcome = rows.get_as<std::string>(0, rows.column("o_outcome"));
    if (outcome == "retired" || outcome == "changed")
        return std::nullopt;
    if (outcome == "in_use") {
        core::ChangeRefusal r{StoreError::in_use};
        r.stays = read_rows<HoldingStayColumns>(rows);
        return r;
    }
    if (outcome == "duplicate")
        return core::ChangeRefusal{StoreError::duplicate};
    if (outcome == "unknown_room_type")
        return core::ChangeRefusal{StoreError::unknown_room_type};
    return core::ChangeRefusal{StoreError::not_found};
}

// HOTEL_OOS_COLUMNS (catalogue_sql.hpp).
struct OutOfServiceColumns {
    explicit OutOfServiceColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          room_id(rows.column("room_id")),
          check_in(rows.column("check_in")),
          check_out(rows.column("check_out")),
          reason(rows.column("reason")) {}

    core::OutOfService read(const pg::Rows& rows, int i, const std::string& hotel_id) const {
        core::OutOfService o;
        o.id = rows.get_as<pg::Uuid>(i, id).text;
        o.hotel_id = hotel_id;
        o.room_id = rows.get_as<pg::Uuid>(i, room_id).text;
        o.from = rows.get_as<core::Date>(i, check_in);
        o.to = rows.get_as<core::Date>(i, check_out);
        o.reason = rows.get_as<std::optional<std::string>>(i, reason).value_or("");
        return o;
    }

    int id, room_id, check_in, check_out, reason;
};

// sql::rooms_of_hotel and sql::room_by_id.
struct RoomColumns {
    explicit RoomColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          room_type_id(rows.column("room_type_id")),
          number(rows.column("number")),
          floor(rows.column("floor")) {}

    core::Room read(const pg::Rows& rows, int i, const std::string& hotel_id) const {
        return {rows.get_as<pg::Uuid>(i, id).text, hotel_id,
                rows.get_as<pg::Uuid>(i, room_type_id).text, rows.get_as<std::string>(i, number),
                rows.get_as<std::optional<std::int32_t>>(i, floor)};
    }

    int id, room_type_id, number, floor;
};

// sql::housekeeping_of_hotel.
struct HousekeepingColumns {
    explicit HousekeepingColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          number(rows.column("number")),
          floor(rows.column("floor")),
          room_type_id(rows.column("room_type_id")),
          status(rows.column("status")),
          updated_epoch(rows.column("updated_epoch")),
          occupied(rows.column("occupied")) {}

    core::RoomHousekeeping read(const pg::Rows& rows, int i) const {
        core::RoomHousekeeping h;
        h.room_id = rows.get_as<pg::Uuid>(i, id).text;
        h.number = rows.get_as<std::string>(i, number);
        h.floor = rows.get_as<std::optional<std::int32_t>>(i, floor);
        h.room_type_id = rows.get_as<pg::Uuid>(i, room_type_id).text;
        h.status = core::parse_housekeeping(rows.get_as<std::string>(i, status))
                       .value_or(core::Housekeeping::clean);
        if (auto at = rows.get_as<std::optional<std::int64_t>>(i, updated_epoch))
            h.updated_at = core::Instant{std::chrono::seconds(*at)};
        h.occupied = rows.get_as<bool>(i, occupied);
        return h;
    }

    int id, number, floor, room_type_id, status, updated_epoch, occupied;
};

// sql::availability_by_type.
struct AvailabilityColumns {
    explicit AvailabilityColumns(const pg::Rows& rows)
        : id(rows.column("id")),
          date(rows.column("date")),
          total(rows.column("total")),
          booked(rows.column("booked")),
          oos(rows.column("oos")) {}

    core::AvailabilityRow read(const pg::Rows& rows, int i) const {
        core::AvailabilityRow a;
        a.room_type_id = rows.get_as<pg::Uuid>(i, id).text;
        a.date = rows.get_as<core::Date>(i, date);
        a.total = rows.get_as<std::int32_t>(i, total);
        a.booked = rows.get_as<std::int32_t>(i, booked);
        a.out_of_service = rows.get_as<std::int32_t>(i, oos);
        a.available = std::max(0, a.total - a.booked - a.out_of_service);
        return a;
    }

    int id, date, total, booked, oos;
};

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
    page.items = hotels_from(rows);
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
    co_return read_rows<RoomColumns>(rows, hotel_id);
}

asio::awaitable<core::Result<core::RatePlan, StoreError>> PgCatalogueStore::create_rate_plan(
    core::RatePlan p) {
    const pg::Uuid hotel{p.hotel_id};
    const auto [hours, penalty] = policy_columns(p.policy);
    const bool refundable = p.policy.refundable;
    const PlanTerms terms(p);
    auto tx = co_await pg::Transaction::begin(*pool_);
    if (p.derived_from && !co_await lock_parent(tx, hotel, p.derived_from->plan_id))
        co_return core::fail(StoreError::bad_parent);
    auto rows =
        co_await tx.query(sql::rate_plan_insert, hotel, p.code, p.name, refundable, hours, penalty,
                          terms.included_guests, terms.extra_guest_minor, terms.inclusions.names,
                          terms.inclusions.amounts, terms.parent, terms.adjustment_bp);
    if (rows.empty())
        co_return core::fail(StoreError::duplicate);
    p.id = rows.get_as<pg::Uuid>(0, 0).text;
    if (p.derived_from) {
        const pg::Uuid parent{p.derived_from->plan_id};
        const pg::Uuid child{p.id};
        co_await derive_all(tx, hotel, parent, child, p.derived_from->adjustment_bp);
    }
    co_await tx.commit();
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
    auto tx = co_await pg::Transaction::begin(*pool_);
    // The plan first: a derived plan's rates are its parent's; the lock keeps a plan deriving
    // from this one from being created or changed meanwhile (its rows would miss this write).
    auto locked = co_await tx.query(sql::rate_plan_lock, hotel, plan);
    if (locked.empty())
        co_return core::fail(StoreError::unknown_rate_plan);
    if (!locked.is_null(0, locked.column("parent_plan_id")))
        co_return core::fail(StoreError::derived_plan);
    std::optional<pg::Rows> written;
    try {
        written = co_await tx.query(sql::rates_upsert, hotel, type, plan, u.from, u.to, weekdays,
                                    price_given, price, min_given, min_stay, max_given, max_stay,
                                    u.closed_to_arrival, u.closed_to_departure, u.stop_sell);
    } catch (const pg::Error& e) {
        if (e.kind() == pg::ErrorKind::foreign_key_violation) {
            if (e.constraint().find("rate_plan") != std::string::npos)
                co_return core::fail(StoreError::unknown_rate_plan);
            co_return core::fail(StoreError::unknown_room_type);
        }
        if (e.kind() != pg::ErrorKind::check_violation)
            throw;
    }
    if (!written)
        co_return core::fail(StoreError::stay_bounds);
    const auto days = rate_cells_from(*written);
    auto children = co_await tx.query(sql::rate_plan_children, hotel, plan);
    for (int i = 0; i < children.size(); ++i) {
        const auto child = children.get_as<pg::Uuid>(i, 0);
        co_await write_derived(tx, hotel, child, days, children.get_as<std::int32_t>(i, 1));
    }
    co_await tx.commit();
    co_return static_cast<long long>(days.size());
}

asio::awaitable<core::Result<std::vector<core::DailyRateRow>, StoreError>> PgCatalogueStore::rates(
    std::string hotel_id, std::string room_type_id, std::string rate_plan_id, core::Date from,
    core::Date to) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid type{room_type_id};
    const pg::Uuid plan{rate_plan_id};
    auto exist = co_await pool_->query(sql::rate_targets_exist, hotel, type, plan);
    if (!exist.get_as<bool>(0, exist.column("type_live")))
        co_return core::fail(StoreError::unknown_room_type);
    if (!exist.get_as<bool>(0, exist.column("plan_live")))
        co_return core::fail(StoreError::unknown_rate_plan);
    auto rows = co_await pool_->query(sql::rates_in_range, hotel, type, plan, from, to);
    std::vector<core::DailyRateRow> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    const auto days = daily_rates_from(rows);
    for (const auto& r : days)
        out.push_back({r.date, r.price_minor, r.min_stay, r.max_stay, r.closed_to_arrival,
                       r.closed_to_departure, r.stop_sell});
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
    const PlanTerms terms(p);
    auto tx = co_await pg::Transaction::begin(*pool_);
    auto current = co_await tx.query(sql::rate_plan_lock, hotel, id);
    if (current.empty() || !current.get_as<bool>(0, current.column("live")))
        co_return core::fail(StoreError::not_found);
    // Its rows are made anew from its parent's only when it starts to follow a plan, follows
    // another one, or by another adjustment; other edits leave them as they are.
    const auto was_parent =
        current.get_as<std::optional<pg::Uuid>>(0, current.column("parent_plan_id"));
    const auto was_bp =
        current.get_as<std::optional<std::int32_t>>(0, current.column("adjustment_bp"));
    const bool rederive =
        p.derived_from && (!was_parent || was_parent->text != p.derived_from->plan_id ||
                           was_bp != p.derived_from->adjustment_bp);
    if (p.derived_from) {
        // One level: a plan others follow does not follow one itself.
        auto children = co_await tx.query(sql::rate_plan_children, hotel, id);
        if (!children.empty())
            co_return core::fail(StoreError::has_derived);
        if (p.derived_from->plan_id == p.id ||
            !co_await lock_parent(tx, hotel, p.derived_from->plan_id))
            co_return core::fail(StoreError::bad_parent);
    }
    try {
        auto rows = co_await tx.query(sql::rate_plan_update, hotel, id, p.code, p.name, refundable,
                                      hours, penalty, terms.included_guests,
                                      terms.extra_guest_minor, terms.inclusions.names,
                                      terms.inclusions.amounts, terms.parent, terms.adjustment_bp);
        if (rows.empty())
            co_return core::fail(StoreError::not_found);
    } catch (const pg::Error& e) {
        if (e.kind() != pg::ErrorKind::unique_violation)
            throw;
        co_return core::fail(StoreError::duplicate);
    }
    if (rederive) {
        const pg::Uuid parent{p.derived_from->plan_id};
        co_await derive_all(tx, hotel, parent, id, p.derived_from->adjustment_bp);
    }
    co_await tx.commit();
    co_return p;
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
    auto tx = co_await pg::Transaction::begin(*pool_);
    // Plans that follow this one would lose their prices' source: they go first.
    co_await tx.query(sql::rate_plan_lock, hotel, *plan);
    auto children = co_await tx.query(sql::rate_plan_children, hotel, *plan);
    if (!children.empty())
        co_return core::fail(core::ChangeRefusal{StoreError::has_derived});
    auto rows = co_await tx.query(sql::catalogue_item_retire, hotel, type, plan);
    if (auto refused = refusal_in(rows))
        co_return core::fail(std::move(*refused));
    co_await tx.commit();
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
    co_return RoomColumns(rows).read(rows, 0, hotel_id);
}

asio::awaitable<std::vector<core::OutOfService>> PgCatalogueStore::out_of_service(
    std::string hotel_id, core::Date from, core::Date to, std::optional<std::string> room_id) {
    const pg::Uuid hotel{hotel_id};
    std::optional<pg::Uuid> room;
    if (room_id)
        room = pg::Uuid{*room_id};
    auto rows = co_await pool_->query(sql::out_of_service_of_hotel, hotel, from, to, room);
    co_return read_rows<OutOfServiceColumns>(rows, hotel_id);
}

asio::awaitable<std::optional<core::OutOfService>> PgCatalogueStore::find_out_of_service(
    std::string hotel_id, std::string id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid oos{id};
    auto rows = co_await pool_->query(sql::out_of_service_by_id, hotel, oos);
    if (rows.empty())
        co_return std::nullopt;
    co_return OutOfServiceColumns(rows).read(rows, 0, hotel_id);
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
        co_return OutOfServiceColumns(rows).read(rows, 0, oos.hotel_id);
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

asio::awaitable<core::TaxSettings> PgCatalogueStore::taxes(std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::hotel_taxes_of, hotel);
    core::TaxSettings t;
    if (rows.empty())
        co_return t;
    t.vat_percent = rows.get_as<std::optional<std::string>>(0, rows.column("vat_percent"));
    t.city_tax_minor = rows.get_as<std::optional<std::int64_t>>(0, rows.column("city_tax_minor"));
    co_return t;
}

asio::awaitable<void> PgCatalogueStore::set_taxes(std::string hotel_id, core::TaxSettings t,
                                                  std::string actor_id) {
    const pg::Uuid hotel{hotel_id};
    const pg::Uuid actor{actor_id};
    std::optional<pg::Numeric> vat;
    if (t.vat_percent)
        vat = pg::Numeric{*t.vat_percent};
    co_await pool_->query(sql::hotel_taxes_set, hotel, vat, t.city_tax_minor, actor);
}

asio::awaitable<std::vector<core::RoomHousekeeping>> PgCatalogueStore::housekeeping(
    std::string hotel_id) {
    const pg::Uuid hotel{hotel_id};
    auto rows = co_await pool_->query(sql::housekeeping_of_hotel, hotel);
    co_return read_rows<HousekeepingColumns>(rows);
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
    co_return read_rows<AvailabilityColumns>(rows);
}

}  // namespace hotel::storage
