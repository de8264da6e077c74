#include "api/operations.hpp"

#include "api/problems.hpp"
#include "pg/error.hpp"
#include "pg/pool.hpp"
#include "storage/statements.hpp"

namespace hotel::api {

namespace asio = boost::asio;

void add_operation_routes(http::Router& router, Services& services) {
    // The process answers: it is serving. Whether the database answers is /ready's question.
    router.add("GET", "/health", [](http::Request&) -> asio::awaitable<http::Response> {
        co_return http::Response::json(200, R"({"status":"ok"})");
    });

    // Ready when a pooled SELECT 1 succeeds within one second.
    router.add("GET", "/ready", [&services](http::Request& req) -> asio::awaitable<http::Response> {
        const auto deadline = pg::Clock::now() + std::chrono::seconds(1);
        try {
            auto conn = co_await services.pool->acquire(deadline);
            co_await conn->execute(storage::sql::ping, {}, deadline);
            co_return http::Response::json(200, R"({"status":"ready"})");
        } catch (const pg::Error& e) {
            auto r = database_problem(e, req.request_id);
            if (r.status != 503) {
                r = http::Response::from(http::make_problem(503, "unavailable",
                                                            "Service unavailable",
                                                            "The database is not ready."));
                r.set_header("Retry-After", "1");
            }
            co_return r;
        }
    });
}

}  // namespace hotel::api
