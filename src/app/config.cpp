#include "app/config.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>
#include "pg/error.hpp"

namespace hotel::app {
namespace {

void check_range(const char* name, long value, long lo, long hi) {
    if (value < lo || value > hi)
        throw ConfigError(std::string(name) + " must be between " + std::to_string(lo) + " and " +
                          std::to_string(hi) + " (got " + std::to_string(value) + ")");
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
        return "hoteld";
    return buf;
}

}  // namespace

void register_options(CLI::App& app, Config& c) {
    app.add_option("--database-url", c.database_url,
                   "PostgreSQL connection string (URI or key=value)")
        ->envname("DATABASE_URL");
    app.add_option("--database-read-url", c.database_read_url,
                   "PostgreSQL connection string for reads that may lag (booking lists, "
                   "reports), e.g. a streaming replica; default: DATABASE_URL")
        ->envname("DATABASE_READ_URL");
    app.add_option("--listen", c.listen, "Address and port to serve on, host:port")
        ->envname("HOTEL_LISTEN")
        ->capture_default_str();
    app.add_option("--threads", c.threads, "I/O threads (0: one per core)")
        ->envname("HOTEL_THREADS")
        ->capture_default_str();
    app.add_option("--log-level", c.log_level, "debug, info, warn, error or off")
        ->envname("HOTEL_LOG_LEVEL")
        ->capture_default_str();
    app.add_option("--node-name", c.node_name,
                   "This node's name in logs and in the database's application_name "
                   "(default: the host name)")
        ->envname("HOTEL_NODE_NAME");
    app.add_option("--request-timeout-ms", c.request_timeout_ms,
                   "Absolute deadline for reading one request")
        ->envname("HOTEL_REQUEST_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--idle-timeout-ms", c.idle_timeout_ms,
                   "How long a keep-alive connection may idle between requests")
        ->envname("HOTEL_IDLE_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--shutdown-timeout-ms", c.shutdown_timeout_ms,
                   "On SIGINT/SIGTERM, how long in-flight requests may take to finish")
        ->envname("HOTEL_SHUTDOWN_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--keepalive-max", c.keepalive_max,
                   "Requests served on one connection before it is closed")
        ->envname("HOTEL_KEEPALIVE_MAX")
        ->capture_default_str();
    app.add_option("--max-connections", c.max_connections,
                   "Open connections beyond which new ones are refused")
        ->envname("HOTEL_MAX_CONNECTIONS")
        ->capture_default_str();
    app.add_option("--db-pool-size", c.db_pool_size, "Maximum database connections")
        ->envname("HOTEL_DB_POOL_SIZE")
        ->capture_default_str();
    app.add_option("--db-read-pool-size", c.db_read_pool_size,
                   "Maximum connections to DATABASE_READ_URL (when it is set)")
        ->envname("HOTEL_DB_READ_POOL_SIZE")
        ->capture_default_str();
    app.add_option("--booking-batch", c.booking_batch,
                   "New bookings (without Idempotency-Key) placed together in one statement "
                   "at most; 1 places each alone")
        ->envname("HOTEL_BOOKING_BATCH")
        ->capture_default_str();
    app.add_option("--booking-batches", c.booking_batches,
                   "Batches of new bookings at the database at once")
        ->envname("HOTEL_BOOKING_BATCHES")
        ->capture_default_str();
    app.add_option("--db-max-waiting", c.db_max_waiting,
                   "Requests that may queue for a database connection; more get 503")
        ->envname("HOTEL_DB_MAX_WAITING")
        ->capture_default_str();
    app.add_option("--db-acquire-timeout-ms", c.db_acquire_timeout_ms,
                   "How long a request waits for a database connection before 503")
        ->envname("HOTEL_DB_ACQUIRE_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--db-query-timeout-ms", c.db_query_timeout_ms,
                   "Client deadline per statement; past it the query is cancelled on the server")
        ->envname("HOTEL_DB_QUERY_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--db-statement-timeout-ms", c.db_statement_timeout_ms,
                   "Server-side statement_timeout set on every connection")
        ->envname("HOTEL_DB_STATEMENT_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--slow-query-ms", c.slow_query_ms,
                   "Log statements that take at least this long (with their trace id); 0: never")
        ->envname("HOTEL_SLOW_QUERY_MS")
        ->capture_default_str();
    app.add_option("--jwt-secret", c.jwt_secret,
                   "HS256 signing secret for access tokens, at least 32 bytes")
        ->envname("HOTEL_JWT_SECRET");
    app.add_option("--jwt-secret-file", c.jwt_secret_file,
                   "File holding the signing secret (used when HOTEL_JWT_SECRET is unset)")
        ->envname("HOTEL_JWT_SECRET_FILE");
    app.add_option("--jwt-issuer", c.jwt_issuer, "Token issuer (iss)")
        ->envname("HOTEL_JWT_ISSUER")
        ->capture_default_str();
    app.add_option("--jwt-audience", c.jwt_audience, "Token audience (aud)")
        ->envname("HOTEL_JWT_AUDIENCE")
        ->capture_default_str();
    app.add_option("--jwt-ttl-s", c.jwt_ttl_s, "Access token lifetime in seconds")
        ->envname("HOTEL_JWT_TTL_S")
        ->capture_default_str();
    app.add_option("--cors-origins", c.cors_origins,
                   "Comma-separated origins allowed to call the API from browsers (default none)")
        ->envname("HOTEL_CORS_ORIGINS");
    app.add_option("--trusted-proxies", c.trusted_proxies,
                   "Comma-separated addresses or CIDR blocks of reverse proxies whose "
                   "X-Forwarded-For names the client (default none)")
        ->envname("HOTEL_TRUSTED_PROXIES");
    app.add_option("--login-max-failures", c.login_max_failures,
                   "Login attempts per (email, client address) in a window before 429")
        ->envname("HOTEL_LOGIN_MAX_FAILURES")
        ->capture_default_str();
    app.add_option("--login-window-s", c.login_window_s,
                   "The window of the (email, client address) login limit, in seconds")
        ->envname("HOTEL_LOGIN_WINDOW_S")
        ->capture_default_str();
    app.add_option("--login-email-max-attempts", c.login_email_max_attempts,
                   "Login attempts per email from anywhere in a window; beyond it, addresses "
                   "that already failed on that email get 429")
        ->envname("HOTEL_LOGIN_EMAIL_MAX_ATTEMPTS")
        ->capture_default_str();
    app.add_option("--login-email-window-s", c.login_email_window_s,
                   "The window of the per-email login limit, in seconds")
        ->envname("HOTEL_LOGIN_EMAIL_WINDOW_S")
        ->capture_default_str();
    app.add_option("--login-address-max-attempts", c.login_address_max_attempts,
                   "Login attempts per client address (any email) in a window before 429")
        ->envname("HOTEL_LOGIN_ADDRESS_MAX_ATTEMPTS")
        ->capture_default_str();
    app.add_option("--login-address-window-s", c.login_address_window_s,
                   "The window of the per-address login limit, in seconds")
        ->envname("HOTEL_LOGIN_ADDRESS_WINDOW_S")
        ->capture_default_str();
    app.add_option("--register-max-attempts", c.register_max_attempts,
                   "Registrations per client address in a window before 429")
        ->envname("HOTEL_REGISTER_MAX_ATTEMPTS")
        ->capture_default_str();
    app.add_option("--register-window-s", c.register_window_s,
                   "The window of the registration limit, in seconds")
        ->envname("HOTEL_REGISTER_WINDOW_S")
        ->capture_default_str();
    app.add_option("--refresh-ttl-s", c.refresh_ttl_s,
                   "Refresh-token lifetime in seconds (each use issues a new one)")
        ->envname("HOTEL_REFRESH_TTL_S")
        ->capture_default_str();
    app.add_option("--account-cache-ttl-ms", c.account_cache_ttl_ms,
                   "How long a node trusts what it read of an account (token version, "
                   "disabled) before reading it again; 0 reads on every request")
        ->envname("HOTEL_ACCOUNT_CACHE_TTL_MS")
        ->capture_default_str();
    app.add_option(
           "--idempotency-retention-h", c.idempotency_retention_h,
           "Hours an Idempotency-Key is kept (at least 24); older keys are deleted in batches")
        ->envname("HOTEL_IDEMPOTENCY_RETENTION_H")
        ->capture_default_str();
    app.add_option(
           "--idempotency-lease-s", c.idempotency_lease_s,
           "Seconds a claimed Idempotency-Key stays claimed when its request dies unfinished")
        ->envname("HOTEL_IDEMPOTENCY_LEASE_S")
        ->capture_default_str();
    app.add_option("--max-unsecured-bookings", c.max_unsecured_bookings,
                   "Confirmed bookings without a card a guest may hold at once (staff exempt)")
        ->envname("HOTEL_MAX_UNSECURED_BOOKINGS")
        ->capture_default_str();
    app.add_option("--search", c.search,
                   "Where shopping (city search, offers) is answered: index (in memory, fed by "
                   "logical decoding; needs wal_level=logical) or sql")
        ->envname("HOTEL_SEARCH")
        ->capture_default_str();
    app.add_option("--webhook-allow-private", c.webhook_allow_private,
                   "Allow webhook URLs on loopback and private networks (tests, closed networks)")
        ->envname("HOTEL_WEBHOOK_ALLOW_PRIVATE")
        ->capture_default_str();
    app.add_option("--webhook-timeout-ms", c.webhook_timeout_ms,
                   "Deadline of one webhook delivery attempt (resolve, connect, send, answer)")
        ->envname("HOTEL_WEBHOOK_TIMEOUT_MS")
        ->capture_default_str();
    app.add_option("--webhook-retry-base-ms", c.webhook_retry_base_ms,
                   "Wait after a webhook's first failed attempt; doubles each time, jittered")
        ->envname("HOTEL_WEBHOOK_RETRY_BASE_MS")
        ->capture_default_str();
    app.add_option("--webhook-retry-max-ms", c.webhook_retry_max_ms,
                   "Longest wait between two attempts of a webhook delivery")
        ->envname("HOTEL_WEBHOOK_RETRY_MAX_MS")
        ->capture_default_str();
    app.add_option("--webhook-retry-window-s", c.webhook_retry_window_s,
                   "How long a webhook delivery is retried before it is dead-lettered")
        ->envname("HOTEL_WEBHOOK_RETRY_WINDOW_S")
        ->capture_default_str();
    app.add_option("--webhook-poll-ms", c.webhook_poll_ms,
                   "How often an idle node looks for events to number and webhooks to deliver")
        ->envname("HOTEL_WEBHOOK_POLL_MS")
        ->capture_default_str();
    app.add_option("--webhook-workers", c.webhook_workers,
                   "Webhook subscriptions this node delivers to at once (0: none)")
        ->envname("HOTEL_WEBHOOK_WORKERS")
        ->capture_default_str();
    c.web_dir = HOTEL_DEFAULT_WEB_DIR;  // the source tree's web/ (a package sets its own)
    app.add_option("--web-dir", c.web_dir,
                   "Directory of the web app's files, served at / and /app/ (none: no app)")
        ->envname("HOTEL_WEB_DIR")
        ->capture_default_str();
    app.add_option("--hash-threads", c.hash_threads,
                   "Threads for password hashing (each hash takes ~19 MiB while it runs)")
        ->envname("HOTEL_HASH_THREADS")
        ->capture_default_str();
}

void parse_listen(const std::string& text, std::string& address, unsigned short& port) {
    std::string host;
    std::string port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
            throw ConfigError("HOTEL_LISTEN must be host:port or [ipv6]:port (got '" + text + "')");
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || colon == 0)
            throw ConfigError("HOTEL_LISTEN must be host:port (got '" + text + "')");
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value > 65535 ||
        port_text.empty())
        throw ConfigError("HOTEL_LISTEN has an invalid port (got '" + text + "')");
    if (host == "localhost")
        host = "127.0.0.1";
    address = host;
    port = static_cast<unsigned short>(value);
}

void validate(Config& c) {
    if (c.database_url.empty())
        throw ConfigError("DATABASE_URL is not set (./hotel run sets it for the private cluster)");
    if (!http::parse_log_level(c.log_level, c.level))
        throw ConfigError("HOTEL_LOG_LEVEL must be debug, info, warn, error or off (got '" +
                          c.log_level + "')");
    check_range("HOTEL_THREADS", c.threads, 0, 256);
    if (c.threads == 0)
        c.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    check_range("HOTEL_REQUEST_TIMEOUT_MS", c.request_timeout_ms, 100, 600'000);
    check_range("HOTEL_IDLE_TIMEOUT_MS", c.idle_timeout_ms, 100, 3'600'000);
    check_range("HOTEL_SHUTDOWN_TIMEOUT_MS", c.shutdown_timeout_ms, 0, 600'000);
    check_range("HOTEL_KEEPALIVE_MAX", c.keepalive_max, 1, 1'000'000);
    check_range("HOTEL_MAX_CONNECTIONS", c.max_connections, 1, 1'000'000);
    if (c.node_name.empty())
        c.node_name = host_name();
    for (char ch : c.node_name)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == '\'' || ch == '\\')
            throw ConfigError("HOTEL_NODE_NAME holds a character that is not allowed");

    check_range("HOTEL_DB_POOL_SIZE", c.db_pool_size, 1, 1000);
    check_range("HOTEL_DB_READ_POOL_SIZE", c.db_read_pool_size, 1, 1000);
    check_range("HOTEL_DB_MAX_WAITING", c.db_max_waiting, 0, 1'000'000);
    check_range("HOTEL_BOOKING_BATCH", c.booking_batch, 1, 256);
    check_range("HOTEL_BOOKING_BATCHES", c.booking_batches, 1, c.db_pool_size);
    check_range("HOTEL_DB_ACQUIRE_TIMEOUT_MS", c.db_acquire_timeout_ms, 10, 600'000);
    check_range("HOTEL_DB_QUERY_TIMEOUT_MS", c.db_query_timeout_ms, 10, 600'000);
    check_range("HOTEL_DB_STATEMENT_TIMEOUT_MS", c.db_statement_timeout_ms, 10, 3'600'000);
    check_range("HOTEL_SLOW_QUERY_MS", c.slow_query_ms, 0, 3'600'000);
    try {
        pg::validate_conninfo(c.database_url);
    } catch (const pg::Error& e) {
        throw ConfigError(std::string("DATABASE_URL: ") + e.what());
    }
    if (!c.database_read_url.empty()) {
        try {
            pg::validate_conninfo(c.database_read_url);
        } catch (const pg::Error& e) {
            throw ConfigError(std::string("DATABASE_READ_URL: ") + e.what());
        }
    }

    check_range("HOTEL_JWT_TTL_S", c.jwt_ttl_s, 60, 86'400);
    check_range("HOTEL_LOGIN_MAX_FAILURES", c.login_max_failures, 1, 1'000'000);
    check_range("HOTEL_LOGIN_WINDOW_S", c.login_window_s, 1, 86'400);
    check_range("HOTEL_LOGIN_EMAIL_MAX_ATTEMPTS", c.login_email_max_attempts, 1, 1'000'000);
    check_range("HOTEL_LOGIN_EMAIL_WINDOW_S", c.login_email_window_s, 1, 86'400);
    check_range("HOTEL_LOGIN_ADDRESS_MAX_ATTEMPTS", c.login_address_max_attempts, 1, 1'000'000);
    check_range("HOTEL_LOGIN_ADDRESS_WINDOW_S", c.login_address_window_s, 1, 86'400);
    check_range("HOTEL_REGISTER_MAX_ATTEMPTS", c.register_max_attempts, 1, 1'000'000);
    check_range("HOTEL_REGISTER_WINDOW_S", c.register_window_s, 1, 86'400);
    check_range("HOTEL_REFRESH_TTL_S", c.refresh_ttl_s, 60, 365 * 86'400);
    // At most 5 s: a change of role or status must reach every node within that.
    check_range("HOTEL_ACCOUNT_CACHE_TTL_MS", c.account_cache_ttl_ms, 0, 5'000);
    using std::chrono::seconds;
    c.throttle.pair = {c.login_max_failures, seconds(c.login_window_s)};
    c.throttle.email = {c.login_email_max_attempts, seconds(c.login_email_window_s)};
    c.throttle.address = {c.login_address_max_attempts, seconds(c.login_address_window_s)};
    c.throttle.registration = {c.register_max_attempts, seconds(c.register_window_s)};
    {
        std::string bad;
        auto ranges = http::parse_address_ranges(c.trusted_proxies, bad);
        if (!ranges)
            throw ConfigError(
                "HOTEL_TRUSTED_PROXIES takes addresses or CIDR blocks such as 10.0.0.0/8 (got '" +
                bad + "')");
        c.server.trusted_proxies = std::move(*ranges);
    }
    check_range("HOTEL_HASH_THREADS", c.hash_threads, 1, 64);
    check_range("HOTEL_IDEMPOTENCY_RETENTION_H", c.idempotency_retention_h, 24, 24 * 365);
    check_range("HOTEL_IDEMPOTENCY_LEASE_S", c.idempotency_lease_s, 1, 3600);
    check_range("HOTEL_MAX_UNSECURED_BOOKINGS", c.max_unsecured_bookings, 0, 1000000);
    check_range("HOTEL_WEBHOOK_TIMEOUT_MS", c.webhook_timeout_ms, 100, 60'000);
    check_range("HOTEL_WEBHOOK_RETRY_BASE_MS", c.webhook_retry_base_ms, 1, 3'600'000);
    check_range("HOTEL_WEBHOOK_RETRY_MAX_MS", c.webhook_retry_max_ms, c.webhook_retry_base_ms,
                86'400'000);
    check_range("HOTEL_WEBHOOK_RETRY_WINDOW_S", c.webhook_retry_window_s, 1, 30 * 86'400);
    check_range("HOTEL_WEBHOOK_POLL_MS", c.webhook_poll_ms, 10, 60'000);
    check_range("HOTEL_WEBHOOK_WORKERS", c.webhook_workers, 0, 64);
    if (c.search != "index" && c.search != "sql")
        throw ConfigError("HOTEL_SEARCH must be index or sql (got '" + c.search + "')");
    c.server.cors_origins.clear();
    for (std::size_t pos = 0; pos <= c.cors_origins.size();) {
        auto comma = c.cors_origins.find(',', pos);
        if (comma == std::string::npos)
            comma = c.cors_origins.size();
        std::string origin = c.cors_origins.substr(pos, comma - pos);
        while (!origin.empty() && origin.front() == ' ')
            origin.erase(0, 1);
        while (!origin.empty() && origin.back() == ' ')
            origin.pop_back();
        if (!origin.empty()) {
            if (origin == "*" || origin.find("://") == std::string::npos)
                throw ConfigError(
                    "HOTEL_CORS_ORIGINS takes exact origins such as "
                    "https://app.example.com (got '" +
                    origin + "')");
            c.server.cors_origins.push_back(origin);
        }
        pos = comma + 1;
    }

    parse_listen(c.listen, c.server.address, c.server.port);
    c.pool.connect.conninfo = c.database_url;
    c.pool.connect.application_name = "hoteld:" + c.node_name;
    c.pool.connect.statement_timeout = std::chrono::milliseconds(c.db_statement_timeout_ms);
    c.pool.max_size = static_cast<std::size_t>(c.db_pool_size);
    c.pool.max_waiting = static_cast<std::size_t>(c.db_max_waiting);
    c.pool.acquire_timeout = std::chrono::milliseconds(c.db_acquire_timeout_ms);
    c.pool.query_timeout = std::chrono::milliseconds(c.db_query_timeout_ms);
    c.pool.slow_statement = std::chrono::milliseconds(c.slow_query_ms);
    // The read pool: the same deadlines, its own (smaller) size, its own address.
    c.read_pool = c.pool;
    c.read_pool.connect.conninfo = c.database_read_url;
    c.read_pool.connect.application_name = "hoteld-read:" + c.node_name;
    c.read_pool.max_size = static_cast<std::size_t>(c.db_read_pool_size);
    c.server.request_timeout = std::chrono::milliseconds(c.request_timeout_ms);
    c.server.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
    c.server.keepalive_max_requests = static_cast<unsigned>(c.keepalive_max);
    c.server.max_connections = static_cast<std::size_t>(c.max_connections);
}

void validate_serving(Config& c) {
    std::string secret = c.jwt_secret;
    if (secret.empty() && !c.jwt_secret_file.empty()) {
        std::ifstream in(c.jwt_secret_file, std::ios::binary);
        if (!in)
            throw ConfigError("cannot read HOTEL_JWT_SECRET_FILE " + c.jwt_secret_file);
        std::ostringstream text;
        text << in.rdbuf();
        secret = text.str();
        while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
            secret.pop_back();
    }
    if (secret.empty())
        throw ConfigError("set HOTEL_JWT_SECRET (at least 32 bytes) or HOTEL_JWT_SECRET_FILE");
    if (secret.size() < http::JwtCodec::kMinSecretBytes)
        throw ConfigError("the JWT secret must be at least 32 bytes (got " +
                          std::to_string(secret.size()) + ")");
    c.jwt.secret = std::move(secret);
    c.jwt.issuer = c.jwt_issuer;
    c.jwt.audience = c.jwt_audience;
    c.jwt.ttl = std::chrono::seconds(c.jwt_ttl_s);
}

}  // namespace hotel::app
