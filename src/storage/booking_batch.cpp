#include "storage/booking_batch.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>

#include "pg/error.hpp"
#include "pg/rows.hpp"
#include "storage/booking_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {

// book_stay's p_guest, in its argument list.
constexpr std::size_t kGuestArgument = 3;

// book_stays' arguments: for each of book_stay's, an array of the batch's values (a value that is
// itself an array, such as the nights, goes as its array literal; sql::book_stays casts it back).
pg::Params book_stays_params(const std::vector<const pg::Params*>& batch) {
    std::vector<std::vector<std::optional<std::string>>> columns(batch.front()->size());
    for (const auto* args : batch)
        for (std::size_t j = 0; j < columns.size(); ++j)
            columns[j].push_back((*args)[j]);
    pg::Params params;
    for (const auto& column : columns)
        params.push_back(pg::to_param(column));
    return params;
}

}  // namespace

PlacedStay placed_stay(const pg::Rows& rows, int row) {
    PlacedStay p;
    p.outcome = rows.get_as<std::string>(row, rows.column("o_outcome"));
    if (p.outcome != "booked")
        return p;
    p.booking = rows.get_as<pg::Uuid>(row, rows.column("o_booking")).text;
    p.room = rows.get_as<pg::Uuid>(row, rows.column("o_room")).text;
    p.room_number = rows.get_as<std::string>(row, rows.column("o_room_number"));
    p.invoice = rows.get_as<pg::Uuid>(row, rows.column("o_invoice")).text;
    p.created = rows.get_as<pg::Timestamp>(row, rows.column("o_created"));
    p.invoice_total = rows.get_as<std::int64_t>(row, rows.column("o_invoice_total"));
    return p;
}

// A booking waiting for its batch: the batch sends it its outcome, or the failure; an empty
// outcome tells it to place itself alone (the database refused the batch).
struct BookingBatcher::Waiter {
    Waiter(asio::any_io_executor ex, pg::Params args) : args(std::move(args)), done(ex, 1) {}
    pg::Params args;  // book_stay's
    asio::experimental::concurrent_channel<void(std::exception_ptr, PlacedStay)> done;
};

std::shared_ptr<BookingBatcher> BookingBatcher::create(std::shared_ptr<pg::Pool> pool,
                                                       asio::any_io_executor executor,
                                                       std::size_t max_batch,
                                                       std::size_t in_flight) {
    return std::shared_ptr<BookingBatcher>(
        new BookingBatcher(std::move(pool), std::move(executor), max_batch, in_flight));
}

BookingBatcher::BookingBatcher(std::shared_ptr<pg::Pool> pool, asio::any_io_executor executor,
                               std::size_t max_batch, std::size_t in_flight)
    : pool_(std::move(pool)),
      executor_(std::move(executor)),
      max_batch_(std::max<std::size_t>(max_batch, 1)),
      in_flight_(std::max<std::size_t>(in_flight, 1)) {}

asio::awaitable<PlacedStay> BookingBatcher::alone(pg::Params args) {
    auto rows = co_await pool_->query_params(sql::book_stay, std::move(args));
    co_return placed_stay(rows, 0);
}

asio::awaitable<PlacedStay> BookingBatcher::place(pg::Params book_stay_args) {
    if (max_batch_ == 1)
        co_return co_await alone(std::move(book_stay_args));
    auto executor = co_await asio::this_coro::executor;
    auto waiter = std::make_shared<Waiter>(executor, std::move(book_stay_args));
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        queued_.push_back(waiter);
        if (running_ < in_flight_) {
            ++running_;
            start = true;
        }
    }
    if (start)
        asio::co_spawn(executor_, run_batches(), asio::detached);
    PlacedStay placed = co_await waiter->done.async_receive(asio::use_awaitable);
    if (placed.outcome.empty())
        co_return co_await alone(std::move(waiter->args));
    co_return placed;
}

asio::awaitable<void> BookingBatcher::run_batches() {
    auto self = shared_from_this();
    for (;;) {
        std::vector<std::shared_ptr<Waiter>> batch;
        {
            std::lock_guard lock(mutex_);
            if (queued_.empty()) {
                --running_;
                co_return;
            }
            while (!queued_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queued_.front()));
                queued_.pop_front();
            }
        }
        co_await run_batch(std::move(batch));
    }
}

asio::awaitable<void> BookingBatcher::run_batch(std::vector<std::shared_ptr<Waiter>> batch) {
    if (batch.size() == 1) {
        std::exception_ptr failure;
        PlacedStay placed;
        try {
            placed = co_await alone(std::move(batch.front()->args));
        } catch (...) {
            failure = std::current_exception();
        }
        batch.front()->done.try_send(failure, std::move(placed));
        co_return;
    }
    // The guests' rows that the cap on card-less stays locks are locked in one order by every
    // batch, so that two batches never wait for each other.
    std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
        return a->args[kGuestArgument] < b->args[kGuestArgument];
    });
    std::vector<const pg::Params*> args;
    for (const auto& w : batch)
        args.push_back(&w->args);
    std::exception_ptr failure;
    std::vector<PlacedStay> placed(batch.size());
    bool refused = false;
    try {
        auto params = book_stays_params(args);
        auto rows = co_await pool_->query_params(sql::book_stays, std::move(params));
        if (rows.size() != static_cast<int>(batch.size()))
            throw pg::Error(pg::ErrorKind::other, "book_stays answered " +
                                                      std::to_string(rows.size()) + " rows for " +
                                                      std::to_string(batch.size()) + " bookings");
        const int ord = rows.column("o_ord");
        for (int i = 0; i < rows.size(); ++i) {
            const auto k = rows.get_as<std::int32_t>(i, ord);
            if (k < 1 || k > static_cast<std::int32_t>(batch.size()))
                throw pg::Error(pg::ErrorKind::other, "book_stays answered an unknown ordinal");
            placed[static_cast<std::size_t>(k - 1)] = placed_stay(rows, i);
        }
        std::lock_guard lock(mutex_);
        ++batches_;
        batched_ += static_cast<long long>(batch.size());
    } catch (const pg::Error& e) {
        // The database reported an error: the statement wrote nothing. Without a report (the
        // connection broke), it may have committed: no booking may be placed a second time.
        if (!e.sqlstate().empty()) {
            refused = true;
            std::lock_guard lock(mutex_);
            ++refused_;
        } else
            failure = std::current_exception();
    } catch (...) {
        failure = std::current_exception();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (refused)
            batch[i]->done.try_send(std::exception_ptr{}, PlacedStay{});
        else
            batch[i]->done.try_send(failure, failure ? PlacedStay{} : std::move(placed[i]));
    }
}

std::tuple<long long, long long, long long> BookingBatcher::counts() const {
    std::lock_guard lock(mutex_);
    return {batches_, batched_, refused_};
}

}  // namespace hotel::storage
