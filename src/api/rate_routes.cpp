// Rate plans, daily rates and restrictions, and availability per room type and date.

#include <algorithm>

#include "api/catalogue_routes.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/catalogue_service.hpp"

namespace hotel::api {

json::array inclusions_json(const std::vector<core::Inclusion>& inclusions,
                            core::Currency currency) {
    json::array out;
    for (const auto& inc : inclusions)
        out.push_back(json::object{
            {"name", inc.name},
            {"amount", inc.amount_minor > 0
                           ? json::value(out::money(core::Money{inc.amount_minor, currency}))
                           : json::value(nullptr)}});
    return out;
}

namespace {

json::object rate_plan_json(const core::RatePlan& p) {
    json::object o{{"id", p.id},
                   {"hotel_id", p.hotel_id},
                   {"code", p.code},
                   {"name", p.name},
                   {"refundable", p.policy.refundable}};
    if (p.policy.refundable) {
        o["free_cancellation_hours"] = p.policy.free_cancellation_hours;
        o["penalty"] = p.policy.penalty.to_string();
    } else {
        // Never free to cancel: the whole stay, as offers and bookings of the plan say.
        o["free_cancellation_hours"] = nullptr;
        o["penalty"] = "full_stay";
    }
    const auto currency = core::Currency::of(p.currency).value_or(core::Currency{});
    o["included_guests"] = p.occupancy.included_guests;
    o["extra_guest"] = out::money(core::Money{p.occupancy.extra_guest_minor, currency});
    o["inclusions"] = inclusions_json(p.inclusions, currency);
    if (p.derived_from)
        o["derived_from"] = json::object{
            {"rate_plan_id", p.derived_from->plan_id},
            {"adjustment_percent", core::format_adjustment(p.derived_from->adjustment_bp)}};
    else
        o["derived_from"] = nullptr;
    return o;
}

// The pricing terms of a plan's body (POST and PATCH): absent fields keep the plan's.
core::RatePlanTermsInput read_terms(JsonBody& body) {
    core::RatePlanTermsInput in;
    in.included_guests = body.integer("included_guests", false);
    auto money_at = [&body](const std::string& field) -> std::optional<core::MoneyInput> {
        auto m = body.money(field, false);
        if (!m.amount || !m.currency)
            return std::nullopt;
        return core::MoneyInput{*m.amount, *m.currency};
    };
    in.extra_guest = money_at("extra_guest");
    if (auto n = body.objects("inclusions", core::kMaxInclusions)) {
        std::vector<core::InclusionInput> items;
        for (std::size_t i = 0; i < *n; ++i) {
            const auto at = "inclusions[" + std::to_string(i) + "]";
            body.object(at, {"name", "amount"});
            auto name = body.string(at + ".name");
            items.push_back({name.value_or(""), money_at(at + ".amount")});
        }
        in.inclusions = std::move(items);
    }
    if (body.is_null("derived_from")) {
        in.derived_from = core::Patch<core::DerivedFromInput>::clear();
    } else if (body.object("derived_from", {"rate_plan_id", "adjustment_percent"})) {
        auto plan = body.uuid("derived_from.rate_plan_id");
        auto percent = body.string("derived_from.adjustment_percent");
        if (plan && percent)
            in.derived_from = core::Patch<core::DerivedFromInput>::set({*plan, *percent});
    }
    return in;
}

json::value price_json(std::optional<std::int64_t> minor, const std::string& currency) {
    const auto c = core::Currency::of(currency);
    if (!minor || !c)
        return nullptr;
    return out::money(core::Money{*minor, *c});
}

json::object rate_json(const core::DailyRateRow& r, const std::string& currency) {
    return {{"date", core::format_date(r.date)},
            {"price", price_json(r.price_minor, currency)},
            {"min_stay", out::nullable(r.min_stay)},
            {"max_stay", out::nullable(r.max_stay)},
            {"closed_to_arrival", r.closed_to_arrival},
            {"closed_to_departure", r.closed_to_departure},
            {"stop_sell", r.stop_sell}};
}

json::object availability_json(const core::AvailabilityRow& a) {
    return {{"room_type_id", a.room_type_id},
            {"date", core::format_date(a.date)},
            {"total", a.total},
            {"booked", a.booked},
            {"out_of_service", a.out_of_service},
            {"available", a.available}};
}

// The body of PUT .../rates: which days, and what changes on them (a field absent is left as
// it is, null clears it).
core::RatesUpdate read_rates_update(JsonBody& body) {
    core::RatesUpdate u;
    u.room_type_id = body.uuid("room_type_id").value_or("");
    u.rate_plan_id = body.uuid("rate_plan_id").value_or("");
    u.from = body.date("from").value_or(core::Date{});
    u.to = body.date("to").value_or(core::Date{});
    if (auto days = body.string_array("weekdays", false)) {
        for (const auto& name : *days) {
            auto d = core::parse_weekday(name);
            if (!d) {
                body.reject("weekdays", "must name days as mon, tue, wed, thu, fri, sat, sun");
                break;
            }
            if (std::find(u.weekdays.begin(), u.weekdays.end(), *d) == u.weekdays.end())
                u.weekdays.push_back(*d);
        }
        if (days->empty())
            body.reject("weekdays", "must name at least one day when given");
    }
    u.price = patch_of(body, "price", body.string("price", false));
    for (auto [field, patch] :
         {std::pair{"min_stay", &u.min_stay}, std::pair{"max_stay", &u.max_stay}}) {
        if (!body.has(field))
            continue;
        if (body.is_null(field))
            *patch = core::Patch<int>::clear();
        else if (auto v = body.integer(field)) {
            if (*v < -1'000'000 || *v > 1'000'000)
                body.reject(field, "is out of range");
            else
                *patch = core::Patch<int>::set(static_cast<int>(*v));
        }
    }
    u.closed_to_arrival = body.boolean("closed_to_arrival", false);
    u.closed_to_departure = body.boolean("closed_to_departure", false);
    u.stop_sell = body.boolean("stop_sell", false);
    return u;
}

}  // namespace

void add_rate_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    // --- rate plans -----------------------------------------------------------------------------
    route(router, "POST", "/v1/hotels/{id}/rate-plans", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body =
                  c.body({"code", "name", "refundable", "free_cancellation_hours", "penalty",
                          "included_guests", "extra_guest", "inclusions", "derived_from"});
              auto code = body.string("code");
              auto name = body.string("name");
              auto refundable = body.boolean("refundable");
              auto hours = body.integer("free_cancellation_hours", false);
              auto penalty = body.string("penalty", false);
              auto terms = read_terms(body);
              c.check();
              core::RatePlanInput in{*code, *name, *refundable, hours, penalty, std::move(terms)};
              auto result = co_await s.catalogue->create_rate_plan(c.caller(), id, std::move(in));
              co_return out::json(201, rate_plan_json(take(result)));
          });

    route(router, "GET", "/v1/hotels/{id}/rate-plans", http::Access::open,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto page = read_page(c.query());
              c.check();
              auto result = co_await s.catalogue->rate_plans(id);
              co_return out::page(take(result), page, rate_plan_json);
          });

    route(router, "PATCH", "/v1/hotels/{id}/rate-plans/{plan_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto plan_id = c.path_uuid("plan_id");
              auto& body =
                  c.body({"code", "name", "refundable", "free_cancellation_hours", "penalty",
                          "included_guests", "extra_guest", "inclusions", "derived_from"});
              refuse_nulls(body, {"code", "name", "refundable", "included_guests", "extra_guest",
                                  "inclusions"});
              core::RatePlanPatch patch;
              patch.code = body.string("code", false);
              patch.name = body.string("name", false);
              patch.refundable = body.boolean("refundable", false);
              patch.free_cancellation_hours = patch_of(
                  body, "free_cancellation_hours", body.integer("free_cancellation_hours", false));
              patch.penalty = patch_of(body, "penalty", body.string("penalty", false));
              patch.terms = read_terms(body);
              c.check();
              auto result =
                  co_await s.catalogue->update_rate_plan(c.caller(), id, plan_id, std::move(patch));
              co_return out::json(200, rate_plan_json(take(result)));
          });

    add_retire_route(router, s, "/v1/hotels/{id}/rate-plans/{plan_id}", "plan_id",
                     &core::CatalogueService::retire_rate_plan);

    // --- rates ----------------------------------------------------------------------------------
    route(router, "PUT", "/v1/hotels/{id}/rates", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& body = c.body({"room_type_id", "rate_plan_id", "from", "to", "weekdays",
                                   "price", "min_stay", "max_stay", "closed_to_arrival",
                                   "closed_to_departure", "stop_sell"});
              auto update = read_rates_update(body);
              c.check();
              auto result = co_await s.catalogue->set_rates(c.caller(), id, std::move(update));
              co_return out::json(200, json::object{{"updated_days", take(result)}});
          });

    route(router, "GET", "/v1/hotels/{id}/rates", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& q = c.query();
              auto type = q.uuid("room_type_id", true);
              auto plan = q.uuid("rate_plan_id", true);
              const auto range = read_range(q);
              c.check();
              auto result =
                  co_await s.catalogue->rates(c.caller(), id, *type, *plan, range->from, range->to);
              const auto rates = take(result);
              auto items = out::array(rates.rows, [&rates](const core::DailyRateRow& r) {
                  return rate_json(r, rates.currency);
              });
              co_return out::json(200, json::object{{"items", std::move(items)}});
          });

    // --- availability ---------------------------------------------------------------------------
    route(router, "GET", "/v1/hotels/{id}/availability", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto range = read_range(c.query());
              c.check();
              auto result =
                  co_await s.catalogue->availability(c.caller(), id, range->from, range->to);
              co_return out::json(
                  200, json::object{{"items", out::array(take(result), availability_json)}});
          });
}

}  // namespace hotel::api
