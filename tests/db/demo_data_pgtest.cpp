// `hoteld demo-data`: the demo world of the Foundation issue, loaded idempotently.

#include <gtest/gtest.h>

#include "test_env.hpp"

using namespace hotel;
using namespace hotel::test;

namespace {
std::pair<int, std::string> load(const TestDatabase& db) {
    return run_process(hoteld_path(), {"demo-data"},
                       {"DATABASE_URL=" + db.url(), "HOTEL_DEMO_ADMIN_PASSWORD=demo-password-1"});
}
std::string scalar(pg::BlockingConnection& c, pg::Sql sql) {
    return std::string(c.query(sql).text(0, 0));
}
}  // namespace

TEST(DemoData, LoadsTwoHotelsInDifferentZonesWithRoomsPlansAndAYearOfRates) {
    TestDatabase db;
    auto [rc, out] = load(db);
    ASSERT_EQ(rc, 0) << out;
    auto c = db.connect();
    EXPECT_EQ(scalar(c, "SELECT string_agg(timezone, ',' ORDER BY timezone) FROM hotels"),
              "America/New_York,Europe/Lisbon");
    // Three room types per hotel, 10-30 rooms each.
    EXPECT_EQ(scalar(c,
                     "SELECT count(*) FROM (SELECT hotel_id FROM room_types GROUP BY hotel_id "
                     "HAVING count(*) = 3) t"),
              "2");
    EXPECT_EQ(scalar(c,
                     "SELECT count(*) FROM (SELECT room_type_id, count(*) AS n FROM rooms "
                     "GROUP BY room_type_id) t WHERE n BETWEEN 10 AND 30"),
              "6");
    // A flexible plan (48 h, first night) and a non-refundable one per hotel.
    EXPECT_EQ(scalar(c,
                     "SELECT count(*) FROM rate_plans WHERE refundable AND "
                     "free_cancellation_hours = 48 AND penalty = 'first_night'"),
              "2");
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM rate_plans WHERE NOT refundable"), "2");
    // 365 priced days for every (type, plan), starting today in the hotel's zone.
    EXPECT_EQ(scalar(c,
                     "SELECT count(*) FROM (SELECT 1 FROM daily_rates r JOIN hotels h ON "
                     "h.id = r.hotel_id GROUP BY r.hotel_id, room_type_id, rate_plan_id, "
                     "h.timezone HAVING count(*) = 365 AND min(date) = "
                     "(now() AT TIME ZONE h.timezone)::date AND bool_and(price_minor > 0)) t"),
              "12");
    // Weekend nights (Friday, Saturday) cost more than the weekday nights of the same week.
    EXPECT_EQ(scalar(c,
                     "SELECT bool_and(we.price_minor > wd.price_minor) FROM daily_rates we "
                     "JOIN daily_rates wd USING (hotel_id, room_type_id, rate_plan_id) "
                     "WHERE extract(isodow FROM we.date) = 5 AND wd.date = we.date - 2"),
              "t");
    EXPECT_EQ(scalar(c,
                     "SELECT count(*) FROM users WHERE role = 'admin' AND email = "
                     "'admin@demo.hotel' AND password_hash LIKE '$argon2id$%'"),
              "1");
}

TEST(DemoData, SecondLoadChangesNothing) {
    TestDatabase db;
    ASSERT_EQ(load(db).first, 0);
    auto c = db.connect();
    const auto before = scalar(c,
                               "SELECT (SELECT count(*) FROM hotels) || '/' || (SELECT count(*) "
                               "FROM rooms) || '/' || (SELECT count(*) FROM daily_rates) || '/' "
                               "|| (SELECT count(*) FROM users) || '/' || (SELECT sum(price_minor) "
                               "FROM daily_rates)");
    auto [rc, out] = load(db);
    ASSERT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("2 hotels (0 new)"), std::string::npos) << out;
    EXPECT_NE(out.find("admin already present"), std::string::npos) << out;
    const auto after = scalar(c,
                              "SELECT (SELECT count(*) FROM hotels) || '/' || (SELECT count(*) "
                              "FROM rooms) || '/' || (SELECT count(*) FROM daily_rates) || '/' "
                              "|| (SELECT count(*) FROM users) || '/' || (SELECT sum(price_minor) "
                              "FROM daily_rates)");
    EXPECT_EQ(before, after);
}

TEST(DemoData, RefusesToLoadIntoAnUnmigratedDatabase) {
    TestDatabase db(false);
    auto [rc, out] = load(db);
    EXPECT_EQ(rc, 3) << out;
    EXPECT_NE(out.find("run hotel-migrate"), std::string::npos) << out;
}

TEST(CreateAdmin, CreatesOnceAndRefusesADuplicateInAnyCase) {
    TestDatabase db;
    auto [rc, out] =
        run_process(hoteld_path(),
                    {"create-admin", "--email", "Boss@Example.com", "--password", "long-enough-pw"},
                    {"DATABASE_URL=" + db.url()});
    ASSERT_EQ(rc, 0) << out;
    auto c = db.connect();
    EXPECT_EQ(scalar(c, "SELECT email || ':' || role FROM users"), "boss@example.com:admin");
    auto [rc2, out2] = run_process(
        hoteld_path(),
        {"create-admin", "--email", " BOSS@example.COM ", "--password", "another-password"},
        {"DATABASE_URL=" + db.url()});
    EXPECT_EQ(rc2, 1) << out2;
    EXPECT_NE(out2.find("already exists"), std::string::npos) << out2;
    auto [rc3, out3] = run_process(
        hoteld_path(), {"create-admin", "--email", "x@example.com", "--password", "short"},
        {"DATABASE_URL=" + db.url()});
    EXPECT_EQ(rc3, 2) << out3;
}
