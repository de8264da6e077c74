#pragma once
// New bookings placed together (sql::book_stays; docs/ARCHITECTURE.md "Bookings in batches").
//
// A booking without an Idempotency-Key is one call of book_stay in autocommit: one statement,
// one commit. Under load most of a booking's cost at the database is per statement and per
// commit, not per row, so BookingBatcher sends the bookings that arrive while earlier ones are
// at the database together, in one statement calling book_stay for each (sql::book_stays): one
// round trip and one commit for all of them, each with its own outcome, exactly as book_stay
// would have answered it had they come one after another.
// Nothing waits for a batch to fill: when fewer than `in_flight` batches are at the database, a
// booking leaves at once (alone, as before, when the node is quiet); the others queue for the
// next one. If the database refuses a batch (any error it reports: the statement wrote nothing),
// each of its bookings is placed alone, so one booking's failure is never another's. If the
// connection breaks instead, the batch's outcome is unknown and each booking fails as a lone
// booking would.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "pg/pool.hpp"
#include "pg/types.hpp"

namespace hotel::storage {

// What placing one booking answered: a row of sql::book_stay, or of sql::book_stays.
struct PlacedStay {
    std::string outcome;  // booked, sold_out, stale, retired or limit_reached
    std::string booking;  // the rest: when booked
    std::string room;
    std::string room_number;
    std::string invoice;
    pg::Timestamp created{};
    std::int64_t invoice_total = 0;
};

// The answer in `row` of a result of sql::book_stay or sql::book_stays.
PlacedStay placed_stay(const pg::Rows& rows, int row);

class BookingBatcher : public std::enable_shared_from_this<BookingBatcher> {
  public:
    // max_batch: the most bookings in one statement (1: every booking alone, with book_stay).
    // in_flight: the most batches at the database at once. Batches run on `executor`.
    static std::shared_ptr<BookingBatcher> create(std::shared_ptr<pg::Pool> pool,
                                                  boost::asio::any_io_executor executor,
                                                  std::size_t max_batch, std::size_t in_flight);

    // Places one new booking, given as sql::book_stay's arguments in their order, in autocommit
    // (alone or in a batch) and answers its outcome. Throws pg::Error as a lone booking's
    // statement would.
    boost::asio::awaitable<PlacedStay> place(pg::Params book_stay_args);

    // Batch statements run, the bookings they carried, and batches the database refused (their
    // bookings then went alone), since start (for /metrics).
    std::tuple<long long, long long, long long> counts() const;

  private:
    struct Waiter;
    BookingBatcher(std::shared_ptr<pg::Pool> pool, boost::asio::any_io_executor executor,
                   std::size_t max_batch, std::size_t in_flight);
    boost::asio::awaitable<PlacedStay> alone(pg::Params args);
    boost::asio::awaitable<void> run_batches();
    boost::asio::awaitable<void> run_batch(std::vector<std::shared_ptr<Waiter>> batch);

    std::shared_ptr<pg::Pool> pool_;
    boost::asio::any_io_executor executor_;
    std::size_t max_batch_;
    std::size_t in_flight_;
    mutable std::mutex mutex_;
    std::deque<std::shared_ptr<Waiter>> queued_;
    std::size_t running_ = 0;  // batch loops at work
    long long batches_ = 0;
    long long batched_ = 0;
    long long refused_ = 0;
};

}  // namespace hotel::storage
