#include "http/access_log.hpp"

#include <poll.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/access_log_queue.hpp"
#include "http/trace.hpp"

namespace hotel::http {
namespace {

// Every line reaches stdout through here, whole: the access log's batches and log_event's lines
// are written by different threads, and one write(2) per line or batch under one lock keeps
// them from interleaving.
void write_stdout(std::string_view bytes) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    while (!bytes.empty()) {
        const auto n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{STDOUT_FILENO, POLLOUT, 0};
            ::poll(&p, 1, 1000);
        } else {
            return;  // stdout is gone: nothing else to do with a log line
        }
    }
}

// spdlog formats log_event's lines ("%v") and hands them to write_stdout.
class StdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        write_stdout(std::string_view(formatted.data(), formatted.size()));
    }
    void flush_() override {}
};

std::shared_ptr<spdlog::logger>& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>("hotel", std::make_shared<StdoutSink>());
        l->set_pattern("%v");
        l->set_level(spdlog::level::info);
        return l;
    }();
    return instance;
}

// Whether access lines are logged at all (level info or below), read on every request.
std::atomic<bool> access_enabled{true};

spdlog::level::level_enum to_spd(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
        case LogLevel::off:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warn:
            return "warn";
        case LogLevel::error:
            return "error";
        case LogLevel::off:
            return "off";
    }
    return "info";
}

std::string now_rfc3339() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto t = system_clock::to_time_t(now);
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

std::int64_t now_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// --- the access log's queue and writer -------------------------------------------------------
//
// The request path copies its fields into the queue and goes on. The writer wakes every
// kBatchInterval while lines come, formats what is there and writes it with one write(2); after
// kIdlePolls empty looks it parks on a condition variable, and the first push after that wakes it
// (one futex call per idle-to-busy turn, none under steady load). The queue holds kCapacity
// records (256 bytes each: 2 MiB), about 0.15 s at 50,000 requests/s: a stall of stdout longer
// than that drops lines instead of blocking the I/O threads.
constexpr std::size_t kCapacity = 8192;
constexpr auto kBatchInterval = std::chrono::milliseconds(5);
constexpr int kIdlePolls = 3;
constexpr std::size_t kBatchBytes = 256 * 1024;

struct AccessLog {
    std::unique_ptr<detail::AccessLogQueue> queue;  // made by the first writer, kept for good
    std::atomic<bool> running{false};
    std::atomic<bool> stopping{false};
    std::atomic<bool> parked{false};
    std::atomic<long long> dropped{0};
    std::mutex drain_mutex;  // one consumer at a time
    std::mutex wake_mutex;
    std::condition_variable wake;
    std::thread thread;
    std::string batch;  // guarded by drain_mutex
};

// Never destroyed: an I/O thread may still log while the process exits.
AccessLog& access_log() {
    static auto* instance = new AccessLog;
    return *instance;
}

// Formats and writes every record ready in the queue. Caller holds drain_mutex.
std::size_t drain_and_write(AccessLog& log) {
    std::size_t total = 0;
    for (;;) {
        log.batch.clear();
        std::size_t n = 0;
        while (log.batch.size() < kBatchBytes) {
            const auto got = log.queue->drain(
                [&log](const detail::AccessRecord& r) { detail::append_access_line(log.batch, r); },
                256);
            n += got;
            if (got == 0)
                break;
        }
        if (!log.batch.empty())
            write_stdout(log.batch);
        total += n;
        if (n == 0 || log.batch.size() < kBatchBytes)
            break;
    }
    if (log.batch.capacity() > 4 * kBatchBytes)
        std::string().swap(log.batch);
    return total;
}

void writer_loop(AccessLog& log) {
    int empty_polls = 0;
    for (;;) {
        // Read `stopping` before the drain: a push that still saw the writer running is then
        // visible to this (last) drain.
        const bool stop = log.stopping.load();
        std::atomic_thread_fence(std::memory_order_seq_cst);
        std::size_t n;
        {
            std::lock_guard lock(log.drain_mutex);
            n = drain_and_write(log);
        }
        if (stop)
            return;
        std::unique_lock lock(log.wake_mutex);
        if (n > 0 || ++empty_polls < kIdlePolls) {
            if (n > 0)
                empty_polls = 0;
            log.wake.wait_for(lock, kBatchInterval, [&log] { return log.stopping.load(); });
            continue;
        }
        // Park. A producer that pushes after the fence sees parked and wakes us; one that pushed
        // before it left a record that ready() sees (Dekker, with the fence in log_access).
        log.parked.store(true);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (!log.queue->ready() && !log.stopping.load())
            log.wake.wait_for(lock, std::chrono::seconds(1),
                              [&log] { return !log.parked.load() || log.stopping.load(); });
        log.parked.store(false);
        empty_polls = 0;
    }
}

void write_access_line_now(std::int64_t unix_ms, std::string_view method, std::string_view path,
                           int status, long long micros, std::string_view request_id,
                           std::string_view trace_id, std::string_view remote,
                           std::string_view client) {
    thread_local detail::AccessRecord record;
    thread_local std::string line;
    record.assign(unix_ms, method, path, status, micros, request_id, trace_id, remote, client);
    line.clear();
    detail::append_access_line(line, record);
    if (record.spill.capacity() > 0)
        std::string().swap(record.spill);
    write_stdout(line);
}

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& out) noexcept {
    if (text == "debug")
        out = LogLevel::debug;
    else if (text == "info")
        out = LogLevel::info;
    else if (text == "warn")
        out = LogLevel::warn;
    else if (text == "error")
        out = LogLevel::error;
    else if (text == "off")
        out = LogLevel::off;
    else
        return false;
    return true;
}

void init_logging(LogLevel level) {
    logger()->set_level(to_spd(level));
    access_enabled.store(level == LogLevel::debug || level == LogLevel::info);
}

void log_event(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
    log_event(level, message, std::span<const LogField>(fields.begin(), fields.size()));
}

void log_event(LogLevel level, std::string_view message, std::span<const LogField> fields) {
    auto& l = logger();
    if (!l->should_log(to_spd(level)))
        return;
    boost::json::object o;
    o["ts"] = now_rfc3339();
    o["level"] = level_name(level);
    o["msg"] = message;
    for (const auto& [k, v] : fields)
        o[k] = v;
    // A line logged while a request is handled (on its strand) names the request's trace.
    if (const auto trace = current_trace_id(); !trace.empty() && !o.contains("trace_id"))
        o["trace_id"] = trace;
    l->log(to_spd(level), boost::json::serialize(o));
}

void log_access(std::string_view method, std::string_view path, int status, long long micros,
                std::string_view request_id, std::string_view trace_id, std::string_view remote,
                std::string_view client) {
    if (!access_enabled.load(std::memory_order_relaxed))
        return;
    auto& log = access_log();
    const auto unix_ms = now_unix_ms();
    if (!log.running.load(std::memory_order_acquire)) {
        // No writer (tools, tests of the server alone, or after stop()): write it now, after
        // anything a late push left queued.
        if (log.queue) {
            std::lock_guard lock(log.drain_mutex);
            drain_and_write(log);
        }
        write_access_line_now(unix_ms, method, path, status, micros, request_id, trace_id, remote,
                              client);
        return;
    }
    if (!log.queue->push(unix_ms, method, path, status, micros, request_id, trace_id, remote,
                         client)) {
        log.dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (log.parked.load(std::memory_order_relaxed)) {
        std::lock_guard lock(log.wake_mutex);
        if (log.parked.load()) {
            log.parked.store(false);
            log.wake.notify_one();
        }
    }
    if (!log.running.load(std::memory_order_relaxed)) {
        // The writer stopped between the two looks and may have missed this record.
        std::lock_guard lock(log.drain_mutex);
        drain_and_write(log);
    }
}

long long access_log_dropped() noexcept {
    return access_log().dropped.load(std::memory_order_relaxed);
}

AccessLogWriter::AccessLogWriter() {
    auto& log = access_log();
    if (log.running.load())
        throw std::logic_error("an access log writer is already running");
    if (!log.queue)
        log.queue = std::make_unique<detail::AccessLogQueue>(kCapacity);
    log.stopping.store(false);
    log.parked.store(false);
    log.thread = std::thread([&log] { writer_loop(log); });
    log.running.store(true);
}

AccessLogWriter::~AccessLogWriter() {
    stop();
}

void AccessLogWriter::stop() {
    auto& log = access_log();
    if (!log.thread.joinable())
        return;
    log.running.store(false);
    {
        std::lock_guard lock(log.wake_mutex);
        log.stopping.store(true);
        log.parked.store(false);
    }
    log.wake.notify_one();
    log.thread.join();
}

}  // namespace hotel::http
