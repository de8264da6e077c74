#include "api/json_text.hpp"

#include <charconv>

namespace hotel::api {

void JsonText::value_starts() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back())
            out_ += ',';
        first_.back() = false;
    }
}

JsonText& JsonText::begin_object() {
    value_starts();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

JsonText& JsonText::end_object() {
    out_ += '}';
    first_.pop_back();
    return *this;
}

JsonText& JsonText::begin_array() {
    value_starts();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonText& JsonText::end_array() {
    out_ += ']';
    first_.pop_back();
    return *this;
}

JsonText& JsonText::key(std::string_view name) {
    value_starts();
    escaped(name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonText& JsonText::string(std::string_view value) {
    value_starts();
    escaped(value);
    return *this;
}

JsonText& JsonText::number(long long value) {
    value_starts();
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, end);
    return *this;
}

JsonText& JsonText::boolean(bool value) {
    value_starts();
    out_ += value ? "true" : "false";
    return *this;
}

JsonText& JsonText::null() {
    value_starts();
    out_ += "null";
    return *this;
}

// Quotes, backslashes and control characters escaped; everything else (valid UTF-8, as every
// text the server keeps) as it is.
void JsonText::escaped(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            default:
                if (c < 0x20) {
                    out_ += "\\u00";
                    out_ += hex[c >> 4];
                    out_ += hex[c & 15];
                } else {
                    out_ += ch;
                }
        }
    }
    out_ += '"';
}

}  // namespace hotel::api
