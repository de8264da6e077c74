#pragma once
// People and access (DOMAIN.md "People and access"): roles, the authenticated caller, and the
// authorization rules as plain functions, so every role x action is unit-testable.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotel::core {

enum class Role { guest, staff, manager, admin };

std::string_view to_string(Role role) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;

// Who is calling, as established by a verified access token.
struct Caller {
    std::string user_id;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;  // the hotels a staff member or manager works for

    bool works_for(std::string_view hotel_id) const noexcept;
};

// --- authorization rules ----------------------------------------------------------------------
// Admins create users of any role.
bool may_create_users(const Caller& caller) noexcept;
// Admins change a user's role, hotel scope and status (PATCH /v1/users/{id}).
bool may_manage_users(const Caller& caller) noexcept;
// Staff and managers work for hotels; guests and admins are not scoped to any.
bool is_hotel_scoped(Role role) noexcept;
// Catalogue and rates of a hotel: an admin, or a manager of that hotel.
bool may_manage_catalogue(const Caller& caller, std::string_view hotel_id) noexcept;
// Only admins create hotels.
bool may_create_hotels(const Caller& caller) noexcept;
// Staff-level reads and operations of a hotel (room lists, availability, its bookings,
// check-in/out, no-show): an admin, or staff or a manager of that hotel.
bool may_operate_hotel(const Caller& caller, std::string_view hotel_id) noexcept;
// A booking is visible to its guest, to staff/managers of its hotel, and to admins. Anyone
// else must be told it does not exist (404, never 403).
bool may_see_booking(const Caller& caller, std::string_view guest_id,
                     std::string_view hotel_id) noexcept;

// --- credentials ------------------------------------------------------------------------------
// Without leading and trailing ASCII white space.
std::string_view trim(std::string_view text) noexcept;
// Trimmed and lower-cased; emails are unique in that form.
std::string normalize_email(std::string_view email);
// A plausible address: local@domain.tld, at most 254 bytes, no spaces or control characters.
bool is_valid_email(std::string_view normalized) noexcept;
// A phone number as people write it: digits with optional spaces, dots, dashes, parentheses
// and one leading '+'; 5 to 20 digits, at most 32 characters.
bool is_valid_phone(std::string_view phone) noexcept;
// Passwords are 10-256 characters (Unicode code points of valid UTF-8).
constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordChars = 256;
std::optional<std::size_t> utf8_length(std::string_view text) noexcept;
bool is_acceptable_password(std::string_view password) noexcept;
// Display names: 1-200 characters after trimming.
bool is_acceptable_name(std::string_view name) noexcept;

}  // namespace hotel::core
