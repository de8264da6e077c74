#include "storage/index_feed.hpp"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <set>
#include <stdexcept>

#include "pg/blocking_connection.hpp"
#include "pg/error.hpp"
#include "pg/replication.hpp"
#include "storage/catalogue_sql.hpp"
#include "storage/catalogue_store.hpp"
#include "storage/index_sql.hpp"

namespace hotel::storage {

// --- test_decoding's text -------------------------------------------------------------------

namespace {

bool read_int(std::string_view& t, std::size_t digits, int& out) {
    if (t.size() < digits)
        return false;
    int v = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (t[i] < '0' || t[i] > '9')
            return false;
        v = v * 10 + (t[i] - '0');
    }
    out = v;
    t.remove_prefix(digits);
    return true;
}

bool expect(std::string_view& t, char c) {
    if (t.empty() || t.front() != c)
        return false;
    t.remove_prefix(1);
    return true;
}

}  // namespace

std::optional<core::Micros> parse_timestamptz(std::string_view t) {
    int y, mo, d, h, mi, s;
    if (!read_int(t, 4, y) || !expect(t, '-') || !read_int(t, 2, mo) || !expect(t, '-') ||
        !read_int(t, 2, d) || !expect(t, ' ') || !read_int(t, 2, h) || !expect(t, ':') ||
        !read_int(t, 2, mi) || !expect(t, ':') || !read_int(t, 2, s))
        return std::nullopt;
    core::Micros fraction = 0;
    if (!t.empty() && t.front() == '.') {
        t.remove_prefix(1);
        int digits = 0;
        while (!t.empty() && t.front() >= '0' && t.front() <= '9') {
            if (digits < 6)
                fraction = fraction * 10 + (t.front() - '0');
            ++digits;
            t.remove_prefix(1);
        }
        if (digits == 0)
            return std::nullopt;
        for (int i = digits; i < 6; ++i)
            fraction *= 10;
    }
    if (t.empty() || (t.front() != '+' && t.front() != '-'))
        return std::nullopt;
    const int sign = t.front() == '+' ? 1 : -1;
    t.remove_prefix(1);
    int oh = 0, om = 0, os = 0;
    if (!read_int(t, 2, oh))
        return std::nullopt;
    if (expect(t, ':') && !read_int(t, 2, om))
        return std::nullopt;
    if (expect(t, ':') && !read_int(t, 2, os))
        return std::nullopt;
    if (!t.empty())
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{y},
                                           std::chrono::month{static_cast<unsigned>(mo)},
                                           std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok())
        return std::nullopt;
    const auto days = std::chrono::sys_days{date}.time_since_epoch().count();
    const core::Micros local_seconds =
        static_cast<core::Micros>(days) * 86400 + h * 3600 + mi * 60 + s;
    const core::Micros offset = sign * (oh * 3600 + om * 60 + os);
    return (local_seconds - offset) * 1'000'000 + fraction;
}

std::optional<std::pair<core::Micros, core::Micros>> parse_period(std::string_view t) {
    // ["2026-12-01 15:00:00+00","2026-12-03 11:00:00+00")
    if (t.size() < 7 || t.front() != '[' || t.back() != ')')
        return std::nullopt;
    t = t.substr(1, t.size() - 2);
    const auto comma = t.find("\",\"");
    if (comma == std::string_view::npos || t.front() != '"' || t.back() != '"')
        return std::nullopt;
    const auto lower = parse_timestamptz(t.substr(1, comma - 1));
    const auto upper = parse_timestamptz(t.substr(comma + 3, t.size() - comma - 4));
    if (!lower || !upper)
        return std::nullopt;
    return std::pair{*lower, *upper};
}

std::optional<DecodedChange> decode_change(std::string_view line) {
    // table public.bookings: UPDATE: id[uuid]:'…' period[tstzrange]:'["…","…")' …
    constexpr std::string_view prefix = "table public.";
    if (line.substr(0, prefix.size()) != prefix)
        return std::nullopt;
    line.remove_prefix(prefix.size());
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos)
        return std::nullopt;
    DecodedChange out;
    out.table = std::string(line.substr(0, colon));
    line.remove_prefix(colon + 2);
    const auto action_end = line.find(':');
    if (action_end == std::string_view::npos)
        return std::nullopt;
    const auto action = line.substr(0, action_end);
    if (action == "INSERT")
        out.kind = DecodedChange::Kind::insert;
    else if (action == "UPDATE")
        out.kind = DecodedChange::Kind::update;
    else if (action == "DELETE")
        out.kind = DecodedChange::Kind::remove;
    else if (action == "TRUNCATE")
        out.kind = DecodedChange::Kind::truncate;
    else
        return std::nullopt;
    line.remove_prefix(action_end + 1);
    if (out.kind == DecodedChange::Kind::truncate)
        return out;

    // name[type]:value pairs separated by single spaces; "old-key:" and "new-tuple:" mark the
    // parts of an UPDATE that changed its key (the new tuple wins, being read last).
    while (!line.empty()) {
        while (!line.empty() && line.front() == ' ')
            line.remove_prefix(1);
        if (line.empty())
            break;
        if (line.substr(0, 8) == "old-key:") {
            line.remove_prefix(8);
            continue;
        }
        if (line.substr(0, 10) == "new-tuple:") {
            line.remove_prefix(10);
            continue;
        }
        if (line.substr(0, 15) == "(no-tuple-data)")
            return out;
        const auto open = line.find('[');
        if (open == std::string_view::npos)
            return std::nullopt;
        std::string name(line.substr(0, open));
        const auto close = line.find("]:", open);
        if (close == std::string_view::npos)
            return std::nullopt;
        line.remove_prefix(close + 2);
        std::optional<std::string> value;
        if (!line.empty() && line.front() == '\'') {
            std::string v;
            std::size_t i = 1;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '\'') {
                    if (i + 1 < line.size() && line[i + 1] == '\'') {
                        v += '\'';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                v += line[i++];
            }
            if (!closed)
                return std::nullopt;
            value = std::move(v);
            line.remove_prefix(i);
        } else {
            const auto end = line.find(' ');
            const auto raw = line.substr(0, end);
            if (raw != "null")
                value = std::string(raw);
            line.remove_prefix(end == std::string_view::npos ? line.size() : end);
        }
        out.columns[std::move(name)] = std::move(value);
    }
    return out;
}

// --- loading --------------------------------------------------------------------------------

namespace {

std::optional<core::HotelSnapshot> load_hotel(pg::BlockingConnection& db, const std::string& id) {
    db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
        const std::vector<pg::Param> by_hotel{id};
        auto version = db.query(sql::index_catalogue_version.sql, by_hotel);
        auto hotel = db.query(sql::hotel_by_id.sql, by_hotel);
        if (hotel.empty() || version.empty()) {
            db.query("COMMIT");
            return std::nullopt;
        }
        core::HotelSnapshot snap;
        snap.catalogue_version = version.get_as<std::int64_t>(0, 0);
        snap.hotel = hotel_from(hotel);
        snap.types = room_types_from(db.query(sql::room_types_of_hotel.sql, by_hotel), id);
        snap.plans = rate_plans_from(db.query(sql::rate_plans_of_hotel.sql, by_hotel), id);
        const auto rooms = db.query(sql::index_rooms.sql, by_hotel);
        for (auto& [room, type, number] : rooms.all<pg::Uuid, pg::Uuid, std::string>())
            snap.rooms.push_back({room.text, id, type.text, number, std::nullopt});
        snap.rates = rate_cells_from(db.query(sql::index_rates.sql, by_hotel));
        const auto hotel_bits = core::parse_uuid128(id).value_or(core::Uuid128{});
        const auto periods = db.query(sql::index_periods.sql, by_hotel);
        snap.stays.reserve(static_cast<std::size_t>(periods.size()));
        for (auto& [booking, room, starts, ends] :
             periods.all<pg::Uuid, pg::Uuid, std::int64_t, std::int64_t>()) {
            snap.stays.push_back(
                {core::parse_uuid128(booking.text).value_or(core::Uuid128{}), hotel_bits,
                 core::parse_uuid128(room.text).value_or(core::Uuid128{}), starts, ends, true});
        }
        db.query("COMMIT");
        return snap;
    } catch (...) {
        if (db.in_transaction()) {
            try {
                db.query("ROLLBACK");
            } catch (...) {
            }
        }
        throw;
    }
}

// Every hotel, one at a time into the index's next state, which then replaces the current one.
// The rows of each hotel are freed as soon as they are built into the compact state; what
// malloc keeps of them afterwards is handed back to the system.
void load_all(pg::BlockingConnection& db, core::AvailabilityIndex& index) {
    auto loading = index.start_loading();
    {
        const auto ids = db.query(sql::index_hotel_ids.sql);
        for (auto& [id] : ids.all<pg::Uuid>())
            if (auto snap = load_hotel(db, id.text))
                loading.add(std::move(*snap));
    }
    index.finish_loading(std::move(loading));
    ::malloc_trim(0);
}

struct DecodingUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

bool is_active(const std::optional<std::string>& status) {
    return status &&
           (*status == "confirmed" || *status == "checked_in" || *status == "checked_out");
}

// "table public.<name>: ..." for a table the index follows: bookings, and the catalogue.
bool followed_table(std::string_view line) {
    static const std::set<std::string_view> followed = {"bookings", "hotels",     "room_types",
                                                        "rooms",    "rate_plans", "daily_rates"};
    constexpr std::string_view prefix = "table public.";
    if (line.substr(0, prefix.size()) != prefix)
        return false;
    line.remove_prefix(prefix.size());
    const auto colon = line.find(':');
    return colon != std::string_view::npos && followed.count(line.substr(0, colon)) > 0;
}

std::string column(const DecodedChange& c, const char* name) {
    const auto it = c.columns.find(name);
    return it != c.columns.end() && it->second ? *it->second : std::string();
}

// Waits until `running` answers false: the commits the stream reported are then visible to the
// snapshot that a load takes next (statements.hpp says why they may not be yet). False when
// the feed is stopping; throws after 30 s, and the feed starts over.
bool wait_finished(pg::BlockingConnection& db, const pg::Statement& running,
                   const std::vector<pg::Param>& params, const std::atomic<bool>& stopping) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto pause = std::chrono::microseconds(100);
    while (db.query(running.sql, params).get_as<bool>(0, 0)) {
        if (stopping)
            return false;
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error(
                "a transaction the stream reported as committed was still "
                "running after 30 s");
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20'000));
    }
    return true;
}

// One committed transaction's changes, as far as the index follows them.
struct Transaction {
    std::string xid;                       // as "BEGIN <xid>" gave it
    std::vector<core::OccupancyRow> rows;  // bookings rows in order; a deleted one is inactive
    std::set<core::Uuid128> dirty;         // hotels to reload from SQL
    bool reload_everything = false;        // a TRUNCATE, or a row naming no hotel

    void add(const DecodedChange& change) {
        if (change.kind == DecodedChange::Kind::truncate) {
            reload_everything = true;
            return;
        }
        if (change.table != "bookings") {  // the catalogue: reload the hotel
            const auto hotel =
                core::parse_uuid128(column(change, change.table == "hotels" ? "id" : "hotel_id"));
            if (hotel)
                dirty.insert(*hotel);
            else
                reload_everything = true;
            return;
        }
        const auto hotel = core::parse_uuid128(column(change, "hotel_id"));
        const auto booking = core::parse_uuid128(column(change, "id"));
        if (!hotel || !booking)
            return;
        if (change.kind == DecodedChange::Kind::remove) {  // only the key is sent
            rows.push_back({*booking, *hotel, {}, 0, 0, false});
            return;
        }
        const auto room = core::parse_uuid128(column(change, "room_id"));
        const auto period = parse_period(column(change, "period"));
        const auto status = change.columns.find("status");
        if (!room || !period || status == change.columns.end()) {
            dirty.insert(*hotel);  // a row it cannot read: reload its hotel
            return;
        }
        rows.push_back(
            {*booking, *hotel, *room, period->first, period->second, is_active(status->second)});
    }
};

core::Micros now_micros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void apply(const Transaction& t, pg::BlockingConnection& db, core::AvailabilityIndex& index,
           IndexFeedStats& stats, const std::atomic<bool>& stopping) {
    // A reload reads SQL: first the transaction must be visible there.
    if ((t.reload_everything || !t.dirty.empty()) &&
        !wait_finished(db, sql::index_transaction_running, {t.xid}, stopping))
        return;
    if (t.reload_everything) {
        load_all(db, index);
        ++stats.reloads;
    } else {
        const core::Micros now = now_micros();
        for (const auto& row : t.rows)
            index.apply(row, now);
        for (const auto& hotel : t.dirty) {
            index.replace_hotel(hotel, load_hotel(db, core::format_uuid128(hotel)));
            ++stats.hotel_reloads;
        }
    }
    ++stats.transactions;
}

// "COMMIT (at 2026-11-30 16:40:01.123456+00)": from that commit until now, into the histogram.
void record_lag(std::string_view commit, IndexFeedStats& stats) {
    const auto at = commit.find("(at ");
    if (at == std::string_view::npos || commit.back() != ')')
        return;
    const auto committed = parse_timestamptz(commit.substr(at + 4, commit.size() - at - 5));
    if (!committed)
        return;
    const auto lag = std::max<core::Micros>(0, now_micros() - *committed);
    stats.lag_micros_sum += lag;
    std::size_t b = 0;
    while (b < std::size(IndexFeedStats::kLagBuckets) &&
           static_cast<double>(lag) / 1e6 > IndexFeedStats::kLagBuckets[b])
        ++b;
    ++stats.lag_buckets[b];
}

}  // namespace

// --- the feed -------------------------------------------------------------------------------

IndexFeed::IndexFeed(core::AvailabilityIndex& index, IndexFeedOptions options, Log log)
    : index_(index), options_(std::move(options)), log_(std::move(log)) {}

IndexFeed::~IndexFeed() {
    stop();
}

void IndexFeed::start() {
    thread_ = std::thread([this] { run(); });
}

void IndexFeed::stop() {
    stopping_ = true;
    if (thread_.joinable())
        thread_.join();
}

void IndexFeed::sleep_for(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopping_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

void IndexFeed::run() {
    using Clock = std::chrono::steady_clock;
    std::mt19937_64 random(std::random_device{}());
    auto backoff = options_.retry_min;
    bool decoding_refused_logged = false;
    for (int attempt = 1; !stopping_; ++attempt) {
        char suffix[17];
        std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
        const std::string slot = "hotel_index_" + std::to_string(::getpid()) + "_" + suffix;
        try {
            // Whether this database can feed an index at all, asked on an ordinary connection
            // first: a refused replication connection carries no SQLSTATE to tell why.
            auto db = pg::BlockingConnection::open(options_.conninfo,
                                                   "hoteld-index-loader:" + options_.node_name);
            const auto can = db.query(
                "SELECT current_setting('wal_level') = 'logical', "
                "       (SELECT rolsuper OR rolreplication FROM pg_roles "
                "        WHERE rolname = current_user)");
            if (!can.get_as<bool>(0, 0))
                throw DecodingUnavailable("wal_level is not logical");
            if (!can.get_as<bool>(0, 1))
                throw DecodingUnavailable("the role has neither REPLICATION nor SUPERUSER");
            auto stream = pg::LogicalStream::start(
                options_.conninfo, "hoteld-index:" + options_.node_name, slot, "test_decoding",
                {{"include-xids", "on"}, {"include-timestamp", "on"}, {"skip-empty-xacts", "on"}});
            stats_.stream_pid = stream.backend_pid();
            const auto t0 = Clock::now();
            // A transaction whose commit came before the slot's start is not streamed, so the
            // load must see it: wait until everything running now has finished.
            {
                const auto running = db.query(sql::index_running_now.sql);
                const std::vector<pg::Param> snapshot{std::string(running.text(0, 0))};
                if (!wait_finished(db, sql::index_still_running, snapshot, stopping_))
                    break;
            }
            load_all(db, index_);
            ++stats_.reloads;
            decoding_refused_logged = false;
            backoff = options_.retry_min;
            // Changes committed while the load ran are in the stream, not yet in the index: it
            // goes live when the stream reaches the mark written now (a mark that cannot be
            // written leaves it live at once, as before marks).
            const std::string mark = "loaded " + slot;
            bool live = false;
            auto go_live = [&] {
                live = true;
                const auto c = index_.counts();
                index_.set_live(true);
                stats_.settled = true;
                log_(false, "search index loaded",
                     {{"hotels", std::to_string(c.hotels)},
                      {"rooms", std::to_string(c.rooms)},
                      {"periods", std::to_string(c.periods)},
                      {"ms", std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                Clock::now() - t0)
                                                .count())},
                      {"slot", slot}});
            };
            try {
                db.query(sql::index_mark.sql, {mark});
            } catch (const pg::Error& e) {
                // A server or role that cannot write marks: the old order, logged. Any other
                // failure (a lost connection) is a loss of the feed, as anywhere else.
                if (e.sqlstate() != "42501" && e.sqlstate() != "42883")
                    throw;
                log_(true, "search index: no mark in the stream, live before catching up",
                     {{"error", e.what()}});
                go_live();
            }
            auto progressed = Clock::now();

            // Follow the stream, one committed transaction at a time.
            Transaction pending;
            while (!stopping_) {
                auto message = stream.next(std::chrono::milliseconds(200));
                // Catching up may take long after a long load under load; a stream that stops
                // moving before the mark does not.
                if (message)
                    progressed = Clock::now();
                else if (!live && Clock::now() - progressed > std::chrono::seconds(30))
                    throw std::runtime_error("the stream stood still for 30 s before the mark");
                if (!message)
                    continue;
                const std::string_view text = message->data;
                if (text.substr(0, 8) == "message:") {
                    // A mark: this node's (then live), or another node's. Confirmed like a
                    // commit (a non-transactional one from an older node has none, and the
                    // server's shutdown would wait for its acknowledgement).
                    if (!live && text.ends_with("content:" + mark))
                        go_live();
                    stream.confirm(message->lsn);
                } else if (text.substr(0, 6) == "BEGIN ") {
                    pending = Transaction{};
                    pending.xid = std::string(text.substr(6));
                } else if (text.substr(0, 6) == "COMMIT") {
                    apply(pending, db, index_, stats_, stopping_);
                    record_lag(text, stats_);
                    stream.confirm(message->lsn);
                } else if (followed_table(text)) {
                    // (Most rows of a booking's transaction, its nights, invoice, lines, event
                    // and key, are skipped above before their columns are read.)
                    if (auto change = decode_change(text))
                        pending.add(*change);
                }
            }
            index_.set_live(false);
            stats_.stream_pid = 0;
            return;
        } catch (const DecodingUnavailable& e) {
            // Not something a retry fixes soon: shopping stays on SQL, /ready does not wait.
            index_.set_live(false);
            stats_.settled = true;
            if (!decoding_refused_logged)
                log_(true,
                     "search index unavailable: the database cannot feed it by logical decoding "
                     "(wal_level must be logical, the role needs REPLICATION); searching with SQL",
                     {{"reason", e.what()}});
            decoding_refused_logged = true;
            sleep_for(std::chrono::seconds(30));
            continue;
        } catch (const pg::Error& e) {
            index_.set_live(false);
            stats_.stream_pid = 0;
            ++stats_.losses;
            log_(true, "search index feed lost; searching with SQL until it is reloaded",
                 {{"error", e.what()}, {"attempt", std::to_string(attempt)}});
        } catch (const std::exception& e) {
            index_.set_live(false);
            stats_.stream_pid = 0;
            ++stats_.losses;
            log_(true, "search index feed failed; searching with SQL until it is reloaded",
                 {{"error", e.what()}, {"attempt", std::to_string(attempt)}});
        }
        sleep_for(backoff);
        backoff = std::min(options_.retry_max, backoff * 2);
    }
}

}  // namespace hotel::storage
