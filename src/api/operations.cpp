#include "api/operations.hpp"

#include <cstdio>
#include <span>
#include <vector>

#include "api/business_metrics.hpp"
#include "api/problems.hpp"
#include "http/access_log.hpp"
#include "http/server.hpp"

namespace hotel::api {

const char* openapi_document();  // generated from api/openapi.json

namespace asio = boost::asio;

void add_operation_routes(http::Router& router, Services& services) {
    // The process answers: it is serving. Whether the database answers is /ready's question.
    router.add("GET", "/health", [](http::Request&) -> asio::awaitable<http::Response> {
        co_return http::Response::json(200, R"({"status":"ok"})");
    });

    router.add("GET", "/openapi.json", [](http::Request&) -> asio::awaitable<http::Response> {
        co_return http::Response::json(200, openapi_document());
    });

    // Prometheus text exposition: HTTP traffic and the database pool.
    router.add("GET", "/metrics", [&services](http::Request&) -> asio::awaitable<http::Response> {
        std::string out;
        auto metric = [&out](const char* name, const char* type, const char* help) {
            out += "# HELP ";
            out += name;
            out += ' ';
            out += help;
            out += '\n';
            out += "# TYPE ";
            out += name;
            out += ' ';
            out += type;
            out += '\n';
        };
        auto value = [&out](const std::string& series, long long v) {
            out += series;
            out += ' ';
            out += std::to_string(v);
            out += '\n';
        };
        // A metric of one series without labels.
        auto single = [&metric, &value](const char* name, const char* type, const char* help,
                                        long long v) {
            metric(name, type, help);
            value(name, v);
        };
        // Buckets, cumulative as Prometheus wants them, from per-bucket counts (the last one
        // past every bound), then _sum and _count.
        // labels: "" or 'route="/health",method="GET"' (before le).
        auto histogram = [&value, &out](const std::string& name, std::span<const double> bounds,
                                        std::span<const long long> counts, double sum,
                                        const std::string& labels = {}) {
            long long cumulative = 0;
            const std::string first = labels.empty() ? "{" : "{" + labels + ",";
            for (std::size_t i = 0; i < counts.size(); ++i) {
                cumulative += counts[i];
                char le[32] = "+Inf";
                if (i < bounds.size())
                    std::snprintf(le, sizeof le, "%g", bounds[i]);
                value(name + "_bucket" + first + "le=\"" + le + "\"}", cumulative);
            }
            const std::string tail = labels.empty() ? "" : "{" + labels + "}";
            out += name + "_sum" + tail + " " + std::to_string(sum) + "\n";
            value(name + "_count" + tail, cumulative);
        };
        if (const auto* st = services.server_stats) {
            metric("hotel_http_requests_total", "counter", "Requests answered, by status class.");
            for (int c = 1; c <= 5; ++c)
                value("hotel_http_requests_total{class=\"" + std::to_string(c) + "xx\"}",
                      st->responses_by_class[c].load());
            metric("hotel_http_request_duration_seconds", "histogram",
                   "Time from a request's first byte until its response is ready to send, by "
                   "route template (route=\"unmatched\": no route answered).");
            std::vector<long long> counts;
            for (std::size_t r = 0; r < st->route_count; ++r) {
                const auto& slot = st->routes[r];
                counts.clear();
                long long total = 0;
                for (const auto& b : slot.buckets) {
                    counts.push_back(b.load(std::memory_order_relaxed));
                    total += counts.back();
                }
                if (total == 0)
                    continue;  // a route never asked for has no series yet
                // Route templates hold no '"', '\\' or newline: no escaping needed.
                const auto& [method, pattern] = st->route_labels[r];
                std::string labels = "route=\"" + pattern + "\"";
                if (!method.empty())
                    labels += ",method=\"" + method + "\"";
                histogram("hotel_http_request_duration_seconds", http::ServerStats::kBuckets,
                          counts, static_cast<double>(slot.micros_sum.load()) / 1e6, labels);
            }
            single("hotel_http_connections_open", "gauge", "Open client connections.",
                   st->connections_open.load());
            single("hotel_http_connections_total", "counter", "Client connections accepted.",
                   st->connections_total.load());
            single("hotel_http_connections_rejected_total", "counter",
                   "Connections refused over the limit.", st->connections_rejected.load());
        }
        single("hotel_access_log_dropped_total", "counter",
               "Access-log lines dropped because the writer's queue was full.",
               http::access_log_dropped());
        const auto p = services.database_status();
        metric("hotel_db_pool_connections", "gauge", "Database connections by state.");
        value("hotel_db_pool_connections{state=\"in_use\"}", p.in_use);
        value("hotel_db_pool_connections{state=\"idle\"}", p.idle);
        value("hotel_db_pool_connections{state=\"connecting\"}", p.connecting);
        single("hotel_db_pool_waiting", "gauge", "Requests waiting for a database connection.",
               p.waiting);
        single("hotel_db_pool_created_total", "counter", "Database connections opened.", p.created);
        single("hotel_db_pool_connect_failures_total", "counter",
               "Failed attempts to open a connection.", p.connect_failures);
        single("hotel_db_pool_discarded_total", "counter",
               "Broken connections closed instead of reused.", p.discarded);
        single("hotel_db_pool_acquire_timeouts_total", "counter",
               "Acquires that failed with unavailable.", p.acquire_timeouts);
        single("hotel_db_transaction_retries_total", "counter",
               "Transactions re-run after 40001/40P01.", p.transaction_retries);
        if (services.read_database_status) {
            const auto r = services.read_database_status();
            metric("hotel_db_read_pool_connections", "gauge",
                   "Connections to DATABASE_READ_URL by state.");
            value("hotel_db_read_pool_connections{state=\"in_use\"}", r.in_use);
            value("hotel_db_read_pool_connections{state=\"idle\"}", r.idle);
            value("hotel_db_read_pool_connections{state=\"connecting\"}", r.connecting);
            single("hotel_db_read_pool_connect_failures_total", "counter",
                   "Failed attempts to open a connection to DATABASE_READ_URL.",
                   r.connect_failures);
            single("hotel_db_read_pool_acquire_timeouts_total", "counter",
                   "Reads of DATABASE_READ_URL that failed with unavailable.", r.acquire_timeouts);
        }
        if (!p.wait_buckets.empty()) {
            metric("hotel_db_pool_wait_seconds", "histogram",
                   "Time from asking the pool for a connection to holding one (successful "
                   "acquires; failures count in hotel_db_pool_acquire_timeouts_total).");
            histogram("hotel_db_pool_wait_seconds", core::kPoolWaitBounds, p.wait_buckets,
                      p.wait_sum_seconds);
        }
        {
            const auto& b = business_metrics();
            single("hotel_bookings_created_total", "counter",
                   "Bookings created by this node (201 to POST /v1/bookings, replays excluded).",
                   b.bookings_created());
            single("hotel_sold_out_total", "counter",
                   "Answers 409 sold_out: no room left for the stay asked for.",
                   b.sold_out_answers());
            single("hotel_cancellations_total", "counter", "Bookings cancelled by this node.",
                   b.cancellations());
            metric("hotel_fees_charged_minor_total", "counter",
                   "Cancellation and no-show fees charged, in the currency's minor units.");
            for (const auto& [currency, minor] : b.fees())
                value("hotel_fees_charged_minor_total{currency=\"" + currency + "\"}", minor);
        }
        if (services.search_index) {
            const auto ix = services.search_index();
            single("hotel_index_live", "gauge",
                   "1 while shopping is answered from the in-memory index, 0 on SQL.",
                   ix.live ? 1 : 0);
            single("hotel_index_reloads_total", "counter",
                   "Full loads of the search index (start, and after each loss of its feed).",
                   ix.reloads);
            single("hotel_index_hotel_reloads_total", "counter",
                   "Single hotels reloaded after a catalogue or rate change.", ix.hotel_reloads);
            single("hotel_index_feed_losses_total", "counter",
                   "Times the index's change feed (or its loader) was lost.", ix.losses);
            single("hotel_index_transactions_total", "counter",
                   "Committed transactions applied from the change feed.", ix.transactions);
            single("hotel_index_hotels", "gauge", "Hotels held by the search index.", ix.hotels);
            single("hotel_index_periods", "gauge",
                   "Occupied periods (stays, out-of-service) held by the search index.",
                   ix.periods);
            metric("hotel_index_lag_seconds", "histogram",
                   "From a change's commit in PostgreSQL until this node's index applied it.");
            histogram("hotel_index_lag_seconds", ix.lag_bounds, ix.lag_buckets, ix.lag_sum_seconds);
        }
        if (services.invoice_numbering) {
            const auto [steps, numbered] = services.invoice_numbering();
            single("hotel_invoice_numbering_steps_total", "counter",
                   "Invoice numbering steps run by this node (each numbers every pending invoice).",
                   steps);
            single("hotel_invoices_numbered_total", "counter",
                   "Invoices numbered by this node's steps.", numbered);
        }
        if (services.booking_batches) {
            const auto [batches, batched, refused] = services.booking_batches();
            single("hotel_booking_batches_total", "counter",
                   "Statements that placed several new bookings together.", batches);
            single("hotel_booking_batched_total", "counter",
                   "New bookings placed in those statements (the others went alone).", batched);
            single("hotel_booking_batches_refused_total", "counter",
                   "Batches the database refused (an error: nothing written); each of their "
                   "bookings was then placed alone.",
                   refused);
        }
        if (services.webhooks) {
            const auto [delivered, failed, dead, numbered] = services.webhooks();
            metric("hotel_webhook_attempts_total", "counter",
                   "Webhook delivery attempts by this node, by outcome (dead: failed and "
                   "dead-lettered).");
            value("hotel_webhook_attempts_total{outcome=\"delivered\"}", delivered);
            value("hotel_webhook_attempts_total{outcome=\"failed\"}", failed);
            value("hotel_webhook_attempts_total{outcome=\"dead\"}", dead);
            single("hotel_events_numbered_total", "counter",
                   "Booking events numbered for the feed and the webhooks by this node.", numbered);
        }
        http::Response r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = std::move(out);
        co_return r;
    });

    // Ready when the database answers a trivial query within one second, and the search index
    // (when shopping uses it) has completed its first load.
    router.add("GET", "/ready", [&services](http::Request& req) -> asio::awaitable<http::Response> {
        if (services.search_index_settled && !services.search_index_settled()) {
            auto r = http::Response::from(http::make_problem(
                503, "unavailable", "Service unavailable", "The search index is loading."));
            r.set_header("Retry-After", "1");
            co_return r;
        }
        try {
            co_await services.database_ping(std::chrono::seconds(1));
            co_return http::Response::json(200, R"({"status":"ready"})");
        } catch (const core::InfrastructureError& e) {
            auto r = database_problem(e, req.request_id);
            if (r.status != 503) {
                r = http::Response::from(http::make_problem(
                    503, "unavailable", "Service unavailable", "The database is not ready."));
                r.set_header("Retry-After", "1");
            }
            co_return r;
        }
    });
}

}  // namespace hotel::api
