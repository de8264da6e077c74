#pragma once
// JSON conveniences over the raw HTTP client for API tests.

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <thread>

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

// A barrier for hoteld's search index, which follows the database a few milliseconds behind:
// wait() renames a sentinel hotel (in a city of its own) and polls the city search until the
// new name shows. The index applies commits in commit order, so once the rename shows, every
// change committed before wait() was called shows too. With HOTEL_SEARCH=sql it returns at
// once. `admin` is an admin's access token.
class IndexSync {
  public:
    IndexSync(unsigned short port, std::string admin) : port_(port), admin_(std::move(admin)) {}
    void retarget(unsigned short port) { port_ = port; }
    // False when the index did not catch up within `within`.
    bool wait(unsigned short write_port = 0,
              std::chrono::milliseconds within = std::chrono::milliseconds(5000)) {
        const auto writer = write_port ? write_port : port_;
        const std::string name = "sync " + std::to_string(++round_);
        if (hotel_.empty()) {
            auto r = call(writer, "POST", "/v1/hotels", admin_,
                          boost::json::serialize(boost::json::object{{"name", name},
                                                                     {"city", "Index Sync"},
                                                                     {"country", "PT"},
                                                                     {"timezone", "Europe/Lisbon"},
                                                                     {"currency", "EUR"}}));
            if (r.status != 201)
                return false;
            hotel_ = std::string(json_of(r).at("id").as_string());
        } else {
            auto r = call(writer, "PATCH", "/v1/hotels/" + hotel_, admin_,
                          boost::json::serialize(boost::json::object{{"name", name}}));
            if (r.status != 200)
                return false;
        }
        const auto until = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < until) {
            auto r = call(port_, "GET", "/v1/hotels?city=Index+Sync");
            if (r.status == 200 && r.body.find("\"" + name + "\"") != std::string::npos)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return false;
    }

  private:
    unsigned short port_;
    std::string admin_;
    std::string hotel_;
    int round_ = 0;
};

}  // namespace hotel::test
