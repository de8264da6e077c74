// The search index (issue 11): shopping answered from memory on each node, fed by logical
// decoding. Real hoteld processes on one throwaway database:
// - a seeded property test: random worlds and operations, the index node and an SQL node
//   (HOTEL_SEARCH=sql) must answer every search and offers query byte for byte alike once the
//   index has caught up;
// - two index nodes: a booking through one is reflected in the other's search within 2 s;
// - the feed's connection terminated during bookings: the node reloads, and answers stay right.

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "api_client.hpp"
#include "core/hotel_time.hpp"
#include "private_cluster.hpp"
#include "process.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::string str(const json::value& v) {
    return std::string(v.as_string());
}

std::string day_in(const char* zone, int offset) {
    const auto today = core::HotelClock::for_zone(zone)->date_at(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    return core::format_date(core::add_days(today, offset));
}

// A metric's value from /metrics (the first series that starts with `series`), or -1.
long long metric(unsigned short port, const std::string& series) {
    auto r = call(port, "GET", "/metrics");
    std::size_t at = 0;
    while ((at = r.body.find(series, at)) != std::string::npos) {
        if (at == 0 || r.body[at - 1] == '\n') {
            const auto space = r.body.find(' ', at);
            const auto end = r.body.find('\n', space);
            return std::stoll(r.body.substr(space + 1, end - space - 1));
        }
        at += series.size();
    }
    return -1;
}

class SearchIndex : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        index_ = std::make_unique<Hoteld>(
            *db_, std::vector<std::string>{"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
        admin_ = admin_token(*db_, index_->port());
        ASSERT_FALSE(admin_.empty());
        // The index is live once its first load is done.
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (metric(index_->port(), "hotel_index_live") != 1 &&
               std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(20ms);
        ASSERT_EQ(metric(index_->port(), "hotel_index_live"), 1) << "the index never went live";
    }

    json::value admin(const std::string& method, const std::string& path,
                      const json::object& body) {
        auto r = call(index_->port(), method, path, admin_, json::serialize(body));
        EXPECT_LT(r.status, 300) << method << " " << path << ": " << r.body;
        return json_of(r);
    }

    struct World {
        struct Hotel {
            std::string id, zone;
            std::vector<std::string> types, plans, rooms;
        };
        std::vector<Hotel> hotels;
    };

    // A hotel of `types` room types (occupancy 1-4, 1-3 rooms each) and two plans, priced on
    // 45 days with a few random restrictions.
    World::Hotel make_hotel(std::mt19937& rng, const std::string& name, const std::string& city,
                            const char* zone, int types) {
        auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        World::Hotel h;
        h.zone = zone;
        h.id = str(admin("POST", "/v1/hotels",
                         {{"name", name},
                          {"city", city},
                          {"country", "PT"},
                          {"timezone", zone},
                          {"currency", "EUR"}})
                       .at("id"));
        const auto base = "/v1/hotels/" + h.id;
        // Every plan prices the guests beyond its first one or two (migration 0022).
        auto priced = [&](json::object plan) {
            plan["included_guests"] = pick(1, 2);
            plan["extra_guest"] = json::object{{"amount", std::to_string(pick(0, 3) * 5) + ".00"},
                                               {"currency", "EUR"}};
            return plan;
        };
        h.plans.push_back(str(admin("POST", base + "/rate-plans",
                                    priced({{"code", "NRF"}, {"name", "N"}, {"refundable", false}}))
                                  .at("id")));
        h.plans.push_back(str(admin("POST", base + "/rate-plans",
                                    priced({{"code", "FLEX"},
                                            {"name", "F"},
                                            {"refundable", true},
                                            {"free_cancellation_hours", 24},
                                            {"penalty", "first_night"}}))
                                  .at("id")));
        int number = 0;
        for (int t = 0; t < types; ++t) {
            const auto code = std::string("T") + std::to_string(t);
            h.types.push_back(
                str(admin("POST", base + "/room-types",
                          {{"code", code}, {"name", code}, {"max_occupancy", pick(1, 4)}})
                        .at("id")));
            for (int r = pick(1, 3); r > 0; --r)
                h.rooms.push_back(str(
                    admin("POST", base + "/rooms",
                          {{"number", std::to_string(++number)}, {"room_type_id", h.types.back()}})
                        .at("id")));
            for (const auto& plan : h.plans)
                admin("PUT", base + "/rates",
                      {{"room_type_id", h.types.back()},
                       {"rate_plan_id", plan},
                       {"from", day_in(zone, 0)},
                       {"to", day_in(zone, 45)},
                       {"price", std::to_string(pick(60, 160)) + ".00"}});
        }
        // A plan following the flexible one's rates (written only through them), made after
        // its rates so that it starts from them.
        admin("POST", base + "/rate-plans",
              priced({{"code", "SAVER"},
                      {"name", "S"},
                      {"refundable", false},
                      {"derived_from",
                       {{"rate_plan_id", h.plans[1]},
                        {"adjustment_percent", "-" + std::to_string(pick(1, 30)) + ".5"}}}}));
        return h;
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> index_;
    std::string admin_;
};

}  // namespace

TEST_F(SearchIndex, AnswersExactlyLikeSqlOverRandomOperations) {
    Hoteld sql(*db_, {"HOTEL_SEARCH=sql", "HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    EXPECT_EQ(metric(sql.port(), "hotel_index_live"), -1) << "an SQL node has no index";
    IndexSync sync(index_->port(), admin_);
    std::mt19937 rng(20261130);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const char* zones[] = {"Europe/Lisbon", "Asia/Tokyo", "America/New_York"};
    World world;
    for (int i = 0; i < 5; ++i)
        world.hotels.push_back(make_hotel(rng, "Hotel " + std::to_string(i % 3), "Propcity",
                                          zones[i % 3], pick(1, 3)));
    register_user(index_->port(), "walker@example.com", "guest password 123");
    const auto guest = login(index_->port(), "walker@example.com", "guest password 123");
    std::vector<std::string> bookings;
    int compared = 0, booked = 0;

    for (int op = 0; op < 400; ++op) {
        auto& h = world.hotels[static_cast<std::size_t>(pick(0, 4))];
        const auto base = "/v1/hotels/" + h.id;
        const auto type =
            h.types[static_cast<std::size_t>(pick(0, static_cast<int>(h.types.size()) - 1))];
        const auto plan = h.plans[static_cast<std::size_t>(pick(0, 1))];
        // Writes go through either node: both write the same database.
        const auto writer = pick(0, 1) ? index_->port() : sql.port();
        const int kind = pick(0, 19);
        if (kind <= 8) {
            const int from = pick(0, 30), nights = pick(1, 4);
            auto r = call(
                writer, "POST", "/v1/bookings", guest,
                json::serialize(json::object{{"hotel_id", h.id},
                                             {"room_type_id", type},
                                             {"rate_plan_id", plan},
                                             {"check_in", day_in(h.zone.c_str(), from)},
                                             {"check_out", day_in(h.zone.c_str(), from + nights)},
                                             {"guests", 1}}));
            ASSERT_TRUE(r.status == 201 || r.status == 409 || r.status == 422) << r.body;
            if (r.status == 201) {
                bookings.push_back(str(json_of(r).at("id")));
                ++booked;
            }
        } else if (kind <= 10 && !bookings.empty()) {
            const auto i = static_cast<std::size_t>(pick(0, static_cast<int>(bookings.size()) - 1));
            auto r = call(writer, "DELETE", "/v1/bookings/" + bookings[i], guest);
            ASSERT_TRUE(r.status == 200 || r.status == 409) << r.body;
            bookings.erase(bookings.begin() + static_cast<long>(i));
        } else if (kind == 11 && !bookings.empty()) {
            const auto i = static_cast<std::size_t>(pick(0, static_cast<int>(bookings.size()) - 1));
            const int from = pick(0, 30);
            auto r = call(writer, "PUT", "/v1/bookings/" + bookings[i], admin_,
                          json::serialize(json::object{
                              {"check_in", day_in("Europe/Lisbon", from)},
                              {"check_out", day_in("Europe/Lisbon", from + pick(1, 3))}}));
            ASSERT_TRUE(r.status == 200 || r.status == 409 || r.status == 422) << r.body;
        } else if (kind == 12) {
            const auto room =
                h.rooms[static_cast<std::size_t>(pick(0, static_cast<int>(h.rooms.size()) - 1))];
            const int from = pick(0, 30);
            auto r =
                call(writer, "POST", base + "/rooms/" + room + "/out-of-service", admin_,
                     json::serialize(json::object{{"from", day_in(h.zone.c_str(), from)},
                                                  {"to", day_in(h.zone.c_str(), from + pick(1, 3))},
                                                  {"reason", "works"}}));
            ASSERT_TRUE(r.status == 201 || r.status == 409) << r.body;
        } else if (kind == 13) {  // the catalogue grows: a room
            auto r = call(writer, "POST", base + "/rooms", admin_,
                          json::serialize(json::object{{"number", "x" + std::to_string(op)},
                                                       {"room_type_id", type}}));
            ASSERT_EQ(r.status, 201) << r.body;
            h.rooms.push_back(str(json_of(r).at("id")));
        } else {  // a price or a restriction on a few days
            json::object u{{"room_type_id", type}, {"rate_plan_id", plan}};
            const int d = pick(0, 33);
            u["from"] = day_in(h.zone.c_str(), d);
            u["to"] = day_in(h.zone.c_str(), d + pick(1, 3));
            switch (pick(0, 6)) {
                case 0:
                    u["price"] = nullptr;
                    break;
                case 1:
                    u["price"] = std::to_string(pick(50, 200)) + ".50";
                    break;
                case 2:
                    u["stop_sell"] = static_cast<bool>(pick(0, 1));
                    break;
                case 3:
                    u["min_stay"] = pick(0, 1) ? json::value(pick(2, 3)) : json::value(nullptr);
                    break;
                case 4:
                    u["max_stay"] = pick(0, 1) ? json::value(pick(2, 5)) : json::value(nullptr);
                    break;
                case 5:
                    u["closed_to_arrival"] = static_cast<bool>(pick(0, 1));
                    break;
                default:
                    u["closed_to_departure"] = static_cast<bool>(pick(0, 1));
                    break;
            }
            auto r = call(writer, "PUT", base + "/rates", admin_, json::serialize(u));
            ASSERT_TRUE(r.status == 200 || r.status == 422) << r.body;
        }
        if (op % 8 != 7)
            continue;

        ASSERT_TRUE(sync.wait(writer)) << "the index did not catch up by op " << op;
        for (int q = 0; q < 4; ++q) {
            const int from = pick(0, 32), nights = pick(1, 4);
            std::string query =
                "/v1/hotels?city=" + std::string(pick(0, 1) ? "Propcity" : "PROPCITY") +
                "&check_in=" + day_in("Europe/Lisbon", from) +
                "&check_out=" + day_in("Europe/Lisbon", from + nights) +
                "&guests=" + std::to_string(pick(1, 4));
            if (pick(0, 2) == 0)
                query += "&per_page=2&page=" + std::to_string(pick(1, 3));
            const auto a = call(index_->port(), "GET", query);
            const auto b = call(sql.port(), "GET", query);
            ASSERT_EQ(a.status, b.status) << query;
            ASSERT_EQ(a.body, b.body) << "search differs at op " << op << ": " << query;
            const auto& other = world.hotels[static_cast<std::size_t>(pick(0, 4))];
            const std::string offers = "/v1/hotels/" + other.id +
                                       "/rooms?check_in=" + day_in(other.zone.c_str(), from) +
                                       "&check_out=" + day_in(other.zone.c_str(), from + nights) +
                                       "&guests=" + std::to_string(pick(1, 3));
            const auto c = call(index_->port(), "GET", offers);
            const auto d = call(sql.port(), "GET", offers);
            ASSERT_EQ(c.status, d.status) << offers;
            ASSERT_EQ(c.body, d.body) << "offers differ at op " << op << ": " << offers;
            ++compared;
        }
        // Without dates: the city's hotels.
        ASSERT_EQ(call(index_->port(), "GET", "/v1/hotels?city=propcity").body,
                  call(sql.port(), "GET", "/v1/hotels?city=propcity").body);
    }
    EXPECT_EQ(compared, 200);
    EXPECT_GT(booked, 40) << "the walk exercised bookings";
    EXPECT_EQ(metric(index_->port(), "hotel_index_live"), 1);
    EXPECT_GT(metric(index_->port(), "hotel_index_transactions_total"), 300);
}

TEST_F(SearchIndex, TwoNodesSeeABookingThroughTheOtherWithinTwoSeconds) {
    Hoteld other(*db_, {"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    std::mt19937 rng(7);
    World::Hotel h;
    {
        h.id = str(admin("POST", "/v1/hotels",
                         {{"name", "Last Room Inn"},
                          {"city", "Freshville"},
                          {"country", "PT"},
                          {"timezone", "Europe/Lisbon"},
                          {"currency", "EUR"}})
                       .at("id"));
        const auto base = "/v1/hotels/" + h.id;
        h.plans.push_back(str(admin("POST", base + "/rate-plans",
                                    {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
                                  .at("id")));
        h.types.push_back(str(admin("POST", base + "/room-types",
                                    {{"code", "ONE"}, {"name", "One"}, {"max_occupancy", 2}})
                                  .at("id")));
        admin("POST", base + "/rooms", {{"number", "1"}, {"room_type_id", h.types[0]}});
        admin("PUT", base + "/rates",
              {{"room_type_id", h.types[0]},
               {"rate_plan_id", h.plans[0]},
               {"from", day_in("Europe/Lisbon", 0)},
               {"to", day_in("Europe/Lisbon", 30)},
               {"price", "80.00"}});
    }
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (metric(other.port(), "hotel_index_live") != 1 &&
           std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    const std::string query = "/v1/hotels?city=Freshville&check_in=" + day_in("Europe/Lisbon", 5) +
                              "&check_out=" + day_in("Europe/Lisbon", 7);
    auto listed = [&] {
        auto r = call(other.port(), "GET", query);
        EXPECT_EQ(r.status, 200);
        return json_of(r).at("total").as_int64() == 1;
    };
    // Node B lists the hotel once it has caught up with its creation.
    IndexSync sync(other.port(), admin_);
    ASSERT_TRUE(sync.wait(index_->port()));
    ASSERT_TRUE(listed());

    // The last room is booked through node A: node B stops listing it.
    register_user(index_->port(), "fresh@example.com", "guest password 123");
    const auto guest = login(index_->port(), "fresh@example.com", "guest password 123");
    auto r = call(index_->port(), "POST", "/v1/bookings", guest,
                  json::serialize(json::object{{"hotel_id", h.id},
                                               {"room_type_id", h.types[0]},
                                               {"rate_plan_id", h.plans[0]},
                                               {"check_in", day_in("Europe/Lisbon", 5)},
                                               {"check_out", day_in("Europe/Lisbon", 7)},
                                               {"guests", 1}}));
    ASSERT_EQ(r.status, 201) << r.body;
    const auto booked_at = std::chrono::steady_clock::now();
    while (listed() && std::chrono::steady_clock::now() - booked_at < 2s)
        std::this_thread::sleep_for(1ms);
    const auto hidden_after = std::chrono::steady_clock::now() - booked_at;
    EXPECT_FALSE(listed()) << "node B still sells the last room 2 s after it was booked";
    std::cout << "[ measured ] node B hid the booked room after "
              << std::chrono::duration_cast<std::chrono::microseconds>(hidden_after).count()
              << " us\n";

    // Cancelled through A: B lists it again.
    const auto id = str(json_of(r).at("id"));
    ASSERT_EQ(call(index_->port(), "DELETE", "/v1/bookings/" + id, guest).status, 200);
    const auto cancelled_at = std::chrono::steady_clock::now();
    while (!listed() && std::chrono::steady_clock::now() - cancelled_at < 2s)
        std::this_thread::sleep_for(1ms);
    EXPECT_TRUE(listed()) << "node B does not sell the room again 2 s after the cancellation";
    EXPECT_GE(metric(other.port(), "hotel_index_lag_seconds_count"), 2);
}

TEST_F(SearchIndex, FeedTerminatedDuringBookingsReloadsAndStaysCorrect) {
    Hoteld sql(*db_, {"HOTEL_SEARCH=sql", "HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    std::mt19937 rng(11);
    World world;
    for (int i = 0; i < 3; ++i)
        world.hotels.push_back(
            make_hotel(rng, "Kill " + std::to_string(i), "Killcity", "Europe/Lisbon", 3));
    register_user(index_->port(), "kill@example.com", "guest password 123");
    const auto guest = login(index_->port(), "kill@example.com", "guest password 123");
    ASSERT_EQ(metric(index_->port(), "hotel_index_reloads_total"), 1);

    // Bookings keep coming (bounded: 150 attempts) while the feed is cut.
    std::atomic<int> made{0};
    std::thread booker([&] {
        std::mt19937 local(3);
        auto pick = [&](int lo, int hi) {
            return std::uniform_int_distribution<int>(lo, hi)(local);
        };
        for (int i = 0; i < 150; ++i) {
            const auto& h = world.hotels[static_cast<std::size_t>(pick(0, 2))];
            const int from = pick(0, 30);
            auto r = call(sql.port(), "POST", "/v1/bookings", guest,
                          json::serialize(json::object{
                              {"hotel_id", h.id},
                              {"room_type_id", h.types[static_cast<std::size_t>(pick(0, 2))]},
                              {"rate_plan_id", h.plans[0]},
                              {"check_in", day_in("Europe/Lisbon", from)},
                              {"check_out", day_in("Europe/Lisbon", from + pick(1, 3))},
                              {"guests", 1}}));
            if (r.status == 201)
                ++made;
        }
    });
    std::this_thread::sleep_for(100ms);
    {
        auto c = db_->connect();
        auto killed = c.query(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE backend_type = 'walsender' AND datname = current_database()");
        EXPECT_EQ(killed.text(0, 0), "1") << "one walsender follows this database";
    }
    booker.join();
    EXPECT_GT(made.load(), 20);

    // The node noticed, reloaded, and is live again.
    const auto until = std::chrono::steady_clock::now() + 15s;
    while ((metric(index_->port(), "hotel_index_reloads_total") < 2 ||
            metric(index_->port(), "hotel_index_live") != 1) &&
           std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    EXPECT_GE(metric(index_->port(), "hotel_index_feed_losses_total"), 1);
    ASSERT_GE(metric(index_->port(), "hotel_index_reloads_total"), 2);
    ASSERT_EQ(metric(index_->port(), "hotel_index_live"), 1);

    IndexSync sync(index_->port(), admin_);
    ASSERT_TRUE(sync.wait());
    for (int from = 0; from < 30; from += 2) {
        const std::string query =
            "/v1/hotels?city=Killcity&check_in=" + day_in("Europe/Lisbon", from) +
            "&check_out=" + day_in("Europe/Lisbon", from + 2);
        EXPECT_EQ(call(index_->port(), "GET", query).body, call(sql.port(), "GET", query).body)
            << query;
        for (const auto& h : world.hotels) {
            const std::string offers = "/v1/hotels/" + h.id +
                                       "/rooms?check_in=" + day_in("Europe/Lisbon", from) +
                                       "&check_out=" + day_in("Europe/Lisbon", from + 2);
            EXPECT_EQ(call(index_->port(), "GET", offers).body,
                      call(sql.port(), "GET", offers).body)
                << offers;
        }
    }
}

// A commit is in the WAL, and so decoded, a moment before it is visible to other snapshots:
// synchronous replication waits exactly there. Here the standby it waits for never comes, so
// the rename stays decoded-but-invisible until the wait is cancelled. A feed that reloaded the
// hotel as soon as it decoded the change read the old name and kept it; it must wait.
TEST(SearchIndexFeed, AChangeDecodedBeforeItIsVisibleStillReachesTheIndex) {
    PrivateCluster cluster(
        "synchronous_standby_names = 'hotel_absent_standby'\n"
        "synchronous_commit = local\n");
    cluster.create_database("hotel");
    const auto conninfo = cluster.conninfo("hotel");
    auto [rc, out] = run_process(migrate_path(), {}, {"DATABASE_URL=" + conninfo});
    ASSERT_EQ(rc, 0) << out;
    Hoteld server(conninfo);
    run_process(
        hoteld_path(),
        {"create-admin", "--email", "admin@example.com", "--password", "admin-password-123"},
        {"DATABASE_URL=" + conninfo});
    const auto token = login(server.port(), "admin@example.com", "admin-password-123");
    ASSERT_FALSE(token.empty());
    auto created = call(server.port(), "POST", "/v1/hotels", token,
                        R"({"name":"Before","city":"Decodeville","country":"PT",)"
                        R"("timezone":"Europe/Lisbon","currency":"EUR"})");
    ASSERT_EQ(created.status, 201) << created.body;

    const auto search_shows = [&](const std::string& name) {
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < until) {
            auto r = call(server.port(), "GET", "/v1/hotels?city=Decodeville");
            if (r.status == 200 && r.body.find("\"" + name + "\"") != std::string::npos)
                return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    };
    const auto until_live = std::chrono::steady_clock::now() + 10s;
    while (metric(server.port(), "hotel_index_live") != 1 &&
           std::chrono::steady_clock::now() < until_live)
        std::this_thread::sleep_for(20ms);
    ASSERT_EQ(metric(server.port(), "hotel_index_live"), 1);
    ASSERT_TRUE(search_shows("Before"));

    const auto psql = [&](const std::string& sql) {
        return run_process("/usr/bin/psql", {"-qAtX", "-d", conninfo, "-c", sql});
    };
    auto writer = Process::spawn(
        "/usr/bin/psql", {"-qAtX", "-d", conninfo, "-c",
                          "BEGIN; SET LOCAL synchronous_commit = on; "
                          "UPDATE hotels SET name = 'After' WHERE city = 'Decodeville'; COMMIT"});
    // The commit is flushed and waits for the standby.
    const std::string waiting =
        "SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND datname = 'hotel'";
    std::string pid;
    for (int i = 0; i < 500 && pid.empty(); ++i) {
        pid = psql(waiting).second;
        if (pid.empty())
            std::this_thread::sleep_for(20ms);
    }
    ASSERT_FALSE(pid.empty()) << "the commit never waited for the standby";
    // Time for the feed to decode it (and, before the fix, to reload the hotel without it).
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(psql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                   "WHERE wait_event = 'SyncRep' AND datname = 'hotel'")
                  .second,
              "t\n");
    EXPECT_EQ(writer.wait(10s), 0) << writer.output();

    EXPECT_TRUE(search_shows("After")) << "the index kept the name from before the commit";
    EXPECT_EQ(psql("SELECT name FROM hotels WHERE city = 'Decodeville'").second, "After\n");
}

// A booking is quoted from the index (migration 0013): when the index is behind the database,
// the booking's transaction sees that the hotel's catalogue changed since, writes nothing, and
// the booking is quoted again from SQL: the guest pays the price the database holds, and an
// expected_total at that price is not refused. The index is held behind by stopping its
// walsender (SIGSTOP) while the price changes.
TEST_F(SearchIndex, ABookingQuotedFromAnIndexBehindTheDatabaseGetsTheDatabasesPrice) {
    const auto hotel = str(admin("POST", "/v1/hotels",
                                 {{"name", "Stale Quote Inn"},
                                  {"city", "Staleville"},
                                  {"country", "PT"},
                                  {"timezone", "Europe/Lisbon"},
                                  {"currency", "EUR"}})
                               .at("id"));
    const auto base = "/v1/hotels/" + hotel;
    const auto plan = str(
        admin("POST", base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
            .at("id"));
    const auto type = str(admin("POST", base + "/room-types",
                                {{"code", "ONE"}, {"name", "One"}, {"max_occupancy", 2}})
                              .at("id"));
    for (const char* number : {"1", "2", "3"})
        admin("POST", base + "/rooms", {{"number", number}, {"room_type_id", type}});
    admin("PUT", base + "/rates",
          {{"room_type_id", type},
           {"rate_plan_id", plan},
           {"from", day_in("Europe/Lisbon", 0)},
           {"to", day_in("Europe/Lisbon", 30)},
           {"price", "80.00"}});
    IndexSync sync(index_->port(), admin_);
    ASSERT_TRUE(sync.wait());
    auto book = [&](int from, std::optional<std::string> expected) {
        json::object b{{"hotel_id", hotel},
                       {"room_type_id", type},
                       {"rate_plan_id", plan},
                       {"check_in", day_in("Europe/Lisbon", from)},
                       {"check_out", day_in("Europe/Lisbon", from + 1)},
                       {"guests", 1}};
        if (expected)
            b["expected_total"] = json::object{{"amount", *expected}, {"currency", "EUR"}};
        return call(index_->port(), "POST", "/v1/bookings", admin_, json::serialize(b));
    };
    auto first = book(3, "80.00");
    ASSERT_EQ(first.status, 201) << first.body;

    auto c = db_->connect();
    const auto walsender = c.query(
        "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walsender' "
        "AND application_name LIKE 'hoteld-index:%' AND datname = current_database()");
    ASSERT_EQ(walsender.size(), 1);
    const pid_t pid = std::stoi(std::string(walsender.text(0, 0)));
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    c.query("UPDATE daily_rates SET price_minor = 9000 WHERE hotel_id = $1::uuid", {hotel});
    // The index still quotes 80.00 (its feed is stopped): the offers say so.
    auto offers = call(index_->port(), "GET",
                       base + "/offers?check_in=" + day_in("Europe/Lisbon", 5) +
                           "&check_out=" + day_in("Europe/Lisbon", 6) + "&guests=1");
    const bool index_behind = offers.body.find("\"80.00\"") != std::string::npos;

    auto stale = book(5, std::nullopt);
    auto expected = book(7, "90.00");
    ::kill(pid, SIGCONT);
    EXPECT_TRUE(index_behind) << "the index was not behind: " << offers.body;
    ASSERT_EQ(stale.status, 201) << stale.body;
    EXPECT_EQ(str(json_of(stale).at("total").at("amount")), "90.00");
    ASSERT_EQ(expected.status, 201) << expected.body;
    EXPECT_EQ(str(json_of(expected).at("total").at("amount")), "90.00");
    // Once the feed runs again, the index quotes the new price too.
    ASSERT_TRUE(sync.wait());
    auto later = book(9, "90.00");
    ASSERT_EQ(later.status, 201) << later.body;
}

namespace hotel::test {
namespace {

// The index answers only once it holds what committed while it loaded: a change committed after
// the load read its hotel, but before the stream passed the end of the load, is not hidden from
// searches (the index went live straight after its load; seen as a flaky offers test under
// load). The stream is held behind by stopping the walsender while the load (of 1,000 hotels)
// still runs; the change commits once the load is done.
TEST(SearchIndexStart, AChangeCommittedWhileTheIndexLoadsIsNotHidden) {
    TestDatabase db;
    auto c = db.connect();
    c.query(
        "INSERT INTO hotels (name, city, country, timezone, currency) "
        "SELECT 'Hotel ' || i, CASE WHEN i = 1 THEN 'Loadville' ELSE 'Elsewhere' END, 'PT', "
        "'Europe/Lisbon', 'EUR' FROM generate_series(1, 1000) AS i");
    Hoteld server(db);

    pid_t walsender = 0;
    for (int i = 0; i < 1000 && walsender == 0; ++i) {
        // Streaming (its slot made, START_REPLICATION sent): stopped any earlier, it would hold
        // up the feed's start instead of its stream.
        auto rows = c.query(
            "SELECT r.pid FROM pg_stat_replication r JOIN pg_stat_activity a USING (pid) "
            "WHERE a.datname = current_database() AND r.application_name LIKE 'hoteld-index:%' "
            "AND r.state IN ('catchup', 'streaming')");
        if (rows.size() == 1)
            walsender = std::stoi(std::string(rows.text(0, 0)));
        else
            std::this_thread::sleep_for(2ms);
    }
    ASSERT_NE(walsender, 0) << "the feed never started its stream";
    ASSERT_EQ(::kill(walsender, SIGSTOP), 0);
    const auto loads_at_stop = metric(server.port(), "hotel_index_reloads_total");
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (metric(server.port(), "hotel_index_reloads_total") < 1 &&
           std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(10ms);
    const bool loaded = metric(server.port(), "hotel_index_reloads_total") >= 1;
    c.query("UPDATE hotels SET name = 'Renamed' WHERE city = 'Loadville'");
    auto after = call(server.port(), "GET", "/v1/hotels?city=Loadville");
    const auto live_while_behind = metric(server.port(), "hotel_index_live");
    ::kill(walsender, SIGCONT);

    ASSERT_EQ(loads_at_stop, 0) << "the load was over before the stream was stopped";
    ASSERT_TRUE(loaded) << "the load did not finish";
    EXPECT_NE(after.body.find("\"Renamed\""), std::string::npos)
        << "a search hid a committed change: " << after.body;
    EXPECT_EQ(live_while_behind, 0) << "live before the stream reached the end of the load";
    // Once the stream moves, the index catches up and answers.
    const auto live_by = std::chrono::steady_clock::now() + 10s;
    while (metric(server.port(), "hotel_index_live") != 1 &&
           std::chrono::steady_clock::now() < live_by)
        std::this_thread::sleep_for(10ms);
    ASSERT_EQ(metric(server.port(), "hotel_index_live"), 1);
    bool caught_up = false;
    for (int i = 0; i < 500 && !caught_up; ++i) {
        caught_up =
            call(server.port(), "GET", "/v1/hotels?city=Loadville").body.find("\"Renamed\"") !=
            std::string::npos;
        if (!caught_up)
            std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(caught_up) << "the index never applied the change";
}

}  // namespace
}  // namespace hotel::test
