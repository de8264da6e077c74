#pragma once
// PostgreSQL implementations of the identity ports, and the Argon2id hasher.

#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "core/identity_ports.hpp"
#include "pg/pool.hpp"

namespace hotel::storage {

class PgUserStore final : public core::UserStore {
  public:
    explicit PgUserStore(std::shared_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}
    boost::asio::awaitable<core::Result<core::UserRecord, core::CreateUserError>> create(
        core::NewUser user) override;
    boost::asio::awaitable<std::optional<core::UserRecord>> find_by_email(
        std::string email) override;
    boost::asio::awaitable<std::optional<core::UserRecord>> find_by_id(std::string id) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

struct LoginLimits {
    long max_failures = 10;
    std::chrono::seconds window{15 * 60};
};

class PgLoginThrottle final : public core::LoginThrottle {
  public:
    PgLoginThrottle(std::shared_ptr<pg::Pool> pool, LoginLimits limits)
        : pool_(std::move(pool)), limits_(limits) {}
    boost::asio::awaitable<std::optional<std::chrono::seconds>> blocked_for(
        std::string email, std::string address) override;
    boost::asio::awaitable<void> record_failure(std::string email, std::string address) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
    LoginLimits limits_;
};

// Argon2id on a small thread pool of its own: hashing takes tens of milliseconds and ~19 MiB,
// so it never runs on an I/O thread, and at most `threads` hashes run at once.
class Argon2Hasher final : public core::PasswordHasher {
  public:
    explicit Argon2Hasher(int threads = 2);
    ~Argon2Hasher() override;
    boost::asio::awaitable<std::string> hash(std::string password) override;
    boost::asio::awaitable<bool> verify(std::string encoded_hash, std::string password) override;
    const std::string& decoy_hash() const override { return decoy_; }

  private:
    boost::asio::thread_pool pool_;
    std::string decoy_;
};

}  // namespace hotel::storage
