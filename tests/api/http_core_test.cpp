// The HTTP core as a client sees it: a real hoteld on a loopback port, raw requests.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <thread>

#include "http_client.hpp"
#include "test_env.hpp"

using namespace hotel::test;
using namespace std::chrono_literals;

namespace {

class HttpCore : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        db_ = new TestDatabase();
        // Short deadlines so that the stall tests finish quickly.
        server_ = new Hoteld(*db_, {"HOTEL_REQUEST_TIMEOUT_MS=1000", "HOTEL_IDLE_TIMEOUT_MS=2000",
                                    "HOTEL_KEEPALIVE_MAX=3"});
    }
    static void TearDownTestSuite() {
        delete server_;
        delete db_;
    }
    unsigned short port() const { return server_->port(); }

    static boost::json::object problem_of(const HttpResponse& r) {
        EXPECT_EQ(r.header("content-type").value_or(""), "application/problem+json");
        return boost::json::parse(r.body).as_object();
    }

    static TestDatabase* db_;
    static Hoteld* server_;
};
TestDatabase* HttpCore::db_ = nullptr;
Hoteld* HttpCore::server_ = nullptr;

}  // namespace

TEST_F(HttpCore, HealthAnswers200) {
    auto r = http_request(port(), "GET", "/health");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(boost::json::parse(r.body).at("status").as_string(), "ok");
}

TEST_F(HttpCore, UnknownPathIsProblemJson404) {
    auto r = http_request(port(), "GET", "/no/such/thing");
    ASSERT_EQ(r.status, 404);
    auto p = problem_of(r);
    EXPECT_EQ(p.at("status").as_int64(), 404);
    EXPECT_EQ(p.at("code").as_string(), "not_found");
    EXPECT_EQ(p.at("type").as_string(), "about:blank");
    EXPECT_EQ(p.at("request_id").as_string(), r.header("x-request-id").value_or("?"));
}

TEST_F(HttpCore, WrongMethodIs405WithAllow) {
    auto r = http_request(port(), "DELETE", "/health");
    ASSERT_EQ(r.status, 405);
    EXPECT_EQ(r.header("allow").value_or(""), "GET, HEAD");
    EXPECT_EQ(problem_of(r).at("code").as_string(), "method_not_allowed");
}

TEST_F(HttpCore, BodyOver64KiBIs413) {
    HttpConnection c(port());
    const std::string body(70 * 1024, 'x');
    auto r = c.request("POST", "/health", {{"Content-Type", "application/json"}}, body);
    ASSERT_EQ(r.status, 413);
    EXPECT_EQ(problem_of(r).at("code").as_string(), "payload_too_large");
    EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(HttpCore, TenMegabyteBodyIsRefusedWithoutReadingIt) {
    HttpConnection c(port());
    c.send_raw(
        "POST /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 10485760\r\n\r\n");
    auto r = c.read_response(5s);
    EXPECT_EQ(r.status, 413);
    EXPECT_TRUE(c.closed_within(5s));
}

TEST_F(HttpCore, NonJsonBodyIs415) {
    auto r2 = http_request(port(), "GET", "/health", {{"Content-Type", "text/plain"}}, "hello");
    ASSERT_EQ(r2.status, 415);
    EXPECT_EQ(problem_of(r2).at("code").as_string(), "unsupported_media_type");
    // A body with no Content-Type at all is refused the same way; JSON with a charset is fine.
    auto r3 = http_request(port(), "GET", "/health", {}, "{}");
    EXPECT_EQ(r3.status, 415);
    auto r4 = http_request(port(), "GET", "/health",
                           {{"Content-Type", "application/json; charset=utf-8"}}, "{}");
    EXPECT_EQ(r4.status, 200);
}

TEST_F(HttpCore, HeaderOver16KiBIs431) {
    HttpConnection c(port());
    auto r = c.request("GET", "/health", {{"X-Big", std::string(100 * 1024, 'a')}});
    EXPECT_EQ(r.status, 431);
    EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(HttpCore, ValidRequestIdIsEchoedOtherwiseGenerated) {
    auto echoed = http_request(port(), "GET", "/health", {{"X-Request-Id", "abc.DEF-123_x"}});
    EXPECT_EQ(echoed.header("x-request-id").value_or(""), "abc.DEF-123_x");

    for (const std::string& bad : {std::string("has space"), std::string("semi;colon"),
                                   std::string(129, 'a'), std::string("caf\xc3\xa9")}) {
        auto r = http_request(port(), "GET", "/health", {{"X-Request-Id", bad}});
        const auto id = r.header("x-request-id").value_or("");
        EXPECT_NE(id, bad);
        EXPECT_EQ(id.size(), 32u) << id;
    }
    auto a = http_request(port(), "GET", "/health");
    auto b = http_request(port(), "GET", "/health");
    EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
    // Errors carry it too, in the header and in the body.
    auto nf = http_request(port(), "GET", "/nope", {{"X-Request-Id", "trace-42"}});
    EXPECT_EQ(nf.header("x-request-id").value_or(""), "trace-42");
    EXPECT_EQ(problem_of(nf).at("request_id").as_string(), "trace-42");
}

TEST_F(HttpCore, GarbageRequestLineClosesTheConnectionAndServerKeepsServing) {
    HttpConnection c(port());
    c.send_raw("\x16\x03\x01 this is not http\r\n\r\n");
    EXPECT_TRUE(c.closed_within(3s));
    EXPECT_EQ(http_request(port(), "GET", "/health").status, 200);
}

TEST_F(HttpCore, HalfARequestThenStallIsClosedAtTheDeadline) {
    HttpConnection stalled(port());
    stalled.send_raw("GET /health HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
    const auto t0 = std::chrono::steady_clock::now();
    // Meanwhile the server serves others.
    EXPECT_EQ(http_request(port(), "GET", "/health").status, 200);
    EXPECT_TRUE(stalled.closed_within(5s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);  // deadline is 1 s; generous bound
}

TEST_F(HttpCore, TricklingBodyCannotExtendTheAbsoluteDeadline) {
    HttpConnection slow(port());
    slow.send_raw(
        "GET /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n");
    bool closed = false;
    // One byte every 200 ms would take 20 s; the 1 s request deadline must cut it off.
    for (int i = 0; i < 20 && !closed; ++i) {
        try {
            slow.send_raw(" ");
        } catch (const std::exception&) {
            closed = true;
            break;
        }
        closed = slow.closed_within(200ms);
    }
    EXPECT_TRUE(closed);
}

TEST_F(HttpCore, KeepAliveIsCappedPerConnection) {
    HttpConnection c(port());
    EXPECT_EQ(c.request("GET", "/health").header("connection").value_or(""), "");
    EXPECT_EQ(c.request("GET", "/health").status, 200);
    auto third = c.request("GET", "/health");
    EXPECT_EQ(third.status, 200);
    EXPECT_EQ(third.header("connection").value_or(""), "close");
    EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(HttpCore, PipelinedRequestsAreAnsweredInOrder) {
    HttpConnection c(port());
    c.send_raw(
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\n"
        "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: two\r\n\r\n");
    auto a = c.read_response();
    auto b = c.read_response();
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.header("x-request-id").value_or(""), "one");
    EXPECT_EQ(b.status, 404);
    EXPECT_EQ(b.header("x-request-id").value_or(""), "two");
}

TEST_F(HttpCore, AccessLogHasOneJsonLinePerRequest) {
    http_request(port(), "GET", "/health", {{"X-Request-Id", "log-line-check"}});
    // The line is written just after the response; wait for it (bounded).
    std::string out;
    for (int i = 0; i < 100 && out.find("log-line-check") == std::string::npos; ++i) {
        std::this_thread::sleep_for(20ms);
        out = server_->process().output();
    }
    const auto pos = out.find("\"request_id\":\"log-line-check\"");
    ASSERT_NE(pos, std::string::npos) << out;
    const auto start = out.rfind('\n', pos) + 1;
    const auto line = out.substr(start, out.find('\n', pos) - start);
    auto entry = boost::json::parse(line).as_object();
    EXPECT_EQ(entry.at("method").as_string(), "GET");
    EXPECT_EQ(entry.at("path").as_string(), "/health");
    EXPECT_EQ(entry.at("status").as_int64(), 200);
    EXPECT_GE(entry.at("us").as_int64(), 0);
}

// Shutdown gets its own server: it ends the process.
TEST(HttpShutdown, SigtermLetsAnInFlightRequestFinishThenExitsZero) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_REQUEST_TIMEOUT_MS=5000"});
    HttpConnection slow(server.port());
    // A request whose body is still arriving when SIGTERM comes.
    slow.send_raw(
        "GET /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\n\r\n{");
    std::this_thread::sleep_for(200ms);
    server.process().signal(SIGTERM);
    std::this_thread::sleep_for(300ms);
    // New connections are no longer accepted...
    EXPECT_THROW(http_request(server.port(), "GET", "/health"), std::exception);
    // ...but the in-flight request completes and is answered.
    slow.send_raw("}");
    auto r = slow.read_response(5s);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("connection").value_or(""), "close");
    auto rc = server.process().wait(10s);
    ASSERT_TRUE(rc.has_value());
    EXPECT_EQ(*rc, 0) << server.process().output();
}

TEST(HttpShutdown, SigtermWithIdleKeepAliveConnectionsExitsPromptly) {
    TestDatabase db;
    Hoteld server(db);
    HttpConnection idle(server.port());
    EXPECT_EQ(idle.request("GET", "/health").status, 200);
    const auto t0 = std::chrono::steady_clock::now();
    server.process().signal(SIGTERM);
    auto rc = server.process().wait(10s);
    ASSERT_TRUE(rc.has_value());
    EXPECT_EQ(*rc, 0);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    EXPECT_TRUE(idle.closed_within(1s));
}
