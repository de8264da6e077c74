#pragma once
// Turning bytes into a Request, without a socket: the step the server runs after Beast's
// parser has read a request, and the same step on a byte buffer for the fuzz target
// (tests/fuzz). Beast stays in request_parse.cpp and server.cpp.

#include <cstddef>
#include <string_view>

#include "http/message.hpp"

namespace hotel::http {

struct ReadLimits {
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 64 * 1024;
};

struct ParsedRequest {
    enum class Status {
        complete,          // `request` holds method, target, path, query, headers, body
        incomplete,        // the bytes end inside the request
        body_too_large,    // 413
        header_too_large,  // 431
        malformed,         // 400
    };
    Status status = Status::incomplete;
    Request request;  // for errors: method and target when the header was read
    bool keep_alive = false;
    std::size_t consumed = 0;  // bytes of the buffer that belong to this request
};

// Parses one HTTP/1.1 request from the front of `bytes` under the limits.
ParsedRequest parse_request(std::string_view bytes, const ReadLimits& limits);

// The problem the server answers for a request that could not be read (not for `complete`
// or `incomplete`).
Problem read_problem(ParsedRequest::Status status, const ReadLimits& limits);

}  // namespace hotel::http
