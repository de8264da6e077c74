#include "http/trace.hpp"

#include <cstring>
#include <random>

namespace hotel::http {

namespace {

thread_local const RequestTrace* current = nullptr;

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;  // upper case is invalid in traceparent
}

bool all_hex(std::string_view s) noexcept {
    for (char c : s)
        if (hex_value(c) < 0)
            return false;
    return true;
}

bool all_zero(std::string_view s) noexcept {
    for (char c : s)
        if (c != '0')
            return false;
    return true;
}

// Random hex digits, never all zero (an all-zero id is invalid).
void random_hex(char* out, std::size_t n) noexcept {
    // Not a secret, only unique enough to tell traces apart.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    for (;;) {
        bool zero = true;
        for (std::size_t i = 0; i < n; i += 16) {
            std::uint64_t v = rng();
            for (std::size_t k = i; k < i + 16 && k < n; ++k) {
                out[k] = kHex[v & 0xf];
                zero = zero && out[k] == '0';
                v >>= 4;
            }
        }
        if (!zero)
            return;
    }
}

}  // namespace

bool parse_traceparent(std::string_view v, TraceParent& out) noexcept {
    // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55.
    if (v.size() < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-')
        return false;
    const auto version = v.substr(0, 2);
    if (!all_hex(version) || version == "ff")
        return false;
    if (version == "00" ? v.size() != 55 : (v.size() > 55 && v[55] != '-'))
        return false;
    const auto trace = v.substr(3, 32);
    const auto parent = v.substr(36, 16);
    const auto flags = v.substr(53, 2);
    if (!all_hex(trace) || !all_hex(parent) || !all_hex(flags) || all_zero(trace) ||
        all_zero(parent))
        return false;
    std::memcpy(out.trace_id, trace.data(), 32);
    std::memcpy(out.parent_id, parent.data(), 16);
    out.flags = static_cast<std::uint8_t>(hex_value(flags[0]) * 16 + hex_value(flags[1]));
    return true;
}

void RequestTrace::start(std::string_view incoming) noexcept {
    TraceParent parent;
    if (!incoming.empty() && parse_traceparent(incoming, parent)) {
        std::memcpy(trace_id, parent.trace_id, sizeof trace_id);
        // Only the sampled bit is defined; the others are not passed on (level 1 of the spec).
        flags = parent.flags & 0x01;
    } else {
        random_hex(trace_id, sizeof trace_id);
        flags = 0;
    }
    random_hex(span_id, sizeof span_id);
    std::memcpy(header, "00-", 3);
    std::memcpy(header + 3, trace_id, 32);
    header[35] = '-';
    std::memcpy(header + 36, span_id, 16);
    header[52] = '-';
    header[53] = kHex[flags >> 4];
    header[54] = kHex[flags & 0xf];
    active = true;
}

const RequestTrace* current_trace() noexcept {
    return current && current->active ? current : nullptr;
}

std::string_view current_trace_id() noexcept {
    const auto* t = current_trace();
    return t ? t->id() : std::string_view();
}

TraceScope::TraceScope(const RequestTrace* trace) noexcept : previous_(current) {
    current = trace;
}

TraceScope::~TraceScope() {
    current = previous_;
}

}  // namespace hotel::http
