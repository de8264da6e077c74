// Invoice numbers given after commit (migration 0011, storage/invoice_numbering.cpp): a
// booking no longer waits for its hotel's counter row, and yet every hotel's series stays
// gapless, unique and in issue order; a number is never shown empty, even for a booking whose
// server died between its commit and its numbering step.

#include <gtest/gtest.h>

#include <csignal>
#include <future>
#include <set>

#include "booking_fixture.hpp"

namespace hotel::test {
namespace {

using namespace std::chrono_literals;

class InvoiceNumbering : public Bookings {
  protected:
    // Holds the hotel's invoice counter row (FOR UPDATE) on a connection of its own until
    // release(): the numbering step cannot finish while it is held.
    struct CounterHold {
        CounterHold(TestDatabase& db, const std::string& hotel) : c(db.connect()) {
            c.query("BEGIN");
            auto rows = c.query(
                "SELECT last_number FROM invoice_counters WHERE hotel_id = $1::uuid "
                "FOR UPDATE",
                {hotel});
            held = rows.size() == 1;
        }
        void release() { c.query("COMMIT"); }
        // Ends the numbering step left waiting for the counter by a killed server (its backend
        // would otherwise go on and number the invoice once the hold is released).
        void end_orphaned_step() {
            c.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND query ILIKE '%number_pending_invoices%'");
        }
        pg::BlockingConnection c;
        bool held = false;
    };

    // A one-guest stay at a small_hotel() from `from` to `to` days ahead.
    static json::object stay(const std::map<std::string, std::string>& h, int from, int to) {
        return json::object{{"hotel_id", h.at("hotel")},    {"room_type_id", h.at("type")},
                            {"rate_plan_id", h.at("plan")}, {"check_in", lisbon_date(from)},
                            {"check_out", lisbon_date(to)}, {"guests", 1}};
    }
    // A booking sent on a thread of its own; status -1 when the connection breaks (the server
    // was killed while the request waited).
    std::future<HttpResponse> book_in_background(
        json::object b, std::vector<std::pair<std::string, std::string>> headers = {}) {
        return std::async(std::launch::async, [this, b = std::move(b), headers] {
            try {
                return book(guest_, b, headers);
            } catch (const std::exception&) {
                HttpResponse broken;
                broken.status = -1;
                return broken;
            }
        });
    }

    // One count.
    long long number_of(pg::Sql sql, const std::string& param) {
        auto c = db_->connect();
        return std::stoll(std::string(c.query(sql, {param}).text(0, 0)));
    }
    // Polls `sql` (one count, $1 = `param`) until it reaches `want`, for at most `within`.
    bool eventually(pg::Sql sql, const std::string& param, long long want,
                    std::chrono::milliseconds within) {
        const auto until = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < until) {
            if (number_of(sql, param) == want)
                return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    // The hotel's invoice numbers in issue order; every one numbered, 1..n without a gap.
    void expect_gapless(const std::string& hotel) {
        auto c = db_->connect();
        auto rows = c.query(
            "SELECT number, issued_at FROM invoices WHERE hotel_id = $1::uuid "
            "ORDER BY issued_at, number",
            {hotel});
        ASSERT_GT(rows.size(), 0);
        for (int i = 0; i < rows.size(); ++i) {
            ASSERT_FALSE(rows.is_null(i, 0)) << "an invoice left unnumbered";
            EXPECT_EQ(std::stoll(std::string(rows.text(i, 0))), i + 1)
                << "numbers run 1, 2, 3... in the order the invoices were issued";
        }
    }
};

TEST_F(InvoiceNumbering, ConcurrentBookingsChangesAndCancellationsKeepTheSeriesGapless) {
    const auto h = small_hotel(24, true);
    // 30 at once for 24 rooms (half of them keyed), arriving tomorrow: a cancellation costs
    // the first night, so each one issues a fee invoice.
    constexpr int kRequests = 30;
    std::vector<HttpResponse> answers(kRequests);
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < kRequests; ++i)
            threads.emplace_back([&, i] {
                std::vector<std::pair<std::string, std::string>> headers;
                if (i % 2 == 0)
                    headers.emplace_back("Idempotency-Key", "gapless-" + std::to_string(i));
                answers[static_cast<std::size_t>(i)] = book(guest_, stay(h, 1, 3), headers);
            });
        for (auto& t : threads)
            t.join();
    }
    std::vector<std::string> booked;
    std::set<long long> numbers;
    for (const auto& r : answers) {
        if (r.status != 201) {
            EXPECT_EQ(code_of(r), "sold_out") << r.body;
            continue;
        }
        const auto j = json_of(r);
        booked.push_back(s(j.at("id")));
        EXPECT_TRUE(numbers.insert(j.at("invoice").at("number").as_int64()).second)
            << "each 201 carries a number of its own";
    }
    ASSERT_EQ(booked.size(), 24u);
    EXPECT_EQ(*numbers.begin(), 1);
    EXPECT_EQ(*numbers.rbegin(), 24);

    // A replay answers the same number; a later read shows it too.
    const auto replay = book(guest_, stay(h, 1, 3), {{"Idempotency-Key", "gapless-0"}});
    if (answers[0].status == 201) {
        EXPECT_EQ(replay.body, answers[0].body);
    }

    // Then, at once: 8 cancellations (a fee invoice each) and 8 shorter stays (a new invoice
    // each).
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < 16; ++i)
            threads.emplace_back([&, i] {
                const auto path = "/v1/bookings/" + booked[static_cast<std::size_t>(i)];
                if (i < 8) {
                    auto r = call(port(), "DELETE", path, guest_);
                    EXPECT_EQ(r.status, 200) << r.body;
                    EXPECT_EQ(s(json_of(r).at("invoice").at("status")), "issued");
                    return;
                }
                auto r = http_request(
                    port(), "PUT", path,
                    {{"Authorization", "Bearer " + guest_}, {"Content-Type", "application/json"}},
                    json::serialize(
                        json::object{{"check_in", lisbon_date(1)}, {"check_out", lisbon_date(2)}}));
                EXPECT_EQ(r.status, 200) << r.body;
                EXPECT_GT(json_of(r).at("invoice").at("number").as_int64(), 24);
            });
        for (auto& t : threads)
            t.join();
    }
    expect_gapless(h.at("hotel"));
    // Each change credits the invoice it replaces (a credit note, numbered in the same series).
    EXPECT_EQ(number_of("SELECT count(*) FROM invoices WHERE hotel_id = $1::uuid", h.at("hotel")),
              24 + 16 + 16);
    // Every night, event, invoice and line belongs to a booking (or invoice) that exists: since
    // migration 0012 the code that writes them guarantees it, not a foreign key.
    EXPECT_EQ(count("SELECT (SELECT count(*) FROM booking_nights n WHERE NOT EXISTS (SELECT 1 "
                    "FROM bookings b WHERE b.hotel_id = n.hotel_id AND b.id = n.booking_id)) + "
                    "(SELECT count(*) FROM booking_events e WHERE NOT EXISTS (SELECT 1 FROM "
                    "bookings b WHERE b.hotel_id = e.hotel_id AND b.id = e.booking_id)) + "
                    "(SELECT count(*) FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM bookings b "
                    "WHERE b.hotel_id = i.hotel_id AND b.id = i.booking_id)) + "
                    "(SELECT count(*) FROM invoice_lines l WHERE NOT EXISTS (SELECT 1 FROM "
                    "invoices i WHERE i.hotel_id = l.hotel_id AND i.id = l.invoice_id))"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM booking_nights n JOIN bookings b ON b.hotel_id = "
                    "n.hotel_id AND b.id = n.booking_id WHERE n.night < b.check_in OR n.night >= "
                    "b.check_out"),
              0)
        << "a changed stay keeps only its own nights";
    // This node numbered all 56 (in fewer steps, when bookings overlapped), and says so.
    const auto metrics = http_request(port(), "GET", "/metrics").body;
    const auto at = metrics.find("\nhotel_invoices_numbered_total ");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(std::stoll(metrics.substr(at + 31)), 56);
    EXPECT_NE(metrics.find("\nhotel_invoice_numbering_steps_total "), std::string::npos);
    // What a booking shows is its current invoice, numbered.
    auto shown = json_of(call(port(), "GET", "/v1/bookings/" + booked[0], guest_));
    auto c = db_->connect();
    auto latest = c.query(
        "SELECT number FROM invoices WHERE booking_id = $1::uuid ORDER BY number DESC LIMIT 1",
        {booked[0]});
    EXPECT_EQ(shown.at("invoice").at("number").as_int64(),
              std::stoll(std::string(latest.text(0, 0))));
}

TEST_F(InvoiceNumbering, ABookingCommitsWithoutWaitingForItsHotelsCounter) {
    const auto h = small_hotel(3);
    ASSERT_EQ(book(guest_, stay(h, 5, 6)).status, 201);  // the counter row exists from here on
    CounterHold hold(*db_, h.at("hotel"));
    ASSERT_TRUE(hold.held);
    auto pending = book_in_background(stay(h, 6, 7));
    // The booking is committed (its room is taken, its invoice written) while the counter is
    // held: a hotel's bookings do not queue on that row.
    EXPECT_TRUE(
        eventually("SELECT count(*) FROM bookings WHERE hotel_id = $1::uuid", h.at("hotel"), 2, 5s))
        << "the booking waited for the counter row";
    EXPECT_EQ(
        number_of("SELECT count(*) FROM invoices WHERE hotel_id = $1::uuid AND number IS NULL",
                  h.at("hotel")),
        1);
    hold.release();
    auto r = pending.get();
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(json_of(r).at("invoice").at("number").as_int64(), 2);
    expect_gapless(h.at("hotel"));
}

TEST_F(InvoiceNumbering, ABookingWhoseServerDiedBeforeItsNumberGetsOneAndItsReplayShowsIt) {
    const auto h = small_hotel(3);
    const auto b = stay(h, 7, 9);
    ASSERT_EQ(book(guest_, stay(h, 3, 4)).status, 201);
    CounterHold hold(*db_, h.at("hotel"));
    ASSERT_TRUE(hold.held);
    // The request commits its booking and completes its key, then waits for the number; the
    // server is killed there.
    auto lost = book_in_background(b, {{"Idempotency-Key", "died-waiting"}});
    ASSERT_TRUE(
        eventually("SELECT count(*) FROM idempotency_keys WHERE key = $1 "
                   "AND response_status = 201 AND response_body IS NULL",
                   "died-waiting", 1, 5s));
    server_->process().signal(SIGKILL);
    EXPECT_NE(lost.get().status, 201);
    hold.end_orphaned_step();
    hold.release();
    EXPECT_EQ(count("SELECT count(*) FROM invoices WHERE number IS NULL"), 1);

    // A new server: the replay answers the booking with its number, and the same body again.
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
    auto replay = book(guest_, b, {{"Idempotency-Key", "died-waiting"}});
    ASSERT_EQ(replay.status, 201) << replay.body;
    const auto j = json_of(replay);
    EXPECT_EQ(j.at("invoice").at("number").as_int64(), 2);
    EXPECT_EQ(s(j.at("check_in")), lisbon_date(7));
    auto again = book(guest_, b, {{"Idempotency-Key", "died-waiting"}});
    EXPECT_EQ(again.body, replay.body);
    auto read = json_of(call(port(), "GET", "/v1/bookings/" + s(j.at("id")), guest_));
    EXPECT_EQ(read.at("invoice").at("number").as_int64(), 2);
    expect_gapless(h.at("hotel"));
}

TEST_F(InvoiceNumbering, InvoicesLeftUnnumberedAreSweptByTheNextServer) {
    const auto h = small_hotel(3);
    ASSERT_EQ(book(guest_, stay(h, 2, 3)).status, 201);
    CounterHold hold(*db_, h.at("hotel"));
    ASSERT_TRUE(hold.held);
    auto lost = book_in_background(stay(h, 3, 4));
    ASSERT_TRUE(eventually("SELECT count(*) FROM bookings WHERE hotel_id = $1::uuid", h.at("hotel"),
                           2, 5s));
    server_->process().signal(SIGKILL);
    EXPECT_NE(lost.get().status, 201);
    hold.end_orphaned_step();
    hold.release();
    // Nobody reads that booking; the next server numbers it on its own, soon after it starts.
    EXPECT_EQ(
        number_of("SELECT count(*) FROM invoices WHERE number IS NULL AND hotel_id = $1::uuid",
                  h.at("hotel")),
        1);
    server_ = std::make_unique<Hoteld>(*db_);
    EXPECT_TRUE(
        eventually("SELECT count(*) FROM invoices WHERE number IS NULL AND hotel_id = $1::uuid",
                   h.at("hotel"), 0, 10s));
    expect_gapless(h.at("hotel"));
}

}  // namespace
}  // namespace hotel::test
