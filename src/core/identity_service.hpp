#pragma once
// Identity use cases: register a guest, create a user (admin), log in, refresh and end
// sessions, change a user's access (admin). Pure rules over the ports; no HTTP, no SQL.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/account_cache.hpp"
#include "core/identity.hpp"
#include "core/identity_ports.hpp"
#include "core/result.hpp"
#include "core/throttle.hpp"

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
    invalid_session,  // a refresh token that is unknown, expired, revoked or reused
    not_found,        // no such user
    self_lockout,     // an admin demoting or disabling themselves
    invalid_query,    // a list's filter or page size out of range
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

// A logged-in user and the refresh token of their session.
struct Session {
    UserRecord user;
    std::string refresh_token;
    std::chrono::seconds refresh_lifetime{0};
};

// PATCH /v1/users/{id}: what to change; absent fields keep their value.
struct AccessChanges {
    std::optional<Role> role;
    std::optional<std::vector<std::string>> hotel_ids;
    std::optional<bool> disabled;
};

// GET /v1/users: a page of users and the cursor to resume after it.
constexpr int kMaxUserPageLimit = 100;
constexpr int kDefaultUserPageLimit = 50;
struct UserPage {
    std::vector<UserRecord> items;
    // The last item's id; with an empty page the cursor asked for (none on a first page).
    std::optional<std::string> next_cursor;
    bool has_more = false;
};

class IdentityService {
  public:
    IdentityService(UserStore& users, PasswordHasher& hasher, LoginThrottle& throttle,
                    SessionStore& sessions, ThrottlePolicy policy = {},
                    AccountCache* cache = nullptr)
        : users_(users),
          hasher_(hasher),
          throttle_(throttle),
          sessions_(sessions),
          policy_(policy),
          cache_(cache) {}

    // Rate-limited per client address; a taken email is answered without hashing anything.
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> register_guest(Credentials input,
                                                                               std::string address);
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> create_user(
        const Caller& caller, Credentials input, Role role, std::vector<std::string> hotel_ids);
    // The same work whether or not the email exists, so timing reveals nothing.
    boost::asio::awaitable<Result<Session, IdentityFailure>> login(std::string email,
                                                                   std::string password,
                                                                   std::string address);
    // Rotates the refresh token; the user's current role and scope go into the new session.
    boost::asio::awaitable<Result<Session, IdentityFailure>> refresh(std::string refresh_token);
    // Ends the refresh token's family. Unknown tokens are ignored.
    boost::asio::awaitable<void> logout(std::string refresh_token);
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> change_access(
        const Caller& caller, std::string user_id, AccessChanges changes);
    // Admins only. `query.limit` is the page size (1 to kMaxUserPageLimit); the email prefix
    // is matched as the store keeps emails (trimmed, lower case).
    boost::asio::awaitable<Result<UserPage, IdentityFailure>> list_users(const Caller& caller,
                                                                         UserQuery query);

    const ThrottlePolicy& policy() const noexcept { return policy_; }

  private:
    std::optional<IdentityFailure> check(const Credentials& input) const;
    boost::asio::awaitable<Result<UserRecord, IdentityFailure>> store(
        Credentials input, Role role, std::vector<std::string> hotel_ids);
    UserStore& users_;
    PasswordHasher& hasher_;
    LoginThrottle& throttle_;
    SessionStore& sessions_;
    ThrottlePolicy policy_;
    AccountCache* cache_;
};

}  // namespace hotel::core
