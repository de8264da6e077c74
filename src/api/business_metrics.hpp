#pragma once
// Business outcomes as /metrics reports them, counted in the API layer once a use case has
// answered (the domain stays free of metrics): bookings created, sold_out answers,
// cancellations, and fees charged (cancellation and no-show) in minor units per currency.
// Every count is a relaxed atomic: no lock on the request path. Currencies take a slot of a
// fixed table the first time they are seen (the codes of a deployment are few); past kCurrencies
// codes, fees are counted under "other".

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hotel::core {
struct Money;
}

namespace hotel::api {

class BusinessMetrics {
  public:
    static constexpr std::size_t kCurrencies = 32;

    void booking_created() noexcept { created_.fetch_add(1, std::memory_order_relaxed); }
    void sold_out() noexcept { sold_out_.fetch_add(1, std::memory_order_relaxed); }
    void cancelled() noexcept { cancelled_.fetch_add(1, std::memory_order_relaxed); }
    void fee_charged(const core::Money& fee) noexcept;

    long long bookings_created() const noexcept { return created_.load(); }
    long long sold_out_answers() const noexcept { return sold_out_.load(); }
    long long cancellations() const noexcept { return cancelled_.load(); }
    // (currency code, minor units) for every currency charged so far, in first-seen order.
    std::vector<std::pair<std::string, long long>> fees() const;

  private:
    struct Slot {
        std::atomic<std::uint32_t> code{0};  // three ASCII letters packed; 0: free
        std::atomic<long long> minor{0};
    };
    std::atomic<long long> created_{0};
    std::atomic<long long> sold_out_{0};
    std::atomic<long long> cancelled_{0};
    std::array<Slot, kCurrencies> slots_;
    std::atomic<long long> other_{0};
};

// The process's counters.
BusinessMetrics& business_metrics() noexcept;

}  // namespace hotel::api
