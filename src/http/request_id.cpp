#include "http/request_id.hpp"

#include <cstdint>
#include <random>

namespace hotel::http {

bool is_valid_request_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 128)
        return false;
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

void generate_request_id(std::string& out) {
    // Not a secret, only unique enough to find a request in the logs.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    out.resize(32);
    for (int half = 0; half < 2; ++half) {
        uint64_t v = rng();
        for (int i = 0; i < 16; ++i) {
            out[static_cast<size_t>(half * 16 + i)] = hex[v & 0xf];
            v >>= 4;
        }
    }
}

std::string generate_request_id() {
    std::string out;
    generate_request_id(out);
    return out;
}

}  // namespace hotel::http
