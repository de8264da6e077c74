#include "http/problem.hpp"

#include <boost/json.hpp>

namespace hotel::http {

const char* status_title(int status) noexcept {
    switch (status) {
        case 400:
            return "Bad request";
        case 401:
            return "Unauthorized";
        case 402:
            return "Payment declined";
        case 403:
            return "Forbidden";
        case 404:
            return "Not found";
        case 405:
            return "Method not allowed";
        case 408:
            return "Request timeout";
        case 409:
            return "Conflict";
        case 412:
            return "Precondition failed";
        case 413:
            return "Payload too large";
        case 415:
            return "Unsupported media type";
        case 422:
            return "Unprocessable";
        case 429:
            return "Too many requests";
        case 431:
            return "Request header fields too large";
        case 500:
            return "Internal error";
        case 503:
            return "Service unavailable";
        default:
            return "Error";
    }
}

std::string render_problem(const Problem& p, const std::string& request_id) {
    boost::json::object o;
    o["type"] = "about:blank";
    o["title"] = p.title.empty() ? status_title(p.status) : p.title;
    o["status"] = p.status;
    o["code"] = p.code;
    if (!p.reason.empty())
        o["reason"] = p.reason;
    for (const auto& a : p.amounts)
        o[a.name] = {{"amount", a.amount}, {"currency", a.currency}};
    if (p.list) {
        boost::json::array items;
        for (const auto& item : p.list->items) {
            boost::json::object entry;
            for (const auto& [k, v] : item)
                entry[k] = v;
            items.push_back(std::move(entry));
        }
        o[p.list->name] = std::move(items);
    }
    if (!p.detail.empty())
        o["detail"] = p.detail;
    o["request_id"] = request_id;
    if (!p.errors.empty()) {
        boost::json::array errors;
        for (const auto& e : p.errors)
            errors.push_back({{"field", e.field}, {"message", e.message}});
        o["errors"] = std::move(errors);
    }
    return boost::json::serialize(o);
}

}  // namespace hotel::http
