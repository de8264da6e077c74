// In-house changes (issue 13, part 3): the front desk extends or shortens a stay whose guest is
// in the house, and checks a guest out before the booked departure; released nights are sellable
// at once and cost what the plan's terms say (docs/DOMAIN.md "In-house changes"). Real hoteld,
// real PostgreSQL.

#include <gtest/gtest.h>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

class InHouse : public SmallHotel {
  protected:
    HttpResponse put(const std::string& token, const std::string& id, int from, int to,
                     json::object extra = {}) {
        json::object b{{"check_in", lisbon_date(from)}, {"check_out", lisbon_date(to)}};
        for (auto& kv : extra)
            b[kv.key()] = kv.value();
        return http_request(
            port(), "PUT", "/v1/bookings/" + id,
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
            json::serialize(b));
    }
    json::value get(const std::string& id) {
        return json_of(call(port(), "GET", "/v1/bookings/" + id, admin_));
    }
    std::string checked_in(int from, int to) {
        const auto id = stay(from, to);
        auto r = call(port(), "POST", "/v1/bookings/" + id + "/check-in", admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        return id;
    }
    // The lines of the booking's current (issued) invoice: "description=amount".
    std::vector<std::string> invoice_lines(const std::string& id) {
        auto c = db_->connect();
        auto rows = c.query(
            "SELECT l.description || '=' || l.amount_minor FROM invoice_lines l "
            "JOIN invoices i ON i.hotel_id = l.hotel_id AND i.id = l.invoice_id "
            "WHERE i.booking_id = $1::uuid AND i.status = 'issued' AND i.kind <> 'credit_note' "
            "ORDER BY l.line_no",
            {id});
        std::vector<std::string> out;
        for (int i = 0; i < rows.size(); ++i)
            out.emplace_back(rows.text(i, 0));
        return out;
    }
    static std::string amount(const json::value& booking, const char* field = "total") {
        return s(booking.at(field).at("amount"));
    }
};

using Lines = std::vector<std::string>;

TEST_F(InHouse, AStayInTheHouseIsExtendedInItsRoomWhenTheNightsAreFree) {
    const auto a = checked_in(0, 2);
    const auto room = s(get(a).at("room").at("id"));
    const auto next = stay(3, 4);  // the first free room by number: a's, from night 3
    ASSERT_EQ(s(get(next).at("room").at("id")), room);

    auto r = put(admin_, a, 0, 4);
    EXPECT_EQ(r.status, 409) << "night 3 is sold: " << r.body;
    EXPECT_EQ(code_of(r), "conflict");
    EXPECT_EQ(s(get(a).at("check_out")), lisbon_date(2)) << "unchanged";
    EXPECT_EQ(amount(get(a)), "160.00");

    r = put(admin_, a, 0, 3);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json_of(r);
    EXPECT_EQ(s(j.at("check_out")), lisbon_date(3));
    EXPECT_EQ(j.at("nights").as_int64(), 3);
    EXPECT_EQ(s(j.at("status")), "checked_in");
    EXPECT_EQ(s(j.at("room").at("id")), room) << "the guest keeps the room";
    EXPECT_EQ(amount(j), "240.00") << "the added night at the plan's price";
    EXPECT_EQ(amount(j.at("invoice")), "240.00") << "the invoice follows";
    EXPECT_EQ(invoice_lines(a),
              (Lines{"Night of " + lisbon_date(0) + "=8000", "Night of " + lisbon_date(1) + "=8000",
                     "Night of " + lisbon_date(2) + "=8000"}));
    EXPECT_EQ(overlapping_active(), 0);
}

TEST_F(InHouse, ShorteningReleasesTheNightsAtOnceAndChargesThePenaltyOnThem) {
    const auto a = checked_in(0, 4);
    const auto room = s(get(a).at("room").at("id"));
    auto r = put(admin_, a, 0, 2);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json_of(r);
    EXPECT_EQ(s(j.at("check_out")), lisbon_date(2));
    // FLEX: the first night is the penalty; a guest in the house is past the free window.
    EXPECT_EQ(amount(j, "cancellation_fee"), "80.00");
    EXPECT_EQ(amount(j), "240.00") << "two nights and the fee";
    EXPECT_EQ(invoice_lines(a),
              (Lines{"Night of " + lisbon_date(0) + "=8000", "Night of " + lisbon_date(1) + "=8000",
                     "Early departure fee=8000"}));
    // The released nights are sellable at once: the next stay gets the room.
    const auto next = stay(2, 4);
    EXPECT_EQ(s(get(next).at("room").at("id")), room);
    // An extension cannot take them back now, and does not undo the fee.
    EXPECT_EQ(put(admin_, a, 0, 3).status, 409);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + next, guest_).status, 200);
    r = put(admin_, a, 0, 3);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(amount(json_of(r)), "320.00") << "three nights and the fee already due";
}

TEST_F(InHouse, AnEarlyCheckOutReleasesTheRestAndChargesWhatThePlanSays) {
    const auto a = checked_in(0, 3);
    const auto room = s(get(a).at("room").at("id"));
    auto r = call(port(), "POST", "/v1/bookings/" + a + "/check-out", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json_of(r);
    EXPECT_EQ(s(j.at("status")), "checked_out");
    // Leaving on the arrival day: the first night is kept (the room was used), the two others
    // are released, and the first of those is the fee.
    EXPECT_EQ(s(j.at("check_out")), lisbon_date(1));
    EXPECT_EQ(j.at("nights").as_int64(), 1);
    EXPECT_EQ(amount(j, "cancellation_fee"), "80.00");
    EXPECT_EQ(amount(j), "160.00");
    EXPECT_FALSE(j.at("checked_out_at").is_null());
    EXPECT_EQ(invoice_lines(a),
              (Lines{"Night of " + lisbon_date(0) + "=8000", "Early departure fee=8000"}));
    // Released: tomorrow's nights go to the next guest, in the same room.
    const auto next = stay(1, 3);
    EXPECT_EQ(s(get(next).at("room").at("id")), room);
    EXPECT_EQ(overlapping_active(), 0);

    // A one-night stay leaving on its arrival day leaves as booked: nothing to release.
    const auto b = checked_in(0, 1);
    r = call(port(), "POST", "/v1/bookings/" + b + "/check-out", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(json_of(r).at("cancellation_fee").is_null());
    EXPECT_EQ(amount(json_of(r)), "80.00");
}

TEST_F(InHouse, OnlyTheDepartureOfAStayInTheHouseChangesAndOnlyByItsStaff) {
    const auto a = checked_in(0, 2);
    // Leaving today is a check-out, not a change.
    auto r = put(admin_, a, 0, 0);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("invalid_dates"), std::string::npos) << r.body;
    r = put(admin_, a, 0, 1);
    ASSERT_EQ(r.status, 200) << "shortened to tomorrow: " << r.body;
    const auto b = checked_in(0, 3);
    r = put(admin_, b, 1, 3);
    EXPECT_EQ(r.status, 409) << "the arrival is past: " << r.body;
    EXPECT_EQ(code_of(r), "invalid_state_transition");
    r = put(admin_, b, 0, 3, {{"guests", 2}});
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "invalid_state_transition");
    r = put(admin_, b, 0, 40);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("stay_too_long"), std::string::npos) << r.body;
    r = put(admin_, b, 0, 3, {{"check_out", "tomorrow"}});
    EXPECT_EQ(r.status, 400) << r.body;
    // The guest cannot change a stay in the house; staff of another hotel do not see it.
    r = put(guest_, b, 0, 4);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "invalid_state_transition");
    const auto desk = user("elsewhere@example.com", "staff", lisbon_);
    EXPECT_EQ(put(desk, b, 0, 4).status, 404);
    EXPECT_EQ(s(get(b).at("check_out")), lisbon_date(3)) << "nothing changed";
}

// A room move during the stay splits it at today: the night already spent stays with the room
// it was spent in (the room chart shows it there), the new room is held from today's check-out
// time, and the room left is free for tonight and dirty.
TEST_F(InHouse, AGuestInTheHouseMovesTodayAndTheNightsBeforeStayWithTheRoomLeft) {
    const auto b = checked_in(0, 3);  // room 101
    const auto booked_arrival = s(get(b).at("check_in_at"));
    {  // The guest arrived yesterday: the stay is moved one day back, as if booked then.
        auto c = db_->connect();
        c.query(
            "UPDATE bookings SET check_in = check_in - 1, period = tstzrange(lower(period) - "
            "interval '1 day', upper(period), '[)') WHERE id = $1::uuid",
            {b});
    }
    const auto arrived = s(get(b).at("check_in_at"));
    const auto room_101 = s(get(b).at("room").at("id"));
    const auto c = stay(1, 2);  // room 102, tomorrow night
    const auto room_102 = s(get(c).at("room").at("id"));
    ASSERT_NE(room_102, room_101);
    auto move = [&](const std::string& id, const std::string& room) {
        return call(port(), "POST", "/v1/bookings/" + id + "/move", admin_,
                    json::serialize(json::object{{"room_id", room}}));
    };
    EXPECT_TRUE(get(b).at("room").at("since").is_null()) << "in its room since the arrival";
    auto r = move(b, room_102);
    EXPECT_EQ(r.status, 409) << "102 is sold tomorrow: " << r.body;
    EXPECT_EQ(code_of(r), "conflict");
    EXPECT_EQ(s(get(b).at("room").at("id")), room_101) << "unchanged";

    auto rooms = json_of(call(port(), "GET", base_ + "/rooms", admin_));
    const auto room_103 = s(rooms.at("items").as_array().at(2).at("id"));
    r = move(b, room_103);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json_of(r);
    EXPECT_EQ(s(j.at("room").at("id")), room_103);
    EXPECT_EQ(s(j.at("status")), "checked_in");
    EXPECT_EQ(s(j.at("check_in")), lisbon_date(-1)) << "the stay still began yesterday";
    EXPECT_EQ(s(j.at("check_in_at")), arrived) << "the booked arrival is kept";
    EXPECT_FALSE(j.at("room").at("since").is_null()) << "in room 103 since the move";
    EXPECT_GT(s(j.at("room").at("since")), arrived);
    EXPECT_NE(arrived, booked_arrival);

    // The chart: yesterday's night in 101, the stay itself in 103.
    r = call(port(), "GET", base_ + "/room-chart?from=" + lisbon_date(-1) + "&to=" + lisbon_date(7),
             admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    j = json_of(r);
    std::map<std::string, json::object> row;
    for (const auto& room : j.at("rooms").as_array())
        row[s(room.at("id"))] = room.as_object();
    ASSERT_EQ(row[room_101].at("moved_out").as_array().size(), 1u);
    const auto& part = row[room_101].at("moved_out").as_array()[0];
    EXPECT_EQ(s(part.at("booking_id")), b);
    EXPECT_EQ(s(part.at("from")), lisbon_date(-1));
    EXPECT_EQ(s(part.at("to")), lisbon_date(0));
    EXPECT_TRUE(row[room_101].at("stays").as_array().empty());
    ASSERT_EQ(row[room_103].at("stays").as_array().size(), 1u);
    EXPECT_EQ(s(row[room_103].at("stays").as_array()[0].at("id")), b);
    EXPECT_TRUE(row[room_103].at("moved_out").as_array().empty());

    // The room left is dirty, and free tonight: the next stay takes it.
    auto board = json_of(call(port(), "GET", base_ + "/housekeeping", admin_));
    for (const auto& room : board.at("items").as_array()) {
        if (s(room.at("room_id")) == room_101) {
            EXPECT_EQ(s(room.at("status")), "dirty");
        }
    }
    const auto tonight = stay(0, 1);
    EXPECT_EQ(s(get(tonight).at("room").at("id")), room_101);
    EXPECT_EQ(overlapping_active(), 0);

    // Leaving today, after the move: the stay ends, nothing overlaps, the chart still shows
    // where the night was spent.
    r = call(port(), "POST", "/v1/bookings/" + b + "/check-out", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s(json_of(r).at("check_out")), lisbon_date(0));
    EXPECT_EQ(overlapping_active(), 0);
    // A stay in the house on its departure day does not move; one that has left does not either.
    r = move(b, room_102);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(code_of(r), "invalid_state_transition");
}

}  // namespace
}  // namespace hotel::test
