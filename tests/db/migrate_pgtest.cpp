// hotel-migrate and hoteld's schema check against a real PostgreSQL.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "pg/error.hpp"
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
        {"HOTEL_BOOKING_BATCH=0"},
        {"HOTEL_BOOKING_BATCH=257"},
        {"HOTEL_BOOKING_BATCHES=0"},
        {"HOTEL_BOOKING_BATCHES=17"},  // more than the pool's 16 connections
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

// Migration 0012 replaced the foreign keys of a booking's own rows (nights, events, invoices,
// invoice lines) with triggers; deleting a parent still behaves as the keys made it.
TEST(Schema, ABookingsOwnRowsFollowItWithoutForeignKeys) {
    TestDatabase db;
    auto c = db.connect();
    c.run_script(
        "INSERT INTO users (id, email, name, password_hash, role) VALUES "
        "  ('00000000-0000-0000-0000-000000000001', 'k@example.com', 'K', 'x', 'guest');"
        "INSERT INTO hotels (id, name, city, country, timezone, currency) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', 'K', 'Faro', 'PT', 'Europe/Lisbon', 'EUR');"
        "INSERT INTO room_types (hotel_id, id, code, name, max_occupancy) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000b1', "
        "   'STD', 'S', 2);"
        "INSERT INTO rooms (hotel_id, id, room_type_id, number) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000c1', "
        "   '00000000-0000-0000-0000-0000000000b1', '101');"
        "INSERT INTO rate_plans (hotel_id, id, code, name, refundable) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d1', "
        "   'NRF', 'N', false);");
    // Two bookings with a night each; the first also has an event and an invoice with a line.
    for (const char* id :
         {"00000000-0000-0000-0000-0000000000e1", "00000000-0000-0000-0000-0000000000e2"}) {
        c.query(
            "INSERT INTO bookings (hotel_id, id, room_id, room_type_id, rate_plan_id, guest_id, "
            "  guests, check_in, check_out, period, currency, total_minor) "
            "VALUES ('00000000-0000-0000-0000-0000000000a1', $1::uuid, "
            "  '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000b1', "
            "  '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-000000000001', 1, "
            "  date '2030-01-01' + (right($1::text, 1)::int * 5), date '2030-01-02' + (right($1::text, 1)::int "
            "  * 5), tstzrange(timestamptz '2030-01-01 15:00Z' + make_interval(days => "
            "  right($1::text, 1)::int * 5), timestamptz '2030-01-02 11:00Z' + make_interval(days => "
            "  right($1::text, 1)::int * 5)), 'EUR', 8000)",
            {id});
        c.query(
            "INSERT INTO booking_nights (hotel_id, booking_id, night, amount_minor) "
            "VALUES ('00000000-0000-0000-0000-0000000000a1', $1::uuid, date '2030-01-01', 8000)",
            {id});
    }
    c.run_script(
        "INSERT INTO booking_events (hotel_id, booking_id, type, version) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e1', "
        "   'booking.created', 1);"
        "INSERT INTO invoices (hotel_id, id, booking_id, kind, currency, total_minor) VALUES "
        "  ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000f1', "
        "   '00000000-0000-0000-0000-0000000000e1', 'booking', 'EUR', 8000);"
        "INSERT INTO invoice_lines (hotel_id, invoice_id, line_no, description, amount_minor) "
        "VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000f1', "
        "        1, 'Night', 8000);");

    // A booking with an event (or an invoice) cannot be deleted: 23503, as with the key.
    try {
        c.query("DELETE FROM bookings WHERE id = '00000000-0000-0000-0000-0000000000e1'");
        ADD_FAILURE() << "a booking with an event and an invoice was deleted";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.sqlstate(), "23503");
    }
    EXPECT_EQ(count_rows(c, "SELECT count(*) FROM booking_nights"), 2);
    // One without them can, and its nights go with it.
    c.query("DELETE FROM bookings WHERE id = '00000000-0000-0000-0000-0000000000e2'");
    EXPECT_EQ(count_rows(c, "SELECT count(*) FROM booking_nights"), 1);
    // An invoice takes its lines with it.
    c.query("DELETE FROM invoices WHERE id = '00000000-0000-0000-0000-0000000000f1'");
    EXPECT_EQ(count_rows(c, "SELECT count(*) FROM invoice_lines"), 0);
    // Events alone still hold the booking.
    try {
        c.query("DELETE FROM bookings WHERE id = '00000000-0000-0000-0000-0000000000e1'");
        ADD_FAILURE() << "a booking with an event was deleted";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.sqlstate(), "23503");
    }
}

// The binaries carry exactly the files of migrations/: a file removed or renamed there must not
// stay embedded from an earlier build (the embedding step reran only when a file it knew of
// changed, so a removed migration was still applied by a rebuilt hotel-migrate).
TEST(MigrationFiles, TheBinariesEmbedExactlyTheFilesOfTheMigrationsDirectory) {
    std::set<std::string> on_disk;
    for (const auto& entry : fs::directory_iterator(fs::path(HOTEL_SOURCE_DIR) / "migrations"))
        if (entry.path().extension() == ".sql")
            on_disk.insert(entry.path().filename().string());
    std::set<std::string> embedded;
    for (const auto& file : storage::embedded_migration_files())
        embedded.insert(file.name);
    EXPECT_EQ(embedded, on_disk);
    EXPECT_FALSE(on_disk.empty());
}
