// DATABASE_READ_URL (issue 15, part 3): the reads that may lag (the booking list, the managers'
// reports) go to the read database, everything else to the primary. Proven without a replica:
// the read database is a copy of the primary taken before a booking, so the two answer
// differently; and a read database that cannot be reached leaves the node ready and booking.

#include <gtest/gtest.h>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

// One unlabelled sample of /metrics; -1 when absent.
long long metric(unsigned short port, const std::string& name) {
    const auto body = call(port, "GET", "/metrics").body;
    const auto at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
}

class ReadRouting : public Bookings {
  protected:
    // A copy of the primary as it is now (its users and catalogue, the same ids), standing for
    // a replica that has not yet replayed what happens next. CREATE DATABASE ... TEMPLATE needs
    // the primary without sessions: the fixture's hoteld is stopped first.
    void copy_primary() {
        server_.reset();
        copy_ = std::make_unique<TestDatabase>(false);
        auto admin = pg::BlockingConnection::open("dbname=postgres", "hotel-tests");
        // Both names are the fixture's own, made of a fixed prefix and digits.
        admin.run_script("DROP DATABASE " + copy_->name());
        admin.run_script("CREATE DATABASE " + copy_->name() + " TEMPLATE " + db_->name());
    }
    std::string today_stay() {
        auto r = book(guest_, body(0, 1, flex_));
        EXPECT_EQ(r.status, 201) << r.body;
        return s(json_of(r).at("id"));
    }
    long long listed(const std::string& token) {
        auto r = call(port(), "GET", "/v1/bookings", token);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_of(r).at("total").as_int64();
    }
    long long sold_tonight() {
        auto r = call(port(), "GET",
                      "/v1/hotels/" + lisbon_ + "/reports/occupancy?from=" + lisbon_date(0) +
                          "&to=" + lisbon_date(1),
                      admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_of(r).at("days").as_array().at(0).at("rooms_sold").as_int64();
    }
    // /ready's answer once the node has settled (its search index loaded), bounded.
    int ready() {
        int status = 0;
        for (int i = 0; i < 300 && status != 200; ++i) {
            status = call(port(), "GET", "/ready").status;
            if (status != 200)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return status;
    }
    std::unique_ptr<TestDatabase> copy_;
};

TEST_F(ReadRouting, ListsAndReportsReadTheReadDatabaseAndEverythingElseThePrimary) {
    copy_primary();
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"DATABASE_READ_URL=" + copy_->url(),
                                       "HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    // The booking path, the booking itself and the idempotent replay: the primary.
    const auto key = std::vector<std::pair<std::string, std::string>>{{"Idempotency-Key", "r-1"}};
    auto placed = book(guest_, body(0, 1, flex_), key);
    ASSERT_EQ(placed.status, 201) << placed.body;
    const auto id = s(json_of(placed).at("id"));
    auto replay = book(guest_, body(0, 1, flex_), key);
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.body, placed.body);
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + id, guest_).status, 200);
    EXPECT_EQ(count("SELECT count(*) FROM bookings WHERE kind = 'stay'"), 1);

    // The list and the report: the copy, which never saw it.
    EXPECT_EQ(listed(guest_), 0);
    EXPECT_EQ(listed(admin_), 0);
    EXPECT_EQ(sold_tonight(), 0);

    // The same primary without DATABASE_READ_URL: one node reads everything there (and has no
    // read pool to report).
    server_ = std::make_unique<Hoteld>(*db_);
    EXPECT_EQ(call(port(), "GET", "/metrics").body.find("hotel_db_read_pool"), std::string::npos);
    EXPECT_EQ(listed(guest_), 1);
    EXPECT_EQ(listed(admin_), 1);
    EXPECT_EQ(sold_tonight(), 1);
}

TEST_F(ReadRouting, AReadDatabaseDownLeavesTheNodeReadyAndBookingWhileListsAnswer503) {
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"DATABASE_READ_URL=dbname=hotel_no_such_database",
                                       "HOTEL_DB_ACQUIRE_TIMEOUT_MS=1000"});
    EXPECT_EQ(ready(), 200);
    const auto id = today_stay();
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + id, guest_).status, 200);
    auto list = call(port(), "GET", "/v1/bookings", guest_);
    EXPECT_EQ(list.status, 503) << list.body;
    EXPECT_EQ(code_of(list), "unavailable");
    EXPECT_EQ(call(port(), "GET", "/ready", "").status, 200);
    // The operator sees which pool failed.
    EXPECT_EQ(metric(port(), "hotel_db_read_pool_acquire_timeouts_total"), 1);
    EXPECT_EQ(metric(port(), "hotel_db_pool_acquire_timeouts_total"), 0);
}

TEST(ReadRoutingSettings, AMalformedReadUrlOrReadPoolSizeRefusesToStart) {
    TestDatabase db(false);
    for (const auto& [setting, says] : std::vector<std::pair<std::string, std::string>>{
             {"DATABASE_READ_URL=no_such_option=1", "DATABASE_READ_URL"},
             {"HOTEL_DB_READ_POOL_SIZE=0", "HOTEL_DB_READ_POOL_SIZE"}}) {
        auto [rc, out] = run_process(hoteld_path(), {},
                                     {"DATABASE_URL=" + db.url(), "HOTEL_LISTEN=127.0.0.1:0",
                                      "HOTEL_JWT_SECRET=" + test_jwt_secret(), setting},
                                     std::chrono::seconds(30));
        EXPECT_EQ(rc, 2) << setting << ": " << out;
        EXPECT_NE(out.find(says), std::string::npos) << out;
    }
}

}  // namespace
}  // namespace hotel::test
