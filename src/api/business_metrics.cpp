#include "api/business_metrics.hpp"

#include <cstring>

#include "core/money.hpp"

namespace hotel::api {

namespace {
std::uint32_t pack(const char* code) noexcept {
    std::uint32_t v = 0;
    for (int i = 0; i < 3 && code[i]; ++i)
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(code[i])) << (8 * i);
    return v;
}
}  // namespace

void BusinessMetrics::fee_charged(const core::Money& fee) noexcept {
    if (fee.minor == 0)
        return;
    const auto code = pack(fee.currency.code());
    for (auto& slot : slots_) {
        auto seen = slot.code.load(std::memory_order_acquire);
        // Claim a free slot for this code; a racing claim of the same code is found next look.
        while (seen == 0 && !slot.code.compare_exchange_weak(seen, code, std::memory_order_acq_rel))
            ;
        if (seen == 0 || seen == code) {
            slot.minor.fetch_add(fee.minor, std::memory_order_relaxed);
            return;
        }
    }
    other_.fetch_add(fee.minor, std::memory_order_relaxed);
}

std::vector<std::pair<std::string, long long>> BusinessMetrics::fees() const {
    std::vector<std::pair<std::string, long long>> out;
    for (const auto& slot : slots_) {
        const auto code = slot.code.load(std::memory_order_acquire);
        if (code == 0)
            break;
        std::string name;
        for (int i = 0; i < 3; ++i)
            if (const char c = static_cast<char>((code >> (8 * i)) & 0xff))
                name += c;
        out.emplace_back(std::move(name), slot.minor.load(std::memory_order_relaxed));
    }
    if (const auto other = other_.load(std::memory_order_relaxed))
        out.emplace_back("other", other);
    return out;
}

BusinessMetrics& business_metrics() noexcept {
    static BusinessMetrics instance;
    return instance;
}

}  // namespace hotel::api
