#pragma once
// Text that crosses the edge: strict UTF-8 (RFC 3629), NUL, percent-decoding. Every string a
// client sends that may be stored or compared (path, query, stored header values, JSON) passes
// these checks first, so PostgreSQL never sees bytes it would refuse (a 500) or truncate (NUL).

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace hotel::http {

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates (U+D800-DFFF), nothing
// above U+10FFFF, so no C0, C1 or F5-FF lead bytes.
bool is_valid_utf8(std::string_view bytes) noexcept;
// The text with every byte that starts no well-formed sequence replaced by U+FFFD: for
// writing client bytes where the output must stay UTF-8 (log lines).
std::string to_valid_utf8(std::string_view bytes);
// Valid UTF-8 with no NUL character: what a text column can store exactly.
bool is_storable_text(std::string_view bytes) noexcept;

// %XX decoded; with plus_as_space, '+' is a space (form encoding, for query strings). A '%' not
// followed by two hex digits stays as it is.
std::string percent_decode(std::string_view text, bool plus_as_space);

// The items of a header's list ("gzip, br;q=0.5" by ',', "a=b; c=d" by ';'), each without the
// spaces and tabs around it, empty ones left out.
std::vector<std::string_view> list_items(std::string_view value, char separator);

// The request target's text rules: the percent-decoded path and every percent-decoded query
// name and value must be storable text. One error per offending part ("path", or the name of
// the query parameter); empty when the target is acceptable.
std::vector<FieldError> check_target_text(std::string_view path, std::string_view query);

}  // namespace hotel::http
