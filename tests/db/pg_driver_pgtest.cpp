// The async driver and pool against a real PostgreSQL.

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "async_run.hpp"
#include "pg/error.hpp"
#include "pg/pool.hpp"
#include "pg/transaction.hpp"
#include "private_cluster.hpp"
#include "storage/statements.hpp"
#include "test_env.hpp"

using namespace hotel;
using namespace hotel::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::awaitable;
using pg::Clock;

namespace {

// Statements used only by these tests.
constexpr pg::Statement double_it{"test_double", "SELECT $1::int8 * 2"};
constexpr pg::Statement sleep_then{"test_sleep", "SELECT pg_sleep($1::int4 / 1000.0), $2::int4"};
constexpr pg::Statement echo_types{
    "test_echo_types",
    "SELECT $1::bool, $2::int4, $3::int8, $4::text, $5::numeric, $6::uuid, $7::date, "
    "$8::timestamptz, $9::int4[], $10::text[]"};
constexpr pg::Statement null_int{"test_null_int", "SELECT NULL::int4"};
constexpr pg::Statement text_value{"test_text_value", "SELECT 'abc'::text"};
constexpr pg::Statement insert_t{"test_insert_t", "INSERT INTO t (x) VALUES ($1::int4)"};
constexpr pg::Statement count_t{"test_count_t", "SELECT count(*) FROM t"};
constexpr pg::Statement fail_serialization{"test_fail_serialization",
                                           "SELECT fail_serialization()"};
constexpr pg::Statement insert_unique{"test_insert_unique", "INSERT INTO u (x) VALUES (1)"};

pg::PoolOptions options_for(const std::string& conninfo, const std::string& app,
                            std::size_t max_size = 8) {
    pg::PoolOptions o;
    o.connect.conninfo = conninfo;
    o.connect.application_name = app;
    o.max_size = max_size;
    return o;
}

std::string scalar(pg::BlockingConnection& c, pg::Sql sql, const std::vector<pg::Param>& p = {}) {
    return std::string(c.query(sql, p).text(0, 0));
}

}  // namespace

TEST(PgDriver, SlowQueryDoesNotBlockFastOnesOnOneThread) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-noblock", 8));
    std::vector<Clock::time_point> fast_done;
    Clock::time_point slow_done{};
    run_async(ioc, [&]() -> awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        int pending = 101;
        asio::steady_timer all_done(ex, Clock::time_point::max());
        asio::co_spawn(
            ex,
            [&]() -> awaitable<void> {
                auto rows = co_await pool->query(sleep_then, 500, 1);
                EXPECT_EQ(rows.get_as<int>(0, 1), 1);
                slow_done = Clock::now();
                if (--pending == 0)
                    all_done.cancel();
            },
            asio::detached);
        for (int i = 0; i < 100; ++i) {
            asio::co_spawn(
                ex,
                [&, i]() -> awaitable<void> {
                    auto rows = co_await pool->query(double_it, std::int64_t{i});
                    EXPECT_EQ(rows.scalar<std::int64_t>(), 2 * i);
                    fast_done.push_back(Clock::now());
                    if (--pending == 0)
                        all_done.cancel();
                },
                asio::detached);
        }
        co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
    }());
    ASSERT_EQ(fast_done.size(), 100u);
    ASSERT_NE(slow_done, Clock::time_point{});
    for (auto t : fast_done)
        EXPECT_LT(t, slow_done);
}

TEST(PgDriver, ThousandConcurrentQueriesThroughAPoolOfEight) {
    TestDatabase db(false);
    asio::io_context ioc(2);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-thousand", 8));
    std::atomic<int> correct{0};
    std::atomic<int> failed{0};
    run_async(
        ioc,
        [&]() -> awaitable<void> {
            auto ex = co_await asio::this_coro::executor;
            for (int i = 0; i < 1000; ++i) {
                asio::co_spawn(
                    asio::make_strand(ex),
                    [&, i]() -> awaitable<void> {
                        try {
                            auto rows = co_await pool->query(double_it, std::int64_t{i});
                            if (rows.scalar<std::int64_t>() == 2 * i)
                                ++correct;
                        } catch (const std::exception&) {
                            ++failed;
                        }
                    },
                    asio::detached);
            }
            co_return;
        }(),
        2);
    EXPECT_EQ(correct.load(), 1000);
    EXPECT_EQ(failed.load(), 0);
    const auto s = pool->stats();
    EXPECT_LE(s.created, 8);
    EXPECT_EQ(s.in_use, 0);
    EXPECT_EQ(s.waiting, 0);
}

TEST(PgDriver, AStrandThatHoldsAConnectionCannotWaitForASecondOne) {
    // Every HTTP request runs on a strand. A request holding one connection while it waits for
    // another is how a burst deadlocks a bounded pool (issue 10): the pool refuses that shape.
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-nested", 4));
    std::string nested_error;
    bool sequential_ok = false;
    auto on_strand = [&]() -> awaitable<void> {
        {
            auto first = co_await pool->acquire();
            try {
                auto second = co_await pool->acquire();
            } catch (const std::logic_error& e) {
                nested_error = e.what();
            }
        }
        // One after the other is fine.
        auto a = co_await pool->query(double_it, std::int64_t{2});
        auto b = co_await pool->query(double_it, std::int64_t{3});
        sequential_ok = a.scalar<std::int64_t>() == 4 && b.scalar<std::int64_t>() == 6;
    };
    auto f = asio::co_spawn(asio::make_strand(ioc), on_strand(), asio::use_future);
    ioc.run();
    f.get();
    EXPECT_NE(nested_error, "") << "a second acquire on the same strand must be refused";
    EXPECT_TRUE(sequential_ok);
    const auto s = pool->stats();
    EXPECT_EQ(s.in_use, 0);
    EXPECT_EQ(s.acquire_timeouts, 0);
}

TEST(PgDriver, ValuesRoundTripThroughTheTypeTraits) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-types", 1));
    using namespace std::chrono;
    const year_month_day date{year{2027}, month{3}, day{14}};
    const pg::Timestamp instant = sys_days{date} + 19h + 30min + 123456us;
    auto rows =
        run_async(ioc, pool->query(echo_types, true, std::int32_t{-7}, std::int64_t{9'000'000'000},
                                   std::string("it's \"q\""), pg::Numeric{"129.00"},
                                   pg::Uuid{"123e4567-e89b-12d3-a456-426614174000"}, date, instant,
                                   std::vector<std::int32_t>{1, 2, 3},
                                   std::vector<std::string>{"a,b", "c\"d", "NULL"}));
    auto [b, i4, i8, text, num, uuid, d, ts, ints, texts] =
        rows.row<bool, std::int32_t, std::int64_t, std::string, pg::Numeric, pg::Uuid,
                 year_month_day, pg::Timestamp, std::vector<std::int32_t>,
                 std::vector<std::string>>(0);
    EXPECT_TRUE(b);
    EXPECT_EQ(i4, -7);
    EXPECT_EQ(i8, 9'000'000'000);
    EXPECT_EQ(text, "it's \"q\"");
    EXPECT_EQ(num.text, "129.00");
    EXPECT_EQ(uuid.text, "123e4567-e89b-12d3-a456-426614174000");
    EXPECT_EQ(d, date);
    EXPECT_EQ(ts, instant);
    EXPECT_EQ(ints, (std::vector<std::int32_t>{1, 2, 3}));
    EXPECT_EQ(texts, (std::vector<std::string>{"a,b", "c\"d", "NULL"}));
}

TEST(PgDriver, NullAndTypeMismatchAreTypedErrors) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-mismatch", 1));
    auto nulls = run_async(ioc, pool->query(null_int));
    EXPECT_EQ(nulls.get_as<std::optional<std::int32_t>>(0, 0), std::nullopt);
    try {
        (void)nulls.get_as<std::int32_t>(0, 0);
        FAIL() << "NULL read into int32";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::unexpected_null);
    }
    auto text = run_async(ioc, pool->query(text_value));
    try {
        (void)text.get_as<std::int32_t>(0, 0);
        FAIL() << "text read into int32";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::type_mismatch);
    }
    try {
        (void)text.row<std::string, std::string>(0);
        FAIL() << "wrong column count";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::type_mismatch);
    }
    // A bad UUID never reaches the server.
    try {
        run_async(ioc, pool->query(echo_types, true, 1, std::int64_t{1}, std::string("x"),
                                   pg::Numeric{"1"}, pg::Uuid{"not-a-uuid"},
                                   std::chrono::year_month_day{}, pg::Timestamp{},
                                   std::vector<std::int32_t>{}, std::vector<std::string>{}));
        FAIL() << "bad uuid accepted";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::type_mismatch);
    }
    // The connection survived all of that.
    EXPECT_EQ(run_async(ioc, pool->query(double_it, std::int64_t{21})).scalar<std::int64_t>(), 42);
}

TEST(PgDriver, MalformedConnectionStringIsATypedError) {
    asio::io_context ioc(1);
    auto pool =
        pg::Pool::create(ioc.get_executor(), options_for("postgresql://[broken", "test-dsn", 1));
    try {
        run_async(ioc, pool->query(double_it, std::int64_t{1}));
        FAIL() << "connected with a broken DSN";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::invalid_configuration);
        EXPECT_NE(std::string(e.what()).find("invalid database connection string"),
                  std::string::npos);
    }
    EXPECT_EQ(pool->stats().in_use, 0);
}

TEST(PgDriver, ExclusionViolationSurfacesAsItsOwnKind) {
    TestDatabase db;  // migrated: the real bookings table
    auto c = db.connect();
    c.run_script(R"sql(
        INSERT INTO users (id, email, name, password_hash, role)
          VALUES ('00000000-0000-0000-0000-000000000001', 'g@example.com', 'G', 'x', 'guest');
        INSERT INTO hotels (id, name, city, country, timezone, currency)
          VALUES ('00000000-0000-0000-0000-0000000000a1', 'H', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR');
        INSERT INTO room_types (hotel_id, id, code, name, max_occupancy)
          VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000b1', 'STD', 'S', 2);
        INSERT INTO rooms (hotel_id, id, room_type_id, number)
          VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000b1', '101');
        INSERT INTO rate_plans (hotel_id, id, code, name, refundable)
          VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d1', 'NRF', 'N', false);
    )sql");
    static constexpr pg::Statement book{
        "test_book",
        "INSERT INTO bookings (hotel_id, room_id, room_type_id, rate_plan_id, guest_id, guests, "
        "check_in, check_out, period, currency, total_minor) VALUES "
        "('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000c1', "
        "'00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000d1', "
        "'00000000-0000-0000-0000-000000000001', 2, $1::date, $2::date, "
        "tstzrange($1::date + time '15:00', $2::date + time '11:00', '[)'), 'EUR', 100)"};
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-excl", 2));
    run_async(ioc, pool->query(book, std::string("2027-03-10"), std::string("2027-03-12")));
    try {
        run_async(ioc, pool->query(book, std::string("2027-03-11"), std::string("2027-03-13")));
        FAIL() << "overlap accepted";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::exclusion_violation);
        EXPECT_EQ(e.sqlstate(), "23P01");
        EXPECT_EQ(e.constraint(), "no_overlapping_stays");
    }
}

TEST(PgDriver, SerializationFailureIsRetriedAndCounted) {
    TestDatabase db(false);
    auto c = db.connect();
    c.run_script(
        "CREATE TABLE t (x int); CREATE TABLE u (x int PRIMARY KEY); INSERT INTO u VALUES (1);"
        "CREATE FUNCTION fail_serialization() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'injected' USING ERRCODE = 'serialization_failure'; END $$;");
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-retry", 2));
    int attempts = 0;
    run_async(ioc, pg::with_transaction(*pool, [&](pg::Transaction& tx) -> awaitable<void> {
                  ++attempts;
                  co_await tx.query(insert_t, attempts);
                  if (attempts == 1)
                      co_await tx.query(fail_serialization);
              }));
    EXPECT_EQ(attempts, 2);
    EXPECT_EQ(pool->stats().transaction_retries, 1);
    // Only the second attempt's row exists: the first was rolled back whole.
    EXPECT_EQ(scalar(c, "SELECT string_agg(x::text, ',') FROM t"), "2");

    // Other errors are not retried.
    attempts = 0;
    try {
        run_async(ioc, pg::with_transaction(*pool, [&](pg::Transaction& tx) -> awaitable<void> {
                      ++attempts;
                      co_await tx.query(insert_unique);
                  }));
        FAIL() << "duplicate accepted";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::unique_violation);
    }
    EXPECT_EQ(attempts, 1);
    // A retry storm is bounded.
    attempts = 0;
    EXPECT_THROW(run_async(ioc, pg::with_transaction(
                                    *pool,
                                    [&](pg::Transaction& tx) -> awaitable<void> {
                                        ++attempts;
                                        co_await tx.query(fail_serialization);
                                    },
                                    3)),
                 pg::Error);
    EXPECT_EQ(attempts, 3);
}

TEST(PgDriver, UncommittedTransactionIsRolledBackAndItsConnectionReused) {
    TestDatabase db(false);
    auto c = db.connect();
    c.run_script("CREATE TABLE t (x int);");
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-raii", 1));
    run_async(ioc, [&]() -> awaitable<void> {
        auto tx = co_await pg::Transaction::begin(*pool);
        co_await tx.query(insert_t, 1);
        // tx goes out of scope without commit
    }());
    ioc.restart();
    ioc.run();  // let the pool's rollback finish
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), "0");
    // The single connection is back and usable, outside any transaction.
    run_async(ioc, pg::with_transaction(*pool, [&](pg::Transaction& tx) -> awaitable<void> {
                  co_await tx.query(insert_t, 2);
              }));
    EXPECT_EQ(scalar(c, "SELECT string_agg(x::text, ',') FROM t"), "2");
    const auto s = pool->stats();
    EXPECT_EQ(s.created, 1);
    EXPECT_EQ(s.discarded, 0);
    EXPECT_EQ(s.idle, 1);
}

TEST(PgDriver, ConnectionLostDuringCommitIsOutcomeUnknown) {
    TestDatabase db(false);
    auto c = db.connect();
    c.run_script("CREATE TABLE t (x int);");
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-commit", 1));
    try {
        run_async(ioc, [&]() -> awaitable<void> {
            auto tx = co_await pg::Transaction::begin(*pool);
            co_await tx.query(insert_t, 1);
            c.query("SELECT pg_terminate_backend($1::int)",
                    {std::to_string(tx.connection().backend_pid())});
            std::this_thread::sleep_for(100ms);
            co_await tx.commit();
        }());
        FAIL() << "commit on a terminated backend succeeded";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::outcome_unknown) << e.what();
    }
    EXPECT_EQ(pool->stats().discarded, 1);
    // The pool opens a fresh connection for the next caller.
    EXPECT_EQ(run_async(ioc, pool->query(double_it, std::int64_t{2})).scalar<std::int64_t>(), 4);
}

TEST(PgDriver, TerminatedBackendsAreDiscardedAndTheNextQuerySucceeds) {
    TestDatabase db(false);
    auto c = db.connect();
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-terminate", 4));
    // Warm up four connections at once.
    run_async(ioc, [&]() -> awaitable<void> {
        using namespace asio::experimental::awaitable_operators;
        co_await (pool->query(sleep_then, 50, 1) && pool->query(sleep_then, 50, 2) &&
                  pool->query(sleep_then, 50, 3) && pool->query(sleep_then, 50, 4));
    }());
    ASSERT_EQ(pool->stats().idle, 4);
    EXPECT_EQ(scalar(c,
                     "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                     "application_name = 'test-terminate'"),
              "4");
    std::this_thread::sleep_for(200ms);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(run_async(ioc, pool->query(double_it, std::int64_t{i})).scalar<std::int64_t>(),
                  2 * i);
    EXPECT_EQ(pool->stats().discarded, 4);
}

TEST(PgDriver, ExhaustedPoolFailsAtTheDeadlineAndBoundsItsQueue) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto o = options_for(db.url(), "test-exhaust", 2);
    o.acquire_timeout = 300ms;
    o.max_waiting = 3;
    auto pool = pg::Pool::create(ioc.get_executor(), o);
    std::vector<std::pair<std::string, Clock::duration>> outcomes;
    run_async(ioc, [&]() -> awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        // Two holders keep both connections busy for 1.5 s.
        for (int i = 0; i < 2; ++i)
            asio::co_spawn(
                ex, [&]() -> awaitable<void> { co_await pool->query(sleep_then, 1500, 0); },
                asio::detached);
        asio::steady_timer settle(ex, 200ms);
        co_await settle.async_wait(asio::use_awaitable);
        // Three waiters fit in the queue and time out; the fourth is refused at once.
        int done = 0;
        asio::steady_timer all(ex, Clock::time_point::max());
        for (int i = 0; i < 4; ++i) {
            asio::co_spawn(
                ex,
                [&]() -> awaitable<void> {
                    const auto t0 = Clock::now();
                    try {
                        auto conn = co_await pool->acquire();
                        outcomes.emplace_back("acquired", Clock::now() - t0);
                    } catch (const pg::Error& e) {
                        outcomes.emplace_back(std::string(pg::to_string(e.kind())) + ":" + e.what(),
                                              Clock::now() - t0);
                    }
                    if (++done == 4)
                        all.cancel();
                },
                asio::detached);
        }
        co_await all.async_wait(asio::as_tuple(asio::use_awaitable));
    }());
    ASSERT_EQ(outcomes.size(), 4u);
    // The refusal comes first, immediately.
    EXPECT_NE(outcomes[0].first.find("unavailable:database pool wait queue is full"),
              std::string::npos)
        << outcomes[0].first;
    EXPECT_LT(outcomes[0].second, 100ms);
    for (int i = 1; i < 4; ++i) {
        EXPECT_EQ(outcomes[i].first.rfind("unavailable", 0), 0u) << outcomes[i].first;
        EXPECT_GE(outcomes[i].second, 250ms);
        EXPECT_LT(outcomes[i].second, 2500ms);  // bounded, with room for a loaded CI machine
    }
    EXPECT_EQ(pool->stats().waiting, 0);
}

TEST(PgDriver, QueryPastItsDeadlineIsCancelledOnTheServer) {
    TestDatabase db(false);
    auto c = db.connect();
    asio::io_context ioc(1);
    auto o = options_for(db.url(), "test-cancel", 1);
    o.query_timeout = 300ms;
    auto pool = pg::Pool::create(ioc.get_executor(), o);
    const auto t0 = Clock::now();
    try {
        run_async(ioc, pool->query(sleep_then, 30000, 1));
        FAIL() << "a 30 s query finished within its 300 ms deadline";
    } catch (const pg::Error& e) {
        EXPECT_EQ(e.kind(), pg::ErrorKind::query_cancelled) << e.what();
    }
    EXPECT_LT(Clock::now() - t0, 5s);
    // Shortly afterwards the server is no longer running it.
    std::string running = "1";
    for (int i = 0; i < 40 && running != "0"; ++i) {
        running = scalar(c,
                         "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                         "'test-cancel' AND state = 'active'");
        if (running != "0")
            std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(running, "0");
    // The connection was cleaned, not lost: it serves the next query.
    EXPECT_EQ(run_async(ioc, pool->query(double_it, std::int64_t{5})).scalar<std::int64_t>(), 10);
    EXPECT_EQ(pool->stats().created, 1);
}

TEST(PgDriver, DatabaseDownIsUnavailableWithinTheDeadlineThenRecovers) {
    PrivateCluster cluster;
    asio::io_context ioc(1);
    auto o = options_for(cluster.conninfo(), "test-down", 4);
    o.acquire_timeout = 500ms;
    auto pool = pg::Pool::create(ioc.get_executor(), o);
    EXPECT_EQ(run_async(ioc, pool->query(double_it, std::int64_t{1})).scalar<std::int64_t>(), 2);

    cluster.stop();
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        try {
            run_async(ioc, pool->query(double_it, std::int64_t{1}));
            FAIL() << "query succeeded with the database down";
        } catch (const pg::Error& e) {
            EXPECT_EQ(e.kind(), pg::ErrorKind::unavailable) << e.what();
        }
        EXPECT_LT(Clock::now() - t0, 3000ms) << "attempt " << i;  // bounded: 500 ms deadline
    }

    cluster.start();
    bool recovered = false;
    for (int i = 0; i < 50 && !recovered; ++i) {
        try {
            recovered =
                run_async(ioc, pool->query(double_it, std::int64_t{3})).scalar<std::int64_t>() == 6;
        } catch (const pg::Error&) {
            std::this_thread::sleep_for(100ms);
        }
    }
    EXPECT_TRUE(recovered);
}

// The list the prepare test walks is written by hand in each <store>_sql.hpp: a statement
// defined there but left out of the list would never be prepared here. Read the files to know.
TEST(StatementCatalogue, EveryStatementDefinedBesideAStoreIsListed) {
    std::set<std::string> listed;
    for (const auto& s : storage::sql::all())
        listed.insert(s.name);
    const std::regex definition(R"re(pg::Statement\s+(\w+)\s*\{\s*"(\w+)")re");
    int defined = 0, files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() + "/src/storage")) {
        const auto file = entry.path().filename().string();
        if (file.size() < 8 || file.substr(file.size() - 8) != "_sql.hpp")
            continue;
        ++files;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string t = text.str();
        for (std::sregex_iterator it(t.begin(), t.end(), definition), end; it != end; ++it) {
            ++defined;
            const std::string variable = (*it)[1], name = (*it)[2];
            EXPECT_EQ(variable, name) << file << ": a statement is named like its variable";
            EXPECT_TRUE(listed.count(name)) << file << ": " << name << " is not in its list";
        }
    }
    EXPECT_EQ(files, 7);
    EXPECT_EQ(defined, static_cast<int>(listed.size()));
}

TEST(StatementCatalogue, EveryStatementPreparesAgainstTheMigratedSchema) {
    TestDatabase db;
    asio::io_context ioc(1);
    auto pool = pg::Pool::create(ioc.get_executor(), options_for(db.url(), "test-catalogue", 1));
    std::set<std::string> names;
    for (const auto& s : storage::sql::all()) {
        EXPECT_TRUE(names.insert(s.name).second) << "duplicate statement name " << s.name;
        try {
            run_async(ioc, [&]() -> awaitable<void> {
                auto conn = co_await pool->acquire();
                co_await conn->prepare(s, pool->query_deadline());
            }());
        } catch (const pg::Error& e) {
            ADD_FAILURE() << s.name << ": " << e.what();
        }
    }
    EXPECT_FALSE(names.empty());
}

namespace {
// What the tagging tests below pretend is the current request's trace id.
std::string_view g_trace;
std::string_view fake_trace_id() noexcept {
    return g_trace;
}
constexpr pg::Statement app_name{"test_app_name", "SELECT current_setting('application_name')"};
constexpr pg::Statement divide_by_zero{"test_divide_by_zero", "SELECT 1 / 0"};
}  // namespace

// Issue 15: a checkout made for a request names the request's trace in application_name (what
// pg_stat_activity and %a in the server log show), without a round trip of its own, and keeps
// it through a failed statement and a rollback; a checkout without a trace goes back to the
// base name.
TEST(PgDriver, ACheckoutCarriesTheTraceIdInApplicationName) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto options = options_for(db.url(), "test-tag", 1);
    options.trace_id = &fake_trace_id;
    auto pool = pg::Pool::create(ioc.get_executor(), options);
    const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    auto name_now = [&] { return run_async(ioc, pool->query(app_name)).scalar<std::string>(); };

    g_trace = trace;
    EXPECT_EQ(name_now(), "test-tag " + trace);
    // A statement that fails, in a transaction rolled back: the name stays.
    EXPECT_THROW(run_async(ioc, pg::with_transaction(*pool,
                                                     [](pg::Transaction& tx) -> awaitable<void> {
                                                         co_await tx.query(divide_by_zero);
                                                     })),
                 pg::Error);
    g_trace = "0af7651916cd43dd8448eb211c80319c";
    EXPECT_THROW(run_async(ioc, pg::with_transaction(*pool,
                                                     [](pg::Transaction& tx) -> awaitable<void> {
                                                         co_await tx.query(divide_by_zero);
                                                     })),
                 pg::Error)
        << "the statement's own error, not the tag's";
    EXPECT_EQ(name_now(), "test-tag 0af7651916cd43dd8448eb211c80319c");
    g_trace = {};
    EXPECT_EQ(name_now(), "test-tag");
    // A long base name is shortened so that the 32 digits fit PostgreSQL's 63 bytes.
    auto long_options = options_for(db.url(), std::string(60, 'n'), 1);
    long_options.trace_id = &fake_trace_id;
    auto long_pool = pg::Pool::create(ioc.get_executor(), long_options);
    g_trace = trace;
    const auto long_name = run_async(ioc, long_pool->query(app_name)).scalar<std::string>();
    EXPECT_EQ(long_name, std::string(30, 'n') + " " + trace);
    g_trace = {};
}

TEST(PgDriver, SlowStatementsAreReportedAndPoolWaitsMeasured) {
    TestDatabase db(false);
    asio::io_context ioc(1);
    auto options = options_for(db.url(), "test-slow", 2);
    options.slow_statement = 50ms;
    std::vector<std::string> slow;
    options.on_slow_statement = [&](std::string_view name, long long ms, int pid) {
        slow.push_back(std::string(name));
        EXPECT_GE(ms, 50);
        EXPECT_GT(pid, 0);
    };
    auto pool = pg::Pool::create(ioc.get_executor(), options);
    run_async(ioc, pool->query(sleep_then, 0, 1));
    run_async(ioc, pool->query(sleep_then, 120, 2));
    EXPECT_EQ(slow, (std::vector<std::string>{"test_sleep"}));
    const auto s = pool->stats();
    long long acquires = 0;
    for (auto b : s.wait_buckets)
        acquires += b;
    EXPECT_EQ(acquires, 2);
    EXPECT_EQ(s.wait_buckets.size(), std::size(core::kPoolWaitBounds) + 1);
}
