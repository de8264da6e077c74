// The edge's text rules (strict UTF-8, NUL, percent-decoding), the strict JSON check and what it
// means for tokens: one meaning per token, so a duplicated key is refused.

#include <gtest/gtest.h>
#include <sodium.h>

#include "http/json_check.hpp"
#include "http/jwt.hpp"
#include "http/text.hpp"

using namespace hotel::http;
using Kind = JsonTextIssue::Kind;

TEST(Utf8, AcceptsWellFormedTextOfEveryLength) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));       // U+00E9
    EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));      // U+20AC
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
    EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x8F\xA8"));  // U+1F3E8 (hotel)
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
}

TEST(Utf8, RefusesOverlongFormsSurrogatesAndBytesRfc3629Forbids) {
    for (const std::string& bad : {
             std::string("\xC0\x80", 2),       // overlong NUL
             std::string("\xC1\xBF"),          // overlong two-byte
             std::string("\xE0\x80\xAF"),      // overlong '/'
             std::string("\xE0\x9F\xBF"),      // overlong three-byte
             std::string("\xF0\x8F\xBF\xBF"),  // overlong four-byte
             std::string("\xED\xA0\x80"),      // U+D800, a surrogate
             std::string("\xED\xBF\xBF"),      // U+DFFF
             std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
             std::string("\xF5\x80\x80\x80"), std::string("\xF7\xBF\xBF\xBF"),
             std::string("\xF8\x88\x80\x80\x80"), std::string("\xFF"), std::string("\xFE"),
             std::string("\x80"),           // a lone continuation byte
             std::string("\xC3"),           // truncated
             std::string("\xE2\x82"),       // truncated
             std::string("\xC3\x28"),       // a bad continuation
             std::string("a\xF0\x9F\x8F"),  // truncated at the end
         }) {
        EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(bad);
    }
}

TEST(Utf8, StorableTextHasNoNul) {
    EXPECT_TRUE(is_storable_text("ok"));
    EXPECT_FALSE(is_storable_text(std::string("a\0b", 3)));
    EXPECT_FALSE(is_storable_text("\xC0\x80"));
}

TEST(PercentDecode, DecodesEscapesAndPlusOnlyWhenAsked) {
    EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
    EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
    EXPECT_EQ(percent_decode("%C0%80", true), std::string("\xC0\x80"));
    EXPECT_EQ(percent_decode("100%", true), "100%");
    EXPECT_EQ(percent_decode("%4", true), "%4");
    EXPECT_EQ(percent_decode("%zz%41", true), "%zzA");
}

TEST(TargetText, NamesEachBadQueryParameterAndThePath) {
    EXPECT_TRUE(check_target_text("/v1/hotels", "city=Lisbon&guests=2").empty());
    EXPECT_TRUE(check_target_text("/v1/hotels", "city=S%C3%A3o+Paulo").empty());

    auto e = check_target_text("/v1/hotels", "city=%C0%80&guests=2");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "city");
    e = check_target_text("/v1/hotels", "city=a%00b");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "city");
    // A bad name is not echoed.
    e = check_target_text("/v1/hotels", "%ED%A0%80=1");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "query");
    e = check_target_text("/v1/hotels/%F5%80%80%80", "");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "path");
    EXPECT_EQ(check_target_text(std::string("/v1/\xC0\x80", 6), "").size(), 1u);
    EXPECT_EQ(check_target_text("/v1/a%00", "").size(), 1u);
}

TEST(JsonText, AcceptsOrdinaryDocuments) {
    EXPECT_FALSE(check_json_text(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"caf\u00e9"})"));
    EXPECT_FALSE(check_json_text(R"([1,"x",null,true])"));
    EXPECT_FALSE(check_json_text(R"("\ud83c\udfe8")"));  // a proper surrogate pair
}

TEST(JsonText, RefusesDuplicateKeysAtAnyDepthAndNamesThem) {
    auto i = check_json_text(R"({"name":"a","name":"b"})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->kind, Kind::duplicate_key);
    EXPECT_EQ(i->field, "name");
    i = check_json_text(R"({"m":{"amount":"1.00","currency":"EUR","amount":"0.01"}})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->kind, Kind::duplicate_key);
    EXPECT_EQ(i->field, "m.amount");
    i = check_json_text(R"({"l":[{"x":1},{"x":1,"x":2}]})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->field, "l[1].x");
    // The same key escaped differently is the same key.
    i = check_json_text(R"({"role":"guest","r\u006fle":"admin"})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->kind, Kind::duplicate_key);
}

TEST(JsonText, RefusesNulInStringsAndKeys) {
    auto i = check_json_text(R"({"name":"a\u0000b"})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->kind, Kind::nul_character);
    EXPECT_EQ(i->field, "name");
    i = check_json_text(R"({"ids":["x","\u0000"]})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->field, "ids[1]");
    i = check_json_text(R"({"a\u0000":1})");
    ASSERT_TRUE(i);
    EXPECT_EQ(i->kind, Kind::nul_character);
}

TEST(JsonText, TellsBadUnicodeFromBadSyntax) {
    EXPECT_EQ(check_json_text("{\"a\":\"\xC0\x80\"}")->kind, Kind::invalid_unicode);
    EXPECT_EQ(check_json_text("{\"a\":\"\xED\xA0\x80\"}")->kind, Kind::invalid_unicode);
    EXPECT_EQ(check_json_text(R"({"a":"\ud800"})")->kind, Kind::invalid_unicode);
    EXPECT_EQ(check_json_text(R"({"a":"\udc00x"})")->kind, Kind::invalid_unicode);
    EXPECT_EQ(check_json_text(R"({"a":1)")->kind, Kind::syntax);
    EXPECT_EQ(check_json_text(R"({"a":1} x)")->kind, Kind::syntax);
    EXPECT_EQ(check_json_text("")->kind, Kind::syntax);
    EXPECT_EQ(check_json_text(std::string(40, '[') + std::string(40, ']'))->kind, Kind::syntax);
}

namespace {
const std::string kSecret = "unit-test-secret-of-at-least-32-bytes!";
const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'900'000'000));

// A token signed with the right key around any header and payload text.
std::string signed_token(const std::string& header, const std::string& payload) {
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
const std::string kClaims =
    R"("sub":"u1","role":"guest","hotel_ids":[],"iss":"hotel","aud":"hotel-api",)"
    R"("iat":1900000000,"nbf":1900000000,"exp":1900000900)";
}  // namespace

TEST(JwtStrict, DuplicateKeysInHeaderOrPayloadAreRefused) {
    JwtSettings s;
    s.secret = kSecret;
    JwtCodec codec(s);
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";
    // The control: the same construction without duplicates verifies.
    ASSERT_TRUE(codec.verify(signed_token(header, "{" + kClaims + "}"), t0));

    EXPECT_FALSE(
        codec.verify(signed_token(R"({"alg":"none","alg":"HS256"})", "{" + kClaims + "}"), t0));
    EXPECT_FALSE(codec.verify(signed_token(header, "{" + kClaims + R"(,"role":"admin"})"), t0));
    EXPECT_FALSE(codec.verify(signed_token(header, "{" + kClaims + R"(,"sub":"u2"})"), t0));
    EXPECT_FALSE(codec.verify(signed_token(header, "{" + kClaims + R"(,"exp":2000000000})"), t0));
    // And a NUL in a claim is refused, not cut short.
    std::string nul_claims = kClaims;
    nul_claims.replace(nul_claims.find("\"u1\""), 4, R"("u1\u0000x")");
    EXPECT_FALSE(codec.verify(signed_token(header, "{" + nul_claims + "}"), t0));
}

TEST(Utf8, ToValidReplacesOnlyTheBadBytes) {
    EXPECT_EQ(to_valid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(to_valid_utf8("a\xC0\x80z"), "a\xEF\xBF\xBD\xEF\xBF\xBDz");
    EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(to_valid_utf8("x\xF0\x9F\x8F"), "x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xFF\xFE\xF5\x80\xC3")));
}
