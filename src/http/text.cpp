#include "http/text.hpp"

namespace hotel::http {

namespace {
// The length of the well-formed UTF-8 sequence at p (RFC 3629 §4), 0 when there is none.
std::size_t sequence_length(const unsigned char* p, const unsigned char* end) noexcept {
    const unsigned char c = *p;
    if (c < 0x80)
        return 1;
    // The second byte's range depends on the first; later ones are 80-BF.
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c == 0xE0) {
        len = 3;
        lo = 0xA0;  // no overlong three-byte forms
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        len = 3;
    } else if (c == 0xED) {
        len = 3;
        hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
        len = 4;
        lo = 0x90;  // no overlong four-byte forms
    } else if (c >= 0xF1 && c <= 0xF3) {
        len = 4;
    } else if (c == 0xF4) {
        len = 4;
        hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;  // 80-C1 (continuation or overlong lead), F5-FF
    }
    if (static_cast<std::size_t>(end - p) < len)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (std::size_t i = 2; i < len; ++i)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}
}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const auto len = sequence_length(p, end);
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

std::string to_valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const auto len = sequence_length(p, end);
        if (len == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD for each byte that starts no sequence
            ++p;
        } else {
            out.append(reinterpret_cast<const char*>(p), len);
            p += len;
        }
    }
    return out;
}

bool is_storable_text(std::string_view s) noexcept {
    return s.find('\0') == std::string_view::npos && is_valid_utf8(s);
}

namespace {
int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
}  // namespace

std::vector<std::string_view> list_items(std::string_view value, char separator) {
    std::vector<std::string_view> items;
    while (!value.empty()) {
        const auto at = value.find(separator);
        auto item = value.substr(0, at);
        value = at == std::string_view::npos ? std::string_view() : value.substr(at + 1);
        const auto first = item.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            continue;
        item = item.substr(first, item.find_last_not_of(" \t") - first + 1);
        items.push_back(item);
    }
    return items;
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (plus_as_space && s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<FieldError> check_target_text(std::string_view path, std::string_view query) {
    std::vector<FieldError> errors;
    constexpr const char* kMessage = "must be UTF-8 text without NUL characters";
    if (!is_storable_text(path) || !is_storable_text(percent_decode(path, false)))
        errors.push_back({"path", kMessage});
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = part.find('=');
        const auto name = percent_decode(part.substr(0, eq), true);
        const auto value = eq == std::string_view::npos ? std::string()
                                                        : percent_decode(part.substr(eq + 1), true);
        if (is_storable_text(name) && is_storable_text(value))
            continue;
        // Name the parameter when its name is printable; the problem body must stay valid JSON.
        errors.push_back({is_storable_text(name) ? name : std::string("query"), kMessage});
        if (errors.size() >= 10)
            break;  // enough to explain; a hostile query string need not be echoed whole
    }
    return errors;
}

}  // namespace hotel::http
