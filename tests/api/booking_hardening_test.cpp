// Bookings against hostile clients (issue 10): a burst of keyed bookings, fee dodging by
// modification, the card hold following the booking, the cap on card-less bookings.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>

#include "booking_fixture.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

long long metric_value(unsigned short port, const std::string& name) {
    auto r = http_request(port, "GET", "/metrics");
    const std::string needle = "\n" + name + " ";
    auto at = r.body.find(needle);
    if (at == std::string::npos)
        return -1;
    return std::stoll(r.body.substr(at + needle.size()));
}

class BookingHardening : public Bookings {
  protected:
    // hoteld with its default pool (16 connections, 2 s acquire deadline).
    void restart_with_defaults() {
        server_.reset();
        server_ = std::make_unique<Hoteld>(*db_);
    }
    // n keyed bookings at once, each with its own key; a public search runs meanwhile.
    std::map<int, int> keyed_burst(int n, const json::object& b, const std::string& prefix,
                                   const std::string& city, int* search_status) {
        std::vector<int> statuses(static_cast<std::size_t>(n));
        std::atomic<int> ready{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                ++ready;
                while (ready.load() < n + 1)
                    std::this_thread::yield();
                try {
                    auto r = book(guest_, b, {{"Idempotency-Key", prefix + std::to_string(i)}});
                    statuses[static_cast<std::size_t>(i)] = r.status;
                } catch (const std::exception&) {
                    statuses[static_cast<std::size_t>(i)] = -1;
                }
            });
        threads.emplace_back([&] {
            ++ready;
            while (ready.load() < n + 1)
                std::this_thread::yield();
            std::this_thread::sleep_for(20ms);  // in the middle of the burst
            *search_status =
                http_request(port(), "GET",
                             "/v1/hotels?city=" + city + "&check_in=" + lisbon_date(20) +
                                 "&check_out=" + lisbon_date(21))
                    .status;
        });
        for (auto& t : threads)
            t.join();
        std::map<int, int> tally;
        for (int st : statuses)
            ++tally[st];
        return tally;
    }
};

}  // namespace

TEST_F(BookingHardening, KeyedBurstOfFourTimesThePoolNeitherLocksUpNorStarvesSearch) {
    auto free_rooms = small_hotel(64);
    restart_with_defaults();
    const std::string card = "tok_visa_4242";
    json::object spread{{"hotel_id", free_rooms["hotel"]},
                        {"room_type_id", free_rooms["type"]},
                        {"rate_plan_id", free_rooms["plan"]},
                        {"check_in", lisbon_date(5)},
                        {"check_out", lisbon_date(7)},
                        {"guests", 1},
                        {"card_token", card}};
    int search = 0;
    auto tally = keyed_burst(64, spread, "spread-", "Lisbon", &search);
    EXPECT_EQ(tally[201], 64) << "64 free rooms, 64 keyed requests";
    EXPECT_EQ(search, 200) << "a public search during the burst";

    // All for one last room: one 201, the rest sold out; still no 503.
    auto one_room = small_hotel(1);
    json::object last = spread;
    last["hotel_id"] = one_room["hotel"];
    last["room_type_id"] = one_room["type"];
    last["rate_plan_id"] = one_room["plan"];
    tally = keyed_burst(64, last, "last-", "Lisbon", &search);
    EXPECT_EQ(tally[201], 1);
    EXPECT_EQ(tally[409], 63);
    EXPECT_EQ(search, 200);
    for (const auto& [status, n] : tally)
        EXPECT_TRUE(status == 201 || status == 409) << n << " answers of " << status;
    EXPECT_EQ(metric_value(port(), "hotel_db_pool_acquire_timeouts_total"), 0);
    EXPECT_EQ(overlapping_active(), 0);
}

namespace {

long long minor_of(const json::value& money) {
    const std::string a(money.at("amount").as_string());
    const auto dot = a.find('.');
    if (dot == std::string::npos)
        return std::stoll(a);
    return std::stoll(a.substr(0, dot)) * 100 + std::stoll(a.substr(dot + 1));
}

struct Ledger {
    std::string status;
    long long held = -1;
    long long captured = -1;
};

}  // namespace

class BookingFees : public BookingHardening {
  protected:
    Ledger ledger(const json::value& booking) {
        auto c = db_->connect();
        const std::string tx(booking.at("payment").at("transaction_id").as_string());
        auto rows = c.query(
            "SELECT status, amount_minor, coalesce(captured_minor, -1) FROM test_gateway_ledger "
            "WHERE transaction_id = $1",
            {tx});
        if (rows.size() != 1)
            return {};
        return {std::string(rows.text(0, 0)), std::stoll(std::string(rows.text(0, 1))),
                std::stoll(std::string(rows.text(0, 2)))};
    }
    HttpResponse put(const std::string& token, const std::string& id, const json::object& b) {
        return http_request(
            port(), "PUT", "/v1/bookings/" + id,
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}},
            json::serialize(b));
    }
    HttpResponse cancel(const std::string& token, const std::string& id) {
        return call(port(), "DELETE", "/v1/bookings/" + id, token);
    }
    // Another plan for the demo hotel's standard rooms, priced like FLEX for 60 days.
    std::string plan(const json::object& p) {
        auto made = call(port(), "POST", "/v1/hotels/" + lisbon_ + "/rate-plans", admin_,
                         json::serialize(p));
        EXPECT_EQ(made.status, 201) << made.body;
        const auto id = s(json_of(made).at("id"));
        auto rates = call(port(), "PUT", "/v1/hotels/" + lisbon_ + "/rates", admin_,
                          json::serialize(json::object{{"room_type_id", std_},
                                                       {"rate_plan_id", id},
                                                       {"from", lisbon_date(0)},
                                                       {"to", lisbon_date(60)},
                                                       {"price", "97.00"}}));
        EXPECT_EQ(rates.status, 200) << rates.body;
        return id;
    }
};

TEST_F(BookingFees, AGuestCannotChangeANonRefundableBookingButStaffCan) {
    const json::object card{{"card_token", "tok_visa_4242"}};
    auto made = book(guest_, body(30, 35, nrf_, card));
    ASSERT_EQ(made.status, 201) << made.body;
    const auto booking = json_of(made);
    const auto id = s(booking.at("id"));
    const auto before = call(port(), "GET", "/v1/bookings/" + id, guest_).body;

    // Shorter, then onto the flexible plan: both refused, nothing changes.
    auto shorter = put(guest_, id, {{"check_in", lisbon_date(30)}, {"check_out", lisbon_date(31)}});
    EXPECT_EQ(shorter.status, 409) << shorter.body;
    EXPECT_EQ(code_of(shorter), "modification_not_allowed");
    auto flexible = put(
        guest_, id,
        {{"check_in", lisbon_date(30)}, {"check_out", lisbon_date(35)}, {"rate_plan_id", flex_}});
    EXPECT_EQ(code_of(flexible), "modification_not_allowed");
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + id, guest_).body, before);

    // Cancelling costs the whole stay, as it would have at once.
    auto cancelled = cancel(guest_, id);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(minor_of(json_of(cancelled).at("cancellation_fee")), minor_of(booking.at("total")));

    // The hotel's staff may still change a non-refundable booking (the guest asked at the desk).
    auto other = json_of(book(guest_, body(30, 35, nrf_, card)));
    auto by_staff = put(admin_, s(other.at("id")),
                        {{"check_in", lisbon_date(30)}, {"check_out", lisbon_date(31)}});
    EXPECT_EQ(by_staff.status, 200) << by_staff.body;
}

TEST_F(BookingFees, MovingAFlexibleBookingOutOfItsPenaltyWindowKeepsTheAccruedFee) {
    // Arriving tomorrow: inside FLEX's 48 h, so cancelling now costs the first night.
    auto made = json_of(book(guest_, body(1, 3, flex_)));
    const auto id = s(made.at("id"));
    const auto first_night = minor_of(made.at("nightly").as_array()[0].at("amount"));
    auto moved = put(guest_, id, {{"check_in", lisbon_date(31)}, {"check_out", lisbon_date(32)}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(minor_of(json_of(moved).at("cancellation").at("minimum_fee")), first_night);
    auto cancelled = cancel(guest_, id);
    ASSERT_EQ(cancelled.status, 200);
    EXPECT_EQ(minor_of(json_of(cancelled).at("cancellation_fee")), first_night);

    // Outside the window, a change accrues nothing.
    auto early = json_of(book(guest_, body(20, 22, flex_)));
    auto moved_early = put(guest_, s(early.at("id")),
                           {{"check_in", lisbon_date(25)}, {"check_out", lisbon_date(26)}});
    ASSERT_EQ(moved_early.status, 200);
    EXPECT_EQ(minor_of(json_of(moved_early).at("cancellation").at("minimum_fee")), 0);
    EXPECT_EQ(minor_of(json_of(cancel(guest_, s(early.at("id")))).at("cancellation_fee")), 0);
}

// No sequence of guest actions ends with the guest paying less than cancelling at the first step
// would have cost. Each sequence books twins: one is cancelled at once (the direct fee), the
// other goes through random guest changes across plans, dates and penalty windows, then is
// cancelled. The card's hold follows the booking at every step and ends captured at exactly the
// fee, or voided.
TEST_F(BookingFees, PropertyNoSequenceOfChangesCostsLessThanCancellingAtOnce) {
    std::vector<std::string> plans{flex_, nrf_,
                                   plan({{"code", "FULL72"},
                                         {"name", "Full stay after 72 h"},
                                         {"refundable", true},
                                         {"free_cancellation_hours", 72},
                                         {"penalty", "full_stay"}}),
                                   plan({{"code", "HALF24"},
                                         {"name", "Half after 24 h"},
                                         {"refundable", true},
                                         {"free_cancellation_hours", 24},
                                         {"penalty", "percent:50"}})};
    const json::object card{{"card_token", "tok_visa_4242"}};
    const unsigned seed = 20261130;
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int arrivals[] = {0, 1, 2, 3, 4, 8, 12};
    int changed = 0, refused = 0;
    for (int seq = 0; seq < 30; ++seq) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", sequence " + std::to_string(seq));
        const int from = arrivals[pick(0, 6)];
        const auto start =
            body(from, from + pick(1, 4), plans[static_cast<std::size_t>(pick(0, 3))], card);
        auto a = book(guest_, start);
        auto b = book(guest_, start);
        ASSERT_EQ(a.status, 201) << a.body;
        ASSERT_EQ(b.status, 201) << b.body;
        auto direct = cancel(guest_, s(json_of(b).at("id")));
        ASSERT_EQ(direct.status, 200) << direct.body;
        const auto direct_fee = minor_of(json_of(direct).at("cancellation_fee"));

        const auto id = s(json_of(a).at("id"));
        auto current = json_of(a);
        for (int step = pick(0, 3); step > 0; --step) {
            const int f = pick(0, 14);
            json::object change{{"check_in", lisbon_date(f)},
                                {"check_out", lisbon_date(f + pick(1, 5))}};
            if (pick(0, 1) == 1)
                change["rate_plan_id"] = plans[static_cast<std::size_t>(pick(0, 3))];
            auto r = put(guest_, id, change);
            ASSERT_LT(r.status, 500) << r.body;
            if (r.status == 200) {
                ++changed;
                current = json_of(r);
                // The hold is what the guest could owe: the total, or the accrued fee if higher.
                const auto held = ledger(current);
                EXPECT_EQ(held.status, "authorized");
                EXPECT_EQ(held.held,
                          std::max(minor_of(current.at("total")),
                                   minor_of(current.at("cancellation").at("minimum_fee"))));
            } else {
                ++refused;
                EXPECT_TRUE(r.status == 409 || r.status == 422) << r.body;
            }
        }
        auto last = cancel(guest_, id);
        ASSERT_EQ(last.status, 200) << last.body;
        const auto fee = minor_of(json_of(last).at("cancellation_fee"));
        EXPECT_GE(fee, direct_fee) << "the changes lowered the fee";
        const auto settled = ledger(current);
        if (fee > 0) {
            EXPECT_EQ(settled.status, "captured");
            EXPECT_EQ(settled.captured, fee);
        } else {
            EXPECT_EQ(settled.status, "voided");
        }
    }
    // The sequences did exercise both outcomes.
    EXPECT_GT(changed, 5);
    EXPECT_GT(refused, 2);
    EXPECT_EQ(count("SELECT count(*) FROM test_gateway_ledger WHERE status = 'authorized'"), 0)
        << "no hold is left on a cancelled booking";
}

TEST_F(BookingFees, TheCardHoldFollowsTheBookingToTheMinorUnit) {
    const json::object card{{"card_token", "tok_visa_4242"}};
    auto made = book(guest_, body(20, 21, flex_, card));
    ASSERT_EQ(made.status, 201);
    auto booking = json_of(made);
    const auto id = s(booking.at("id"));
    EXPECT_EQ(ledger(booking).held, minor_of(booking.at("total")));
    EXPECT_EQ(ledger(booking).status, "authorized");

    // Up: six nights.
    auto up = put(guest_, id, {{"check_in", lisbon_date(20)}, {"check_out", lisbon_date(26)}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_GT(minor_of(json_of(up).at("total")), minor_of(booking.at("total")));
    EXPECT_EQ(ledger(booking).held, minor_of(json_of(up).at("total")));
    // Down: two nights.
    auto down = put(guest_, id, {{"check_in", lisbon_date(20)}, {"check_out", lisbon_date(22)}});
    ASSERT_EQ(down.status, 200) << down.body;
    EXPECT_EQ(ledger(booking).held, minor_of(json_of(down).at("total")));
    // Cancelled while free: the hold is released.
    ASSERT_EQ(cancel(guest_, id).status, 200);
    EXPECT_EQ(ledger(booking).status, "voided");

    // A card that declines increases: the change is refused with 402 and nothing moves.
    auto tight = json_of(book(guest_, body(20, 21, flex_, {{"card_token", "tok_tight_0341"}})));
    const auto tight_id = s(tight.at("id"));
    const auto before = call(port(), "GET", "/v1/bookings/" + tight_id, guest_).body;
    auto declined =
        put(guest_, tight_id, {{"check_in", lisbon_date(20)}, {"check_out", lisbon_date(25)}});
    EXPECT_EQ(declined.status, 402) << declined.body;
    EXPECT_EQ(code_of(declined), "payment_declined");
    EXPECT_EQ(call(port(), "GET", "/v1/bookings/" + tight_id, guest_).body, before);
    EXPECT_EQ(ledger(tight).held, minor_of(tight.at("total")));
    // Lowering it is never declined.
    auto shorter = put(
        guest_, tight_id,
        {{"check_in", lisbon_date(20)}, {"check_out", lisbon_date(21)}, {"rate_plan_id", nrf_}});
    ASSERT_EQ(shorter.status, 200) << shorter.body;
    EXPECT_EQ(ledger(tight).held, minor_of(json_of(shorter).at("total")));
    // Inside the penalty window, cancelling captures exactly the fee.
    auto late = json_of(book(guest_, body(1, 3, flex_, card)));
    auto late_cancel = json_of(cancel(guest_, s(late.at("id"))));
    EXPECT_EQ(ledger(late).status, "captured");
    EXPECT_EQ(ledger(late).captured, minor_of(late_cancel.at("cancellation_fee")));

    // Check-out captures the total.
    auto today = json_of(book(guest_, body(0, 1, flex_, card)));
    const auto path = "/v1/bookings/" + s(today.at("id"));
    ASSERT_EQ(call(port(), "POST", path + "/check-in", admin_).status, 200);
    ASSERT_EQ(call(port(), "POST", path + "/check-out", admin_).status, 200);
    EXPECT_EQ(ledger(today).status, "captured");
    EXPECT_EQ(ledger(today).captured, minor_of(today.at("total")));
}

TEST_F(BookingHardening, AGuestHoldsAtMostThreeCardlessBookingsByDefault) {
    restart_with_defaults();
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto r = book(guest_, body(10 + i, 11 + i, flex_));
        ASSERT_EQ(r.status, 201) << r.body;
        ids.push_back(s(json_of(r).at("id")));
    }
    auto fourth = book(guest_, body(20, 21, flex_));
    EXPECT_EQ(fourth.status, 409);
    EXPECT_EQ(code_of(fourth), "limit_reached");
    // With a card, or after cancelling one, the guest books again.
    EXPECT_EQ(book(guest_, body(20, 21, flex_, {{"card_token", "tok_visa_4242"}})).status, 201);
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + ids[0], guest_).status, 200);
    EXPECT_EQ(book(guest_, body(20, 21, flex_)).status, 201);
    EXPECT_EQ(book(guest_, body(22, 23, flex_)).status, 409);
    // Staff are exempt (walk-ins, phone bookings).
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(book(admin_, body(30 + i, 31 + i, flex_)).status, 201);

    // Counted atomically: ten at once from a new guest give exactly three.
    const auto eve = guest("eve@example.com");
    std::vector<int> statuses(10);
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i)
        threads.emplace_back([&, i] {
            statuses[static_cast<std::size_t>(i)] = book(eve, body(40, 41, flex_)).status;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 3);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), 7);
}

// Issue 12, first step: a booking without a key is written by one statement (one round trip,
// one commit); with a key, the same statement plus the key's record in one transaction.
TEST_F(BookingHardening, ABookingIsWrittenByOneStatement) {
    // pg_stat_statements counts every client: the webhook workers' rounds (numbering events,
    // leasing subscriptions) would be counted too, so this node runs none.
    server_.reset();
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000",
                                       "HOTEL_MAX_UNSECURED_BOOKINGS=100000",
                                       "HOTEL_WEBHOOK_WORKERS=0"});
    auto c = db_->connect();
    c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    auto writes = [&] {
        auto rows = c.query(
            "SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE '%book_stay(%'), 0), "
            "coalesce(sum(calls) FILTER (WHERE query ~* '^\\s*(INSERT|UPDATE|DELETE|SAVEPOINT|"
            "BEGIN|COMMIT)'), 0) "
            "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
            "WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat_statements%'");
        return std::pair{std::stoll(std::string(rows.text(0, 0))),
                         std::stoll(std::string(rows.text(0, 1)))};
    };
    // pg_stat_statements counts every client: let the search index finish reloading what the
    // set-up changed (its own connection, its own BEGIN/COMMIT) before counting. A booking
    // itself reloads nothing: the index applies its row from the change stream.
    // First the index must be live (its first load done): a node still loading quotes from SQL
    // and its loader's own statements would be counted.
    const auto live_by = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (http_request(port(), "GET", "/metrics").body.find("\nhotel_index_live 1\n") ==
               std::string::npos &&
           std::chrono::steady_clock::now() < live_by)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_NE(http_request(port(), "GET", "/metrics").body.find("\nhotel_index_live 1\n"),
              std::string::npos)
        << "the search index never went live";
    IndexSync sync(port(), admin_);
    ASSERT_TRUE(sync.wait());
    c.query("SELECT pg_stat_statements_reset()");
    ASSERT_EQ(book(guest_, body(10, 14, flex_)).status, 201);
    auto [calls, others] = writes();
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(others, 0) << "no other write, no explicit transaction";
    // Quoted from the search index: the hotel and its rates are not read on the request path
    // (book_stay checks the catalogue version instead).
    auto reads = c.query(
        "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d "
        "ON d.oid = s.dbid WHERE d.datname = current_database() "
        "AND (query ILIKE '%LEFT JOIN room_types t%' OR query ILIKE '%daily_rates%date BETWEEN%')");
    EXPECT_EQ(std::stoll(std::string(reads.text(0, 0))), 0);

    ASSERT_TRUE(sync.wait());
    c.query("SELECT pg_stat_statements_reset()");
    ASSERT_EQ(book(guest_, body(10, 14, flex_), {{"Idempotency-Key", "one-statement"}}).status,
              201);
    std::tie(calls, others) = writes();
    EXPECT_EQ(calls, 1);
    // The claim (INSERT), BEGIN, the key's completion (UPDATE), COMMIT; then, once the invoice
    // has its number (a step after commit, shared by concurrent bookings), the response body
    // (UPDATE).
    EXPECT_EQ(others, 5);
}
