// Bookings: the critical path, against a real hoteld and PostgreSQL.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "booking_fixture.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;
using namespace std::chrono_literals;

TEST_F(Bookings, HappyPathThreeNightsInLisbon) {
    auto r = book(guest_, body(10, 13, flex_));
    ASSERT_EQ(r.status, 201) << r.body;
    auto b = json_of(r).as_object();
    EXPECT_EQ(r.header("location").value_or(""), "/v1/bookings/" + s(b.at("id")));
    EXPECT_EQ(r.header("etag").value_or(""), "\"1\"");
    EXPECT_EQ(s(b.at("status")), "confirmed");
    EXPECT_EQ(b.at("nights").as_int64(), 3);
    // The total is the sum of the nightly rates, as GET /rates has them.
    auto rates = json_of(call(port(), "GET",
                              "/v1/hotels/" + lisbon_ + "/rates?room_type_id=" + std_ +
                                  "&rate_plan_id=" + flex_ + "&from=" + lisbon_date(10) +
                                  "&to=" + lisbon_date(13),
                              admin_));
    long long expected = 0;
    const auto& nightly = b.at("nightly").as_array();
    ASSERT_EQ(nightly.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto price = s(rates.at("items").as_array()[i].at("price").at("amount"));
        EXPECT_EQ(s(nightly[i].at("amount").at("amount")), price);
        expected += std::stoll(price.substr(0, price.find('.'))) * 100 +
                    std::stoll(price.substr(price.find('.') + 1));
    }
    const auto total = s(b.at("total").at("amount"));
    EXPECT_EQ(std::stoll(total.substr(0, total.find('.'))) * 100 +
                  std::stoll(total.substr(total.find('.') + 1)),
              expected);
    EXPECT_EQ(s(b.at("total").at("currency")), "EUR");
    // Instants for Europe/Lisbon: check-in 15:00 local, check-out 11:00 local.
    const auto clock = *core::HotelClock::for_zone("Europe/Lisbon");
    EXPECT_EQ(s(b.at("check_in_at")),
              core::format_instant(clock.instant_of(*core::parse_date(lisbon_date(10)), {15, 0})));
    EXPECT_EQ(s(b.at("check_out_at")),
              core::format_instant(clock.instant_of(*core::parse_date(lisbon_date(13)), {11, 0})));
    // The invoice matches the booking.
    EXPECT_EQ(s(b.at("invoice").at("status")), "issued");
    EXPECT_EQ(s(b.at("invoice").at("total").at("amount")), total);
    EXPECT_GE(b.at("invoice").at("number").as_int64(), 1);
    EXPECT_EQ(count("SELECT count(*) FROM invoice_lines"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM booking_events WHERE type = 'booking.created'"), 1);
    // Flexible: free until 48 h before check-in.
    EXPECT_EQ(s(b.at("cancellation").at("penalty")), "first_night");
    EXPECT_TRUE(b.at("guest_name").is_null()) << "no name was given";
    auto named = book(guest_, body(20, 21, flex_, {{"guest_name", "Ana Sousa"}}));
    ASSERT_EQ(named.status, 201) << named.body;
    EXPECT_EQ(s(json_of(named).at("guest_name")), "Ana Sousa");
    // The guest does not see the room; staff do.
    EXPECT_TRUE(b.at("room").is_null());
    auto as_staff = json_of(call(port(), "GET", "/v1/bookings/" + s(b.at("id")), admin_));
    EXPECT_FALSE(as_staff.at("room").is_null());
    EXPECT_FALSE(s(as_staff.at("room").at("number")).empty());
    auto as_guest = call(port(), "GET", "/v1/bookings/" + s(b.at("id")), guest_);
    EXPECT_EQ(as_guest.status, 200);
    EXPECT_EQ(as_guest.header("etag").value_or(""), "\"1\"");
    EXPECT_TRUE(json_of(as_guest).at("room").is_null());
}

TEST_F(Bookings, LastRoomStormHasExactlyOneWinner) {
    auto h = small_hotel(1);
    json::object b{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                   {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(5)},
                   {"check_out", lisbon_date(7)}, {"guests", 1}};
    std::vector<std::string> codes;
    auto tally = storm(200, b, &codes);
    EXPECT_EQ(tally[201], 1);
    EXPECT_EQ(tally[409], 199);
    EXPECT_EQ(std::count(codes.begin(), codes.end(), "sold_out"), 199);
    for (const auto& [status, n] : tally)
        EXPECT_LT(status, 500) << n << " answers of " << status;
    EXPECT_EQ(overlapping_active(), 0);
}

TEST_F(Bookings, TypeLevelStormFillsEveryRoomOnce) {
    auto h = small_hotel(20);
    json::object b{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                   {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(5)},
                   {"check_out", lisbon_date(8)}, {"guests", 1}};
    auto tally = storm(100, b);
    EXPECT_EQ(tally[201], 20);
    EXPECT_EQ(tally[409], 80);
    EXPECT_EQ(overlapping_active(), 0);
    EXPECT_EQ(count("SELECT count(DISTINCT room_id) FROM bookings WHERE kind = 'stay'"), 20);
}

TEST_F(Bookings, IdempotencyKeyGivesOneBooking) {
    const auto b = body(20, 22, flex_);
    std::vector<std::string> codes, bodies;
    auto tally = storm(20, b, &codes, "key-123", &bodies);
    EXPECT_EQ(count("SELECT count(*) FROM bookings WHERE kind = 'stay'"), 1);
    std::string the_body;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        if (codes[i] == "idempotency_key_in_flight")
            continue;
        if (the_body.empty())
            the_body = bodies[i];
        EXPECT_EQ(bodies[i], the_body) << "every 201 is the same body";
    }
    EXPECT_EQ(tally[201] + tally[409], 20);
    EXPECT_GE(tally[201], 1);
    // A later replay: the identical 201.
    auto replay = book(guest_, b, {{"Idempotency-Key", "key-123"}});
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.body, the_body);
    EXPECT_EQ(replay.header("etag").value_or(""), "\"1\"");
    // Another body with the same key.
    auto reused = book(guest_, body(20, 23, flex_), {{"Idempotency-Key", "key-123"}});
    EXPECT_EQ(reused.status, 422);
    EXPECT_EQ(code_of(reused), "idempotency_key_reused");
    // The same key of another user is another key.
    const auto other = guest("other@example.com");
    EXPECT_EQ(http_request(port(), "POST", "/v1/bookings",
                           {{"Authorization", "Bearer " + other},
                            {"Content-Type", "application/json"},
                            {"Idempotency-Key", "key-123"}},
                           json::serialize(b))
                  .status,
              201);
    EXPECT_EQ(count("SELECT count(*) FROM bookings WHERE kind = 'stay'"), 2);
    // The replay outlives a cancellation: still the original 201.
    const auto id = s(json_of(replay).at("id"));
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + id, guest_).status, 200);
    EXPECT_EQ(book(guest_, b, {{"Idempotency-Key", "key-123"}}).body, the_body);
}

TEST_F(Bookings, RuleViolationsAre422AndWriteNothing) {
    auto set = [&](int from, int to, json::object fields) {
        json::object b{{"room_type_id", std_},
                       {"rate_plan_id", flex_},
                       {"from", lisbon_date(from)},
                       {"to", lisbon_date(to)}};
        for (auto& kv : fields)
            b[kv.key()] = kv.value();
        ASSERT_EQ(
            call(port(), "PUT", "/v1/hotels/" + lisbon_ + "/rates", admin_, json::serialize(b))
                .status,
            200);
    };
    set(30, 31, {{"min_stay", 3}});
    set(40, 41, {{"closed_to_arrival", true}});
    set(51, 52, {{"stop_sell", true}});
    set(61, 62, {{"price", nullptr}});
    const auto before = count("SELECT count(*) FROM bookings") +
                        count("SELECT count(*) FROM invoices") +
                        count("SELECT count(*) FROM booking_events");
    struct Case {
        json::object body;
        std::string field;
    };
    std::vector<Case> cases = {
        {body(30, 32, flex_), "check_in"},                 // min_stay 3
        {body(40, 42, flex_), "check_in"},                 // closed to arrival
        {body(50, 53, flex_), "check_in"},                 // stop-sell on a night
        {body(60, 63, flex_), "check_in"},                 // a night without a price
        {body(10, 12, flex_, {{"guests", 3}}), "guests"},  // STD sleeps 2
        {body(-1, 2, flex_), "check_in"},                  // arrival yesterday in Lisbon
        {body(10, 10, flex_), "check_out"},                // check_out == check_in
        {body(10, 45, flex_), "check_out"},                // 35 nights
    };
    for (const auto& c : cases) {
        auto r = book(guest_, c.body);
        EXPECT_EQ(r.status, 422) << json::serialize(c.body) << " -> " << r.body;
        EXPECT_EQ(code_of(r), "unprocessable");
        EXPECT_NE(r.body.find("\"field\":\"" + c.field + "\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(count("SELECT count(*) FROM bookings") + count("SELECT count(*) FROM invoices") +
                  count("SELECT count(*) FROM booking_events"),
              before);
}

TEST_F(Bookings, BadInputIsRefusedWithTheFieldNamed) {
    const auto other_hotel = id("SELECT id FROM hotels WHERE city = 'New York'");
    const auto foreign_type = id("SELECT id FROM room_types WHERE code = 'QQ'");
    struct Case {
        json::object body;
        int status;
        std::string field;
    };
    std::vector<Case> cases = {
        {body(10, 12, flex_, {{"hotel_id", "00000000-0000-0000-0000-000000000000"}}), 422,
         "hotel_id"},
        {body(10, 12, flex_, {{"room_type_id", foreign_type}}), 422, "room_type_id"},
        {body(10, 12, flex_, {{"hotel_id", other_hotel}}), 422, "room_type_id"},
        {body(10, 12, "00000000-0000-0000-0000-000000000000"), 422, "rate_plan_id"},
        {body(10, 12, flex_, {{"hotel_id", "lisbon"}}), 400, "hotel_id"},
        {body(10, 12, flex_, {{"check_in", "2027-02-30"}}), 400, "check_in"},
        {body(10, 12, flex_, {{"guests", 0}}), 400, "guests"},
        {body(10, 12, flex_, {{"guests", -2}}), 400, "guests"},
        {body(10, 12, flex_, {{"guests", "two"}}), 400, "guests"},
        {body(10, 12, flex_, {{"status", "checked_out"}}), 400, "status"},  // mass assignment
        {body(10, 12, flex_, {{"total", "0.01"}}), 400, "total"},
        {body(10, 12, flex_,
              {{"expected_total", json::object{{"amount", "1.00"}, {"currency", "USD"}}}}),
         422, "expected_total"},
        {body(10, 12, flex_, {{"expected_total", 240}}), 400, "expected_total"},
        {body(10, 12, flex_,
              {{"expected_total", json::object{{"amount", "1.00"}, {"currency", "EUR"}}}}),
         409, "expected_total"},
        {body(10, 12, flex_, {{"card_token", "4242424242424242"}}), 422, "card_token"},
    };
    for (const auto& c : cases) {
        auto r = book(guest_, c.body);
        EXPECT_EQ(r.status, c.status) << json::serialize(c.body) << " -> " << r.body;
        EXPECT_NE(r.body.find("\"field\":\"" + c.field + "\""), std::string::npos) << r.body;
    }
    auto long_key = book(guest_, body(10, 12, flex_), {{"Idempotency-Key", std::string(256, 'k')}});
    EXPECT_EQ(long_key.status, 400);
    EXPECT_NE(long_key.body.find("Idempotency-Key"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM bookings"), 0);
    // The right expected_total is accepted.
    auto quote = book(guest_, body(10, 12, flex_));
    ASSERT_EQ(quote.status, 201);
    const auto total = json_of(quote).at("total");
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + s(json_of(quote).at("id")), guest_).status,
              200);
    EXPECT_EQ(book(guest_, body(10, 12, flex_, {{"expected_total", total}})).status, 201);
}

TEST_F(Bookings, PaymentTokens) {
    auto declined = book(guest_, body(10, 12, flex_, {{"card_token", "tok_declined"}}));
    EXPECT_EQ(declined.status, 402);
    EXPECT_EQ(code_of(declined), "payment_declined");
    EXPECT_EQ(count("SELECT count(*) FROM bookings") + count("SELECT count(*) FROM invoices") +
                  count("SELECT count(*) FROM booking_events"),
              0);

    auto paid = book(guest_, body(10, 12, flex_, {{"card_token", "tok_visa_4242"}}));
    ASSERT_EQ(paid.status, 201) << paid.body;
    const auto payment = json_of(paid).at("payment");
    EXPECT_EQ(s(payment.at("card_last4")), "4242");
    EXPECT_FALSE(s(payment.at("transaction_id")).empty());
    EXPECT_EQ(count("SELECT count(*) FROM bookings WHERE card_last4 = '4242' AND "
                    "payment_transaction_id IS NOT NULL"),
              1);
    // The token itself is stored nowhere.
    EXPECT_EQ(
        count("SELECT count(*) FROM bookings WHERE row_to_json(bookings)::text LIKE '%tok_visa%'"),
        0);
    EXPECT_EQ(count("SELECT count(*) FROM test_gateway_ledger WHERE "
                    "row_to_json(test_gateway_ledger)::text LIKE '%tok_%'"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 0);
}

TEST_F(Bookings, SoldOutVoidsTheAuthorization) {
    auto h = small_hotel(1);
    json::object b{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                   {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(5)},
                   {"check_out", lisbon_date(7)}, {"guests", 1},
                   {"card_token", "tok_mc_5555"}};
    ASSERT_EQ(book(guest_, b).status, 201);
    auto second = book(guest_, b);
    EXPECT_EQ(second.status, 409);
    EXPECT_EQ(code_of(second), "sold_out");
    EXPECT_EQ(count("SELECT count(*) FROM test_gateway_ledger WHERE status = 'authorized'"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM test_gateway_ledger WHERE status = 'voided'"), 1);
}

TEST_F(Bookings, CancellationFeesFollowThePolicyAndFreeTheRoom) {
    // Flexible, more than 48 h ahead: free; the invoice is voided, no fee invoice.
    auto early = json_of(book(guest_, body(10, 13, flex_)));
    auto c1 = call(port(), "DELETE", "/v1/bookings/" + s(early.at("id")), guest_);
    ASSERT_EQ(c1.status, 200) << c1.body;
    auto j1 = json_of(c1);
    EXPECT_EQ(s(j1.at("status")), "cancelled");
    EXPECT_EQ(s(j1.at("cancellation_fee").at("amount")), "0.00");
    EXPECT_EQ(s(j1.at("invoice").at("status")), "void");
    EXPECT_EQ(j1.at("version").as_int64(), 2);
    EXPECT_EQ(c1.header("etag").value_or(""), "\"2\"");
    // Cancelling twice is an invalid transition.
    auto twice = call(port(), "DELETE", "/v1/bookings/" + s(early.at("id")), guest_);
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(code_of(twice), "invalid_state_transition");

    // Flexible, arriving tomorrow (within 48 h): the first night.
    auto late = json_of(book(guest_, body(1, 3, flex_)));
    auto c2 = json_of(call(port(), "DELETE", "/v1/bookings/" + s(late.at("id")), guest_));
    EXPECT_EQ(s(c2.at("cancellation_fee").at("amount")),
              s(late.at("nightly").as_array()[0].at("amount").at("amount")));
    EXPECT_EQ(s(c2.at("invoice").at("status")), "issued");
    EXPECT_EQ(s(c2.at("invoice").at("total").at("amount")),
              s(c2.at("cancellation_fee").at("amount")));

    // Non-refundable: the full stay.
    auto nrf = json_of(book(guest_, body(100, 104, nrf_)));
    auto c3 = json_of(call(port(), "DELETE", "/v1/bookings/" + s(nrf.at("id")), guest_));
    EXPECT_EQ(s(c3.at("cancellation_fee").at("amount")), s(nrf.at("total").at("amount")));
    EXPECT_EQ(count("SELECT count(*) FROM booking_events WHERE type = 'booking.cancelled'"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM invoices WHERE kind = 'cancellation_fee'"), 2);

    // The room is free again at once: a one-room hotel can be rebooked for the same dates.
    auto h = small_hotel(1);
    json::object b{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                   {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(5)},
                   {"check_out", lisbon_date(7)}, {"guests", 1}};
    auto first = json_of(book(guest_, b));
    EXPECT_EQ(book(guest_, b).status, 409);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + s(first.at("id")), guest_).status, 200);
    EXPECT_EQ(book(guest_, b).status, 201);
}

TEST_F(Bookings, IfMatchIsHonouredOnCancel) {
    auto b = json_of(book(guest_, body(10, 12, flex_)));
    const auto path = "/v1/bookings/" + s(b.at("id"));
    auto stale = http_request(port(), "DELETE", path,
                              {{"Authorization", "Bearer " + guest_}, {"If-Match", "\"7\""}});
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(code_of(stale), "version_mismatch");
    EXPECT_EQ(http_request(port(), "DELETE", path,
                           {{"Authorization", "Bearer " + guest_}, {"If-Match", "nonsense"}})
                  .status,
              400);
    EXPECT_EQ(http_request(port(), "DELETE", path,
                           {{"Authorization", "Bearer " + guest_}, {"If-Match", "\"1\""}})
                  .status,
              200);
}

TEST_F(Bookings, OtherGuestsNeverSeeABooking) {
    auto mine = json_of(book(guest_, body(10, 12, flex_)));
    const auto path = "/v1/bookings/" + s(mine.at("id"));
    const auto other = guest("mallory@example.com");
    EXPECT_EQ(call(port(), "GET", path, other).status, 404);
    EXPECT_EQ(call(port(), "DELETE", path, other).status, 404);
    EXPECT_EQ(json_of(call(port(), "GET", "/v1/bookings", other)).at("total").as_int64(), 0);
    auto own = json_of(call(port(), "GET", "/v1/bookings", guest_));
    EXPECT_EQ(own.at("total").as_int64(), 1);
    EXPECT_EQ(call(port(), "GET", path, guest_).status, 200);
    // Staff of another hotel do not see it either; an admin does.
    auto staff_ny =
        call(port(), "POST", "/v1/users", admin_,
             json::serialize(json::object{
                 {"email", "ny@example.com"},
                 {"password", "staff password 1"},
                 {"name", "NY"},
                 {"role", "staff"},
                 {"hotel_ids",
                  json::array{json::value(id("SELECT id FROM hotels WHERE city = 'New York'"))}}}));
    ASSERT_EQ(staff_ny.status, 201);
    const auto ny = login(port(), "ny@example.com", "staff password 1");
    EXPECT_EQ(call(port(), "GET", path, ny).status, 404);
    EXPECT_EQ(json_of(call(port(), "GET", "/v1/bookings", ny)).at("total").as_int64(), 0);
    EXPECT_EQ(json_of(call(port(), "GET", "/v1/bookings?hotel_id=" + lisbon_, admin_))
                  .at("total")
                  .as_int64(),
              1);
    // Filters and paging.
    book(guest_, body(20, 22, flex_));
    auto page = json_of(call(port(), "GET", "/v1/bookings?per_page=1&page=2", guest_));
    EXPECT_EQ(page.at("total").as_int64(), 2);
    EXPECT_EQ(page.at("items").as_array().size(), 1u);
    EXPECT_EQ(json_of(call(port(), "GET", "/v1/bookings?status=cancelled", guest_))
                  .at("total")
                  .as_int64(),
              0);
    EXPECT_EQ(call(port(), "GET", "/v1/bookings?status=lost", guest_).status, 400);
    EXPECT_EQ(call(port(), "GET", "/v1/bookings?per_page=500", guest_).status, 400);
}

TEST_F(Bookings, AFaultBetweenBookingAndInvoiceLeavesNothing) {
    {
        auto c = db_->connect();
        c.run_script(
            "CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'injected fault'; END $$;"
            "CREATE TRIGGER test_fault BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION "
            "test_fault();");
    }
    auto r = book(guest_, body(10, 12, flex_, {{"card_token", "tok_visa_4242"}}));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("injected"), std::string::npos) << "no database text leaks";
    EXPECT_EQ(count("SELECT count(*) FROM bookings") +
                  count("SELECT count(*) FROM booking_nights") +
                  count("SELECT count(*) FROM booking_events"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM test_gateway_ledger WHERE status = 'voided'"), 1);
    // And the server is fine afterwards.
    {
        auto c = db_->connect();
        c.run_script("DROP TRIGGER test_fault ON invoices;");
    }
    EXPECT_EQ(book(guest_, body(10, 12, flex_)).status, 201);
}

TEST_F(Bookings, StaffCheckInCheckOutAndNoShow) {
    // Arriving today in Lisbon.
    auto today = json_of(book(guest_, body(0, 2, flex_)));
    const auto path = "/v1/bookings/" + s(today.at("id"));
    // Guests cannot check themselves in; strangers do not even see the booking.
    EXPECT_EQ(call(port(), "POST", path + "/check-in", guest_).status, 403);
    EXPECT_EQ(call(port(), "POST", path + "/check-in", guest("stranger@example.com")).status, 404);
    // The scheduled times are there from the start, the actual ones once they happen.
    EXPECT_TRUE(today.at("checked_in_at").is_null());
    EXPECT_TRUE(today.at("checked_out_at").is_null());
    const auto before_in = core::format_instant(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    auto in = call(port(), "POST", path + "/check-in", admin_);
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(s(json_of(in).at("status")), "checked_in");
    EXPECT_EQ(json_of(in).at("version").as_int64(), 2);
    const auto checked_in = s(json_of(in).at("checked_in_at"));
    const auto after_in = core::format_instant(
        std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now()));
    EXPECT_LE(before_in, checked_in);  // RFC 3339 in UTC: text order is time order
    EXPECT_LE(checked_in, after_in);
    EXPECT_EQ(s(json_of(in).at("check_in_at")), s(today.at("check_in_at"))) << "still scheduled";
    EXPECT_TRUE(json_of(in).at("checked_out_at").is_null());
    // From check-in on, the guest sees the room.
    EXPECT_FALSE(json_of(call(port(), "GET", path, guest_)).at("room").is_null());
    EXPECT_EQ(code_of(call(port(), "POST", path + "/check-in", admin_)),
              "invalid_state_transition");
    EXPECT_EQ(call(port(), "DELETE", path, guest_).status, 409) << "no cancelling after check-in";
    EXPECT_EQ(http_request(port(), "POST", path + "/check-out",
                           {{"Authorization", "Bearer " + admin_}, {"If-Match", "\"1\""}})
                  .status,
              412);
    auto out = call(port(), "POST", path + "/check-out", admin_);
    ASSERT_EQ(out.status, 200) << out.body;
    EXPECT_EQ(s(json_of(out).at("status")), "checked_out");
    EXPECT_EQ(s(json_of(out).at("checked_in_at")), checked_in);
    EXPECT_LE(checked_in, s(json_of(out).at("checked_out_at")));
    // And a read says the same.
    EXPECT_EQ(s(json_of(call(port(), "GET", path, admin_)).at("checked_out_at")),
              s(json_of(out).at("checked_out_at")));
    EXPECT_EQ(events_of(s(today.at("id"))), 3);

    // Too early: arrival in ten days.
    auto later = json_of(book(guest_, body(10, 12, flex_)));
    EXPECT_EQ(
        code_of(call(port(), "POST", "/v1/bookings/" + s(later.at("id")) + "/check-in", admin_)),
        "invalid_state_transition");
    EXPECT_EQ(
        code_of(call(port(), "POST", "/v1/bookings/" + s(later.at("id")) + "/no-show", admin_)),
        "invalid_state_transition");
    EXPECT_EQ(
        call(port(), "POST", "/v1/bookings/" + s(later.at("id")) + "/check-out", admin_).status,
        409);

    // A no-show frees the room.
    auto h = small_hotel(1);
    json::object b{{"hotel_id", h["hotel"]},      {"room_type_id", h["type"]},
                   {"rate_plan_id", h["plan"]},   {"check_in", lisbon_date(0)},
                   {"check_out", lisbon_date(2)}, {"guests", 1}};
    auto first = json_of(book(guest_, b));
    EXPECT_EQ(book(guest_, b).status, 409);
    auto ns = call(port(), "POST", "/v1/bookings/" + s(first.at("id")) + "/no-show", admin_);
    ASSERT_EQ(ns.status, 200) << ns.body;
    EXPECT_EQ(s(json_of(ns).at("status")), "no_show");
    EXPECT_EQ(book(guest_, b).status, 201);
}

TEST_F(Bookings, ModificationKeepsOrMovesTheRoomAndRepricesAtomically) {
    auto h = small_hotel(2, true);
    auto stay = [&](int from, int to) {
        return json::object{{"hotel_id", h["hotel"]},       {"room_type_id", h["type"]},
                            {"rate_plan_id", h["plan"]},    {"check_in", lisbon_date(from)},
                            {"check_out", lisbon_date(to)}, {"guests", 1}};
    };
    auto x = json_of(book(guest_, stay(5, 7)));
    auto y = json_of(book(guest_, stay(7, 9)));  // the same room: it is free again from night 7
    const auto path_x = "/v1/bookings/" + s(x.at("id"));
    const auto room_of = [&](const std::string& path) {
        return s(json_of(call(port(), "GET", path, admin_)).at("room").at("number"));
    };
    const auto x_room = room_of(path_x);
    ASSERT_EQ(x_room, room_of("/v1/bookings/" + s(y.at("id"))));

    // Shorter stay: same room, repriced, new invoice, version 2.
    auto put = [&](const std::string& path, const json::object& b,
                   std::vector<std::pair<std::string, std::string>> h2 = {}) {
        h2.emplace_back("Authorization", "Bearer " + guest_);
        h2.emplace_back("Content-Type", "application/json");
        return http_request(port(), "PUT", path, h2, json::serialize(b));
    };
    auto shorter = put(path_x, {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}});
    ASSERT_EQ(shorter.status, 200) << shorter.body;
    auto j = json_of(shorter);
    EXPECT_EQ(j.at("nights").as_int64(), 1);
    EXPECT_EQ(s(j.at("total").at("amount")), "80.00");
    EXPECT_EQ(j.at("version").as_int64(), 2);
    EXPECT_EQ(shorter.header("etag").value_or(""), "\"2\"");
    EXPECT_EQ(s(j.at("invoice").at("total").at("amount")), "80.00");
    EXPECT_GT(j.at("invoice").at("number").as_int64(), x.at("invoice").at("number").as_int64());
    EXPECT_EQ(room_of(path_x), x_room);

    // Longer, into Y's nights: X moves to the other room.
    auto longer = put(path_x, {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(8)}},
                      {{"If-Match", "\"2\""}});
    ASSERT_EQ(longer.status, 200) << longer.body;
    EXPECT_EQ(s(json_of(longer).at("total").at("amount")), "240.00");
    EXPECT_NE(room_of(path_x), x_room);
    EXPECT_EQ(overlapping_active(), 0);

    // Nothing fits: 409, and the booking is exactly as it was.
    auto z = json_of(book(guest_, stay(10, 12)));
    auto w = json_of(book(guest_, stay(10, 12)));
    const auto before = call(port(), "GET", path_x, guest_).body;
    auto full = put(path_x, {{"check_in", lisbon_date(9)}, {"check_out", lisbon_date(11)}});
    EXPECT_EQ(full.status, 409);
    EXPECT_EQ(code_of(full), "sold_out");
    EXPECT_EQ(call(port(), "GET", path_x, guest_).body, before);

    // Stale version, rule violations, other guests, cancelled bookings.
    EXPECT_EQ(put(path_x, {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}},
                  {{"If-Match", "\"1\""}})
                  .status,
              412);
    EXPECT_EQ(put(path_x, {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(5)}}).status,
              422);
    EXPECT_EQ(
        put(path_x, {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}, {"guests", 3}})
            .status,
        422);
    EXPECT_EQ(
        put(path_x,
            {{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}, {"status", "cancelled"}})
            .status,
        400);
    EXPECT_EQ(put(path_x, {{"check_in", lisbon_date(5)}}).status, 400);
    auto other = guest("eve2@example.com");
    EXPECT_EQ(
        http_request(port(), "PUT", path_x,
                     {{"Authorization", "Bearer " + other}, {"Content-Type", "application/json"}},
                     json::serialize(
                         json::object{{"check_in", lisbon_date(5)}, {"check_out", lisbon_date(6)}}))
            .status,
        404);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + s(z.at("id")), guest_).status, 200);
    auto cancelled = put("/v1/bookings/" + s(z.at("id")),
                         {{"check_in", lisbon_date(20)}, {"check_out", lisbon_date(21)}});
    EXPECT_EQ(cancelled.status, 409);
    EXPECT_EQ(code_of(cancelled), "invalid_state_transition");
    EXPECT_EQ(events_of(s(x.at("id"))), 3);  // created + two modifications
    (void)w;
}
