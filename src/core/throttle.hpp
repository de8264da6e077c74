#pragma once
// Throttling of logins and registrations (DOMAIN.md "People and access"), after the OWASP
// authentication guidance: tight per (email, client address) pair, loose per email and per
// address, so that nobody can lock an account's owner out by failing on purpose.
//
// Storage counts attempts atomically *before* the password is checked (an attempt claims its
// place in the window; parallel attempts cannot all slip under the limit); the decision over
// the counts is this file's pure function.

#include <chrono>
#include <optional>

namespace hotel::core {

struct Limit {
    long max_attempts = 10;
    std::chrono::seconds window{900};
};

struct ThrottlePolicy {
    // One client address trying one email: tight.
    Limit pair{10, std::chrono::seconds(900)};
    // One email from anywhere: loose, and only ever applied to addresses that have themselves
    // failed on that email in the pair window, so the owner's clean address still logs in.
    Limit email{100, std::chrono::seconds(900)};
    // One client address, any email (credential stuffing): loose and short.
    Limit address{100, std::chrono::seconds(300)};
    // Registrations from one client address.
    Limit registration{20, std::chrono::seconds(3600)};
};

// One counter after this attempt was counted: attempts in the current window (this one
// included) and the time until that window ends.
struct AttemptCount {
    long long attempts = 0;
    std::chrono::seconds resets_in{0};
};

struct LoginAttemptCounts {
    AttemptCount pair;
    AttemptCount email;
    AttemptCount address;
};

// How long the client must wait, or std::nullopt when this login attempt may check its
// password. The pair counter also counts attempts still in flight, so N parallel attempts
// for one pair let at most `pair.max_attempts` through.
std::optional<std::chrono::seconds> login_refused_for(const ThrottlePolicy& policy,
                                                      const LoginAttemptCounts& counts) noexcept;

// The same for a registration from one address.
std::optional<std::chrono::seconds> registration_refused_for(const ThrottlePolicy& policy,
                                                             const AttemptCount& count) noexcept;

}  // namespace hotel::core
