#pragma once
// The booking lifecycle (DOMAIN.md):
//   confirmed --check-in--> checked_in --check-out--> checked_out
//       |  '--no-show (from the arrival date)--> no_show
//       '--cancel (before check-in)--> cancelled
// BookingState is the only way to move between states: each operation returns the next state
// or an error, so an invalid transition cannot be written down.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/cancellation.hpp"
#include "core/money.hpp"
#include "core/plan_terms.hpp"
#include "core/result.hpp"

namespace hotel::core {

enum class BookingStatus { confirmed, checked_in, checked_out, cancelled, no_show };
std::string_view to_string(BookingStatus status) noexcept;
std::optional<BookingStatus> parse_booking_status(std::string_view text) noexcept;

struct TransitionError {
    BookingStatus from;
    std::string action;
    std::string reason;
};

class BookingState {
  public:
    static BookingState confirmed() { return BookingState(BookingStatus::confirmed); }
    // For rows read back from storage.
    static BookingState restore(BookingStatus status) { return BookingState(status); }

    BookingStatus status() const noexcept { return status_; }
    // Holds its room (the exclusion constraint's "active").
    bool holds_room() const noexcept;

    Result<BookingState, TransitionError> cancel() const;
    // Check-in is allowed from the arrival date (in the hotel's zone) onward.
    Result<BookingState, TransitionError> check_in(const Date& hotel_today,
                                                   const Date& arrival) const;
    Result<BookingState, TransitionError> check_out() const;
    Result<BookingState, TransitionError> no_show(const Date& hotel_today,
                                                  const Date& arrival) const;

  private:
    explicit BookingState(BookingStatus s) : status_(s) {}
    BookingStatus status_;
};

struct NightPrice {
    Date date;
    Money amount;
};

struct Invoice {
    std::string id;
    long long number = 0;
    std::string status;  // issued | void
    Money total;
};

// An invoice or credit note as issued (migration 0018): immutable once numbered.
struct InvoiceLine {
    std::string description;
    std::optional<Date> date;  // the night or the charge's day; none for a fee
    Money amount;
    // item (a night, a fee, a charge), tax (added: the city tax) or tax_included (the VAT that
    // the items include; not added to the total).
    std::string kind = "item";
};
// A stay's nights as invoice lines: per night, the room ("Night of 2027-03-02") and then each
// inclusion with an amount ("Breakfast, night of 2027-03-02"), carved out of the night's price in
// the plan's order. An inclusion takes at most what is left of the night, so no line is negative
// and a night's lines add up to its price.
std::vector<InvoiceLine> night_lines(const std::vector<NightPrice>& nightly,
                                     const std::vector<Inclusion>& inclusions);

struct InvoiceDocument {
    std::string id;
    std::optional<long long> number;  // given right after commit
    std::string kind;                 // booking | cancellation_fee | credit_note
    std::string status;               // issued | void (credited)
    std::string booking_id;
    Money total;
    std::optional<Instant> issued_at;
    std::optional<Instant> voided_at;
    std::optional<std::string> credits_invoice_id;  // a credit note: the invoice it cancels
    std::vector<InvoiceLine> lines;
};

// An extra charge the front desk posts to a stay.
struct Charge {
    std::string id;
    std::string description;
    Date date;
    Money amount;
    Instant posted_at;
};

// A payment or refund on a booking's folio: the card's captures, and what the desk takes.
struct Payment {
    enum class Kind { payment, refund } kind = Kind::payment;
    enum class Method { card, cash, bank_transfer } method = Method::card;
    std::string id;
    Money amount;  // positive; a refund gives it back
    std::optional<std::string> reference;
    Instant recorded_at;
};
std::string_view to_string(Payment::Kind kind) noexcept;
std::string_view to_string(Payment::Method method) noexcept;
std::optional<Payment::Kind> parse_payment_kind(std::string_view text) noexcept;
std::optional<Payment::Method> parse_payment_method(std::string_view text) noexcept;

struct Booking {
    std::string id;
    BookingState state = BookingState::confirmed();
    std::string hotel_id;
    std::string room_type_id;
    std::string rate_plan_id;
    std::string guest_id;  // empty: a walk-in or phone booking, for a guest without an account
    std::string guest_name;
    // How to reach a guest without an account (at least one of them is set for such a stay).
    std::optional<std::string> guest_email;
    std::optional<std::string> guest_phone;
    int guests = 1;
    Date check_in;
    Date check_out;
    Instant check_in_at;   // scheduled: the hotel's check-in time on the arrival date
    Instant check_out_at;  // scheduled: the hotel's check-out time on the departure date
    std::optional<Instant> checked_in_at;   // when the front desk checked the guest in
    std::optional<Instant> checked_out_at;  // when the front desk checked the guest out
    Money total;
    std::vector<NightPrice> nightly;
    // What the plan included when booked (kept with the stay: its invoices split them out).
    std::vector<Inclusion> inclusions;
    std::optional<Instant> free_until;
    std::string penalty;  // "first_night" | "full_stay" | "percent:P" | "non_refundable"
    std::optional<Money> cancellation_fee;
    // What cancelling would cost now (a confirmed stay read by GET /v1/bookings/{id}), so that a
    // client shows the server's figure before the guest confirms.
    std::optional<Money> fee_if_cancelled_now;
    Money fee_floor;  // accrued by changes inside the penalty window; a cancellation costs >= it
    std::string room_id;
    std::string room_number;
    // Moved during the stay: since when the current room is held (the split); none otherwise.
    std::optional<Instant> room_since;
    std::optional<std::string> card_last4;
    std::optional<std::string> transaction_id;
    std::optional<std::string> special_requests;
    Invoice invoice;  // the current one: the stay's, or the fee invoice after a cancellation
    // What its invoices and credit notes add up to, less payments, plus refunds.
    Money balance_due;
    int version = 1;
    std::string hotel_timezone;  // for "today" in the hotel's zone
    Instant created_at;
    Instant updated_at;
};

}  // namespace hotel::core
