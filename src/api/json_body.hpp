#pragma once
// Strict reading of JSON request bodies: the body must be an object, every field must have
// the expected type, required fields must be present, and unknown fields are rejected (this
// blocks mass assignment). The text must be UTF-8 with every key once and no NUL in any string
// (http/json_check.hpp). Problems are collected per field and answered together as
// 400 `validation_failed`; a body that is not JSON at all is 400 `invalid_json`.

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/catalogue.hpp"
#include "http/message.hpp"

namespace hotel::api {

class JsonBody {
  public:
    // Parses the body; `allowed` lists every field the endpoint accepts.
    JsonBody(const http::Request& request, std::initializer_list<std::string_view> allowed);
    ~JsonBody();
    JsonBody(const JsonBody&) = delete;
    JsonBody& operator=(const JsonBody&) = delete;

    std::optional<std::string> string(std::string_view field, bool required = true);
    std::optional<long long> integer(std::string_view field, bool required = true);
    std::optional<bool> boolean(std::string_view field, bool required = true);
    std::optional<std::vector<std::string>> string_array(std::string_view field,
                                                         bool required = true);
    // Strings of a given form: a UUID, a date (YYYY-MM-DD), a time of day (HH:MM).
    std::optional<std::string> uuid(std::string_view field, bool required = true);
    std::optional<core::Date> date(std::string_view field, bool required = true);
    std::optional<core::TimeOfDay> time_of_day(std::string_view field, bool required = true);
    // A Money object {"amount": "129.00", "currency": "EUR"} (strings only).
    struct MoneyFields {
        std::optional<std::string> amount;
        std::optional<std::string> currency;
    };
    MoneyFields money(std::string_view field, bool required = false);
    // Nested values: every reader takes a path as its field, "derived_from.rate_plan_id" or
    // "inclusions[0].name", and names it so in its errors.
    // An object whose fields are all in `allowed` (false when absent, null or refused).
    bool object(std::string_view field, std::initializer_list<std::string_view> allowed,
                bool required = false);
    // An array of at most `most` objects: its length.
    std::optional<std::size_t> objects(std::string_view field, std::size_t most,
                                       bool required = false);
    bool has(std::string_view field) const;
    // A field present with the value null.
    bool is_null(std::string_view field) const;

    // Records a problem found by the caller (a bad UUID, a bad date ...).
    void reject(std::string field, std::string message);
    bool ok() const { return errors_.empty() && !invalid_json_; }
    // 400 invalid_json or 400 validation_failed with the collected field errors.
    http::Response problem() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool invalid_json_ = false;
    // The body was refused as a whole (not JSON, not an object, or against the text rules):
    // the field readers then add nothing to the one error that says why.
    bool unreadable_ = false;
    std::vector<http::FieldError> errors_;
};

// Fields a partial update may leave out but not set to null ("cannot be null").
void refuse_nulls(JsonBody& body, std::initializer_list<std::string_view> fields);

// A partial update's field that may be cleared: absent keeps, null clears, a value sets.
template <class T>
core::Patch<T> patch_of(const JsonBody& body, std::string_view field, std::optional<T> value) {
    if (body.is_null(field))
        return core::Patch<T>::clear();
    if (value)
        return core::Patch<T>::set(std::move(*value));
    return core::Patch<T>::keep();
}

// A problem whose detail is `message`, naming `field` in its errors (none when it is empty).
http::Problem field_problem(int status, http::ProblemCode code, std::string title,
                            const std::string& message, const std::string& field);
// 400 `validation_failed` naming `field`, for a value a use case found malformed.
http::Response validation_failed(const std::string& field, const std::string& message);
// 422 `unprocessable` for a well-formed request that breaks a rule.
http::Response unprocessable(std::string field, std::string message);
// A problem with a code and status.
http::Response problem(int status, http::ProblemCode code, std::string detail);

}  // namespace hotel::api
