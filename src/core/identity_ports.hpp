#pragma once
// Ports of the identity use cases: what they need from storage and crypto, as abstract
// interfaces. src/storage implements them; tests may too.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/account_cache.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"
#include "core/throttle.hpp"

namespace hotel::core {

struct UserRecord {
    std::string id;
    std::string email;
    std::string name;
    std::string password_hash;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;
    long long token_version = 0;  // bumped by every change of role, hotel scope or status
    bool disabled = false;
};

struct NewUser {
    std::string email;  // normalised
    std::string name;   // trimmed
    std::string password_hash;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;
};

enum class CreateUserError { email_taken, unknown_hotel };

// The whole new access state of a user; the store bumps the token version with it.
struct UserAccessChange {
    std::string id;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;
    bool disabled = false;
};

enum class UpdateUserError { not_found, unknown_hotel };

// GET /v1/users: users in email order, narrowed by every filter given.
struct UserQuery {
    std::optional<Role> role;
    std::optional<std::string> hotel_id;  // works for this hotel
    std::string email_prefix;             // normalised; empty matches every email
    std::optional<std::string> after;     // the id of the last user of the previous page
    int limit = 50;                       // how many to read
};

class UserStore : public AccountStateSource {
  public:
    virtual boost::asio::awaitable<Result<UserRecord, CreateUserError>> create(NewUser user) = 0;
    virtual boost::asio::awaitable<std::optional<UserRecord>> find_by_email(std::string email) = 0;
    virtual boost::asio::awaitable<std::optional<UserRecord>> find_by_id(std::string id) = 0;
    virtual boost::asio::awaitable<bool> email_taken(std::string email) = 0;
    virtual boost::asio::awaitable<Result<UserRecord, UpdateUserError>> update_access(
        UserAccessChange change) = 0;
    // Those after `after` in email order; none when `after` names no user.
    virtual boost::asio::awaitable<std::vector<UserRecord>> list(UserQuery query) = 0;
};

// Slow by design; implementations run it off the I/O threads.
class PasswordHasher {
  public:
    virtual ~PasswordHasher() = default;
    virtual boost::asio::awaitable<std::string> hash(std::string password) = 0;
    virtual boost::asio::awaitable<bool> verify(std::string encoded_hash, std::string password) = 0;
    // A valid hash of no one's password: verifying against it costs what a real check costs.
    virtual const std::string& decoy_hash() const = 0;
};

// Attempt counters (core/throttle.hpp). Each call counts one attempt atomically, before any
// password is checked, and answers the counts including it.
class LoginThrottle {
  public:
    virtual ~LoginThrottle() = default;
    virtual boost::asio::awaitable<LoginAttemptCounts> count_login(std::string email,
                                                                   std::string address) = 0;
    // After a successful login: the pair starts afresh and the attempt is not held against
    // the email or the address.
    virtual boost::asio::awaitable<void> forgive_login(std::string email, std::string address) = 0;
    virtual boost::asio::awaitable<AttemptCount> count_registration(std::string address) = 0;
};

// Refresh tokens: opaque, random, stored hashed, in families that rotate on every use.
struct RotatedSession {
    std::string user_id;
    std::string refresh_token;  // the successor; the presented one is now used up
};

enum class RefreshError {
    invalid,  // unknown, expired or revoked
    reused,   // already rotated: the family has been revoked
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;
    // A new family for the user; returns the token (shown once, stored only as a hash).
    virtual boost::asio::awaitable<std::string> start(std::string user_id) = 0;
    // Uses the token up and issues its successor in the same family, atomically. Presenting a
    // token that was already used revokes its whole family.
    virtual boost::asio::awaitable<Result<RotatedSession, RefreshError>> rotate(
        std::string refresh_token) = 0;
    // Revokes the family of the token (no effect for an unknown token).
    virtual boost::asio::awaitable<void> end(std::string refresh_token) = 0;
    // Revokes every family of the user.
    virtual boost::asio::awaitable<void> end_all(std::string user_id) = 0;
    virtual std::chrono::seconds lifetime() const = 0;
};

}  // namespace hotel::core
