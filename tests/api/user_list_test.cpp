// GET /v1/users as clients see it: admins only, filters, cursor pages, and bad input named per
// parameter. A real hoteld on real PostgreSQL.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "api_client.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;

namespace {

const std::string kHotelA = "00000000-0000-0000-0000-00000000000a";
const std::string kHotelB = "00000000-0000-0000-0000-00000000000b";

class UserList : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        server_ = std::make_unique<Hoteld>(*db_);
        auto c = db_->connect();
        c.run_script("INSERT INTO hotels (id, name, city, country, timezone, currency) VALUES ('" +
                     kHotelA + "', 'A', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR'), ('" + kHotelB +
                     "', 'B', 'Porto', 'PT', 'Europe/Lisbon', 'EUR')");
        admin_ = admin_token(*db_, port());
        ASSERT_FALSE(admin_.empty());
    }
    unsigned short port() const { return server_->port(); }

    void create(const std::string& email, const std::string& role, const std::string& hotel) {
        json::object o{
            {"email", email}, {"password", "long enough password"}, {"name", "N"}, {"role", role}};
        if (!hotel.empty())
            o["hotel_ids"] = json::array{json::value(hotel)};
        auto r = call(port(), "POST", "/v1/users", admin_, json::serialize(o));
        ASSERT_EQ(r.status, 201) << r.body;
    }

    // The emails of a 200 answer, in order.
    std::vector<std::string> emails(const std::string& query) {
        auto r = call(port(), "GET", "/v1/users" + query, admin_);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> out;
        const auto body = json_of(r);
        for (const auto& u : body.at("items").as_array())
            out.emplace_back(u.at("email").as_string());
        return out;
    }

    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
    std::string admin_;
};

// The field the first error of a 400 names.
std::string field_of(const HttpResponse& r) {
    auto v = json_of(r);
    if (!v.is_object() || !v.as_object().contains("errors"))
        return "";
    return std::string(v.at("errors").as_array().at(0).at("field").as_string());
}

}  // namespace

TEST_F(UserList, OnlyAdminsListUsers) {
    create("guest@example.com", "guest", "");
    create("staff@example.com", "staff", kHotelA);
    create("manager@example.com", "manager", kHotelA);
    for (const auto* email : {"guest@example.com", "staff@example.com", "manager@example.com"}) {
        const auto token = login(port(), email, "long enough password");
        ASSERT_FALSE(token.empty());
        auto r = call(port(), "GET", "/v1/users", token);
        EXPECT_EQ(r.status, 403) << email << ": " << r.body;
        EXPECT_EQ(code_of(r), "forbidden");
        // Refused before the query is read: bad parameters do not change the answer.
        EXPECT_EQ(call(port(), "GET", "/v1/users?limit=0", token).status, 403);
    }
    auto anonymous = call(port(), "GET", "/v1/users");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(code_of(anonymous), "unauthorized");

    auto r = call(port(), "GET", "/v1/users", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto page = json_of(r).as_object();
    EXPECT_EQ(page.at("limit").as_int64(), 50);
    EXPECT_FALSE(page.at("has_more").as_bool());
    // The admin and the three created, in email order, with role, hotels and status; never a
    // password hash.
    const auto& items = page.at("items").as_array();
    ASSERT_EQ(items.size(), 4u);
    EXPECT_EQ(items[0].at("email").as_string(), "admin@example.com");
    EXPECT_EQ(items[3].at("email").as_string(), "staff@example.com");
    EXPECT_EQ(items[3].at("role").as_string(), "staff");
    EXPECT_EQ(items[3].at("hotel_ids").as_array().at(0).as_string(), kHotelA);
    EXPECT_FALSE(items[3].at("disabled").as_bool());
    EXPECT_EQ(r.body.find("password"), std::string::npos);
    EXPECT_EQ(page.at("next_cursor").as_string(), items[3].at("id").as_string());
}

TEST_F(UserList, FiltersByRoleHotelAndEmailPrefix) {
    create("ana@example.com", "staff", kHotelA);
    create("bea@example.com", "staff", kHotelB);
    create("carl@example.com", "manager", kHotelA);
    create("anton@example.com", "guest", "");
    EXPECT_EQ(emails("?role=staff"),
              (std::vector<std::string>{"ana@example.com", "bea@example.com"}));
    EXPECT_EQ(emails("?hotel_id=" + kHotelA),
              (std::vector<std::string>{"ana@example.com", "carl@example.com"}));
    EXPECT_EQ(emails("?role=manager&hotel_id=" + kHotelA),
              (std::vector<std::string>{"carl@example.com"}));
    // The prefix ignores case, as emails do.
    EXPECT_EQ(emails("?email=AN"),
              (std::vector<std::string>{"ana@example.com", "anton@example.com"}));
    // Nothing matches: an empty page and no cursor.
    auto none = call(port(), "GET", "/v1/users?email=zz", admin_);
    ASSERT_EQ(none.status, 200);
    const auto none_page = json_of(none);
    EXPECT_TRUE(none_page.at("items").as_array().empty());
    EXPECT_TRUE(none_page.at("next_cursor").is_null());
}

TEST_F(UserList, PagesFollowTheCursorWithoutGapsOrRepeats) {
    for (int i = 0; i < 7; ++i)
        create("page" + std::to_string(i) + "@example.com", "guest", "");
    std::set<std::string> seen;
    std::string query = "?email=page&limit=3";
    std::vector<std::size_t> sizes;
    for (int round = 0; round < 5; ++round) {
        auto r = call(port(), "GET", "/v1/users" + query, admin_);
        ASSERT_EQ(r.status, 200) << r.body;
        const auto page = json_of(r).as_object();
        EXPECT_EQ(page.at("limit").as_int64(), 3);
        const auto& items = page.at("items").as_array();
        sizes.push_back(items.size());
        for (const auto& u : items)
            EXPECT_TRUE(seen.insert(std::string(u.at("email").as_string())).second);
        if (!page.at("has_more").as_bool())
            break;
        query = "?email=page&limit=3&after=" + std::string(page.at("next_cursor").as_string());
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 1}));
    EXPECT_EQ(seen.size(), 7u);
    // A cursor that names no user: an empty page.
    auto stale =
        call(port(), "GET", "/v1/users?after=00000000-0000-0000-0000-0000000000ff", admin_);
    ASSERT_EQ(stale.status, 200);
    EXPECT_TRUE(json_of(stale).at("items").as_array().empty());
}

TEST_F(UserList, BadParametersAre400NamingTheParameter) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"?role=owner", "role"},
        {"?hotel_id=nope", "hotel_id"},
        {"?after=12", "after"},
        {"?limit=0", "limit"},
        {"?limit=101", "limit"},
        {"?limit=ten", "limit"},
        {"?email=" + std::string(255, 'a'), "email"},
    };
    for (const auto& [query, field] : cases) {
        auto r = call(port(), "GET", "/v1/users" + query, admin_);
        EXPECT_EQ(r.status, 400) << query << ": " << r.body;
        EXPECT_EQ(code_of(r), "validation_failed") << query;
        EXPECT_EQ(field_of(r), field) << query;
    }
    EXPECT_EQ(call(port(), "GET", "/v1/users?limit=100", admin_).status, 200);
}
