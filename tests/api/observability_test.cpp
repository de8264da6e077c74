// Seeing inside a running hoteld (issue 15, part 4): a request's W3C trace reaches the client,
// the log and PostgreSQL; /metrics, the alert rules and the Grafana dashboard pass promtool and
// name only metrics hoteld exposes.

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "booking_fixture.hpp"
#include "http/server.hpp"
#include "http/trace.hpp"
#include "http_client.hpp"
#include "test_env.hpp"

using namespace hotel::test;
using namespace std::chrono_literals;

namespace {

const std::string kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::regex kTraceparent("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

// The lines of `out` holding `needle`.
std::vector<std::string> lines_with(const std::string& out, const std::string& needle) {
    std::vector<std::string> found;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos)
            found.push_back(line);
    return found;
}

// Waits (bounded) for hoteld's output to hold a line with every one of `needles`.
std::string wait_for_line(Hoteld& server, const std::vector<std::string>& needles) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        for (const auto& line : lines_with(server.process().output(), needles.front())) {
            bool all = true;
            for (const auto& n : needles)
                all = all && line.find(n) != std::string::npos;
            if (all)
                return line;
        }
        if (std::chrono::steady_clock::now() > until)
            return {};
        std::this_thread::sleep_for(20ms);
    }
}

bool have_promtool() {
    return std::system("command -v promtool >/dev/null 2>&1") == 0;
}

// Runs promtool with `args`; its exit status, its output in `output`.
int promtool(const std::string& args, std::string& output) {
    const std::string command = "promtool " + args + " 2>&1";
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        return -1;
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p))
        output.append(buf, n);
    return ::pclose(p);
}

#define REQUIRE_PROMTOOL()                                                                 \
    do {                                                                                   \
        if (!have_promtool()) {                                                            \
            ASSERT_EQ(std::getenv("CI"), nullptr)                                          \
                << "promtool is missing under CI (Debian package prometheus)";             \
            GTEST_SKIP() << "promtool not installed (Debian package prometheus): skipped"; \
        }                                                                                  \
    } while (0)

}  // namespace

TEST(Tracing, TheCallersTraceComesBackWithThisServersSpanAndBadOnesStartANewTrace) {
    TestDatabase db;
    Hoteld server(db);
    const std::string parent = "00-" + kTrace + "-00f067aa0ba902b7-01";
    auto r = http_request(server.port(), "GET", "/health",
                          {{"traceparent", parent}, {"X-Request-Id", "with-a-trace"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("x-request-id").value_or(""), "with-a-trace") << "X-Request-Id as before";
    const auto back = r.header("traceparent").value_or("");
    ASSERT_TRUE(std::regex_match(back, kTraceparent)) << back;
    EXPECT_EQ(back.substr(3, 32), kTrace);
    EXPECT_NE(back.substr(36, 16), "00f067aa0ba902b7") << "the server's own span";
    EXPECT_EQ(back.substr(53), "01");

    std::set<std::string> traces;
    const std::vector<std::string> unusable = {
        "00-" + std::string(32, '0') + "-00f067aa0ba902b7-01",
        "00-" + kTrace + "-0000000000000000-01",
        "ff-" + kTrace + "-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "nonsense",
        ""};
    for (const auto& bad : unusable) {
        auto answer = http_request(
            server.port(), "GET", "/no-such-path",
            bad.empty() ? std::vector<std::pair<std::string, std::string>>{}
                        : std::vector<std::pair<std::string, std::string>>{{"traceparent", bad}});
        EXPECT_EQ(answer.status, 404) << "an unreadable traceparent is never an error: " << bad;
        const auto fresh = answer.header("traceparent").value_or("");
        ASSERT_TRUE(std::regex_match(fresh, kTraceparent)) << fresh;
        EXPECT_NE(fresh.substr(3, 32), kTrace);
        traces.insert(fresh.substr(3, 32));
        EXPECT_TRUE(answer.body.find("\"request_id\"") != std::string::npos);
    }
    EXPECT_EQ(traces.size(), 6u) << "each request without a usable trace starts its own";

    // The access line names the trace.
    EXPECT_FALSE(wait_for_line(
                     server, {"\"request_id\":\"with-a-trace\"", "\"trace_id\":\"" + kTrace + "\""})
                     .empty());
}

// A slow statement found in pg_stat_activity (or PostgreSQL's log, through application_name) or
// in hoteld's slow-statement log leads to the request: each carries the request's trace id.
TEST(Tracing, PostgresAndTheSlowStatementLogSeeTheRequestsTraceId) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_SLOW_QUERY_MS=100", "HOTEL_SEARCH=sql", "HOTEL_WEBHOOK_WORKERS=0"});
    const std::string trace = "0af7651916cd43dd8448eb211c80319c";
    // Hold the hotels table, so the request's read of it waits where pg_stat_activity shows it.
    auto locker = db.connect();
    locker.query("BEGIN");
    locker.query("LOCK TABLE hotels IN ACCESS EXCLUSIVE MODE");
    HttpResponse answer;
    std::thread request([&] {
        answer =
            http_request(server.port(), "GET", "/v1/hotels/00000000-0000-4000-8000-000000000001",
                         {{"traceparent", "00-" + trace + "-b7ad6b7169203331-01"}});
    });
    auto watcher = db.connect();
    std::string seen;
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (seen.empty() && std::chrono::steady_clock::now() < until) {
        auto rows = watcher.query(
            "SELECT application_name, query FROM pg_stat_activity "
            "WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' "
            "AND application_name LIKE $1",
            {"% " + trace});
        if (rows.size() > 0)
            seen = std::string(rows.text(0, 0)) + " | " + std::string(rows.text(0, 1));
        else
            std::this_thread::sleep_for(20ms);
    }
    std::string activity;  // what there was instead, should the statement not be found
    if (seen.empty()) {
        auto rows = watcher.query(
            "SELECT coalesce(application_name, '') || ' ' || coalesce(state, '') || ' ' || "
            "coalesce(wait_event_type, '') || ' ' || coalesce(query, '') FROM pg_stat_activity "
            "WHERE datname = current_database()");
        for (int i = 0; i < rows.size(); ++i)
            activity += std::string(rows.text(i, 0)) + "\n";
    }
    std::this_thread::sleep_for(200ms);  // past HOTEL_SLOW_QUERY_MS
    locker.query("ROLLBACK");
    request.join();
    ASSERT_FALSE(seen.empty()) << "no waiting statement named after the trace in pg_stat_activity: "
                               << activity << " answer " << answer.status << "\n"
                               << server.process().output();
    EXPECT_NE(seen.find("hoteld:"), std::string::npos) << seen;
    EXPECT_NE(seen.find("FROM hotels"), std::string::npos) << seen;
    EXPECT_EQ(answer.status, 404);
    EXPECT_EQ(answer.header("traceparent").value_or("").substr(3, 32), trace);

    const auto slow = wait_for_line(server, {"\"msg\":\"slow statement\"", trace});
    ASSERT_FALSE(slow.empty()) << server.process().output();
    const auto line = boost::json::parse(slow).as_object();
    EXPECT_EQ(line.at("trace_id").as_string(), trace);
    EXPECT_GE(std::stol(std::string(line.at("ms").as_string())), 100);
    EXPECT_FALSE(
        wait_for_line(server, {"\"msg\":\"request\"", "\"trace_id\":\"" + trace + "\""}).empty());
}

TEST(Metrics, RoutesAreLabelledByTemplateAndPromtoolAcceptsTheExposition) {
    TestDatabase db;
    Hoteld server(db);
    for (int i = 0; i < 3; ++i)
        http_request(server.port(), "GET", "/health");
    http_request(server.port(), "GET", "/v1/hotels/00000000-0000-4000-8000-000000000002");
    http_request(server.port(), "GET", "/v1/hotels/00000000-0000-4000-8000-000000000003");
    http_request(server.port(), "GET", "/no-such-path");
    const auto r = http_request(server.port(), "GET", "/metrics");
    ASSERT_EQ(r.status, 200);
    const auto& body = r.body;
    // /health: these three, and the fixture's probes until hoteld answered.
    const std::string health =
        "\nhotel_http_request_duration_seconds_count{route=\"/health\","
        "method=\"GET\"} ";
    const auto at = body.find(health);
    ASSERT_NE(at, std::string::npos) << body;
    EXPECT_GE(std::stoll(body.substr(at + health.size())), 3);
    EXPECT_NE(body.find("\nhotel_http_request_duration_seconds_count{route=\"/v1/hotels/{id}\","
                        "method=\"GET\"} 2\n"),
              std::string::npos);
    EXPECT_NE(body.find("hotel_http_request_duration_seconds_count{route=\"unmatched\"}"),
              std::string::npos);
    EXPECT_EQ(body.find("no-such-path"), std::string::npos) << "never a raw path";
    EXPECT_EQ(body.find("00000000-0000-4000-8000"), std::string::npos) << "never a raw path";
    for (const char* name :
         {"# TYPE hotel_db_pool_wait_seconds histogram",
          "# TYPE hotel_bookings_created_total counter", "# TYPE hotel_sold_out_total counter",
          "# TYPE hotel_cancellations_total counter",
          "# TYPE hotel_fees_charged_minor_total counter"})
        EXPECT_NE(body.find(name), std::string::npos) << name;

    REQUIRE_PROMTOOL();
    std::string output;
    char path[] = "/tmp/hotel-metrics-XXXXXX";
    const int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    ::close(fd);
    std::ofstream(path) << body;
    const int rc = promtool(std::string("check metrics < ") + path, output);
    ::unlink(path);
    EXPECT_EQ(rc, 0) << output;
}

TEST(Metrics, AlertRulesAndTheDashboardCheckOutAgainstWhatHoteldExposes) {
    REQUIRE_PROMTOOL();
    const std::string dir = HOTEL_SOURCE_DIR;
    std::string output;
    EXPECT_EQ(promtool("check rules " + dir + "/deploy/prometheus/alerts.yml", output), 0)
        << output;

    TestDatabase db;
    Hoteld server(db);
    const auto metrics = http_request(server.port(), "GET", "/metrics").body;
    std::ifstream in(dir + "/deploy/grafana/hotel.json");
    std::stringstream text;
    text << in.rdbuf();
    boost::json::error_code ec;
    const auto dashboard = boost::json::parse(text.str(), ec);
    ASSERT_FALSE(ec) << "deploy/grafana/hotel.json is not JSON";
    std::string rules;
    {
        std::ifstream alerts(dir + "/deploy/prometheus/alerts.yml");
        std::stringstream all;
        all << alerts.rdbuf();
        rules = all.str();
    }
    std::string exprs = rules;
    int targets = 0;
    for (const auto& panel : dashboard.at("panels").as_array())
        for (const auto& target : panel.at("targets").as_array()) {
            exprs += "\n";
            exprs += std::string(target.at("expr").as_string());
            ++targets;
        }
    EXPECT_GE(targets, 10);
    // Every hotel_* name in a panel or a rule is a metric family of /metrics.
    const std::regex name("hotel_[a-z_]+");
    std::set<std::string> missing;
    for (auto it = std::sregex_iterator(exprs.begin(), exprs.end(), name);
         it != std::sregex_iterator(); ++it) {
        auto family = it->str();
        for (const char* suffix : {"_bucket", "_count", "_sum"})
            if (family.size() > std::strlen(suffix) &&
                family.compare(family.size() - std::strlen(suffix), std::string::npos, suffix) ==
                    0 &&
                metrics.find("# TYPE " + family + " ") == std::string::npos)
                family.resize(family.size() - std::strlen(suffix));
        if (metrics.find("# TYPE " + family + " ") == std::string::npos)
            missing.insert(family);
    }
    EXPECT_TRUE(missing.empty()) << [&] {
        std::string all;
        for (const auto& m : missing)
            all += m + " ";
        return all;
    }();
}

namespace {
// The value of one series of a /metrics body, or -1 when it is absent.
long long series_value(const std::string& body, const std::string& series) {
    const auto at = body.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + series.size() + 2));
}
}  // namespace

class BusinessMetrics : public Bookings {};

// Bookings created (a replay is not a second one), sold_out answers, cancellations and the fee
// a cancellation charged, in minor units of its currency.
TEST_F(BusinessMetrics, OutcomesAreCountedOnceWhereTheyHappen) {
    auto h = small_hotel(1);
    const json::object stay{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                            {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(5)},
                            {"check_out", lisbon_date(7)}, {"guests", 1}};
    ASSERT_EQ(book(guest_, stay, {{"Idempotency-Key", "metrics-once"}}).status, 201);
    ASSERT_EQ(book(guest_, stay, {{"Idempotency-Key", "metrics-once"}}).status, 201);  // replay
    auto full = book(guest_, stay);
    ASSERT_EQ(full.status, 409);
    ASSERT_EQ(code_of(full), "sold_out");
    auto nrf = json_of(book(guest_, body(100, 104, nrf_)));
    auto cancelled = json_of(call(port(), "DELETE", "/v1/bookings/" + s(nrf.at("id")), guest_));
    const auto fee = cancelled.at("cancellation_fee");
    const auto currency = s(fee.at("currency"));
    auto amount = s(fee.at("amount"));
    amount.erase(std::remove(amount.begin(), amount.end(), '.'), amount.end());
    ASSERT_GT(std::stoll(amount), 0);

    const auto metrics = http_request(port(), "GET", "/metrics").body;
    EXPECT_EQ(series_value(metrics, "hotel_bookings_created_total"), 2);
    EXPECT_EQ(series_value(metrics, "hotel_sold_out_total"), 1);
    EXPECT_EQ(series_value(metrics, "hotel_cancellations_total"), 1);
    EXPECT_EQ(
        series_value(metrics, "hotel_fees_charged_minor_total{currency=\"" + currency + "\"}"),
        std::stoll(amount))
        << metrics;
}

// What the database pool and log_event rely on: a handler runs on its connection's strand (one
// the pool recognises) with the request's trace as the thread's current one, before and after
// it waits, on whichever I/O thread resumes it; nothing else is a request's strand.
TEST(Tracing, AHandlerSeesItsTraceAfterEveryWaitOnARequestStrand) {
    namespace asio = boost::asio;
    asio::io_context ioc(2);
    hotel::http::Router router;
    router.add(
        "GET", "/t", [&ioc](hotel::http::Request&) -> asio::awaitable<hotel::http::Response> {
            const auto executor = co_await asio::this_coro::executor;
            std::string seen(hotel::http::current_trace_id());
            for (int i = 0; i < 3; ++i) {
                asio::steady_timer pause(ioc, std::chrono::milliseconds(2));
                co_await pause.async_wait(asio::use_awaitable);
                seen += "|";
                seen += hotel::http::current_trace_id();
            }
            seen += hotel::http::is_request_strand(executor) ? "|strand" : "|not a request strand";
            co_return hotel::http::Response::json(200, seen);
        });
    hotel::http::ServerOptions options;
    options.port = 0;
    hotel::http::Server server(ioc, options, std::move(router));
    const auto port = server.start();
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i)
        threads.emplace_back([&ioc] { ioc.run(); });
    // Four connections at once, each with its own trace: none sees another one's.
    std::vector<std::thread> clients;
    std::vector<std::string> bodies(4);
    for (int c = 0; c < 4; ++c)
        clients.emplace_back([&, c] {
            const std::string trace = std::string(31, 'a') + static_cast<char>('1' + c);
            bodies[c] = http_request(port, "GET", "/t",
                                     {{"traceparent", "00-" + trace + "-00f067aa0ba902b7-01"}})
                            .body;
        });
    for (auto& t : clients)
        t.join();
    for (int c = 0; c < 4; ++c) {
        const std::string trace = std::string(31, 'a') + static_cast<char>('1' + c);
        EXPECT_EQ(bodies[c], trace + "|" + trace + "|" + trace + "|" + trace + "|strand");
    }
    EXPECT_FALSE(hotel::http::is_request_strand(ioc.get_executor()));
    EXPECT_EQ(hotel::http::current_trace_id(), "") << "no trace outside a request";
    std::atomic<bool> done{false};
    server.shutdown(std::chrono::seconds(2), [&](bool) { done = true; });
    for (int i = 0; i < 200 && !done; ++i)
        std::this_thread::sleep_for(10ms);
    ioc.stop();
    for (auto& t : threads)
        t.join();
}

// A graceful stop reports its end even when nothing but the server keeps the io_context busy:
// closing the listener must not let the threads run out of work before the stop's own wait has
// begun (it did, about one stop in two, and the caller waited forever).
TEST(Shutdown, ReportsItsEndWhenTheServerWasAllThatKeptTheThreadsBusy) {
    namespace asio = boost::asio;
    for (int round = 0; round < 20; ++round) {
        asio::io_context ioc(1);
        hotel::http::ServerOptions options;
        options.port = 0;
        hotel::http::Server server(ioc, options, hotel::http::Router{});
        server.start();
        std::thread runner([&ioc] { ioc.run(); });
        std::this_thread::sleep_for(2ms);  // the accept loop is waiting for a connection
        std::atomic<int> reported{0};
        std::atomic<bool> clean{false};
        server.shutdown(std::chrono::seconds(2), [&](bool c) {
            clean = c;
            ++reported;
        });
        runner.join();  // run() returns once no work is left
        ASSERT_EQ(reported.load(), 1) << "round " << round << ": the stop never reported its end";
        EXPECT_TRUE(clean.load());
    }
}
