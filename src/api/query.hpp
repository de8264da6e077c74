#pragma once
// Query-string parameters: percent-decoded, first occurrence wins, with typed readers that
// collect errors (400 validation_failed naming the parameter).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.hpp"
#include "http/message.hpp"

namespace hotel::api {

class Query {
  public:
    explicit Query(std::string_view raw);
    std::optional<std::string> text(std::string_view name, bool required = false);
    std::optional<core::Date> date(std::string_view name, bool required = false);
    std::optional<std::string> uuid(std::string_view name, bool required = false);
    std::optional<long long> integer(std::string_view name, long long min, long long max,
                                     bool required = false);
    bool ok() const { return errors_.empty(); }
    http::Response problem() const;
    void reject(std::string field, std::string message);

  private:
    std::vector<std::pair<std::string, std::string>> params_;
    std::vector<http::FieldError> errors_;
};

struct Page {
    long long page = 1;
    long long per_page = 20;
};
// ?page=1&per_page=20; per_page at most 100 (400 otherwise).
Page read_page(Query& query);

// ?from=YYYY-MM-DD&to=YYYY-MM-DD, both required (the rules on the range are the use case's).
struct DateRange {
    core::Date from, to;
};
// nullopt when either is missing or malformed (the query holds the errors).
std::optional<DateRange> read_range(Query& query);

}  // namespace hotel::api
