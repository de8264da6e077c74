#include "api/identity_routes.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "api/caller.hpp"
#include "api/json_out.hpp"
#include "api/route.hpp"
#include "core/identity_service.hpp"
#include "core/infrastructure.hpp"
#include "http/jwt.hpp"
#include "http/text.hpp"

namespace hotel::api {

namespace {

json::object user_json(const core::UserRecord& u, bool with_hotels, bool with_status = false) {
    json::object o{{"id", u.id},
                   {"email", u.email},
                   {"name", u.name},
                   {"role", std::string(core::to_string(u.role))}};
    if (with_hotels) {
        json::array hotels;
        for (const auto& h : u.hotel_ids)
            hotels.emplace_back(h);
        o["hotel_ids"] = std::move(hotels);
    }
    if (with_status)
        o["disabled"] = u.disabled;
    return o;
}

constexpr std::string_view kRefreshCookie = "hotel_refresh";

// The value of the request's cookie `name` (RFC 6265: "a=b; c=d").
std::optional<std::string_view> cookie_value(const http::Request& req, std::string_view name) {
    const auto header = req.header("cookie");
    if (!header)
        return std::nullopt;
    for (const auto pair : http::list_items(*header, ';')) {
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name && eq + 1 < pair.size())
            return pair.substr(eq + 1);
    }
    return std::nullopt;
}

// The answer to a login or a refresh: a short access token naming the account's current
// token version, and the session's next refresh token.
http::Response session_response(Services& s, const core::Session& session) {
    const auto& u = session.user;
    http::TokenClaims claims;
    claims.sub = u.id;
    claims.role = std::string(core::to_string(u.role));
    claims.hotel_ids = u.hotel_ids;
    claims.version = u.token_version;
    const auto token = s.tokens->sign(claims, std::chrono::system_clock::now());
    json::object o{{"access_token", token},
                   {"token_type", "Bearer"},
                   {"expires_in", s.tokens->settings().ttl.count()},
                   {"refresh_token", session.refresh_token},
                   {"refresh_expires_in", session.refresh_lifetime.count()}};
    auto r = http::Response::json(200, json::serialize(o));
    r.set_header("Cache-Control", "no-store");
    // For the web app (issue 14): the same refresh token in a cookie that page scripts cannot
    // read and that only the session endpoints receive, and never from another site.
    r.set_header("Set-Cookie", std::string(kRefreshCookie) + "=" + session.refresh_token +
                                   "; Path=/v1/auth; Max-Age=" +
                                   std::to_string(session.refresh_lifetime.count()) +
                                   "; HttpOnly; Secure; SameSite=Strict");
    return r;
}

// The refresh token of a refresh or a logout: the body's {"refresh_token"}, or with no body
// at all, the session cookie (the web app's way).
std::optional<std::string> refresh_token_of(Call& c) {
    if (c.request.body.empty()) {
        if (auto cookie = cookie_value(c.request, kRefreshCookie))
            return std::string(*cookie);
    }
    return c.body({"refresh_token"}).string("refresh_token");
}

std::optional<core::Role> read_role(JsonBody& body, bool required) {
    auto text = body.string("role", required);
    if (!text)
        return std::nullopt;
    auto role = core::parse_role(*text);
    if (!role)
        body.reject("role", "must be guest, staff, manager or admin");
    return role;
}

std::optional<std::vector<std::string>> read_hotel_ids(JsonBody& body) {
    auto ids = body.string_array("hotel_ids", false);
    for (const auto& h : ids.value_or(std::vector<std::string>{}))
        if (!core::is_uuid(h)) {
            body.reject("hotel_ids", "must hold hotel ids (UUIDs)");
            break;
        }
    return ids;
}

}  // namespace

void add_identity_routes(http::Router& router, Services& s) {
    const auto open = http::Access::open;
    const auto authed = http::Access::authenticated;

    route(router, "POST", "/v1/auth/register", open,
          [&s](Call& c) -> asio::awaitable<http::Response> {
              auto& body = c.body({"email", "password", "name"});
              auto email = body.string("email");
              auto password = body.string("password");
              auto name = body.string("name");
              c.check();
              core::Credentials credentials{*email, *password, *name};
              std::string address = c.request.remote_address;
              auto result =
                  co_await s.identity->register_guest(std::move(credentials), std::move(address));
              co_return out::json(201, user_json(take(result), false));
          });

    route(router, "POST", "/v1/auth/login", open, [&s](Call& c) -> asio::awaitable<http::Response> {
        auto& body = c.body({"email", "password"});
        auto email = body.string("email");
        auto password = body.string("password");
        c.check();
        auto result = co_await s.identity->login(*email, *password, c.request.remote_address);
        co_return session_response(s, take(result));
    });

    route(router, "POST", "/v1/auth/refresh", open,
          [&s](Call& c) -> asio::awaitable<http::Response> {
              auto token = refresh_token_of(c);
              c.check();
              auto result = co_await s.identity->refresh(std::move(*token));
              co_return session_response(s, take(result));
          });

    route(router, "POST", "/v1/auth/logout", open,
          [&s](Call& c) -> asio::awaitable<http::Response> {
              auto token = refresh_token_of(c);
              c.check();
              co_await s.identity->logout(std::move(*token));
              auto r = out::no_content();
              r.set_header("Set-Cookie", std::string(kRefreshCookie) +
                                             "=; Path=/v1/auth; Max-Age=0; HttpOnly; Secure; "
                                             "SameSite=Strict");
              co_return r;
          });

    route(router, "GET", "/v1/me", authed, [&s](Call& c) -> asio::awaitable<http::Response> {
        auto user = co_await s.users->find_by_id(c.caller().user_id);
        if (!user)
            co_return invalid_caller();  // the account is gone
        co_return out::json(200, user_json(*user, true));
    });

    route(router, "POST", "/v1/users", authed, [&s](Call& c) -> asio::awaitable<http::Response> {
        // Function-level authorization comes before reading the body: a guest learns nothing
        // about what the endpoint accepts.
        if (!core::may_create_users(c.caller()))
            forbid("only admins create users");
        auto& body = c.body({"email", "password", "name", "role", "hotel_ids"});
        auto email = body.string("email");
        auto password = body.string("password");
        auto name = body.string("name");
        auto role = read_role(body, true);
        auto hotel_ids = read_hotel_ids(body);
        c.check();
        core::Credentials credentials{*email, *password, *name};
        auto hotels = hotel_ids.value_or(std::vector<std::string>{});
        auto result = co_await s.identity->create_user(c.caller(), std::move(credentials), *role,
                                                       std::move(hotels));
        co_return out::json(201, user_json(take(result), true, true));
    });

    route(router, "GET", "/v1/users", authed, [&s](Call& c) -> asio::awaitable<http::Response> {
        if (!core::may_manage_users(c.caller()))
            forbid("only admins list users");
        auto& q = c.query();
        core::UserQuery query;
        if (auto text = q.text("role")) {
            query.role = core::parse_role(*text);
            if (!query.role)
                q.reject("role", "must be guest, staff, manager or admin");
        }
        query.hotel_id = q.uuid("hotel_id");
        query.email_prefix = q.text("email").value_or("");
        if (query.email_prefix.size() > 254)
            q.reject("email", "must be at most 254 characters");
        if (auto text = q.text("after")) {
            if (core::is_uuid(*text))
                query.after = std::move(*text);
            else
                q.reject("after", "must be a cursor from an earlier page");
        }
        const auto limit = q.integer("limit", 1, core::kMaxUserPageLimit);
        const int page_size = static_cast<int>(limit.value_or(core::kDefaultUserPageLimit));
        query.limit = page_size;
        c.check();
        auto result = co_await s.identity->list_users(c.caller(), std::move(query));
        const auto page = take(result);
        auto items = out::array(page.items,
                                [](const core::UserRecord& u) { return user_json(u, true, true); });
        co_return out::json(200, json::object{{"items", std::move(items)},
                                              {"next_cursor", out::nullable(page.next_cursor)},
                                              {"has_more", page.has_more},
                                              {"limit", page_size}});
    });

    route(router, "PATCH", "/v1/users/{id}", authed,
          [&s](Call& c) -> asio::awaitable<http::Response> {
              if (!core::may_manage_users(c.caller()))
                  forbid("only admins manage users");
              auto id = c.path_uuid("id");
              auto& body = c.body({"role", "hotel_ids", "disabled"});
              core::AccessChanges changes;
              changes.role = read_role(body, false);
              changes.hotel_ids = read_hotel_ids(body);
              changes.disabled = body.boolean("disabled", false);
              if (body.ok() && !changes.role && !changes.hotel_ids && !changes.disabled)
                  body.reject("", "give at least one of role, hotel_ids, disabled");
              c.check();
              auto result =
                  co_await s.identity->change_access(c.caller(), std::move(id), std::move(changes));
              co_return out::json(200, user_json(take(result), true, true));
          });
}

}  // namespace hotel::api
