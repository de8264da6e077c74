#include "api/identity_routes.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "api/caller.hpp"
#include "api/json_body.hpp"
#include "api/problems.hpp"
#include "core/identity_service.hpp"
#include "core/infrastructure.hpp"
#include "http/jwt.hpp"

namespace hotel::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::IdentityError;

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
    return r;
}

http::Response identity_problem(const core::IdentityFailure& f) {
    switch (f.error) {
        case IdentityError::invalid_email:
        case IdentityError::invalid_hotel_scope: {
            // Syntax of a field: 400, as for any malformed input.
            return http::Response::from(http::make_problem(
                400, "validation_failed", "Validation failed", f.message, {{f.field, f.message}}));
        }
        case IdentityError::weak_password:
        case IdentityError::invalid_name:
        case IdentityError::unknown_hotel:
            return unprocessable(f.field, f.message);
        case IdentityError::email_taken:
            return problem(409, "email_taken", f.message);
        case IdentityError::forbidden:
            return problem(403, "forbidden", f.message);
        case IdentityError::invalid_credentials: {
            return problem(401, "invalid_credentials", f.message);
        }
        case IdentityError::rate_limited: {
            auto r = problem(429, "rate_limited", f.message);
            r.set_header("Retry-After",
                         std::to_string(std::max<long long>(1, f.retry_after.count())));
            return r;
        }
        case IdentityError::invalid_session: {
            auto r = problem(401, "unauthorized", f.message);
            r.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return r;
        }
        case IdentityError::not_found:
            return problem(404, "not_found", f.message);
        case IdentityError::self_lockout:
            return unprocessable(f.field, f.message);
    }
    return problem(500, "internal", "unexpected identity failure");
}

}  // namespace

void add_identity_routes(http::Router& router, Services& s) {
    router.add(
        "POST", "/v1/auth/register", [&s](http::Request& req) -> asio::awaitable<http::Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                JsonBody body(req, {"email", "password", "name"});
                auto email = body.string("email");
                auto password = body.string("password");
                auto name = body.string("name");
                if (!body.ok())
                    co_return body.problem();
                core::Credentials credentials{*email, *password, *name};
                std::string address = req.remote_address;
                auto result =
                    co_await s.identity->register_guest(std::move(credentials), std::move(address));
                if (!result)
                    co_return identity_problem(result.error());
                auto r = http::Response::json(201, json::serialize(user_json(*result, false)));
                co_return r;
            });
        });

    router.add(
        "POST", "/v1/auth/login", [&s](http::Request& req) -> asio::awaitable<http::Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                JsonBody body(req, {"email", "password"});
                auto email = body.string("email");
                auto password = body.string("password");
                if (!body.ok())
                    co_return body.problem();
                auto result = co_await s.identity->login(*email, *password, req.remote_address);
                if (!result)
                    co_return identity_problem(result.error());
                co_return session_response(s, *result);
            });
        });

    router.add("POST", "/v1/auth/refresh",
               [&s](http::Request& req) -> asio::awaitable<http::Response> {
                   co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                       JsonBody body(req, {"refresh_token"});
                       auto token = body.string("refresh_token");
                       if (!body.ok())
                           co_return body.problem();
                       auto result = co_await s.identity->refresh(std::move(*token));
                       if (!result)
                           co_return identity_problem(result.error());
                       co_return session_response(s, *result);
                   });
               });

    router.add("POST", "/v1/auth/logout",
               [&s](http::Request& req) -> asio::awaitable<http::Response> {
                   co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                       JsonBody body(req, {"refresh_token"});
                       auto token = body.string("refresh_token");
                       if (!body.ok())
                           co_return body.problem();
                       co_await s.identity->logout(std::move(*token));
                       http::Response r;
                       r.status = 204;
                       r.content_type.clear();
                       co_return r;
                   });
               });

    router.add(
        "GET", "/v1/me",
        [&s](http::Request& req) -> asio::awaitable<http::Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                auto user = co_await s.users->find_by_id(caller->user_id);
                if (!user)
                    co_return invalid_caller();  // the account is gone
                co_return http::Response::json(200, json::serialize(user_json(*user, true)));
            });
        },
        http::Access::authenticated);

    router.add(
        "POST", "/v1/users",
        [&s](http::Request& req) -> asio::awaitable<http::Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                // Function-level authorization comes before reading the body: a guest learns
                // nothing about what the endpoint accepts.
                if (!core::may_create_users(*caller))
                    co_return problem(403, "forbidden", "only admins create users");
                JsonBody body(req, {"email", "password", "name", "role", "hotel_ids"});
                auto email = body.string("email");
                auto password = body.string("password");
                auto name = body.string("name");
                auto role_text = body.string("role");
                auto hotel_ids = body.string_array("hotel_ids", false);
                std::optional<core::Role> role;
                if (role_text) {
                    role = core::parse_role(*role_text);
                    if (!role)
                        body.reject("role", "must be guest, staff, manager or admin");
                }
                for (const auto& h : hotel_ids.value_or(std::vector<std::string>{}))
                    if (!core::is_uuid(h))
                        body.reject("hotel_ids", "must hold hotel ids (UUIDs)");
                if (!body.ok())
                    co_return body.problem();
                core::Credentials credentials{*email, *password, *name};
                auto hotels = hotel_ids.value_or(std::vector<std::string>{});
                auto result = co_await s.identity->create_user(*caller, std::move(credentials),
                                                               *role, std::move(hotels));
                if (!result)
                    co_return identity_problem(result.error());
                co_return http::Response::json(201,
                                               json::serialize(user_json(*result, true, true)));
            });
        },
        http::Access::authenticated);

    router.add(
        "PATCH", "/v1/users/{id}",
        [&s](http::Request& req) -> asio::awaitable<http::Response> {
            co_return co_await guarded(req, [&]() -> asio::awaitable<http::Response> {
                auto caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
                if (!core::may_manage_users(*caller))
                    co_return problem(403, "forbidden", "only admins manage users");
                const std::string id(req.param("id"));
                if (!core::is_uuid(id))
                    co_return problem(404, "not_found", "no such user");
                JsonBody body(req, {"role", "hotel_ids", "disabled"});
                core::AccessChanges changes;
                if (auto role_text = body.string("role", false)) {
                    changes.role = core::parse_role(*role_text);
                    if (!changes.role)
                        body.reject("role", "must be guest, staff, manager or admin");
                }
                changes.hotel_ids = body.string_array("hotel_ids", false);
                for (const auto& h : changes.hotel_ids.value_or(std::vector<std::string>{}))
                    if (!core::is_uuid(h))
                        body.reject("hotel_ids", "must hold hotel ids (UUIDs)");
                changes.disabled = body.boolean("disabled", false);
                if (body.ok() && !changes.role && !changes.hotel_ids && !changes.disabled)
                    body.reject("", "give at least one of role, hotel_ids, disabled");
                if (!body.ok())
                    co_return body.problem();
                std::string user_id = id;
                auto result = co_await s.identity->change_access(*caller, std::move(user_id),
                                                                 std::move(changes));
                if (!result)
                    co_return identity_problem(result.error());
                co_return http::Response::json(200,
                                               json::serialize(user_json(*result, true, true)));
            });
        },
        http::Access::authenticated);
}

}  // namespace hotel::api
