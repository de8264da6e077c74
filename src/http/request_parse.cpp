#include "http/request_parse.hpp"

#include <boost/asio/buffer.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "http/beast_request.hpp"

namespace hotel::http {

namespace bhttp = boost::beast::http;

namespace {

// Cleared; its buffer is kept only while small, so that an idle connection holds no large
// body or header it once read.
void clear_small(std::string& s, std::size_t keep) {
    if (s.capacity() > keep)
        std::string().swap(s);
    else
        s.clear();
}

template <class T>
void clear_small(std::vector<T>& v, std::size_t keep) {
    if (v.capacity() > keep)
        std::vector<T>().swap(v);
    else
        v.clear();
}

}  // namespace

void reset_request(Request& r) {
    clear_small(r.method, 64);
    clear_small(r.target, 512);
    clear_small(r.path, 512);
    clear_small(r.query, 512);
    clear_small(r.headers, 16);
    clear_small(r.body, 2048);
    clear_small(r.request_id, 128);
    clear_small(r.remote_address, 64);
    r.path_params.clear();
    r.principal.reset();
}

void keep_only_request_line(Request& r, bool header_done) {
    std::string method = header_done ? std::move(r.method) : std::string();
    std::string target = header_done ? std::move(r.target) : std::string();
    reset_request(r);
    r.method = std::move(method);
    r.target = std::move(target);
}

RequestReader::RequestReader(Request& out) : out_(out) {
    reset_request(out_);
}

void RequestReader::on_request_impl(bhttp::verb, string_view method_str, string_view target, int,
                                    error_code&) {
    // For a known method Beast's method_string() is method_str itself (verbs match exactly).
    out_.method.assign(method_str.data(), method_str.size());
    out_.target.assign(target.data(), target.size());
    const auto q = target.find('?');
    out_.path.assign(target.data(), q == string_view::npos ? target.size() : q);
    if (q != string_view::npos)
        out_.query.assign(target.data() + q + 1, target.size() - q - 1);
}

void RequestReader::on_response_impl(int, string_view, int, error_code& ec) {
    ec = bhttp::error::bad_version;  // a request parser never reads a status line
}

void RequestReader::on_field_impl(bhttp::field, string_view name, string_view value, error_code&) {
    auto& h = out_.headers.emplace_back();
    h.name.resize(name.size());
    for (std::size_t i = 0; i < name.size(); ++i)
        h.name[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    h.value.assign(value.data(), value.size());
}

void RequestReader::on_header_impl(error_code&) {}

void RequestReader::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code& ec) {
    // As Beast's string_body reader does.
    if (content_length) {
        if (*content_length > out_.body.max_size()) {
            ec = bhttp::error::buffer_overflow;
            return;
        }
        out_.body.reserve(static_cast<std::size_t>(*content_length));
    }
}

std::size_t RequestReader::on_body_impl(string_view body, error_code&) {
    out_.body.append(body.data(), body.size());
    return body.size();
}

void RequestReader::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestReader::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
    out_.body.append(body.data(), body.size());
    return body.size();
}

void RequestReader::on_finish_impl(error_code&) {}

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
    RequestReader parser(out.request);
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
        out.keep_alive = parser.keep_alive();
        return out;
    }
    out.status = ec ? classify_read_error(ec) : ParsedRequest::Status::incomplete;
    keep_only_request_line(out.request, parser.is_header_done());
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
