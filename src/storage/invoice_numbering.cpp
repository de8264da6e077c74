#include "storage/invoice_numbering.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <unordered_map>

#include "pg/error.hpp"
#include "storage/booking_sql.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

// A caller waiting for a step: the step sends it the number, or the failure.
struct InvoiceNumbering::Waiter {
    Waiter(asio::any_io_executor ex, pg::Uuid invoice) : invoice(std::move(invoice)), done(ex, 1) {}
    pg::Uuid invoice;
    asio::experimental::concurrent_channel<void(std::exception_ptr, std::int64_t)> done;
};

std::shared_ptr<InvoiceNumbering> InvoiceNumbering::create(std::shared_ptr<pg::Pool> pool,
                                                           asio::any_io_executor executor) {
    return std::shared_ptr<InvoiceNumbering>(
        new InvoiceNumbering(std::move(pool), std::move(executor)));
}

InvoiceNumbering::InvoiceNumbering(std::shared_ptr<pg::Pool> pool, asio::any_io_executor executor)
    : pool_(std::move(pool)), executor_(std::move(executor)) {}

asio::awaitable<std::int64_t> InvoiceNumbering::number(pg::Uuid invoice) {
    auto executor = co_await asio::this_coro::executor;
    auto waiter = std::make_shared<Waiter>(executor, std::move(invoice));
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        queued_.push_back(waiter);
        if (!running_) {
            running_ = true;
            start = true;
        }
    }
    if (start)
        asio::co_spawn(executor_, run_steps(), asio::detached);
    co_return co_await waiter->done.async_receive(asio::use_awaitable);
}

asio::awaitable<void> InvoiceNumbering::run_steps() {
    auto self = shared_from_this();
    for (;;) {
        std::vector<std::shared_ptr<Waiter>> batch;
        {
            std::lock_guard lock(mutex_);
            if (queued_.empty()) {
                running_ = false;
                co_return;
            }
            batch.swap(queued_);
        }
        // Every waiter of `batch` committed before it queued, so the step's snapshot, taken
        // after this point, sees its invoice.
        std::unordered_map<std::string, std::int64_t> numbers;
        std::exception_ptr failure;
        for (int attempt = 0; attempt < 4; ++attempt) {
            failure = nullptr;
            try {
                numbers.clear();
                auto rows = co_await pool_->query(sql::invoices_number_pending);
                {
                    std::lock_guard lock(mutex_);
                    ++steps_;
                    numbered_ += rows.size();
                }
                for (int i = 0; i < rows.size(); ++i)
                    numbers.emplace(rows.get_as<pg::Uuid>(i, 0).text,
                                    rows.get_as<std::int64_t>(i, 1));
                // Numbered by another node's step (or a sweep) before this one: read back.
                std::vector<pg::Uuid> missing;
                for (const auto& w : batch)
                    if (!numbers.contains(w->invoice.text))
                        missing.push_back(w->invoice);
                if (!missing.empty()) {
                    auto back = co_await pool_->query(sql::invoice_numbers, missing);
                    for (int i = 0; i < back.size(); ++i)
                        if (auto n = back.get_as<std::optional<std::int64_t>>(i, 1))
                            numbers.emplace(back.get_as<pg::Uuid>(i, 0).text, *n);
                }
                break;
            } catch (...) {
                failure = std::current_exception();
            }
            if (attempt == 3)
                break;
            asio::steady_timer pause(executor_, std::chrono::milliseconds(50 << attempt));
            co_await pause.async_wait(asio::use_awaitable);
        }
        for (const auto& w : batch) {
            if (failure) {
                w->done.try_send(failure, 0);
                continue;
            }
            const auto it = numbers.find(w->invoice.text);
            if (it != numbers.end())
                w->done.try_send(std::exception_ptr{}, it->second);
            else
                w->done.try_send(std::make_exception_ptr(pg::Error(pg::ErrorKind::other,
                                                                   "an invoice is still unnumbered "
                                                                   "after a numbering step")),
                                 0);
        }
    }
}

asio::awaitable<std::size_t> InvoiceNumbering::sweep() {
    auto rows = co_await pool_->query(sql::invoices_number_pending);
    std::lock_guard lock(mutex_);
    ++steps_;
    numbered_ += rows.size();
    co_return static_cast<std::size_t>(rows.size());
}

long long InvoiceNumbering::steps() const noexcept {
    std::lock_guard lock(mutex_);
    return steps_;
}

long long InvoiceNumbering::numbered() const noexcept {
    std::lock_guard lock(mutex_);
    return numbered_;
}

}  // namespace hotel::storage
