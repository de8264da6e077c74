#pragma once
// Revocation without a database read per request (DOMAIN.md "Sessions and revocation").
//
// Access tokens carry the user's token version. Any change of role, hotel scope or status
// bumps the version in the database; a token older than the current version, a disabled
// account or an account that no longer exists is refused. Each node keeps the current
// (version, disabled) per user for a short time-to-live, so a change reaches every node within
// that time; the node that made the change forgets its entry at once.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hotel::core {

struct AccountState {
    long long token_version = 0;
    bool disabled = false;
};

// The rule: does a token issued at `token_version` still speak for this account?
bool token_admitted(const std::optional<AccountState>& account, long long token_version) noexcept;

// Where the current state comes from (the users table in production).
class AccountStateSource {
  public:
    virtual ~AccountStateSource() = default;
    // std::nullopt when no such user exists.
    virtual boost::asio::awaitable<std::optional<AccountState>> account_state(std::string id) = 0;
};

class AccountCache {
  public:
    using Clock = std::chrono::steady_clock;
    // ttl 0: no caching, every check reads the source.
    AccountCache(
        AccountStateSource& source, std::chrono::milliseconds ttl,
        std::function<Clock::time_point()> now = [] { return Clock::now(); });

    // Whether a token for user_id at token_version is still good. Reads the source at most once
    // per user per ttl (concurrent misses may each read it). Source failures propagate.
    boost::asio::awaitable<bool> admits(std::string user_id, long long token_version);
    // Drops what is known about the user (after a change made on this node).
    void forget(const std::string& user_id);
    std::size_t size() const;

    static constexpr std::size_t kMaxEntries = 100'000;

  private:
    struct Entry {
        std::optional<AccountState> state;
        Clock::time_point loaded;
    };
    AccountStateSource& source_;
    std::chrono::milliseconds ttl_;
    std::function<Clock::time_point()> now_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace hotel::core
