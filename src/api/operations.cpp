#include "api/operations.hpp"

namespace hotel::api {

void add_operation_routes(http::Router& router, Services&) {
    // The process answers: it is serving. Readiness (the database) is /ready's question.
    router.add("GET", "/health", [](http::Request&) -> boost::asio::awaitable<http::Response> {
        co_return http::Response::json(200, R"({"status":"ok"})");
    });
}

}  // namespace hotel::api
