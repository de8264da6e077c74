#pragma once
// Booking use cases: place (with idempotency and payment), read, list, cancel.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "core/booking.hpp"
#include "core/booking_ports.hpp"
#include "core/identity.hpp"
#include "core/payment.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct BookingError {
    enum class Kind {
        invalid,                   // 400 validation_failed
        unprocessable,             // 422 unprocessable
        not_found,                 // 404
        forbidden,                 // 403
        conflict,                  // 409 conflict (expected_total no longer matches)
        sold_out,                  // 409 sold_out
        in_flight,                 // 409 idempotency_key_in_flight
        key_reused,                // 422 idempotency_key_reused
        payment_declined,          // 402
        version_mismatch,          // 412
        invalid_transition,        // 409 invalid_state_transition
        modification_not_allowed,  // 409: the guest may not change this booking
        limit_reached,             // 409: too many card-less bookings held at once
        room_not_ready             // 409: check-in to a room not clean or inspected, not forced
    } kind;
    std::string field;
    std::string message;
    // A stable, machine-readable cause within the kind (docs/DOMAIN.md "Problem reasons"); empty
    // when the kind says it all.
    std::string reason = {};
    std::optional<Money> current_total = {};  // with reason price_changed
};

// A walk-in or phone booking: staff of the hotel book for a guest who has no account. The name
// and at least one way to reach the guest.
struct WalkInGuest {
    std::string name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
};

struct PlaceRequest {
    std::string hotel_id;
    std::string room_type_id;
    std::string rate_plan_id;
    Date check_in;
    Date check_out;
    long long guests = 1;
    std::optional<std::string> guest_name;
    std::optional<std::string> expected_amount;  // with expected_currency
    std::optional<std::string> expected_currency;
    std::optional<std::string> card_token;
    std::optional<std::string> special_requests;
    std::optional<WalkInGuest> walk_in;  // staff of the hotel only
};

struct Placed {
    int status = 201;
    std::string body;                // the stored body on a replay, or the freshly rendered one
    std::optional<Booking> booking;  // absent on a replay
};

using Clock = std::function<Instant()>;

// The limits a deployment sets (docs/DOMAIN.md).
struct BookingPolicy {
    // Confirmed stays without a card a guest may hold at once; staff are exempt.
    int max_unsecured_bookings = 3;
};

class AvailabilityIndex;

class BookingService {
  public:
    template <class T>
    using Async = boost::asio::awaitable<Result<T, BookingError>>;

    // quotes: when set and live, a booking is quoted from this node's search index instead of
    // reading the hotel and its rates from the store (docs/ARCHITECTURE.md).
    // lists: where list() reads, when it is not `store` (a replica that may lag a little,
    // DATABASE_READ_URL); nothing else reads there.
    BookingService(BookingStore& store, PaymentGateway& payments, Clock clock,
                   BookingPolicy policy = {}, const AvailabilityIndex* quotes = nullptr,
                   BookingStore* lists = nullptr)
        : store_(store),
          lists_(lists ? *lists : store),
          payments_(payments),
          clock_(std::move(clock)),
          policy_(policy),
          quotes_(quotes) {}

    // key: the Idempotency-Key (validated: 1-255 chars); request_body: the bytes a replay must
    // match.
    Async<Placed> place(const Caller& caller, PlaceRequest request, std::optional<std::string> key,
                        std::string request_body, ResponseRenderer render);
    Async<Booking> get(const Caller& caller, std::string booking_id);
    Async<BookingPage> list(const Caller& caller, BookingFilter filter);
    Async<Booking> cancel(const Caller& caller, std::string booking_id,
                          std::optional<int> if_match_version);

    struct ModifyRequest {
        Date check_in;
        Date check_out;
        std::optional<std::string> room_type_id;
        std::optional<std::string> rate_plan_id;
        std::optional<long long> guests;
    };
    // New dates and/or type, plan, guests: atomic; the room is kept when free, else another;
    // repriced; the invoice follows. Nothing fits: 409 sold_out and the booking is unchanged.
    Async<Booking> modify(const Caller& caller, std::string booking_id, ModifyRequest request,
                          std::optional<int> if_match_version);

    enum class StaffAction { check_in, check_out, no_show };
    // Staff (and managers, admins) of the booking's hotel only; the guest gets 403.
    // Staff move a booking to another room of the hotel (the tape chart's drag): the room's
    // type becomes the booking's, the price stays. A confirmed stay moves whole; a stay in the
    // house is split at today (the nights before stay with the room they were spent in).
    Async<Booking> move(const Caller& caller, std::string booking_id, std::string room_id,
                        std::optional<int> if_match);
    // `force`: check in even to a room that housekeeping has not made ready.
    Async<Booking> act(const Caller& caller, std::string booking_id, StaffAction action,
                       std::optional<int> if_match_version, bool force = false);

    // Staff post an extra charge to a stay in the house or just left (checked out): the stay's
    // invoice is credited and reissued with it. `amount`: in the hotel's currency, not zero.
    struct ChargeRequest {
        std::string description;
        std::string amount;
        std::string currency;
        Date date;
    };
    Async<Charge> post_charge(const Caller& caller, std::string booking_id, ChargeRequest charge,
                              std::optional<int> if_match);
    // Staff record a payment taken at the desk, or a refund given, on the booking's folio.
    struct PaymentRequest {
        Payment::Kind kind = Payment::Kind::payment;
        Payment::Method method = Payment::Method::cash;
        std::string amount;
        std::string currency;
        std::optional<std::string> reference;
    };
    Async<Payment> record_payment(const Caller& caller, std::string booking_id,
                                  PaymentRequest payment);
    // The folio: what is charged now (the current invoice's lines), every payment and refund,
    // and the balance due (what the invoices and credit notes add up to, less payments, plus
    // refunds).
    struct Folio {
        Booking booking;
        std::vector<InvoiceLine> lines;
        std::vector<Payment> payments;
        Money invoiced, paid, balance_due;
    };
    Async<Folio> folio(const Caller& caller, std::string booking_id);
    // A booking's invoices and credit notes, for whoever may see the booking.
    Async<std::vector<InvoiceDocument>> invoices(const Caller& caller, std::string booking_id);

    // What a caller may see of a booking: staff see the room, guests do not.
    static bool sees_room(const Caller& caller, const Booking& booking);

  private:
    // from_store: quote from the store even when the index could (a quote from memory that was
    // refused, or found stale when written, is always confirmed this way).
    // The booking a change applies to: found and seen by the caller (else 404), at the version
    // the caller read (else 412); with `staff_only`, the caller works at its hotel (else 403
    // with that message).
    Async<Booking> for_change(const Caller& caller, std::string booking_id,
                              std::optional<int> if_match, const char* staff_only);
    using StoreChange = std::function<boost::asio::awaitable<Result<Booking, ChangeError>>()>;
    // Runs a change of the booking with its card's hold following what the guest could owe
    // (new_hold): raised before (a decline: 402, nothing changed), lowered after, and put back
    // when the change fails.
    Async<Booking> with_hold(const Booking& booking, Money new_hold, StoreChange change);
    // A stay in the house: only the departure may change (staff).
    Async<Booking> change_in_house(const Caller& caller, Booking booking, ModifyRequest r);
    // The stay's new departure in its room (core/stay_change.hpp); with `depart` the guest
    // leaves now (an early check-out).
    Async<Booking> new_departure(const Caller& caller, Booking booking, Date check_out,
                                 bool depart);
    Async<Placed> place_unkeyed(const Caller& caller, PlaceRequest request, KeyedRequest keyed,
                                ResponseRenderer render, bool from_store = false);
    // Captures `amount` on the booking's card, records it on the folio, and gives the booking
    // as it then stands.
    Async<Booking> capture(Booking booking, Money amount, const std::string& actor_id);
    BookingStore& store_;
    BookingStore& lists_;
    PaymentGateway& payments_;
    Clock clock_;
    BookingPolicy policy_;
    const AvailabilityIndex* quotes_;
};

}  // namespace hotel::core
