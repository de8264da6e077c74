// /health and /ready as an operator's probes see them.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <csignal>
#include <thread>

#include <unistd.h>

#include "http_client.hpp"
#include "notify_socket.hpp"
#include "private_cluster.hpp"
#include "test_env.hpp"

using namespace hotel::test;
using namespace std::chrono_literals;

namespace {
// /ready's status once it settles (at most 10 s): a new node is not ready until its search
// index has loaded.
int ready_status(unsigned short port) {
    int status = 0;
    for (int i = 0; i < 200 && status != 200; ++i) {
        status = http_request(port, "GET", "/ready").status;
        if (status != 200)
            std::this_thread::sleep_for(50ms);
    }
    return status;
}
}  // namespace

TEST(Ready, FollowsTheDatabaseDownAndBackWithoutRestartingHoteld) {
    PrivateCluster cluster;
    cluster.create_database("hotel");
    auto [rc, out] = run_process(migrate_path(), {}, {"DATABASE_URL=" + cluster.conninfo("hotel")});
    ASSERT_EQ(rc, 0) << out;
    Hoteld server(cluster.conninfo("hotel"), {"HOTEL_DB_ACQUIRE_TIMEOUT_MS=500"});

    EXPECT_EQ(ready_status(server.port()), 200);

    cluster.stop();
    const auto t0 = std::chrono::steady_clock::now();
    auto down = http_request(server.port(), "GET", "/ready");
    EXPECT_EQ(down.status, 503);
    EXPECT_EQ(down.header("retry-after").value_or(""), "1");
    EXPECT_NE(down.body.find("\"code\":\"unavailable\""), std::string::npos) << down.body;
    EXPECT_EQ(down.body.find("SQLSTATE"), std::string::npos) << "no driver text leaks";
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    // The process stays healthy while the database is away.
    EXPECT_EQ(http_request(server.port(), "GET", "/health").status, 200);

    cluster.start();
    int status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        status = http_request(server.port(), "GET", "/ready").status;
        if (status != 200)
            std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(status, 200);
    // The search index lost its feed with the database, and loaded again once it was back.
    EXPECT_EQ(ready_status(server.port()), 200);
    EXPECT_TRUE(server.process().running());
}

TEST(Ready, AnswersWhileTheServerHasAHealthyDatabase) {
    TestDatabase db;
    Hoteld server(db);
    EXPECT_EQ(ready_status(server.port()), 200);
    auto r = http_request(server.port(), "GET", "/ready");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("ready"), std::string::npos);
}

// Under a systemd unit of Type=notify (packaging/hotel.service) the service manager starts the
// units that need hoteld only once it says READY=1: by then /ready answers 200.
TEST(Ready, TellsTheServiceManagerItIsReadyOnceReadyAnswersAndWhenItStops) {
    TestDatabase db;
    NotifySocket manager;
    Hoteld server(db, {"NOTIFY_SOCKET=" + manager.name()});
    const auto ready = manager.receive(30s);
    ASSERT_TRUE(ready.has_value()) << "no READY=1 within 30 s";
    EXPECT_NE(ready->find("READY=1"), std::string::npos) << *ready;
    EXPECT_EQ(http_request(server.port(), "GET", "/ready").status, 200);
    EXPECT_FALSE(manager.receive(300ms).has_value()) << "READY=1 is said once";

    server.process().signal(SIGTERM);
    EXPECT_EQ(manager.receive(10s).value_or("(nothing)"), "STOPPING=1");
    EXPECT_EQ(server.process().wait(15s), 0);
}

TEST(Ready, WaitsForTheSearchIndexOnlyWhereTheDatabaseCanFeedIt) {
    // A role without REPLICATION cannot decode: the node says so, answers shopping from SQL,
    // and is ready without the index.
    TestDatabase db;
    const std::string role = "hotel_norepl_" + std::to_string(::getpid());
    {
        auto c = db.connect();
        // The name is a fixed prefix and digits: no quoting issue.
        c.run_script("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role +
                     " LOGIN NOREPLICATION; GRANT USAGE ON SCHEMA public TO " + role +
                     "; GRANT ALL ON ALL TABLES IN SCHEMA public TO " + role +
                     "; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO " + role +
                     "; GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO " + role);
    }
    Hoteld server(db.url() + " user=" + role);
    EXPECT_EQ(ready_status(server.port()), 200);
    EXPECT_EQ(http_request(server.port(), "GET", "/v1/hotels?city=Lisbon").status, 200);
    auto m = http_request(server.port(), "GET", "/metrics");
    EXPECT_NE(m.body.find("\nhotel_index_live 0\n"), std::string::npos) << "shopping stays on SQL";
    std::this_thread::sleep_for(200ms);
    const auto out = server.process().output();
    EXPECT_NE(out.find("search index unavailable"), std::string::npos) << out;
    {
        auto c = db.connect();
        c.run_script("DROP OWNED BY " + role);
    }
}

TEST(Metrics, PrometheusTextCountsRequestsAndShowsThePool) {
    TestDatabase db;
    Hoteld server(db);
    ASSERT_EQ(ready_status(server.port()), 200);
    for (int i = 0; i < 3; ++i)
        http_request(server.port(), "GET", "/ready");
    http_request(server.port(), "GET", "/no-such-path");
    auto r = http_request(server.port(), "GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type").value_or("").rfind("text/plain; version=0.0.4", 0), 0u);
    auto value_of = [&](const std::string& series) -> long long {
        const auto pos = r.body.find("\n" + series + " ");
        if (pos == std::string::npos)
            return -1;
        return std::stoll(r.body.substr(pos + series.size() + 2));
    };
    EXPECT_GE(value_of("hotel_http_requests_total{class=\"2xx\"}"), 3);  // readiness probes, health
    EXPECT_GE(value_of("hotel_http_requests_total{class=\"4xx\"}"), 1);
    // Per route template: the readiness probes under /ready, the unknown path under "unmatched".
    EXPECT_EQ(
        value_of("hotel_http_request_duration_seconds_bucket{route=\"/ready\",method=\"GET\","
                 "le=\"+Inf\"}"),
        value_of("hotel_http_request_duration_seconds_count{route=\"/ready\",method=\"GET\"}"));
    EXPECT_GE(
        value_of("hotel_http_request_duration_seconds_count{route=\"/ready\",method=\"GET\"}"), 3);
    EXPECT_GE(value_of("hotel_http_request_duration_seconds_count{route=\"unmatched\"}"), 1);
    EXPECT_GE(value_of("hotel_db_pool_created_total"), 1);
    // The readiness checks' connection stays open: idle, or lent this moment to a background
    // worker (the webhook workers and the numbering step use the same pool), so the two together.
    EXPECT_GE(value_of("hotel_db_pool_connections{state=\"idle\"}") +
                  value_of("hotel_db_pool_connections{state=\"in_use\"}"),
              1);
    EXPECT_EQ(value_of("hotel_db_pool_waiting"), 0);
    EXPECT_NE(r.body.find("# TYPE hotel_http_request_duration_seconds histogram"),
              std::string::npos);
}

TEST(OpenApi, TheServedDocumentDescribesEveryEndpoint) {
    TestDatabase db;
    Hoteld server(db);
    auto r = http_request(server.port(), "GET", "/openapi.json");
    ASSERT_EQ(r.status, 200);
    boost::json::error_code ec;
    auto doc = boost::json::parse(r.body, ec);
    ASSERT_FALSE(ec) << "valid JSON";
    EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
    const auto& paths = doc.at("paths").as_object();
    const std::vector<std::pair<std::string, std::string>> endpoints = {
        {"/health", "get"},
        {"/ready", "get"},
        {"/metrics", "get"},
        {"/openapi.json", "get"},
        {"/v1/auth/register", "post"},
        {"/v1/auth/login", "post"},
        {"/v1/auth/refresh", "post"},
        {"/v1/auth/logout", "post"},
        {"/v1/me", "get"},
        {"/v1/users", "post"},
        {"/v1/users/{id}", "patch"},
        {"/v1/hotels", "get"},
        {"/v1/hotels", "post"},
        {"/v1/hotels/{id}", "get"},
        {"/v1/hotels/{id}", "patch"},
        {"/v1/hotels/{id}/room-types", "get"},
        {"/v1/hotels/{id}/room-types", "post"},
        {"/v1/hotels/{id}/rooms", "get"},
        {"/v1/hotels/{id}/rooms", "post"},
        {"/v1/hotels/{id}/rooms/{room_id}/out-of-service", "post"},
        {"/v1/hotels/{id}/rate-plans", "get"},
        {"/v1/hotels/{id}/rate-plans", "post"},
        {"/v1/hotels/{id}/rates", "get"},
        {"/v1/hotels/{id}/rates", "put"},
        {"/v1/hotels/{id}/availability", "get"},
        {"/v1/bookings", "get"},
        {"/v1/bookings", "post"},
        {"/v1/bookings/{id}", "get"},
        {"/v1/bookings/{id}", "delete"},
        {"/v1/bookings/{id}", "put"},
        {"/v1/bookings/{id}/check-in", "post"},
        {"/v1/bookings/{id}/check-out", "post"},
        {"/v1/bookings/{id}/no-show", "post"}};
    for (const auto& [path, method] : endpoints) {
        ASSERT_TRUE(paths.contains(path)) << path;
        EXPECT_TRUE(paths.at(path).as_object().contains(method)) << method << " " << path;
        // And the server really routes it (anything but 404 for a path the document names).
        std::string concrete = path;
        for (const std::string& p : {std::string("{id}"), std::string("{room_id}")})
            if (auto pos = concrete.find(p); pos != std::string::npos)
                concrete.replace(pos, p.size(), "00000000-0000-0000-0000-000000000000");
        std::string upper = method;
        for (auto& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        auto routed = http_request(server.port(), upper, concrete);
        EXPECT_EQ(routed.body.find("No resource at this path"), std::string::npos)
            << upper << " " << concrete;
    }
}
