#include "http/jwt.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "http/json_check.hpp"

namespace hotel::http {
namespace json = boost::json;

namespace {
long long unix_seconds(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::optional<long long> integer_claim(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end())
        return std::nullopt;
    if (it->value().is_int64())
        return it->value().as_int64();
    if (it->value().is_uint64() && it->value().as_uint64() < (1ull << 62))
        return static_cast<long long>(it->value().as_uint64());
    return std::nullopt;
}

const json::string* string_claim(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_string())
        return nullptr;
    return &it->value().as_string();
}

// One meaning per token (RFC 8725 §3.11): a header or payload with a key twice, a NUL or
// anything but UTF-8 is refused, where a plain parse would let the last duplicate win.
std::optional<json::object> parse_object(std::string_view text) {
    if (check_json_text(text))
        return std::nullopt;
    json::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object())
        return std::nullopt;
    return std::move(v.as_object());
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (sodium_init() < 0)
        return std::nullopt;
    std::string out(text.size(), '\0');
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    if (end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

JwtCodec::JwtCodec(JwtSettings settings) : settings_(std::move(settings)) {
    if (settings_.secret.size() < kMinSecretBytes)
        throw std::invalid_argument("the JWT secret must be at least 32 bytes");
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
}

std::string JwtCodec::mac(std::string_view input) const {
    crypto_auth_hmacsha256_state state;
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&state,
                                reinterpret_cast<const unsigned char*>(settings_.secret.data()),
                                settings_.secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                  input.size());
    crypto_auth_hmacsha256_final(&state, out);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string JwtCodec::sign(const TokenClaims& claims,
                           std::chrono::system_clock::time_point now) const {
    const long long iat = unix_seconds(now);
    json::array hotels;
    for (const auto& h : claims.hotel_ids)
        hotels.emplace_back(h);
    json::object payload{{"sub", claims.sub},
                         {"role", claims.role},
                         {"hotel_ids", std::move(hotels)},
                         {"ver", claims.version},
                         {"iss", settings_.issuer},
                         {"aud", settings_.audience},
                         {"iat", iat},
                         {"nbf", iat},
                         {"exp", iat + settings_.ttl.count()}};
    const std::string input = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                              base64url_encode(json::serialize(payload));
    return input + "." + base64url_encode(mac(input));
}

std::optional<TokenClaims> JwtCodec::verify(std::string_view token,
                                            std::chrono::system_clock::time_point now) const {
    if (token.empty() || token.size() > kMaxTokenBytes)
        return std::nullopt;
    const auto d1 = token.find('.');
    if (d1 == std::string_view::npos)
        return std::nullopt;
    const auto d2 = token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
        return std::nullopt;
    const auto header_b64 = token.substr(0, d1);
    const auto payload_b64 = token.substr(d1 + 1, d2 - d1 - 1);
    const auto signature_b64 = token.substr(d2 + 1);

    // The algorithm is pinned before anything else is trusted: alg "none", RS256, HS512... all
    // fail here, whatever the signature says.
    const auto header_json = base64url_decode(header_b64);
    if (!header_json)
        return std::nullopt;
    const auto header = parse_object(*header_json);
    if (!header)
        return std::nullopt;
    const auto* alg = string_claim(*header, "alg");
    if (!alg || *alg != "HS256")
        return std::nullopt;
    if (auto it = header->find("typ"); it != header->end())
        if (!it->value().is_string() || it->value().as_string() != "JWT")
            return std::nullopt;
    if (header->contains("crit"))
        return std::nullopt;

    const auto signature = base64url_decode(signature_b64);
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES)
        return std::nullopt;
    const auto expected = mac(token.substr(0, d2));
    if (sodium_memcmp(expected.data(), signature->data(), expected.size()) != 0)
        return std::nullopt;

    const auto payload_json = base64url_decode(payload_b64);
    if (!payload_json)
        return std::nullopt;
    const auto payload = parse_object(*payload_json);
    if (!payload)
        return std::nullopt;

    const long long t = unix_seconds(now);
    const long long leeway = settings_.leeway.count();
    const auto exp = integer_claim(*payload, "exp");
    if (!exp || *exp + leeway < t)
        return std::nullopt;
    if (payload->contains("nbf")) {
        const auto nbf = integer_claim(*payload, "nbf");
        if (!nbf || *nbf - leeway > t)
            return std::nullopt;
    }
    if (payload->contains("iat")) {
        const auto iat = integer_claim(*payload, "iat");
        if (!iat || *iat - leeway > t)
            return std::nullopt;
    }
    const auto* iss = string_claim(*payload, "iss");
    if (!iss || *iss != settings_.issuer)
        return std::nullopt;
    auto aud = payload->find("aud");
    if (aud == payload->end())
        return std::nullopt;
    bool audience_ok = false;
    if (aud->value().is_string()) {
        audience_ok = aud->value().as_string() == settings_.audience;
    } else if (aud->value().is_array()) {
        for (const auto& a : aud->value().as_array())
            if (a.is_string() && a.as_string() == settings_.audience)
                audience_ok = true;
    }
    if (!audience_ok)
        return std::nullopt;

    TokenClaims claims;
    const auto* sub = string_claim(*payload, "sub");
    const auto* role = string_claim(*payload, "role");
    if (!sub || sub->empty() || !role)
        return std::nullopt;
    claims.sub = std::string(*sub);
    claims.role = std::string(*role);
    if (auto h = payload->find("hotel_ids"); h != payload->end()) {
        if (!h->value().is_array())
            return std::nullopt;
        for (const auto& id : h->value().as_array()) {
            if (!id.is_string())
                return std::nullopt;
            claims.hotel_ids.emplace_back(id.as_string());
        }
    }
    if (payload->contains("ver")) {
        const auto ver = integer_claim(*payload, "ver");
        if (!ver || *ver < 0)
            return std::nullopt;
        claims.version = *ver;
    }
    claims.exp = *exp;
    claims.iat = integer_claim(*payload, "iat").value_or(0);
    return claims;
}

}  // namespace hotel::http
