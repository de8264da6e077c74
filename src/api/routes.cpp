#include "api/routes.hpp"

#include "api/booking_routes.hpp"
#include "api/catalogue_routes.hpp"
#include "api/event_routes.hpp"
#include "api/identity_routes.hpp"
#include "api/operations.hpp"
#include "api/report_routes.hpp"
#include "http/static_files.hpp"

namespace hotel::api {

namespace asio = boost::asio;

http::Router make_router(Services& services) {
    http::Router router;
    add_operation_routes(router, services);
    add_identity_routes(router, services);
    add_hotel_routes(router, services);
    add_shopping_routes(router, services);
    add_room_routes(router, services);
    add_rate_routes(router, services);
    add_booking_routes(router, services);
    add_front_desk_routes(router, services);
    add_report_routes(router, services);
    add_event_routes(router, services);
    // The web app (issue 14): its page at / and its files at /app/<release>/<name> (or by
    // their plain names at /app/<name>), from memory.
    if (services.web && services.web->size() > 0) {
        const auto* web = services.web;
        auto file = [web](std::string_view name, http::Request& req,
                          std::string_view release = {}) {
            if (auto r = web->serve(name, req, release))
                return std::move(*r);
            return http::Response::from(
                http::make_problem(404, "not_found", "Not found", "no such file of the web app"));
        };
        router.add("GET", "/", [file](http::Request& req) -> asio::awaitable<http::Response> {
            co_return file("index.html", req);
        });
        router.add("GET", "/app/{file}",
                   [file](http::Request& req) -> asio::awaitable<http::Response> {
                       co_return file(req.param("file"), req);
                   });
        router.add("GET", "/app/{release}/{file}",
                   [file](http::Request& req) -> asio::awaitable<http::Response> {
                       co_return file(req.param("file"), req, req.param("release"));
                   });
    }
    return router;
}

}  // namespace hotel::api
