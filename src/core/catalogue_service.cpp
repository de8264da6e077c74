#include "core/catalogue_service.hpp"

#include <regex>

#include "core/hotel_time.hpp"
#include "core/money.hpp"
#include "core/stay.hpp"

namespace hotel::core {

namespace asio = boost::asio;
using Kind = CatalogueError::Kind;

namespace {

Failure<CatalogueError> refuse(Kind kind, std::string field, std::string message) {
    return fail(CatalogueError{kind, std::move(field), std::move(message)});
}
Failure<CatalogueError> unprocessable(std::string field, std::string message) {
    return refuse(Kind::unprocessable, std::move(field), std::move(message));
}
Failure<CatalogueError> forbidden() {
    return refuse(Kind::forbidden, "", "you may not do this for this hotel");
}
Failure<CatalogueError> no_hotel() {
    return refuse(Kind::not_found, "", "no such hotel");
}

// Who may see or change a hotel's catalogue and day (issue 13): a guest is refused (403); staff
// and managers of other hotels learn nothing of it (404); to change it, staff of the hotel are
// refused (403).
std::optional<Failure<CatalogueError>> refused_access(const Caller& caller,
                                                      const std::string& hotel_id, bool to_manage) {
    if (caller.role == Role::guest)
        return forbidden();
    if (!may_operate_hotel(caller, hotel_id))
        return no_hotel();
    if (to_manage && !may_manage_catalogue(caller, hotel_id))
        return forbidden();
    return std::nullopt;
}

bool length_between(std::string_view s, std::size_t lo, std::size_t hi) {
    const auto n = utf8_length(s);
    return n && *n >= lo && *n <= hi;
}

bool is_code(const std::string& s) {
    static const std::regex re("^[A-Za-z0-9_-]{1,32}$");
    return std::regex_match(s, re);
}

std::optional<CatalogueError> room_type_problem(const RoomTypeInput& in) {
    auto bad = [](std::string f, std::string m) {
        return CatalogueError{Kind::unprocessable, std::move(f), std::move(m)};
    };
    if (!is_code(in.code))
        return bad("code", "must be 1 to 32 letters, digits, '_' or '-'");
    if (!length_between(trim(in.name), 1, 200))
        return bad("name", "must be 1 to 200 characters");
    if (in.max_occupancy < 1 || in.max_occupancy > 50)
        return bad("max_occupancy", "must be between 1 and 50");
    if (in.description && !length_between(*in.description, 0, 2000))
        return bad("description", "must be at most 2000 characters");
    return std::nullopt;
}

std::optional<CatalogueError> room_problem(const std::string& number,
                                           const std::optional<long long>& floor) {
    static const std::regex number_re("^[A-Za-z0-9._-]{1,16}$");
    if (!std::regex_match(number, number_re))
        return CatalogueError{Kind::unprocessable, "number",
                              "must be 1 to 16 letters, digits, '.', '_' or '-'"};
    if (floor && (*floor < -20 || *floor > 500))
        return CatalogueError{Kind::unprocessable, "floor", "must be between -20 and 500"};
    return std::nullopt;
}

// A plan's cancellation terms from what the client sent (create, or current + patch), once its
// code and name pass.
Result<CancellationPolicy, CatalogueError> policy_of(const RatePlanInput& in) {
    if (!is_code(in.code))
        return unprocessable("code", "must be 1 to 32 letters, digits, '_' or '-'");
    if (!length_between(trim(in.name), 1, 200))
        return unprocessable("name", "must be 1 to 200 characters");
    CancellationPolicy policy;
    policy.refundable = in.refundable;
    if (in.refundable) {
        if (!in.free_cancellation_hours)
            return unprocessable("free_cancellation_hours", "is required for a refundable plan");
        if (*in.free_cancellation_hours < 0 || *in.free_cancellation_hours > 8760)
            return unprocessable("free_cancellation_hours", "must be between 0 and 8760");
        if (!in.penalty)
            return unprocessable("penalty", "is required for a refundable plan");
        auto penalty = Penalty::parse(*in.penalty);
        if (!penalty)
            return unprocessable("penalty", "must be first_night, full_stay or percent:P (0-100)");
        policy.free_cancellation_hours = static_cast<int>(*in.free_cancellation_hours);
        policy.penalty = *penalty;
    } else {
        if (in.free_cancellation_hours)
            return unprocessable("free_cancellation_hours", "applies to refundable plans only");
        // A non-refundable plan's penalty is the whole stay, as its offers and bookings say; a
        // client that sends back what it read ("full_stay") is not refused for it.
        if (in.penalty && *in.penalty != "full_stay")
            return unprocessable("penalty", "is full_stay for a non-refundable plan");
    }
    return policy;
}

// A money field of a plan's terms in minor units of the hotel's currency, zero allowed.
Result<std::int64_t, CatalogueError> minor_of(const MoneyInput& m, const Hotel& hotel,
                                              const std::string& field) {
    const auto currency = Currency::of(hotel.currency).value_or(Currency{});
    if (m.currency != hotel.currency)
        return unprocessable(field, "must be in the hotel's currency, " + hotel.currency);
    if (amount_problem(m.amount, currency) == AmountError::too_many_decimals)
        return unprocessable(field, "has more decimals than " + hotel.currency + " allows");
    const auto money = Money::parse(m.amount, currency);
    if (!money || money->minor < 0)
        return unprocessable(field, "must be an amount of zero or more, such as \"15.00\"");
    return money->minor;
}

// The plan with the terms sent applied over its own (docs/DOMAIN.md).
Result<RatePlan, CatalogueError> with_terms(RatePlan p, const RatePlanTermsInput& in,
                                            const Hotel& hotel) {
    if (in.included_guests) {
        if (*in.included_guests < 1 || *in.included_guests > 50)
            return unprocessable("included_guests", "must be between 1 and 50");
        p.occupancy.included_guests = static_cast<int>(*in.included_guests);
    }
    if (in.extra_guest) {
        auto minor = minor_of(*in.extra_guest, hotel, "extra_guest");
        if (!minor)
            return fail(minor.error());
        p.occupancy.extra_guest_minor = *minor;
    }
    if (in.inclusions) {
        if (in.inclusions->size() > kMaxInclusions)
            return unprocessable("inclusions", "has at most 10 items");
        p.inclusions.clear();
        for (std::size_t i = 0; i < in.inclusions->size(); ++i) {
            const auto& inc = (*in.inclusions)[i];
            const auto at = "inclusions[" + std::to_string(i) + "]";
            const auto name = trim(inc.name);
            if (!length_between(name, 1, 100))
                return unprocessable(at + ".name", "must be 1 to 100 characters");
            Inclusion item{std::string(name), 0};
            if (inc.amount) {
                auto minor = minor_of(*inc.amount, hotel, at + ".amount");
                if (!minor)
                    return fail(minor.error());
                item.amount_minor = *minor;
            }
            p.inclusions.push_back(std::move(item));
        }
    }
    if (in.derived_from.present) {
        p.derived_from.reset();
        if (const auto& d = in.derived_from.value) {
            const auto bp = parse_adjustment(d->adjustment_percent);
            if (!bp)
                return unprocessable("derived_from.adjustment_percent",
                                     "must be a percentage above -100 and at most 1000, with at "
                                     "most two decimals, such as \"-10\"");
            if (d->rate_plan_id == p.id)
                return unprocessable("derived_from.rate_plan_id", "cannot be the plan itself");
            p.derived_from = DerivedFrom{d->rate_plan_id, *bp};
        }
    }
    return p;
}

// A store's refusal of a plan's terms as the use case's error.
Failure<CatalogueError> terms_refused(StoreError e) {
    if (e == StoreError::has_derived)
        return refuse(Kind::conflict, "derived_from",
                      "rate plans derive from this plan, so it cannot follow another");
    return unprocessable("derived_from.rate_plan_id",
                         "is not a rate plan of this hotel that is live and not itself derived");
}

// 409 for a code that another live item of the hotel has.
Failure<CatalogueError> code_taken(const char* what) {
    return refuse(Kind::conflict, "code",
                  std::string("this hotel already has a ") + what + " with that code");
}

// A store's update as the use case's answer: the item, or 409 for a taken code, or 404.
template <class T>
CatalogueResult<T> update_result(Result<T, StoreError> updated, const char* what) {
    if (updated)
        return std::move(updated).value();
    if (updated.error() == StoreError::duplicate)
        return code_taken(what);
    return refuse(Kind::not_found, "", std::string("no such ") + what + " in this hotel");
}

// A refused retirement or room change as the use case's error.
Failure<CatalogueError> refusal_of(const ChangeRefusal& r, const char* what) {
    switch (r.error) {
        case StoreError::in_use:
            return fail(CatalogueError{
                Kind::in_use, "",
                std::string("stays hold this ") + what + "; move or cancel them first", r.stays});
        case StoreError::duplicate:
            return refuse(Kind::conflict, "number",
                          "this hotel already has a room with that number");
        case StoreError::unknown_room_type:
            return unprocessable("room_type_id", "is not a room type of this hotel");
        case StoreError::has_derived:
            return refuse(Kind::conflict, "",
                          "rate plans derive from this plan; retire them or make them "
                          "independent (derived_from: null) first");
        default:
            return refuse(Kind::not_found, "", std::string("no such ") + what + " in this hotel");
    }
}

std::optional<CatalogueError> check_hotel_fields(const std::optional<std::string>& name,
                                                 const std::optional<std::string>& city,
                                                 const std::optional<std::string>& country,
                                                 const std::optional<std::string>& timezone,
                                                 const std::optional<std::string>& currency) {
    auto bad = [](std::string f, std::string m) {
        return CatalogueError{Kind::unprocessable, std::move(f), std::move(m)};
    };
    if (name && !length_between(trim(*name), 1, 200))
        return bad("name", "must be 1 to 200 characters");
    if (city && !length_between(trim(*city), 1, 100))
        return bad("city", "must be 1 to 100 characters");
    if (country) {
        static const std::regex re("^[A-Z]{2}$");
        if (!std::regex_match(*country, re))
            return bad("country", "must be an ISO 3166 alpha-2 code such as PT");
    }
    if (timezone && !is_known_time_zone(*timezone))
        return bad("timezone", "is not a time zone of the tz database");
    if (currency && !Currency::of(*currency))
        return bad("currency", "is not an ISO 4217 currency code");
    return std::nullopt;
}

// [from, to) must be a non-empty range of at most `max_days` days.
std::optional<CatalogueError> range_problem(const Date& from, const Date& to, int max_days,
                                            const std::string& too_long) {
    const int days = days_between(from, to);
    if (days <= 0)
        return CatalogueError{Kind::unprocessable, "to", "must be after from"};
    if (days > max_days)
        return CatalogueError{Kind::unprocessable, "to", too_long};
    return std::nullopt;
}

}  // namespace

// --- hotels -----------------------------------------------------------------------------------

CatalogueService::Async<Hotel> CatalogueService::create_hotel(const Caller& caller, HotelInput in) {
    if (!may_create_hotels(caller))
        co_return forbidden();
    if (auto e = check_hotel_fields(in.name, in.city, in.country, in.timezone, in.currency))
        co_return fail(*e);
    Hotel h;
    h.name = std::string(trim(in.name));
    h.city = std::string(trim(in.city));
    h.country = in.country;
    h.timezone = in.timezone;
    h.currency = in.currency;
    if (in.check_in_time)
        h.check_in_time = *in.check_in_time;
    if (in.check_out_time)
        h.check_out_time = *in.check_out_time;
    Hotel created = co_await store_.create_hotel(std::move(h));
    co_return created;
}

bool is_percentage(std::string_view t) noexcept {
    const auto dot = t.find('.');
    const auto whole = t.substr(0, dot);
    const auto frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
    auto digits = [](std::string_view d) {
        for (char ch : d)
            if (ch < '0' || ch > '9')
                return false;
        return true;
    };
    if (whole.empty() || whole.size() > 2 || !digits(whole))
        return false;
    if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2 || !digits(frac)))
        return false;
    return true;
}

namespace {
// The taxes as the API shows them: the city tax as money of the hotel's currency.
CatalogueService::HotelTaxes shown(const TaxSettings& t, Currency currency) {
    CatalogueService::HotelTaxes out;
    out.vat_percent = t.vat_percent;
    if (t.city_tax_minor)
        out.city_tax = Money{*t.city_tax_minor, currency};
    return out;
}
}  // namespace

CatalogueService::Async<Hotel> CatalogueService::worked_at(const Caller& caller,
                                                           const std::string& hotel_id,
                                                           bool to_manage) {
    if (auto refused = refused_access(caller, hotel_id, to_manage))
        co_return std::move(*refused);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    co_return std::move(*found);
}

CatalogueService::Async<CatalogueService::HotelTaxes> CatalogueService::taxes(
    const Caller& caller, std::string hotel_id) {
    auto found = co_await worked_at(caller, hotel_id, false);
    if (!found)
        co_return fail(found.error());
    auto settings = co_await store_.taxes(hotel_id);
    co_return shown(settings, Currency::of(found->currency).value_or(Currency{}));
}

CatalogueService::Async<CatalogueService::HotelTaxes> CatalogueService::set_taxes(
    const Caller& caller, std::string hotel_id, TaxInput in) {
    auto found = co_await worked_at(caller, hotel_id, true);
    if (!found)
        co_return fail(found.error());
    const auto currency = Currency::of(found->currency).value_or(Currency{});
    TaxSettings settings;
    settings.vat_percent = in.vat_percent;
    if (in.city_tax_amount) {
        if (in.city_tax_currency.value_or("") != found->currency)
            co_return refuse(Kind::unprocessable, "city_tax",
                             "must be in the hotel's currency, " + found->currency);
        const auto amount = Money::parse(*in.city_tax_amount, currency);
        if (!amount)
            co_return refuse(Kind::unprocessable, "city_tax",
                             "is not an amount in " + found->currency);
        settings.city_tax_minor = amount->minor;
    }
    co_await store_.set_taxes(hotel_id, settings, caller.user_id);
    co_return shown(settings, currency);
}

CatalogueService::Async<Hotel> CatalogueService::update_hotel(const Caller& caller,
                                                              std::string hotel_id, HotelPatch p) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    if (auto e = check_hotel_fields(p.name, p.city, p.country, p.timezone, p.currency))
        co_return fail(*e);
    Hotel h = *found;
    if (p.currency && *p.currency != h.currency) {
        const bool has_money = co_await store_.has_money(hotel_id);
        if (has_money)
            co_return refuse(Kind::conflict, "currency",
                             "the hotel already has prices or stays in " + h.currency);
        h.currency = *p.currency;
    }
    if (p.name)
        h.name = std::string(trim(*p.name));
    if (p.city)
        h.city = std::string(trim(*p.city));
    if (p.country)
        h.country = *p.country;
    if (p.timezone)
        h.timezone = *p.timezone;
    if (p.check_in_time)
        h.check_in_time = *p.check_in_time;
    if (p.check_out_time)
        h.check_out_time = *p.check_out_time;
    Hotel updated = co_await store_.update_hotel(std::move(h));
    co_return updated;
}

CatalogueService::Async<Hotel> CatalogueService::hotel(std::string hotel_id) {
    auto found = co_await store_.find_hotel(std::move(hotel_id));
    if (!found)
        co_return no_hotel();
    co_return *found;
}

CatalogueService::Async<HotelPage> CatalogueService::hotels(long long page, long long per_page) {
    auto found = co_await store_.hotels((page - 1) * per_page, per_page);
    co_return found;
}

// --- inventory --------------------------------------------------------------------------------

CatalogueService::Async<RoomType> CatalogueService::create_room_type(const Caller& caller,
                                                                     std::string hotel_id,
                                                                     RoomTypeInput in) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    if (auto e = room_type_problem(in))
        co_return fail(*e);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    RoomType t;
    t.hotel_id = hotel_id;
    t.code = in.code;
    t.name = std::string(trim(in.name));
    t.max_occupancy = static_cast<int>(in.max_occupancy);
    t.description = in.description;
    auto created = co_await store_.create_room_type(std::move(t));
    if (!created)
        co_return code_taken("room type");
    co_return std::move(created).value();
}

CatalogueService::Async<std::vector<RoomType>> CatalogueService::room_types(std::string hotel_id) {
    co_return co_await of_hotel(std::move(hotel_id), &CatalogueStore::room_types);
}

CatalogueService::Async<Room> CatalogueService::create_room(const Caller& caller,
                                                            std::string hotel_id, RoomInput in) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    if (auto e = room_problem(in.number, in.floor))
        co_return fail(*e);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    Room r;
    r.hotel_id = hotel_id;
    r.room_type_id = in.room_type_id;
    r.number = in.number;
    if (in.floor)
        r.floor = static_cast<int>(*in.floor);
    auto created = co_await store_.create_room(std::move(r));
    if (!created) {
        if (created.error() == StoreError::duplicate)
            co_return refuse(Kind::conflict, "number",
                             "this hotel already has a room with that number");
        co_return unprocessable("room_type_id", "is not a room type of this hotel");
    }
    co_return std::move(created).value();
}

CatalogueService::Async<std::vector<Room>> CatalogueService::rooms(const Caller& caller,
                                                                   std::string hotel_id) {
    if (!may_operate_hotel(caller, hotel_id))
        co_return forbidden();
    co_return co_await of_hotel(std::move(hotel_id), &CatalogueStore::rooms);
}

// --- rate plans and rates ---------------------------------------------------------------------

CatalogueService::Async<RatePlan> CatalogueService::create_rate_plan(const Caller& caller,
                                                                     std::string hotel_id,
                                                                     RatePlanInput in) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    RatePlan fresh;
    fresh.hotel_id = hotel_id;
    auto plan = co_await drafted(hotel_id, std::move(fresh), in);
    if (!plan)
        co_return fail(plan.error());
    auto created = co_await store_.create_rate_plan(std::move(plan).value());
    if (!created) {
        if (created.error() == StoreError::duplicate)
            co_return code_taken("rate plan");
        co_return terms_refused(created.error());
    }
    co_return std::move(created).value();
}

CatalogueService::Async<RatePlan> CatalogueService::drafted(const std::string& hotel_id,
                                                            RatePlan base,
                                                            const RatePlanInput& in) {
    auto policy = policy_of(in);
    if (!policy)
        co_return fail(policy.error());
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    base.currency = found->currency;
    base.code = in.code;
    base.name = std::string(trim(in.name));
    base.policy = *policy;
    co_return with_terms(std::move(base), in.terms, *found);
}

CatalogueService::Async<std::vector<RatePlan>> CatalogueService::rate_plans(std::string hotel_id) {
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto plans = co_await store_.rate_plans(std::move(hotel_id));
    for (auto& p : plans)
        p.currency = found->currency;
    co_return plans;
}

template <class T>
CatalogueService::Async<T> CatalogueService::managed(
    const Caller& caller, const std::string& hotel_id, const std::string& id,
    CatalogueStore::Async<std::vector<T>> (CatalogueStore::*list)(std::string), const char* what) {
    if (auto refused = refused_access(caller, hotel_id, true))
        co_return std::move(*refused);
    auto all = co_await (store_.*list)(hotel_id);
    for (auto& item : all)
        if (item.id == id)
            co_return std::move(item);
    co_return refuse(Kind::not_found, "", std::string("no such ") + what + " in this hotel");
}

template <class T>
CatalogueService::Async<std::vector<T>> CatalogueService::of_hotel(
    std::string hotel_id,
    CatalogueStore::Async<std::vector<T>> (CatalogueStore::*list)(std::string)) {
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto items = co_await (store_.*list)(std::move(hotel_id));
    co_return items;
}

// --- maintenance ------------------------------------------------------------------------------

CatalogueService::Async<Unit> CatalogueService::retire(const Caller& caller, std::string hotel_id,
                                                       std::string id, const char* what,
                                                       Retirement retirement) {
    if (auto refused = refused_access(caller, hotel_id, true))
        co_return std::move(*refused);
    auto retired = co_await (store_.*retirement)(std::move(hotel_id), std::move(id));
    if (!retired)
        co_return refusal_of(retired.error(), what);
    co_return Unit{};
}
CatalogueService::Async<RoomType> CatalogueService::update_room_type(const Caller& caller,
                                                                     std::string hotel_id,
                                                                     std::string id,
                                                                     RoomTypePatch patch) {
    auto current = co_await managed(caller, hotel_id, id, &CatalogueStore::room_types, "room type");
    if (!current)
        co_return fail(current.error());
    RoomTypeInput in{patch.code.value_or(current->code), patch.name.value_or(current->name),
                     patch.max_occupancy.value_or(current->max_occupancy),
                     patch.description.present ? patch.description.value : current->description};
    if (auto e = room_type_problem(in))
        co_return fail(*e);
    RoomType t = *current;
    t.code = in.code;
    t.name = std::string(trim(in.name));
    t.max_occupancy = static_cast<int>(in.max_occupancy);
    t.description = in.description;
    auto updated = co_await store_.update_room_type(std::move(t));
    co_return update_result(std::move(updated), "room type");
}

CatalogueService::Async<Unit> CatalogueService::retire_room_type(const Caller& caller,
                                                                 std::string hotel_id,
                                                                 std::string id) {
    co_return co_await retire(caller, std::move(hotel_id), std::move(id), "room type",
                              &CatalogueStore::retire_room_type);
}

CatalogueService::Async<Room> CatalogueService::update_room(const Caller& caller,
                                                            std::string hotel_id, std::string id,
                                                            RoomPatch patch) {
    auto current = co_await managed(caller, hotel_id, id, &CatalogueStore::rooms, "room");
    if (!current)
        co_return fail(current.error());
    std::optional<long long> floor = current->floor;
    if (patch.floor.present)
        floor = patch.floor.value;
    if (auto e = room_problem(patch.number.value_or(current->number), floor))
        co_return fail(*e);
    RoomChange change;
    change.number = patch.number;
    change.set_floor = patch.floor.present;
    if (patch.floor.value)
        change.floor = static_cast<int>(*patch.floor.value);
    change.room_type_id = patch.room_type_id;
    auto changed = co_await store_.change_room(hotel_id, id, std::move(change));
    if (!changed)
        co_return refusal_of(changed.error(), "room");
    co_return std::move(changed).value();
}

CatalogueService::Async<Unit> CatalogueService::retire_room(const Caller& caller,
                                                            std::string hotel_id, std::string id) {
    co_return co_await retire(caller, std::move(hotel_id), std::move(id), "room",
                              &CatalogueStore::retire_room);
}

CatalogueService::Async<RatePlan> CatalogueService::update_rate_plan(const Caller& caller,
                                                                     std::string hotel_id,
                                                                     std::string id,
                                                                     RatePlanPatch patch) {
    auto current = co_await managed(caller, hotel_id, id, &CatalogueStore::rate_plans, "rate plan");
    if (!current)
        co_return fail(current.error());
    // The current terms, with the patch over them. Turning a plan non-refundable drops its
    // refundable terms unless the patch sends them (which is then refused, as on create).
    RatePlanInput in{patch.code.value_or(current->code), patch.name.value_or(current->name),
                     patch.refundable.value_or(current->policy.refundable), std::nullopt,
                     std::nullopt};
    if (in.refundable && current->policy.refundable) {
        in.free_cancellation_hours = current->policy.free_cancellation_hours;
        in.penalty = current->policy.penalty.to_string();
    }
    if (patch.free_cancellation_hours.present)
        in.free_cancellation_hours = patch.free_cancellation_hours.value;
    if (patch.penalty.present)
        in.penalty = patch.penalty.value;
    in.terms = std::move(patch.terms);
    auto plan = co_await drafted(hotel_id, std::move(current).value(), in);
    if (!plan)
        co_return fail(plan.error());
    auto updated = co_await store_.update_rate_plan(std::move(plan).value());
    if (!updated &&
        (updated.error() == StoreError::bad_parent || updated.error() == StoreError::has_derived))
        co_return terms_refused(updated.error());
    co_return update_result(std::move(updated), "rate plan");
}

CatalogueService::Async<Unit> CatalogueService::retire_rate_plan(const Caller& caller,
                                                                 std::string hotel_id,
                                                                 std::string id) {
    co_return co_await retire(caller, std::move(hotel_id), std::move(id), "rate plan",
                              &CatalogueStore::retire_rate_plan);
}

CatalogueService::Async<long long> CatalogueService::set_rates(const Caller& caller,
                                                               std::string hotel_id,
                                                               RatesUpdate u) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    if (auto e = range_problem(u.from, u.to, kMaxRateRangeDays, "a range has at most 731 days"))
        co_return fail(*e);
    for (const auto* f : {&u.min_stay, &u.max_stay})
        if (f->value && (*f->value < 1 || *f->value > kMaxNights))
            co_return unprocessable(f == &u.min_stay ? "min_stay" : "max_stay",
                                    "must be between 1 and 30");
    if (u.min_stay.value && u.max_stay.value && *u.min_stay.value > *u.max_stay.value)
        co_return unprocessable("min_stay", "must not exceed max_stay");
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();

    RatesWrite write;
    write.hotel_id = hotel_id;
    if (u.price.present && u.price.value) {
        const auto currency = *Currency::of(found->currency);
        if (auto problem = amount_problem(*u.price.value, currency)) {
            co_return unprocessable(
                "price", *problem == AmountError::too_many_decimals
                             ? "has more decimals than " + found->currency + " allows (" +
                                   std::to_string(currency.minor_unit()) + ")"
                             : "must be a positive decimal amount such as \"129.00\"");
        }
        const auto money = Money::parse(*u.price.value, currency);
        if (!money || money->minor <= 0)
            co_return unprocessable("price", "must be greater than zero");
        write.price_minor = Patch<std::int64_t>::set(money->minor);
    } else if (u.price.present) {
        write.price_minor = Patch<std::int64_t>::clear();
    }
    write.update = std::move(u);
    auto written = co_await store_.write_rates(std::move(write));
    if (!written) {
        switch (written.error()) {
            case StoreError::unknown_room_type:
                co_return unprocessable("room_type_id", "is not a room type of this hotel");
            case StoreError::unknown_rate_plan:
                co_return unprocessable("rate_plan_id", "is not a rate plan of this hotel");
            case StoreError::derived_plan:
                co_return refuse(Kind::conflict, "rate_plan_id",
                                 "this plan's rates follow the plan it derives from; set them "
                                 "there");
            default:
                co_return unprocessable("min_stay", "would exceed max_stay on some day");
        }
    }
    co_return written.value();
}

CatalogueService::Async<RatesView> CatalogueService::rates(const Caller& caller,
                                                           std::string hotel_id,
                                                           std::string room_type_id,
                                                           std::string rate_plan_id, Date from,
                                                           Date to) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    if (auto e = range_problem(from, to, kMaxRateRangeDays, "a range has at most 731 days"))
        co_return fail(*e);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto rows = co_await store_.rates(hotel_id, room_type_id, rate_plan_id, from, to);
    if (!rows) {
        if (rows.error() == StoreError::unknown_rate_plan)
            co_return unprocessable("rate_plan_id", "is not a rate plan of this hotel");
        co_return unprocessable("room_type_id", "is not a room type of this hotel");
    }
    co_return RatesView{found->currency, std::move(rows).value()};
}

// --- out of service and availability ----------------------------------------------------------

CatalogueService::Async<OutOfService> CatalogueService::take_out_of_service(const Caller& caller,
                                                                            std::string hotel_id,
                                                                            std::string room_id,
                                                                            Date from, Date to,
                                                                            std::string reason) {
    if (!may_manage_catalogue(caller, hotel_id))
        co_return forbidden();
    if (auto e = range_problem(from, to, kMaxRateRangeDays, "a period has at most 731 days"))
        co_return fail(*e);
    if (!length_between(trim(reason), 1, 500))
        co_return unprocessable("reason", "must be 1 to 500 characters");
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    // The same instants a stay over those nights would have, so that the one exclusion
    // constraint compares like with like.
    const auto clock = HotelClock::for_zone(found->timezone);
    if (!clock)
        co_return unprocessable("timezone", "the hotel's time zone is unknown");
    const auto starts = clock->instant_of(from, found->check_in_time);
    const auto ends = clock->instant_of(to, found->check_out_time);
    OutOfService oos;
    oos.hotel_id = hotel_id;
    oos.room_id = room_id;
    oos.from = from;
    oos.to = to;
    oos.reason = std::string(trim(reason));
    auto created = co_await store_.add_out_of_service(std::move(oos), starts, ends, caller.user_id);
    if (!created) {
        if (created.error() == StoreError::unknown_room)
            co_return refuse(Kind::not_found, "room_id", "no such room in this hotel");
        co_return refuse(Kind::conflict, "from",
                         "the room is booked or already out of service then");
    }
    co_return std::move(created).value();
}

CatalogueService::Async<std::vector<OutOfService>> CatalogueService::out_of_service(
    const Caller& caller, std::string hotel_id, Date from, Date to,
    std::optional<std::string> room_id) {
    if (auto refused = refused_access(caller, hotel_id, false))
        co_return std::move(*refused);
    if (auto e = range_problem(from, to, kMaxAvailabilityDays, "at most 366 days at a time"))
        co_return fail(*e);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto list = co_await store_.out_of_service(hotel_id, from, to, std::move(room_id));
    co_return list;
}

CatalogueService::Async<OutOfService> CatalogueService::change_out_of_service(
    const Caller& caller, std::string hotel_id, std::string id, OutOfServicePatch patch) {
    if (auto refused = refused_access(caller, hotel_id, true))
        co_return std::move(*refused);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto current = co_await store_.find_out_of_service(hotel_id, id);
    if (!current)
        co_return refuse(Kind::not_found, "", "no such period out of service in this hotel");
    OutOfService oos = *current;
    oos.from = patch.from.value_or(oos.from);
    oos.to = patch.to.value_or(oos.to);
    if (patch.reason)
        oos.reason = std::string(trim(*patch.reason));
    if (auto e =
            range_problem(oos.from, oos.to, kMaxRateRangeDays, "a period has at most 731 days"))
        co_return fail(*e);
    if (!length_between(oos.reason, 1, 500))
        co_return unprocessable("reason", "must be 1 to 500 characters");
    const auto clock = HotelClock::for_zone(found->timezone);
    if (!clock)
        co_return unprocessable("timezone", "the hotel's time zone is unknown");
    const auto starts = clock->instant_of(oos.from, found->check_in_time);
    const auto ends = clock->instant_of(oos.to, found->check_out_time);
    auto changed = co_await store_.change_out_of_service(std::move(oos), starts, ends);
    if (!changed) {
        if (changed.error() == StoreError::occupied)
            co_return refuse(Kind::conflict, "from",
                             "the room is booked or already out of service then");
        co_return refuse(Kind::not_found, "", "no such period out of service in this hotel");
    }
    co_return std::move(changed).value();
}

CatalogueService::Async<Unit> CatalogueService::lift_out_of_service(const Caller& caller,
                                                                    std::string hotel_id,
                                                                    std::string id) {
    if (auto refused = refused_access(caller, hotel_id, true))
        co_return std::move(*refused);
    const bool lifted = co_await store_.lift_out_of_service(hotel_id, id);
    if (!lifted)
        co_return refuse(Kind::not_found, "", "no such period out of service in this hotel");
    co_return Unit{};
}

CatalogueService::Async<std::vector<AvailabilityRow>> CatalogueService::availability(
    const Caller& caller, std::string hotel_id, Date from, Date to) {
    if (!may_operate_hotel(caller, hotel_id))
        co_return forbidden();
    if (auto e = range_problem(from, to, kMaxAvailabilityDays, "at most 366 days at a time"))
        co_return fail(*e);
    auto found = co_await store_.find_hotel(hotel_id);
    if (!found)
        co_return no_hotel();
    auto rows = co_await store_.availability(hotel_id, from, to);
    co_return rows;
}

}  // namespace hotel::core
