#include "api/caller.hpp"

#include "pg/types.hpp"

namespace hotel::api {

std::optional<core::Caller> caller_of(const http::Request& request) {
    if (!request.principal)
        return std::nullopt;
    const auto& p = *request.principal;
    auto role = core::parse_role(p.role);
    if (!role || !pg::Uuid::valid(p.subject))
        return std::nullopt;
    for (const auto& h : p.hotel_ids)
        if (!pg::Uuid::valid(h))
            return std::nullopt;
    return core::Caller{p.subject, *role, p.hotel_ids};
}

http::Response invalid_caller() {
    auto r = http::Response::from(http::make_problem(401, "unauthorized", "Unauthorized",
                                                     "The access token is not valid here."));
    r.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
}

}  // namespace hotel::api
