#pragma once
// IndexFeed: keeps a node's core::AvailabilityIndex current from PostgreSQL by logical decoding
// (docs/ARCHITECTURE.md, "The search index" says why this feed and not LISTEN/NOTIFY).
//
// On its own thread:
// 1. opens a replication connection and creates a TEMPORARY slot (test_decoding), so every
//    change committed from then on will be streamed;
// 2. loads every hotel from SQL (one REPEATABLE READ transaction per hotel) and replaces the
//    index, then writes a mark into the stream (a logical decoding message); the index goes
//    live (shopping reads it instead of SQL) once the stream reaches the mark, so that what
//    committed while the load ran is applied first (sql::index_mark);
// 3. follows the stream: bookings rows are applied as they are (their period, room and
//    status); a change to a hotel, room type, room, rate plan or daily rate reloads that hotel
//    from SQL, once the transaction is visible there (a commit is decoded a moment before it
//    is: sql::index_transaction_running); everything is applied per committed transaction, in
//    commit order. Changes that the load already saw are applied again, which converges: each row's
//    last committed version is applied last.
// If the stream or the loader's connection is lost, the index stops answering (shopping falls
// back to SQL), and the feed starts over from 1 with a new slot, after a bounded backoff.
// If the database cannot decode (wal_level is not logical, or the role lacks REPLICATION), the
// feed logs it as an error, shopping stays on SQL, and it tries again every 30 s.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/availability_index.hpp"

namespace hotel::storage {

// One change of test_decoding's text output, for the tables the index follows.
struct DecodedChange {
    enum class Kind { insert, update, remove, truncate } kind = Kind::insert;
    std::string table;                                          // without the schema
    std::map<std::string, std::optional<std::string>> columns;  // new tuple (or the key)
};
// nullopt for BEGIN/COMMIT, other schemas and lines it cannot read.
std::optional<DecodedChange> decode_change(std::string_view line);
// "2026-11-30 16:40:01.123456+00" (ISO, any offset) as microseconds since the epoch.
std::optional<core::Micros> parse_timestamptz(std::string_view text);
// A tstzrange's text '["a","b")' as its two bounds (finite, lower-inclusive only).
std::optional<std::pair<core::Micros, core::Micros>> parse_period(std::string_view text);

struct IndexFeedStats {
    static constexpr double kLagBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
    std::atomic<long long> reloads{0};        // full loads (start, and after each loss)
    std::atomic<long long> hotel_reloads{0};  // one hotel, after a catalogue or rate change
    std::atomic<long long> losses{0};         // the stream or its loader failed
    std::atomic<long long> transactions{0};   // committed transactions applied
    std::array<std::atomic<long long>, std::size(kLagBuckets) + 1> lag_buckets{};
    std::atomic<long long> lag_micros_sum{0};
    std::atomic<bool> settled{false};  // the first load is done, or decoding is unavailable
    std::atomic<int> stream_pid{0};    // the walsender serving this node (0: none)
};

struct IndexFeedOptions {
    std::string conninfo;
    std::string node_name;
    std::chrono::milliseconds retry_min{250};
    std::chrono::milliseconds retry_max{5'000};
};

class IndexFeed {
  public:
    using Log = std::function<void(bool problem, const std::string& message,
                                   const std::vector<std::pair<std::string, std::string>>&)>;
    IndexFeed(core::AvailabilityIndex& index, IndexFeedOptions options, Log log);
    ~IndexFeed();  // stops and joins
    IndexFeed(const IndexFeed&) = delete;
    IndexFeed& operator=(const IndexFeed&) = delete;

    void start();
    void stop();
    const IndexFeedStats& stats() const noexcept { return stats_; }

  private:
    void run();
    void sleep_for(std::chrono::milliseconds d);

    core::AvailabilityIndex& index_;
    IndexFeedOptions options_;
    Log log_;
    IndexFeedStats stats_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace hotel::storage
