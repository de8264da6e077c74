#pragma once
// The booking suites' fixture: a migrated database with the demo world, a running hoteld, an
// admin and a guest, and helpers to book, storm and count.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "api_client.hpp"
#include "core/hotel_time.hpp"

namespace hotel::test {

namespace json = boost::json;

inline std::string s(const json::value& v) {
    return std::string(v.as_string());
}

inline std::string lisbon_date(int days_from_today) {
    const auto clock = *core::HotelClock::for_zone("Europe/Lisbon");
    const auto today =
        clock.date_at(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    return core::format_date(core::add_days(today, days_from_today));
}

class Bookings : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        auto [rc, out] = run_process(
            hoteld_path(), {"demo-data", "--admin-email", "admin@example.com"},
            {"DATABASE_URL=" + db_->url(), "HOTEL_DEMO_ADMIN_PASSWORD=admin-password-123"});
        ASSERT_EQ(rc, 0) << out;
        // These suites book many card-less stays as one guest; the cap on them has its own tests
        // (booking_hardening_test.cpp), at the default.
        server_ = std::make_unique<Hoteld>(
            *db_, std::vector<std::string>{"HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000",
                                           "HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
        admin_ = login(port(), "admin@example.com", "admin-password-123");
        ASSERT_FALSE(admin_.empty());
        guest_ = guest("guest@example.com");
        lisbon_ = id("SELECT id FROM hotels WHERE city = 'Lisbon'");
        std_ =
            id("SELECT id FROM room_types WHERE code = 'STD' AND hotel_id = (SELECT id FROM hotels "
               "WHERE city = 'Lisbon')");
        flex_ =
            id("SELECT id FROM rate_plans WHERE code = 'FLEX' AND hotel_id = (SELECT id FROM "
               "hotels WHERE city = 'Lisbon')");
        nrf_ =
            id("SELECT id FROM rate_plans WHERE code = 'NRF' AND hotel_id = (SELECT id FROM hotels "
               "WHERE city = 'Lisbon')");
    }
    unsigned short port() const { return server_->port(); }
    // A staff member or manager of one hotel, created by the admin: their access token.
    std::string user(const std::string& email, const std::string& role, const std::string& hotel) {
        auto created = call(port(), "POST", "/v1/users", admin_,
                            json::serialize(json::object{{"email", email},
                                                         {"password", "user password 123"},
                                                         {"name", "U"},
                                                         {"role", role},
                                                         {"hotel_ids", json::array{hotel}}}));
        EXPECT_EQ(created.status, 201) << created.body;
        return login(port(), email, "user password 123");
    }
    std::string guest(const std::string& email) {
        register_user(port(), email, "guest password 123");
        return login(port(), email, "guest password 123");
    }
    std::string id(pg::Sql sql) {
        auto c = db_->connect();
        return std::string(c.query(sql).text(0, 0));
    }
    long long count(pg::Sql sql) { return std::stoll(id(sql)); }
    long long events_of(const std::string& booking_id) {
        auto c = db_->connect();
        auto rows = c.query("SELECT count(*) FROM booking_events WHERE booking_id = $1::uuid",
                            {booking_id});
        return std::stoll(std::string(rows.text(0, 0)));
    }
    json::object body(int from, int to, const std::string& plan, json::object extra = {}) {
        json::object b{{"hotel_id", lisbon_},          {"room_type_id", std_},
                       {"rate_plan_id", plan},         {"check_in", lisbon_date(from)},
                       {"check_out", lisbon_date(to)}, {"guests", 2}};
        for (auto& kv : extra)
            b[kv.key()] = kv.value();
        return b;
    }
    HttpResponse book(const std::string& token, const json::object& b,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
        headers.emplace_back("Authorization", "Bearer " + token);
        headers.emplace_back("Content-Type", "application/json");
        return http_request(port(), "POST", "/v1/bookings", headers, json::serialize(b));
    }
    long long overlapping_active() {
        return count(
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.hotel_id = b.hotel_id AND "
            "a.room_id = b.room_id AND a.id < b.id AND a.period && b.period "
            "WHERE a.status IN ('confirmed','checked_in','checked_out') "
            "AND b.status IN ('confirmed','checked_in','checked_out')");
    }
    // A hotel of its own with one room type of `rooms` rooms, priced for 60 days, and one plan:
    // non-refundable, or refundable until 48 h before arrival (then the first night).
    std::map<std::string, std::string> small_hotel(int rooms, bool refundable = false) {
        auto call_admin = [&](const std::string& m, const std::string& p, const json::object& b) {
            auto r = call(port(), m, p, admin_, json::serialize(b));
            EXPECT_LT(r.status, 300) << p << ": " << r.body;
            return json_of(r);
        };
        std::map<std::string, std::string> ids;
        ids["hotel"] = s(call_admin("POST", "/v1/hotels",
                                    {{"name", "Small"},
                                     {"city", "Faro"},
                                     {"country", "PT"},
                                     {"timezone", "Europe/Lisbon"},
                                     {"currency", "EUR"}})
                             .at("id"));
        const auto base = "/v1/hotels/" + ids["hotel"];
        ids["type"] = s(call_admin("POST", base + "/room-types",
                                   {{"code", "ONE"}, {"name", "One"}, {"max_occupancy", 2}})
                            .at("id"));
        const json::object plan =
            refundable ? json::object{{"code", "FLEX"},
                                      {"name", "F"},
                                      {"refundable", true},
                                      {"free_cancellation_hours", 48},
                                      {"penalty", "first_night"}}
                       : json::object{{"code", "NRF"}, {"name", "N"}, {"refundable", false}};
        ids["plan"] = s(call_admin("POST", base + "/rate-plans", plan).at("id"));
        for (int i = 1; i <= rooms; ++i)
            call_admin("POST", base + "/rooms",
                       {{"number", std::to_string(100 + i)}, {"room_type_id", ids["type"]}});
        call_admin("PUT", base + "/rates",
                   {{"room_type_id", ids["type"]},
                    {"rate_plan_id", ids["plan"]},
                    {"from", lisbon_date(0)},
                    {"to", lisbon_date(60)},
                    {"price", "80.00"}});
        return ids;
    }
    // n concurrent POSTs; returns status → count, and the bodies.
    std::map<int, int> storm(int n, const json::object& b,
                             std::vector<std::string>* codes = nullptr, const std::string& key = {},
                             std::vector<std::string>* bodies = nullptr) {
        std::vector<int> statuses(static_cast<std::size_t>(n));
        std::vector<std::string> out_codes(static_cast<std::size_t>(n)),
            out_bodies(static_cast<std::size_t>(n));
        std::vector<std::thread> threads;
        std::atomic<int> ready{0};
        for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
                ++ready;
                while (ready.load() < n)
                    std::this_thread::yield();
                std::vector<std::pair<std::string, std::string>> headers;
                if (!key.empty())
                    headers.emplace_back("Idempotency-Key", key);
                try {
                    auto r = book(guest_, b, headers);
                    statuses[static_cast<std::size_t>(i)] = r.status;
                    out_codes[static_cast<std::size_t>(i)] = code_of(r);
                    out_bodies[static_cast<std::size_t>(i)] = r.body;
                } catch (const std::exception&) {
                    statuses[static_cast<std::size_t>(i)] = -1;
                }
            });
        for (auto& t : threads)
            t.join();
        std::map<int, int> tally;
        for (int st : statuses)
            ++tally[st];
        if (codes)
            *codes = out_codes;
        if (bodies)
            *bodies = out_bodies;
        return tally;
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
    std::string admin_, guest_, lisbon_, std_, flex_, nrf_;
};

// The front office suites' fixture: a small hotel of its own (3 rooms of one type, a refundable
// plan priced for 60 days) besides the demo world, and its guests' stays.
class SmallHotel : public Bookings {
  protected:
    void SetUp() override {
        Bookings::SetUp();
        ids_ = small_hotel(3, true);
        base_ = "/v1/hotels/" + ids_["hotel"];
    }
    // A stay booked by the guest (named "Guest <from>", asking for a late arrival): its id, or
    // "" when it was refused.
    std::string stay(int from, int to) {
        auto r = book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                           {"room_type_id", ids_["type"]},
                                           {"rate_plan_id", ids_["plan"]},
                                           {"check_in", lisbon_date(from)},
                                           {"check_out", lisbon_date(to)},
                                           {"guests", 1},
                                           {"guest_name", "Guest " + std::to_string(from)},
                                           {"special_requests", "late arrival"}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? s(json_of(r).at("id")) : "";
    }
    std::map<std::string, std::string> ids_;
    std::string base_;
};

}  // namespace hotel::test
