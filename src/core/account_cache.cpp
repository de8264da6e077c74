#include "core/account_cache.hpp"

namespace hotel::core {

namespace asio = boost::asio;

bool token_admitted(const std::optional<AccountState>& account, long long token_version) noexcept {
    return account && !account->disabled && token_version >= account->token_version;
}

AccountCache::AccountCache(AccountStateSource& source, std::chrono::milliseconds ttl,
                           std::function<Clock::time_point()> now)
    : source_(source), ttl_(ttl), now_(std::move(now)) {}

asio::awaitable<bool> AccountCache::admits(std::string user_id, long long token_version) {
    if (ttl_.count() > 0) {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(user_id);
        if (it != entries_.end() && now_() - it->second.loaded < ttl_)
            co_return token_admitted(it->second.state, token_version);
    }
    const auto loaded_at = now_();
    // The lock is never held across a suspension.
    std::optional<AccountState> state = co_await source_.account_state(user_id);
    if (ttl_.count() > 0) {
        std::lock_guard lock(mutex_);
        // A bounded map: past the cap, start again (entries are cheap to reload).
        if (entries_.size() >= kMaxEntries)
            entries_.clear();
        entries_[user_id] = Entry{state, loaded_at};
    }
    co_return token_admitted(state, token_version);
}

void AccountCache::forget(const std::string& user_id) {
    std::lock_guard lock(mutex_);
    entries_.erase(user_id);
}

std::size_t AccountCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace hotel::core
