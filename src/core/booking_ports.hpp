#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/booking.hpp"
#include "core/catalogue.hpp"
#include "core/housekeeping.hpp"
#include "core/pricing.hpp"
#include "core/result.hpp"
#include "core/stay_change.hpp"

namespace hotel::core {

// Everything needed to validate and price a stay, read in one go.
struct BookingContext {
    std::optional<Hotel> hotel;
    std::optional<RoomType> room_type;  // only when it belongs to the hotel
    std::optional<RatePlan> rate_plan;  // only when it belongs to the hotel
    std::vector<DailyRate> rates;       // nights and the departure day
    // Set when read from a node's memory (the search index): the version of the hotel's
    // catalogue the quote was read at, checked when the booking is written.
    std::optional<long long> catalogue_version;
};

// The stay to write; the store allocates the room.
struct NewBooking {
    std::string hotel_id;
    std::string room_type_id;
    std::string rate_plan_id;
    std::string guest_id;  // empty: a guest without an account (guest_email or guest_phone set)
    std::string guest_name;
    std::optional<std::string> guest_email;
    std::optional<std::string> guest_phone;
    int guests = 1;
    Date check_in;
    Date check_out;
    Instant check_in_at;
    Instant check_out_at;
    Money total;
    std::vector<NightPrice> nightly;
    std::vector<Inclusion> inclusions;  // the plan's, kept with the stay
    std::optional<Instant> free_until;
    std::string penalty;
    Money fee_floor;  // modifications: what a cancellation costs at least (docs/DOMAIN.md)
    // Placing: the most confirmed card-less stays the guest may hold, this one included.
    std::optional<int> unsecured_limit;
    std::optional<std::string> card_last4;
    std::optional<std::string> transaction_id;
    std::optional<std::string> special_requests;
    std::string actor_id;
    // Placing from a quote held in memory: the catalogue version it was read at. The store
    // writes nothing (stale_quote) if the hotel's catalogue has changed since.
    std::optional<long long> catalogue_version;
};

// A held Idempotency-Key: while it holds, no other request with that key of that user runs. It
// holds no database connection: it is a row with a lease (docs/ARCHITECTURE.md).
class IdempotencyClaim {
  public:
    virtual ~IdempotencyClaim() = default;
};

// The response stored with a completed key, and whether it answered the same request body.
struct StoredResponse {
    bool same_request = false;
    int status = 0;
    std::string body;
};

struct KeyedRequest {
    IdempotencyClaim* claim = nullptr;
    std::string user_id;
    std::string key;
};

// Renders the response body stored with an idempotency key, inside the booking's transaction.
using ResponseRenderer = std::function<std::string(const Booking&)>;

// claim_lost: the key's claim lapsed while the request ran and another request took the key.
// limit_reached: the guest holds unsecured_limit card-less stays already.
enum class CreateError { sold_out, claim_lost, limit_reached, stale_quote };
// taken: the key is completed (see stored_response) or held by another request.
enum class ClaimError { taken };
// retired_*: the new room type or rate plan was retired after the change was quoted.
enum class ChangeError {
    not_found,
    version_mismatch,
    state_changed,
    sold_out,
    retired_room_type,
    retired_rate_plan,
    unknown_room,       // a move to a room that is not a live room of the booking's hotel
    room_taken,         // a move to a room that is booked or out of service then
    occupancy_exceeded  // a move to a room whose type sleeps fewer than the booking's guests
};

struct BookingFilter {
    std::optional<std::string> guest_id;             // a guest's own
    std::optional<std::vector<std::string>> hotels;  // staff: their hotels; nullopt: any
    std::optional<std::string> hotel_id;
    std::vector<BookingStatus> statuses;  // any of them; empty: any status
    std::optional<Date> from;             // stays with nights on or after it (check_out > from)
    std::optional<Date> to;               // stays with nights before it (check_in < to)
    std::optional<Date> arriving;         // check_in on the date
    std::optional<Date> departing;        // check_out on the date
    std::optional<Date> staying;          // a night on the date (check_in <= date < check_out)
    long long offset = 0;
    long long limit = 20;
};

// A part of a stay spent in a room the guest has moved out of (migration 0017).
struct RoomSegment {
    std::string booking_id;
    std::string room_id;
    Instant from, to;
};

// A stay as a tape chart draws it: who, when, where and its version; no price, invoice or
// terms (a whole Booking costs the store six more reads per stay).
struct ChartStay {
    std::string id;
    BookingStatus status = BookingStatus::confirmed;
    int version = 1;
    std::string room_id, room_type_id, rate_plan_id;
    std::string guest_name;  // empty: not given
    int guests = 1;
    Date check_in, check_out;
};

struct InvoicePage {
    std::vector<InvoiceDocument> items;
    long long total = 0;
};

struct BookingPage {
    std::vector<Booking> items;
    long long total = 0;
};

class BookingStore {
  public:
    virtual ~BookingStore() = default;
    template <class T>
    using Async = boost::asio::awaitable<T>;

    virtual Async<BookingContext> context(std::string hotel_id, std::string room_type_id,
                                          std::string rate_plan_id, Date first_night,
                                          Date departure) = 0;
    // Claims (user, key) for one request with this body, in one statement that holds nothing
    // afterwards. How a body is remembered (a digest) is the store's business.
    virtual Async<Result<std::unique_ptr<IdempotencyClaim>, ClaimError>> claim(
        std::string user_id, std::string key, std::string request_body) = 0;
    // The response stored for a completed key, if any, and whether it was for this body. A key
    // whose request died after its booking committed but before its response was stored gets
    // the booking rendered with `render` (and stored) here.
    virtual Async<std::optional<StoredResponse>> stored_response(std::string user_id,
                                                                 std::string key,
                                                                 std::string request_body,
                                                                 ResponseRenderer render) = 0;
    // Lets the key go after an attempt that stored nothing.
    virtual Async<void> release(std::unique_ptr<IdempotencyClaim> claim) = 0;

    // One transaction: allocate a free room of the type, the booking, its nights, the invoice
    // and its lines, the idempotency record (when keyed), the booking.created event. The
    // invoice's number is given right after commit; the booking returned carries it.
    virtual Async<Result<Booking, CreateError>> create(NewBooking booking, KeyedRequest keyed,
                                                       ResponseRenderer render) = 0;
    virtual Async<std::optional<Booking>> find(std::string booking_id) = 0;
    virtual Async<BookingPage> list(BookingFilter filter) = 0;
    // One transaction: status, fee, invoice voided (and a fee invoice when fee > 0), event.
    virtual Async<Result<Booking, ChangeError>> cancel(Booking booking, Money fee,
                                                       std::string actor_id) = 0;
    // One transaction: the booking keeps its room when it is free for the new stay, else takes
    // another free room of the (new) type; nights, price and terms replaced; the invoice voided
    // and reissued; a booking.modified event. sold_out leaves the booking untouched.
    virtual Async<Result<Booking, ChangeError>> modify(Booking booking, NewBooking next) = 0;
    // One transaction: the booking (at the status and version read) moves to another live room
    // of its hotel, taking that room's type; its price and terms stay; a booking.moved event.
    // With split_at (a guest in the house): the stay keeps its room until that instant, kept as
    // a segment of its history, and holds the new room from then on; the room left is dirty.
    virtual Async<Result<Booking, ChangeError>> move(Booking booking, std::string room_id,
                                                     std::string actor_id,
                                                     std::optional<Instant> split_at) = 0;
    // One transaction: a charge posted to a stay in the house or just left (at the version
    // read); the stay's invoice credited and reissued with it; a booking.charge_posted event.
    virtual Async<Result<Charge, ChangeError>> post_charge(Booking booking, Charge charge,
                                                           std::string actor_id) = 0;
    // A payment or refund on the booking's folio (no version: the stay itself is unchanged).
    virtual Async<Payment> record_payment(Booking booking, Payment payment,
                                          std::string actor_id) = 0;
    virtual Async<std::vector<Payment>> payments(std::string hotel_id, std::string booking_id) = 0;
    // A booking's invoices and credit notes, in number order.
    virtual Async<std::vector<InvoiceDocument>> invoices(std::string hotel_id,
                                                         std::string booking_id) = 0;
    // A hotel's numbered invoices and credit notes issued in [from, to), a page in number order.
    virtual Async<InvoicePage> hotel_invoices(std::string hotel_id, Instant from, Instant to,
                                              long long offset, long long limit) = 0;
    // The hotel's confirmed, in-house and checked-out stays with a night in [from, to), by
    // arrival (as list() orders them), as a chart draws them.
    virtual Async<std::vector<ChartStay>> chart_stays(std::string hotel_id, Date from, Date to) = 0;
    // The parts of stays spent in rooms they have moved out of, overlapping [from, to).
    virtual Async<std::vector<RoomSegment>> segments(std::string hotel_id, Instant from,
                                                     Instant to) = 0;
    // One transaction: a stay in the house (checked in, at the version read) takes its new
    // departure in the same room: dates, nights, fee and total replaced, the invoice voided and
    // reissued (the nights, then the fee as a line of its own). room_taken when another stay or
    // a closure holds an added night. With `depart` the guest is checked out as well (an early
    // departure: the released nights are sellable at once) and the room left dirty.
    virtual Async<Result<Booking, ChangeError>> change_departure(Booking booking,
                                                                 DepartureChange change,
                                                                 Instant check_out_at, bool depart,
                                                                 std::string actor_id) = 0;
    // The room's housekeeping state (clean when never set).
    virtual Async<Housekeeping> housekeeping_of(std::string hotel_id, std::string room_id) = 0;
    // One transaction: the new status (from the one read, at the version read) and an event;
    // a check-out also leaves the room dirty.
    virtual Async<Result<Booking, ChangeError>> transition(Booking booking, BookingStatus to,
                                                           std::string event_type,
                                                           std::string actor_id) = 0;
};

}  // namespace hotel::core
