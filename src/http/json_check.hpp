#pragma once
// A strict look at JSON text before it is trusted, for request bodies and token parts alike:
// one JSON value, UTF-8 (RFC 3629, no lone surrogate escapes), every key once per object
// (RFC 8259 leaves duplicates to the parser; we give them no meaning at all), no NUL in any
// string or key (a text column would store "a\u0000b" as "a").
//
// Boost.JSON stays inside json_check.cpp: this header is plain C++.

#include <optional>
#include <string>
#include <string_view>

namespace hotel::http {

struct JsonTextIssue {
    enum class Kind {
        syntax,           // not JSON at all (or nested deeper than 32)
        invalid_unicode,  // bytes that are not UTF-8, or a lone surrogate escape
        duplicate_key,    // `field` is the key's path, e.g. "guest.name"
        nul_character,    // `field` is the path of the string (or object, for a key) with NUL
    };
    Kind kind = Kind::syntax;
    std::string field;
};

// std::nullopt when the text passes every rule above; else the first issue found.
std::optional<JsonTextIssue> check_json_text(std::string_view text);

}  // namespace hotel::http
