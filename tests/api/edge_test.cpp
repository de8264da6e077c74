// The edge's text rules and HEAD, as a client sees them through a real hoteld: strict UTF-8
// and no NUL in anything stored (400 validation_failed, never a 500 or a silent change),
// duplicate JSON keys refused in bodies and tokens, HEAD answered as GET without a body, and
// an OpenAPI document that says so.

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <thread>

#include "api_client.hpp"
#include "http/jwt.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;

namespace {

class Edge : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        db_ = new TestDatabase();
        server_ = new Hoteld(*db_);
    }
    static void TearDownTestSuite() {
        delete server_;
        delete db_;
    }
    static unsigned short port() { return server_->port(); }

    // The fields of a 400 validation_failed ("" when the answer is anything else).
    static std::vector<std::string> failed_fields(const HttpResponse& r) {
        std::vector<std::string> out;
        if (r.status != 400 || code_of(r) != "validation_failed")
            return out;
        const auto body = json_of(r);
        for (const auto& e : body.at("errors").as_array())
            out.emplace_back(e.at("field").as_string());
        return out;
    }

    static TestDatabase* db_;
    static Hoteld* server_;
};
TestDatabase* Edge::db_ = nullptr;
Hoteld* Edge::server_ = nullptr;

std::string register_body(const std::string& email, const std::string& name_json) {
    return R"({"email":")" + email + R"(","password":"long enough password","name":)" + name_json +
           "}";
}

}  // namespace

TEST_F(Edge, QueryTextThatIsNotUtf8Is400NotA500) {
    // Overlong NUL, a surrogate, F5 and F7 lead bytes, above U+10FFFF, and a NUL.
    for (const char* city : {"%C0%80", "%ED%A0%80", "%F5%80%80%80", "%F7%BF%BF%BF", "%F4%90%80%80",
                             "%E0%80%AF", "a%00b"}) {
        auto r = call(port(), "GET", std::string("/v1/hotels?city=") + city);
        EXPECT_EQ(r.status, 400) << city << " " << r.body;
        EXPECT_EQ(failed_fields(r), std::vector<std::string>{"city"}) << city;
    }
    // Proper UTF-8 is searched as before.
    EXPECT_EQ(call(port(), "GET", "/v1/hotels?city=S%C3%A3o+Paulo").status, 200);
}

TEST_F(Edge, PathTextThatIsNotUtf8Is400) {
    auto r = call(port(), "GET", "/v1/hotels/%C0%80/room-types");
    EXPECT_EQ(failed_fields(r), std::vector<std::string>{"path"}) << r.body;
    r = call(port(), "GET", "/v1/hotels/\xED\xA0\x80");
    EXPECT_EQ(failed_fields(r), std::vector<std::string>{"path"}) << r.body;
    // Even where nothing is routed, the answer is about the text.
    EXPECT_EQ(call(port(), "GET", "/nowhere%FF").status, 400);
}

TEST_F(Edge, NulInAJsonStringIsRefusedNotStoredCut) {
    auto r = call(port(), "POST", "/v1/auth/register", "",
                  register_body("nul@example.com", R"("a\u0000b")"));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(failed_fields(r), std::vector<std::string>{"name"});
    // Nothing was stored: the same email registers afterwards.
    EXPECT_EQ(
        call(port(), "POST", "/v1/auth/register", "", register_body("nul@example.com", R"("ab")"))
            .status,
        201);
}

TEST_F(Edge, JsonThatIsNotUnicodeIsValidationFailed) {
    for (const std::string& name : {std::string("\"\xC0\x80\""), std::string("\"\xED\xA0\x80\""),
                                    std::string("\"\xF5\x80\x80\x80\""), std::string(R"("\ud800")"),
                                    std::string(R"("x\udc00")")}) {
        auto r =
            call(port(), "POST", "/v1/auth/register", "", register_body("u8@example.com", name));
        EXPECT_EQ(r.status, 400) << name;
        EXPECT_EQ(code_of(r), "validation_failed") << name << " " << r.body;
    }
}

TEST_F(Edge, DuplicateKeysInABodyAre400) {
    auto r = call(port(), "POST", "/v1/auth/register", "",
                  R"({"email":"dup@example.com","password":"long enough password",)"
                  R"("name":"first","name":"second"})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(failed_fields(r), std::vector<std::string>{"name"});
}

TEST_F(Edge, IdempotencyKeyThatIsNotUtf8Is400) {
    ASSERT_EQ(register_user(port(), "idem@example.com", "long enough password").status, 201);
    const auto token = login(port(), "idem@example.com", "long enough password");
    ASSERT_FALSE(token.empty());
    for (const std::string& key :
         {std::string("\xC0\x80"), std::string("k\xED\xA0\x80"), std::string("\xF5\x80\x80\x80")}) {
        auto r = http_request(port(), "POST", "/v1/bookings",
                              {{"Authorization", "Bearer " + token},
                               {"Content-Type", "application/json"},
                               {"Idempotency-Key", key}},
                              "{}");
        EXPECT_EQ(failed_fields(r), std::vector<std::string>{"Idempotency-Key"}) << r.body;
    }
}

TEST_F(Edge, ATokenWithADuplicateClaimIs401) {
    ASSERT_EQ(register_user(port(), "claims@example.com", "long enough password").status, 201);
    const auto good = login(port(), "claims@example.com", "long enough password");
    ASSERT_EQ(call(port(), "GET", "/v1/me", good).status, 200);
    // The same claims with "role" repeated, signed with the server's own secret: a parser that
    // lets the last key win would read an admin.
    const auto dot1 = good.find('.');
    const auto dot2 = good.rfind('.');
    std::string payload = *http::base64url_decode(good.substr(dot1 + 1, dot2 - dot1 - 1));
    auto sign = [](const std::string& header, const std::string& body) {
        const std::string input =
            http::base64url_encode(header) + "." + http::base64url_encode(body);
        const std::string secret = test_jwt_secret();
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                    secret.size());
        crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(input.data()),
                                      input.size());
        crypto_auth_hmacsha256_final(&st, mac);
        return input + "." +
               http::base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac));
    };
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";
    ASSERT_EQ(call(port(), "GET", "/v1/me", sign(header, payload)).status, 200);  // control
    payload.pop_back();
    const auto twice = sign(header, payload + R"(,"role":"admin"})");
    auto r = call(port(), "GET", "/v1/me", twice);
    EXPECT_EQ(r.status, 401) << r.body;
    auto h = sign(R"({"alg":"HS256","alg":"HS256","typ":"JWT"})", payload + "}");
    EXPECT_EQ(call(port(), "GET", "/v1/me", h).status, 401);
}

TEST_F(Edge, HeadIsGetWithoutTheBody) {
    HttpConnection c(port());
    auto get = c.request("GET", "/health");
    auto head = c.request("HEAD", "/health");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-length"), get.header("content-length"));
    EXPECT_EQ(head.header("content-type"), get.header("content-type"));
    EXPECT_TRUE(head.body.empty());
    // No body bytes followed the HEAD answer: the next response on the connection parses.
    auto after = c.request("GET", "/health");
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(after.body, get.body);

    // A public GET with a query, an authenticated GET, a path without GET.
    EXPECT_EQ(c.request("HEAD", "/v1/hotels?city=Nowhere").status, 200);
    auto me = c.request("HEAD", "/v1/me");
    EXPECT_EQ(me.status, 401);
    EXPECT_EQ(me.header("www-authenticate").value_or(""), "Bearer");
    auto login_head = c.request("HEAD", "/v1/auth/login");
    EXPECT_EQ(login_head.status, 405);
    EXPECT_EQ(login_head.header("allow").value_or(""), "POST");
    EXPECT_EQ(c.request("GET", "/health").status, 200);
}

TEST_F(Edge, TheContractDocumentsTheEdgeAnswersAndNamesEveryOperation) {
    auto r = http_request(port(), "GET", "/openapi.json");
    ASSERT_EQ(r.status, 200);
    const auto doc = json::parse(r.body).as_object();
    std::vector<std::string> ids;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
        for (const auto& [method, op_value] : item.as_object()) {
            if (method == "parameters")
                continue;
            const auto where = std::string(method) + " " + std::string(path);
            const auto& op = op_value.as_object();
            const auto& responses = op.at("responses").as_object();
            // Any request may carry a body: too large is 413 before routing, not JSON is 415.
            EXPECT_TRUE(responses.contains("413")) << where;
            EXPECT_TRUE(responses.contains("415")) << where;
            // Any target may break the text rules.
            EXPECT_TRUE(responses.contains("400")) << where;
            // Every /v1 operation may need the database (an account, a read, a write): without
            // it, 503 unavailable with Retry-After.
            if (std::string_view(path).starts_with("/v1/")) {
                EXPECT_TRUE(responses.contains("503")) << where;
            }
            ASSERT_TRUE(op.contains("operationId")) << where;
            ids.emplace_back(op.at("operationId").as_string());
            // Public operations say so; the others name the bearer scheme.
            ASSERT_TRUE(op.contains("security")) << where;
        }
    }
    auto sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "unique ids";
    // 33, then listOffers and listDestinations (issue 16), then catalogue maintenance (issue 13:
    // change and retire room types, rooms and plans; list, move and lift out of service), then
    // the front desk (arrivals, departures, in house, room chart), the room move, the
    // housekeeping board and its change, then the managers' occupancy and pickup reports, then
    // events out (issue 15: the feed, webhooks create/list/get/delete, deliveries, replay),
    // then the admins' list of users (issue 14).
    EXPECT_EQ(ids.size(), 68u);
    // And the server does answer those statuses on an operation that takes no body.
    EXPECT_EQ(http_request(port(), "GET", "/ready", {{"Content-Type", "text/plain"}}, "x").status,
              415);
    EXPECT_EQ(call(port(), "GET", "/ready?x=%C0%80").status, 400);
}

TEST_F(Edge, TheAccessLogLineStaysJsonForAPathThatIsNotUtf8) {
    auto r =
        http_request(port(), "GET", "/v1/hotels/\xC0\x80x", {{"X-Request-Id", "bad-path-log"}});
    EXPECT_EQ(r.status, 400);
    // The line is written just after the response; wait for it (bounded).
    std::string out;
    for (int i = 0; i < 100 && out.find("bad-path-log\",\"remote") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        out = server_->process().output();
    }
    const auto pos = out.find("\"request_id\":\"bad-path-log\"");
    ASSERT_NE(pos, std::string::npos) << out;
    const auto start = out.rfind('\n', pos) + 1;
    const auto line = out.substr(start, out.find('\n', pos) - start);
    json::error_code ec;
    auto entry = json::parse(line, ec);  // Boost.JSON refuses text that is not UTF-8
    ASSERT_FALSE(ec) << line;
    EXPECT_EQ(entry.at("path").as_string(), "/v1/hotels/\xEF\xBF\xBD\xEF\xBF\xBDx");
}
