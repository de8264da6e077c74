#pragma once
// Invoice numbers, given right after commit in steps shared by concurrent bookings (migration
// 0011). A booking's transaction writes its invoice unnumbered; the request then asks for the
// number here. The first caller starts a step (number_pending_invoices(): every pending
// invoice of every hotel, one transaction); callers that arrive while it runs wait for the
// next step, which starts when this one ends and serves all of them. So a hotel's bookings no
// longer queue one by one on its counter row across their commits' flushes; under load one
// numbering commit serves a whole batch.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "pg/pool.hpp"
#include "pg/types.hpp"

namespace hotel::storage {

class InvoiceNumbering : public std::enable_shared_from_this<InvoiceNumbering> {
  public:
    // Steps run on `executor` (not a strand: they take a pooled connection of their own).
    static std::shared_ptr<InvoiceNumbering> create(std::shared_ptr<pg::Pool> pool,
                                                    boost::asio::any_io_executor executor);

    // The number of `invoice`, whose transaction has committed: from the next numbering step,
    // or read back if another node's step numbered it first. A step that fails is retried a
    // few times; then this throws pg::Error (the invoice stays pending for a later step).
    boost::asio::awaitable<std::int64_t> number(pg::Uuid invoice);

    // One numbering step now, for invoices left pending by a node that stopped between a
    // booking's commit and its step. Returns how many it numbered.
    boost::asio::awaitable<std::size_t> sweep();

    // Steps run and invoices numbered by this node since it started (for /metrics).
    long long steps() const noexcept;
    long long numbered() const noexcept;

  private:
    struct Waiter;
    InvoiceNumbering(std::shared_ptr<pg::Pool> pool, boost::asio::any_io_executor executor);
    boost::asio::awaitable<void> run_steps();

    std::shared_ptr<pg::Pool> pool_;
    boost::asio::any_io_executor executor_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<Waiter>> queued_;  // for the next step
    bool running_ = false;
    long long steps_ = 0;
    long long numbered_ = 0;
};

}  // namespace hotel::storage
