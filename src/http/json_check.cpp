#include "http/json_check.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <vector>

#include "http/text.hpp"

namespace hotel::http {
namespace json = boost::json;

namespace {

// Sees the parser's events, keeps one frame per open object or array and stops at the first
// duplicate key or NUL. Builds no document.
struct Checker {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    struct Frame {
        bool object = false;
        std::vector<std::string> keys;  // objects: keys seen so far
        std::size_t index = 0;          // arrays: index of the next element
    };
    std::vector<Frame> frames;
    std::string part;  // a key or string arriving in pieces
    std::optional<JsonTextIssue> issue;

    std::string path() const {
        std::string out;
        for (const auto& f : frames) {
            if (f.object) {
                if (f.keys.empty())
                    continue;
                if (!out.empty())
                    out += '.';
                out += f.keys.back();
            } else {
                out += '[' + std::to_string(f.index) + ']';
            }
        }
        return out;
    }
    bool fail(JsonTextIssue::Kind kind, std::string field, json::error_code& ec) {
        issue = JsonTextIssue{kind, std::move(field)};
        ec = json::error::extra_data;  // any error stops the parser here
        return false;
    }
    // A scalar or container finished as an element of its parent.
    void element_done() {
        if (!frames.empty() && !frames.back().object)
            ++frames.back().index;
    }

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_object_begin(json::error_code&) {
        frames.push_back({true, {}, 0});
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        frames.pop_back();
        element_done();
        return true;
    }
    bool on_array_begin(json::error_code&) {
        frames.push_back({false, {}, 0});
        return true;
    }
    bool on_array_end(std::size_t, json::error_code&) {
        frames.pop_back();
        element_done();
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        part.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        part.append(s.data(), s.size());
        std::string key = std::move(part);
        part.clear();
        auto& keys = frames.back().keys;
        if (key.find('\0') != std::string::npos)
            return fail(JsonTextIssue::Kind::nul_character, path(), ec);
        for (const auto& k : keys)
            if (k == key) {
                keys.push_back(std::move(key));
                return fail(JsonTextIssue::Kind::duplicate_key, path(), ec);
            }
        keys.push_back(std::move(key));
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code& ec) {
        if (s.find('\0') != json::string_view::npos)
            return fail(JsonTextIssue::Kind::nul_character, path(), ec);
        return true;
    }
    bool on_string(json::string_view s, std::size_t n, json::error_code& ec) {
        return on_string_part(s, n, ec) && (element_done(), true);
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code&) { return scalar(); }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return scalar(); }
    bool on_double(double, json::string_view, json::error_code&) { return scalar(); }
    bool on_bool(bool, json::error_code&) { return scalar(); }
    bool on_null(json::error_code&) { return scalar(); }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
    bool scalar() {
        element_done();
        return true;
    }
};

// Whether the text holds a "\\uD800"-"\\uDBFF" escape not followed by a low one. Boost.JSON
// 1.81 reports that case as a plain syntax error; it is a Unicode problem, and said so.
bool has_lone_high_surrogate(std::string_view t) {
    auto hex4 = [&](std::size_t at, unsigned& out) {
        if (at + 4 > t.size())
            return false;
        out = 0;
        for (std::size_t i = at; i < at + 4; ++i) {
            const char c = t[i];
            const int v = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (v < 0)
                return false;
            out = out * 16 + static_cast<unsigned>(v);
        }
        return true;
    };
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        if (t[i] != '\\')
            continue;
        unsigned u = 0;
        if (t[i + 1] == 'u' && hex4(i + 2, u) && u >= 0xD800 && u <= 0xDBFF) {
            unsigned low = 0;
            if (!(i + 7 < t.size() && t[i + 6] == '\\' && t[i + 7] == 'u' && hex4(i + 8, low) &&
                  low >= 0xDC00 && low <= 0xDFFF))
                return true;
        }
        ++i;  // skip the escaped character, so "\\\\u..." is not read as an escape
    }
    return false;
}

}  // namespace

std::optional<JsonTextIssue> check_json_text(std::string_view text) {
    // Boost.JSON rejects bytes that are not UTF-8 as a plain syntax error; tell them apart.
    if (!is_valid_utf8(text))
        return JsonTextIssue{JsonTextIssue::Kind::invalid_unicode, {}};
    json::basic_parser<Checker> parser(json::parse_options{});
    json::error_code ec;
    const auto used = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().issue)
        return parser.handler().issue;
    // A high surrogate escape not followed by "\u" is as lone as one followed by a non-low one.
    if (ec == json::error::illegal_leading_surrogate ||
        ec == json::error::illegal_trailing_surrogate || ec == json::error::expected_utf16_escape)
        return JsonTextIssue{JsonTextIssue::Kind::invalid_unicode, parser.handler().path()};
    if (ec == json::error::syntax && has_lone_high_surrogate(text))
        return JsonTextIssue{JsonTextIssue::Kind::invalid_unicode, parser.handler().path()};
    if (ec || used != text.size())
        return JsonTextIssue{JsonTextIssue::Kind::syntax, {}};
    return std::nullopt;
}

}  // namespace hotel::http
