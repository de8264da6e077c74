#pragma once
// PostgreSQL implementation of the booking port, the built-in test payment gateway, and the
// idempotency-key cleanup.

#include <chrono>
#include <memory>

#include "core/booking_ports.hpp"
#include "core/payment.hpp"
#include "pg/pool.hpp"
#include "storage/booking_batch.hpp"
#include "storage/invoice_numbering.hpp"

namespace hotel::storage {

class PgBookingStore final : public core::BookingStore {
  public:
    // lease: how long a claimed Idempotency-Key stays claimed when its request dies unfinished.
    // numbering: gives the invoices written here their numbers, after commit. batcher: places
    // new bookings without a key (none: each alone, with book_stay).
    PgBookingStore(std::shared_ptr<pg::Pool> pool, std::shared_ptr<InvoiceNumbering> numbering,
                   std::chrono::seconds lease, std::shared_ptr<BookingBatcher> batcher = nullptr)
        : pool_(std::move(pool)),
          numbering_(std::move(numbering)),
          lease_(lease),
          batcher_(std::move(batcher)) {}

    Async<core::BookingContext> context(std::string hotel_id, std::string room_type_id,
                                        std::string rate_plan_id, core::Date first_night,
                                        core::Date departure) override;
    Async<core::Result<std::unique_ptr<core::IdempotencyClaim>, core::ClaimError>> claim(
        std::string user_id, std::string key, std::string request_body) override;
    Async<std::optional<core::StoredResponse>> stored_response(
        std::string user_id, std::string key, std::string request_body,
        core::ResponseRenderer render) override;
    Async<void> release(std::unique_ptr<core::IdempotencyClaim> claim) override;
    Async<core::Result<core::Booking, core::CreateError>> create(
        core::NewBooking booking, core::KeyedRequest keyed, core::ResponseRenderer render) override;
    Async<std::optional<core::Booking>> find(std::string booking_id) override;
    Async<core::BookingPage> list(core::BookingFilter filter) override;
    Async<core::Result<core::Booking, core::ChangeError>> cancel(core::Booking booking,
                                                                 core::Money fee,
                                                                 std::string actor_id) override;
    Async<core::Result<core::Booking, core::ChangeError>> modify(core::Booking booking,
                                                                 core::NewBooking next) override;
    Async<core::Result<core::Booking, core::ChangeError>> move(
        core::Booking booking, std::string room_id, std::string actor_id,
        std::optional<core::Instant> split_at) override;
    Async<core::Result<core::Charge, core::ChangeError>> post_charge(core::Booking booking,
                                                                     core::Charge charge,
                                                                     std::string actor_id) override;
    Async<core::Payment> record_payment(core::Booking booking, core::Payment payment,
                                        std::string actor_id) override;
    Async<std::vector<core::Payment>> payments(std::string hotel_id,
                                               std::string booking_id) override;
    Async<std::vector<core::InvoiceDocument>> invoices(std::string hotel_id,
                                                       std::string booking_id) override;
    Async<core::InvoicePage> hotel_invoices(std::string hotel_id, core::Instant from,
                                            core::Instant to, long long offset,
                                            long long limit) override;
    Async<std::vector<core::ChartStay>> chart_stays(std::string hotel_id, core::Date from,
                                                    core::Date to) override;
    Async<std::vector<core::RoomSegment>> segments(std::string hotel_id, core::Instant from,
                                                   core::Instant to) override;
    Async<core::Result<core::Booking, core::ChangeError>> change_departure(
        core::Booking booking, core::DepartureChange change, core::Instant check_out_at,
        bool depart, std::string actor_id) override;
    Async<core::Housekeeping> housekeeping_of(std::string hotel_id, std::string room_id) override;
    Async<core::Result<core::Booking, core::ChangeError>> transition(core::Booking booking,
                                                                     core::BookingStatus to,
                                                                     std::string event_type,
                                                                     std::string actor_id) override;

  private:
    // The booking's current invoice numbered, if it was still pending (a booking read between
    // its commit and its numbering step, or left so by a node that stopped in between).
    Async<void> numbered(core::Booking& booking, bool pending);
    // A changed booking as committed (read once its transaction's connection is back in the
    // pool); not_found if it is gone.
    Async<core::Result<core::Booking, core::ChangeError>> reread(std::string booking_id);

    std::shared_ptr<pg::Pool> pool_;
    std::shared_ptr<InvoiceNumbering> numbering_;
    std::chrono::seconds lease_;
    std::shared_ptr<BookingBatcher> batcher_;
};

// Test gateway: "tok_declined" declines; "tok_<anything>_NNNN" authorizes with last4 NNNN; a
// card ending in 0341 declines increases. It keeps its own ledger (test_gateway_ledger), as a
// real provider would: the amount held, the amount captured, the status.
class TestPaymentGateway final : public core::PaymentGateway {
  public:
    explicit TestPaymentGateway(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}
    boost::asio::awaitable<core::Result<core::Authorization, core::PaymentError>> authorize(
        std::string token, core::Money amount, std::string reference) override;
    boost::asio::awaitable<core::Result<core::Unit, core::PaymentError>> reauthorize(
        std::string transaction_id, core::Money amount) override;
    boost::asio::awaitable<void> capture(std::string transaction_id, core::Money amount) override;
    boost::asio::awaitable<void> void_authorization(std::string transaction_id) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

// Deletes idempotency keys older than `retention`, `batch` rows per statement, until none is
// left. Returns the rows deleted.
boost::asio::awaitable<long long> cleanup_idempotency_keys(pg::Pool& pool,
                                                           std::chrono::seconds retention,
                                                           int batch = 1000);

}  // namespace hotel::storage
