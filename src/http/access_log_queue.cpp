#include "http/access_log_queue.hpp"

#include <charconv>
#include <cstring>
#include <ctime>

#include "http/text.hpp"

namespace hotel::http::detail {

void AccessRecord::assign(std::int64_t unix_ms_, std::string_view method, std::string_view path,
                          int status_, long long micros_, std::string_view request_id,
                          std::string_view trace_id, std::string_view remote,
                          std::string_view client) {
    unix_ms = unix_ms_;
    status = status_;
    micros = micros_;
    const std::string_view fields[6] = {method, path, request_id, trace_id, remote, client};
    std::size_t total = 0;
    for (int i = 0; i < 6; ++i) {
        sizes[i] = static_cast<std::uint32_t>(fields[i].size());
        total += fields[i].size();
    }
    char* out = inline_text;
    if (total > kInline) {
        spill.resize(total);
        out = spill.data();
    }
    for (const auto& f : fields) {
        if (!f.empty())
            std::memcpy(out, f.data(), f.size());
        out += f.size();
    }
}

std::string_view AccessRecord::field(int i) const {
    std::size_t offset = 0;
    std::size_t total = 0;
    for (int k = 0; k < 6; ++k) {
        if (k < i)
            offset += sizes[k];
        total += sizes[k];
    }
    const char* base = total > kInline ? spill.data() : inline_text;
    return {base + offset, sizes[i]};
}

AccessLogQueue::AccessLogQueue(std::size_t capacity) {
    std::size_t n = 1;
    while (n < capacity)
        n <<= 1;
    mask_ = n - 1;
    slots_ = std::make_unique<Slot[]>(n);
    for (std::size_t i = 0; i < n; ++i)
        slots_[i].sequence.store(i, std::memory_order_relaxed);
}

bool AccessLogQueue::push(std::int64_t unix_ms, std::string_view method, std::string_view path,
                          int status, long long micros, std::string_view request_id,
                          std::string_view trace_id, std::string_view remote,
                          std::string_view client) {
    std::size_t position = tail_.load(std::memory_order_relaxed);
    Slot* slot = nullptr;
    for (;;) {
        slot = &slots_[position & mask_];
        const std::size_t sequence = slot->sequence.load(std::memory_order_acquire);
        const auto diff =
            static_cast<std::ptrdiff_t>(sequence) - static_cast<std::ptrdiff_t>(position);
        if (diff == 0) {
            if (tail_.compare_exchange_weak(position, position + 1, std::memory_order_relaxed))
                break;
        } else if (diff < 0) {
            return false;  // the slot still holds a record a whole lap behind: full
        } else {
            position = tail_.load(std::memory_order_relaxed);
        }
    }
    slot->record.assign(unix_ms, method, path, status, micros, request_id, trace_id, remote,
                        client);
    slot->sequence.store(position + 1, std::memory_order_release);
    return true;
}

bool AccessLogQueue::ready() const noexcept {
    return slots_[head_ & mask_].sequence.load(std::memory_order_acquire) == head_ + 1;
}

namespace {

// Boost.JSON's string escaping (serializer.ipp): '"' and '\\', the short forms \b \t \n \f \r,
// \u00xx (lower-case hex) for the other control characters, every other byte as it is.
void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_integer(std::string& out, long long v) {
    char buf[24];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;
    out.append(buf, end);
}

// "2026-11-30T18:43:00.123Z"; the part up to the seconds is formatted once per second.
void append_timestamp(std::string& out, std::int64_t unix_ms) {
    thread_local std::int64_t cached_second = -1;
    thread_local char cached[24];
    std::int64_t second = unix_ms / 1000;
    int ms = static_cast<int>(unix_ms % 1000);
    if (ms < 0) {
        ms += 1000;
        --second;
    }
    if (second != cached_second) {
        const auto t = static_cast<std::time_t>(second);
        std::tm tm{};
        gmtime_r(&t, &tm);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        std::memcpy(cached, buf, 20);
        cached_second = second;
    }
    out += '"';
    out.append(cached, 20);
    out += static_cast<char>('0' + ms / 100);
    out += static_cast<char>('0' + ms / 10 % 10);
    out += static_cast<char>('0' + ms % 10);
    out += "Z\"";
}

}  // namespace

void append_access_line(std::string& out, const AccessRecord& r) {
    out += "{\"ts\":";
    append_timestamp(out, r.unix_ms);
    out += ",\"level\":\"info\",\"msg\":\"request\",\"method\":";
    append_json_string(out, r.method());
    out += ",\"path\":";
    // The path is the client's bytes (a refused one too): keep the line UTF-8, so valid JSON.
    if (is_valid_utf8(r.path()))
        append_json_string(out, r.path());
    else
        append_json_string(out, to_valid_utf8(r.path()));
    out += ",\"status\":";
    append_integer(out, r.status);
    out += ",\"us\":";
    append_integer(out, r.micros);
    out += ",\"request_id\":";
    append_json_string(out, r.request_id());
    out += ",\"trace_id\":";
    append_json_string(out, r.trace_id());
    out += ",\"remote\":";
    append_json_string(out, r.remote());
    out += ",\"client\":";
    append_json_string(out, r.client());
    out += "}\n";
}

}  // namespace hotel::http::detail
