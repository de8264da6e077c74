// Events out (issue 15, part 1; docs/WEBHOOKS.md): the event feed of a hotel, resumable from a
// cursor, and its webhook subscriptions with their deliveries. The rules are core's
// (core/events.hpp); this file reads the input and renders.

#include "api/event_routes.hpp"

#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/events.hpp"

namespace hotel::api {

namespace {

json::value nullable_instant(const std::optional<core::Instant>& t) {
    return t ? json::value(core::format_instant(*t)) : json::value(nullptr);
}

// One event, as the feed lists it and as a webhook delivery's body carries it.
json::object event_json(const core::Event& e) {
    json::error_code ec;
    auto data = json::parse(e.payload_json, ec);
    if (ec)
        data = json::object{};
    return {{"id", std::to_string(e.id)},
            {"sequence", std::to_string(e.seq)},
            {"type", e.type},
            {"hotel_id", e.hotel_id},
            {"booking_id", e.booking_id},
            {"version", e.version},
            {"actor_id", out::nullable(e.actor_id)},
            {"occurred_at", core::format_instant(e.at)},
            {"data", std::move(data)}};
}

// The secret is write-only: never rendered.
json::object subscription_json(const core::Subscription& s) {
    json::array events;
    for (const auto& e : s.events)
        events.emplace_back(e);
    return {{"id", s.id},
            {"hotel_id", s.hotel_id},
            {"url", s.url},
            {"events", std::move(events)},
            {"created_at", core::format_instant(s.created_at)}};
}

json::object delivery_json(const core::Delivery& d) {
    return {{"sequence", std::to_string(d.seq)},
            {"event_id", std::to_string(d.event_id)},
            {"event_type", d.event_type},
            {"status", std::string(core::to_string(d.status))},
            {"attempts", d.attempts},
            {"created_at", core::format_instant(d.created_at)},
            {"next_attempt_at", nullable_instant(d.next_attempt_at)},
            {"last_attempt_at", nullable_instant(d.last_attempt_at)},
            {"last_status", out::nullable(d.last_status)},
            {"last_error", out::nullable(d.last_error)},
            {"delivered_at", nullable_instant(d.delivered_at)}};
}

// ?after=<cursor>&limit=: the cursor (0 when absent) and the page size (default 100).
std::pair<std::int64_t, int> read_cursor(Query& q) {
    std::int64_t after = 0;
    if (auto text = q.text("after")) {
        if (auto c = core::parse_cursor(*text))
            after = *c;
        else
            q.reject("after", "must be a cursor from an earlier page (digits)");
    }
    const auto limit = q.integer("limit", 1, core::kMaxFeedLimit);
    return {after, static_cast<int>(limit.value_or(core::kDefaultFeedLimit))};
}

json::object cursor_page(json::array items, std::int64_t next_cursor, bool has_more,
                         int limit) {
    return {{"items", std::move(items)},
            {"next_cursor", std::to_string(next_cursor)},
            {"has_more", has_more},
            {"limit", limit}};
}

}  // namespace

void add_event_routes(http::Router& router, Services& s) {
    const auto authed = http::Access::authenticated;

    route(router, "GET", "/v1/hotels/{id}/events", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto [after, limit] = read_cursor(c.query());
              c.check();
              auto result = co_await s.events->feed(c.caller(), id, after, limit);
              const auto page = take(result);
              co_return out::json(200, cursor_page(out::array(page.items, event_json),
                                                   page.next_cursor, page.has_more, limit));
          });

    route(router, "POST", "/v1/hotels/{id}/webhooks", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              auto& b = c.body({"url", "events", "secret"});
              auto url = b.string("url");
              auto events = b.string_array("events");
              auto secret = b.string("secret");
              c.check();
              auto result =
                  co_await s.events->subscribe(c.caller(), id, *url, *events, *secret);
              const auto sub = take(result);
              auto r = out::json(201, subscription_json(sub));
              r.set_header("Location", "/v1/hotels/" + id + "/webhooks/" + sub.id);
              co_return r;
          });

    route(router, "GET", "/v1/hotels/{id}/webhooks", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto page = read_page(c.query());
              c.check();
              auto result = co_await s.events->subscriptions(c.caller(), id);
              const auto list = take(result);
              co_return out::page(list, page, subscription_json);
          });

    route(router, "GET", "/v1/hotels/{id}/webhooks/{webhook_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto webhook = c.path_uuid("webhook_id");
              auto result = co_await s.events->subscription(c.caller(), id, webhook);
              co_return out::json(200, subscription_json(take(result)));
          });

    route(router, "DELETE", "/v1/hotels/{id}/webhooks/{webhook_id}", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto webhook = c.path_uuid("webhook_id");
              auto result = co_await s.events->unsubscribe(c.caller(), id, webhook);
              take(result);
              co_return out::no_content();
          });

    route(router, "GET", "/v1/hotels/{id}/webhooks/{webhook_id}/deliveries", authed,
          [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto webhook = c.path_uuid("webhook_id");
              auto& q = c.query();
              const auto [after, limit] = read_cursor(q);
              std::optional<core::DeliveryStatus> status;
              if (auto text = q.text("status")) {
                  status = core::parse_delivery_status(*text);
                  if (!status)
                      q.reject("status", "must be pending, delivered or dead");
              }
              c.check();
              auto result =
                  co_await s.events->deliveries(c.caller(), id, webhook, after, status, limit);
              const auto page = take(result);
              co_return out::json(200, cursor_page(out::array(page.items, delivery_json),
                                                   page.next_cursor, page.has_more, limit));
          });

    route(router, "POST", "/v1/hotels/{id}/webhooks/{webhook_id}/deliveries/{sequence}/replay",
          authed, [&s](Call& c) -> asio::awaitable<Response> {
              const auto id = c.path_uuid("id");
              const auto webhook = c.path_uuid("webhook_id");
              const auto seq = core::parse_cursor(c.request.param("sequence"));
              if (!seq)
                  throw Refusal{problem(404, "not_found", "no such delivery")};
              auto result = co_await s.events->replay(c.caller(), id, webhook, *seq);
              co_return out::json(202, delivery_json(take(result)));
          });
}

}  // namespace hotel::api
