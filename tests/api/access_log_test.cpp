// The access log as an operator sees it: one JSON line per request, written by a thread of its
// own in batches, and none lost when hoteld is stopped with SIGTERM right after the requests.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"
#include "test_env.hpp"

using namespace hotel::test;
using namespace std::chrono_literals;

TEST(AccessLog, SigtermRightAfterTheRequestsLeavesOneLinePerRequest) {
    TestDatabase db;
    Hoteld server(db);
    constexpr int kClients = 4;
    constexpr int kEach = 300;
    std::vector<std::thread> clients;
    std::atomic<int> answered{0};
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&, c] {
            HttpConnection conn(server.port());
            for (int i = 0; i < kEach; ++i) {
                const auto id = "sigterm-" + std::to_string(c) + "-" + std::to_string(i);
                if (conn.request("GET", i % 2 ? "/health" : "/no-such-path", {{"X-Request-Id", id}})
                        .header("x-request-id") == id)
                    ++answered;
            }
        });
    for (auto& t : clients)
        t.join();
    ASSERT_EQ(answered.load(), kClients * kEach);
    server.process().signal(SIGTERM);
    auto rc = server.process().wait(15s);
    ASSERT_TRUE(rc.has_value());
    EXPECT_EQ(*rc, 0);

    const auto out = server.process().output();
    std::set<std::string> ids;
    int lines = 0;
    std::size_t last_access = 0;
    std::size_t stopped = std::string::npos;
    std::size_t start = 0;
    while (start < out.size()) {
        auto end = out.find('\n', start);
        if (end == std::string::npos)
            end = out.size();
        const auto line = out.substr(start, end - start);
        if (line.find("\"msg\":\"stopped\"") != std::string::npos)
            stopped = start;
        if (line.find("\"request_id\":\"sigterm-") != std::string::npos) {
            boost::json::error_code ec;
            auto v = boost::json::parse(line, ec);
            ASSERT_FALSE(ec) << line;
            const auto& o = v.as_object();
            EXPECT_EQ(o.at("msg").as_string(), "request");
            const auto path = std::string(o.at("path").as_string());
            EXPECT_EQ(o.at("status").as_int64(), path == "/health" ? 200 : 404) << line;
            ids.insert(std::string(o.at("request_id").as_string()));
            ++lines;
            last_access = start;
        }
        start = end + 1;
    }
    EXPECT_EQ(lines, kClients * kEach) << "one line per request, none twice";
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kClients * kEach));
    ASSERT_NE(stopped, std::string::npos) << out.substr(out.size() > 2000 ? out.size() - 2000 : 0);
    EXPECT_GT(stopped, last_access) << "every request's line comes before \"stopped\"";
}

TEST(AccessLog, MetricsCountDroppedLines) {
    TestDatabase db;
    Hoteld server(db);
    for (int i = 0; i < 20; ++i)
        http_request(server.port(), "GET", "/health");
    auto m = http_request(server.port(), "GET", "/metrics");
    ASSERT_EQ(m.status, 200);
    EXPECT_NE(m.body.find("# TYPE hotel_access_log_dropped_total counter\n"
                          "hotel_access_log_dropped_total 0\n"),
              std::string::npos)
        << m.body;
}
