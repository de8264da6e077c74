// hoteld: configuration and wiring only. Subcommands: (none) serves; create-admin and
// demo-data change the database and exit.

#include <CLI/CLI.hpp>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "api/caller.hpp"
#include "api/routes.hpp"
#include "app/command_line.hpp"
#include "app/config.hpp"
#include "app/service_notify.hpp"
#include "app/webhook_sender.hpp"
#include "core/account_cache.hpp"
#include "core/availability_index.hpp"
#include "core/booking_service.hpp"
#include "core/catalogue_service.hpp"
#include "core/events.hpp"
#include "core/front_desk.hpp"
#include "core/identity_service.hpp"
#include "core/reports.hpp"
#include "core/shopping.hpp"
#include "core/webhook_delivery.hpp"
#include "http/access_log.hpp"
#include "http/jwt.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "http/trace.hpp"
#include "pg/blocking_connection.hpp"
#include "pg/error.hpp"
#include "pg/pool.hpp"
#include "storage/booking_store.hpp"
#include "storage/catalogue_store.hpp"
#include "storage/demo_data.hpp"
#include "storage/event_store.hpp"
#include "storage/identity_store.hpp"
#include "storage/index_feed.hpp"
#include "storage/migrator.hpp"
#include "storage/report_store.hpp"
#include "storage/shopping_store.hpp"

namespace {

using namespace hotel;

int fail(int code, const std::string& message) {
    return app::fail("hoteld", code, message);
}

// hoteld never migrates (blueprint §6.3): it only checks that the schema is current.
int check_schema(const app::Config& config) {
    auto db = pg::BlockingConnection::open(config.database_url, "hoteld:" + config.node_name);
    storage::Migrator migrator(db,
                               storage::make_migration_set(storage::embedded_migration_files()));
    const auto st = migrator.status();
    if (!st.pending.empty())
        return fail(3, "the database schema is not current: " + std::to_string(st.pending.size()) +
                           " migration(s) pending, starting with " + st.pending.front().name +
                           "; run hotel-migrate first");
    if (!st.unknown.empty())
        http::log_event(http::LogLevel::warn, "database has migrations this build does not know",
                        {{"first", st.unknown.front().name}});
    return 0;
}

int serve(app::Config& config) {
    app::validate_serving(config);
    if (int rc = check_schema(config); rc != 0)
        return rc;

    // Access-log lines are formatted and written by their own thread, in batches; stopped (every
    // queued line written) once the server has stopped, or when serve() returns.
    http::AccessLogWriter access_log;
    boost::asio::io_context ioc(config.threads);
    api::Services services;
    // Each checkout is named after the request's trace in pg_stat_activity, and a slow
    // statement is logged from inside its request (log_event adds the request's trace_id).
    auto pool_options = config.pool;
    pool_options.trace_id = &http::current_trace_id;
    pool_options.is_request_strand = &http::is_request_strand;
    pool_options.on_slow_statement = [](std::string_view name, long long millis, int pid) {
        const auto ms = std::to_string(millis);
        const auto backend = std::to_string(pid);
        http::log_event(http::LogLevel::warn, "slow statement",
                        {{"statement", name}, {"ms", ms}, {"backend_pid", backend}});
    };
    auto pool = pg::Pool::create(ioc.get_executor(), pool_options);
    services.database_status = [pool] { return pool->stats(); };
    services.database_ping = [pool](std::chrono::milliseconds within) {
        return pool->ping(pg::Clock::now() + within);
    };
    // Reads that may lag go to DATABASE_READ_URL when it is set (a streaming replica): the
    // booking list (GET /v1/bookings) and the managers' reports. Everything else, the booking
    // path, idempotency, identity, the front desk's lists and chart, the search index's feed and
    // /ready, uses the primary: they read what they or another node just wrote. The read pool is
    // not part of /ready: while it cannot connect, those reads answer 503 and the rest serves.
    const bool separate_reads = !config.database_read_url.empty();
    auto read_options = config.read_pool;  // named and timed like the primary's
    read_options.trace_id = pool_options.trace_id;
    read_options.is_request_strand = pool_options.is_request_strand;
    read_options.on_slow_statement = pool_options.on_slow_statement;
    auto read_pool = separate_reads ? pg::Pool::create(ioc.get_executor(), read_options) : pool;
    if (separate_reads)
        services.read_database_status = [read_pool] { return read_pool->stats(); };
    services.tokens = std::make_shared<const http::JwtCodec>(config.jwt);
    // The web app's files, read once; an empty or missing directory serves no app.
    const auto web = http::StaticFiles::load(config.web_dir);
    services.web = &web;
    storage::PgUserStore users(pool);
    storage::PgLoginThrottle throttle(pool, config.throttle);
    storage::PgSessionStore sessions(pool, std::chrono::seconds(config.refresh_ttl_s));
    storage::Argon2Hasher hasher(config.hash_threads);
    core::AccountCache accounts(users, std::chrono::milliseconds(config.account_cache_ttl_ms));
    core::IdentityService identity(users, hasher, throttle, sessions, config.throttle, &accounts);
    storage::PgCatalogueStore catalogue_store(pool);
    core::CatalogueService catalogue(catalogue_store);
    services.catalogue = &catalogue;
    auto numbering = storage::InvoiceNumbering::create(pool, ioc.get_executor());
    services.invoice_numbering = [numbering] {
        return std::pair{numbering->steps(), numbering->numbered()};
    };
    auto batcher = storage::BookingBatcher::create(
        pool, ioc.get_executor(), static_cast<std::size_t>(config.booking_batch),
        static_cast<std::size_t>(config.booking_batches));
    services.booking_batches = [batcher] { return batcher->counts(); };
    storage::PgBookingStore booking_store(
        pool, numbering, std::chrono::seconds(config.idempotency_lease_s), batcher);
    storage::PgBookingStore booking_lists(read_pool, numbering,
                                          std::chrono::seconds(config.idempotency_lease_s));
    storage::TestPaymentGateway payments(pool);
    core::BookingPolicy booking_policy;
    booking_policy.max_unsecured_bookings = static_cast<int>(config.max_unsecured_bookings);
    // The search index (filled by its feed below, when HOTEL_SEARCH=index) also quotes bookings.
    const bool use_index = config.search == "index";
    core::AvailabilityIndex index;
    core::BookingService bookings(
        booking_store, payments,
        [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); },
        booking_policy, use_index ? &index : nullptr, separate_reads ? &booking_lists : nullptr);
    services.bookings = &bookings;
    core::FrontDeskService front_desk(booking_store, catalogue_store, [] {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    });
    services.front_desk = &front_desk;
    storage::PgReportStore report_store(read_pool);
    core::ReportService reports(report_store, catalogue_store, [] {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    });
    services.reports = &reports;
    storage::PgEventStore event_store(pool);
    core::EventService events(event_store, catalogue_store, config.webhook_allow_private);
    services.events = &events;
    // Shopping reads the in-memory index while its feed follows the database, and SQL
    // otherwise (HOTEL_SEARCH=sql, while the first load runs, after the feed is lost).
    storage::PgShoppingStore sql_shopping(pool, catalogue_store);
    core::IndexedShoppingStore indexed_shopping(index, sql_shopping);
    std::unique_ptr<storage::IndexFeed> feed;
    if (use_index) {
        feed = std::make_unique<storage::IndexFeed>(
            index, storage::IndexFeedOptions{config.database_url, config.node_name},
            [](bool problem, const std::string& message,
               const std::vector<std::pair<std::string, std::string>>& fields) {
                std::vector<http::LogField> f(fields.begin(), fields.end());
                http::log_event(problem ? http::LogLevel::warn : http::LogLevel::info, message,
                                std::span<const http::LogField>(f));
            });
        services.search_index = [&index, &feed] {
            const auto& st = feed->stats();
            const auto counts = index.counts();
            api::SearchIndexStatus s;
            s.live = index.live();
            s.reloads = st.reloads.load();
            s.hotel_reloads = st.hotel_reloads.load();
            s.losses = st.losses.load();
            s.transactions = st.transactions.load();
            s.hotels = counts.hotels;
            s.periods = counts.periods;
            s.lag_bounds.assign(std::begin(storage::IndexFeedStats::kLagBuckets),
                                std::end(storage::IndexFeedStats::kLagBuckets));
            for (const auto& b : st.lag_buckets)
                s.lag_buckets.push_back(b.load());
            s.lag_sum_seconds = static_cast<double>(st.lag_micros_sum.load()) / 1e6;
            return s;
        };
        services.search_index_settled = [&feed] { return feed->stats().settled.load(); };
        feed->start();
    }
    core::ShoppingStore& shopping_store =
        use_index ? static_cast<core::ShoppingStore&>(indexed_shopping) : sql_shopping;
    core::ShoppingService shopping(shopping_store, [] {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    });
    services.shopping = &shopping;

    // Every ten minutes: idempotency keys older than the retention are deleted in batches, and
    // so are ended throttling windows and long-expired refresh tokens.
    auto sweeper = std::make_shared<boost::asio::steady_timer>(ioc);
    boost::asio::co_spawn(
        ioc,
        [&config, &throttle, &sessions, pool, sweeper]() -> boost::asio::awaitable<void> {
            for (;;) {
                sweeper->expires_after(std::chrono::minutes(10));
                auto [ec] =
                    co_await sweeper->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
                if (ec)
                    co_return;
                try {
                    const auto deleted = co_await storage::cleanup_idempotency_keys(
                        *pool, std::chrono::hours(config.idempotency_retention_h));
                    if (deleted > 0)
                        http::log_event(http::LogLevel::info, "idempotency keys deleted",
                                        {{"rows", std::to_string(deleted)}});
                } catch (const std::exception& e) {
                    http::log_event(http::LogLevel::warn, "idempotency cleanup failed",
                                    {{"error", e.what()}});
                }
                try {
                    co_await throttle.prune();
                    co_await sessions.prune();
                } catch (const std::exception& e) {
                    http::log_event(http::LogLevel::warn, "identity cleanup failed",
                                    {{"error", e.what()}});
                }
            }
        },
        boost::asio::detached);
    // Soon after start, then every 30 s: invoices left unnumbered by a node that stopped
    // between a booking's commit and its numbering step get their numbers.
    auto invoice_sweeper = std::make_shared<boost::asio::steady_timer>(ioc);
    boost::asio::co_spawn(
        ioc,
        [numbering, invoice_sweeper]() -> boost::asio::awaitable<void> {
            for (auto wait = std::chrono::seconds(1);; wait = std::chrono::seconds(30)) {
                invoice_sweeper->expires_after(wait);
                auto [ec] = co_await invoice_sweeper->async_wait(
                    boost::asio::as_tuple(boost::asio::use_awaitable));
                if (ec)
                    co_return;
                try {
                    co_await numbering->sweep();
                } catch (const std::exception& e) {
                    http::log_event(http::LogLevel::warn, "invoice numbering sweep failed",
                                    {{"error", e.what()}});
                }
            }
        },
        boost::asio::detached);
    // Webhook delivery (docs/WEBHOOKS.md): HOTEL_WEBHOOK_WORKERS loops, each running rounds of
    // core::WebhookDelivery (a numbering step, then one leased subscription's due deliveries);
    // at once again after a round that did something, else after HOTEL_WEBHOOK_POLL_MS. Leases
    // keep the loops (and nodes) off each other's subscriptions. On shutdown their timers are
    // cancelled; a delivery cut short by the stop is sent again once its lease lapses.
    app::HttpWebhookSender webhook_sender(config.webhook_allow_private,
                                          std::chrono::milliseconds(config.webhook_timeout_ms));
    core::DeliveryPolicy delivery_policy;
    delivery_policy.retry_base = std::chrono::milliseconds(config.webhook_retry_base_ms);
    delivery_policy.retry_cap = std::chrono::milliseconds(config.webhook_retry_max_ms);
    delivery_policy.retry_window = std::chrono::seconds(config.webhook_retry_window_s);
    delivery_policy.lease =
        std::chrono::milliseconds(2 * config.webhook_timeout_ms) + std::chrono::seconds(1);
    core::WebhookDelivery delivery(event_store, webhook_sender, delivery_policy, [] {
        thread_local std::mt19937_64 engine{std::random_device{}()};
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    });
    std::array<std::atomic<long long>, 4> webhook_counts{};  // delivered, failed, dead, numbered
    services.webhooks = [&webhook_counts] {
        return std::array<long long, 4>{webhook_counts[0].load(), webhook_counts[1].load(),
                                        webhook_counts[2].load(), webhook_counts[3].load()};
    };
    std::vector<std::shared_ptr<boost::asio::steady_timer>> webhook_timers;
    std::atomic<bool> stopping{false};
    for (int w = 0; w < config.webhook_workers; ++w) {
        // Each loop on a strand of its own: Beast's streams and their timeouts need one when the
        // io_context has several threads, and the pool then checks that a loop never holds two
        // connections at once.
        auto strand = boost::asio::make_strand(ioc);
        auto timer = std::make_shared<boost::asio::steady_timer>(strand);
        webhook_timers.push_back(timer);
        boost::asio::co_spawn(
            strand,
            [&delivery, &webhook_counts, &stopping, &config, timer,
             w]() -> boost::asio::awaitable<void> {
                // Workers start a little apart, so they do not step in lockstep.
                auto wait = std::chrono::milliseconds(50 * (w + 1));
                while (!stopping.load()) {
                    timer->expires_after(wait);
                    auto [ec] = co_await timer->async_wait(
                        boost::asio::as_tuple(boost::asio::use_awaitable));
                    if (ec || stopping.load())
                        co_return;
                    wait = std::chrono::milliseconds(config.webhook_poll_ms);
                    try {
                        const auto c = co_await delivery.round();
                        webhook_counts[0] += c.delivered;
                        webhook_counts[1] += c.failed;
                        webhook_counts[2] += c.dead;
                        webhook_counts[3] += c.numbered;
                        if (c.delivered + c.failed + c.dead + c.numbered > 0)
                            wait = std::chrono::milliseconds(0);
                        if (c.dead > 0)
                            http::log_event(http::LogLevel::warn,
                                            "webhook deliveries dead-lettered",
                                            {{"count", std::to_string(c.dead)}});
                    } catch (const std::exception& e) {
                        http::log_event(http::LogLevel::warn, "webhook delivery round failed",
                                        {{"error", e.what()}});
                    }
                }
            },
            boost::asio::detached);
    }
    services.users = &users;
    services.identity = &identity;
    config.server.tokens = services.tokens;
    config.server.principal_check = api::make_principal_check(accounts);
    http::Server server(ioc, config.server, api::make_router(services));
    services.server_stats = &server.stats();
    const auto port = server.start();
    const std::string address = config.server.address.find(':') != std::string::npos
                                    ? "[" + config.server.address + "]"
                                    : config.server.address;
    http::log_event(http::LogLevel::info, "listening",
                    {{"url", "http://" + address + ":" + std::to_string(port)},
                     {"threads", std::to_string(config.threads)},
                     {"node", config.node_name},
                     {"reads", separate_reads ? "DATABASE_READ_URL" : "DATABASE_URL"},
                     {"web_app_files", std::to_string(web.size())}});

    // Under systemd (Type=notify, packaging/hotel.service): READY=1 once /ready would first
    // answer 200, that is once the search index (when shopping uses it) has loaded and the
    // database answers; looked at every 100 ms until then (or until a signal stops the server).
    auto readiness = std::make_shared<boost::asio::steady_timer>(ioc);
    if (app::service_manager_listens()) {
        boost::asio::co_spawn(
            ioc,
            [readiness, pool, &feed, &stopping]() -> boost::asio::awaitable<void> {
                while (!stopping.load()) {
                    if (!feed || feed->stats().settled.load()) {
                        bool answered = true;
                        try {
                            co_await pool->ping(pg::Clock::now() + std::chrono::seconds(1));
                        } catch (const std::exception&) {
                            answered = false;
                        }
                        if (answered) {
                            app::notify_service_manager("READY=1\nSTATUS=serving");
                            co_return;
                        }
                    }
                    readiness->expires_after(std::chrono::milliseconds(100));
                    auto [ec] = co_await readiness->async_wait(
                        boost::asio::as_tuple(boost::asio::use_awaitable));
                    if (ec)
                        co_return;
                }
            },
            boost::asio::detached);
    }

    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    std::atomic<int> signal_count{0};
    std::function<void(const boost::system::error_code&, int)> on_signal;
    on_signal = [&](const boost::system::error_code& ec, int signo) {
        if (ec)
            return;
        if (signal_count++ > 0) {
            http::log_event(http::LogLevel::warn, "second signal, stopping now");
            ioc.stop();
            return;
        }
        http::log_event(http::LogLevel::info, "shutting down",
                        {{"signal", signo == SIGINT ? "SIGINT" : "SIGTERM"}});
        stopping = true;
        app::notify_service_manager("STOPPING=1");
        for (const auto& t : webhook_timers)
            boost::asio::post(t->get_executor(), [t] { t->cancel(); });
        server.shutdown(std::chrono::milliseconds(config.shutdown_timeout_ms), [&](bool clean) {
            access_log.stop();  // the last requests' lines come before "stopped"
            http::log_event(clean ? http::LogLevel::info : http::LogLevel::warn, "stopped",
                            {{"clean", clean ? "true" : "false"}});
            ioc.stop();
        });
        signals.async_wait(on_signal);
    };
    signals.async_wait(on_signal);

    std::vector<std::thread> workers;
    for (int i = 1; i < config.threads; ++i)
        workers.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : workers)
        t.join();
    return 0;
}

bool valid_password(const std::string& p) {
    return p.size() >= 10 && p.size() <= 256;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "hoteld: the hotel booking server.\n"
        "Every setting is an environment variable (shown as Env:NAME) or a flag."};
    app.set_version_flag("--version", "hoteld 0.1.0");
    app::Config config;
    app::register_options(app, config);

    std::string email;
    std::string password;
    std::string name = "Administrator";
    auto* create_admin = app.add_subcommand("create-admin", "Create an admin user, then exit");
    create_admin->add_option("--email", email, "The admin's email")->required();
    create_admin->add_option("--password", password, "The admin's password (10-256 chars)")
        ->envname("HOTEL_ADMIN_PASSWORD")
        ->required();
    create_admin->add_option("--name", name, "Display name")->capture_default_str();

    std::string demo_email = "admin@demo.hotel";
    std::string demo_password;
    auto* demo = app.add_subcommand(
        "demo-data", "Load the demo hotels, rates and admin (idempotent), then exit");
    demo->add_option("--admin-email", demo_email, "The demo admin's email")->capture_default_str();
    demo->add_option("--admin-password", demo_password, "The demo admin's password")
        ->envname("HOTEL_DEMO_ADMIN_PASSWORD")
        ->required();
    bool demo_stays = false;
    demo->add_flag("--stays", demo_stays,
                   "Also book a few dozen stays around today in each demo hotel that has none");
    app.require_subcommand(0, 1);

    if (auto rc = app::parse_command_line(app, argc, argv, "hoteld", 2))
        return *rc;

    try {
        app::validate(config);
        hotel::http::init_logging(config.level);
        if (*create_admin) {
            if (!valid_password(password))
                return fail(2, "the password must be 10-256 characters");
            if (email.find('@') == std::string::npos)
                return fail(2, "the email is not valid");
            auto db = pg::BlockingConnection::open(config.database_url, "hoteld:create-admin");
            if (!storage::create_admin(db, email, password, name))
                return fail(1, "a user with that email already exists");
            std::printf("created admin %s\n", email.c_str());
            return 0;
        }
        if (*demo) {
            if (!valid_password(demo_password))
                return fail(2, "the demo admin password must be 10-256 characters");
            if (int rc = check_schema(config); rc != 0)
                return rc;
            const auto s = storage::load_demo_data(config.database_url, demo_email, demo_password);
            std::printf(
                "demo data: %d hotels (%d new), %d rooms, %lld rate days written, admin %s\n",
                s.hotels, s.hotels_created, s.rooms, s.rate_days_written,
                s.admin_created ? "created" : "already present");
            if (demo_stays)
                std::printf("demo stays: %d booked\n",
                            storage::load_demo_stays(config.database_url, demo_email));
            return 0;
        }
        return serve(config);
    } catch (const app::ConfigError& e) {
        return fail(2, e.what());
    } catch (const storage::MigrationError& e) {
        return fail(e.exit_code(), e.what());
    } catch (const std::exception& e) {  // pg::Error among them
        return fail(1, e.what());
    }
}
