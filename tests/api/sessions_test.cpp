// Sessions and revocation (issue 10 item 5, item 7): refresh tokens that rotate, logout,
// PATCH /v1/users/{id}, and access tokens that stop working when their account changes.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "api_client.hpp"

using namespace hotel::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

const std::string kHotelA = "00000000-0000-0000-0000-00000000000a";

json::object login_body(unsigned short port, const std::string& email,
                        const std::string& password) {
    auto r = call(port, "POST", "/v1/auth/login", "",
                  json::serialize(json::object{{"email", email}, {"password", password}}));
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = json_of(r);
    return v.is_object() ? v.as_object() : json::object{};
}

std::string str(const json::object& o, const char* field) {
    auto it = o.find(field);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

HttpResponse refresh(unsigned short port, const std::string& token) {
    return call(port, "POST", "/v1/auth/refresh", "",
                json::serialize(json::object{{"refresh_token", token}}));
}

HttpResponse logout(unsigned short port, const std::string& token) {
    return call(port, "POST", "/v1/auth/logout", "",
                json::serialize(json::object{{"refresh_token", token}}));
}

std::string user_id_of(unsigned short port, const std::string& token) {
    return std::string(json_of(call(port, "GET", "/v1/me", token)).at("id").as_string());
}

void insert_hotel(const TestDatabase& db) {
    auto c = db.connect();
    c.run_script("INSERT INTO hotels (id, name, city, country, timezone, currency) VALUES ('" +
                 kHotelA + "', 'A', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR')");
}

}  // namespace

TEST(Sessions, RefreshTokensRotateAndReuseRevokesTheFamily) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    ASSERT_EQ(register_user(port, "ray@example.com", "long enough password").status, 201);
    auto first = login_body(port, "ray@example.com", "long enough password");
    // The login keeps its fields and adds the refresh token.
    EXPECT_EQ(str(first, "token_type"), "Bearer");
    EXPECT_EQ(first.at("expires_in").as_int64(), 900);
    EXPECT_EQ(first.at("refresh_expires_in").as_int64(), 14 * 86400);
    const auto r1 = str(first, "refresh_token");
    ASSERT_GE(r1.size(), 43u);

    auto second = refresh(port, r1);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.header("cache-control").value_or(""), "no-store");
    const auto body = json_of(second).as_object();
    const auto r2 = str(body, "refresh_token");
    EXPECT_NE(r2, r1);
    EXPECT_EQ(call(port, "GET", "/v1/me", str(body, "access_token")).status, 200);

    // Only hashes are stored.
    {
        auto c = db.connect();
        auto rows =
            c.query("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1 OR token_hash = $2",
                    {r1, r2});
        EXPECT_EQ(std::string(rows.text(0, 0)), "0");
    }

    // Presenting the rotated token again: someone holds a copy. 401, and the family is gone.
    auto replay = refresh(port, r1);
    EXPECT_EQ(replay.status, 401);
    EXPECT_EQ(code_of(replay), "unauthorized");
    auto successor = refresh(port, r2);
    EXPECT_EQ(successor.status, 401) << "the whole family is revoked";

    // Unknown and malformed tokens.
    EXPECT_EQ(refresh(port, "not-a-token").status, 401);
    EXPECT_EQ(call(port, "POST", "/v1/auth/refresh", "", "{}").status, 400);
    EXPECT_EQ(call(port, "POST", "/v1/auth/refresh", "", R"({"refresh_token":5})").status, 400);
}

TEST(Sessions, ConcurrentUsesOfOneRefreshTokenRotateItOnceAtMost) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    ASSERT_EQ(register_user(port, "twin@example.com", "long enough password").status, 201);
    const auto token =
        str(login_body(port, "twin@example.com", "long enough password"), "refresh_token");
    std::vector<HttpResponse> answers(8);
    std::vector<std::thread> clients;
    std::atomic<bool> go{false};
    for (std::size_t i = 0; i < answers.size(); ++i)
        clients.emplace_back([&, i] {
            while (!go.load())
                std::this_thread::yield();
            answers[i] = refresh(port, token);
        });
    go = true;
    for (auto& t : clients)
        t.join();
    const auto ok = std::count_if(answers.begin(), answers.end(),
                                  [](const HttpResponse& r) { return r.status == 200; });
    const auto refused = std::count_if(answers.begin(), answers.end(),
                                       [](const HttpResponse& r) { return r.status == 401; });
    EXPECT_LE(ok, 1);
    EXPECT_EQ(ok + refused, 8);
    // Every other use was a reuse: the family is revoked, the winner's successor included.
    for (const auto& r : answers) {
        if (r.status == 200) {
            EXPECT_EQ(refresh(port, str(json_of(r).as_object(), "refresh_token")).status, 401);
        }
    }
}

TEST(Sessions, LogoutEndsTheSessionAndOnlyThatOne) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    ASSERT_EQ(register_user(port, "lou@example.com", "long enough password").status, 201);
    const auto laptop =
        str(login_body(port, "lou@example.com", "long enough password"), "refresh_token");
    const auto phone =
        str(login_body(port, "lou@example.com", "long enough password"), "refresh_token");
    auto out = logout(port, laptop);
    EXPECT_EQ(out.status, 204) << out.body;
    EXPECT_TRUE(out.body.empty());
    EXPECT_EQ(refresh(port, laptop).status, 401);
    EXPECT_EQ(logout(port, laptop).status, 204) << "logging out twice is fine";
    EXPECT_EQ(logout(port, "never-issued").status, 204);
    EXPECT_EQ(refresh(port, phone).status, 200) << "the other session lives on";
}

TEST(Sessions, ADemotedManagersTokenIsRefusedOnEveryNodeWithin5Seconds) {
    TestDatabase db;
    insert_hotel(db);
    Hoteld node_a(db);
    Hoteld node_b(db);
    const auto admin = admin_token(db, node_a.port());
    ASSERT_FALSE(admin.empty());
    auto created = call(node_a.port(), "POST", "/v1/users", admin,
                        json::serialize(json::object{{"email", "mia@example.com"},
                                                     {"password", "long enough password"},
                                                     {"name", "Mia"},
                                                     {"role", "manager"},
                                                     {"hotel_ids", json::array{kHotelA.c_str()}}}));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(json_of(created).at("disabled").as_bool(), false);
    const std::string id(json_of(created).at("id").as_string());
    const auto old_token =
        str(login_body(node_a.port(), "mia@example.com", "long enough password"), "access_token");
    // Node B knows the manager (and caches what it read).
    const std::string rename = R"({"name":"Renamed by the manager"})";
    ASSERT_EQ(call(node_b.port(), "PATCH", "/v1/hotels/" + kHotelA, old_token, rename).status, 200);
    ASSERT_EQ(call(node_a.port(), "GET", "/v1/me", old_token).status, 200);

    auto demoted = call(node_a.port(), "PATCH", "/v1/users/" + id, admin, R"({"role":"guest"})");
    ASSERT_EQ(demoted.status, 200) << demoted.body;
    const auto changed_at = std::chrono::steady_clock::now();
    EXPECT_EQ(json_of(demoted).at("role").as_string(), "guest");
    EXPECT_TRUE(json_of(demoted).at("hotel_ids").as_array().empty());

    // The node that made the change refuses the old token at once.
    auto here = call(node_a.port(), "GET", "/v1/me", old_token);
    EXPECT_EQ(here.status, 401);
    EXPECT_EQ(code_of(here), "unauthorized");
    // The other node within 5 seconds (bounded poll; generous deadline for a loaded machine).
    std::optional<std::chrono::steady_clock::duration> refused_after;
    for (int i = 0; i < 200 && !refused_after; ++i) {
        auto r = call(node_b.port(), "PATCH", "/v1/hotels/" + kHotelA, old_token, rename);
        if (r.status == 401)
            refused_after = std::chrono::steady_clock::now() - changed_at;
        else
            ASSERT_EQ(r.status, 200) << r.body;
        if (std::chrono::steady_clock::now() - changed_at > 15s)
            break;
        std::this_thread::sleep_for(50ms);
    }
    ASSERT_TRUE(refused_after) << "node B still accepts the demoted manager's token";
    EXPECT_LE(*refused_after, 5s);

    // A new login carries the new role.
    const auto new_token =
        str(login_body(node_b.port(), "mia@example.com", "long enough password"), "access_token");
    EXPECT_EQ(json_of(call(node_b.port(), "GET", "/v1/me", new_token)).at("role").as_string(),
              "guest");
    EXPECT_EQ(call(node_b.port(), "PATCH", "/v1/hotels/" + kHotelA, new_token, rename).status, 403);
}

TEST(Sessions, ADisabledUserIsRefusedEverywhere) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    const auto admin = admin_token(db, port);
    ASSERT_EQ(register_user(port, "dora@example.com", "long enough password").status, 201);
    auto session = login_body(port, "dora@example.com", "long enough password");
    const auto access = str(session, "access_token");
    const auto id = user_id_of(port, access);

    auto off = call(port, "PATCH", "/v1/users/" + id, admin, R"({"disabled":true})");
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_TRUE(json_of(off).at("disabled").as_bool());
    auto me = call(port, "GET", "/v1/me", access);
    EXPECT_EQ(me.status, 401);
    EXPECT_EQ(code_of(me), "unauthorized");
    EXPECT_EQ(refresh(port, str(session, "refresh_token")).status, 401);
    auto again = call(port, "POST", "/v1/auth/login", "",
                      R"({"email":"dora@example.com","password":"long enough password"})");
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(code_of(again), "invalid_credentials");

    ASSERT_EQ(call(port, "PATCH", "/v1/users/" + id, admin, R"({"disabled":false})").status, 200);
    EXPECT_EQ(call(port, "GET", "/v1/me", access).status, 401) << "the old token stays dead";
    const auto fresh = login(port, "dora@example.com", "long enough password");
    EXPECT_EQ(call(port, "GET", "/v1/me", fresh).status, 200);
}

TEST(Sessions, PatchUsersFollowsTheRules) {
    TestDatabase db;
    insert_hotel(db);
    Hoteld server(db);
    const auto port = server.port();
    const auto admin = admin_token(db, port);
    const auto admin_id = user_id_of(port, admin);
    ASSERT_EQ(register_user(port, "sam@example.com", "long enough password").status, 201);
    const auto guest = login(port, "sam@example.com", "long enough password");
    const auto id = user_id_of(port, guest);
    const auto path = "/v1/users/" + id;

    EXPECT_EQ(call(port, "PATCH", path, "", R"({"role":"admin"})").status, 401);
    EXPECT_EQ(call(port, "PATCH", path, guest, R"({"role":"admin"})").status, 403);
    EXPECT_EQ(call(port, "PATCH", "/v1/users/00000000-0000-0000-0000-0000000000ff", admin,
                   R"({"role":"staff"})")
                  .status,
              404);
    EXPECT_EQ(call(port, "PATCH", "/v1/users/not-a-uuid", admin, R"({"role":"staff"})").status,
              404);
    EXPECT_EQ(call(port, "PATCH", path, admin, "{}").status, 400);
    EXPECT_EQ(call(port, "PATCH", path, admin, R"({"role":"owner"})").status, 400);
    EXPECT_EQ(call(port, "PATCH", path, admin, R"({"password":"x"})").status, 400);
    EXPECT_EQ(call(port, "PATCH", path, admin, R"({"disabled":"yes"})").status, 400);
    EXPECT_EQ(call(port, "PATCH", path, admin, R"({"hotel_ids":[")" + kHotelA + R"("]})").status,
              400)
        << "a guest works for no hotel";
    EXPECT_EQ(call(port, "PATCH", path, admin,
                   R"({"role":"staff","hotel_ids":["00000000-0000-0000-0000-0000000000ff"]})")
                  .status,
              422);
    auto staff =
        call(port, "PATCH", path, admin, R"({"role":"staff","hotel_ids":[")" + kHotelA + R"("]})");
    ASSERT_EQ(staff.status, 200) << staff.body;
    EXPECT_EQ(json_of(staff).at("hotel_ids").as_array().size(), 1u);
    // The hotel scope changes with the token version too.
    const auto staff_token = login(port, "sam@example.com", "long enough password");
    ASSERT_EQ(call(port, "GET", "/v1/hotels/" + kHotelA + "/rooms", staff_token).status, 200);
    ASSERT_EQ(call(port, "PATCH", path, admin, R"({"hotel_ids":[]})").status, 200);
    EXPECT_EQ(call(port, "GET", "/v1/hotels/" + kHotelA + "/rooms", staff_token).status, 401);
    // An admin cannot lock themselves out.
    EXPECT_EQ(call(port, "PATCH", "/v1/users/" + admin_id, admin, R"({"role":"manager"})").status,
              422);
    EXPECT_EQ(call(port, "PATCH", "/v1/users/" + admin_id, admin, R"({"disabled":true})").status,
              422);
}

TEST(Sessions, ATokenOfAUserThatNoLongerExistsIs401) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    ASSERT_EQ(register_user(port, "gone@example.com", "long enough password").status, 201);
    const auto token = login(port, "gone@example.com", "long enough password");
    ASSERT_FALSE(token.empty());
    {
        auto c = db.connect();
        c.run_script("DELETE FROM users WHERE email = 'gone@example.com'");
    }
    const std::string booking =
        R"({"hotel_id":"00000000-0000-0000-0000-00000000000a","room_type_id":"00000000-0000-0000-0000-0000000000a1","rate_plan_id":"00000000-0000-0000-0000-0000000000a2","check_in":"2030-01-01","check_out":"2030-01-03","guests":1})";
    auto placed = call(port, "POST", "/v1/bookings", token, booking);
    EXPECT_EQ(placed.status, 401) << placed.body;
    EXPECT_EQ(code_of(placed), "unauthorized");
    auto me = call(port, "GET", "/v1/me", token);
    EXPECT_EQ(me.status, 401);
    EXPECT_EQ(code_of(me), "unauthorized");
}

// The web app's session (issue 14): the refresh token also travels in a cookie that scripts
// cannot read, sent only to the session endpoints and never from another site; a refresh or a
// logout without a body uses it, and logout clears it.
TEST(Sessions, TheRefreshTokenAlsoTravelsInAnHttpOnlyCookie) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    ASSERT_EQ(register_user(port, "web@example.com", "long enough password").status, 201);
    auto login = call(port, "POST", "/v1/auth/login", "",
                      json::serialize(json::object{{"email", "web@example.com"},
                                                   {"password", "long enough password"}}));
    ASSERT_EQ(login.status, 200) << login.body;
    const auto cookie = login.header("set-cookie").value_or("");
    const auto token = str(json_of(login).as_object(), "refresh_token");
    EXPECT_EQ(cookie.rfind("hotel_refresh=" + token + ";", 0), 0u) << cookie;
    for (const char* attribute :
         {"; Path=/v1/auth", "; HttpOnly", "; Secure", "; SameSite=Strict", "; Max-Age=1209600"})
        EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute << " in " << cookie;

    // A refresh without a body reads the cookie, rotates it, and sets the next one.
    auto refreshed = http_request(port, "POST", "/v1/auth/refresh",
                                  {{"Cookie", "theme=dark; hotel_refresh=" + token}}, "");
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    const auto next = str(json_of(refreshed).as_object(), "refresh_token");
    EXPECT_NE(next, token);
    EXPECT_EQ(refreshed.header("set-cookie").value_or("").rfind("hotel_refresh=" + next + ";", 0),
              0u);
    // The rotated one is spent, as in a body.
    EXPECT_EQ(
        http_request(port, "POST", "/v1/auth/refresh", {{"Cookie", "hotel_refresh=" + token}}, "")
            .status,
        401);
    // No body and no cookie: refused, nothing to refresh.
    EXPECT_EQ(http_request(port, "POST", "/v1/auth/refresh", {}, "").status, 400);
    EXPECT_EQ(
        http_request(port, "POST", "/v1/auth/refresh", {{"Cookie", "hotel_refresh="}}, "").status,
        400);

    // Logout by cookie ends the session and clears the cookie.
    auto again = login_body(port, "web@example.com", "long enough password");
    const auto live = str(again, "refresh_token");
    auto out =
        http_request(port, "POST", "/v1/auth/logout", {{"Cookie", "hotel_refresh=" + live}}, "");
    EXPECT_EQ(out.status, 204) << out.body;
    const auto cleared = out.header("set-cookie").value_or("");
    EXPECT_EQ(cleared.rfind("hotel_refresh=;", 0), 0u) << cleared;
    EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
    EXPECT_EQ(refresh(port, live).status, 401) << "logged out";
}
