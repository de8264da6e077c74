#pragma once
// Transport-neutral request and response values. Handlers see only these; Beast stays inside
// server.cpp so that its templates are compiled once.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/problem_code.hpp"

namespace hotel::http {

struct Header {
    std::string name;  // lower-case
    std::string value;
};

struct FieldError {
    std::string field;
    std::string message;
};

// An RFC 9457 problem. The server renders it with the request id at send time.
// An amount as problems carry it (e.g. the current total of a changed price).
struct ProblemAmount {
    std::string name;
    std::string amount;
    std::string currency;
};

// A list a problem carries (e.g. the stays that hold what could not be retired), rendered as
// {"<name>": [{"<field>": "<text>", ...}, ...]}.
struct ProblemList {
    std::string name;
    std::vector<std::vector<std::pair<std::string, std::string>>> items;
};

struct Problem {
    int status = 500;
    std::string code;
    std::string title;
    std::string detail;
    std::vector<FieldError> errors;
    std::string reason = {};                  // stable cause within the code, when there is one
    std::vector<ProblemAmount> amounts = {};  // rendered as {"name": {"amount", "currency"}}
    std::optional<ProblemList> list = {};
};

// The authenticated caller, from a verified bearer token. Set only on routes that require it.
struct Principal {
    std::string subject;
    std::string role;
    std::vector<std::string> hotel_ids;
    long long token_version = 0;
};

struct Request {
    std::string method;  // upper-case, as sent
    std::string target;  // path and query, as sent
    std::string path;
    std::string query;  // without '?'
    std::vector<Header> headers;
    std::string body;
    std::string request_id;
    // The client's address: the peer, or with a trusted proxy as the peer, the rightmost
    // address of X-Forwarded-For that is not a trusted proxy (see client_address.hpp).
    std::string remote_address;
    std::vector<std::pair<std::string, std::string>> path_params;
    std::optional<Principal> principal;
    // The route that matched (Router order), for per-route metrics; kNoRoute when none did.
    static constexpr std::size_t kNoRoute = static_cast<std::size_t>(-1);
    std::size_t route = kNoRoute;

    // First header with that (case-insensitive) name.
    std::optional<std::string_view> header(std::string_view name) const;
    // A path parameter captured by the router ("" when absent).
    std::string_view param(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<Header> headers;
    std::optional<Problem> problem;

    void set_header(std::string name, std::string value);
    std::optional<std::string_view> header(std::string_view name) const;

    static Response json(int status, std::string body);
    static Response from(Problem problem);
};

// Convenience for the common problems; the code is the stable contract, the title is prose.
Problem make_problem(int status, ProblemCode code, std::string title, std::string detail = {},
                     std::vector<FieldError> errors = {});

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

}  // namespace hotel::http
