#include "http/router.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace hotel::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/')
        return out;
    size_t pos = 1;
    while (pos <= path.size()) {
        size_t next = path.find('/', pos);
        if (next == std::string_view::npos)
            next = path.size();
        out.push_back(path.substr(pos, next - pos));
        pos = next + 1;
    }
    return out;
}

bool is_param(const std::string& seg) {
    return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals(h.name, name))
            return std::string_view(h.value);
    return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
    for (const auto& [k, v] : path_params)
        if (k == name)
            return v;
    return {};
}

void Response::set_header(std::string name, std::string value) {
    for (auto& h : headers)
        if (iequals(h.name, name)) {
            h.value = std::move(value);
            return;
        }
    headers.push_back({std::move(name), std::move(value)});
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& h : headers)
        if (iequals(h.name, name))
            return std::string_view(h.value);
    return std::nullopt;
}

Response Response::json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

Response Response::from(Problem problem) {
    Response r;
    r.status = problem.status;
    r.content_type = "application/problem+json";
    r.problem = std::move(problem);
    return r;
}

Problem make_problem(int status, ProblemCode code, std::string title, std::string detail,
                     std::vector<FieldError> errors) {
    return Problem{status, std::string(code.view()), std::move(title), std::move(detail),
                   std::move(errors)};
}

void Router::add(std::string method, std::string_view pattern, Handler handler, Access access) {
    auto parts = split_path(pattern);
    if (parts.empty())
        throw std::invalid_argument("route pattern must start with '/'");
    Route route{std::move(method), std::string(pattern), {}, std::move(handler), access};
    for (auto p : parts)
        route.segments.emplace_back(p);
    routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    const auto parts = split_path(path);
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
        if (route.segments.size() != parts.size())
            continue;
        std::vector<std::pair<std::string, std::string>> params;
        bool ok = true;
        for (size_t i = 0; i < parts.size() && ok; ++i) {
            const auto& seg = route.segments[i];
            if (is_param(seg)) {
                if (parts[i].empty())
                    ok = false;
                else
                    params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
            } else if (seg != parts[i]) {
                ok = false;
            }
        }
        if (!ok)
            continue;
        // HEAD is GET without the body (RFC 9110 §9.3.2): a GET route answers it too.
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.kind = Match::Kind::found;
            result.handler = &route.handler;
            result.access = route.access;
            result.params = std::move(params);
            result.route = static_cast<std::size_t>(&route - routes_.data());
            return result;
        }
        if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end())
            allowed.push_back(route.method);
        if (route.method == "GET" &&
            std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end())
            allowed.push_back("HEAD");
    }
    if (!allowed.empty()) {
        result.kind = Match::Kind::method_not_allowed;
        std::sort(allowed.begin(), allowed.end());
        for (const auto& m : allowed) {
            if (!result.allow.empty())
                result.allow += ", ";
            result.allow += m;
        }
    }
    return result;
}

}  // namespace hotel::http
