#pragma once
// Private to src/http: the Beast side of request_parse.hpp, shared by request_parse.cpp and
// server.cpp so that the socket path and the buffer path build a Request the same way. Include
// it from no other file (it brings Beast).

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include "http/request_parse.hpp"

namespace hotel::http {

// Beast's request parser writing straight into a Request: method, target (split into path and
// query), headers (names lower-case, in the order sent) and body, with no message or fields
// container in between. The Request is cleared first, keeping the capacity of its strings and
// vectors, so a connection that reuses one allocates nothing for the usual request. One reader
// per request, like any Beast parser. The limits (header_limit, body_limit) are basic_parser's.
class RequestReader final : public boost::beast::http::basic_parser<true> {
  public:
    explicit RequestReader(Request& out);

  private:
    using string_view = boost::beast::string_view;
    using error_code = boost::beast::error_code;
    void on_request_impl(boost::beast::http::verb method, string_view method_str,
                         string_view target, int version, error_code& ec) override;
    void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                           error_code& ec) override;
    std::size_t on_body_impl(string_view body, error_code& ec) override;
    void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
    void on_finish_impl(error_code& ec) override;

    Request& out_;
};

// Clears every field of a request, keeping the capacity of its strings and vectors.
void reset_request(Request& request);

// After a read that failed: what the server answers and logs knows of the request only its
// method and target, and those only once the header was read (as before, from the parser).
void keep_only_request_line(Request& request, bool header_done);

// How a read that ended with `ec` is answered (ec must be an error).
ParsedRequest::Status classify_read_error(const boost::system::error_code& ec);

}  // namespace hotel::http
