// The front desk (issue 13, part 3): arrivals, departures and in house on a date of the hotel,
// and the room chart. Real hoteld, real PostgreSQL.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

class FrontDesk : public SmallHotel {
  protected:
    // The ids a list answers, in its order, and its date.
    std::pair<std::string, std::vector<std::string>> list(const std::string& what,
                                                          const std::string& query = {}) {
        auto r = call(port(), "GET", base_ + "/" + what + query, admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        const auto j = json_of(r);
        std::vector<std::string> ids;
        for (const auto& b : j.at("items").as_array())
            ids.push_back(s(b.at("id")));
        return {s(j.at("date")), ids};
    }
    void act(const std::string& id, const std::string& action) {
        auto r = call(port(), "POST", "/v1/bookings/" + id + "/" + action, admin_);
        ASSERT_EQ(r.status, 200) << action << ": " << r.body;
    }
};

using Ids = std::vector<std::string>;

TEST_F(FrontDesk, ArrivalsDeparturesAndInHouseFollowTheDay) {
    const auto a = stay(0, 2);  // arrives today, two nights
    const auto b = stay(0, 1);  // arrives today, leaves tomorrow
    const auto c = stay(1, 3);  // arrives tomorrow
    const auto today = "?date=" + lisbon_date(0), tomorrow = "?date=" + lisbon_date(1);

    auto [date, arrivals] = list("arrivals");
    EXPECT_EQ(date, lisbon_date(0)) << "no date: the hotel's today";
    EXPECT_EQ(arrivals, (Ids{a, b}));
    EXPECT_EQ(list("arrivals", tomorrow).second, Ids{c});
    EXPECT_TRUE(list("in-house", today).second.empty()) << "nobody has checked in yet";
    EXPECT_TRUE(list("departures", tomorrow).second.empty()) << "only stays that arrived leave";

    act(a, "check-in");
    act(b, "check-in");
    EXPECT_EQ(list("arrivals", today).second, (Ids{a, b})) << "checked in: still today's arrivals";
    EXPECT_EQ(list("in-house", today).second, (Ids{a, b}));
    EXPECT_EQ(list("in-house", tomorrow).second, Ids{a}) << "b has no night tomorrow";
    EXPECT_EQ(list("departures", tomorrow).second, Ids{b});
    act(b, "check-out");
    EXPECT_EQ(list("departures", tomorrow).second, Ids{b}) << "checked out: still listed";
    EXPECT_EQ(list("in-house", today).second, Ids{a});

    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + c, guest_).status, 200);
    EXPECT_TRUE(list("arrivals", tomorrow).second.empty()) << "cancelled stays do not arrive";

    // Each entry is the booking as staff see it: the room, the guest's name, the requests.
    auto r = call(port(), "GET", base_ + "/in-house", admin_);
    const auto j = json_of(r);
    const auto& entry = j.at("items").as_array().at(0);
    EXPECT_TRUE(entry.at("room").is_object());
    EXPECT_EQ(s(entry.at("guest_name")), "Guest 0");
    EXPECT_EQ(s(entry.at("special_requests")), "late arrival");
    EXPECT_EQ(entry.at("nights").as_int64(), 2);
    EXPECT_EQ(j.at("total").as_int64(), 1);
    // Paged like every list.
    r = call(port(), "GET", base_ + "/arrivals?date=" + lisbon_date(0) + "&per_page=1&page=2",
             admin_);
    EXPECT_EQ(json_of(r).at("items").as_array().size(), 1u);
    EXPECT_EQ(json_of(r).at("total").as_int64(), 2);
}

TEST_F(FrontDesk, OnlyTheHotelsStaffSeeItsDay) {
    stay(0, 1);
    // A manager of another hotel learns nothing about this one; a guest is not staff.
    const auto desk = user("desk@example.com", "staff", lisbon_);
    for (const char* what : {"/arrivals", "/departures", "/in-house"}) {
        EXPECT_EQ(call(port(), "GET", base_ + what, desk).status, 404) << what;
        EXPECT_EQ(call(port(), "GET", base_ + what, guest_).status, 403) << what;
        EXPECT_EQ(call(port(), "GET", base_ + what).status, 401) << what;
        EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + lisbon_ + what, desk).status, 200) << what;
        EXPECT_EQ(call(port(), "GET", std::string("/v1/hotels/nope") + what, admin_).status, 404);
        EXPECT_EQ(call(port(), "GET", base_ + what + "?date=31-12-2026", admin_).status, 400);
        EXPECT_EQ(call(port(), "GET", base_ + what + "?per_page=500", admin_).status, 400);
    }
    const auto chart = base_ + "/room-chart?from=" + lisbon_date(0) + "&to=" + lisbon_date(7);
    EXPECT_EQ(call(port(), "GET", chart, desk).status, 404);
    EXPECT_EQ(call(port(), "GET", chart, guest_).status, 403);
}

TEST_F(FrontDesk, TheRoomChartShowsEveryRoomWithItsStaysAndBlocks) {
    const auto first = stay(2, 4);
    const auto second = stay(2, 5);
    const auto outside = stay(20, 21);
    auto rooms = json_of(call(port(), "GET", base_ + "/rooms", admin_));
    const auto& room_list = rooms.at("items").as_array();
    const auto third_room = s(room_list.at(2).at("id"));
    auto oos = call(port(), "POST", base_ + "/rooms/" + third_room + "/out-of-service", admin_,
                    json::serialize(json::object{
                        {"from", lisbon_date(3)}, {"to", lisbon_date(6)}, {"reason", "boiler"}}));
    ASSERT_EQ(oos.status, 201) << oos.body;

    auto r = call(port(), "GET",
                  base_ + "/room-chart?from=" + lisbon_date(0) + "&to=" + lisbon_date(14), admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = json_of(r);
    EXPECT_EQ(s(j.at("from")), lisbon_date(0));
    const auto& chart = j.at("rooms").as_array();
    ASSERT_EQ(chart.size(), 3u) << "every room, stays or not";
    std::set<std::string> shown;
    for (std::size_t i = 0; i < chart.size(); ++i) {
        EXPECT_EQ(s(chart[i].at("id")), s(room_list.at(i).at("id"))) << "the room list's order";
        for (const auto& st : chart[i].at("stays").as_array()) {
            shown.insert(s(st.at("id")));
            EXPECT_TRUE(st.at("room").is_object());
        }
    }
    EXPECT_EQ(shown, (std::set<std::string>{first, second})) << "only stays in the range";
    EXPECT_FALSE(shown.contains(outside));
    const auto& blocks = chart[2].at("out_of_service").as_array();
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(s(blocks[0].at("reason")), "boiler");
    EXPECT_EQ(s(blocks[0].at("to")), lisbon_date(6));

    // A cancelled stay leaves the chart.
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + first, guest_).status, 200);
    auto after = json_of(
        call(port(), "GET", base_ + "/room-chart?from=" + lisbon_date(0) + "&to=" + lisbon_date(14),
             admin_));
    std::size_t stays = 0;
    for (const auto& row : after.at("rooms").as_array())
        stays += row.at("stays").as_array().size();
    EXPECT_EQ(stays, 1u);

    EXPECT_EQ(call(port(), "GET",
                   base_ + "/room-chart?from=" + lisbon_date(0) + "&to=" + lisbon_date(63), admin_)
                  .status,
              422)
        << "at most 62 days";
    EXPECT_EQ(call(port(), "GET",
                   base_ + "/room-chart?from=" + lisbon_date(3) + "&to=" + lisbon_date(3), admin_)
                  .status,
              422);
    EXPECT_EQ(call(port(), "GET", base_ + "/room-chart?to=" + lisbon_date(3), admin_).status, 400);
}

// The tape chart reads stays as bars (`view=bars`): the same stays in the same rooms, each with
// only what a bar shows; anything but full or bars is refused by name.
TEST_F(FrontDesk, TheRoomChartGivesStaysAsBarsWhenAsked) {
    const auto first = stay(2, 4);
    const auto range = "/room-chart?from=" + lisbon_date(0) + "&to=" + lisbon_date(14);
    const auto full = json_of(call(port(), "GET", base_ + range, admin_));
    auto r = call(port(), "GET", base_ + range + "&view=bars", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto bars = json_of(r);
    const auto& full_rooms = full.at("rooms").as_array();
    const auto& bar_rooms = bars.at("rooms").as_array();
    ASSERT_EQ(bar_rooms.size(), full_rooms.size());
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < bar_rooms.size(); ++i) {
        EXPECT_EQ(s(bar_rooms[i].at("id")), s(full_rooms[i].at("id")));
        const auto& whole = full_rooms[i].at("stays").as_array();
        const auto& compact = bar_rooms[i].at("stays").as_array();
        ASSERT_EQ(compact.size(), whole.size());
        for (std::size_t k = 0; k < compact.size(); ++k) {
            const auto& bar = compact[k].as_object();
            const auto& booking = whole[k].as_object();
            for (const auto* key : {"id", "status", "version", "room_type_id", "rate_plan_id",
                                    "guest_name", "guests", "check_in", "check_out"})
                EXPECT_EQ(bar.at(key), booking.at(key)) << key;
            EXPECT_EQ(bar.size(), 9u) << "only what a bar shows";
            EXPECT_FALSE(bar.contains("nightly"));
            seen.push_back(s(bar.at("id")));
        }
    }
    EXPECT_EQ(seen, std::vector<std::string>{first});
    EXPECT_EQ(json_of(call(port(), "GET", base_ + range + "&view=full", admin_)), full);

    auto bad = call(port(), "GET", base_ + range + "&view=compact", admin_);
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("\"view\""), std::string::npos) << bad.body;
}

// A room move (the tape chart's drag): staff move a booking not yet checked in to another room,
// of the same type or another; the room's type becomes the booking's, the price stays; a taken
// room is refused by the exclusion constraint and leaves the booking where it was.
TEST_F(FrontDesk, ABookingMovesToAnotherRoomOrStaysWhereItWas) {
    auto two = json_of(call(
        port(), "POST", base_ + "/room-types", admin_,
        json::serialize(json::object{{"code", "TWO"}, {"name", "Two"}, {"max_occupancy", 2}})));
    const auto type2 = s(two.at("id"));
    auto made = call(port(), "POST", base_ + "/rooms", admin_,
                     json::serialize(json::object{{"number", "900"}, {"room_type_id", type2}}));
    ASSERT_EQ(made.status, 201) << made.body;
    const auto room900 = s(json_of(made).at("id"));
    const auto booking = stay(4, 6);
    const auto before = json_of(call(port(), "GET", "/v1/bookings/" + booking, admin_));
    auto move = [&](const std::string& id, const std::string& room, const std::string& token,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
        headers.emplace_back("Authorization", "Bearer " + token);
        headers.emplace_back("Content-Type", "application/json");
        return http_request(port(), "POST", "/v1/bookings/" + id + "/move", headers,
                            json::serialize(json::object{{"room_id", room}}));
    };

    auto r = move(booking, room900, admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto moved = json_of(r);
    EXPECT_EQ(s(moved.at("room").at("number")), "900");
    EXPECT_EQ(s(moved.at("room_type_id")), type2) << "the room's type";
    EXPECT_EQ(s(moved.at("total").at("amount")), s(before.at("total").at("amount")))
        << "the price stays";
    EXPECT_EQ(moved.at("version").as_int64(), before.at("version").as_int64() + 1);
    EXPECT_EQ(count("SELECT count(*) FROM booking_events WHERE type = 'booking.moved'"), 1);
    EXPECT_EQ(r.header("etag").value_or(""),
              "\"" + std::to_string(before.at("version").as_int64() + 1) + "\"");

    // Room 900 is now taken on those nights: another stay cannot move onto it.
    const auto other = stay(5, 7);
    r = move(other, room900, admin_);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "conflict");
    EXPECT_NE(s(json_of(call(port(), "GET", "/v1/bookings/" + other, admin_)).at("room").at("id")),
              room900)
        << "the refused move left it where it was";
    // Bad moves.
    EXPECT_EQ(move(other, std_, admin_).status, 422) << "not a room";
    EXPECT_EQ(move(other, room900, guest_).status, 403);
    EXPECT_EQ(move(other, room900, admin_, {{"If-Match", "\"99\""}}).status, 412);
    EXPECT_EQ(
        http_request(port(), "POST", "/v1/bookings/" + other + "/move",
                     {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}},
                     R"({"room_id":"nope"})")
            .status,
        400);
    ASSERT_EQ(call(port(), "DELETE", base_ + "/rooms/" + room900, admin_).status, 409)
        << "the moved stay holds room 900";
    // A room whose type sleeps fewer guests than the booking has.
    auto solo = json_of(call(
        port(), "POST", base_ + "/room-types", admin_,
        json::serialize(json::object{{"code", "SOLO"}, {"name", "Solo"}, {"max_occupancy", 1}})));
    auto single =
        call(port(), "POST", base_ + "/rooms", admin_,
             json::serialize(json::object{{"number", "950"}, {"room_type_id", s(solo.at("id"))}}));
    ASSERT_EQ(single.status, 201) << single.body;
    auto pair = book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                          {"room_type_id", ids_["type"]},
                                          {"rate_plan_id", ids_["plan"]},
                                          {"check_in", lisbon_date(30)},
                                          {"check_out", lisbon_date(31)},
                                          {"guests", 2}});
    ASSERT_EQ(pair.status, 201) << pair.body;
    r = move(s(json_of(pair).at("id")), s(json_of(single).at("id")), admin_);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(s(json_of(r).at("reason")), "occupancy_exceeded");
    // Checked out: not moved (a stay in the house is: tests/api/in_house_test.cpp).
    const auto arrived = stay(0, 1);
    act(arrived, "check-in");
    act(arrived, "check-out");
    EXPECT_EQ(code_of(move(arrived, room900, admin_)), "invalid_state_transition");
    EXPECT_EQ(overlapping_active(), 0);
}

// Two moves onto one free room for overlapping nights at once: one wins, the other is refused.
TEST_F(FrontDesk, TwoMovesOntoOneRoomAtOnceGiveItToOne) {
    const auto a = stay(8, 10);
    const auto b = stay(9, 11);
    const auto rooms = json_of(call(port(), "GET", base_ + "/rooms", admin_));
    std::set<std::string> used;
    for (const auto& id : {a, b})
        used.insert(
            s(json_of(call(port(), "GET", "/v1/bookings/" + id, admin_)).at("room").at("id")));
    std::string free_room;
    for (const auto& room : rooms.at("items").as_array())
        if (!used.contains(s(room.at("id"))))
            free_room = s(room.at("id"));
    ASSERT_FALSE(free_room.empty());
    std::vector<int> statuses(2);
    std::vector<std::thread> movers;
    std::atomic<int> ready{0};
    for (int i = 0; i < 2; ++i)
        movers.emplace_back([&, i] {
            ++ready;
            while (ready.load() < 2)
                std::this_thread::yield();
            statuses[static_cast<std::size_t>(i)] =
                call(port(), "POST", "/v1/bookings/" + (i == 0 ? a : b) + "/move", admin_,
                     json::serialize(json::object{{"room_id", free_room}}))
                    .status;
        });
    for (auto& t : movers)
        t.join();
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
    EXPECT_EQ(overlapping_active(), 0);
}

// A move and a booking racing for the same free room: one of them gets it, and no two stays ever
// share a night of a room. The move is refused when the booking took the room first. The
// booking may be refused too while the move holds the room (its allocation skips locked rooms,
// and the room the move leaves is not free until the move commits): a sold out that a retry a
// moment later would not see, never a double booking. They are never both refused.
TEST_F(FrontDesk, AMoveRacingABookingForTheSameRoomNeverDoubleBooksIt) {
    std::map<int, int> moves;
    for (int round = 0; round < 6; ++round) {
        const int from = 10 + 3 * round;
        const auto a = stay(from, from + 2);  // 101
        stay(from, from + 2);                 // 102: only 103 is free on these nights
        std::string free_room;
        {
            auto c = db_->connect();
            auto rows = c.query(
                "SELECT r.id FROM rooms r WHERE r.hotel_id = $1::uuid AND NOT EXISTS (SELECT 1 "
                "FROM bookings b WHERE b.room_id = r.id AND b.status = 'confirmed' AND "
                "b.check_in < $3::date AND b.check_out > $2::date)",
                {ids_["hotel"], lisbon_date(from), lisbon_date(from + 2)});
            ASSERT_EQ(rows.size(), 1);
            free_room = std::string(rows.text(0, 0));
        }
        int moved = 0, booked = 0;
        std::atomic<int> ready{0};
        std::thread mover([&] {
            ++ready;
            while (ready.load() < 2)
                std::this_thread::yield();
            moved = call(port(), "POST", "/v1/bookings/" + a + "/move", admin_,
                         json::serialize(json::object{{"room_id", free_room}}))
                        .status;
        });
        std::thread booker([&] {
            ++ready;
            while (ready.load() < 2)
                std::this_thread::yield();
            booked = book(admin_, json::object{{"hotel_id", ids_["hotel"]},
                                               {"room_type_id", ids_["type"]},
                                               {"rate_plan_id", ids_["plan"]},
                                               {"check_in", lisbon_date(from)},
                                               {"check_out", lisbon_date(from + 2)},
                                               {"guests", 1}})
                         .status;
        });
        mover.join();
        booker.join();
        EXPECT_TRUE(booked == 201 || booked == 409) << "round " << round << ": " << booked;
        EXPECT_TRUE(moved == 200 || moved == 409) << "round " << round << ": " << moved;
        EXPECT_TRUE(booked == 201 || moved == 200) << "round " << round << ": both refused";
        ++moves[moved];
        EXPECT_EQ(overlapping_active(), 0) << "round " << round;
    }
    EXPECT_EQ(moves[200] + moves[409], 6);
}

// Housekeeping: a check-out leaves the room dirty; a guest is checked in to a dirty or
// out-of-order room only on purpose ({"force": true}); the board shows every room.
TEST_F(FrontDesk, CheckOutLeavesTheRoomDirtyAndADirtyRoomNeedsForce) {
    auto board = [&] {
        auto r = call(port(), "GET", base_ + "/housekeeping", admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::string, json::object> by_number;
        const auto j = json_of(r);
        for (const auto& room : j.at("items").as_array())
            by_number[s(room.at("number"))] = room.as_object();
        return by_number;
    };
    auto rooms = board();
    ASSERT_EQ(rooms.size(), 3u);
    for (const auto& [number, room] : rooms) {
        EXPECT_EQ(s(room.at("status")), "clean") << number;
        EXPECT_TRUE(room.at("updated_at").is_null());
        EXPECT_FALSE(room.at("occupied").as_bool());
    }
    const auto a = stay(0, 1);  // the first free room by number: 101
    const auto room_of = [&](const std::string& id) {
        return s(json_of(call(port(), "GET", "/v1/bookings/" + id, admin_)).at("room").at("id"));
    };
    const auto room_a = room_of(a);
    auto set = [&](const std::string& room, const std::string& status) {
        return call(port(), "PATCH", base_ + "/rooms/" + room + "/housekeeping", admin_,
                    json::serialize(json::object{{"status", status}}));
    };
    auto r = set(room_a, "dirty");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s(json_of(r).at("status")), "dirty");
    EXPECT_FALSE(json_of(r).at("updated_at").is_null());

    r = call(port(), "POST", "/v1/bookings/" + a + "/check-in", admin_);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "room_not_ready");
    EXPECT_EQ(s(json_of(call(port(), "GET", "/v1/bookings/" + a, admin_)).at("status")),
              "confirmed");
    ASSERT_EQ(set(room_a, "out_of_order").status, 200);
    EXPECT_EQ(code_of(call(port(), "POST", "/v1/bookings/" + a + "/check-in", admin_)),
              "room_not_ready");
    ASSERT_EQ(set(room_a, "inspected").status, 200);
    r = call(port(), "POST", "/v1/bookings/" + a + "/check-in", admin_);
    EXPECT_EQ(r.status, 200) << "inspected is ready: " << r.body;
    EXPECT_TRUE(board().at("101").at("occupied").as_bool());

    // Checked out: the room is dirty; the next guest into a dirty room needs force.
    act(a, "check-out");
    EXPECT_EQ(s(board().at("101").at("status")), "dirty");
    EXPECT_FALSE(board().at("101").at("occupied").as_bool());
    const auto b = stay(0, 2);
    ASSERT_EQ(set(room_of(b), "dirty").status, 200);
    EXPECT_EQ(code_of(call(port(), "POST", "/v1/bookings/" + b + "/check-in", admin_)),
              "room_not_ready");
    r = call(port(), "POST", "/v1/bookings/" + b + "/check-in", admin_, R"({"force": true})");
    EXPECT_EQ(r.status, 200) << r.body;

    // Bad input and access.
    EXPECT_EQ(set(room_a, "sparkling").status, 400);
    EXPECT_EQ(call(port(), "PATCH", base_ + "/rooms/" + room_a + "/housekeeping", admin_,
                   R"({"status": null})")
                  .status,
              400);
    EXPECT_EQ(set(std_, "clean").status, 404) << "not a room of this hotel";
    EXPECT_EQ(call(port(), "PATCH", base_ + "/rooms/" + room_a + "/housekeeping", guest_,
                   R"({"status": "clean"})")
                  .status,
              403);
    EXPECT_EQ(call(port(), "GET", base_ + "/housekeeping", guest_).status, 403);
    EXPECT_EQ(
        call(port(), "POST", "/v1/bookings/" + b + "/check-out", admin_, R"({"force": "yes"})")
            .status,
        200)
        << "only check-in reads a body";
}

// Walk-in and phone bookings: staff book for a guest without an account, under the same rules
// and guarantees as any booking; the stay belongs to no account and keeps the guest's contact.
TEST_F(FrontDesk, StaffBookForAGuestWithoutAnAccount) {
    const auto desk = user("walkin-desk@example.com", "staff", ids_["hotel"]);
    const auto other_desk = user("other-desk@example.com", "staff", lisbon_);
    auto walk_in = [&](int from, int to, json::object extra) {
        json::object b{{"hotel_id", ids_["hotel"]},    {"room_type_id", ids_["type"]},
                       {"rate_plan_id", ids_["plan"]}, {"check_in", lisbon_date(from)},
                       {"check_out", lisbon_date(to)}, {"guests", 1}};
        for (auto& [k, v] : extra)
            b[k] = v;
        return b;
    };

    auto r = book(desk, walk_in(0, 2,
                                {{"guest_name", "  Ana Walk-In "},
                                 {"guest_email", "Ana@Example.COM"},
                                 {"guest_phone", "+351 912 345 678"}}));
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = json_of(r);
    const auto id = s(j.at("id"));
    EXPECT_TRUE(j.at("guest_id").is_null()) << "no account owns it";
    EXPECT_EQ(s(j.at("guest_name")), "Ana Walk-In");
    EXPECT_EQ(s(j.at("guest_email")), "ana@example.com");
    EXPECT_EQ(s(j.at("guest_phone")), "+351 912 345 678");
    EXPECT_EQ(s(j.at("total").at("amount")), "160.00") << "priced like any booking";
    EXPECT_TRUE(j.at("room").is_object()) << "staff see the room at once";
    // Read back, listed among the day's arrivals, and run through the day like any stay.
    j = json_of(call(port(), "GET", "/v1/bookings/" + id, desk));
    EXPECT_TRUE(j.at("guest_id").is_null());
    EXPECT_EQ(s(j.at("guest_phone")), "+351 912 345 678");
    EXPECT_EQ(list("arrivals").second, Ids{id});
    act(id, "check-in");

    // A phone number alone will do; the guest is never limited by the card-less cap.
    for (int i = 0; i < 5; ++i) {
        r = book(desk, walk_in(10 + i, 11 + i,
                               {{"guest_name", "Phone " + std::to_string(i)},
                                {"guest_phone", "912345678"}}));
        EXPECT_EQ(r.status, 201) << r.body;
    }
    // The same guarantees: three rooms, so a fourth stay on the same nights is sold out.
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(
            book(desk, walk_in(20, 21, {{"guest_name", "G"}, {"guest_email", "g@e.pt"}})).status,
            201);
    ASSERT_EQ(stay(20, 21).empty(), false);
    r = book(desk, walk_in(20, 21, {{"guest_name", "Late"}, {"guest_email", "late@e.pt"}}));
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "sold_out");
    // The same rules: no arrival in the past.
    r = book(desk, walk_in(-1, 1, {{"guest_name", "Past"}, {"guest_email", "p@e.pt"}}));
    EXPECT_EQ(r.status, 422) << r.body;

    // Bad input: a name is required, the contact must look like one.
    for (const auto& [extra, field] : std::vector<std::pair<json::object, std::string>>{
             {{{"guest_email", "a@b.pt"}}, "guest_name"},
             {{{"guest_name", "   "}, {"guest_phone", "912345678"}}, "guest_name"},
             {{{"guest_name", "N"}, {"guest_email", "not-an-address"}}, "guest_email"},
             {{{"guest_name", "N"}, {"guest_phone", "call me"}}, "guest_phone"},
             {{{"guest_name", "N"}, {"guest_phone", "12 34"}}, "guest_phone"},
             {{{"guest_name", "N"}, {"guest_phone", "1+2345678"}}, "guest_phone"},
             {{{"guest_name", "N"}, {"guest_email", 42}}, "guest_email"}}) {
        r = book(desk, walk_in(30, 31, extra));
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_NE(r.body.find("\"" + field + "\""), std::string::npos) << r.body;
    }
    // Only the hotel's staff book for someone without an account.
    const auto contact = json::object{{"guest_name", "N"}, {"guest_email", "n@e.pt"}};
    r = book(guest_, walk_in(30, 31, contact));
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(code_of(r), "forbidden");
    EXPECT_EQ(book(other_desk, walk_in(30, 31, contact)).status, 403);
    EXPECT_EQ(book(admin_, walk_in(30, 31, contact)).status, 201) << "admins run every hotel";
    // A guest booking for themselves, as before: the stay is their account's.
    r = book(guest_, walk_in(31, 32, {{"guest_name", "Me"}}));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_FALSE(json_of(r).at("guest_id").is_null());
    EXPECT_TRUE(json_of(r).at("guest_email").is_null());
}

}  // namespace
}  // namespace hotel::test
