// Token verification. First byte even: the input is a token as a client would send it. Odd: the
// input is "header\npayload", signed here with the server's key, so the fuzzer gets past the
// signature to the header and claim checks (the part an attacker cannot reach without the
// key, and the part a mistake would hurt most).

#include <sodium.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/json_check.hpp"
#include "http/jwt.hpp"

namespace {
const std::string kSecret = "fuzz-secret-of-at-least-thirty-two-bytes";
const hotel::http::JwtCodec& codec() {
    static const hotel::http::JwtCodec c([] {
        hotel::http::JwtSettings s;
        s.secret = kSecret;
        return s;
    }());
    return c;
}
std::string sign(std::string_view header, std::string_view payload) {
    using hotel::http::base64url_encode;
    const std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(kSecret.data()),
                                kSecret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    crypto_auth_hmacsha256_final(&st, mac);
    return input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hotel::http;
    if (size == 0)
        return 0;
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        auto claims = codec().verify(rest, now);
        // Without the key nothing verifies except a token this codec signed.
        if (claims)
            FUZZ_REQUIRE(rest.size() <= JwtCodec::kMaxTokenBytes);
        // And base64url decoding never yields more bytes than it read.
        if (auto d = base64url_decode(rest))
            FUZZ_REQUIRE(d->size() <= rest.size());
        return 0;
    }
    const auto nl = rest.find('\n');
    const auto header = rest.substr(0, nl);
    const auto payload = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    auto claims = codec().verify(sign(header, payload), now);
    if (claims) {
        // One meaning per token: both parts passed the strict check, alg is pinned.
        FUZZ_REQUIRE(!check_json_text(header) && !check_json_text(payload));
        FUZZ_REQUIRE(header.find("HS256") != std::string_view::npos);
        FUZZ_REQUIRE(!claims->sub.empty());
        FUZZ_REQUIRE(claims->exp + 60 >= 1'900'000'000);
    }
    return 0;
}
