#include "core/booking.hpp"

#include <algorithm>

#include "core/names.hpp"

namespace hotel::core {

namespace {
constexpr std::pair<BookingStatus, std::string_view> kStatusNames[] = {
    {BookingStatus::confirmed, "confirmed"},     {BookingStatus::checked_in, "checked_in"},
    {BookingStatus::checked_out, "checked_out"}, {BookingStatus::cancelled, "cancelled"},
    {BookingStatus::no_show, "no_show"},
};
}  // namespace

std::string_view to_string(BookingStatus s) noexcept {
    return name_in(kStatusNames, s, "confirmed");
}

std::optional<BookingStatus> parse_booking_status(std::string_view t) noexcept {
    return value_named(kStatusNames, t);
}

namespace {
constexpr std::pair<Payment::Kind, std::string_view> kPaymentKinds[] = {
    {Payment::Kind::payment, "payment"},
    {Payment::Kind::refund, "refund"},
};
constexpr std::pair<Payment::Method, std::string_view> kPaymentMethods[] = {
    {Payment::Method::card, "card"},
    {Payment::Method::cash, "cash"},
    {Payment::Method::bank_transfer, "bank_transfer"},
};
}  // namespace

std::string_view to_string(Payment::Kind k) noexcept {
    return name_in(kPaymentKinds, k, "payment");
}
std::string_view to_string(Payment::Method m) noexcept {
    return name_in(kPaymentMethods, m, "card");
}
std::optional<Payment::Kind> parse_payment_kind(std::string_view t) noexcept {
    return value_named(kPaymentKinds, t);
}
std::optional<Payment::Method> parse_payment_method(std::string_view t) noexcept {
    return value_named(kPaymentMethods, t);
}

bool BookingState::holds_room() const noexcept {
    return status_ == BookingStatus::confirmed || status_ == BookingStatus::checked_in ||
           status_ == BookingStatus::checked_out;
}

namespace {
Failure<TransitionError> refuse(BookingStatus from, const char* action, std::string reason) {
    return fail(TransitionError{from, action, std::move(reason)});
}
}  // namespace

Result<BookingState, TransitionError> BookingState::cancel() const {
    if (status_ != BookingStatus::confirmed)
        return refuse(status_, "cancel",
                      "only a confirmed booking can be cancelled; this one is " +
                          std::string(to_string(status_)));
    return BookingState(BookingStatus::cancelled);
}

Result<BookingState, TransitionError> BookingState::check_in(const Date& today,
                                                             const Date& arrival) const {
    if (status_ != BookingStatus::confirmed)
        return refuse(status_, "check-in", "only a confirmed booking can check in");
    if (days_between(arrival, today) < 0)
        return refuse(status_, "check-in", "check-in opens on the arrival date");
    return BookingState(BookingStatus::checked_in);
}

Result<BookingState, TransitionError> BookingState::check_out() const {
    if (status_ != BookingStatus::checked_in)
        return refuse(status_, "check-out", "only a checked-in booking can check out");
    return BookingState(BookingStatus::checked_out);
}

Result<BookingState, TransitionError> BookingState::no_show(const Date& today,
                                                            const Date& arrival) const {
    if (status_ != BookingStatus::confirmed)
        return refuse(status_, "no-show", "only a confirmed booking can be a no-show");
    if (days_between(arrival, today) < 0)
        return refuse(status_, "no-show", "a no-show can be recorded from the arrival date on");
    return BookingState(BookingStatus::no_show);
}

}  // namespace hotel::core

namespace hotel::core {

std::vector<InvoiceLine> night_lines(const std::vector<NightPrice>& nightly,
                                     const std::vector<Inclusion>& inclusions) {
    std::vector<InvoiceLine> lines;
    lines.reserve(nightly.size() * (1 + inclusions.size()));
    for (const auto& n : nightly) {
        const auto day = format_date(n.date);
        const auto room_at = lines.size();
        lines.push_back({"Night of " + day, n.date, n.amount, "item"});
        std::int64_t left = n.amount.minor;
        for (const auto& inc : inclusions) {
            const std::int64_t part = std::min(inc.amount_minor, std::max<std::int64_t>(left, 0));
            if (part <= 0)
                continue;
            left -= part;
            lines.push_back(
                {inc.name + ", night of " + day, n.date, Money{part, n.amount.currency}, "item"});
        }
        lines[room_at].amount.minor = left;
    }
    return lines;
}

}  // namespace hotel::core
