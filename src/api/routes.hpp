#pragma once
// Wires every resource's handlers into one router.

#include <array>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "core/infrastructure.hpp"
#include "http/router.hpp"

namespace hotel::core {
class IdentityService;
class UserStore;
class CatalogueService;
class BookingService;
class ShoppingService;
class FrontDeskService;
class ReportService;
class EventService;
}  // namespace hotel::core
namespace hotel::http {
class JwtCodec;
struct ServerStats;
class StaticFiles;
}  // namespace hotel::http

namespace hotel::api {

// The database connections as /metrics reports them.
using core::DatabaseStatus;

// The search index as /metrics and /ready report it (all zero when shopping runs on SQL).
struct SearchIndexStatus {
    bool live = false;  // answering shopping now
    long long reloads = 0;
    long long hotel_reloads = 0;
    long long losses = 0;
    long long transactions = 0;
    long long hotels = 0;
    long long periods = 0;
    std::vector<double> lag_bounds;      // seconds, ascending
    std::vector<long long> lag_buckets;  // per bound, then +Inf; not cumulative
    double lag_sum_seconds = 0;
};

// What handlers need from the outside world: the use cases, and two views of the database that
// the app wires to the pool (handlers never see the driver).
struct Services {
    std::function<DatabaseStatus()> database_status;
    // The pool of DATABASE_READ_URL; unset when there is none (reads use the one pool).
    std::function<DatabaseStatus()> read_database_status;
    // Completes when the database answers a trivial query within `within`; throws
    // core::InfrastructureError otherwise.
    std::function<boost::asio::awaitable<void>(std::chrono::milliseconds within)> database_ping;
    std::function<SearchIndexStatus()> search_index;  // for /metrics: counts every hotel
    // For /ready, probed often: whether the index's first load is done (or decoding is
    // unavailable and shopping stays on SQL). Unset when shopping runs on SQL.
    std::function<bool()> search_index_settled;
    // For /metrics: invoice numbering steps run by this node, and the invoices they numbered.
    std::function<std::pair<long long, long long>()> invoice_numbering;
    // Statements placing new bookings in batches, the bookings they carried, and the batches the
    // database refused.
    std::function<std::tuple<long long, long long, long long>()> booking_batches;
    // For /metrics: webhook deliveries by this node since it started (delivered, failed
    // attempts, dead-lettered) and events it numbered. Unset: not reported.
    std::function<std::array<long long, 4>()> webhooks;
    std::shared_ptr<const http::JwtCodec> tokens;
    core::UserStore* users = nullptr;
    core::IdentityService* identity = nullptr;
    core::CatalogueService* catalogue = nullptr;
    core::BookingService* bookings = nullptr;
    core::ShoppingService* shopping = nullptr;
    core::FrontDeskService* front_desk = nullptr;
    core::ReportService* reports = nullptr;
    core::EventService* events = nullptr;
    const http::ServerStats* server_stats = nullptr;  // set once the server exists
    const http::StaticFiles* web = nullptr;           // the web app's files (issue 14)
};

http::Router make_router(Services& services);

}  // namespace hotel::api
