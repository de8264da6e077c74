#include "core/booking_service.hpp"

#include <algorithm>

#include "core/availability_index.hpp"
#include "core/hotel_time.hpp"
#include "core/stay.hpp"

namespace hotel::core {

namespace asio = boost::asio;
using Kind = BookingError::Kind;

namespace {

Failure<BookingError> refuse(Kind kind, std::string field, std::string message,
                             std::string reason = {}) {
    return fail(BookingError{kind, std::move(field), std::move(message), std::move(reason)});
}

std::string penalty_text(const CancellationPolicy& p) {
    return p.refundable ? p.penalty.to_string() : std::string("non_refundable");
}

// The terms quoted when the booking was made: the policy is rebuilt from the stored free-until
// instant (check-in minus whole hours).
CancellationPolicy terms_of(const Booking& b) {
    CancellationPolicy policy;
    if (b.penalty != "non_refundable") {
        policy.refundable = true;
        policy.penalty = Penalty::parse(b.penalty).value_or(Penalty{Penalty::Kind::full_stay, 0});
        policy.free_cancellation_hours =
            static_cast<int>(std::chrono::duration_cast<std::chrono::hours>(
                                 b.check_in_at - b.free_until.value_or(b.check_in_at))
                                 .count());
    }
    return policy;
}

// The fee for cancelling at `now`, from the terms quoted when the booking was made.
Money cancellation_fee(const Booking& b, Instant now) {
    std::vector<Money> nightly;
    for (const auto& n : b.nightly)
        nightly.push_back(n.amount);
    Money fee = terms_of(b).fee_at(now, b.check_in_at, nightly, b.total);
    // What earlier changes inside the penalty window had accrued stays due.
    fee.minor = std::max(fee.minor, b.fee_floor.minor);
    return fee;
}

// What the guest's card holds for a booking: the most the guest could owe for it.
Money hold_for(const Money& total, const Money& fee_floor) {
    Money hold = total;
    hold.minor = std::max(total.minor, fee_floor.minor);
    return hold;
}

// Validates a stay against the hotel, room type and plan of `ctx` (which must hold the hotel)
// as of `now`, and prices it. Gives the parts of a booking that follow from them: dates,
// instants in the hotel's zone, nightly prices, total, cancellation terms. Shared by placing
// and modifying, so both apply exactly the same rules.
Result<NewBooking, BookingError> quote_stay(const BookingContext& ctx, const Date& check_in,
                                            const Date& check_out, long long guests, Instant now) {
    if (!ctx.room_type)
        return refuse(Kind::unprocessable, "room_type_id", "is not a room type of this hotel",
                      "unknown_room_type");
    if (!ctx.rate_plan)
        return refuse(Kind::unprocessable, "rate_plan_id", "is not a rate plan of this hotel",
                      "unknown_rate_plan");
    const auto& hotel = *ctx.hotel;
    const auto clock = HotelClock::for_zone(hotel.timezone);
    const auto currency = Currency::of(hotel.currency);
    if (!clock || !currency)
        return refuse(Kind::unprocessable, "hotel_id", "the hotel's zone or currency is unknown");
    auto stay = Stay::make(check_in, check_out, clock->date_at(now));
    if (!stay) {
        const auto e = stay.error();
        const bool about_arrival =
            e == StayError::arrival_in_past || e == StayError::arrival_too_far;
        return refuse(Kind::unprocessable, about_arrival ? "check_in" : "check_out", describe(e),
                      reason_of(e));
    }
    if (guests > ctx.room_type->max_occupancy)
        return refuse(
            Kind::unprocessable, "guests",
            "this room type sleeps at most " + std::to_string(ctx.room_type->max_occupancy),
            "occupancy_exceeded");
    auto quote = price_stay(*stay, ctx.rates, *currency,
                            ctx.rate_plan->occupancy.extra_per_night(static_cast<int>(guests)));
    if (!quote)
        return refuse(Kind::unprocessable, "check_in", describe(quote.error()),
                      reason_of(quote.error().restriction));
    const auto& plan = ctx.rate_plan->policy;
    NewBooking nb;
    nb.hotel_id = hotel.id;
    nb.room_type_id = ctx.room_type->id;
    nb.rate_plan_id = ctx.rate_plan->id;
    nb.guests = static_cast<int>(guests);
    nb.check_in = check_in;
    nb.check_out = check_out;
    nb.check_in_at = clock->instant_of(check_in, hotel.check_in_time);
    nb.check_out_at = clock->instant_of(check_out, hotel.check_out_time);
    nb.total = quote->total;
    for (std::size_t i = 0; i < quote->nightly.size(); ++i)
        nb.nightly.push_back({stay->night(static_cast<int>(i)), quote->nightly[i]});
    nb.inclusions = ctx.rate_plan->inclusions;
    nb.free_until = plan.free_until(nb.check_in_at);
    nb.penalty = penalty_text(plan);
    return nb;
}

// The hotel's date now (UTC's when the zone is unknown).
Date hotel_today(const Booking& b, Instant now) {
    const auto clock = HotelClock::for_zone(b.hotel_timezone);
    return clock ? clock->date_at(now) : Date{std::chrono::floor<std::chrono::days>(now)};
}

// The hotel's check-out time on `date`, as an instant (none when its zone is unknown).
std::optional<Instant> check_out_instant(const Hotel& hotel, Date date) {
    const auto clock = HotelClock::for_zone(hotel.timezone);
    if (!clock)
        return std::nullopt;
    return clock->instant_of(date, hotel.check_out_time);
}

Failure<BookingError> departure_failure(DepartureError e) {
    switch (e) {
        case DepartureError::not_after_arrival:
            return refuse(Kind::unprocessable, "check_out", "a stay keeps its first night",
                          "invalid_dates");
        case DepartureError::too_long:
            return refuse(Kind::unprocessable, "check_out",
                          "a stay has at most " + std::to_string(kMaxNights) + " nights",
                          "stay_too_long");
        case DepartureError::missing_price:
            return refuse(Kind::unprocessable, "check_out",
                          "an added night has no price in the booking's rate plan", "not_for_sale");
    }
    return refuse(Kind::unprocessable, "check_out", "cannot change the departure");
}

// An amount the desk enters (a charge, a payment): in the hotel's currency, positive.
Result<Money, BookingError> desk_amount(const std::string& amount, const std::string& code,
                                        Currency currency) {
    if (code != currency.code())
        return refuse(Kind::unprocessable, "amount",
                      "must be in the hotel's currency, " + std::string(currency.code()),
                      "currency_mismatch");
    const auto parsed = Money::parse(amount, currency);
    if (!parsed || parsed->minor == 0)
        return refuse(Kind::unprocessable, "amount",
                      "is not a non-zero amount in " + std::string(currency.code()),
                      "invalid_amount");
    return *parsed;
}

Failure<BookingError> change_failure(ChangeError e) {
    switch (e) {
        case ChangeError::not_found:
            return refuse(Kind::not_found, "", "no such booking");
        case ChangeError::version_mismatch:
            return refuse(Kind::version_mismatch, "If-Match", "the booking has changed");
        case ChangeError::state_changed:
            return refuse(Kind::invalid_transition, "status",
                          "the booking changed state meanwhile");
        case ChangeError::sold_out:
            return refuse(Kind::sold_out, "room_type_id",
                          "no room is free for the new stay; the booking is unchanged");
        case ChangeError::retired_room_type:
            return refuse(Kind::unprocessable, "room_type_id",
                          "the room type is no longer sold; the booking is unchanged",
                          "unknown_room_type");
        case ChangeError::unknown_room:
            return refuse(Kind::unprocessable, "room_id", "is not a room of this hotel");
        case ChangeError::occupancy_exceeded:
            return refuse(Kind::unprocessable, "room_id",
                          "the room's type sleeps fewer guests than the booking has",
                          "occupancy_exceeded");
        case ChangeError::room_taken:
            return refuse(Kind::conflict, "room_id",
                          "the room is booked or out of service for these nights; the booking "
                          "is unchanged");
        case ChangeError::retired_rate_plan:
            return refuse(Kind::unprocessable, "rate_plan_id",
                          "the rate plan is no longer sold; the booking is unchanged",
                          "unknown_rate_plan");
    }
    return refuse(Kind::not_found, "", "no such booking");
}

}  // namespace

bool BookingService::sees_room(const Caller& caller, const Booking& b) {
    return may_operate_hotel(caller, b.hotel_id) || b.state.status() == BookingStatus::checked_in ||
           b.state.status() == BookingStatus::checked_out;
}

BookingService::Async<Placed> BookingService::place(const Caller& caller, PlaceRequest request,
                                                    std::optional<std::string> key,
                                                    std::string request_body,
                                                    ResponseRenderer render) {
    if (!key) {
        KeyedRequest unkeyed;  // named: GCC 12 would destroy a temporary here twice
        co_return co_await place_unkeyed(caller, std::move(request), std::move(unkeyed),
                                         std::move(render));
    }

    auto claimed = co_await store_.claim(caller.user_id, *key, request_body);
    if (!claimed) {
        auto stored = co_await store_.stored_response(caller.user_id, *key, request_body, render);
        if (!stored)
            co_return refuse(Kind::in_flight, "Idempotency-Key",
                             "a request with this Idempotency-Key is still being processed");
        if (!stored->same_request)
            co_return refuse(Kind::key_reused, "Idempotency-Key",
                             "this Idempotency-Key was used with a different request body");
        co_return Placed{stored->status, std::move(stored->body), std::nullopt};
    }
    auto claim = std::move(claimed).value();
    KeyedRequest keyed{claim.get(), caller.user_id, *key};
    std::exception_ptr failure;
    std::optional<Result<Placed, BookingError>> result;
    try {
        result.emplace(co_await place_unkeyed(caller, std::move(request), std::move(keyed),
                                              std::move(render)));
    } catch (...) {
        failure = std::current_exception();
    }
    // A completed claim is the stored response; any other outcome lets the key go, so that a
    // retry runs again. If even that fails, the claim's lease lapses by itself.
    if (failure || !*result) {
        try {
            co_await store_.release(std::move(claim));
        } catch (...) {
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    co_return std::move(*result);
}

BookingService::Async<Placed> BookingService::place_unkeyed(const Caller& caller, PlaceRequest r,
                                                            KeyedRequest keyed,
                                                            ResponseRenderer render,
                                                            bool from_store) {
    if (r.guests < 1)
        co_return refuse(Kind::invalid, "guests", "must be at least 1");
    if (r.walk_in && !may_operate_hotel(caller, r.hotel_id))
        co_return refuse(Kind::forbidden, "guest",
                         "only the hotel's staff book for a guest without an account");
    // The quote: from this node's search index while it follows the database (no read on the
    // request path; the catalogue version it carries is checked when the booking is written),
    // else from the store. Whatever a quote from memory refuses is confirmed from the store
    // first, so that a refusal never rests on an index a few milliseconds behind.
    std::optional<BookingContext> remembered;
    if (quotes_ && !from_store && quotes_->live())
        remembered = quotes_->booking_context(r.hotel_id, r.room_type_id, r.rate_plan_id,
                                              r.check_in, r.check_out);
    const bool from_memory = remembered.has_value();
    BookingContext ctx;
    if (from_memory)
        ctx = std::move(*remembered);
    else
        ctx = co_await store_.context(r.hotel_id, r.room_type_id, r.rate_plan_id, r.check_in,
                                      r.check_out);
    if (!ctx.hotel)
        co_return refuse(Kind::unprocessable, "hotel_id", "no such hotel", "unknown_hotel");
    auto quoted = quote_stay(ctx, r.check_in, r.check_out, r.guests, clock_());
    if (!quoted) {
        if (from_memory)
            co_return co_await place_unkeyed(caller, std::move(r), std::move(keyed),
                                             std::move(render), true);
        co_return fail(quoted.error());
    }
    NewBooking nb = std::move(quoted).value();
    nb.catalogue_version = ctx.catalogue_version;
    if (r.walk_in) {
        // The front desk books for someone without an account: the stay is nobody's account's.
        nb.guest_name = r.walk_in->name;
        nb.guest_email = r.walk_in->email;
        nb.guest_phone = r.walk_in->phone;
    } else {
        nb.guest_id = caller.user_id;
        nb.guest_name = r.guest_name.value_or("");
    }
    nb.special_requests = r.special_requests;
    nb.actor_id = caller.user_id;
    nb.fee_floor = Money{0, nb.total.currency};
    // A guest may hold only a few card-less stays at once, so that one guest cannot take a whole
    // room type with free cancellations. Staff book walk-ins and phone bookings: exempt.
    if (caller.role == Role::guest && !r.card_token)
        nb.unsecured_limit = policy_.max_unsecured_bookings;

    if (r.expected_amount) {
        const std::string& currency = ctx.hotel->currency;
        if (r.expected_currency.value_or("") != currency)
            co_return refuse(Kind::unprocessable, "expected_total",
                             "must be in the hotel's currency, " + currency, "currency_mismatch");
        const auto expected = Money::parse(*r.expected_amount, nb.total.currency);
        if (!expected)
            co_return refuse(Kind::unprocessable, "expected_total",
                             "is not an amount in " + currency, "invalid_amount");
        if (expected->minor != nb.total.minor) {
            if (from_memory)
                co_return co_await place_unkeyed(caller, std::move(r), std::move(keyed),
                                                 std::move(render), true);
            BookingError changed{Kind::conflict, "expected_total",
                                 "the total is now " + nb.total.amount() + " " + currency,
                                 "price_changed", nb.total};
            co_return fail(std::move(changed));
        }
    }

    if (r.card_token) {
        const std::string token = *r.card_token;
        const std::string reference = "booking:" + nb.hotel_id;
        const Money amount = nb.total;
        auto auth = co_await payments_.authorize(token, amount, reference);
        if (!auth) {
            if (auth.error() == PaymentError::declined)
                co_return refuse(Kind::payment_declined, "card_token", "the card was declined");
            co_return refuse(Kind::unprocessable, "card_token", "is not a valid card token",
                             "invalid_card_token");
        }
        nb.card_last4 = auth->card_last4;
        nb.transaction_id = auth->transaction_id;
    }

    // An authorization whose booking does not happen is voided, whatever the reason.
    std::exception_ptr failure;
    std::optional<Result<Booking, CreateError>> created;
    KeyedRequest keyed_again = keyed;  // for a second attempt after a stale quote
    try {
        created.emplace(co_await store_.create(nb, std::move(keyed), render));
    } catch (...) {
        failure = std::current_exception();
    }
    const bool booked = !failure && created && *created;
    if (!booked && nb.transaction_id)
        co_await payments_.void_authorization(*nb.transaction_id);
    if (failure)
        std::rethrow_exception(failure);
    if (!*created) {
        // The hotel's catalogue changed after the index was read: nothing was written and the
        // authorization is void; quote again from the store.
        if (created->error() == CreateError::stale_quote)
            co_return co_await place_unkeyed(caller, std::move(r), std::move(keyed_again),
                                             std::move(render), true);
        if (created->error() == CreateError::claim_lost)
            co_return refuse(Kind::in_flight, "Idempotency-Key",
                             "another request with this Idempotency-Key took it over");
        if (created->error() == CreateError::limit_reached)
            co_return refuse(Kind::limit_reached, "card_token",
                             "you already hold " + std::to_string(policy_.max_unsecured_bookings) +
                                 " confirmed bookings without a card; book with a card, or "
                                 "cancel one first");
        co_return refuse(Kind::sold_out, "room_type_id",
                         "no room of this type is free for these dates");
    }
    Booking booking = std::move(*created).value();
    std::string body = render(booking);
    co_return Placed{201, std::move(body), std::move(booking)};
}

BookingService::Async<Booking> BookingService::get(const Caller& caller, std::string booking_id) {
    auto found = co_await store_.find(std::move(booking_id));
    if (!found || !may_see_booking(caller, found->guest_id, found->hotel_id))
        co_return refuse(Kind::not_found, "", "no such booking");
    if (found->state.status() == BookingStatus::confirmed)
        found->fee_if_cancelled_now = cancellation_fee(*found, clock_());
    co_return std::move(*found);
}

BookingService::Async<BookingPage> BookingService::list(const Caller& caller,
                                                        BookingFilter filter) {
    switch (caller.role) {
        case Role::guest:
            filter.guest_id = caller.user_id;
            break;
        case Role::staff:
        case Role::manager:
            filter.hotels = caller.hotel_ids;
            break;
        case Role::admin:
            break;
    }
    auto page = co_await lists_.list(std::move(filter));
    co_return page;
}

BookingService::Async<Booking> BookingService::cancel(const Caller& caller, std::string booking_id,
                                                      std::optional<int> if_match) {
    auto found = co_await for_change(caller, std::move(booking_id), if_match, nullptr);
    if (!found)
        co_return fail(found.error());
    Booking booking = std::move(found).value();
    auto next = booking.state.cancel();
    if (!next)
        co_return refuse(Kind::invalid_transition, "status", next.error().reason);
    const Money fee = cancellation_fee(booking, clock_());
    auto cancelled = co_await store_.cancel(booking, fee, caller.user_id);
    if (!cancelled)
        co_return change_failure(cancelled.error());
    // The card pays exactly the fee; a free cancellation releases the hold.
    if (booking.transaction_id) {
        const std::string transaction = *booking.transaction_id;
        if (fee.minor > 0) {
            Booking done = std::move(cancelled).value();
            co_return co_await capture(std::move(done), fee, caller.user_id);
        }
        co_await payments_.void_authorization(transaction);
    }
    co_return std::move(cancelled).value();
}

BookingService::Async<Booking> BookingService::modify(const Caller& caller, std::string booking_id,
                                                      ModifyRequest r,
                                                      std::optional<int> if_match) {
    auto found = co_await for_change(caller, std::move(booking_id), if_match, nullptr);
    if (!found)
        co_return fail(found.error());
    Booking booking = std::move(found).value();
    if (booking.state.status() == BookingStatus::checked_in &&
        may_operate_hotel(caller, booking.hotel_id))
        co_return co_await change_in_house(caller, std::move(booking), std::move(r));
    if (booking.state.status() != BookingStatus::confirmed)
        co_return refuse(Kind::invalid_transition, "status",
                         "only a confirmed booking can be modified");
    // No sequence of changes may cost the guest less than cancelling now would (DOMAIN.md):
    // a non-refundable booking is the guest's to keep or cancel, not to change; the hotel's
    // staff still can.
    if (!may_operate_hotel(caller, booking.hotel_id) && booking.penalty == "non_refundable")
        co_return refuse(Kind::modification_not_allowed, "rate_plan_id",
                         "a non-refundable booking cannot be changed by the guest; the hotel's "
                         "staff can change it");
    const std::string type_id = r.room_type_id.value_or(booking.room_type_id);
    const std::string plan_id = r.rate_plan_id.value_or(booking.rate_plan_id);
    const long long guests = r.guests.value_or(booking.guests);
    if (guests < 1)
        co_return refuse(Kind::invalid, "guests", "must be at least 1");
    auto ctx = co_await store_.context(booking.hotel_id, type_id, plan_id, r.check_in, r.check_out);
    if (!ctx.hotel)
        co_return refuse(Kind::not_found, "", "no such booking");
    auto quoted = quote_stay(ctx, r.check_in, r.check_out, guests, clock_());
    if (!quoted)
        co_return fail(quoted.error());
    const Instant now = clock_();
    NewBooking next = std::move(quoted).value();
    next.guest_id = booking.guest_id;
    next.actor_id = caller.user_id;
    // The fee a cancellation would cost right now stays due, whatever the new terms say.
    next.fee_floor = cancellation_fee(booking, now);
    next.fee_floor.currency = next.total.currency;

    const Money new_hold = hold_for(next.total, next.fee_floor);
    StoreChange change = [&]() { return store_.modify(booking, next); };
    co_return co_await with_hold(booking, new_hold, std::move(change));
}

BookingService::Async<Booking> BookingService::with_hold(const Booking& booking, Money new_hold,
                                                         StoreChange change) {
    // The card's hold follows what the guest could owe: raised before the change (a decline
    // leaves the booking as it was), lowered after it.
    std::optional<std::string> transaction = booking.transaction_id;
    const Money old_hold = hold_for(booking.total, booking.fee_floor);
    if (transaction && new_hold.minor > old_hold.minor) {
        auto raised = co_await payments_.reauthorize(*transaction, new_hold);
        if (!raised)
            co_return refuse(Kind::payment_declined, "payment",
                             "the card declined the new total of " + new_hold.amount() + " " +
                                 new_hold.currency.code() + "; the booking is unchanged");
    }
    std::exception_ptr failure;
    std::optional<Result<Booking, ChangeError>> result;
    try {
        result.emplace(co_await change());
    } catch (...) {
        failure = std::current_exception();
    }
    const bool changed = !failure && *result;
    if (transaction && new_hold.minor != old_hold.minor &&
        (changed ? new_hold.minor < old_hold.minor : new_hold.minor > old_hold.minor)) {
        const Money hold = changed ? new_hold : old_hold;
        auto lowered = co_await payments_.reauthorize(*transaction, hold);
        (void)lowered;  // lowering a hold is never declined
    }
    if (failure)
        std::rethrow_exception(failure);
    if (!*result)
        co_return change_failure(result->error());
    co_return std::move(*result).value();
}

BookingService::Async<Booking> BookingService::change_in_house(const Caller& caller, Booking b,
                                                               ModifyRequest r) {
    if (r.check_in != b.check_in || (r.room_type_id && *r.room_type_id != b.room_type_id) ||
        (r.rate_plan_id && *r.rate_plan_id != b.rate_plan_id) ||
        (r.guests && *r.guests != b.guests))
        co_return refuse(Kind::invalid_transition, "status",
                         "a stay in the house changes only its departure; move the guest to "
                         "change rooms");
    if (!(hotel_today(b, clock_()) < r.check_out))
        co_return refuse(Kind::unprocessable, "check_out",
                         "is not after today; check the guest out instead", "invalid_dates");
    co_return co_await new_departure(caller, std::move(b), r.check_out, false);
}

BookingService::Async<Booking> BookingService::new_departure(const Caller& caller, Booking b,
                                                             Date check_out, bool depart) {
    // The hotel (its check-out time), and the plan's rates for any added nights.
    const Date first = std::min(b.check_out, check_out);
    const Date last = std::max(b.check_out, check_out);
    auto ctx = co_await store_.context(b.hotel_id, b.room_type_id, b.rate_plan_id, first, last);
    if (!ctx.hotel)
        co_return refuse(Kind::not_found, "", "no such booking");
    const auto check_out_at = check_out_instant(*ctx.hotel, check_out);
    if (!check_out_at)
        co_return refuse(Kind::unprocessable, "hotel_id", "the hotel's zone is unknown");
    if (b.check_out < check_out && !ctx.rate_plan)
        co_return refuse(Kind::unprocessable, "rate_plan_id",
                         "the rate plan is no longer sold; the stay cannot be extended",
                         "unknown_rate_plan");
    auto change = change_departure(b, check_out, ctx.rates, terms_of(b));
    if (!change)
        co_return departure_failure(change.error());
    // Leaving now, the card pays the stay at once (act captures it): the hold stays as it is.
    const Money new_hold =
        depart ? hold_for(b.total, b.fee_floor) : hold_for(change->total, b.fee_floor);
    StoreChange write = [&]() {
        return store_.change_departure(b, *change, *check_out_at, depart, caller.user_id);
    };
    co_return co_await with_hold(b, new_hold, std::move(write));
}

BookingService::Async<Booking> BookingService::for_change(const Caller& caller,
                                                          std::string booking_id,
                                                          std::optional<int> if_match,
                                                          const char* staff_only) {
    auto found = co_await store_.find(std::move(booking_id));
    if (!found || !may_see_booking(caller, found->guest_id, found->hotel_id))
        co_return refuse(Kind::not_found, "", "no such booking");
    if (staff_only && !may_operate_hotel(caller, found->hotel_id))
        co_return refuse(Kind::forbidden, "", staff_only);
    if (if_match && *if_match != found->version)
        co_return refuse(
            Kind::version_mismatch, "If-Match",
            "the booking has changed; its version is now " + std::to_string(found->version));
    co_return std::move(*found);
}

BookingService::Async<Booking> BookingService::move(const Caller& caller, std::string booking_id,
                                                    std::string room_id,
                                                    std::optional<int> if_match) {
    auto found = co_await for_change(caller, std::move(booking_id), if_match,
                                     "only the hotel's staff move guests between rooms");
    if (!found)
        co_return fail(found.error());
    Booking booking = std::move(found).value();
    const bool in_house = booking.state.status() == BookingStatus::checked_in;
    const Date today = hotel_today(booking, clock_());
    if (in_house && !(today < booking.check_out))
        co_return refuse(Kind::invalid_transition, "status",
                         "the stay ends today; check the guest out instead");
    if (!in_house && booking.state.status() != BookingStatus::confirmed)
        co_return refuse(Kind::invalid_transition, "status",
                         "only a confirmed stay or one in the house moves to another room");
    if (room_id == booking.room_id)
        co_return booking;
    // A guest in the house moves at the hotel's check-out time today: the nights before stay
    // with the room they were spent in.
    std::optional<Instant> split_at;
    if (in_house) {
        auto ctx = co_await store_.context(booking.hotel_id, booking.room_type_id,
                                           booking.rate_plan_id, today, today);
        const auto at = ctx.hotel ? check_out_instant(*ctx.hotel, today) : std::nullopt;
        if (!at)
            co_return refuse(Kind::unprocessable, "hotel_id", "the hotel's zone is unknown");
        split_at = *at;
    }
    auto moved = co_await store_.move(booking, std::move(room_id), caller.user_id, split_at);
    if (!moved)
        co_return change_failure(moved.error());
    co_return std::move(moved).value();
}

BookingService::Async<Charge> BookingService::post_charge(const Caller& caller,
                                                          std::string booking_id, ChargeRequest r,
                                                          std::optional<int> if_match) {
    auto found = co_await for_change(caller, std::move(booking_id), if_match,
                                     "only the hotel's staff post charges");
    if (!found)
        co_return fail(found.error());
    Booking booking = std::move(found).value();
    const auto status = booking.state.status();
    if (status != BookingStatus::checked_in && status != BookingStatus::checked_out)
        co_return refuse(Kind::invalid_transition, "status",
                         "charges are posted to a stay in the house or just left");
    auto amount = desk_amount(r.amount, r.currency, booking.total.currency);
    if (!amount)
        co_return fail(amount.error());
    if (r.date < booking.check_in || booking.check_out < r.date)
        co_return refuse(Kind::unprocessable, "date",
                         "must be a day of the stay, from its arrival to its departure",
                         "invalid_dates");
    Charge charge{"", std::move(r.description), r.date, *amount, Instant{}};
    auto posted = co_await store_.post_charge(booking, std::move(charge), caller.user_id);
    if (!posted)
        co_return change_failure(posted.error());
    co_return std::move(posted).value();
}

BookingService::Async<Booking> BookingService::capture(Booking booking, Money amount,
                                                       const std::string& actor_id) {
    const std::string transaction = *booking.transaction_id;
    co_await payments_.capture(transaction, amount);
    Payment paid{Payment::Kind::payment, Payment::Method::card, "", amount, transaction, {}};
    co_await store_.record_payment(booking, std::move(paid), actor_id);
    // The booking as it stands now, its balance with the capture.
    auto fresh = co_await store_.find(booking.id);
    if (fresh)
        co_return std::move(*fresh);
    co_return booking;
}

BookingService::Async<Payment> BookingService::record_payment(const Caller& caller,
                                                              std::string booking_id,
                                                              PaymentRequest r) {
    auto found = co_await for_change(caller, std::move(booking_id), std::nullopt,
                                     "only the hotel's staff record payments");
    if (!found)
        co_return fail(found.error());
    const Booking booking = std::move(found).value();
    auto amount = desk_amount(r.amount, r.currency, booking.total.currency);
    if (!amount)
        co_return fail(amount.error());
    Payment p{r.kind, r.method, "", *amount, std::move(r.reference), {}};
    auto recorded = co_await store_.record_payment(booking, std::move(p), caller.user_id);
    co_return recorded;
}

BookingService::Async<BookingService::Folio> BookingService::folio(const Caller& caller,
                                                                   std::string booking_id) {
    auto found = co_await get(caller, std::move(booking_id));
    if (!found)
        co_return fail(found.error());
    Folio f;
    f.booking = std::move(found).value();
    const auto currency = f.booking.total.currency;
    f.invoiced = f.paid = Money{0, currency};
    auto documents = co_await store_.invoices(f.booking.hotel_id, f.booking.id);
    for (auto& d : documents) {
        f.invoiced.minor += d.total.minor;
        // What is charged now: the current invoice, unless a credit note cancelled it.
        if (d.id == f.booking.invoice.id && d.status == "issued")
            f.lines = std::move(d.lines);
    }
    f.payments = co_await store_.payments(f.booking.hotel_id, f.booking.id);
    for (const auto& p : f.payments)
        f.paid.minor += p.kind == Payment::Kind::payment ? p.amount.minor : -p.amount.minor;
    f.balance_due = Money{f.invoiced.minor - f.paid.minor, currency};
    co_return f;
}

BookingService::Async<std::vector<InvoiceDocument>> BookingService::invoices(
    const Caller& caller, std::string booking_id) {
    auto found = co_await get(caller, std::move(booking_id));
    if (!found)
        co_return fail(found.error());
    auto documents = co_await store_.invoices(found->hotel_id, found->id);
    co_return documents;
}

BookingService::Async<Booking> BookingService::act(const Caller& caller, std::string booking_id,
                                                   StaffAction action, std::optional<int> if_match,
                                                   bool force) {
    auto found = co_await for_change(caller, std::move(booking_id), if_match,
                                     "only the hotel's staff check guests in and out");
    if (!found)
        co_return fail(found.error());
    Booking booking = std::move(found).value();
    const Date today = hotel_today(booking, clock_());
    Result<BookingState, TransitionError> next =
        fail(TransitionError{booking.state.status(), "", ""});
    std::string event;
    switch (action) {
        case StaffAction::check_in:
            next = booking.state.check_in(today, booking.check_in);
            event = "booking.checked_in";
            if (next && !force) {
                const auto room =
                    co_await store_.housekeeping_of(booking.hotel_id, booking.room_id);
                if (!ready_for_arrival(room))
                    co_return refuse(Kind::room_not_ready, "force",
                                     "room " + booking.room_number + " is " +
                                         std::string(to_string(room)) +
                                         "; check in anyway with {\"force\": true}");
            }
            break;
        case StaffAction::check_out:
            next = booking.state.check_out();
            event = "booking.checked_out";
            if (next) {
                // Before the booked departure: the nights after today are released at once and
                // cost what the terms say (the stay keeps its first night).
                const Date leaving = std::max(today, add_days(booking.check_in, 1));
                if (leaving < booking.check_out) {
                    auto left = co_await new_departure(caller, booking, leaving, true);
                    if (left && booking.transaction_id) {
                        const Money paid = left->total;
                        Booking gone = std::move(left).value();
                        co_return co_await capture(std::move(gone), paid, caller.user_id);
                    }
                    co_return std::move(left);
                }
            }
            break;
        case StaffAction::no_show:
            next = booking.state.no_show(today, booking.check_in);
            event = "booking.no_show";
            break;
    }
    if (!next)
        co_return refuse(Kind::invalid_transition, "status", next.error().reason);
    const BookingStatus to = next->status();
    auto changed = co_await store_.transition(booking, to, event, caller.user_id);
    if (!changed)
        co_return change_failure(changed.error());
    // At check-out the card pays the stay.
    if (action == StaffAction::check_out && booking.transaction_id) {
        Booking gone = std::move(changed).value();
        co_return co_await capture(std::move(gone), booking.total, caller.user_id);
    }
    co_return std::move(changed).value();
}

}  // namespace hotel::core
