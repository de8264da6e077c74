#include "api/json_body.hpp"

#include <boost/json.hpp>

#include "core/infrastructure.hpp"
#include "http/json_check.hpp"

namespace hotel::api {

namespace json = boost::json;

struct JsonBody::Impl {
    json::object object;

    // The value at a path of the body: "name", "derived_from.rate_plan_id" or
    // "inclusions[0].amount"; nullptr when any step is missing or of another kind.
    const json::value* at(std::string_view path) const;

    static const json::value* present(JsonBody& body, std::string_view field, bool required);
    template <class Parse>
    static auto parsed(JsonBody& body, std::string_view field, bool required, Parse parse,
                       const char* form) -> decltype(parse(std::string_view{}));
};

JsonBody::JsonBody(const http::Request& request, std::initializer_list<std::string_view> allowed)
    : impl_(std::make_unique<Impl>()) {
    // Bounded by the server's 64 KiB body limit; depth is bounded by Boost.JSON's default (32).
    // First the text rules (UTF-8, unique keys, no NUL), then the document itself.
    if (auto issue = http::check_json_text(request.body)) {
        using Kind = http::JsonTextIssue::Kind;
        switch (issue->kind) {
            case Kind::syntax:
                invalid_json_ = true;
                break;
            case Kind::invalid_unicode:
                errors_.push_back({issue->field, "must be UTF-8 text (RFC 3629)"});
                break;
            case Kind::duplicate_key:
                errors_.push_back({issue->field, "appears more than once"});
                break;
            case Kind::nul_character:
                errors_.push_back({issue->field, "must not contain NUL characters"});
                break;
        }
        unreadable_ = true;
        return;
    }
    json::error_code ec;
    auto value = json::parse(request.body, ec);
    if (ec) {
        invalid_json_ = true;
        unreadable_ = true;
        return;
    }
    if (!value.is_object()) {
        errors_.push_back({"", "the body must be a JSON object"});
        unreadable_ = true;
        return;
    }
    impl_->object = std::move(value.as_object());
    for (const auto& kv : impl_->object) {
        bool known = false;
        for (auto a : allowed)
            if (kv.key() == a)
                known = true;
        if (!known)
            errors_.push_back({std::string(kv.key()), "unknown field"});
    }
}

JsonBody::~JsonBody() = default;

const json::value* JsonBody::Impl::at(std::string_view path) const {
    const json::object* o = &object;
    const json::value* v = nullptr;
    while (!path.empty()) {
        const auto dot = path.find('.');
        auto step = path.substr(0, dot);
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        std::optional<std::size_t> index;
        if (const auto open = step.find('['); open != std::string_view::npos) {
            std::size_t k = 0;
            for (char ch : step.substr(open + 1, step.size() - open - 2))
                k = k * 10 + static_cast<std::size_t>(ch - '0');
            index = k;
            step = step.substr(0, open);
        }
        if (!o)
            return nullptr;
        v = o->if_contains(step);
        if (v && index) {
            const auto* items = v->if_array();
            v = items && *index < items->size() ? &(*items)[*index] : nullptr;
        }
        if (!v)
            return nullptr;
        o = v->if_object();
    }
    return v;
}

bool JsonBody::has(std::string_view field) const {
    return impl_->at(field) != nullptr;
}

bool JsonBody::is_null(std::string_view field) const {
    const auto* v = impl_->at(field);
    return v && v->is_null();
}

std::optional<std::size_t> JsonBody::objects(std::string_view field, std::size_t most,
                                             bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return std::nullopt;
    const auto* items = v->if_array();
    bool objects = items != nullptr;
    for (std::size_t i = 0; objects && i < items->size(); ++i)
        objects = (*items)[i].is_object();
    if (!objects) {
        reject(std::string(field), "must be an array of objects");
        return std::nullopt;
    }
    if (items->size() > most) {
        reject(std::string(field), "has at most " + std::to_string(most) + " items");
        return std::nullopt;
    }
    return items->size();
}

bool JsonBody::object(std::string_view field, std::initializer_list<std::string_view> allowed,
                      bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return false;
    const auto* o = v->if_object();
    if (!o) {
        reject(std::string(field), "must be an object");
        return false;
    }
    bool ok = true;
    for (const auto& kv : *o) {
        bool known = false;
        for (auto a : allowed)
            known = known || kv.key() == a;
        if (!known) {
            reject(std::string(field) + "." + std::string(kv.key()), "unknown field");
            ok = false;
        }
    }
    return ok;
}

void JsonBody::reject(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
}

// The field's value; nullptr when the body is unreadable, or the field is absent or null (then
// "is required" if it must be there).
const json::value* JsonBody::Impl::present(JsonBody& body, std::string_view field, bool required) {
    if (body.unreadable_)
        return nullptr;
    const auto* v = body.impl_->at(field);
    if (!v || v->is_null()) {
        if (required)
            body.reject(std::string(field), "is required");
        return nullptr;
    }
    return v;
}

// A string field of a given form: `parse` gives the value or nullopt, `form` says what it
// must be.
template <class Parse>
auto JsonBody::Impl::parsed(JsonBody& body, std::string_view field, bool required, Parse parse,
                            const char* form) -> decltype(parse(std::string_view{})) {
    auto text = body.string(field, required);
    if (!text)
        return std::nullopt;
    auto value = parse(*text);
    if (!value)
        body.reject(std::string(field), form);
    return value;
}

std::optional<std::string> JsonBody::string(std::string_view field, bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return std::nullopt;
    if (!v->is_string()) {
        reject(std::string(field), "must be a string");
        return std::nullopt;
    }
    return std::string(v->as_string());
}

std::optional<long long> JsonBody::integer(std::string_view field, bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return std::nullopt;
    if (v->is_int64())
        return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<long long>(v->as_uint64());
    reject(std::string(field), "must be an integer");
    return std::nullopt;
}

std::optional<bool> JsonBody::boolean(std::string_view field, bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return std::nullopt;
    if (!v->is_bool()) {
        reject(std::string(field), "must be true or false");
        return std::nullopt;
    }
    return v->as_bool();
}

std::optional<std::vector<std::string>> JsonBody::string_array(std::string_view field,
                                                               bool required) {
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return std::nullopt;
    std::vector<std::string> out;
    const auto* items = v->if_array();
    for (std::size_t i = 0; items && i < items->size(); ++i) {
        if (!(*items)[i].is_string()) {
            items = nullptr;
            break;
        }
        out.emplace_back((*items)[i].as_string());
    }
    if (!items) {
        reject(std::string(field), "must be an array of strings");
        return std::nullopt;
    }
    return out;
}

std::optional<std::string> JsonBody::uuid(std::string_view field, bool required) {
    return Impl::parsed(
        *this, field, required,
        [](std::string_view t) {
            return core::is_uuid(t) ? std::optional<std::string>(t) : std::nullopt;
        },
        "must be a UUID");
}

std::optional<core::Date> JsonBody::date(std::string_view field, bool required) {
    return Impl::parsed(
        *this, field, required, [](std::string_view t) { return core::parse_date(t); },
        "must be a date, YYYY-MM-DD");
}

std::optional<core::TimeOfDay> JsonBody::time_of_day(std::string_view field, bool required) {
    return Impl::parsed(
        *this, field, required, [](std::string_view t) { return core::parse_time_of_day(t); },
        "must be a time of day, HH:MM");
}

JsonBody::MoneyFields JsonBody::money(std::string_view field, bool required) {
    MoneyFields out;
    const auto* v = Impl::present(*this, field, required);
    if (!v)
        return out;
    const auto* o = v->if_object();
    const json::value* amount = o ? o->if_contains("amount") : nullptr;
    const json::value* currency = o ? o->if_contains("currency") : nullptr;
    if (!o || o->size() != 2 || !amount || !currency || !amount->is_string() ||
        !currency->is_string()) {
        reject(std::string(field),
               "must be {\"amount\": \"129.00\", \"currency\": \"EUR\"} with strings");
        return out;
    }
    out.amount = std::string(amount->as_string());
    out.currency = std::string(currency->as_string());
    return out;
}

http::Response JsonBody::problem() const {
    if (invalid_json_)
        return http::Response::from(
            http::make_problem(400, "invalid_json", "Invalid JSON", "The body is not valid JSON."));
    return http::Response::from(http::make_problem(400, "validation_failed", "Validation failed",
                                                   "Some fields are missing or malformed.",
                                                   errors_));
}

void refuse_nulls(JsonBody& body, std::initializer_list<std::string_view> fields) {
    for (const auto f : fields)
        if (body.is_null(f))
            body.reject(std::string(f), "cannot be null");
}

http::Problem field_problem(int status, http::ProblemCode code, std::string title,
                            const std::string& message, const std::string& field) {
    std::vector<http::FieldError> errors;
    if (!field.empty())
        errors.push_back({field, message});
    return http::make_problem(status, code, std::move(title), message, std::move(errors));
}

http::Response validation_failed(const std::string& field, const std::string& message) {
    return http::Response::from(
        field_problem(400, "validation_failed", "Validation failed", message, field));
}

http::Response unprocessable(std::string field, std::string message) {
    return http::Response::from(
        field_problem(422, "unprocessable", "Unprocessable", message, field));
}

http::Response problem(int status, http::ProblemCode code, std::string detail) {
    return http::Response::from(http::make_problem(status, code, "", std::move(detail)));
}

}  // namespace hotel::api
