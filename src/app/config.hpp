#pragma once
// hoteld's configuration: environment variables, each also a command-line flag. Validation
// happens here, once, and produces one clear line per problem.

#include <chrono>
#include <stdexcept>
#include <string>

#include "core/throttle.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"
#include "pg/pool.hpp"

namespace CLI {
class App;
}

namespace hotel::app {

struct Config {
    std::string database_url;
    // Reads that may lag (booking lists, reports) go here when set: a streaming replica.
    std::string database_read_url;
    std::string listen = "127.0.0.1:8080";
    int threads = 0;  // 0: one per core
    std::string log_level = "info";
    std::string node_name;
    long request_timeout_ms = 10'000;
    long idle_timeout_ms = 30'000;
    long shutdown_timeout_ms = 10'000;
    long keepalive_max = 1000;
    long max_connections = 10'000;
    long db_pool_size = 16;
    long db_read_pool_size = 4;
    long db_max_waiting = 1024;
    long db_acquire_timeout_ms = 2'000;
    long db_query_timeout_ms = 5'000;
    long db_statement_timeout_ms = 10'000;
    long booking_batch = 1;    // new bookings per statement at most (1: each alone)
    long booking_batches = 2;  // batches at the database at once
    long slow_query_ms = 500;  // statements logged as slow (HOTEL_SLOW_QUERY_MS)
    std::string jwt_secret;
    std::string jwt_secret_file;
    std::string jwt_issuer = "hotel";
    std::string jwt_audience = "hotel-api";
    long jwt_ttl_s = 900;
    std::string cors_origins;
    std::string trusted_proxies;
    long login_max_failures = 10;  // per (email, client address)
    long login_window_s = 900;
    long login_email_max_attempts = 100;
    long login_email_window_s = 900;
    long login_address_max_attempts = 100;
    long login_address_window_s = 300;
    long register_max_attempts = 20;
    long register_window_s = 3600;
    long refresh_ttl_s = 14 * 86'400;
    long account_cache_ttl_ms = 2'000;
    int hash_threads = 2;
    long idempotency_retention_h = 24;
    long idempotency_lease_s = 30;
    long max_unsecured_bookings = 3;
    std::string search = "index";  // index | sql
    bool webhook_allow_private = false;
    long webhook_timeout_ms = 10'000;
    long webhook_retry_base_ms = 5'000;
    long webhook_retry_max_ms = 3'600'000;
    long webhook_retry_window_s = 86'400;
    long webhook_poll_ms = 1'000;
    int webhook_workers = 4;
    std::string web_dir;  // the web app's files (issue 14); the command line's default: web/

    // Derived by validate().
    http::ServerOptions server;
    pg::PoolOptions pool;
    pg::PoolOptions read_pool;  // used only when database_read_url is set
    http::JwtSettings jwt;
    core::ThrottlePolicy throttle;
    http::LogLevel level = http::LogLevel::info;
};

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Registers every setting on the CLI11 app (flag + environment variable + help text).
void register_options(CLI::App& app, Config& config);

// Checks ranges and formats and fills the derived fields. Throws ConfigError.
void validate(Config& config);
// The serving-only settings (the token secret); subcommands do not need them.
void validate_serving(Config& config);

// "host:port" or "[v6]:port" → address and port. Throws ConfigError.
void parse_listen(const std::string& text, std::string& address, unsigned short& port);

}  // namespace hotel::app
