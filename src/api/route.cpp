#include "api/route.hpp"

#include "api/caller.hpp"
#include "api/problems.hpp"
#include "core/infrastructure.hpp"

namespace hotel::api {

namespace asio = boost::asio;

Call::Call(http::Request& r, std::optional<core::Caller> caller)
    : request(r), caller_(std::move(caller)) {}

Call::~Call() = default;

std::string Call::path_uuid(std::string_view name) const {
    std::string id(request.param(name));
    if (!core::is_uuid(id))
        throw Refusal{problem(404, "not_found", "nothing has this id")};
    return id;
}

Query& Call::query() {
    if (!query_)
        query_.emplace(request.query);
    return *query_;
}

JsonBody& Call::body(std::initializer_list<std::string_view> allowed) {
    if (!body_)
        body_ = std::make_unique<JsonBody>(request, allowed);
    return *body_;
}

void Call::check() {
    if (query_ && !query_->ok())
        throw Refusal{query_->problem()};
    if (body_ && !body_->ok())
        throw Refusal{body_->problem()};
}

std::optional<int> Call::if_match() const {
    const auto version = if_match_version(request);
    if (version && *version < 0)
        throw Refusal{bad_if_match()};
    return version;
}

void forbid(std::string message) {
    throw Refusal{problem(403, "forbidden", std::move(message))};
}

void route(http::Router& router, std::string method, std::string_view pattern, http::Access access,
           CallHandler handler) {
    router.add(
        std::move(method), pattern,
        [handler = std::move(handler)](http::Request& req) -> asio::awaitable<http::Response> {
            std::optional<core::Caller> caller;
            if (req.principal) {
                caller = caller_of(req);
                if (!caller)
                    co_return invalid_caller();
            }
            Call call(req, std::move(caller));
            try {
                co_return co_await handler(call);
            } catch (Refusal& refusal) {
                co_return std::move(refusal.response);
            } catch (const core::InfrastructureError& e) {
                co_return database_problem(e, req.request_id);
            }
        },
        access);
}

}  // namespace hotel::api
