// The idempotency-key cleanup deletes old keys in batches and keeps young ones.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "async_run.hpp"
#include "pg/pool.hpp"
#include "storage/booking_store.hpp"
#include "test_env.hpp"

using namespace hotel;
using namespace hotel::test;

TEST(IdempotencyCleanup, DeletesOldKeysInBatchesAndKeepsYoungOnes) {
    TestDatabase db;
    auto c = db.connect();
    c.run_script(
        "INSERT INTO users (id, email, name, password_hash, role) VALUES "
        "('00000000-0000-0000-0000-000000000001', 'k@example.com', 'K', 'x', 'guest');"
        "INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, "
        "created_at) "
        "SELECT '00000000-0000-0000-0000-000000000001', 'old-' || g, 'h', 201, '{}', now() - "
        "interval '25 hours' "
        "FROM generate_series(1, 2500) g;"
        "INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body, "
        "created_at) "
        "SELECT '00000000-0000-0000-0000-000000000001', 'young-' || g, 'h', 201, '{}', now() - "
        "interval '23 hours' "
        "FROM generate_series(1, 10) g;");
    c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    c.query("SELECT pg_stat_statements_reset()");
    boost::asio::io_context ioc(1);
    pg::PoolOptions o;
    o.connect.conninfo = db.url();
    o.connect.application_name = "test-cleanup";
    o.max_size = 1;
    auto pool = pg::Pool::create(ioc.get_executor(), o);
    const auto deleted =
        run_async(ioc, storage::cleanup_idempotency_keys(*pool, std::chrono::hours(24), 1000));
    EXPECT_EQ(deleted, 2500);
    EXPECT_EQ(c.query("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'old-%'").text(0, 0),
              "0");
    EXPECT_EQ(c.query("SELECT count(*) FROM idempotency_keys WHERE key LIKE 'young-%'").text(0, 0),
              "10");
    // Three batches of at most 1000 rows: 1000, 1000, 500.
    EXPECT_EQ(c.query("SELECT sum(calls) FROM pg_stat_statements WHERE query LIKE 'DELETE FROM "
                      "idempotency_keys%'")
                  .text(0, 0),
              "3");
}
