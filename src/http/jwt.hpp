#pragma once
// HS256 JSON Web Tokens, signed and verified here with libsodium's HMAC-SHA256.
//
// Why not libjwt: Debian's libjwt 1.10 accepts `alg: none`, expired tokens and short keys
// unless every caller re-checks everything. Owning the ~150 lines means every check is in one
// place and none can be forgotten: exactly three base64url parts, header alg pinned to HS256,
// constant-time signature comparison, exp required, nbf/iat honoured, iss and aud matched, at
// most 60 s of clock skew, bounded size.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotel::http {

struct TokenClaims {
    std::string sub;
    std::string role;
    std::vector<std::string> hotel_ids;
    // The account's token version when the token was issued ("ver"; 0 when absent). The
    // application compares it with the current one to refuse tokens of a changed account.
    long long version = 0;
    long long iat = 0;
    long long exp = 0;
};

struct JwtSettings {
    std::string secret;  // at least 32 bytes
    std::string issuer = "hotel";
    std::string audience = "hotel-api";
    std::chrono::seconds ttl{15 * 60};
    std::chrono::seconds leeway{60};
};

class JwtCodec {
  public:
    static constexpr std::size_t kMinSecretBytes = 32;
    static constexpr std::size_t kMaxTokenBytes = 4096;

    // Throws std::invalid_argument when the secret is shorter than 32 bytes.
    explicit JwtCodec(JwtSettings settings);

    // sub, role, hotel_ids and version from claims; iss, aud, iat and exp from the settings and
    // `now`.
    std::string sign(const TokenClaims& claims, std::chrono::system_clock::time_point now) const;
    // The claims of a valid token; std::nullopt for any defect at all.
    std::optional<TokenClaims> verify(std::string_view token,
                                      std::chrono::system_clock::time_point now) const;
    const JwtSettings& settings() const noexcept { return settings_; }

  private:
    std::string mac(std::string_view signing_input) const;
    JwtSettings settings_;
};

// base64url without padding (RFC 7515 §2).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace hotel::http
