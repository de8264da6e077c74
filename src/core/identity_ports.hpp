#pragma once
// Ports of the identity use cases: what they need from storage and crypto, as abstract
// interfaces. src/storage implements them; tests may too.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct UserRecord {
    std::string id;
    std::string email;
    std::string name;
    std::string password_hash;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;
};

struct NewUser {
    std::string email;  // normalised
    std::string name;   // trimmed
    std::string password_hash;
    Role role = Role::guest;
    std::vector<std::string> hotel_ids;
};

enum class CreateUserError { email_taken, unknown_hotel };

class UserStore {
  public:
    virtual ~UserStore() = default;
    virtual boost::asio::awaitable<Result<UserRecord, CreateUserError>> create(NewUser user) = 0;
    virtual boost::asio::awaitable<std::optional<UserRecord>> find_by_email(std::string email) = 0;
    virtual boost::asio::awaitable<std::optional<UserRecord>> find_by_id(std::string id) = 0;
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

class LoginThrottle {
  public:
    virtual ~LoginThrottle() = default;
    // How long until this email or this client address may try again; nullopt when allowed.
    virtual boost::asio::awaitable<std::optional<std::chrono::seconds>> blocked_for(
        std::string email, std::string address) = 0;
    virtual boost::asio::awaitable<void> record_failure(std::string email, std::string address) = 0;
};

}  // namespace hotel::core
