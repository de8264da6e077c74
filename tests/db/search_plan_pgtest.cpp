// The free-room probe of the shopping statements (issue 11). Only bookings_room_end_idx may
// answer "is this room free for the stay", never the GiST index of the exclusion constraint
// (no_overlapping_stays): on a vacuumed table the planner preferred that index for the old
// probe (an index-only scan) at 100 times the cost. The plans are read with EXPLAIN (FORMAT
// JSON) of the catalogued statements, prepared as the server prepares them, in custom and in
// generic form, under settings that push the planner one way or the other, and with the btree
// taken away altogether (in a transaction that is rolled back).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/statements.hpp"
#include "test_env.hpp"

using namespace hotel;
using namespace hotel::test;

namespace {

// 8 hotels in Planville, 3 room types x 15 rooms each, one plan priced for 60 days, and 25
// stays per room, one every 10 days from 120 days ago (the past ones are history the probe
// must skip), about one in ten of them cancelled. Stays of one room never overlap.
constexpr const char* kWorld = R"sql(
INSERT INTO users (id, email, name, password_hash, role)
VALUES ('00000000-0000-0000-0000-00000000be01', 'plan@plan.local', 'Plan Guest', 'x', 'guest');
INSERT INTO hotels (id, name, city, country, timezone, currency)
SELECT md5('plan:hotel:' || h)::uuid, 'Plan Hotel ' || h, 'Planville', 'PT', 'Europe/Lisbon', 'EUR'
FROM generate_series(1, 8) AS h;
INSERT INTO room_types (hotel_id, id, code, name, max_occupancy)
SELECT md5('plan:hotel:' || h)::uuid, md5('plan:type:' || h || ':' || t)::uuid, 'T' || t,
       'Type ' || t, t + 1
FROM generate_series(1, 8) AS h, generate_series(1, 3) AS t;
INSERT INTO rooms (hotel_id, id, room_type_id, number, floor)
SELECT md5('plan:hotel:' || h)::uuid, md5('plan:room:' || h || ':' || t || ':' || n)::uuid,
       md5('plan:type:' || h || ':' || t)::uuid, (t * 1000 + n)::text, t
FROM generate_series(1, 8) AS h, generate_series(1, 3) AS t, generate_series(1, 15) AS n;
INSERT INTO rate_plans (hotel_id, id, code, name, refundable, free_cancellation_hours, penalty)
SELECT md5('plan:hotel:' || h)::uuid, md5('plan:plan:' || h)::uuid, 'FLEX', 'Flexible', true, 48,
       'first_night'
FROM generate_series(1, 8) AS h;
INSERT INTO daily_rates (hotel_id, room_type_id, rate_plan_id, date, price_minor)
SELECT md5('plan:hotel:' || h)::uuid, md5('plan:type:' || h || ':' || t)::uuid,
       md5('plan:plan:' || h)::uuid, current_date + d, 5000 + h * 100 + t * 1000
FROM generate_series(1, 8) AS h, generate_series(1, 3) AS t, generate_series(0, 59) AS d;
INSERT INTO bookings (hotel_id, room_id, room_type_id, rate_plan_id, guest_id, guests, status,
                      check_in, check_out, period, currency, total_minor, penalty)
SELECT s.hotel_id, s.room_id, s.room_type_id, s.plan_id, '00000000-0000-0000-0000-00000000be01',
       1, s.status, s.check_in, s.check_out,
       tstzrange((s.check_in + time '15:00') AT TIME ZONE 'Europe/Lisbon',
                 (s.check_out + time '11:00') AT TIME ZONE 'Europe/Lisbon', '[)'),
       'EUR', 10000, 'first_night'
FROM (SELECT md5('plan:hotel:' || h)::uuid AS hotel_id,
             md5('plan:room:' || h || ':' || t || ':' || n)::uuid AS room_id,
             md5('plan:type:' || h || ':' || t)::uuid AS room_type_id,
             md5('plan:plan:' || h)::uuid AS plan_id,
             CASE WHEN (h + n + k) % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END AS status,
             current_date - 120 + k * 10 + (h * 7 + n * 3 + k) % 6 AS check_in,
             current_date - 120 + k * 10 + (h * 7 + n * 3 + k) % 6 + 1 + (n + k) % 3 AS check_out
      FROM generate_series(1, 8) AS h, generate_series(1, 3) AS t, generate_series(1, 15) AS n,
           generate_series(0, 24) AS k) AS s;
)sql";

// The indexes a plan reads, sorted and comma-separated ("" for none).
constexpr const char* kPlanIndexes = R"sql(
CREATE FUNCTION plan_indexes(command text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || command INTO plan;
    RETURN coalesce((SELECT string_agg(DISTINCT i #>> '{}', ',')
                     FROM jsonb_path_query(plan::jsonb, 'strict $.**."Index Name"') AS i), '');
END
$f$;
)sql";

struct Nudge {
    const char* name;
    const char* sql;  // run in the transaction the plan is made in
    bool btree_kept;
};

// Each setting that moved the old probe's plan, or could move the new one's.
const std::vector<Nudge> kNudges = {
    {"default settings", "", true},
    {"bitmap scans off", "SET LOCAL enable_bitmapscan = off", true},
    {"cheap random reads", "SET LOCAL random_page_cost = 1.1", true},
    {"dear random reads (heap fetches cost most)", "SET LOCAL random_page_cost = 40", true},
    {"sequential scans off", "SET LOCAL enable_seqscan = off", true},
    {"sorts off", "SET LOCAL enable_sort = off", true},
    {"no bookings_room_end_idx", "DROP INDEX bookings_room_end_idx", false},
};

class SearchPlan : public ::testing::Test {
  protected:
    void SetUp() override {
        c_.run_script(kWorld);
        // The issue's state: a vacuumed table, every page all-visible, which is what made an
        // index-only scan of the GiST index look cheap. (A VACUUM can leave pages behind while
        // another session's snapshot is older than the rows, hence the few retries.)
        for (int attempt = 0; attempt < 20; ++attempt) {
            c_.query("VACUUM ANALYZE bookings");
            if (c_.query("SELECT relallvisible = relpages FROM pg_class WHERE relname = 'bookings'")
                    .text(0, 0) == "t")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        c_.query("ANALYZE");
        c_.run_script(kPlanIndexes);
    }

    // The indexes `statement` reads when run with `arguments` (SQL expressions), under `nudge`,
    // with a custom or a generic plan. Prepared afresh in each transaction: a cached generic
    // plan would not notice a changed setting.
    std::string indexes(const pg::Statement& statement, const std::string& arguments,
                        const Nudge& nudge, bool generic) {
        c_.run_script(std::string("BEGIN; SET LOCAL plan_cache_mode = ") +
                      (generic ? "force_generic_plan" : "force_custom_plan") + "; " + nudge.sql);
        c_.run_script(std::string("PREPARE plan_probe AS ") + statement.sql.text);
        std::string found(
            c_.query("SELECT plan_indexes($1)", {"EXECUTE plan_probe(" + arguments + ")"})
                .text(0, 0));
        c_.run_script("DEALLOCATE plan_probe; ROLLBACK");
        return found;
    }

    void expect_probe_on_the_btree_only(const pg::Statement& statement,
                                        const std::string& arguments) {
        for (const auto& nudge : kNudges) {
            for (bool generic : {false, true}) {
                const auto found = indexes(statement, arguments, nudge, generic);
                SCOPED_TRACE(std::string(statement.name) + ", " + nudge.name +
                             (generic ? ", generic plan" : ", custom plan") +
                             ": indexes read: " + found);
                EXPECT_EQ(found.find("no_overlapping_stays"), std::string::npos);
                if (nudge.btree_kept) {
                    EXPECT_NE(found.find("bookings_room_end_idx"), std::string::npos);
                }
            }
        }
    }

    TestDatabase db_;
    pg::BlockingConnection c_ = db_.connect();
};

TEST_F(SearchPlan, CitySearchProbesRoomsOnlyThroughTheBtree) {
    // A 3-night stay 10 days ahead, for every hotel of the city (as HotelClock computes them).
    const auto stay = c_.query(
        "SELECT array_agg(id ORDER BY id)::text, "
        "       array_agg(((current_date + 10) + check_in_time) AT TIME ZONE timezone "
        "                 ORDER BY id)::text, "
        "       array_agg(((current_date + 13) + check_out_time) AT TIME ZONE timezone "
        "                 ORDER BY id)::text, "
        "       (current_date + 10)::text, (current_date + 13)::text "
        "FROM hotels WHERE city = 'Planville'");
    const auto quoted = [&](int column, const char* type) {
        return "'" + std::string(stay.text(0, column)) + "'::" + type;
    };
    const std::string arguments = quoted(0, "uuid[]") + ", " + quoted(1, "timestamptz[]") + ", " +
                                  quoted(2, "timestamptz[]") + ", " + quoted(3, "date") + ", " +
                                  quoted(4, "date") + ", 3, 2, 0, 20";
    expect_probe_on_the_btree_only(storage::sql::hotel_search, arguments);
}

TEST_F(SearchPlan, OffersProbeRoomsOnlyThroughTheBtree) {
    const std::string arguments =
        "md5('plan:hotel:3')::uuid, "
        "((current_date + 10) + time '15:00') AT TIME ZONE 'Europe/Lisbon', "
        "((current_date + 13) + time '11:00') AT TIME ZONE 'Europe/Lisbon'";
    expect_probe_on_the_btree_only(storage::sql::room_types_free, arguments);
}

// The probe answers what the overlap operator answers. For stays from 130 days ago to 130 days
// ahead, of 1, 3 and 12 nights, arriving at 11:00 or 15:00 and leaving at 11:00 or 15:00 (so
// that some stays begin exactly when a booking ends or end exactly when one begins), each room
// type's count of free rooms from room_types_free is the count of its rooms with no active
// booking whose period overlaps (&&) the stay's.
TEST_F(SearchPlan, OffersCountTheRoomsTheOverlapOperatorFindsFree) {
    c_.run_script("PREPARE plan_offers AS " + std::string(storage::sql::room_types_free.sql.text));
    c_.run_script(R"sql(
CREATE FUNCTION offers_of(hotel uuid, starts timestamptz, ends timestamptz)
RETURNS TABLE (type_id uuid, code text, name text, max_occupancy int4, free int4)
LANGUAGE plpgsql AS $f$
BEGIN
    RETURN QUERY EXECUTE format('EXECUTE plan_offers(%L, %L, %L)', hotel, starts, ends);
END
$f$;
)sql");
    const auto r = c_.query(
        "WITH stays AS ("
        "  SELECT h.id AS hotel_id, "
        "         ((current_date + d) + a) AT TIME ZONE 'Europe/Lisbon' AS starts, "
        "         ((current_date + d + n) + l) AT TIME ZONE 'Europe/Lisbon' AS ends "
        "  FROM hotels h, generate_series(-130, 130, 11) AS d, (VALUES (1), (3), (12)) AS v(n), "
        "       (VALUES (time '11:00'), (time '15:00')) AS arrive(a), "
        "       (VALUES (time '11:00'), (time '15:00')) AS leave(l)), "
        "expected AS ("
        "  SELECT s.hotel_id, s.starts, s.ends, rm.room_type_id AS type_id, "
        "         count(*) FILTER (WHERE NOT EXISTS ("
        "             SELECT 1 FROM bookings b WHERE b.hotel_id = rm.hotel_id "
        "             AND b.room_id = rm.id "
        "             AND b.status IN ('confirmed', 'checked_in', 'checked_out') "
        "             AND b.period && tstzrange(s.starts, s.ends, '[)')))::int4 AS free "
        "  FROM stays s JOIN rooms rm ON rm.hotel_id = s.hotel_id "
        "  GROUP BY 1, 2, 3, 4), "
        "actual AS ("
        "  SELECT s.hotel_id, s.starts, s.ends, o.type_id, o.free "
        "  FROM stays s CROSS JOIN LATERAL offers_of(s.hotel_id, s.starts, s.ends) AS o) "
        "SELECT count(*), "
        "       count(*) FILTER (WHERE e.free IS DISTINCT FROM a.free), "
        "       count(*) FILTER (WHERE e.free = 15), "
        "       count(*) FILTER (WHERE e.free BETWEEN 1 AND 14), "
        "       count(*) FILTER (WHERE e.free = 0) "
        "FROM expected e FULL JOIN actual a USING (hotel_id, starts, ends, type_id)");
    // 8 hotels x 24 arrival days x 3 lengths x 2 arrival times x 2 departure times x 3 types.
    EXPECT_EQ(r.text(0, 0), "6912");
    EXPECT_EQ(r.text(0, 1), "0") << "room types whose free rooms room_types_free miscounts";
    // The stays cover the interesting cases: all rooms free, some, none.
    EXPECT_NE(r.text(0, 2), "0");
    EXPECT_NE(r.text(0, 3), "0");
    EXPECT_NE(r.text(0, 4), "0");
}

}  // namespace
