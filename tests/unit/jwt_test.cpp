#include <gtest/gtest.h>

#include "http/jwt.hpp"

using namespace hotel::http;
using namespace std::chrono_literals;

namespace {
JwtCodec codec(std::string secret = "unit-test-secret-of-at-least-32-bytes!") {
    JwtSettings s;
    s.secret = std::move(secret);
    return JwtCodec(s);
}
const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));
}  // namespace

TEST(Jwt, RoundTripCarriesTheClaims) {
    auto c = codec();
    auto token = c.sign({"user-1", "staff", {"h1", "h2"}}, t0);
    auto claims = c.verify(token, t0 + 1s);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->sub, "user-1");
    EXPECT_EQ(claims->role, "staff");
    EXPECT_EQ(claims->hotel_ids, (std::vector<std::string>{"h1", "h2"}));
    EXPECT_EQ(claims->exp - claims->iat, 900);
}

TEST(Jwt, ExpiryHonoursSixtySecondsOfSkewAndNoMore) {
    auto c = codec();
    auto token = c.sign({"u", "guest", {}}, t0);
    EXPECT_TRUE(c.verify(token, t0 + 900s + 60s));
    EXPECT_FALSE(c.verify(token, t0 + 900s + 61s));
    // Issued in the future (a clock ahead of ours): accepted within the skew only.
    EXPECT_TRUE(c.verify(token, t0 - 60s));
    EXPECT_FALSE(c.verify(token, t0 - 61s));
}

TEST(Jwt, ShortSecretsAreRefused) {
    EXPECT_THROW(codec(std::string(31, 'x')), std::invalid_argument);
    EXPECT_NO_THROW(codec(std::string(32, 'x')));
}

TEST(Jwt, AnyAlterationFails) {
    auto c = codec();
    auto token = c.sign({"u", "guest", {}}, t0);
    for (size_t i = 0; i < token.size(); i += 7) {
        auto bad = token;
        bad[i] = bad[i] == 'a' ? 'b' : 'a';
        if (bad == token)
            continue;
        EXPECT_FALSE(c.verify(bad, t0)) << "position " << i;
    }
    EXPECT_FALSE(c.verify(token + "a", t0));
    EXPECT_FALSE(c.verify("", t0));
    EXPECT_FALSE(c.verify(std::string(5000, 'a'), t0));
}

TEST(Jwt, AlgorithmIsPinned) {
    auto c = codec();
    auto token = c.sign({"u", "guest", {}}, t0);
    const auto rest = token.substr(token.find('.'));
    for (const char* header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"HS512","typ":"JWT"})",
                               R"({"alg":"hs256","typ":"JWT"})", R"({"typ":"JWT"})",
                               R"({"alg":"HS256","typ":"JWT","crit":["exp"]})"}) {
        EXPECT_FALSE(c.verify(base64url_encode(header) + rest, t0)) << header;
    }
}

TEST(Jwt, Base64UrlRejectsPaddingAndForeignAlphabet) {
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64url_decode("-_8"), std::string("\xfb\xff"));
    EXPECT_FALSE(base64url_decode("+/8="));
    EXPECT_FALSE(base64url_decode("ab=c"));
}

TEST(Jwt, CarriesTheTokenVersionAndTreatsItsAbsenceAsZero) {
    auto c = codec();
    TokenClaims claims{"user-1", "manager", {"h1"}};
    claims.version = 7;
    auto verified = c.verify(c.sign(claims, t0), t0 + 1s);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->version, 7);
    // A token signed without a version (as before tokens had one) reads as version 0.
    auto plain = c.verify(c.sign({"user-1", "guest", {}}, t0), t0 + 1s);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->version, 0);
}
