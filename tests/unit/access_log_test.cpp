// The access log's queue and line format (http/access_log_queue.hpp): every line is the JSON the
// server wrote through a Boost.JSON object before the writer thread, byte for byte.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http/access_log_queue.hpp"
#include "http/text.hpp"

using hotel::http::detail::AccessLogQueue;
using hotel::http::detail::AccessRecord;
using hotel::http::detail::append_access_line;

namespace {

struct Fields {
    std::int64_t unix_ms;
    std::string method, path;
    int status;
    long long micros;
    std::string request_id, remote, client;
    std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
};

// The line as the server rendered it before: a Boost.JSON object, serialized.
std::string reference_line(const Fields& f) {
    const auto t = static_cast<std::time_t>(f.unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char ts[96];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(f.unix_ms % 1000));
    boost::json::object o;
    o["ts"] = ts;
    o["level"] = "info";
    o["msg"] = "request";
    o["method"] = f.method;
    o["path"] = hotel::http::to_valid_utf8(f.path);
    o["status"] = f.status;
    o["us"] = f.micros;
    o["request_id"] = f.request_id;
    o["trace_id"] = f.trace_id;
    o["remote"] = f.remote;
    o["client"] = f.client;
    return boost::json::serialize(o) + "\n";
}

std::string line_of(const Fields& f) {
    AccessRecord r;
    r.assign(f.unix_ms, f.method, f.path, f.status, f.micros, f.request_id, f.trace_id, f.remote,
             f.client);
    std::string out;
    append_access_line(out, r);
    return out;
}

}  // namespace

TEST(AccessLogLine, IsWhatBoostJsonWroteForTheSameFields) {
    std::string every_byte;
    for (int c = 0; c < 256; ++c)
        every_byte += static_cast<char>(c);
    const std::vector<Fields> cases = {
        {1796054400123, "GET", "/health", 200, 87, "0123456789abcdef0123456789abcdef", "127.0.0.1",
         "127.0.0.1"},
        {1796054400000, "POST", "/v1/bookings", 201, 0, "a.b_c-d", "::1", "198.51.100.20", ""},
        {1796054401999, "-", "", 400, 12345678901LL, "x", "", ""},
        {1796054402007, "GET", "/v1/hotels/\xC0\x80x", 400, 5, "bad-path-log", "127.0.0.1",
         "127.0.0.1"},
        {1796054402007, "GET", "/quote\"back\\slash\x01\x1f\b\t\n\f\r\x7f/é/\xF0\x9F\x8F\xA8", 404,
         1, "q", "10.0.0.1", "10.0.0.2"},
        {1796054402500, "DELETE", "/" + std::string(5000, 'p') + "?q=1", 413, 2,
         std::string(128, 'r'), "2001:db8::1", "2001:db8::2"},
        {1796054402500, "GET", every_byte, 400, 3, "all-bytes", "127.0.0.1", "127.0.0.1"},
        {946684799999, "OPTIONS", "*", 204, 9, "y2k", "127.0.0.1", "127.0.0.1"},
    };
    for (const auto& f : cases)
        EXPECT_EQ(line_of(f), reference_line(f)) << f.path.size();
}

TEST(AccessLogQueue, RefusesWhenFullAndHandsRecordsBackInOrder) {
    AccessLogQueue q(3);  // rounded up to 4
    EXPECT_EQ(q.capacity(), 4u);
    EXPECT_FALSE(q.ready());
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(q.push(i, "GET", "/p" + std::to_string(i), 200, i, "id", "t", "r", "c"));
    EXPECT_FALSE(q.push(9, "GET", "/full", 200, 9, "id", "t", "r", "c"));
    EXPECT_TRUE(q.ready());
    std::vector<std::string> seen;
    EXPECT_EQ(q.drain([&](const AccessRecord& r) { seen.emplace_back(r.path()); }, 2), 2u);
    EXPECT_TRUE(q.push(4, "GET", "/p4", 200, 4, "id", "t", "r", "c"));
    const std::string long_path = "/" + std::string(1000, 'l');
    EXPECT_TRUE(q.push(5, "GET", long_path, 200, 5, "id", "t", "r", "c"));
    EXPECT_EQ(q.drain([&](const AccessRecord& r) { seen.emplace_back(r.path()); }, 100), 4u);
    EXPECT_FALSE(q.ready());
    EXPECT_EQ(seen, (std::vector<std::string>{"/p0", "/p1", "/p2", "/p3", "/p4", long_path}));
}

TEST(AccessLogQueue, TwoProducersAndAConsumerLoseNothing) {
    AccessLogQueue q(64);
    constexpr int kPerProducer = 50000;
    std::atomic<int> refused{0};
    auto produce = [&](const std::string& who) {
        for (int i = 0; i < kPerProducer; ++i) {
            const auto id = std::to_string(i);
            while (!q.push(i, "GET", "/p", 200, i, id, "t", who, who)) {
                ++refused;
                std::this_thread::yield();
            }
        }
    };
    std::thread a(produce, "a");
    std::thread b(produce, "b");
    std::map<std::string, long long> next{{"a", 0}, {"b", 0}};
    int received = 0;
    while (received < 2 * kPerProducer) {
        const auto n = q.drain(
            [&](const AccessRecord& r) {
                auto& expected = next[std::string(r.remote())];
                EXPECT_EQ(r.micros, expected) << r.remote();  // each producer's order is kept
                EXPECT_EQ(r.request_id(), std::to_string(r.micros));
                expected = r.micros + 1;
            },
            64);
        received += static_cast<int>(n);
        if (n == 0)
            std::this_thread::yield();
    }
    a.join();
    b.join();
    EXPECT_EQ(next["a"], kPerProducer);
    EXPECT_EQ(next["b"], kPerProducer);
    EXPECT_FALSE(q.ready());
}
