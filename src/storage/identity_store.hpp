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
    boost::asio::awaitable<bool> email_taken(std::string email) override;
    boost::asio::awaitable<core::Result<core::UserRecord, core::UpdateUserError>> update_access(
        core::UserAccessChange change) override;
    boost::asio::awaitable<std::vector<core::UserRecord>> list(core::UserQuery query) override;
    boost::asio::awaitable<std::optional<core::AccountState>> account_state(
        std::string id) override;

  private:
    std::shared_ptr<pg::Pool> pool_;
};

// Attempt counters in table auth_attempts (migration 0007), so the limits hold across nodes.
class PgLoginThrottle final : public core::LoginThrottle {
  public:
    PgLoginThrottle(std::shared_ptr<pg::Pool> pool, core::ThrottlePolicy policy)
        : pool_(std::move(pool)), policy_(policy) {}
    boost::asio::awaitable<core::LoginAttemptCounts> count_login(std::string email,
                                                                 std::string address) override;
    boost::asio::awaitable<void> forgive_login(std::string email, std::string address) override;
    boost::asio::awaitable<core::AttemptCount> count_registration(std::string address) override;
    // Deletes counters whose window has ended; returns how many.
    boost::asio::awaitable<long long> prune();

  private:
    std::shared_ptr<pg::Pool> pool_;
    core::ThrottlePolicy policy_;
};

// Refresh tokens in table refresh_tokens: 32 random bytes, base64url; only their SHA-256 is
// stored.
class PgSessionStore final : public core::SessionStore {
  public:
    PgSessionStore(std::shared_ptr<pg::Pool> pool, std::chrono::seconds lifetime)
        : pool_(std::move(pool)), lifetime_(lifetime) {}
    boost::asio::awaitable<std::string> start(std::string user_id) override;
    boost::asio::awaitable<core::Result<core::RotatedSession, core::RefreshError>> rotate(
        std::string refresh_token) override;
    boost::asio::awaitable<void> end(std::string refresh_token) override;
    boost::asio::awaitable<void> end_all(std::string user_id) override;
    std::chrono::seconds lifetime() const override { return lifetime_; }
    // Deletes tokens expired for more than a day; returns how many.
    boost::asio::awaitable<long long> prune();

  private:
    std::shared_ptr<pg::Pool> pool_;
    std::chrono::seconds lifetime_;
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
