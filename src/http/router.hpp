#pragma once
// Method + path routing with {param} segments. An unknown path is a 404; a known path with
// another method is a 405 that lists the allowed methods. HEAD is routed to a path's GET
// handler (the server drops the body) and listed in Allow wherever GET is (the server leaves
// it out of CORS preflights: HEAD is never preflighted).

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace hotel::http {

// Whether a route needs a verified bearer token (the server answers 401 before the handler).
// `optional`: a token, when sent, must verify (else 401) and sets the principal; none is fine.
enum class Access { open, optional, authenticated };

class Router {
  public:
    // pattern: "/v1/hotels/{id}/rooms"; a {name} segment matches any non-empty segment.
    void add(std::string method, std::string_view pattern, Handler handler,
             Access access = Access::open);

    struct Match {
        enum class Kind { found, not_found, method_not_allowed } kind = Kind::not_found;
        const Handler* handler = nullptr;
        Access access = Access::open;
        std::vector<std::pair<std::string, std::string>> params;
        std::string allow;  // for method_not_allowed: "GET, POST"
        // The route that answers (found only).
        std::size_t route = Request::kNoRoute;
    };
    Match match(std::string_view method, std::string_view path) const;

    // Routes in the order they were added; name(i): their method and path template.
    std::size_t size() const noexcept { return routes_.size(); }
    std::pair<std::string_view, std::string_view> name(std::size_t i) const {
        return {routes_[i].method, routes_[i].pattern};
    }

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;  // "{name}" marks a parameter
        Handler handler;
        Access access;
    };
    std::vector<Route> routes_;
};

}  // namespace hotel::http
