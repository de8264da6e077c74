#include "storage/booking_batch.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "core/booking.hpp"
#include "pg/error.hpp"
#include "pg/rows.hpp"
#include "storage/booking_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {

pg::Timestamp ts(core::Instant t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}
std::optional<pg::Timestamp> ts(const std::optional<core::Instant>& t) {
    return t ? std::optional<pg::Timestamp>(ts(*t)) : std::nullopt;
}
std::optional<pg::Uuid> uuid_or_null(const std::string& id) {
    return id.empty() ? std::nullopt : std::optional<pg::Uuid>(pg::Uuid{id});
}
std::optional<std::string> text_or_null(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}
std::optional<std::int32_t> int_or_null(const std::optional<int>& v) {
    return v ? std::optional<std::int32_t>(*v) : std::nullopt;
}
std::optional<std::int64_t> int_or_null(const std::optional<long long>& v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

// What book_stay takes as arrays for one booking: its nights, its plan's inclusions, and its
// invoice's item lines (core::night_lines).
struct StayArrays {
    explicit StayArrays(const core::NewBooking& nb) {
        for (const auto& n : nb.nightly) {
            nights.push_back(n.date);
            amounts.push_back(n.amount.minor);
        }
        for (const auto& inc : nb.inclusions) {
            inclusion_names.push_back(inc.name);
            inclusion_amounts.push_back(inc.amount_minor);
        }
        for (auto& l : core::night_lines(nb.nightly, nb.inclusions)) {
            line_texts.push_back(std::move(l.description));
            line_dates.push_back(l.date);
            line_amounts.push_back(l.amount.minor);
        }
    }
    std::vector<core::Date> nights;
    std::vector<std::int64_t> amounts;
    std::vector<std::string> inclusion_names;
    std::vector<std::int64_t> inclusion_amounts;
    std::vector<std::string> line_texts;
    std::vector<std::optional<core::Date>> line_dates;
    std::vector<std::int64_t> line_amounts;
};

// book_stays' arguments: book_stay's, an array element per booking; its arrays as one array
// literal per booking.
pg::Params book_stays_params(const std::vector<const core::NewBooking*>& batch) {
    std::vector<pg::Uuid> hotel, type, plan, actor;
    std::vector<std::optional<pg::Uuid>> guest;
    std::vector<std::optional<std::string>> guest_name, card_last4, transaction, special,
        guest_email, guest_phone, nights, amounts, inclusion_names, inclusion_amounts, line_texts,
        line_dates, line_amounts;
    std::vector<std::int32_t> guests;
    std::vector<core::Date> check_in, check_out;
    std::vector<pg::Timestamp> starts, ends;
    std::vector<std::string> currency, penalty;
    std::vector<std::int64_t> total;
    std::vector<std::optional<pg::Timestamp>> free_until;
    std::vector<std::optional<std::int32_t>> unsecured_limit;
    std::vector<std::optional<std::int64_t>> catalogue_version;
    for (const auto* nb : batch) {
        hotel.push_back(pg::Uuid{nb->hotel_id});
        type.push_back(pg::Uuid{nb->room_type_id});
        plan.push_back(pg::Uuid{nb->rate_plan_id});
        guest.push_back(uuid_or_null(nb->guest_id));
        guest_name.push_back(text_or_null(nb->guest_name));
        guests.push_back(nb->guests);
        check_in.push_back(nb->check_in);
        check_out.push_back(nb->check_out);
        starts.push_back(ts(nb->check_in_at));
        ends.push_back(ts(nb->check_out_at));
        currency.emplace_back(nb->total.currency.code());
        total.push_back(nb->total.minor);
        free_until.push_back(ts(nb->free_until));
        penalty.push_back(nb->penalty);
        card_last4.push_back(nb->card_last4);
        transaction.push_back(nb->transaction_id);
        special.push_back(nb->special_requests);
        actor.push_back(pg::Uuid{nb->actor_id});
        unsecured_limit.push_back(int_or_null(nb->unsecured_limit));
        catalogue_version.push_back(int_or_null(nb->catalogue_version));
        guest_email.push_back(nb->guest_email);
        guest_phone.push_back(nb->guest_phone);
        const StayArrays arrays(*nb);
        nights.push_back(pg::to_param(arrays.nights));
        amounts.push_back(pg::to_param(arrays.amounts));
        inclusion_names.push_back(pg::to_param(arrays.inclusion_names));
        inclusion_amounts.push_back(pg::to_param(arrays.inclusion_amounts));
        line_texts.push_back(pg::to_param(arrays.line_texts));
        line_dates.push_back(pg::to_param(arrays.line_dates));
        line_amounts.push_back(pg::to_param(arrays.line_amounts));
    }
    return {pg::to_param(hotel),
            pg::to_param(type),
            pg::to_param(plan),
            pg::to_param(guest),
            pg::to_param(guest_name),
            pg::to_param(guests),
            pg::to_param(check_in),
            pg::to_param(check_out),
            pg::to_param(starts),
            pg::to_param(ends),
            pg::to_param(currency),
            pg::to_param(total),
            pg::to_param(free_until),
            pg::to_param(penalty),
            pg::to_param(card_last4),
            pg::to_param(transaction),
            pg::to_param(special),
            pg::to_param(actor),
            pg::to_param(nights),
            pg::to_param(amounts),
            pg::to_param(unsecured_limit),
            pg::to_param(catalogue_version),
            pg::to_param(guest_email),
            pg::to_param(guest_phone),
            pg::to_param(inclusion_names),
            pg::to_param(inclusion_amounts),
            pg::to_param(line_texts),
            pg::to_param(line_dates),
            pg::to_param(line_amounts)};
}

}  // namespace

pg::Params book_stay_params(const core::NewBooking& nb) {
    const StayArrays arrays(nb);
    return {pg::to_param(pg::Uuid{nb.hotel_id}),
            pg::to_param(pg::Uuid{nb.room_type_id}),
            pg::to_param(pg::Uuid{nb.rate_plan_id}),
            pg::to_param(uuid_or_null(nb.guest_id)),
            pg::to_param(text_or_null(nb.guest_name)),
            pg::to_param(std::int32_t{nb.guests}),
            pg::to_param(nb.check_in),
            pg::to_param(nb.check_out),
            pg::to_param(ts(nb.check_in_at)),
            pg::to_param(ts(nb.check_out_at)),
            std::string(nb.total.currency.code()),
            pg::to_param(nb.total.minor),
            pg::to_param(ts(nb.free_until)),
            nb.penalty,
            pg::to_param(nb.card_last4),
            pg::to_param(nb.transaction_id),
            pg::to_param(nb.special_requests),
            pg::to_param(pg::Uuid{nb.actor_id}),
            pg::to_param(arrays.nights),
            pg::to_param(arrays.amounts),
            pg::to_param(int_or_null(nb.unsecured_limit)),
            pg::to_param(int_or_null(nb.catalogue_version)),
            pg::to_param(nb.guest_email),
            pg::to_param(nb.guest_phone),
            pg::to_param(arrays.inclusion_names),
            pg::to_param(arrays.inclusion_amounts),
            pg::to_param(arrays.line_texts),
            pg::to_param(arrays.line_dates),
            pg::to_param(arrays.line_amounts)};
}

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
    Waiter(asio::any_io_executor ex, std::shared_ptr<const core::NewBooking> booking)
        : booking(std::move(booking)), done(ex, 1) {}
    std::shared_ptr<const core::NewBooking> booking;
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

asio::awaitable<PlacedStay> BookingBatcher::alone(const core::NewBooking& booking) {
    auto params = book_stay_params(booking);
    auto rows = co_await pool_->query_params(sql::book_stay, std::move(params));
    co_return placed_stay(rows, 0);
}

asio::awaitable<PlacedStay> BookingBatcher::place(std::shared_ptr<const core::NewBooking> booking) {
    if (max_batch_ == 1)
        co_return co_await alone(*booking);
    auto executor = co_await asio::this_coro::executor;
    auto waiter = std::make_shared<Waiter>(executor, std::move(booking));
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
        co_return co_await alone(*waiter->booking);
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
            placed = co_await alone(*batch.front()->booking);
        } catch (...) {
            failure = std::current_exception();
        }
        batch.front()->done.try_send(failure, std::move(placed));
        co_return;
    }
    // The guests' rows that the cap on card-less stays locks are locked in one order by every
    // batch, so that two batches never wait for each other.
    std::stable_sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) {
        return a->booking->guest_id < b->booking->guest_id;
    });
    std::vector<const core::NewBooking*> bookings;
    for (const auto& w : batch)
        bookings.push_back(w->booking.get());
    std::exception_ptr failure;
    std::vector<PlacedStay> placed(batch.size());
    bool refused = false;
    try {
        auto params = book_stays_params(bookings);
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

long long BookingBatcher::batches() const noexcept {
    std::lock_guard lock(mutex_);
    return batches_;
}

long long BookingBatcher::batched() const noexcept {
    std::lock_guard lock(mutex_);
    return batched_;
}

long long BookingBatcher::refused() const noexcept {
    std::lock_guard lock(mutex_);
    return refused_;
}

}  // namespace hotel::storage
