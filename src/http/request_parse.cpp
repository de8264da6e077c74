#include "http/request_parse.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cctype>
#include <string>

#include "http/beast_request.hpp"

namespace hotel::http {

namespace bhttp = boost::beast::http;

void adopt_message(bhttp::request<bhttp::string_body>&& msg, Request& out) {
    out.method = std::string(msg.method_string());
    out.target = std::string(msg.target());
    const auto q = out.target.find('?');
    out.path = out.target.substr(0, q);
    if (q != std::string::npos)
        out.query = out.target.substr(q + 1);
    for (const auto& field : msg) {
        std::string name(field.name_string());
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers.push_back({std::move(name), std::string(field.value())});
    }
    out.body = std::move(msg.body());
}

ParsedRequest::Status classify_read_error(const boost::system::error_code& ec) {
    if (ec == bhttp::error::body_limit)
        return ParsedRequest::Status::body_too_large;
    if (ec == bhttp::error::header_limit)
        return ParsedRequest::Status::header_too_large;
    if (ec == bhttp::error::need_more || ec == bhttp::error::partial_message)
        return ParsedRequest::Status::incomplete;
    return ParsedRequest::Status::malformed;
}

ParsedRequest parse_request(std::string_view bytes, const ReadLimits& limits) {
    ParsedRequest out;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(limits.body_limit);
    parser.eager(true);
    boost::system::error_code ec;
    // put() consumes what it can (chunk by chunk at most); each turn consumes a byte or ends.
    while (!parser.is_done()) {
        const auto rest = bytes.substr(out.consumed);
        const auto n = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
        out.consumed += n;
        if (ec || n == 0)
            break;
    }
    if (parser.is_done() && !ec) {
        out.status = ParsedRequest::Status::complete;
        out.keep_alive = parser.get().keep_alive();
        adopt_message(parser.release(), out.request);
        return out;
    }
    out.status = ec ? classify_read_error(ec) : ParsedRequest::Status::incomplete;
    if (parser.is_header_done()) {
        out.request.method = std::string(parser.get().method_string());
        out.request.target = std::string(parser.get().target());
    }
    return out;
}

Problem read_problem(ParsedRequest::Status status, const ReadLimits& limits) {
    switch (status) {
        case ParsedRequest::Status::body_too_large:
            return make_problem(413, "payload_too_large", "Payload too large",
                                "Request bodies are limited to " +
                                    std::to_string(limits.body_limit / 1024) + " KiB.");
        case ParsedRequest::Status::header_too_large:
            return make_problem(431, "header_too_large", "Request header fields too large");
        default:
            return make_problem(400, "bad_request", "Bad request", "Malformed HTTP request.");
    }
}

}  // namespace hotel::http
