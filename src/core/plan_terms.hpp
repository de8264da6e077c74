#pragma once
// What a rate plan adds to its daily rates (docs/DOMAIN.md "Rate plans: occupancy, inclusions,
// derived plans"): the guests its price is for and what each further guest costs, what the
// price includes (for the invoice's lines), and, for a derived plan, the plan its daily rates
// follow and by how much.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotel::core {

// A night's price is for `included_guests`; every guest beyond them adds `extra_guest_minor`
// to each night. The default (one guest, nothing extra) prices the room whatever the guests.
struct Occupancy {
    int included_guests = 1;
    std::int64_t extra_guest_minor = 0;

    // What `guests` add to each night's rate.
    std::int64_t extra_per_night(int guests) const noexcept {
        return guests > included_guests
                   ? static_cast<std::int64_t>(guests - included_guests) * extra_guest_minor
                   : 0;
    }
};

// Something the price includes, such as breakfast. With an amount (per night, in minor units),
// the invoice shows it as a line of its own, carved out of the night's price; without one it is
// only named.
struct Inclusion {
    std::string name;
    std::int64_t amount_minor = 0;
};
constexpr std::size_t kMaxInclusions = 10;

// A derived plan's daily rates are its parent's, with each price adjusted by `adjustment_bp`
// basis points (-1000 = 10% less) and rounded half to even to the minor unit. A parent is never
// itself derived.
struct DerivedFrom {
    std::string plan_id;
    int adjustment_bp = 0;
};

// "-10", "+12.5", "7.25": a percentage with at most two decimals, above -100 and at most 1000,
// in basis points.
std::optional<int> parse_adjustment(std::string_view text) noexcept;
// The percentage back as text with two decimals: "-10.00".
std::string format_adjustment(int basis_points);
// The parent's price adjusted (a night without a price stays without one).
std::optional<std::int64_t> derived_price(std::optional<std::int64_t> parent_minor,
                                          int basis_points) noexcept;

}  // namespace hotel::core
