#include "core/throttle.hpp"

#include <algorithm>

namespace hotel::core {

namespace {
std::chrono::seconds at_least_one(std::chrono::seconds s) {
    return std::max(s, std::chrono::seconds(1));
}
}  // namespace

std::optional<std::chrono::seconds> login_refused_for(const ThrottlePolicy& policy,
                                                      const LoginAttemptCounts& c) noexcept {
    std::optional<std::chrono::seconds> wait;
    auto refuse = [&wait](std::chrono::seconds s) {
        s = at_least_one(s);
        wait = wait ? std::max(*wait, s) : s;
    };
    if (c.pair.attempts > policy.pair.max_attempts)
        refuse(c.pair.resets_in);
    if (c.address.attempts > policy.address.max_attempts)
        refuse(c.address.resets_in);
    // An email under attack slows down only the addresses that have already tried it (this is
    // not their first attempt in the pair window): a first attempt always gets through, so
    // the owner logging in from a clean address is never locked out.
    if (c.email.attempts > policy.email.max_attempts && c.pair.attempts > 1)
        refuse(std::min(c.email.resets_in, c.pair.resets_in));
    return wait;
}

std::optional<std::chrono::seconds> registration_refused_for(const ThrottlePolicy& policy,
                                                             const AttemptCount& c) noexcept {
    if (c.attempts > policy.registration.max_attempts)
        return at_least_one(c.resets_in);
    return std::nullopt;
}

}  // namespace hotel::core
