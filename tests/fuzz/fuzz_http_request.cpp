// The HTTP request head and body framing: Beast's parser on a byte buffer under the server's
// limits, then the server's own steps on what it read (text rules, routing, the problem text).

#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/problem.hpp"
#include "http/request_parse.hpp"
#include "http/router.hpp"
#include "http/text.hpp"

namespace {
hotel::http::Handler noop() {
    return [](hotel::http::Request&) -> boost::asio::awaitable<hotel::http::Response> {
        throw 0;  // never called: the target routes, it does not run handlers
    };
}
const hotel::http::Router& router() {
    static const hotel::http::Router r = [] {
        hotel::http::Router x;
        x.add("GET", "/health", noop());
        x.add("GET", "/v1/hotels", noop());
        x.add("POST", "/v1/hotels", noop());
        x.add("GET", "/v1/hotels/{id}/rooms", noop());
        x.add("POST", "/v1/hotels/{id}/rooms/{room_id}/out-of-service", noop());
        x.add("DELETE", "/v1/bookings/{id}", noop());
        return x;
    }();
    return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel::http;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // Small limits too, so that the fuzzer reaches 413 and 431 with small inputs.
    const ReadLimits limits = size % 2 ? ReadLimits{} : ReadLimits{256, 64};
    auto parsed = parse_request(bytes, limits);
    FUZZ_REQUIRE(parsed.consumed <= size);
    if (parsed.status != ParsedRequest::Status::complete) {
        if (parsed.status != ParsedRequest::Status::incomplete) {
            const auto p = read_problem(parsed.status, limits);
            FUZZ_REQUIRE(p.status == 400 || p.status == 413 || p.status == 431);
            FUZZ_REQUIRE(!render_problem(p, "fuzz").empty());
        }
        return 0;
    }
    auto& request = parsed.request;
    FUZZ_REQUIRE(request.body.size() <= limits.body_limit);
    FUZZ_REQUIRE(request.path.size() <= request.target.size());
    for (const auto& h : request.headers)
        for (char c : h.name)
            FUZZ_REQUIRE(!(c >= 'A' && c <= 'Z'));
    const auto errors = check_target_text(request.path, request.query);
    if (!errors.empty()) {
        // The answer names the parts in valid JSON, whatever the bytes were.
        const auto body = render_problem(
            make_problem(400, "validation_failed", "Validation failed", "", errors), "fuzz");
        FUZZ_REQUIRE(is_valid_utf8(body));
        return 0;
    }
    auto match = router().match(request.method, request.path);
    if (match.kind == Router::Match::Kind::found)
        for (const auto& [name, value] : match.params)
            FUZZ_REQUIRE(!value.empty() && value.find('/') == std::string::npos);
    return 0;
}
