#include "api/query.hpp"

#include <charconv>

#include "core/infrastructure.hpp"
#include "http/text.hpp"

namespace hotel::api {

Query::Query(std::string_view raw) {
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const auto part = raw.substr(0, amp);
        raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
        if (part.empty())
            continue;
        const auto eq = part.find('=');
        auto name = http::percent_decode(part.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::string()
                                                  : http::percent_decode(part.substr(eq + 1), true);
        // The server already refuses such targets; a reader used elsewhere must not pass them on.
        if (!http::is_storable_text(name) || !http::is_storable_text(value)) {
            errors_.push_back({http::is_storable_text(name) ? name : std::string("query"),
                               "must be UTF-8 text without NUL characters"});
            continue;
        }
        params_.emplace_back(std::move(name), std::move(value));
    }
}

std::optional<std::string> Query::text(std::string_view name, bool required) {
    for (const auto& [k, v] : params_)
        if (k == name)
            return v;
    if (required)
        errors_.push_back({std::string(name), "is required"});
    return std::nullopt;
}

std::optional<core::Date> Query::date(std::string_view name, bool required) {
    auto v = text(name, required);
    if (!v)
        return std::nullopt;
    auto d = core::parse_date(*v);
    if (!d)
        errors_.push_back({std::string(name), "must be a date, YYYY-MM-DD"});
    return d;
}

std::optional<std::string> Query::uuid(std::string_view name, bool required) {
    auto v = text(name, required);
    if (!v)
        return std::nullopt;
    if (!core::is_uuid(*v)) {
        errors_.push_back({std::string(name), "must be a UUID"});
        return std::nullopt;
    }
    return v;
}

std::optional<long long> Query::integer(std::string_view name, long long min, long long max,
                                        bool required) {
    auto v = text(name, required);
    if (!v)
        return std::nullopt;
    long long n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size() || n < min || n > max) {
        errors_.push_back({std::string(name), "must be an integer from " + std::to_string(min) +
                                                  " to " + std::to_string(max)});
        return std::nullopt;
    }
    return n;
}

void Query::reject(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
}

http::Response Query::problem() const {
    return http::Response::from(http::make_problem(400, "validation_failed", "Validation failed",
                                                   "Some query parameters are malformed.",
                                                   errors_));
}

std::optional<DateRange> read_range(Query& q) {
    auto from = q.date("from", true);
    auto to = q.date("to", true);
    if (!from || !to)
        return std::nullopt;
    return DateRange{*from, *to};
}

Page read_page(Query& q) {
    Page p;
    if (auto v = q.integer("page", 1, 1'000'000))
        p.page = *v;
    if (auto v = q.integer("per_page", 1, 100))
        p.per_page = *v;
    return p;
}

}  // namespace hotel::api
