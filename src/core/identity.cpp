#include "core/identity.hpp"

#include <algorithm>

#include "core/names.hpp"

namespace hotel::core {

namespace {
constexpr std::pair<Role, std::string_view> kRoleNames[] = {
    {Role::guest, "guest"},
    {Role::staff, "staff"},
    {Role::manager, "manager"},
    {Role::admin, "admin"},
};
}  // namespace

std::string_view to_string(Role role) noexcept {
    return name_in(kRoleNames, role, "guest");
}

std::optional<Role> parse_role(std::string_view text) noexcept {
    return value_named(kRoleNames, text);
}

bool Caller::works_for(std::string_view hotel_id) const noexcept {
    return std::find(hotel_ids.begin(), hotel_ids.end(), hotel_id) != hotel_ids.end();
}

bool may_create_users(const Caller& c) noexcept {
    return c.role == Role::admin;
}

bool may_manage_users(const Caller& c) noexcept {
    return c.role == Role::admin;
}

bool is_hotel_scoped(Role role) noexcept {
    return role == Role::staff || role == Role::manager;
}

bool may_create_hotels(const Caller& c) noexcept {
    return c.role == Role::admin;
}

bool may_manage_catalogue(const Caller& c, std::string_view hotel_id) noexcept {
    return c.role == Role::admin || (c.role == Role::manager && c.works_for(hotel_id));
}

bool may_operate_hotel(const Caller& c, std::string_view hotel_id) noexcept {
    return c.role == Role::admin ||
           ((c.role == Role::manager || c.role == Role::staff) && c.works_for(hotel_id));
}

bool may_see_booking(const Caller& c, std::string_view guest_id,
                     std::string_view hotel_id) noexcept {
    return c.user_id == guest_id || may_operate_hotel(c, hotel_id);
}

std::string_view trim(std::string_view text) noexcept {
    auto is_space = [](unsigned char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
    };
    while (!text.empty() && is_space(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && is_space(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

std::string normalize_email(std::string_view email) {
    std::string out(trim(email));
    for (auto& ch : out)
        if (ch >= 'A' && ch <= 'Z')
            ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

bool is_valid_email(std::string_view e) noexcept {
    if (e.size() < 3 || e.size() > 254)
        return false;
    const auto at = e.find('@');
    if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
        return false;
    const auto domain = e.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size())
        return false;
    if (domain.find("..") != std::string_view::npos)
        return false;
    for (unsigned char ch : e)
        if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == ';' ||
            ch == '"' || ch == '\\')
            return false;
    return true;
}

bool is_valid_phone(std::string_view p) noexcept {
    if (p.empty() || p.size() > 32)
        return false;
    int digits = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char ch = p[i];
        if (ch >= '0' && ch <= '9')
            ++digits;
        else if (ch == '+' ? i != 0
                           : (ch != ' ' && ch != '.' && ch != '-' && ch != '(' && ch != ')'))
            return false;
    }
    return digits >= 5 && digits <= 20;
}

std::optional<std::size_t> utf8_length(std::string_view s) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xe  ? 3
                          : (c >> 3) == 0x1e ? 4
                                             : 0;
        if (len == 0 || i + len > s.size())
            return std::nullopt;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2)
                return std::nullopt;
        i += len;
        ++n;
    }
    return n;
}

bool is_acceptable_password(std::string_view password) noexcept {
    const auto n = utf8_length(password);
    return n && *n >= kMinPasswordChars && *n <= kMaxPasswordChars;
}

bool is_acceptable_name(std::string_view name) noexcept {
    const auto trimmed = trim(name);
    if (trimmed.empty())
        return false;
    const auto n = utf8_length(trimmed);
    return n && *n <= 200;
}

}  // namespace hotel::core
