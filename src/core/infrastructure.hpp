#pragma once
// What the layers above the ports may know of a failure beneath them (the database, today):
// whether retrying shortly can help. The driver's errors (pg::Error) are of this type, so the
// HTTP handlers map them to 503 or 500 without seeing the driver.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hotel::core {

class InfrastructureError : public std::runtime_error {
  public:
    InfrastructureError(const std::string& message, bool transient)
        : std::runtime_error(message), transient_(transient) {}
    // The service is unavailable for now (unreachable, lost, cancelled, outcome unknown): the
    // client should retry later. Otherwise the failure is a fault.
    bool transient() const noexcept { return transient_; }

  private:
    bool transient_;
};

// The database's connections, as the pool counts them and /metrics reports them (the driver
// fills it in; the handlers read it without seeing the driver).
struct DatabaseStatus {
    long long in_use = 0;
    long long idle = 0;
    long long waiting = 0;
    long long connecting = 0;
    long long created = 0;
    long long connect_failures = 0;
    long long discarded = 0;
    long long acquire_timeouts = 0;
    long long transaction_retries = 0;
    // Time from asking for a connection to holding one (histogram, successful acquires): per
    // bound of kPoolWaitBounds (seconds), then past the last; not cumulative.
    std::vector<long long> wait_buckets;
    double wait_sum_seconds = 0;
};
inline constexpr double kPoolWaitBounds[] = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05,
                                             0.1,    0.25,   0.5,   1.0,   2.0,  5.0};

// An id's syntax: a UUID in its 8-4-4-4-12 hexadecimal text form.
bool is_uuid(std::string_view text) noexcept;

}  // namespace hotel::core
