#include "storage/migrator.hpp"

#include <map>

#include "pg/error.hpp"

namespace hotel::storage {
namespace {
// Arbitrary, fixed: every hotel-migrate takes this session-level advisory lock.
constexpr const char* kLockKey = "7406116290451";
}  // namespace

Migrator::Migrator(pg::BlockingConnection& db, std::vector<Migration> migrations)
    : db_(db), migrations_(std::move(migrations)) {}

MigrationStatus Migrator::status() {
    return read_status(false);
}

MigrationStatus Migrator::read_status(bool table_known_to_exist) {
    MigrationStatus st;
    if (!table_known_to_exist) {
        auto exists = db_.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL");
        if (exists.text(0, 0) != "t") {
            st.pending = migrations_;
            return st;
        }
    }
    auto rows = db_.query(
        "SELECT version, name, checksum, to_char(applied_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations ORDER BY version");
    std::map<int, AppliedMigration> applied;
    for (int i = 0; i < rows.size(); ++i) {
        AppliedMigration a{std::stoi(std::string(rows.text(i, 0))), std::string(rows.text(i, 1)),
                           std::string(rows.text(i, 2)), std::string(rows.text(i, 3))};
        applied.emplace(a.version, a);
    }
    const int max_applied = applied.empty() ? 0 : applied.rbegin()->first;
    for (const auto& m : migrations_) {
        auto it = applied.find(m.version);
        if (it == applied.end()) {
            if (m.version < max_applied)
                throw MigrationError(2, "migration " + m.name +
                                            " is numbered below an applied migration; renumber "
                                            "it after " +
                                            std::to_string(max_applied));
            st.pending.push_back(m);
            continue;
        }
        if (it->second.checksum != m.checksum)
            throw MigrationError(2, "migration " + m.name +
                                        " was edited after it was applied (recorded checksum " +
                                        it->second.checksum.substr(0, 12) + ", file now " +
                                        m.checksum.substr(0, 12) +
                                        "); restore it and put the change in a new migration");
        st.applied.push_back(it->second);
        applied.erase(it);
    }
    for (auto& [version, a] : applied)
        st.unknown.push_back(a);
    return st;
}

int Migrator::apply(const std::function<void(const Migration&)>& on_applied) {
    db_.query("SELECT pg_advisory_lock($1::bigint)", {std::string(kLockKey)});
    struct Unlock {
        pg::BlockingConnection& db;
        ~Unlock() {
            try {
                db.query("SELECT pg_advisory_unlock($1::bigint)", {std::string(kLockKey)});
            } catch (...) {
                // The lock is session-level; closing the connection releases it anyway.
            }
        }
    } unlock{db_};

    db_.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY,"
        " name text NOT NULL,"
        " checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");

    // Read under the lock: a runner that waited sees what the other one applied.
    MigrationStatus st = read_status(true);
    if (!st.unknown.empty())
        throw MigrationError(2, "the database has migration " + st.unknown.front().name +
                                    " which this build does not know; use a newer build");
    int count = 0;
    for (const auto& m : st.pending) {
        db_.query("BEGIN");
        try {
            db_.run_script(m.sql);
            if (!db_.in_transaction())
                throw MigrationError(
                    1, "migration " + m.name + " ended its own transaction; remove BEGIN/COMMIT");
            db_.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                      {std::to_string(m.version), m.name, m.checksum});
            db_.query("COMMIT");
        } catch (const pg::Error& e) {
            try {
                db_.query("ROLLBACK");
            } catch (...) {
            }
            throw MigrationError(
                1, "migration " + m.name + " failed and was rolled back: " + e.what());
        } catch (...) {
            try {
                db_.query("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
        ++count;
        if (on_applied)
            on_applied(m);
    }
    return count;
}

}  // namespace hotel::storage
