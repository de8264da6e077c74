// Reliability drill (QUALITY.md "app crash"): hoteld is killed with SIGKILL while bookings with
// Idempotency-Keys are in flight, then restarted; every key is retried. Invariants:
//   I1 no overlapping active bookings for a room;
//   I2 every booking that got a 201 still exists;
//   I3 one idempotency key gives at most one booking (a retry returns the same booking).

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "api_client.hpp"
#include "core/hotel_time.hpp"
#include "private_cluster.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {
std::string day(int offset) {
    const auto today =
        core::HotelClock::for_zone("Europe/Lisbon")
            ->date_at(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    return core::format_date(core::add_days(today, offset));
}
std::string str(const json::value& v) {
    return std::string(v.as_string());
}
}  // namespace

TEST(Reliability, KillNineDuringBookingsKeepsEveryInvariant) {
    TestDatabase db;
    // One guest books everything without a card, so the card-less cap is lifted; a key claimed by
    // a request that dies with the server is free again after the (short) lease.
    const std::vector<std::string> env{"HOTEL_MAX_UNSECURED_BOOKINGS=100000",
                                       "HOTEL_IDEMPOTENCY_LEASE_S=2"};
    auto first = std::make_unique<Hoteld>(db, env);
    const auto admin = admin_token(db, first->port());
    ASSERT_FALSE(admin.empty());
    auto a = [&](unsigned short port, const std::string& m, const std::string& p,
                 const json::object& b) {
        auto r = call(port, m, p, admin, json::serialize(b));
        EXPECT_LT(r.status, 300) << p << ": " << r.body;
        return json_of(r);
    };
    const auto hotel = str(a(first->port(), "POST", "/v1/hotels",
                             {{"name", "Drill"},
                              {"city", "Faro"},
                              {"country", "PT"},
                              {"timezone", "Europe/Lisbon"},
                              {"currency", "EUR"}})
                               .at("id"));
    const auto base = "/v1/hotels/" + hotel;
    const auto type = str(a(first->port(), "POST", base + "/room-types",
                            {{"code", "T"}, {"name", "T"}, {"max_occupancy", 2}})
                              .at("id"));
    const auto plan = str(a(first->port(), "POST", base + "/rate-plans",
                            {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
                              .at("id"));
    for (int i = 1; i <= 10; ++i)
        a(first->port(), "POST", base + "/rooms",
          {{"number", std::to_string(i)}, {"room_type_id", type}});
    a(first->port(), "PUT", base + "/rates",
      {{"room_type_id", type},
       {"rate_plan_id", plan},
       {"from", day(0)},
       {"to", day(40)},
       {"price", "70.00"}});
    register_user(first->port(), "drill@example.com", "drill password 1");
    const auto guest = login(first->port(), "drill@example.com", "drill password 1");
    ASSERT_FALSE(guest.empty());

    // 160 keyed requests over random short stays: enough to fill rooms and to race.
    constexpr int kRequests = 160;
    std::vector<std::string> bodies(kRequests);
    std::mt19937 rng(7);
    for (int i = 0; i < kRequests; ++i) {
        const int from = std::uniform_int_distribution<int>(1, 20)(rng);
        const int nights = std::uniform_int_distribution<int>(1, 4)(rng);
        bodies[static_cast<std::size_t>(i)] =
            json::serialize(json::object{{"hotel_id", hotel},
                                         {"room_type_id", type},
                                         {"rate_plan_id", plan},
                                         {"check_in", day(from)},
                                         {"check_out", day(from + nights)},
                                         {"guests", 1}});
    }
    auto post = [&](unsigned short port, int i) {
        return http_request(port, "POST", "/v1/bookings",
                            {{"Authorization", "Bearer " + guest},
                             {"Content-Type", "application/json"},
                             {"Idempotency-Key", "drill-" + std::to_string(i)}},
                            bodies[static_cast<std::size_t>(i)]);
    };

    std::mutex mu;
    std::map<int, std::string> booked;  // request → booking id, from any 201
    std::atomic<int> next{0}, answered{0};
    const auto port = first->port();
    std::vector<std::thread> workers;
    for (int w = 0; w < 8; ++w)
        workers.emplace_back([&] {
            for (int i = next++; i < kRequests; i = next++) {
                try {
                    auto r = post(port, i);
                    if (r.status == 201) {
                        std::lock_guard lock(mu);
                        booked[i] = str(json_of(r).at("id"));
                    }
                    EXPECT_TRUE(r.status == 201 || r.status == 409) << r.status << " " << r.body;
                } catch (const std::exception&) {
                    // The server died under this request; it is retried below.
                }
                ++answered;
            }
        });
    // Kill the server hard once part of the work is done.
    for (int i = 0; i < 500 && answered.load() < kRequests / 3; ++i)
        std::this_thread::sleep_for(10ms);
    first->process().signal(SIGKILL);
    for (auto& t : workers)
        t.join();
    ASSERT_TRUE(first->process().wait(10s).has_value());
    first.reset();

    // Restart and retry every key with the same body.
    Hoteld second(db, env);
    for (int i = 0; i < kRequests; ++i) {
        auto r = post(second.port(), i);
        // A key whose request died with the first server is held until its lease lapses.
        for (int wait = 0; wait < 20 && code_of(r) == "idempotency_key_in_flight"; ++wait) {
            std::this_thread::sleep_for(250ms);
            r = post(second.port(), i);
        }
        EXPECT_NE(code_of(r), "idempotency_key_in_flight") << "the lease of key " << i;
        ASSERT_TRUE(r.status == 201 || r.status == 409) << r.status << " " << r.body;
        if (r.status != 201)
            continue;
        const auto id = str(json_of(r).at("id"));
        auto it = booked.find(i);
        if (it != booked.end()) {
            EXPECT_EQ(id, it->second) << "I3: the retry of key " << i << " is the same booking";
        }
        booked[i] = id;
    }

    auto c = db.connect();
    auto scalar = [&](pg::Sql sql) { return std::stoll(std::string(c.query(sql).text(0, 0))); };
    // I1.
    EXPECT_EQ(
        scalar("SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id = b.hotel_id AND "
               "a.room_id = b.room_id AND a.id < b.id AND a.period && b.period "
               "WHERE a.status IN ('confirmed','checked_in','checked_out') "
               "AND b.status IN ('confirmed','checked_in','checked_out')"),
        0);
    // I2: every 201 exists.
    for (const auto& [i, id] : booked) {
        auto rows = c.query("SELECT status FROM bookings WHERE id = $1::uuid", {id});
        ASSERT_EQ(rows.size(), 1) << "I2: booking " << id << " of key " << i;
        EXPECT_EQ(rows.text(0, 0), "confirmed");
    }
    // I3: one booking per key, and every booking has its key.
    EXPECT_EQ(scalar("SELECT count(*) FROM bookings WHERE kind = 'stay'"),
              scalar("SELECT count(*) FROM idempotency_keys"));
    EXPECT_EQ(scalar("SELECT count(DISTINCT booking_id) FROM idempotency_keys"),
              scalar("SELECT count(*) FROM idempotency_keys"));
    EXPECT_EQ(static_cast<long long>(booked.size()),
              scalar("SELECT count(*) FROM bookings WHERE kind = 'stay'"));
    EXPECT_GT(booked.size(), 10u) << "the drill booked something";
}

// QUALITY.md "database restart": PostgreSQL stopped with -m immediate under booking load.
// While it is down, requests end in 503 `unavailable` quickly (never a hang); once it is back,
// bookings succeed again without restarting hoteld, and nothing that got a 201 is lost.
TEST(Reliability, DatabaseRestartUnderLoadIs503ThenRecovers) {
    PrivateCluster cluster;
    cluster.create_database("hotel");
    const auto url = cluster.conninfo("hotel");
    ASSERT_EQ(run_process(migrate_path(), {}, {"DATABASE_URL=" + url}).first, 0);
    run_process(
        hoteld_path(),
        {"create-admin", "--email", "admin@example.com", "--password", "admin-password-123"},
        {"DATABASE_URL=" + url});
    Hoteld server(url, {"HOTEL_DB_ACQUIRE_TIMEOUT_MS=500", "HOTEL_DB_QUERY_TIMEOUT_MS=2000"});
    const auto admin = login(server.port(), "admin@example.com", "admin-password-123");
    ASSERT_FALSE(admin.empty());
    auto a = [&](const std::string& m, const std::string& p, const json::object& b) {
        return json_of(call(server.port(), m, p, admin, json::serialize(b)));
    };
    const auto hotel = str(a("POST", "/v1/hotels",
                             {{"name", "Restart"},
                              {"city", "Faro"},
                              {"country", "PT"},
                              {"timezone", "Europe/Lisbon"},
                              {"currency", "EUR"}})
                               .at("id"));
    const auto base = "/v1/hotels/" + hotel;
    const auto type =
        str(a("POST", base + "/room-types", {{"code", "T"}, {"name", "T"}, {"max_occupancy", 2}})
                .at("id"));
    const auto plan =
        str(a("POST", base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
                .at("id"));
    for (int i = 1; i <= 30; ++i)
        a("POST", base + "/rooms", {{"number", std::to_string(i)}, {"room_type_id", type}});
    a("PUT", base + "/rates",
      {{"room_type_id", type},
       {"rate_plan_id", plan},
       {"from", day(0)},
       {"to", day(40)},
       {"price", "70.00"}});

    std::mutex mu;
    std::vector<std::string> booked;
    std::map<int, int> statuses;
    std::atomic<bool> stop{false};
    std::atomic<long long> slowest_ms{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back([&, w] {
            for (int i = 0; i < 400 && !stop; ++i) {
                const int from = 1 + (w * 7 + i) % 30;
                const auto body = json::serialize(json::object{{"hotel_id", hotel},
                                                               {"room_type_id", type},
                                                               {"rate_plan_id", plan},
                                                               {"check_in", day(from)},
                                                               {"check_out", day(from + 1)},
                                                               {"guests", 1}});
                const auto t0 = std::chrono::steady_clock::now();
                int status = -1;
                std::string id;
                try {
                    auto r = call(server.port(), "POST", "/v1/bookings", admin, body);
                    status = r.status;
                    if (status == 201)
                        id = str(json_of(r).at("id"));
                    if (status == 503) {
                        EXPECT_EQ(r.header("retry-after").value_or(""), "1");
                    }
                } catch (const std::exception&) {
                }
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - t0)
                                    .count();
                long long prev = slowest_ms.load();
                while (ms > prev && !slowest_ms.compare_exchange_weak(prev, ms)) {
                }
                std::lock_guard lock(mu);
                ++statuses[status];
                if (!id.empty())
                    booked.push_back(id);
                if (status == 503)
                    std::this_thread::sleep_for(20ms);
            }
        });
    std::this_thread::sleep_for(300ms);
    cluster.stop("immediate");
    {
        // A request that arrives while the database is down is answered 503 within the pool's
        // acquire timeout, whatever the workers happen to be doing at that moment (under a
        // loaded machine they may all be inside requests that began before the stop).
        const auto t0 = std::chrono::steady_clock::now();
        auto probe = call(server.port(), "POST", "/v1/bookings", admin,
                          json::serialize(json::object{{"hotel_id", hotel},
                                                       {"room_type_id", type},
                                                       {"rate_plan_id", plan},
                                                       {"check_in", day(33)},
                                                       {"check_out", day(34)},
                                                       {"guests", 1}}));
        EXPECT_EQ(probe.status, 503) << probe.body;
        EXPECT_EQ(probe.header("retry-after").value_or(""), "1");
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
        std::lock_guard lock(mu);
        ++statuses[probe.status];
    }
    std::this_thread::sleep_for(800ms);
    cluster.start();
    // Bounded wait for recovery, then a little more load.
    int ready = 0;
    for (int i = 0; i < 100 && ready != 200; ++i) {
        ready = http_request(server.port(), "GET", "/ready").status;
        if (ready != 200)
            std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(ready, 200);
    std::this_thread::sleep_for(300ms);
    stop = true;
    for (auto& t : workers)
        t.join();

    EXPECT_GT(statuses[503], 0) << "the outage was seen as 503 unavailable";
    EXPECT_EQ(statuses[-1], 0) << "no request hung up or lost its connection";
    EXPECT_EQ(statuses[500], 0);
    EXPECT_LT(slowest_ms.load(), 5000) << "every request was answered within a bounded time";
    // After recovery, a booking goes through, and every 201 is still there (I2), no overlaps (I1).
    auto after = call(server.port(), "POST", "/v1/bookings", admin,
                      json::serialize(json::object{{"hotel_id", hotel},
                                                   {"room_type_id", type},
                                                   {"rate_plan_id", plan},
                                                   {"check_in", day(35)},
                                                   {"check_out", day(36)},
                                                   {"guests", 1}}));
    EXPECT_EQ(after.status, 201) << after.body;
    auto c = pg::BlockingConnection::open(url, "drill");
    for (const auto& id : booked)
        EXPECT_EQ(c.query("SELECT count(*) FROM bookings WHERE id = $1::uuid", {id}).text(0, 0),
                  "1")
            << "I2: " << id;
    EXPECT_EQ(
        c.query("SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id = b.hotel_id AND "
                "a.room_id = b.room_id AND a.id < b.id AND a.period && b.period "
                "WHERE a.status IN ('confirmed','checked_in','checked_out') "
                "AND b.status IN ('confirmed','checked_in','checked_out')")
            .text(0, 0),
        "0");
}
