// The catalogue API as a hotel's manager and its guests see it.

#include <gtest/gtest.h>

#include <chrono>

#include "api_client.hpp"
#include "core/calendar.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;

namespace {

std::string s(const json::value& v) {
    return std::string(v.as_string());
}

class Catalogue : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        server_ = std::make_unique<Hoteld>(*db_);
        admin_ = admin_token(*db_, port());
        ASSERT_FALSE(admin_.empty());
        requests_ = 0;
    }
    unsigned short port() const { return server_->port(); }

    HttpResponse as_admin(const std::string& method, const std::string& path,
                          const json::value& body = nullptr) {
        ++requests_;
        return call(port(), method, path, admin_, body.is_null() ? "" : json::serialize(body));
    }
    json::object created(const std::string& path, const json::object& body) {
        auto r = as_admin("POST", path, body);
        EXPECT_EQ(r.status, 201) << path << ": " << r.body;
        return json_of(r).as_object();
    }
    std::string new_hotel(const std::string& name = "Casa Teste",
                          const std::string& currency = "EUR") {
        return s(created("/v1/hotels", {{"name", name},
                                        {"city", "Lisbon"},
                                        {"country", "PT"},
                                        {"timezone", "Europe/Lisbon"},
                                        {"currency", currency}})
                     .at("id"));
    }
    long long scalar(pg::Sql sql) {
        auto c = db_->connect();
        return std::stoll(std::string(c.query(sql).text(0, 0)));
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
    std::string admin_;
    int requests_ = 0;
};

std::string today_plus(int days) {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return core::format_date(core::Date{today + std::chrono::days{days}});
}

}  // namespace

TEST_F(Catalogue, AdminBuildsAHotelWithAYearOfRatesInUnder20Requests) {
    const auto hotel = new_hotel();
    const auto base = "/v1/hotels/" + hotel;
    const auto std_type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    const auto ste_type = s(
        created(base + "/room-types",
                {{"code", "STE"}, {"name", "Suite"}, {"max_occupancy", 4}, {"description", "Big"}})
            .at("id"));
    for (const auto& [number, type] : {std::pair{"101", std_type}, std::pair{"102", std_type},
                                       std::pair{"201", ste_type}, std::pair{"202", ste_type}})
        created(base + "/rooms",
                {{"number", number}, {"room_type_id", type}, {"floor", number[0] - '0'}});
    const auto flex = s(created(base + "/rate-plans", {{"code", "FLEX"},
                                                       {"name", "Flexible"},
                                                       {"refundable", true},
                                                       {"free_cancellation_hours", 48},
                                                       {"penalty", "first_night"}})
                            .at("id"));
    const auto nrf = s(created(base + "/rate-plans",
                               {{"code", "NRF"}, {"name", "Non-refundable"}, {"refundable", false}})
                           .at("id"));

    const auto from = today_plus(1);
    const auto to = today_plus(366);
    for (const auto& type : {std_type, ste_type})
        for (const auto& plan : {flex, nrf}) {
            auto r = as_admin("PUT", base + "/rates",
                              json::object{{"room_type_id", type},
                                           {"rate_plan_id", plan},
                                           {"from", from},
                                           {"to", to},
                                           {"price", "120.00"},
                                           {"min_stay", 1}});
            ASSERT_EQ(r.status, 200) << r.body;
            EXPECT_EQ(json_of(r).at("updated_days").as_int64(), 365);
        }
    // Weekend uplift for one (type, plan): Fridays and Saturdays only.
    auto uplift = as_admin("PUT", base + "/rates",
                           json::object{{"room_type_id", std_type},
                                        {"rate_plan_id", flex},
                                        {"from", from},
                                        {"to", to},
                                        {"weekdays", json::array{"fri", "sat"}},
                                        {"price", "150.00"}});
    ASSERT_EQ(uplift.status, 200) << uplift.body;
    const auto weekend_days = json_of(uplift).at("updated_days").as_int64();
    EXPECT_GE(weekend_days, 104);
    EXPECT_LE(weekend_days, 106);
    EXPECT_LT(requests_, 20);

    // GET /rates gives back exactly what was set, day by day.
    auto got = as_admin("GET", base + "/rates?room_type_id=" + std_type + "&rate_plan_id=" + flex +
                                   "&from=" + from + "&to=" + to);
    ASSERT_EQ(got.status, 200) << got.body;
    const auto got_json = json_of(got);
    const auto& items = got_json.at("items").as_array();
    ASSERT_EQ(items.size(), 365u);
    int weekend = 0;
    for (const auto& item : items) {
        const auto date = *core::parse_date(s(item.at("date")));
        const bool fri_sat = core::iso_weekday(date) == 5 || core::iso_weekday(date) == 6;
        weekend += fri_sat;
        EXPECT_EQ(s(item.at("price").at("amount")), fri_sat ? "150.00" : "120.00")
            << s(item.at("date"));
        EXPECT_EQ(s(item.at("price").at("currency")), "EUR");
        EXPECT_EQ(item.at("min_stay").as_int64(), 1);
        EXPECT_TRUE(item.at("max_stay").is_null());
        EXPECT_FALSE(item.at("stop_sell").as_bool());
    }
    EXPECT_EQ(weekend, weekend_days);
    // The other plan kept its flat price.
    auto other = as_admin("GET", base + "/rates?room_type_id=" + std_type + "&rate_plan_id=" + nrf +
                                     "&from=" + from + "&to=" + to);
    const auto other_json = json_of(other);
    for (const auto& item : other_json.at("items").as_array())
        EXPECT_EQ(s(item.at("price").at("amount")), "120.00");
    // Public reads.
    auto types = call(port(), "GET", base + "/room-types");
    ASSERT_EQ(types.status, 200);
    EXPECT_EQ(json_of(types).at("total").as_int64(), 2);
    EXPECT_EQ(json_of(call(port(), "GET", base + "/rate-plans"))
                  .at("items")
                  .as_array()
                  .at(0)
                  .at("penalty")
                  .as_string(),
              "first_night");
    EXPECT_EQ(json_of(call(port(), "GET", base)).at("check_in_time").as_string(), "15:00");
}

TEST_F(Catalogue, PartialRateUpdatesKeepWhatWasNotSent) {
    const auto hotel = new_hotel("Partial", "JPY");
    const auto base = "/v1/hotels/" + hotel;
    const auto type =
        s(created(base + "/room-types", {{"code", "W"}, {"name", "Washitsu"}, {"max_occupancy", 3}})
              .at("id"));
    const auto plan =
        s(created(base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
              .at("id"));
    const auto from = today_plus(10), to = today_plus(13);
    ASSERT_EQ(as_admin("PUT", base + "/rates",
                       json::object{{"room_type_id", type},
                                    {"rate_plan_id", plan},
                                    {"from", from},
                                    {"to", to},
                                    {"price", "15000"},
                                    {"min_stay", 2},
                                    {"stop_sell", true}})
                  .status,
              200);
    // Only closed_to_arrival changes; price, min_stay and stop_sell stay.
    ASSERT_EQ(as_admin("PUT", base + "/rates",
                       json::object{{"room_type_id", type},
                                    {"rate_plan_id", plan},
                                    {"from", from},
                                    {"to", to},
                                    {"closed_to_arrival", true}})
                  .status,
              200);
    // An explicit null clears min_stay.
    ASSERT_EQ(as_admin("PUT", base + "/rates",
                       json::object{{"room_type_id", type},
                                    {"rate_plan_id", plan},
                                    {"from", from},
                                    {"to", to},
                                    {"min_stay", nullptr}})
                  .status,
              200);
    auto got = as_admin("GET", base + "/rates?room_type_id=" + type + "&rate_plan_id=" + plan +
                                   "&from=" + from + "&to=" + today_plus(14));
    const auto got_json = json_of(got);
    const auto& items = got_json.at("items").as_array();
    ASSERT_EQ(items.size(), 4u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(s(items[i].at("price").at("amount")), "15000");
        EXPECT_TRUE(items[i].at("min_stay").is_null());
        EXPECT_TRUE(items[i].at("stop_sell").as_bool());
        EXPECT_TRUE(items[i].at("closed_to_arrival").as_bool());
    }
    // A day never written: no price, no restrictions.
    EXPECT_TRUE(items[3].at("price").is_null());
    EXPECT_FALSE(items[3].at("stop_sell").as_bool());
}

TEST_F(Catalogue, AvailabilityCountsAnOutOfServiceRoom) {
    const auto hotel = new_hotel();
    const auto base = "/v1/hotels/" + hotel;
    const auto type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    std::string room;
    for (const char* n : {"1", "2", "3"})
        room = s(created(base + "/rooms", {{"number", n}, {"room_type_id", type}}).at("id"));
    auto oos = as_admin(
        "POST", base + "/rooms/" + room + "/out-of-service",
        json::object{{"from", today_plus(5)}, {"to", today_plus(8)}, {"reason", "Repainting"}});
    ASSERT_EQ(oos.status, 201) << oos.body;
    auto a = as_admin("GET", base + "/availability?from=" + today_plus(4) + "&to=" + today_plus(9));
    ASSERT_EQ(a.status, 200) << a.body;
    const auto a_json = json_of(a);
    const auto& items = a_json.at("items").as_array();
    ASSERT_EQ(items.size(), 5u);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const bool blocked = i >= 1 && i <= 3;  // nights 5, 6, 7
        EXPECT_EQ(items[i].at("total").as_int64(), 3);
        EXPECT_EQ(items[i].at("booked").as_int64(), 0);
        EXPECT_EQ(items[i].at("out_of_service").as_int64(), blocked ? 1 : 0)
            << s(items[i].at("date"));
        EXPECT_EQ(items[i].at("available").as_int64(), blocked ? 2 : 3) << s(items[i].at("date"));
    }
    // The same room cannot be taken out twice for overlapping nights.
    auto again =
        as_admin("POST", base + "/rooms/" + room + "/out-of-service",
                 json::object{{"from", today_plus(7)}, {"to", today_plus(9)}, {"reason", "Again"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(code_of(again), "conflict");
    // But it can from the day it comes back.
    EXPECT_EQ(
        as_admin("POST", base + "/rooms/" + room + "/out-of-service",
                 json::object{{"from", today_plus(8)}, {"to", today_plus(9)}, {"reason", "Next"}})
            .status,
        201);
}

TEST_F(Catalogue, TakingABookedRoomOutOfServiceIs409) {
    const auto hotel = new_hotel();
    const auto base = "/v1/hotels/" + hotel;
    const auto type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    const auto room =
        s(created(base + "/rooms", {{"number", "7"}, {"room_type_id", type}}).at("id"));
    const auto plan =
        s(created(base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
              .at("id"));
    {
        // A stay for nights +10 and +11, written directly (the booking API is a later issue).
        auto c = db_->connect();
        c.query(
            "INSERT INTO bookings (hotel_id, room_id, room_type_id, rate_plan_id, guest_id, "
            "guests, check_in, "
            "check_out, period, currency, total_minor) SELECT $1::uuid, $2::uuid, $3::uuid, "
            "$4::uuid, "
            "(SELECT id FROM users LIMIT 1), 1, $5::date, $6::date, "
            "tstzrange(($5::date + time '15:00') AT TIME ZONE 'Europe/Lisbon', "
            "($6::date + time '11:00') AT TIME ZONE 'Europe/Lisbon', '[)'), 'EUR', 100",
            {hotel, room, type, plan, today_plus(10), today_plus(12)});
    }
    auto r = as_admin(
        "POST", base + "/rooms/" + room + "/out-of-service",
        json::object{{"from", today_plus(11)}, {"to", today_plus(13)}, {"reason", "Leak"}});
    EXPECT_EQ(r.status, 409) << r.body;
    // Check-out day is free again (11:00 leave, 15:00 block starts).
    EXPECT_EQ(
        as_admin("POST", base + "/rooms/" + room + "/out-of-service",
                 json::object{{"from", today_plus(12)}, {"to", today_plus(13)}, {"reason", "Leak"}})
            .status,
        201);
    auto a = json_of(
        as_admin("GET", base + "/availability?from=" + today_plus(10) + "&to=" + today_plus(13)));
    const auto& items = a.at("items").as_array();
    EXPECT_EQ(items[0].at("booked").as_int64(), 1);
    EXPECT_EQ(items[1].at("booked").as_int64(), 1);
    EXPECT_EQ(items[2].at("out_of_service").as_int64(), 1);
    for (const auto& i : items)
        EXPECT_EQ(i.at("available").as_int64(), 0);
}

TEST_F(Catalogue, RuleViolationsAre422AndStoreNothing) {
    auto zone = as_admin("POST", "/v1/hotels",
                         json::object{{"name", "Mars"},
                                      {"city", "Olympus"},
                                      {"country", "US"},
                                      {"timezone", "Mars/Olympus"},
                                      {"currency", "USD"}});
    EXPECT_EQ(zone.status, 422);
    EXPECT_NE(zone.body.find("timezone"), std::string::npos);
    EXPECT_EQ(as_admin("POST", "/v1/hotels",
                       json::object{{"name", "X"},
                                    {"city", "Y"},
                                    {"country", "PT"},
                                    {"timezone", "Europe/Lisbon"},
                                    {"currency", "EURO"}})
                  .status,
              422);
    EXPECT_EQ(as_admin("POST", "/v1/hotels",
                       json::object{{"name", "X"},
                                    {"city", "Y"},
                                    {"country", "PT"},
                                    {"timezone", "Europe/Lisbon"},
                                    {"currency", "EUR"},
                                    {"check_in_time", "3pm"}})
                  .status,
              400);
    EXPECT_EQ(scalar("SELECT count(*) FROM hotels"), 0);

    const auto hotel = new_hotel();
    const auto other_hotel = new_hotel("Other");
    const auto base = "/v1/hotels/" + hotel;
    const auto type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    const auto plan =
        s(created(base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
              .at("id"));
    const auto foreign_type =
        s(created("/v1/hotels/" + other_hotel + "/room-types",
                  {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
              .at("id"));
    auto rates = [&](json::object extra) {
        json::object body{{"room_type_id", type},
                          {"rate_plan_id", plan},
                          {"from", today_plus(1)},
                          {"to", today_plus(30)},
                          {"price", "100.00"}};
        for (auto& kv : extra)
            body[kv.key()] = kv.value();
        return as_admin("PUT", base + "/rates", body);
    };
    struct Case {
        json::object body;
        int status;
        std::string field;
    };
    const std::vector<Case> cases = {
        {{{"to", today_plus(733)}}, 422, "to"},  // 732 days
        {{{"price", "12.345"}}, 422, "price"},   // EUR has 2 decimals
        {{{"price", "0.00"}}, 422, "price"},
        {{{"price", "-5.00"}}, 422, "price"},
        {{{"price", 100}}, 400, "price"},  // a number, not a string
        {{{"min_stay", 5}, {"max_stay", 3}}, 422, "min_stay"},
        {{{"min_stay", 0}}, 422, "min_stay"},
        {{{"to", today_plus(1)}}, 422, "to"},  // from == to
        {{{"weekdays", json::array{"fri", "funday"}}}, 400, "weekdays"},
        {{{"room_type_id", foreign_type}}, 422, "room_type_id"},  // another hotel's type
        {{{"rate_plan_id", "00000000-0000-0000-0000-000000000000"}}, 422, "rate_plan_id"},
        {{{"room_type_id", "not-a-uuid"}}, 400, "room_type_id"},
        {{{"colour", "blue"}}, 400, "colour"},
    };
    for (const auto& c : cases) {
        auto r = rates(c.body);
        EXPECT_EQ(r.status, c.status) << json::serialize(c.body) << " -> " << r.body;
        EXPECT_NE(r.body.find("\"field\":\"" + c.field + "\""), std::string::npos) << r.body;
    }
    EXPECT_EQ(scalar("SELECT count(*) FROM daily_rates"), 0);

    // A merge that would leave min_stay above max_stay on some day is refused whole.
    ASSERT_EQ(rates({{"max_stay", 3}}).status, 200);
    const auto before = scalar("SELECT count(*) FROM daily_rates WHERE min_stay IS NOT NULL");
    EXPECT_EQ(rates({{"min_stay", 5}}).status, 422);
    EXPECT_EQ(scalar("SELECT count(*) FROM daily_rates WHERE min_stay IS NOT NULL"), before);

    // Duplicates.
    EXPECT_EQ(as_admin("POST", base + "/room-types",
                       json::object{{"code", "STD"}, {"name", "Again"}, {"max_occupancy", 2}})
                  .status,
              409);
    EXPECT_EQ(as_admin("POST", base + "/rate-plans",
                       json::object{{"code", "NRF"}, {"name", "Again"}, {"refundable", false}})
                  .status,
              409);
    ASSERT_EQ(
        as_admin("POST", base + "/rooms", json::object{{"number", "101"}, {"room_type_id", type}})
            .status,
        201);
    auto dup =
        as_admin("POST", base + "/rooms", json::object{{"number", "101"}, {"room_type_id", type}});
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(code_of(dup), "conflict");
    EXPECT_EQ(as_admin("POST", base + "/rooms",
                       json::object{{"number", "102"}, {"room_type_id", foreign_type}})
                  .status,
              422);
    // Plans: a refundable plan needs its policy; a non-refundable one has none.
    EXPECT_EQ(as_admin("POST", base + "/rate-plans",
                       json::object{{"code", "F"}, {"name", "F"}, {"refundable", true}})
                  .status,
              422);
    EXPECT_EQ(as_admin("POST", base + "/rate-plans",
                       json::object{{"code", "F"},
                                    {"name", "F"},
                                    {"refundable", true},
                                    {"free_cancellation_hours", 24},
                                    {"penalty", "percent:150"}})
                  .status,
              422);
    EXPECT_EQ(
        as_admin(
            "POST", base + "/rate-plans",
            json::object{
                {"code", "F"}, {"name", "F"}, {"refundable", false}, {"penalty", "first_night"}})
            .status,
        422);
    // A non-refundable plan reads back with penalty full_stay (what its offers say), and
    // sending that back is accepted.
    const auto nrf = as_admin(
        "POST", base + "/rate-plans",
        json::object{
            {"code", "N2"}, {"name", "N2"}, {"refundable", false}, {"penalty", "full_stay"}});
    ASSERT_EQ(nrf.status, 201) << nrf.body;
    EXPECT_EQ(json_of(nrf).at("penalty").as_string(), "full_stay");
    EXPECT_TRUE(json_of(nrf).at("free_cancellation_hours").is_null());
    EXPECT_EQ(as_admin("POST", base + "/rate-plans",
                       json::object{{"code", "P"},
                                    {"name", "P"},
                                    {"refundable", true},
                                    {"free_cancellation_hours", 24},
                                    {"penalty", "percent:30"}})
                  .status,
              201);
    // Lists cap per_page at 100.
    EXPECT_EQ(call(port(), "GET", base + "/room-types?per_page=101").status, 400);
    // A malformed id in the path names no resource: 404, like every route (issue 13).
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/not-a-uuid").status, 404);
    EXPECT_EQ(as_admin("PATCH", "/v1/hotels/not-a-uuid", json::object{{"name", "X"}}).status, 404);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/not-a-uuid/room-types").status, 404);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/00000000-0000-0000-0000-000000000000").status, 404);
    // Availability spans at most 366 days.
    EXPECT_EQ(
        as_admin("GET", base + "/availability?from=" + today_plus(1) + "&to=" + today_plus(368))
            .status,
        422);
    EXPECT_EQ(as_admin("GET", base + "/availability?from=tomorrow&to=" + today_plus(3)).status,
              400);
}

TEST_F(Catalogue, CurrencyCannotChangeOncePricesExist) {
    const auto hotel = new_hotel();
    const auto base = "/v1/hotels/" + hotel;
    auto patched =
        as_admin("PATCH", base, json::object{{"currency", "USD"}, {"check_in_time", "14:00"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(json_of(patched).at("currency").as_string(), "USD");
    EXPECT_EQ(json_of(patched).at("check_in_time").as_string(), "14:00");
    const auto type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    const auto plan =
        s(created(base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
              .at("id"));
    ASSERT_EQ(as_admin("PUT", base + "/rates",
                       json::object{{"room_type_id", type},
                                    {"rate_plan_id", plan},
                                    {"from", today_plus(1)},
                                    {"to", today_plus(2)},
                                    {"price", "10.00"}})
                  .status,
              200);
    EXPECT_EQ(as_admin("PATCH", base, json::object{{"currency", "EUR"}}).status, 409);
    EXPECT_EQ(as_admin("PATCH", base, json::object{{"timezone", "Mars/Olympus"}}).status, 422);
    EXPECT_EQ(as_admin("PATCH", base, json::object{{"name", nullptr}}).status, 400);
    EXPECT_EQ(as_admin("PATCH", base, json::object{{"id", hotel}}).status, 400);
}

TEST_F(Catalogue, SettingAYearOfRatesIsOneStatement) {
    // pg_stat_statements counts every client of the database: a node's search index reloads a
    // hotel after its rates change, on its own connection, and its webhook workers number
    // events and look for deliveries every second. Count the request alone.
    server_ = std::make_unique<Hoteld>(
        *db_, std::vector<std::string>{"HOTEL_SEARCH=sql", "HOTEL_WEBHOOK_WORKERS=0"});
    const auto hotel = new_hotel();
    const auto base = "/v1/hotels/" + hotel;
    const auto type = s(
        created(base + "/room-types", {{"code", "STD"}, {"name", "Standard"}, {"max_occupancy", 2}})
            .at("id"));
    const auto plan =
        s(created(base + "/rate-plans", {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
              .at("id"));
    auto c = db_->connect();
    c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    auto statements_for = [&](int days) {
        c.query("SELECT pg_stat_statements_reset()");
        auto r = as_admin("PUT", base + "/rates",
                          json::object{{"room_type_id", type},
                                       {"rate_plan_id", plan},
                                       {"from", today_plus(1)},
                                       {"to", today_plus(1 + days)},
                                       {"price", "99.00"}});
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(json_of(r).at("updated_days").as_int64(), days);
        auto rows = c.query(
            "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query ILIKE "
            "'%INSERT INTO daily_rates%'), 0), "
            "       coalesce(sum(rows) FILTER (WHERE query ILIKE '%INSERT INTO daily_rates%'), 0) "
            "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
            "WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat_statements%'");
        return std::tuple{std::stoll(std::string(rows.text(0, 0))),
                          std::stoll(std::string(rows.text(0, 1))),
                          std::stoll(std::string(rows.text(0, 2)))};
    };
    const auto [all_1, writes_1, rows_1] = statements_for(1);
    const auto [all_365, writes_365, rows_365] = statements_for(365);
    EXPECT_EQ(writes_1, 1);
    EXPECT_EQ(rows_1, 1);
    EXPECT_EQ(writes_365, 1) << "one statement writes the whole year";
    EXPECT_EQ(rows_365, 365);
    EXPECT_EQ(all_365, all_1) << "the request costs the same statements for 1 day and 365";
}
