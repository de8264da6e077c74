// New bookings placed in batches (storage/booking_batch.cpp, sql::book_stays): bookings that
// arrive while earlier ones are at the database share one statement and one commit, and each
// still gets exactly the outcome it would have had alone: its own room or sold_out, the cap on
// card-less stays counted over the bookings placed before it, and a booking the database refuses
// fails alone, never its batch.

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <mutex>
#include <thread>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

using namespace std::chrono_literals;

long long metric(unsigned short port, const std::string& name) {
    auto r = http_request(port, "GET", "/metrics");
    const std::string needle = "\n" + name + " ";
    const auto at = r.body.find(needle);
    if (at == std::string::npos)
        return -1;
    return std::stoll(r.body.substr(at + needle.size()));
}

class BookingBatches : public Bookings {
  protected:
    // hoteld placing new bookings in batches of up to 16, one batch at the database at a time,
    // so that concurrent bookings queue and leave together.
    void restart(std::vector<std::string> env) {
        server_.reset();
        env.push_back("HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000");
        env.push_back("HOTEL_BOOKING_BATCH=16");
        env.push_back("HOTEL_BOOKING_BATCHES=1");
        server_ = std::make_unique<Hoteld>(*db_, env);
    }
    static json::object stay(const std::map<std::string, std::string>& h, int from, int to,
                             json::object extra = {}) {
        json::object b{{"hotel_id", h.at("hotel")},    {"room_type_id", h.at("type")},
                       {"rate_plan_id", h.at("plan")}, {"check_in", lisbon_date(from)},
                       {"check_out", lisbon_date(to)}, {"guests", 1}};
        for (auto& kv : extra)
            b[kv.key()] = kv.value();
        return b;
    }
    long long of_hotel(pg::Sql sql, const std::string& hotel) {
        auto c = db_->connect();
        return std::stoll(std::string(c.query(sql, {hotel}).text(0, 0)));
    }
};

TEST_F(BookingBatches, ConcurrentBookingsShareStatementsAndEachGetsItsOwnRoomOrSoldOut) {
    restart({"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    const auto h = small_hotel(5);
    std::vector<std::string> codes, bodies;
    auto tally = storm(40, stay(h, 10, 12), &codes, {}, &bodies);
    EXPECT_EQ(tally[201], 5);
    EXPECT_EQ(tally[409], 35);
    EXPECT_EQ(tally.size(), 2u) << "only 201 and 409";
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        if (codes[i].empty()) {  // a 201
            EXPECT_GT(json::parse(bodies[i]).at("invoice").at("number").as_int64(), 0) << bodies[i];
        }
    }
    EXPECT_EQ(overlapping_active(), 0);
    // Each booking whole: its nights, event, invoice and lines; nothing of the refused ones.
    const auto& hotel = h.at("hotel");
    EXPECT_EQ(
        of_hotel("SELECT count(DISTINCT room_id) FROM bookings WHERE hotel_id = $1::uuid", hotel),
        5)
        << "each booked its own room";
    EXPECT_EQ(of_hotel("SELECT count(*) FROM bookings WHERE hotel_id = $1::uuid", hotel), 5);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM booking_nights WHERE hotel_id = $1::uuid", hotel), 10);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM booking_events WHERE hotel_id = $1::uuid "
                       "AND type = 'booking.created'",
                       hotel),
              5);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM invoices WHERE hotel_id = $1::uuid "
                       "AND number IS NOT NULL",
                       hotel),
              5);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM invoice_lines WHERE hotel_id = $1::uuid", hotel), 10);
    // And they did go together.
    EXPECT_GE(metric(port(), "hotel_booking_batches_total"), 1);
    EXPECT_GE(metric(port(), "hotel_booking_batched_total"), 2);
}

TEST_F(BookingBatches, TheCapOnCardLessStaysCountsTheBookingsBeforeItInItsBatch) {
    restart({"HOTEL_MAX_UNSECURED_BOOKINGS=3"});
    const auto h = small_hotel(20);
    std::vector<std::string> codes;
    auto tally = storm(16, stay(h, 10, 11), &codes);
    EXPECT_EQ(tally[201], 3);
    EXPECT_EQ(tally[409], 13);
    for (const auto& c : codes)
        EXPECT_TRUE(c.empty() || c == "limit_reached") << c;
    EXPECT_EQ(of_hotel("SELECT count(*) FROM bookings WHERE hotel_id = $1::uuid", h.at("hotel")),
              3);
    EXPECT_GE(metric(port(), "hotel_booking_batched_total"), 2);
}

TEST_F(BookingBatches, ABookingTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsPlaced) {
    restart({"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    const auto h = small_hotel(20);
    {
        // One booking holds the only batch slot for a while ("slow"); one is refused by the
        // database ("refuse").
        auto c = db_->connect();
        c.run_script(
            "CREATE FUNCTION test_batch_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.special_requests = 'slow' THEN PERFORM pg_sleep(0.5); END IF; "
            "IF NEW.special_requests = 'refuse' THEN RAISE EXCEPTION 'injected fault'; END IF; "
            "RETURN NEW; END $$;"
            "CREATE TRIGGER test_batch_fault BEFORE INSERT ON bookings FOR EACH ROW EXECUTE "
            "FUNCTION test_batch_fault();");
    }
    const auto batched_before = metric(port(), "hotel_booking_batched_total");
    auto slow = std::async(std::launch::async, [&] {
        return book(guest_, stay(h, 5, 6, {{"special_requests", "slow"}})).status;
    });
    std::this_thread::sleep_for(150ms);
    // These queue behind the slow one and leave in one batch, the refused one among them.
    constexpr int n = 12;
    std::vector<std::future<HttpResponse>> sent;
    for (int i = 0; i < n; ++i) {
        json::object extra;
        if (i == n / 2)
            extra["special_requests"] = "refuse";
        sent.push_back(std::async(std::launch::async, [this, &h, i, extra] {
            return book(guest_, stay(h, 10 + i, 12 + i, extra));
        }));
    }
    int placed = 0;
    for (int i = 0; i < n; ++i) {
        auto r = sent[static_cast<std::size_t>(i)].get();
        if (i == n / 2) {
            EXPECT_EQ(r.status, 500) << r.body;
            EXPECT_EQ(r.body.find("injected"), std::string::npos) << "no database text leaks";
        } else {
            EXPECT_EQ(r.status, 201) << r.body;
            placed += r.status == 201;
        }
    }
    EXPECT_EQ(slow.get(), 201);
    EXPECT_EQ(placed, n - 1);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM bookings WHERE hotel_id = $1::uuid", h.at("hotel")),
              n);
    EXPECT_EQ(of_hotel("SELECT count(*) FROM invoices WHERE hotel_id = $1::uuid", h.at("hotel")),
              n);
    // The batch was tried (and refused) before its bookings went alone.
    EXPECT_GE(metric(port(), "hotel_booking_batches_refused_total"), 1);
    EXPECT_EQ(metric(port(), "hotel_booking_batched_total"), batched_before);
}

TEST_F(BookingBatches, KillNineMidBatchesLosesNoAnsweredBookingAndHalvesNone) {
    restart({"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    const auto h = small_hotel(10);
    // 8 guests' threads book short stays without a key until the server dies under them.
    std::mutex mu;
    std::vector<std::string> answered;  // the ids of every 201
    std::atomic<int> sent{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                const int from = 1 + (t * 40 + i) % 50;
                ++sent;
                HttpResponse r;
                try {
                    r = book(guest_, stay(h, from, from + 1 + i % 3));
                } catch (const std::exception&) {
                    return;  // the server is gone
                }
                if (r.status == 201) {
                    std::lock_guard lock(mu);
                    answered.push_back(s(json::parse(r.body).at("id")));
                } else if (r.status != 409) {
                    return;  // answered as it died
                }
            }
        });
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (sent.load() < 80 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(5ms);
    const auto batched = metric(port(), "hotel_booking_batched_total");
    server_->process().signal(SIGKILL);
    EXPECT_GE(batched, 2) << "bookings went in batches before the kill";
    for (auto& t : threads)
        t.join();
    ASSERT_GE(answered.size(), 1u);
    // Every answered booking is there, whole; no booking is there without its rows.
    auto c = db_->connect();
    for (const auto& id : answered) {
        auto rows = c.query(
            "SELECT (SELECT count(*) FROM bookings WHERE id = $1::uuid), "
            "       (SELECT count(*) FROM invoices WHERE booking_id = $1::uuid)",
            {id});
        EXPECT_EQ(rows.text(0, 0), "1") << id;
        EXPECT_EQ(rows.text(0, 1), "1") << id;
    }
    const auto& hotel = h.at("hotel");
    EXPECT_EQ(of_hotel("SELECT count(*) FROM bookings b WHERE hotel_id = $1::uuid AND ("
                       "NOT EXISTS (SELECT 1 FROM invoices i WHERE i.booking_id = b.id) OR "
                       "NOT EXISTS (SELECT 1 FROM booking_nights n WHERE n.booking_id = b.id) OR "
                       "NOT EXISTS (SELECT 1 FROM booking_events e WHERE e.booking_id = b.id))",
                       hotel),
              0);
    EXPECT_EQ(overlapping_active(), 0);
    // A server started again books on.
    restart({"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    EXPECT_EQ(book(guest_, stay(h, 55, 56)).status, 201);
}

TEST_F(BookingBatches, OneBookingPerStatementByDefault) {
    server_.reset();
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000",
                                       "HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    const auto h = small_hotel(3);
    auto tally = storm(12, stay(h, 10, 12));
    EXPECT_EQ(tally[201], 3);
    EXPECT_EQ(tally[409], 9);
    EXPECT_EQ(metric(port(), "hotel_booking_batches_total"), 0);
    EXPECT_EQ(overlapping_active(), 0);
}

}  // namespace
}  // namespace hotel::test
