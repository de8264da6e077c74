#include "api/identity_routes.hpp"

#include <boost/json.hpp>

#include "api/caller.hpp"
#include "api/json_body.hpp"
#include "api/problems.hpp"
#include "core/identity_service.hpp"
#include "http/jwt.hpp"
#include "pg/error.hpp"
#include "pg/types.hpp"

namespace hotel::api {

namespace asio = boost::asio;
namespace json = boost::json;
using core::IdentityError;

namespace {

json::object user_json(const core::UserRecord& u, bool with_hotels) {
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
    return o;
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
            r.set_header("Retry-After", std::to_string(f.retry_after.count()));
            return r;
        }
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
                auto result = co_await s.identity->register_guest(std::move(credentials));
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
                http::TokenClaims claims{result->id, std::string(core::to_string(result->role)),
                                         result->hotel_ids};
                const auto token = s.tokens->sign(claims, std::chrono::system_clock::now());
                json::object o{{"access_token", token},
                               {"token_type", "Bearer"},
                               {"expires_in", s.tokens->settings().ttl.count()}};
                auto r = http::Response::json(200, json::serialize(o));
                r.set_header("Cache-Control", "no-store");
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
                    if (!pg::Uuid::valid(h))
                        body.reject("hotel_ids", "must hold hotel ids (UUIDs)");
                if (!body.ok())
                    co_return body.problem();
                core::Credentials credentials{*email, *password, *name};
                auto hotels = hotel_ids.value_or(std::vector<std::string>{});
                auto result = co_await s.identity->create_user(*caller, std::move(credentials),
                                                               *role, std::move(hotels));
                if (!result)
                    co_return identity_problem(result.error());
                co_return http::Response::json(201, json::serialize(user_json(*result, true)));
            });
        },
        http::Access::authenticated);
}

}  // namespace hotel::api
