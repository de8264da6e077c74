// hotel-migrate: applies migrations/NNNN_name.sql in order. Exit codes: 0 done, 1 failure,
// 2 refused (the applied history does not match the files).

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/command_line.hpp"
#include "pg/blocking_connection.hpp"
#include "pg/error.hpp"
#include "storage/migration_set.hpp"
#include "storage/migrator.hpp"

namespace {
int fail(int code, const std::string& message) {
    return hotel::app::fail("hotel-migrate", code, message);
}
}  // namespace

int main(int argc, char** argv) {
    using namespace hotel;
    CLI::App app{"hotel-migrate: applies the schema migrations, each in its own transaction"};
    std::string database_url;
    std::string dir;
    bool status_only = false;
    app.add_option("--database-url", database_url, "PostgreSQL connection string")
        ->envname("DATABASE_URL");
    app.add_option("--dir", dir,
                   "Read migrations from this directory instead of those built into the binary");
    app.add_flag("--status", status_only, "List applied and pending migrations, change nothing");
    if (auto rc = app::parse_command_line(app, argc, argv, "hotel-migrate", 1))
        return *rc;
    if (database_url.empty())
        return fail(1, "DATABASE_URL is not set");

    try {
        const auto files =
            dir.empty() ? storage::embedded_migration_files() : storage::read_migration_dir(dir);
        auto db = pg::BlockingConnection::open(database_url, "hotel-migrate");
        storage::Migrator migrator(db, storage::make_migration_set(files));
        if (status_only) {
            const auto st = migrator.status();
            for (const auto& a : st.applied)
                std::printf("applied  %s  %s\n", a.name.c_str(), a.applied_at.c_str());
            for (const auto& u : st.unknown)
                std::printf("unknown  %s  %s (applied, not in this build)\n", u.name.c_str(),
                            u.applied_at.c_str());
            for (const auto& p : st.pending)
                std::printf("pending  %s\n", p.name.c_str());
            std::printf("%zu applied, %zu pending\n", st.applied.size(), st.pending.size());
            return 0;
        }
        const int applied = migrator.apply([](const storage::Migration& m) {
            std::printf("applied %s\n", m.name.c_str());
            std::fflush(stdout);
        });
        std::printf(applied == 0 ? "schema is up to date\n" : "%d migration(s) applied\n", applied);
        return 0;
    } catch (const storage::MigrationError& e) {
        return fail(e.exit_code(), e.what());
    } catch (const std::exception& e) {  // pg::Error among them
        return fail(1, e.what());
    }
}
