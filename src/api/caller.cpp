#include "api/caller.hpp"

#include "api/problems.hpp"
#include "core/infrastructure.hpp"

namespace hotel::api {

std::optional<core::Caller> caller_of(const http::Request& request) {
    if (!request.principal)
        return std::nullopt;
    const auto& p = *request.principal;
    auto role = core::parse_role(p.role);
    if (!role || !core::is_uuid(p.subject))
        return std::nullopt;
    for (const auto& h : p.hotel_ids)
        if (!core::is_uuid(h))
            return std::nullopt;
    return core::Caller{p.subject, *role, p.hotel_ids};
}

http::Response invalid_caller() {
    auto r = http::Response::from(http::make_problem(401, "unauthorized", "Unauthorized",
                                                     "The access token is not valid here."));
    r.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
}

std::function<boost::asio::awaitable<std::optional<http::Response>>(const http::Request&)>
make_principal_check(core::AccountCache& accounts) {
    return [&accounts](
               const http::Request& req) -> boost::asio::awaitable<std::optional<http::Response>> {
        try {
            std::string user_id = req.principal->subject;
            const long long version = req.principal->token_version;
            const bool admitted = co_await accounts.admits(std::move(user_id), version);
            if (admitted)
                co_return std::nullopt;
        } catch (const core::InfrastructureError& e) {
            co_return database_problem(e, req.request_id);
        }
        co_return invalid_caller();
    };
}

}  // namespace hotel::api
