#pragma once
// Identity use cases: register a guest, create a user (admin), log in. Pure rules over the
// ports; no HTTP, no SQL.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/identity_ports.hpp"
#include "core/result.hpp"

namespace hotel::core {

enum class IdentityError {
    invalid_email,        // syntax
    weak_password,        // outside 10-256 characters
    invalid_name,         // empty or over 200 characters
    invalid_hotel_scope,  // hotel_ids given for a role that has none, or malformed
    email_taken,
    unknown_hotel,
    forbidden,
    invalid_credentials,
    rate_limited,
};

struct IdentityFailure {
    IdentityError error;
    std::string field;    // the offending input field, when there is one
    std::string message;  // safe to show the client
    std::chrono::seconds retry_after{0};
};

struct Credentials {
    std::string email;
    std::string password;
    std::string name;
};

class IdentityService {
  public:
    IdentityService(UserStore& users, PasswordHasher& hasher, LoginThrottle& throttle)
        : users_(users), hasher_(hasher), throttle_(throttle) {}

    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> register_guest(Credentials input);
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> create_user(
        const Caller& caller, Credentials input, Role role, std::vector<std::string> hotel_ids);
    // The same work whether or not the email exists, so timing reveals nothing.
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> login(std::string email,
                                                                      std::string password,
                                                                      std::string address);

  private:
    std::optional<IdentityFailure> check(const Credentials& input) const;
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> store(
        Credentials input, Role role, std::vector<std::string> hotel_ids);
    UserStore& users_;
    PasswordHasher& hasher_;
    LoginThrottle& throttle_;
};

}  // namespace hotel::core
