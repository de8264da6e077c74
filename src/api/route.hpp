#pragma once
// One shape for every handler (docs/ARCHITECTURE.md, "Adding an endpoint"). route() registers
// a handler that receives a Call: the caller already resolved, typed readers of the path, the
// query and the body, and take() to turn a use case's refusal into its problem. The wrapper
// answers what every handler used to answer by hand:
// - a verified token that names no usable caller: 401 (invalid_caller);
// - a malformed id in the path: 404 not_found, as for an id that does not exist (a path with
//   no resource behind it; decided once for every route, issue 13);
// - the collected input problems of the query and the body: 400 (Call::check);
// - a refusal thrown by take() or a reader: its problem;
// - a database failure: 503 `unavailable` or 500 (database_problem).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace hotel::core {
struct CatalogueError;
struct ShoppingError;
struct BookingError;
struct IdentityFailure;
struct FrontDeskError;
struct ReportError;
struct EventError;
}  // namespace hotel::core

namespace hotel::api {

// Thrown inside a handler to answer with `response` instead.
struct Refusal {
    http::Response response;
};

// Each use case's refusals as problems (defined beside the routes of that use case).
http::Response problem_of(const core::CatalogueError& e);
http::Response problem_of(const core::ShoppingError& e);
http::Response problem_of(const core::BookingError& e);
http::Response problem_of(const core::IdentityFailure& e);
http::Response problem_of(const core::FrontDeskError& e);
http::Response problem_of(const core::ReportError& e);
http::Response problem_of(const core::EventError& e);

// A use case's value, or its refusal thrown as the problem that answers it.
template <class T, class E>
T take(core::Result<T, E>& result) {
    if (!result)
        throw Refusal{problem_of(result.error())};
    return std::move(result).value();
}

class Call {
  public:
    Call(http::Request& request, std::optional<core::Caller> caller);
    ~Call();
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

    http::Request& request;

    // The caller. Authenticated routes always have one; on an optional route has_caller()
    // says whether the request carried a token.
    const core::Caller& caller() const { return *caller_; }
    bool has_caller() const { return caller_.has_value(); }

    // A path parameter naming a resource by id: a malformed one is refused with 404.
    std::string path_uuid(std::string_view name) const;
    // The query string (parsed on first use); its readers collect errors for check().
    Query& query();
    // The JSON body with every field the endpoint accepts (read once, on first use).
    JsonBody& body(std::initializer_list<std::string_view> allowed);
    // Refuses with the collected problems of the query, then of the body, if there are any.
    void check();
    // If-Match as a booking version (nullopt when absent or *); a malformed one is refused.
    std::optional<int> if_match() const;

  private:
    std::optional<core::Caller> caller_;
    std::optional<Query> query_;
    std::unique_ptr<JsonBody> body_;
};

using CallHandler = std::function<boost::asio::awaitable<http::Response>(Call&)>;

// Registers `handler` for method and pattern behind the wrapper described above.
void route(http::Router& router, std::string method, std::string_view pattern, http::Access access,
           CallHandler handler);

// 403 forbidden with a message, thrown.
[[noreturn]] void forbid(std::string message);

}  // namespace hotel::api
