// hotel-migrate and hoteld's schema check against a real PostgreSQL.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "storage/migration_set.hpp"
#include "test_env.hpp"

using namespace hotel;
using namespace hotel::test;
namespace fs = std::filesystem;

namespace {

int count_rows(pg::BlockingConnection& db, pg::Sql sql) {
    return std::stoi(std::string(db.query(sql).text(0, 0)));
}

// A scratch migrations directory, removed at the end of the test.
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        char tmpl[] = "/tmp/hotel-migrations-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~ScratchDir() { fs::remove_all(path); }
    void write(const std::string& name, const std::string& sql) const {
        std::ofstream(path / name, std::ios::binary) << sql;
    }
};

std::pair<int, std::string> migrate(const TestDatabase& db, std::vector<std::string> args = {}) {
    return run_process(migrate_path(), args, {"DATABASE_URL=" + db.url()});
}

}  // namespace

TEST(Migrate, AppliesEveryFileToAnEmptyDatabase) {
    TestDatabase db(false);
    auto [rc, out] = migrate(db);
    ASSERT_EQ(rc, 0) << out;
    auto conn = db.connect();
    const auto files = storage::make_migration_set(storage::embedded_migration_files());
    EXPECT_EQ(count_rows(conn, "SELECT count(*) FROM schema_migrations"),
              static_cast<int>(files.size()));
    // The model is there, with the constraint the product exists for.
    EXPECT_EQ(count_rows(conn,
                         "SELECT count(*) FROM pg_constraint WHERE conname = "
                         "'no_overlapping_stays' AND contype = 'x'"),
              1);
    for (const char* table : {"hotels", "room_types", "rooms", "rate_plans", "daily_rates", "users",
                              "user_hotels", "bookings", "booking_nights", "invoices",
                              "invoice_lines", "idempotency_keys", "booking_events"}) {
        auto rows = conn.query("SELECT to_regclass($1) IS NOT NULL", {std::string(table)});
        EXPECT_EQ(rows.text(0, 0), "t") << table;
    }
}

TEST(Migrate, SecondRunIsANoOp) {
    TestDatabase db(false);
    ASSERT_EQ(migrate(db).first, 0);
    auto conn = db.connect();
    const auto before = std::string(
        conn.query("SELECT string_agg(name || applied_at::text, ',') FROM schema_migrations")
            .text(0, 0));
    auto [rc, out] = migrate(db);
    EXPECT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("up to date"), std::string::npos) << out;
    const auto after = std::string(
        conn.query("SELECT string_agg(name || applied_at::text, ',') FROM schema_migrations")
            .text(0, 0));
    EXPECT_EQ(before, after);
}

TEST(Migrate, StatusListsAppliedAndPending) {
    TestDatabase db(false);
    ScratchDir dir;
    dir.write("0001_first.sql", "CREATE TABLE a (x int);");
    dir.write("0002_second.sql", "CREATE TABLE b (x int);");
    {
        auto [rc, out] = migrate(db, {"--status", "--dir", dir.path.string()});
        ASSERT_EQ(rc, 0) << out;
        EXPECT_NE(out.find("pending  0001_first.sql"), std::string::npos) << out;
        EXPECT_NE(out.find("0 applied, 2 pending"), std::string::npos) << out;
    }
    ASSERT_EQ(migrate(db, {"--dir", dir.path.string()}).first, 0);
    dir.write("0003_third.sql", "CREATE TABLE c (x int);");
    auto [rc, out] = migrate(db, {"--status", "--dir", dir.path.string()});
    ASSERT_EQ(rc, 0) << out;
    EXPECT_NE(out.find("applied  0002_second.sql"), std::string::npos) << out;
    EXPECT_NE(out.find("pending  0003_third.sql"), std::string::npos) << out;
    EXPECT_NE(out.find("2 applied, 1 pending"), std::string::npos) << out;
}

TEST(Migrate, RefusesAnAppliedFileThatWasEdited) {
    TestDatabase db(false);
    ScratchDir dir;
    dir.write("0001_first.sql", "CREATE TABLE a (x int);");
    ASSERT_EQ(migrate(db, {"--dir", dir.path.string()}).first, 0);
    dir.write("0001_first.sql", "CREATE TABLE a (x bigint);");
    dir.write("0002_second.sql", "CREATE TABLE b (x int);");
    auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("0001_first.sql was edited"), std::string::npos) << out;
    // Nothing after the refusal was applied.
    auto conn = db.connect();
    EXPECT_EQ(conn.query("SELECT to_regclass('b') IS NULL").text(0, 0), "t");
    // --status refuses the same way.
    EXPECT_EQ(migrate(db, {"--status", "--dir", dir.path.string()}).first, 2);
}

TEST(Migrate, AFailingFileIsRolledBackWhole) {
    TestDatabase db(false);
    ScratchDir dir;
    dir.write("0001_ok.sql", "CREATE TABLE a (x int);");
    dir.write("0002_broken.sql", "CREATE TABLE b (x int);\nINSERT INTO missing_table VALUES (1);");
    auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
    EXPECT_EQ(rc, 1) << out;
    EXPECT_NE(out.find("0002_broken.sql failed"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << "applied line + one error line:\n"
                                                           << out;
    auto conn = db.connect();
    EXPECT_EQ(conn.query("SELECT to_regclass('a') IS NOT NULL").text(0, 0), "t");
    EXPECT_EQ(conn.query("SELECT to_regclass('b') IS NULL").text(0, 0), "t");
    EXPECT_EQ(count_rows(conn, "SELECT count(*) FROM schema_migrations"), 1);
}

TEST(Migrate, RejectsBadFileNamesAndDuplicateNumbers) {
    TestDatabase db(false);
    {
        ScratchDir dir;
        dir.write("1_short.sql", "SELECT 1;");
        auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
        EXPECT_EQ(rc, 2) << out;
        EXPECT_NE(out.find("does not match NNNN_name.sql"), std::string::npos) << out;
    }
    {
        ScratchDir dir;
        dir.write("0001_a.sql", "SELECT 1;");
        dir.write("0001_b.sql", "SELECT 1;");
        auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
        EXPECT_EQ(rc, 2) << out;
        EXPECT_NE(out.find("share the number 0001"), std::string::npos) << out;
    }
    {
        ScratchDir dir;
        dir.write("0001_a.sql", "SELECT 1;\nCOMMIT;");
        auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
        EXPECT_EQ(rc, 1) << out;
        EXPECT_NE(out.find("ended its own transaction"), std::string::npos) << out;
    }
}

TEST(Migrate, RefusesAFileNumberedBelowAnAppliedOne) {
    TestDatabase db(false);
    ScratchDir dir;
    dir.write("0002_second.sql", "CREATE TABLE b (x int);");
    ASSERT_EQ(migrate(db, {"--dir", dir.path.string()}).first, 0);
    dir.write("0001_late.sql", "CREATE TABLE a (x int);");
    auto [rc, out] = migrate(db, {"--dir", dir.path.string()});
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("numbered below"), std::string::npos) << out;
}

TEST(Migrate, ConcurrentRunnersApplyEachFileOnce) {
    TestDatabase db(false);
    ScratchDir dir;
    // Each file is slow enough that runners started together overlap, and would fail (the
    // table exists) if one ever applied a file the other had applied.
    dir.write("0001_a.sql", "SELECT pg_sleep(0.3); CREATE TABLE a (x int);");
    dir.write("0002_b.sql", "SELECT pg_sleep(0.3); CREATE TABLE b (x int);");
    dir.write("0003_c.sql", "CREATE TABLE c (x int);");
    std::vector<Process> runners;
    for (int i = 0; i < 4; ++i)
        runners.push_back(Process::spawn(migrate_path(), {"--dir", dir.path.string()},
                                         {"DATABASE_URL=" + db.url()}));
    int applied_lines = 0;
    for (auto& r : runners) {
        auto rc = r.wait(std::chrono::seconds(60));
        ASSERT_TRUE(rc.has_value());
        EXPECT_EQ(*rc, 0) << r.output();
        const auto out = r.output();
        for (size_t pos = 0; (pos = out.find("applied 000", pos)) != std::string::npos; ++pos)
            ++applied_lines;
    }
    EXPECT_EQ(applied_lines, 3) << "each file is applied by exactly one runner";
    auto conn = db.connect();
    EXPECT_EQ(count_rows(conn, "SELECT count(*) FROM schema_migrations"), 3);
    EXPECT_EQ(count_rows(conn, "SELECT count(DISTINCT version) FROM schema_migrations"), 3);
}

TEST(Migrate, MalformedConnectionStringIsOneClearLine) {
    auto [rc, out] = run_process(migrate_path(), {}, {"DATABASE_URL=postgresql://[broken"});
    EXPECT_EQ(rc, 1);
    EXPECT_NE(out.find("invalid database connection string"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST(Hoteld, RefusesToStartWhileMigrationsArePending) {
    TestDatabase db(false);
    auto [rc, out] = run_process(hoteld_path(), {},
                                 {"DATABASE_URL=" + db.url(), "HOTEL_LISTEN=127.0.0.1:0",
                                  "HOTEL_JWT_SECRET=" + test_jwt_secret()},
                                 std::chrono::seconds(30));
    EXPECT_EQ(rc, 3) << out;
    EXPECT_NE(out.find("pending"), std::string::npos) << out;
    EXPECT_NE(out.find("run hotel-migrate"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << "one line:\n" << out;
    // It did not migrate by itself.
    auto conn = db.connect();
    EXPECT_EQ(conn.query("SELECT to_regclass('bookings') IS NULL").text(0, 0), "t");
}

TEST(Hoteld, InvalidConfigurationIsOneLineAndNonZero) {
    TestDatabase db(true);
    const std::vector<std::vector<std::string>> cases = {
        {"HOTEL_LISTEN=nonsense"},
        {"HOTEL_LISTEN=127.0.0.1:99999"},
        {"HOTEL_THREADS=-1"},
        {"HOTEL_THREADS=lots"},
        {"HOTEL_LOG_LEVEL=loud"},
        {"HOTEL_REQUEST_TIMEOUT_MS=0"},
        {"DATABASE_URL"},  // unset
        {"HOTEL_JWT_SECRET=only-31-bytes-long-secret-value"},
        {"HOTEL_JWT_SECRET"},  // unset, and no file either
        {"HOTEL_JWT_SECRET", "HOTEL_JWT_SECRET_FILE=/nonexistent/secret"},
        {"HOTEL_CORS_ORIGINS=*"},
        {"HOTEL_DB_POOL_SIZE=0"},
    };
    for (const auto& extra : cases) {
        std::vector<std::string> env{"HOTEL_LISTEN=127.0.0.1:0",
                                     "HOTEL_JWT_SECRET=" + test_jwt_secret()};
        if (extra.front() != "DATABASE_URL")
            env.push_back("DATABASE_URL=" + db.url());
        env.insert(env.end(), extra.begin(), extra.end());
        auto [rc, out] = run_process(hoteld_path(), {}, env, std::chrono::seconds(30));
        EXPECT_EQ(rc, 2) << extra.front() << ": " << out;
        EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << extra.front() << ": " << out;
        EXPECT_EQ(out.rfind("hoteld: ", 0), 0u) << out;
    }
}

TEST(Hoteld, UnreachableDatabaseIsOneLineAndNonZero) {
    auto [rc, out] =
        run_process(hoteld_path(), {},
                    {"DATABASE_URL=host=/nonexistent-socket-dir dbname=x",
                     "HOTEL_LISTEN=127.0.0.1:0", "HOTEL_JWT_SECRET=" + test_jwt_secret()},
                    std::chrono::seconds(30));
    EXPECT_EQ(rc, 1) << out;
    EXPECT_NE(out.find("cannot connect to the database"), std::string::npos) << out;
}
