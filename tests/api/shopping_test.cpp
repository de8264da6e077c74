// Shopping: city search and offers, including a seeded property test against brute force (its
// walk books, modifies, cancels, closes rooms, changes rates, moves stays between rooms, checks
// guests in, extends, shortens and ends stays early, and adds, retires and retypes rooms).

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "api_client.hpp"
#include "core/hotel_time.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;

namespace {

std::string s(const json::value& v) {
    return std::string(v.as_string());
}

core::Date lisbon_today() {
    return core::HotelClock::for_zone("Europe/Lisbon")
        ->date_at(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}
std::string day(int offset) {
    return core::format_date(core::add_days(lisbon_today(), offset));
}

class Shopping : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        // The property test books many card-less stays as one guest.
        server_ = std::make_unique<Hoteld>(
            *db_, std::vector<std::string>{"HOTEL_MAX_UNSECURED_BOOKINGS=100000"});
        admin_ = admin_token(*db_, port());
        ASSERT_FALSE(admin_.empty());
        sync_ = std::make_unique<IndexSync>(port(), admin_);
    }
    unsigned short port() const { return server_->port(); }
    json::value admin(const std::string& method, const std::string& path,
                      const json::object& body = {}) {
        auto r = call(port(), method, path, admin_, body.empty() ? "" : json::serialize(body));
        EXPECT_LT(r.status, 300) << method << " " << path << ": " << r.body;
        return json_of(r);
    }
    struct Hotel {
        std::string id;
        std::map<std::string, std::string> types, plans, rooms;
    };
    // A hotel in `city` with types (code → {occupancy, rooms}) and one NRF plan at `price`.
    Hotel hotel(const std::string& name, const std::string& city, const std::string& price,
                std::vector<std::tuple<std::string, int, int>> types = {{"STD", 2, 2}}) {
        Hotel h;
        h.id = s(admin("POST", "/v1/hotels",
                       {{"name", name},
                        {"city", city},
                        {"country", "PT"},
                        {"timezone", "Europe/Lisbon"},
                        {"currency", "EUR"}})
                     .at("id"));
        const auto base = "/v1/hotels/" + h.id;
        h.plans["NRF"] = s(admin("POST", base + "/rate-plans",
                                 {{"code", "NRF"}, {"name", "N"}, {"refundable", false}})
                               .at("id"));
        int n = 0;
        for (const auto& [code, occupancy, rooms] : types) {
            h.types[code] = s(admin("POST", base + "/room-types",
                                    {{"code", code}, {"name", code}, {"max_occupancy", occupancy}})
                                  .at("id"));
            for (int i = 0; i < rooms; ++i) {
                const auto number = code + std::to_string(++n);
                h.rooms[number] = s(admin("POST", base + "/rooms",
                                          {{"number", number}, {"room_type_id", h.types[code]}})
                                        .at("id"));
            }
            admin("PUT", base + "/rates",
                  {{"room_type_id", h.types[code]},
                   {"rate_plan_id", h.plans["NRF"]},
                   {"from", day(0)},
                   {"to", day(60)},
                   {"price", price}});
        }
        return h;
    }
    // Shopping reads the search index, which follows commits a few milliseconds behind.
    void sync() { ASSERT_TRUE(sync_->wait()) << "the search index did not catch up"; }
    json::value search(const std::string& query) {
        sync();
        auto r = call(port(), "GET", "/v1/hotels?" + query);
        EXPECT_EQ(r.status, 200) << query << ": " << r.body;
        return json_of(r);
    }
    std::set<std::string> names(const json::value& page) {
        std::set<std::string> out;
        for (const auto& i : page.at("items").as_array())
            out.insert(s(i.at("name")));
        return out;
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
    std::string admin_;
    std::unique_ptr<IndexSync> sync_;
};

}  // namespace

TEST_F(Shopping, SearchHidesUnsellableHotels) {
    auto open = hotel("Open", "Testville", "100.00");
    auto stopped = hotel("Stopped", "Testville", "90.00");
    auto closed = hotel("Closed", "Testville", "80.00");
    // Stopped: stop-sell on one night of the stay.
    admin("PUT", "/v1/hotels/" + stopped.id + "/rates",
          {{"room_type_id", stopped.types["STD"]},
           {"rate_plan_id", stopped.plans["NRF"]},
           {"from", day(11)},
           {"to", day(12)},
           {"stop_sell", true}});
    // Closed: every room out of service.
    for (const auto& [number, room] : closed.rooms)
        admin("POST", "/v1/hotels/" + closed.id + "/rooms/" + room + "/out-of-service",
              {{"from", day(5)}, {"to", day(20)}, {"reason", "Works"}});
    const auto page =
        search("city=testville&check_in=" + day(10) + "&check_out=" + day(13) + "&guests=2");
    EXPECT_EQ(names(page), std::set<std::string>{"Open"});
    EXPECT_EQ(page.at("total").as_int64(), 1);
    EXPECT_EQ(s(page.at("items").as_array()[0].at("from_price").at("amount")), "300.00");
    // Outside those nights both are back.
    EXPECT_EQ(names(search("city=Testville&check_in=" + day(30) + "&check_out=" + day(32))),
              (std::set<std::string>{"Open", "Stopped", "Closed"}));
    // Too many guests for every type: nothing.
    EXPECT_EQ(search("city=Testville&check_in=" + day(30) + "&check_out=" + day(32) + "&guests=3")
                  .at("total")
                  .as_int64(),
              0);
    // Without a city: every hotel by name, paged (here also the test's index sentinel).
    const auto listed = search("per_page=2");
    EXPECT_GE(listed.at("total").as_int64(), 3);
    EXPECT_EQ(listed.at("items").as_array().size(), 2u);
    std::set<std::string> everywhere;
    for (int p = 1; p <= 5; ++p)
        for (const auto& name : names(search("per_page=2&page=" + std::to_string(p))))
            everywhere.insert(name);
    EXPECT_TRUE(everywhere.count("Open") && everywhere.count("Stopped") &&
                everywhere.count("Closed"));
    EXPECT_FALSE(listed.at("items").as_array()[0].as_object().contains("from_price"));
    EXPECT_EQ(call(port(), "GET", "/v1/hotels?guests=2").status, 400) << "guests need a city";
    // Without dates: every hotel of the city, no from_price.
    const auto all = search("city=TESTVILLE");
    EXPECT_EQ(all.at("total").as_int64(), 3);
    EXPECT_FALSE(all.at("items").as_array()[0].as_object().contains("from_price"));
}

TEST_F(Shopping, SortedByFromPriceThenNameWithTotalsOverPages) {
    hotel("Delta", "Sortville", "120.00");
    hotel("Alpha", "Sortville", "150.00");
    hotel("Charlie", "Sortville", "90.00");
    hotel("Bravo", "Sortville", "120.00");
    hotel("Echo", "Sortville", "60.00");
    std::vector<std::string> order;
    const auto q = "city=Sortville&check_in=" + day(3) + "&check_out=" + day(5) + "&per_page=2";
    for (int p = 1; p <= 3; ++p) {
        const auto page = search(q + "&page=" + std::to_string(p));
        EXPECT_EQ(page.at("total").as_int64(), 5) << "page " << p;
        EXPECT_EQ(page.at("page").as_int64(), p);
        for (const auto& i : page.at("items").as_array())
            order.push_back(s(i.at("name")));
    }
    EXPECT_EQ(order, (std::vector<std::string>{"Echo", "Charlie", "Bravo", "Delta", "Alpha"}));
    const auto beyond = search(q + "&page=4");
    EXPECT_TRUE(beyond.at("items").as_array().empty());
    EXPECT_EQ(beyond.at("total").as_int64(), 5);
}

TEST_F(Shopping, BadSearchInputIsRefused) {
    const auto stay = "&check_in=" + day(3) + "&check_out=" + day(5);
    struct Case {
        std::string query;
        int status;
    };
    const std::vector<Case> cases = {
        {"city=X" + stay + "&per_page=1000", 400},
        {"city=X" + stay + "&page=0", 400},
        {"city=X" + stay + "&guests=0", 400},
        {"city=X&check_in=" + day(3) + "&check_out=" + day(35), 422},
        {"city=X&check_in=" + day(3), 400},
        {"city=" + std::string(10 * 1024, 'a') + stay, 400},
        {"check_in=" + day(3) + "&check_out=" + day(5), 400},
        {"city=X&check_in=2027-13-01&check_out=" + day(5), 400},
        {"city=X&check_in=" + day(5) + "&check_out=" + day(5), 422},
    };
    for (const auto& c : cases) {
        auto r = call(port(), "GET", "/v1/hotels?" + c.query);
        EXPECT_EQ(r.status, c.status) << c.query.substr(0, 80) << " -> " << r.body.substr(0, 200);
    }
    auto h = hotel("Offers", "X", "50.00");
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + h.id + "/rooms?check_in=" + day(3)).status, 400);
    EXPECT_EQ(call(port(), "GET",
                   "/v1/hotels/" + h.id + "/rooms?check_in=" + day(3) + "&check_out=" + day(5) +
                       "&guests=0")
                  .status,
              400);
    EXPECT_EQ(call(port(), "GET",
                   "/v1/hotels/" + h.id + "/rooms?check_in=" + day(-2) + "&check_out=" + day(1))
                  .status,
              422);
    EXPECT_EQ(call(port(), "GET",
                   "/v1/hotels/00000000-0000-0000-0000-000000000000/rooms?check_in=" + day(3) +
                       "&check_out=" + day(5))
                  .status,
              404);
}

TEST_F(Shopping, OffersHaveTheirOwnPathAndTheStayFormOfRoomsIsDeprecated) {
    auto h = hotel("Paths", "Pathville", "70.00");
    sync();
    const auto stay = "check_in=" + day(3) + "&check_out=" + day(5) + "&guests=2";
    const auto offers = call(port(), "GET", "/v1/hotels/" + h.id + "/offers?" + stay);
    ASSERT_EQ(offers.status, 200) << offers.body;
    EXPECT_EQ(s(json_of(offers).at("items").as_array()[0].at("offers").as_array()[0].at("total").at(
                  "amount")),
              "140.00");
    EXPECT_FALSE(offers.header("deprecation")) << "the new path is not deprecated";
    // The old form answers the same, and says where to go.
    const auto old = call(port(), "GET", "/v1/hotels/" + h.id + "/rooms?" + stay);
    ASSERT_EQ(old.status, 200);
    EXPECT_EQ(old.body, offers.body);
    EXPECT_EQ(old.header("deprecation").value_or(""), "@1795996800");
    EXPECT_EQ(old.header("link").value_or(""),
              "</v1/hotels/" + h.id + "/offers>; rel=\"successor-version\"");
    // The staff form of /rooms is not deprecated.
    EXPECT_FALSE(
        call(port(), "GET", "/v1/hotels/" + h.id + "/rooms", admin_).header("deprecation"));
    // Bad input on the new path.
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + h.id + "/offers").status, 400)
        << "a stay is required";
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + h.id + "/offers?check_in=" + day(3)).status, 400);
    EXPECT_EQ(call(port(), "GET",
                   "/v1/hotels/" + h.id + "/offers?check_in=" + day(3) + "&check_out=" + day(5) +
                       "&guests=51")
                  .status,
              400);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/not-a-uuid/offers?" + stay).status, 404);
    EXPECT_EQ(call(port(), "GET",
                   "/v1/hotels/" + h.id + "/offers?check_in=" + day(5) + "&check_out=" + day(5))
                  .status,
              422);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/00000000-0000-0000-0000-000000000000/offers?" + stay)
                  .status,
              404);
}

TEST_F(Shopping, DestinationsMatchAPrefixWithoutCaseOrAccents) {
    auto make = [&](const std::string& name, const std::string& city, const std::string& country) {
        admin("POST", "/v1/hotels",
              {{"name", name},
               {"city", city},
               {"country", country},
               {"timezone", "America/Sao_Paulo"},
               {"currency", "BRL"}});
    };
    make("Um", "São Paulo", "BR");
    make("Dois", "São Paulo", "BR");
    make("Tres", "Sao Paulo", "BR");
    make("Quatro", "Salvador", "BR");
    make("Cinco", "Lisbon", "PT");
    auto lookup = [&](const std::string& q) {
        auto r = call(port(), "GET", "/v1/destinations?q=" + q);
        EXPECT_EQ(r.status, 200) << q << ": " << r.body;
        std::vector<std::string> out;
        const auto page = json_of(r);
        for (const auto& i : page.at("items").as_array())
            out.push_back(s(i.at("city")) + "/" + s(i.at("country")) + "/" +
                          std::to_string(i.at("hotels").as_int64()));
        return out;
    };
    EXPECT_EQ(lookup("sa"), (std::vector<std::string>{"São Paulo/BR/3", "Salvador/BR/1"}))
        << "one entry per city whatever its accents, the biggest first";
    EXPECT_EQ(lookup("S%C3%83O"), (std::vector<std::string>{"São Paulo/BR/3"}));
    EXPECT_EQ(lookup("sao+p"), (std::vector<std::string>{"São Paulo/BR/3"}));
    EXPECT_EQ(lookup("LIS"), (std::vector<std::string>{"Lisbon/PT/1"}));
    EXPECT_TRUE(lookup("paulo").empty()) << "a prefix, not a substring";
    EXPECT_TRUE(lookup("%25").empty()) << "% is a plain character";
    EXPECT_TRUE(lookup("_").empty()) << "_ is a plain character";
    EXPECT_EQ(call(port(), "GET", "/v1/destinations").status, 400);
    EXPECT_EQ(call(port(), "GET", "/v1/destinations?q=").status, 400);
    EXPECT_EQ(call(port(), "GET", "/v1/destinations?q=" + std::string(101, 'a')).status, 400);
}

// --- the property test ---------------------------------------------------------------------------

namespace {

struct Rate {
    std::optional<long long> price;
    std::optional<int> min_stay, max_stay;
    bool cta = false, ctd = false, stop = false;
};

// Brute force, from the raw tables: rooms free for the whole stay, and sellable totals per plan.
struct Expected {
    std::map<std::string, int> available;                            // type → free rooms
    std::map<std::string, std::map<std::string, long long>> totals;  // type → plan → total
};

}  // namespace

TEST_F(Shopping, SearchAndOffersAgreeWithBruteForce) {
    auto h = hotel("Prop", "Propville", "100.00", {{"A", 2, 3}, {"B", 4, 2}});
    const auto base = "/v1/hotels/" + h.id;
    h.plans["FLEX"] = s(admin("POST", base + "/rate-plans",
                              {{"code", "FLEX"},
                               {"name", "F"},
                               {"refundable", true},
                               {"free_cancellation_hours", 24},
                               {"penalty", "first_night"}})
                            .at("id"));
    for (const auto& [code, type] : h.types)
        admin("PUT", base + "/rates",
              {{"room_type_id", type},
               {"rate_plan_id", h.plans["FLEX"]},
               {"from", day(0)},
               {"to", day(40)},
               {"price", "120.00"}});
    const std::string guest = [&] {
        register_user(port(), "prop@example.com", "guest password 123");
        return login(port(), "prop@example.com", "guest password 123");
    }();
    std::mt19937 rng(20261130);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::vector<std::string> booking_ids;
    const auto clock = *core::HotelClock::for_zone("Europe/Lisbon");
    const auto today = lisbon_today();
    int compared = 0, bookings_made = 0, front_office = 0;
    std::map<std::string, int> arrival;  // booking → its arrival, in days from today
    std::vector<std::string> in_house;   // checked in, not out yet
    int added_rooms = 0;
    auto any_of = [&](const auto& items) {
        auto it = items.begin();
        std::advance(it, pick(0, static_cast<int>(items.size()) - 1));
        return *it;
    };

    for (int op = 0; op < 1000; ++op) {
        const int kind = pick(0, 13);
        const std::string type_code = pick(0, 1) ? "A" : "B";
        const std::string plan_code = pick(0, 1) ? "NRF" : "FLEX";
        if (kind <= 3) {  // book
            const int from = pick(0, 25), nights = pick(1, 4);
            json::object b{{"hotel_id", h.id},
                           {"room_type_id", h.types[type_code]},
                           {"rate_plan_id", h.plans[plan_code]},
                           {"check_in", day(from)},
                           {"check_out", day(from + nights)},
                           {"guests", pick(1, 4)}};
            auto r = call(port(), "POST", "/v1/bookings", guest, json::serialize(b));
            ASSERT_TRUE(r.status == 201 || r.status == 409 || r.status == 422)
                << r.status << " " << r.body;
            if (r.status == 201) {
                booking_ids.push_back(s(json_of(r).at("id")));
                arrival[booking_ids.back()] = from;
                ++bookings_made;
            }
        } else if (kind == 4 && !booking_ids.empty()) {  // modify: new dates, maybe another type
            const auto i =
                static_cast<std::size_t>(pick(0, static_cast<int>(booking_ids.size()) - 1));
            const int from = pick(0, 25), nights = pick(1, 4);
            json::object m{{"check_in", day(from)}, {"check_out", day(from + nights)}};
            if (pick(0, 1))
                m["room_type_id"] = h.types[type_code];
            // As staff: a guest may not change a non-refundable booking.
            auto r =
                call(port(), "PUT", "/v1/bookings/" + booking_ids[i], admin_, json::serialize(m));
            ASSERT_TRUE(r.status == 200 || r.status == 409 || r.status == 422)
                << r.status << " " << r.body;
            if (r.status == 200)
                arrival[booking_ids[i]] = from;
        } else if (kind <= 5 && !booking_ids.empty()) {  // cancel
            const auto i =
                static_cast<std::size_t>(pick(0, static_cast<int>(booking_ids.size()) - 1));
            auto r = call(port(), "DELETE", "/v1/bookings/" + booking_ids[i], guest);
            ASSERT_TRUE(r.status == 200 || r.status == 409) << r.body;
            booking_ids.erase(booking_ids.begin() + static_cast<long>(i));
        } else if (kind == 6) {  // out of service
            auto it = h.rooms.begin();
            std::advance(it, pick(0, static_cast<int>(h.rooms.size()) - 1));
            const int from = pick(0, 30);
            auto r =
                call(port(), "POST", base + "/rooms/" + it->second + "/out-of-service", admin_,
                     json::serialize(json::object{
                         {"from", day(from)}, {"to", day(from + pick(1, 3))}, {"reason", "r"}}));
            ASSERT_TRUE(r.status == 201 || r.status == 409) << r.body;
        } else if (kind == 10 && !booking_ids.empty()) {  // a room move (the tape chart's drag)
            const auto& id = any_of(booking_ids);
            const auto& room = any_of(h.rooms).second;
            auto r = call(port(), "POST", "/v1/bookings/" + id + "/move", admin_,
                          json::serialize(json::object{{"room_id", room}}));
            ASSERT_TRUE(r.status == 200 || r.status == 409 || r.status == 422)
                << r.status << " " << r.body;
            front_office += r.status == 200;
        } else if (kind == 11) {  // the front desk: arrivals, in-house changes, early departures
            std::vector<std::string> arriving;
            for (const auto& id : booking_ids)
                if (arrival[id] == 0)
                    arriving.push_back(id);
            if (!arriving.empty() && pick(0, 1)) {
                const auto id = any_of(arriving);
                auto r = call(port(), "POST", "/v1/bookings/" + id + "/check-in", admin_,
                              R"({"force": true})");
                ASSERT_TRUE(r.status == 200 || r.status == 409) << r.status << " " << r.body;
                if (r.status == 200) {
                    in_house.push_back(id);
                    arrival[id] = -1;
                }
            } else if (!in_house.empty()) {
                const auto i =
                    static_cast<std::size_t>(pick(0, static_cast<int>(in_house.size()) - 1));
                HttpResponse r;
                if (pick(0, 1)) {  // extend or shorten
                    json::object m{{"check_in", day(0)}, {"check_out", day(pick(1, 6))}};
                    r = call(port(), "PUT", "/v1/bookings/" + in_house[i], admin_,
                             json::serialize(m));
                    ASSERT_TRUE(r.status == 200 || r.status == 409 || r.status == 422)
                        << r.status << " " << r.body;
                } else {  // leaves today: the nights after are released
                    r = call(port(), "POST", "/v1/bookings/" + in_house[i] + "/check-out", admin_);
                    ASSERT_EQ(r.status, 200) << r.body;
                    in_house.erase(in_house.begin() + static_cast<long>(i));
                }
                front_office += r.status == 200;
            }
        } else if (kind == 12) {  // catalogue edits: a room added, retired, or given another type
            const int edit = pick(0, 2);
            auto [number, room] = any_of(h.rooms);
            if (edit == 0 || h.rooms.size() < 3) {
                const auto code = pick(0, 1) ? "A" : "B";
                const auto added = std::string("N") + std::to_string(++added_rooms);
                h.rooms[added] = s(admin("POST", base + "/rooms",
                                         {{"number", added}, {"room_type_id", h.types[code]}})
                                       .at("id"));
            } else if (edit == 1) {
                auto r = call(port(), "DELETE", base + "/rooms/" + room, admin_);
                ASSERT_TRUE(r.status == 204 || r.status == 409) << r.status << " " << r.body;
                if (r.status == 204)
                    h.rooms.erase(number);
                front_office += r.status == 204;
            } else {
                const auto code = pick(0, 1) ? "A" : "B";
                auto r = call(port(), "PATCH", base + "/rooms/" + room, admin_,
                              json::serialize(json::object{{"room_type_id", h.types[code]}}));
                ASSERT_TRUE(r.status == 200 || r.status == 409) << r.status << " " << r.body;
                front_office += r.status == 200;
            }
        } else {  // change a rate or a restriction on one day
            json::object u{{"room_type_id", h.types[type_code]},
                           {"rate_plan_id", h.plans[plan_code]}};
            const int d = pick(0, 32);
            u["from"] = day(d);
            u["to"] = day(d + 1);
            switch (pick(0, 6)) {
                case 0:
                    u["price"] = nullptr;
                    break;
                case 1:
                    u["price"] = std::to_string(pick(50, 200)) + ".00";
                    break;
                case 2:
                    u["stop_sell"] = static_cast<bool>(pick(0, 1));
                    break;
                case 3:
                    u["min_stay"] = pick(0, 2) ? json::value(pick(1, 3)) : json::value(nullptr);
                    u["max_stay"] = nullptr;
                    break;
                case 4:
                    u["max_stay"] = pick(0, 2) ? json::value(pick(3, 5)) : json::value(nullptr);
                    u["min_stay"] = nullptr;
                    break;
                case 5:
                    u["closed_to_arrival"] = static_cast<bool>(pick(0, 1));
                    break;
                default:
                    u["closed_to_departure"] = static_cast<bool>(pick(0, 1));
                    break;
            }
            auto r = call(port(), "PUT", base + "/rates", admin_, json::serialize(u));
            ASSERT_EQ(r.status, 200) << r.body;
        }

        // Compare one random query with brute force.
        const int from = pick(0, 28), nights = pick(1, 4), guests = pick(1, 4);
        const auto ci = core::add_days(today, from), co = core::add_days(today, from + nights);
        const auto starts = clock.instant_of(ci, {15, 0});
        const auto ends = clock.instant_of(co, {11, 0});
        Expected expected;
        {
            auto c = db_->connect();
            auto rooms = c.query(
                "SELECT r.id, t.code, t.max_occupancy FROM rooms r JOIN room_types t ON t.id = "
                "r.room_type_id "
                "WHERE r.hotel_id = $1 AND r.retired_at IS NULL",
                {h.id});
            auto held = c.query(
                "SELECT room_id, extract(epoch FROM lower(period))::int8, extract(epoch FROM "
                "upper(period))::int8 "
                "FROM bookings WHERE hotel_id = $1 AND status IN "
                "('confirmed','checked_in','checked_out')",
                {h.id});
            const long long s0 = starts.time_since_epoch().count(),
                            s1 = ends.time_since_epoch().count();
            std::set<std::string> busy;
            for (int i = 0; i < held.size(); ++i) {
                const long long a = std::stoll(std::string(held.text(i, 1))),
                                b = std::stoll(std::string(held.text(i, 2)));
                if (a < s1 && s0 < b)
                    busy.insert(std::string(held.text(i, 0)));
            }
            std::map<std::string, int> occupancy;
            for (int i = 0; i < rooms.size(); ++i) {
                const std::string code(rooms.text(i, 1));
                occupancy[code] = std::stoi(std::string(rooms.text(i, 2)));
                if (!busy.count(std::string(rooms.text(i, 0))))
                    ++expected.available[code];
            }
            auto rates = c.query(
                "SELECT t.code, p.code, (r.date - $2::date)::int4, r.price_minor, r.min_stay, "
                "r.max_stay, "
                "r.closed_to_arrival, r.closed_to_departure, r.stop_sell FROM daily_rates r "
                "JOIN room_types t ON t.id = r.room_type_id JOIN rate_plans p ON p.id = "
                "r.rate_plan_id "
                "WHERE r.hotel_id = $1 AND r.date BETWEEN $2::date AND $3::date",
                {h.id, core::format_date(ci), core::format_date(co)});
            std::map<std::pair<std::string, std::string>, std::map<int, Rate>> grid;
            for (int i = 0; i < rates.size(); ++i) {
                Rate r;
                if (auto p = rates.get(i, 3))
                    r.price = std::stoll(std::string(*p));
                if (auto m = rates.get(i, 4))
                    r.min_stay = std::stoi(std::string(*m));
                if (auto m = rates.get(i, 5))
                    r.max_stay = std::stoi(std::string(*m));
                r.cta = rates.text(i, 6) == "t";
                r.ctd = rates.text(i, 7) == "t";
                r.stop = rates.text(i, 8) == "t";
                grid[{std::string(rates.text(i, 0)), std::string(rates.text(i, 1))}]
                    [std::stoi(std::string(rates.text(i, 2)))] = r;
            }
            for (const auto& [code, occ] : occupancy) {
                if (occ < guests || expected.available[code] < 1)
                    continue;
                for (const std::string plan : {"NRF", "FLEX"}) {
                    auto& days = grid[{code, plan}];
                    bool ok = true;
                    long long total = 0;
                    for (int n = 0; n < nights && ok; ++n) {
                        auto it = days.find(n);
                        if (it == days.end() || !it->second.price || it->second.stop)
                            ok = false;
                        else
                            total += *it->second.price;
                    }
                    if (ok) {
                        const auto& a = days[0];
                        if ((a.min_stay && nights < *a.min_stay) ||
                            (a.max_stay && nights > *a.max_stay) || a.cta)
                            ok = false;
                        if (auto d = days.find(nights); d != days.end() && d->second.ctd)
                            ok = false;
                    }
                    if (ok)
                        expected.totals[code][plan] = total;
                }
            }
        }

        // Offers.
        sync();
        auto offers = json_of(call(port(), "GET",
                                   base + "/rooms?check_in=" + core::format_date(ci) +
                                       "&check_out=" + core::format_date(co) +
                                       "&guests=" + std::to_string(guests)));
        std::map<std::string, std::map<std::string, long long>> got_totals;
        for (const auto& item : offers.at("items").as_array()) {
            const auto code = s(item.at("room_type").at("code"));
            EXPECT_EQ(item.at("available").as_int64(), expected.available[code])
                << "op " << op << " type " << code;
            for (const auto& o : item.at("offers").as_array()) {
                const auto amount = s(o.at("total").at("amount"));
                got_totals[code][s(o.at("rate_plan").at("code"))] =
                    std::stoll(amount.substr(0, amount.find('.'))) * 100 +
                    std::stoll(amount.substr(amount.find('.') + 1));
            }
        }
        ASSERT_EQ(got_totals, expected.totals) << "offers differ at op " << op;
        // Search: listed exactly when some offer exists, from the lowest total.
        auto found = search("city=Propville&check_in=" + core::format_date(ci) + "&check_out=" +
                            core::format_date(co) + "&guests=" + std::to_string(guests));
        long long lowest = -1;
        for (const auto& [code, plans] : expected.totals)
            for (const auto& [plan, total] : plans)
                if (lowest < 0 || total < lowest)
                    lowest = total;
        ASSERT_EQ(found.at("total").as_int64(), lowest < 0 ? 0 : 1)
            << "search differs at op " << op;
        if (lowest >= 0) {
            const auto from_price =
                s(found.at("items").as_array()[0].at("from_price").at("amount"));
            ASSERT_EQ(std::stoll(from_price.substr(0, from_price.find('.'))) * 100 +
                          std::stoll(from_price.substr(from_price.find('.') + 1)),
                      lowest)
                << "from_price differs at op " << op;
        }
        ++compared;
    }
    EXPECT_EQ(compared, 1000);
    EXPECT_GT(bookings_made, 50) << "the walk exercised bookings";
    EXPECT_GT(front_office, 30) << "and moves, in-house changes and catalogue edits";
}
