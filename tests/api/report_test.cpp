// The managers' reports (issue 13, part 5): occupancy and pickup. Real hoteld, real PostgreSQL.
// Every figure of the occupancy report is checked against a naive recomputation: the stays read
// back through the API night by night, and the periods out of service asked of the database
// room by room and night by night.

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

// "80.01" / "-80.01" (EUR) in cents.
long long cents(const json::value& money) {
    EXPECT_EQ(s(money.at("currency")), "EUR");
    std::string a = s(money.at("amount"));
    const bool negative = !a.empty() && a[0] == '-';
    if (negative)
        a.erase(0, 1);
    const auto dot = a.find('.');
    EXPECT_NE(dot, std::string::npos) << a;
    EXPECT_EQ(a.size() - dot, 3u) << "two decimals: " << a;
    const long long v = std::stoll(a.substr(0, dot)) * 100 + std::stoll(a.substr(dot + 1));
    return negative ? -v : v;
}

// n / d to the nearest integer, ties to the even one (d > 0, n >= 0), computed the long way.
long long nearest_even(long long n, long long d) {
    const long long below = n / d;
    const long long over = n - below * d;  // n = below * d + over
    if (over * 2 < d)
        return below;
    if (over * 2 > d)
        return below + 1;
    return below % 2 == 0 ? below : below + 1;
}

std::string two_decimals(long long hundredths) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", hundredths / 100, hundredths % 100);
    return buf;
}

class Reports : public SmallHotel {
  protected:
    void SetUp() override {
        SmallHotel::SetUp();
        manager_ = user("manager@example.com", "manager", ids_["hotel"]);
        desk_ = user("desk@example.com", "staff", ids_["hotel"]);
        other_manager_ = user("lisbon-manager@example.com", "manager", lisbon_);
        other_desk_ = user("lisbon-desk@example.com", "staff", lisbon_);
    }
    void act(const std::string& id, const std::string& action) {
        auto r = call(port(), "POST", "/v1/bookings/" + id + "/" + action, admin_);
        ASSERT_EQ(r.status, 200) << action << ": " << r.body;
    }
    void price(int from, int to, const std::string& amount) {
        auto r = call(port(), "PUT", base_ + "/rates", admin_,
                      json::serialize(json::object{{"room_type_id", ids_["type"]},
                                                   {"rate_plan_id", ids_["plan"]},
                                                   {"from", lisbon_date(from)},
                                                   {"to", lisbon_date(to)},
                                                   {"price", amount}}));
        ASSERT_LT(r.status, 300) << r.body;
    }
    json::value report(const std::string& what, const std::string& query,
                       const std::string& token) {
        auto r = call(port(), "GET", base_ + "/reports/" + what + query, token);
        EXPECT_EQ(r.status, 200) << r.body;
        return json_of(r);
    }
    std::string range(int from, int to) {
        return "?from=" + lisbon_date(from) + "&to=" + lisbon_date(to);
    }
    // The database's clock now, to the second (RFC 3339, UTC).
    std::string db_now() {
        return id(
            "SELECT to_char(date_trunc('second', clock_timestamp()) AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    }

    std::string manager_, desk_, other_manager_, other_desk_;
};

TEST_F(Reports, OccupancyEqualsANaiveCountOfEveryRoomAndNight) {
    // 99.99 on nights 2 and 3, 80.00 on the others (80.01 on night 6 for the last stay).
    price(2, 4, "99.99");
    auto rooms = json_of(call(port(), "GET", base_ + "/rooms", admin_));
    const auto& room_list = rooms.at("items").as_array();
    ASSERT_EQ(room_list.size(), 3u);
    std::vector<std::string> room_ids;
    for (const auto& room : room_list)
        room_ids.push_back(s(room.at("id")));
    // The third room out of service on nights 4 and 5, the first on night 9.
    for (const auto& [room, from, to] : {std::tuple{room_ids[2], 4, 6}, {room_ids[0], 9, 10}}) {
        auto oos =
            call(port(), "POST", base_ + "/rooms/" + room + "/out-of-service", admin_,
                 json::serialize(json::object{
                     {"from", lisbon_date(from)}, {"to", lisbon_date(to)}, {"reason", "paint"}}));
        ASSERT_EQ(oos.status, 201) << oos.body;
    }
    const auto done = stay(0, 1);  // checked in and out today
    const auto a = stay(1, 4);     // three nights
    const auto b = stay(2, 3);     // one night
    const auto c = stay(3, 7);     // four nights, cancelled below
    const auto e = stay(5, 8);     // three nights
    price(6, 7, "80.01");          // night 6: e at 80.00, f at 80.01
    const auto f = stay(6, 8);     // two nights
    ASSERT_FALSE(done.empty() || a.empty() || b.empty() || c.empty() || e.empty() || f.empty());
    act(done, "check-in");
    act(done, "check-out");
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + c, guest_).status, 200);

    const int nights = 11;  // [today, today + 11)
    const auto j = report("occupancy", range(0, nights), manager_);
    ASSERT_TRUE(j.is_object());

    // The naive count. Sold: every stay read back, night by night from its nightly prices.
    std::map<std::string, long long> sold, revenue;
    std::set<std::string> statuses;
    for (const auto& id : {done, a, b, c, e, f}) {
        auto r = call(port(), "GET", "/v1/bookings/" + id, admin_);
        ASSERT_EQ(r.status, 200) << r.body;
        const auto booking = json_of(r);
        const auto status = s(booking.at("status"));
        statuses.insert(status);
        if (status != "confirmed" && status != "checked_in" && status != "checked_out")
            continue;
        const auto& nightly = booking.at("nightly").as_array();
        for (const auto& n : nightly) {
            ++sold[s(n.at("date"))];
            revenue[s(n.at("date"))] += cents(n.at("amount"));
        }
    }
    EXPECT_EQ(statuses, (std::set<std::string>{"checked_out", "confirmed", "cancelled"}));
    // Available: every live room, less each one out of service that night.
    auto c_db = db_->connect();
    std::map<std::string, long long> available;
    for (int d = 0; d < nights; ++d) {
        const auto date = lisbon_date(d);
        for (const auto& room : room_ids) {
            auto rows = c_db.query(
                "SELECT count(*) FROM bookings WHERE room_id = $1::uuid AND kind = "
                "'out_of_service' AND status = 'confirmed' AND check_in <= $2::date AND "
                "check_out > $2::date",
                {room, date});
            if (std::string(rows.text(0, 0)) == "0")
                ++available[date];
        }
    }

    EXPECT_EQ(s(j.at("currency")), "EUR");
    EXPECT_EQ(s(j.at("from")), lisbon_date(0));
    EXPECT_EQ(s(j.at("to")), lisbon_date(nights));
    const auto& days = j.at("days").as_array();
    ASSERT_EQ(days.size(), static_cast<std::size_t>(nights));
    long long all_available = 0, all_sold = 0, all_revenue = 0;
    auto check = [](const json::value& got, long long avail, long long sold_n, long long rev,
                    const std::string& where) {
        EXPECT_EQ(got.at("rooms_available").as_int64(), avail) << where;
        EXPECT_EQ(got.at("rooms_sold").as_int64(), sold_n) << where;
        EXPECT_EQ(cents(got.at("room_revenue")), rev) << where;
        if (avail > 0) {
            EXPECT_EQ(s(got.at("occupancy_percent")),
                      two_decimals(nearest_even(sold_n * 10000, avail)))
                << where;
            EXPECT_EQ(cents(got.at("revpar")), nearest_even(rev, avail)) << where;
        } else {
            EXPECT_TRUE(got.at("occupancy_percent").is_null()) << where;
            EXPECT_TRUE(got.at("revpar").is_null()) << where;
        }
        if (sold_n > 0)
            EXPECT_EQ(cents(got.at("adr")), nearest_even(rev, sold_n)) << where;
        else
            EXPECT_TRUE(got.at("adr").is_null()) << where;
    };
    for (int d = 0; d < nights; ++d) {
        const auto date = lisbon_date(d);
        const auto& got = days.at(static_cast<std::size_t>(d));
        EXPECT_EQ(s(got.at("date")), date);
        check(got, available[date], sold[date], revenue[date], date);
        all_available += available[date];
        all_sold += sold[date];
        all_revenue += revenue[date];
    }
    check(j.at("totals"), all_available, all_sold, all_revenue, "totals");

    // The figures this data was built for, so that the naive count cannot be wrong with them.
    EXPECT_EQ(days.at(0).at("rooms_sold").as_int64(), 1) << "the checked-out stay counts";
    EXPECT_EQ(days.at(4).at("rooms_available").as_int64(), 2) << "one room out of service";
    EXPECT_EQ(days.at(3).at("rooms_sold").as_int64(), 1) << "a; c is cancelled";
    EXPECT_EQ(s(days.at(3).at("adr").at("amount")), "99.99");
    EXPECT_EQ(s(days.at(2).at("occupancy_percent")), "66.67");
    EXPECT_EQ(s(days.at(4).at("occupancy_percent")), "0.00") << "c was cancelled";
    EXPECT_TRUE(days.at(4).at("adr").is_null()) << "nothing sold";
    EXPECT_EQ(s(days.at(5).at("occupancy_percent")), "50.00") << "e of 2 available";
    EXPECT_EQ(s(days.at(6).at("adr").at("amount")), "80.00") << "160.01 / 2: half to even";
    EXPECT_EQ(s(days.at(6).at("revpar").at("amount")), "53.34") << "160.01 / 3";
    EXPECT_EQ(days.at(9).at("rooms_available").as_int64(), 2);
    EXPECT_EQ(all_sold, 1 + 3 + 1 + 3 + 2);
    EXPECT_EQ(all_available, 3 * nights - 3);
    EXPECT_EQ(s(j.at("totals").at("room_revenue").at("amount")), "859.98");
    EXPECT_EQ(s(j.at("totals").at("adr").at("amount")), "86.00") << "85998 / 10 = 8599.8";

    // An admin reads the same report.
    EXPECT_EQ(report("occupancy", range(0, nights), admin_), j);
}

TEST_F(Reports, EveryNightOutOfServiceLeavesOccupancyAndRevparEmpty) {
    auto rooms = json_of(call(port(), "GET", base_ + "/rooms", admin_));
    for (const auto& room : rooms.at("items").as_array()) {
        auto oos =
            call(port(), "POST", base_ + "/rooms/" + s(room.at("id")) + "/out-of-service", admin_,
                 json::serialize(json::object{
                     {"from", lisbon_date(3)}, {"to", lisbon_date(4)}, {"reason", "closed"}}));
        ASSERT_EQ(oos.status, 201) << oos.body;
    }
    const auto j = report("occupancy", range(3, 4), manager_);
    const auto& night = j.at("days").as_array().at(0);
    EXPECT_EQ(night.at("rooms_available").as_int64(), 0);
    EXPECT_TRUE(night.at("occupancy_percent").is_null());
    EXPECT_TRUE(night.at("adr").is_null());
    EXPECT_TRUE(night.at("revpar").is_null());
    EXPECT_EQ(s(night.at("room_revenue").at("amount")), "0.00");
    EXPECT_TRUE(j.at("totals").at("occupancy_percent").is_null());
}

TEST_F(Reports, PickupReconstructsTheBooksAsOfAPastInstant) {
    const auto a = stay(1, 3);  // on the books then and now
    const auto c = stay(2, 4);  // on the books then, cancelled since
    ASSERT_FALSE(a.empty() || c.empty());
    // An instant strictly after both were made and strictly before what follows (whole seconds).
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto as_of = db_now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto b = stay(2, 3);  // made since
    ASSERT_FALSE(b.empty());
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + c, guest_).status, 200);

    const auto j = report("pickup", range(0, 5) + "&as_of=" + as_of, manager_);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(s(j.at("as_of")), as_of);
    const auto& days = j.at("days").as_array();
    ASSERT_EQ(days.size(), 5u);
    // night: {then, now}
    const std::vector<std::pair<long long, long long>> expected = {
        {0, 0}, {1, 1}, {2, 2}, {1, 0}, {0, 0}};
    long long then_total = 0, now_total = 0;
    for (std::size_t d = 0; d < days.size(); ++d) {
        const auto& day = days[d];
        EXPECT_EQ(s(day.at("date")), lisbon_date(static_cast<int>(d)));
        const auto [then, now] = expected[d];
        EXPECT_EQ(day.at("as_of").at("room_nights").as_int64(), then) << d;
        EXPECT_EQ(day.at("now").at("room_nights").as_int64(), now) << d;
        EXPECT_EQ(day.at("pickup").at("room_nights").as_int64(), now - then) << d;
        EXPECT_EQ(cents(day.at("as_of").at("room_revenue")), then * 8000) << d;
        EXPECT_EQ(cents(day.at("now").at("room_revenue")), now * 8000) << d;
        EXPECT_EQ(cents(day.at("pickup").at("room_revenue")), (now - then) * 8000) << d;
        then_total += then;
        now_total += now;
    }
    // Night 2: a and c then, a and b now. Night 3: c then, nobody now (a negative pickup).
    EXPECT_EQ(s(days.at(3).at("pickup").at("room_revenue").at("amount")), "-80.00");
    const auto& totals = j.at("totals");
    EXPECT_EQ(totals.at("as_of").at("room_nights").as_int64(), then_total);
    EXPECT_EQ(totals.at("now").at("room_nights").as_int64(), now_total);
    EXPECT_EQ(cents(totals.at("pickup").at("room_revenue")), (now_total - then_total) * 8000);

    // Now agrees with the occupancy report's nights sold.
    const auto occupancy = report("occupancy", range(0, 5), manager_);
    for (std::size_t d = 0; d < days.size(); ++d)
        EXPECT_EQ(days[d].at("now").at("room_nights").as_int64(),
                  occupancy.at("days").as_array().at(d).at("rooms_sold").as_int64())
            << d;

    // As of yesterday's end, before the hotel had a booking: nothing on the books. As of today
    // (a date): now.
    const auto before = report("pickup", range(0, 5) + "&as_of=" + lisbon_date(-1), manager_);
    EXPECT_EQ(before.at("totals").at("as_of").at("room_nights").as_int64(), 0);
    EXPECT_EQ(before.at("totals").at("now").at("room_nights").as_int64(), now_total);
    const auto today = report("pickup", range(0, 5) + "&as_of=" + lisbon_date(0), admin_);
    EXPECT_EQ(today.at("totals").at("as_of"), today.at("totals").at("now"));
    EXPECT_EQ(today.at("totals").at("pickup").at("room_nights").as_int64(), 0);
}

TEST_F(Reports, PickupCountsAModifiedStayWithTheNightsItHadThen) {
    const auto a = stay(1, 3);
    ASSERT_FALSE(a.empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto as_of = db_now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto changed = call(
        port(), "PUT", "/v1/bookings/" + a, guest_,
        json::serialize(json::object{{"check_in", lisbon_date(1)}, {"check_out", lisbon_date(4)}}));
    ASSERT_EQ(changed.status, 200) << changed.body;
    auto j = report("pickup", range(0, 5) + "&as_of=" + as_of, manager_);
    // As of then: its two nights (1 and 2); now: three (1 to 3). Night 3 is the pickup.
    EXPECT_EQ(j.at("totals").at("as_of").at("room_nights").as_int64(), 2);
    EXPECT_EQ(j.at("totals").at("now").at("room_nights").as_int64(), 3);
    const auto& days = j.at("days").as_array();
    EXPECT_EQ(days.at(3).at("as_of").at("room_nights").as_int64(), 0);
    EXPECT_EQ(days.at(3).at("pickup").at("room_nights").as_int64(), 1);
    // Shortened again later: as of the first instant it still had its first two nights.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const auto second = db_now();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    changed = call(
        port(), "PUT", "/v1/bookings/" + a, guest_,
        json::serialize(json::object{{"check_in", lisbon_date(2)}, {"check_out", lisbon_date(3)}}));
    ASSERT_EQ(changed.status, 200) << changed.body;
    j = report("pickup", range(0, 5) + "&as_of=" + as_of, manager_);
    EXPECT_EQ(j.at("totals").at("as_of").at("room_nights").as_int64(), 2);
    EXPECT_EQ(j.at("totals").at("now").at("room_nights").as_int64(), 1);
    j = report("pickup", range(0, 5) + "&as_of=" + second, manager_);
    EXPECT_EQ(j.at("totals").at("as_of").at("room_nights").as_int64(), 3);
}

TEST_F(Reports, BadInputIsRefusedNamingTheParameter) {
    auto refused = [&](const std::string& what, const std::string& query,
                       const std::string& field) {
        auto r = call(port(), "GET", base_ + "/reports/" + what + query, manager_);
        EXPECT_EQ(r.status, 400) << what << query << ": " << r.body;
        EXPECT_EQ(code_of(r), "validation_failed") << what << query;
        bool named = false;
        const auto j = json_of(r);
        if (j.is_object() && j.as_object().contains("errors"))
            for (const auto& e : j.at("errors").as_array())
                named = named || s(e.at("field")) == field;
        EXPECT_TRUE(named) << what << query << " should name " << field << ": " << r.body;
    };
    const auto as_of = "&as_of=" + lisbon_date(-1);
    for (const std::string what : {"occupancy", "pickup"}) {
        const std::string tail = what == "pickup" ? as_of : "";
        refused(what, "?to=" + lisbon_date(3) + tail, "from");
        refused(what, "?from=" + lisbon_date(3) + tail, "to");
        refused(what, "?from=2027-02-30&to=" + lisbon_date(3) + tail, "from");
        refused(what, "?from=" + lisbon_date(0) + "&to=31-12-2030" + tail, "to");
        refused(what, range(3, 3) + tail, "to");
        refused(what, range(4, 2) + tail, "to");
        refused(what, range(0, 367) + tail, "to");
        auto r = call(port(), "GET", base_ + "/reports/" + what + range(0, 366) + tail, manager_);
        EXPECT_EQ(r.status, 200) << what << ": 366 nights are allowed: " << r.body;
        EXPECT_EQ(json_of(r).at("days").as_array().size(), 366u);
    }
    refused("pickup", range(0, 3), "as_of");
    refused("pickup", range(0, 3) + "&as_of=yesterday", "as_of");
    refused("pickup", range(0, 3) + "&as_of=2026-01-01T10:00:00", "as_of");
    refused("pickup", range(0, 3) + "&as_of=2999-01-01T00:00:00Z", "as_of");
    refused("pickup", range(0, 3) + "&as_of=" + lisbon_date(1), "as_of");
}

TEST_F(Reports, OnlyTheHotelsManagersAndAdminsReadThem) {
    for (const std::string& what : {"/reports/occupancy" + range(0, 7),
                                    "/reports/pickup" + range(0, 7) + "&as_of=" + lisbon_date(0)}) {
        EXPECT_EQ(call(port(), "GET", base_ + what, manager_).status, 200) << what;
        EXPECT_EQ(call(port(), "GET", base_ + what, admin_).status, 200) << what;
        auto r = call(port(), "GET", base_ + what, guest_);
        EXPECT_EQ(r.status, 403) << what;
        EXPECT_EQ(code_of(r), "forbidden");
        r = call(port(), "GET", base_ + what, desk_);
        EXPECT_EQ(r.status, 403) << what << ": the hotel's staff";
        EXPECT_EQ(code_of(r), "forbidden");
        r = call(port(), "GET", base_ + what, other_manager_);
        EXPECT_EQ(r.status, 404) << what << ": a manager of another hotel";
        EXPECT_EQ(code_of(r), "not_found");
        EXPECT_EQ(call(port(), "GET", base_ + what, other_desk_).status, 404) << what;
        EXPECT_EQ(call(port(), "GET", base_ + what).status, 401) << what;
        r = call(port(), "GET", "/v1/hotels/not-a-hotel" + what, admin_);
        EXPECT_EQ(r.status, 404) << what;
        EXPECT_EQ(code_of(r), "not_found");
        EXPECT_EQ(
            call(port(), "GET", "/v1/hotels/00000000-0000-4000-8000-000000000000" + what, admin_)
                .status,
            404)
            << what << ": no such hotel";
        // The manager of Lisbon reads Lisbon's.
        EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + lisbon_ + what, other_manager_).status, 200)
            << what;
    }
}

}  // namespace
}  // namespace hotel::test
