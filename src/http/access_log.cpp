#include "http/access_log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "http/text.hpp"

namespace hotel::http {
namespace {

std::shared_ptr<spdlog::logger>& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = std::make_shared<spdlog::logger>(
            "hotel", std::make_shared<spdlog::sinks::stdout_sink_mt>());
        l->set_pattern("%v");
        l->set_level(spdlog::level::info);
        l->flush_on(spdlog::level::trace);
        return l;
    }();
    return instance;
}

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
    l->log(to_spd(level), boost::json::serialize(o));
}

void log_access(std::string_view method, std::string_view path, int status, long long micros,
                std::string_view request_id, std::string_view remote, std::string_view client) {
    auto& l = logger();
    if (!l->should_log(spdlog::level::info))
        return;
    boost::json::object o;
    o["ts"] = now_rfc3339();
    o["level"] = "info";
    o["msg"] = "request";
    o["method"] = method;
    // The path is the client's bytes (a refused one too): keep the line UTF-8, so valid JSON.
    o["path"] = to_valid_utf8(path);
    o["status"] = status;
    o["us"] = micros;
    o["request_id"] = request_id;
    o["remote"] = remote;
    o["client"] = client;
    l->info(boost::json::serialize(o));
}

}  // namespace hotel::http
