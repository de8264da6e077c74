#pragma once
// Private to src/http: the Beast side of request_parse.hpp, shared by request_parse.cpp and
// server.cpp so that the socket path and the buffer path build a Request the same way. Include
// it from no other file (it brings Beast).

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/request_parse.hpp"

namespace hotel::http {

// Method, target (split into path and query) and headers (names lower-case) of a parsed
// message, and its body, moved into `out`.
void adopt_message(boost::beast::http::request<boost::beast::http::string_body>&& msg,
                   Request& out);

// How a read that ended with `ec` is answered (ec must be an error).
ParsedRequest::Status classify_read_error(const boost::system::error_code& ec);

}  // namespace hotel::http
