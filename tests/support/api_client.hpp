#pragma once
// JSON conveniences over the raw HTTP client for API tests.

#include <boost/json.hpp>
#include <string>

#include "http_client.hpp"
#include "test_env.hpp"

namespace hotel::test {

inline HttpResponse call(unsigned short port, const std::string& method, const std::string& path,
                         const std::string& token = {}, const std::string& body = {}) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty())
        headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty())
        headers.emplace_back("Content-Type", "application/json");
    return http_request(port, method, path, headers, body);
}

inline boost::json::value json_of(const HttpResponse& r) {
    boost::json::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    return ec ? boost::json::value() : v;
}

inline std::string code_of(const HttpResponse& r) {
    auto v = json_of(r);
    if (!v.is_object() || !v.as_object().contains("code"))
        return "";
    return std::string(v.at("code").as_string());
}

// Registers (when needed) and logs in; returns the access token ("" on failure).
inline std::string login(unsigned short port, const std::string& email,
                         const std::string& password) {
    auto r =
        call(port, "POST", "/v1/auth/login", "",
             boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
    if (r.status != 200)
        return "";
    return std::string(json_of(r).at("access_token").as_string());
}

inline HttpResponse register_user(unsigned short port, const std::string& email,
                                  const std::string& password,
                                  const std::string& name = "Test User") {
    return call(port, "POST", "/v1/auth/register", "",
                boost::json::serialize(
                    boost::json::object{{"email", email}, {"password", password}, {"name", name}}));
}

// Creates an admin with `hoteld create-admin` and returns its token.
inline std::string admin_token(const TestDatabase& db, unsigned short port,
                               const std::string& email = "admin@example.com") {
    const std::string password = "admin-password-123";
    run_process(hoteld_path(), {"create-admin", "--email", email, "--password", password},
                {"DATABASE_URL=" + db.url()});
    return login(port, email, password);
}

}  // namespace hotel::test
