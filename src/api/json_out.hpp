#pragma once
// Pieces of response JSON that the route files share. Included by route files only: it
// brings Boost.JSON with it.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/query.hpp"
#include "core/money.hpp"
#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>

namespace hotel::api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::Response;
}  // namespace hotel::api

namespace hotel::api::out {

template <class T>
boost::json::value nullable(const std::optional<T>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

inline boost::json::object money(const core::Money& m) {
    return {{"amount", m.amount()}, {"currency", m.currency.code()}};
}

inline http::Response json(int status, const boost::json::value& v) {
    return http::Response::json(status, boost::json::serialize(v));
}

// Each element of `range` as `to_json` renders it.
template <class R, class F>
boost::json::array array(const R& range, F to_json) {
    boost::json::array out;
    for (const auto& e : range)
        out.push_back(to_json(e));
    return out;
}

// 204 No Content (a DELETE that retired or lifted something, a logout).
inline http::Response no_content() {
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
}

// One page of `all` as {items, page, per_page, total}.
template <class T, class F>
http::Response page(const std::vector<T>& all, const Page& page, F to_json) {
    boost::json::array items;
    const auto start = static_cast<std::size_t>((page.page - 1) * page.per_page);
    for (std::size_t i = start;
         i < all.size() && i < start + static_cast<std::size_t>(page.per_page); ++i)
        items.push_back(to_json(all[i]));
    return json(200, boost::json::object{{"items", std::move(items)},
                                         {"page", page.page},
                                         {"per_page", page.per_page},
                                         {"total", static_cast<std::int64_t>(all.size())}});
}

}  // namespace hotel::api::out
