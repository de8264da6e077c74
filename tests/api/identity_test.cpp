// Identity and access, as clients see it: a real hoteld, real PostgreSQL, real HTTP.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "api_client.hpp"
#include "http/jwt.hpp"

using namespace hotel;
using namespace hotel::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

class Identity : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>();
        server_ = std::make_unique<Hoteld>(*db_);
    }
    unsigned short port() const { return server_->port(); }
    long long user_count() {
        auto c = db_->connect();
        return std::stoll(std::string(c.query("SELECT count(*) FROM users").text(0, 0)));
    }
    std::unique_ptr<TestDatabase> db_;
    std::unique_ptr<Hoteld> server_;
};

http::JwtCodec codec_with(const std::string& secret) {
    http::JwtSettings s;
    s.secret = secret;
    return http::JwtCodec(s);
}

std::string b64(const std::string& s) {
    return http::base64url_encode(s);
}

}  // namespace

TEST_F(Identity, RegisterLoginAndMe) {
    auto reg = register_user(port(), "  Alice@Example.COM ", "correct horse battery", "Alice");
    ASSERT_EQ(reg.status, 201) << reg.body;
    auto user = json_of(reg).as_object();
    EXPECT_EQ(user.at("email").as_string(), "alice@example.com");
    EXPECT_EQ(user.at("name").as_string(), "Alice");
    EXPECT_EQ(user.at("role").as_string(), "guest");
    EXPECT_FALSE(user.contains("password_hash"));

    auto login_r = call(port(), "POST", "/v1/auth/login", "",
                        R"({"email":"ALICE@example.com","password":"correct horse battery"})");
    ASSERT_EQ(login_r.status, 200) << login_r.body;
    auto tok = json_of(login_r).as_object();
    EXPECT_EQ(tok.at("token_type").as_string(), "Bearer");
    EXPECT_EQ(tok.at("expires_in").as_int64(), 900);
    const std::string token(tok.at("access_token").as_string());

    auto me = call(port(), "GET", "/v1/me", token);
    ASSERT_EQ(me.status, 200) << me.body;
    auto m = json_of(me).as_object();
    EXPECT_EQ(m.at("id").as_string(), user.at("id").as_string());
    EXPECT_EQ(m.at("email").as_string(), "alice@example.com");
    EXPECT_EQ(m.at("role").as_string(), "guest");
    EXPECT_TRUE(m.at("hotel_ids").as_array().empty());
}

TEST_F(Identity, DuplicateEmailInAnyCaseIs409) {
    ASSERT_EQ(register_user(port(), "bob@example.com", "long enough password").status, 201);
    auto again = register_user(port(), "BOB@Example.com", "another long password");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(code_of(again), "email_taken");
    EXPECT_EQ(user_count(), 1);
}

TEST_F(Identity, BadRegistrationsAreRefusedAndStoreNothing) {
    struct Case {
        std::string body;
        int status;
        std::string code;
        std::string field;
    };
    const std::vector<Case> cases = {
        {R"({"email":"c@example.com","password":"short","name":"C"})", 422, "unprocessable",
         "password"},
        {R"({"email":"c@example.com","password":")" + std::string(10 * 1024, 'p') +
             R"(","name":"C"})",
         422, "unprocessable", "password"},
        {R"({"email":"not-an-email","password":"long enough password","name":"C"})", 400,
         "validation_failed", "email"},
        {R"({"email":"c@example.com","name":"C"})", 400, "validation_failed", "password"},
        {R"({"email":"c@example.com","password":"long enough password","name":"C","role":"admin"})",
         400, "validation_failed", "role"},
        {R"({"email":5,"password":"long enough password","name":"C"})", 400, "validation_failed",
         "email"},
        {R"({"email":"c@example.com","password":["x"],"name":"C"})", 400, "validation_failed",
         "password"},
        {R"({"email":"c@example.com","password":"long enough password","name":""})", 422,
         "unprocessable", "name"},
        {R"([1,2,3])", 400, "validation_failed", ""},
        {R"({"email":"c@example.com",)", 400, "invalid_json", ""},
    };
    for (const auto& c : cases) {
        auto r = call(port(), "POST", "/v1/auth/register", "", c.body);
        EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80) << " -> " << r.body;
        EXPECT_EQ(code_of(r), c.code) << c.body.substr(0, 80);
        if (!c.field.empty()) {
            bool named = false;
            auto v = json_of(r);
            if (v.is_object() && v.as_object().contains("errors"))
                for (const auto& e : v.at("errors").as_array())
                    if (e.at("field").as_string() == c.field)
                        named = true;
            EXPECT_TRUE(named) << "field " << c.field << " not named in " << r.body;
        }
    }
    EXPECT_EQ(user_count(), 0);
}

TEST_F(Identity, WrongPasswordAndUnknownEmailGetTheSame401) {
    ASSERT_EQ(register_user(port(), "dan@example.com", "long enough password").status, 201);
    auto wrong = call(port(), "POST", "/v1/auth/login", "",
                      R"({"email":"dan@example.com","password":"not the password"})");
    auto unknown = call(port(), "POST", "/v1/auth/login", "",
                        R"({"email":"nobody@example.com","password":"not the password"})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(code_of(wrong), "invalid_credentials");
    EXPECT_EQ(code_of(unknown), "invalid_credentials");
    // Same wording: the response does not reveal whether the account exists.
    EXPECT_EQ(json_of(wrong).at("detail"), json_of(unknown).at("detail"));
}

TEST_F(Identity, ForgedAndBrokenTokensAre401) {
    ASSERT_EQ(register_user(port(), "eve@example.com", "long enough password").status, 201);
    const std::string good = login(port(), "eve@example.com", "long enough password");
    ASSERT_FALSE(good.empty());
    ASSERT_EQ(call(port(), "GET", "/v1/me", good).status, 200);

    const auto now = std::chrono::system_clock::now();
    const auto sub = std::string(json_of(call(port(), "GET", "/v1/me", good)).at("id").as_string());
    const auto dot1 = good.find('.');
    const auto dot2 = good.rfind('.');
    const std::string header = good.substr(0, dot1);
    const std::string payload = good.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string signature = good.substr(dot2 + 1);
    auto claims_json = json::parse(*http::base64url_decode(payload)).as_object();

    std::vector<std::pair<std::string, std::string>> forged;
    // alg: none, no signature.
    forged.emplace_back("alg none", b64(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".");
    // Signed with a different secret.
    {
        http::TokenClaims c{sub, "guest", {}};
        forged.emplace_back("other secret",
                            codec_with("a-completely-different-secret-of-40-bytes").sign(c, now));
    }
    // Expired (issued 20 minutes ago, 15-minute lifetime, beyond the 60 s skew).
    {
        http::TokenClaims c{sub, "guest", {}};
        forged.emplace_back("expired", codec_with(test_jwt_secret()).sign(c, now - 20min));
    }
    // nbf in the future (and iat): issued "in 5 minutes".
    {
        http::TokenClaims c{sub, "guest", {}};
        forged.emplace_back("nbf future", codec_with(test_jwt_secret()).sign(c, now + 5min));
    }
    // Wrong issuer, wrong audience.
    {
        http::JwtSettings s;
        s.secret = test_jwt_secret();
        s.issuer = "someone-else";
        forged.emplace_back("wrong iss", http::JwtCodec(s).sign({sub, "guest", {}}, now));
        s.issuer = "hotel";
        s.audience = "another-api";
        forged.emplace_back("wrong aud", http::JwtCodec(s).sign({sub, "guest", {}}, now));
    }
    // Mangled signature.
    {
        std::string bad = signature;
        bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
        forged.emplace_back("mangled signature", header + "." + payload + "." + bad);
    }
    // Payload edited to role admin, original signature kept.
    {
        auto edited = claims_json;
        edited["role"] = "admin";
        forged.emplace_back("edited role",
                            header + "." + b64(json::serialize(edited)) + "." + signature);
    }
    // HS512 header with the HS256 signature.
    forged.emplace_back("alg HS512",
                        b64(R"({"alg":"HS512","typ":"JWT"})") + "." + payload + "." + signature);
    // Structural garbage.
    forged.emplace_back("two parts", header + "." + payload);
    forged.emplace_back("four parts", good + ".x");
    forged.emplace_back("garbage", "not-a-token-at-all");

    for (const auto& [what, token] : forged) {
        auto r = call(port(), "GET", "/v1/me", token);
        EXPECT_EQ(r.status, 401) << what;
        EXPECT_EQ(code_of(r), "unauthorized") << what;
        EXPECT_EQ(r.header("www-authenticate").value_or("").rfind("Bearer", 0), 0u) << what;
    }

    // Headers that are not a Bearer token.
    for (const std::string& h : {std::string("Basic ZXZlOnB3"), std::string("Token ") + good,
                                 std::string("Bearer"), std::string("Bearer "), good}) {
        auto r = http_request(port(), "GET", "/v1/me", {{"Authorization", h}});
        EXPECT_EQ(r.status, 401) << h.substr(0, 20);
        EXPECT_EQ(r.header("www-authenticate").value_or(""), "Bearer") << h.substr(0, 20);
    }
    auto none = http_request(port(), "GET", "/v1/me");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.header("www-authenticate").value_or(""), "Bearer");
    // The scheme is case-insensitive.
    EXPECT_EQ(http_request(port(), "GET", "/v1/me", {{"Authorization", "bearer " + good}}).status,
              200);
}

TEST_F(Identity, NoPasswordHashOrTokenReachesTheLogs) {
    const std::string password = "a-very-distinctive-password-42";
    ASSERT_EQ(register_user(port(), "log@example.com", password).status, 201);
    const auto token = login(port(), "log@example.com", password);
    ASSERT_FALSE(token.empty());
    call(port(), "GET", "/v1/me", token);
    call(port(), "POST", "/v1/auth/login", "",
         R"({"email":"log@example.com","password":"wrong-distinctive-password-43"})");
    call(port(), "POST", "/v1/auth/register", "",
         R"({"email":"log2@example.com","password":"x","name":"L"})");
    std::string out;
    for (int i = 0; i < 100 && out.find("\"status\":422") == std::string::npos; ++i) {
        std::this_thread::sleep_for(20ms);
        out = server_->process().output();
    }
    ASSERT_NE(out.find("/v1/auth/login"), std::string::npos) << "the log was captured";
    EXPECT_EQ(out.find(password), std::string::npos);
    EXPECT_EQ(out.find("wrong-distinctive-password-43"), std::string::npos);
    EXPECT_EQ(out.find("$argon2"), std::string::npos);
    EXPECT_EQ(out.find(token), std::string::npos);
    EXPECT_EQ(out.find(token.substr(token.rfind('.') + 1)), std::string::npos);
    EXPECT_EQ(out.find("Bearer"), std::string::npos);
}

TEST(IdentityLimits, ElevenWrongPasswordsGet429UntilTheWindowPasses) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_LOGIN_WINDOW_S=4"});
    const std::string password = "the right password";
    ASSERT_EQ(register_user(server.port(), "frank@example.com", password).status, 201);
    for (int i = 1; i <= 10; ++i) {
        auto r = call(server.port(), "POST", "/v1/auth/login", "",
                      R"({"email":"frank@example.com","password":"wrong password"})");
        ASSERT_EQ(r.status, 401) << "attempt " << i;
    }
    auto eleventh = call(server.port(), "POST", "/v1/auth/login", "",
                         R"({"email":"frank@example.com","password":"wrong password"})");
    EXPECT_EQ(eleventh.status, 429);
    EXPECT_EQ(code_of(eleventh), "rate_limited");
    const auto retry = std::stoi(eleventh.header("retry-after").value_or("0"));
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 4);
    // The right password does not get through while the limit holds.
    auto right = call(server.port(), "POST", "/v1/auth/login", "",
                      R"({"email":"frank@example.com","password":"the right password"})");
    EXPECT_EQ(right.status, 429);
    // After the window, it does.
    std::this_thread::sleep_for(std::chrono::seconds(retry) + 500ms);
    EXPECT_FALSE(login(server.port(), "frank@example.com", password).empty());
}

TEST(IdentityLimits, SecretShorterThan32BytesRefusesToStart) {
    TestDatabase db;
    auto [rc, out] = run_process(hoteld_path(), {},
                                 {"DATABASE_URL=" + db.url(), "HOTEL_LISTEN=127.0.0.1:0",
                                  "HOTEL_JWT_SECRET=0123456789012345678901234567890"},
                                 std::chrono::seconds(30));
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("at least 32 bytes"), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

// --- the role matrix --------------------------------------------------------------------------
// Every protected endpoint joins this table: (role, method, path, body) -> expected status.
// {A} and {B} stand for hotel A (where staff and manager work) and hotel B.

namespace {

struct MatrixCase {
    std::string role;  // guest, staff_a, manager_a, admin, anonymous
    std::string method;
    std::string path;
    std::string body;
    int expected;
};

std::string unique_user_body(const std::string& role, const std::string& hotel) {
    static int n = 0;
    json::object o{{"email", "matrix" + std::to_string(++n) + "@example.com"},
                   {"password", "long enough password"},
                   {"name", "Matrix"},
                   {"role", role}};
    if (!hotel.empty())
        o["hotel_ids"] = json::array{json::value(hotel)};
    return json::serialize(o);
}

}  // namespace

TEST(RoleMatrix, EveryRoleGetsExactlyTheStatusTheRulesImply) {
    TestDatabase db;
    Hoteld server(db);
    const auto port = server.port();
    const std::string hotel_a = "00000000-0000-0000-0000-00000000000a";
    const std::string hotel_b = "00000000-0000-0000-0000-00000000000b";
    // Each hotel has a room type ...0a1/...0b1 and a rate plan ...0a2/...0b2.
    {
        auto c = db.connect();
        c.run_script(
            "INSERT INTO hotels (id, name, city, country, timezone, currency) VALUES "
            "('" +
            hotel_a +
            "', 'A', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR'), "
            "('" +
            hotel_b +
            "', 'B', 'Porto', 'PT', 'Europe/Lisbon', 'EUR');"
            "INSERT INTO room_types (hotel_id, id, code, name, max_occupancy) VALUES "
            "('" +
            hotel_a +
            "', '00000000-0000-0000-0000-0000000000a1', 'STD', 'S', 2), "
            "('" +
            hotel_b +
            "', '00000000-0000-0000-0000-0000000000b1', 'STD', 'S', 2);"
            "INSERT INTO rate_plans (hotel_id, id, code, name, refundable) VALUES "
            "('" +
            hotel_a +
            "', '00000000-0000-0000-0000-0000000000a2', 'NRF', 'N', false), "
            "('" +
            hotel_b + "', '00000000-0000-0000-0000-0000000000b2', 'NRF', 'N', false);");
    }
    const auto admin = admin_token(db, port);
    ASSERT_FALSE(admin.empty());
    auto make = [&](const std::string& email, const std::string& role, const std::string& hotel) {
        json::object o{
            {"email", email}, {"password", "long enough password"}, {"name", role}, {"role", role}};
        if (!hotel.empty())
            o["hotel_ids"] = json::array{json::value(hotel)};
        auto r = call(port, "POST", "/v1/users", admin, json::serialize(o));
        EXPECT_EQ(r.status, 201) << r.body;
        return login(port, email, "long enough password");
    };
    std::map<std::string, std::string> tokens{
        {"admin", admin},
        {"guest", make("guest@example.com", "guest", "")},
        {"staff_a", make("staff@example.com", "staff", hotel_a)},
        {"manager_a", make("manager@example.com", "manager", hotel_a)},
        {"anonymous", ""},
    };
    // The token of a staff member carries the hotel they work for.
    EXPECT_EQ(json_of(call(port, "GET", "/v1/me", tokens["staff_a"]))
                  .at("hotel_ids")
                  .as_array()
                  .at(0)
                  .as_string(),
              hotel_a);

    std::vector<MatrixCase> cases;
    static int seq = 0;
    auto code = [] { return "C" + std::to_string(++seq); };
    const std::string rates_body_a =
        R"({"room_type_id":"00000000-0000-0000-0000-0000000000a1","rate_plan_id":"00000000-0000-0000-0000-0000000000a2","from":"2030-01-01","to":"2030-01-08","price":"90.00"})";
    const std::string rates_body_b =
        R"({"room_type_id":"00000000-0000-0000-0000-0000000000b1","rate_plan_id":"00000000-0000-0000-0000-0000000000b2","from":"2030-01-01","to":"2030-01-08","price":"90.00"})";
    const std::string rates_query_a =
        "?room_type_id=00000000-0000-0000-0000-0000000000a1&rate_plan_id=00000000-0000-0000-0000-"
        "0000000000a2&from=2030-01-01&to=2030-01-08";
    const std::string rates_query_b =
        "?room_type_id=00000000-0000-0000-0000-0000000000b1&rate_plan_id=00000000-0000-0000-0000-"
        "0000000000b2&from=2030-01-01&to=2030-01-08";
    for (const auto& role : {"anonymous", "guest", "staff_a", "manager_a", "admin"}) {
        const std::string r = role;
        const bool anon = r == "anonymous";
        const int denied = anon ? 401 : 403;
        const int admin_only = r == "admin" ? 201 : denied;
        // Users.
        cases.push_back({r, "POST", "/v1/users", unique_user_body("guest", ""), admin_only});
        cases.push_back({r, "POST", "/v1/users", unique_user_body("staff", "{A}"), admin_only});
        cases.push_back({r, "GET", "/v1/me", "", anon ? 401 : 200});
        // Hotels: only admins create; public reads.
        cases.push_back(
            {r, "POST", "/v1/hotels",
             R"({"name":"N","city":"Faro","country":"PT","timezone":"Europe/Lisbon","currency":"EUR"})",
             admin_only});
        cases.push_back({r, "GET", "/v1/hotels/{A}", "", 200});
        cases.push_back({r, "GET", "/v1/hotels/{B}/room-types", "", 200});
        cases.push_back({r, "GET", "/v1/hotels/{B}/rate-plans", "", 200});
        // Catalogue writes: an admin, or a manager of that hotel.
        for (const auto& [hotel, rates_body] : {std::pair{std::string("{A}"), rates_body_a},
                                                std::pair{std::string("{B}"), rates_body_b}}) {
            const bool manages = r == "admin" || (r == "manager_a" && hotel == "{A}");
            const bool operates = manages || (r == "staff_a" && hotel == "{A}");
            cases.push_back({r, "PATCH", "/v1/hotels/" + hotel, R"({"name":"Renamed"})",
                             manages ? 200 : denied});
            cases.push_back({r, "POST", "/v1/hotels/" + hotel + "/room-types",
                             R"({"code":")" + code() + R"(","name":"T","max_occupancy":2})",
                             manages ? 201 : denied});
            cases.push_back({r, "POST", "/v1/hotels/" + hotel + "/rate-plans",
                             R"({"code":")" + code() + R"(","name":"P","refundable":false})",
                             manages ? 201 : denied});
            cases.push_back({r, "POST", "/v1/hotels/" + hotel + "/rooms",
                             R"({"number":")" + code() +
                                 R"(","room_type_id":"00000000-0000-0000-0000-0000000000)" +
                                 (hotel == "{A}" ? "a1" : "b1") + R"("})",
                             manages ? 201 : denied});
            cases.push_back(
                {r, "PUT", "/v1/hotels/" + hotel + "/rates", rates_body, manages ? 200 : denied});
            cases.push_back({r, "GET",
                             "/v1/hotels/" + hotel + "/rates" +
                                 (hotel == "{A}" ? rates_query_a : rates_query_b),
                             "", manages ? 200 : denied});
            // Staff-level reads: staff, managers of that hotel, admins.
            cases.push_back(
                {r, "GET", "/v1/hotels/" + hotel + "/rooms", "", operates ? 200 : denied});
            cases.push_back({r, "GET",
                             "/v1/hotels/" + hotel + "/availability?from=2030-01-01&to=2030-01-08",
                             "", operates ? 200 : denied});
        }
    }
    for (const auto& c : cases) {
        std::string path = c.path;
        for (auto [key, id] :
             {std::pair{std::string("{A}"), hotel_a}, std::pair{std::string("{B}"), hotel_b}}) {
            for (auto pos = path.find(key); pos != std::string::npos; pos = path.find(key))
                path.replace(pos, key.size(), id);
        }
        std::string body = c.body;
        for (auto pos = body.find("{A}"); pos != std::string::npos; pos = body.find("{A}"))
            body.replace(pos, 3, hotel_a);
        auto r = call(port, c.method, path, tokens[c.role], body);
        EXPECT_EQ(r.status, c.expected)
            << c.role << " " << c.method << " " << c.path << ": " << r.body;
    }
}

TEST(Users, AdminCreatesScopedStaffAndTheRulesOnScopesHold) {
    TestDatabase db;
    Hoteld server(db);
    const std::string hotel_a = "00000000-0000-0000-0000-00000000000a";
    {
        auto c = db.connect();
        c.run_script("INSERT INTO hotels (id, name, city, country, timezone, currency) VALUES ('" +
                     hotel_a + "', 'A', 'Lisbon', 'PT', 'Europe/Lisbon', 'EUR')");
    }
    const auto admin = admin_token(db, server.port());
    auto staff = call(
        server.port(), "POST", "/v1/users", admin,
        R"({"email":"s@example.com","password":"long enough password","name":"S","role":"staff","hotel_ids":[")" +
            hotel_a + R"("]})");
    ASSERT_EQ(staff.status, 201) << staff.body;
    EXPECT_EQ(json_of(staff).at("hotel_ids").as_array().size(), 1u);
    // An unknown hotel is a rule violation; nothing is stored.
    auto unknown = call(
        server.port(), "POST", "/v1/users", admin,
        R"({"email":"t@example.com","password":"long enough password","name":"T","role":"staff","hotel_ids":["00000000-0000-0000-0000-0000000000ff"]})");
    EXPECT_EQ(unknown.status, 422) << unknown.body;
    EXPECT_EQ(login(server.port(), "t@example.com", "long enough password"), "");
    // Guests and admins are not scoped to hotels; a bad role or id is malformed input.
    EXPECT_EQ(
        call(
            server.port(), "POST", "/v1/users", admin,
            R"({"email":"u@example.com","password":"long enough password","name":"U","role":"guest","hotel_ids":[")" +
                hotel_a + R"("]})")
            .status,
        400);
    EXPECT_EQ(
        call(
            server.port(), "POST", "/v1/users", admin,
            R"({"email":"v@example.com","password":"long enough password","name":"V","role":"owner"})")
            .status,
        400);
    EXPECT_EQ(
        call(
            server.port(), "POST", "/v1/users", admin,
            R"({"email":"w@example.com","password":"long enough password","name":"W","role":"staff","hotel_ids":["nope"]})")
            .status,
        400);
    // An admin can create another admin.
    EXPECT_EQ(
        call(
            server.port(), "POST", "/v1/users", admin,
            R"({"email":"x@example.com","password":"long enough password","name":"X","role":"admin"})")
            .status,
        201);
}

TEST(Cors, OnlyConfiguredOriginsGetCorsHeaders) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_CORS_ORIGINS=https://app.example.com, https://admin.example.com"});
    auto preflight = http_request(server.port(), "OPTIONS", "/v1/me",
                                  {{"Origin", "https://app.example.com"},
                                   {"Access-Control-Request-Method", "GET"},
                                   {"Access-Control-Request-Headers", "authorization"}});
    EXPECT_EQ(preflight.status, 204);
    EXPECT_EQ(preflight.header("access-control-allow-origin").value_or(""),
              "https://app.example.com");
    EXPECT_EQ(preflight.header("access-control-allow-methods").value_or(""), "GET");
    EXPECT_NE(preflight.header("access-control-allow-headers").value_or("").find("Authorization"),
              std::string::npos);
    auto other = http_request(
        server.port(), "OPTIONS", "/v1/me",
        {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(other.status, 403);
    EXPECT_FALSE(other.header("access-control-allow-origin").has_value());
    auto simple =
        http_request(server.port(), "GET", "/health", {{"Origin", "https://admin.example.com"}});
    EXPECT_EQ(simple.header("access-control-allow-origin").value_or(""),
              "https://admin.example.com");
    EXPECT_NE(simple.header("access-control-expose-headers").value_or("").find("X-Request-Id"),
              std::string::npos);
    auto foreign =
        http_request(server.port(), "GET", "/health", {{"Origin", "https://evil.example.com"}});
    EXPECT_FALSE(foreign.header("access-control-allow-origin").has_value());
}

TEST(Cors, OffByDefault) {
    TestDatabase db;
    Hoteld server(db);
    auto r = http_request(server.port(), "GET", "/health", {{"Origin", "https://app.example.com"}});
    EXPECT_FALSE(r.header("access-control-allow-origin").has_value());
    auto preflight = http_request(
        server.port(), "OPTIONS", "/v1/me",
        {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(preflight.status, 403);
}

// --- throttling by (email, client address), issue 10 item 4 -------------------------------------
// Every test connects from 127.0.0.1; with HOTEL_TRUSTED_PROXIES=127.0.0.1 the test plays a
// reverse proxy and names the client in X-Forwarded-For.

namespace {

HttpResponse login_from(unsigned short port, const std::string& email, const std::string& password,
                        const std::string& forwarded_for) {
    std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
    if (!forwarded_for.empty())
        headers.emplace_back("X-Forwarded-For", forwarded_for);
    return http_request(port, "POST", "/v1/auth/login", headers,
                        json::serialize(json::object{{"email", email}, {"password", password}}));
}

HttpResponse register_from(unsigned short port, const std::string& email,
                           const std::string& forwarded_for) {
    return http_request(
        port, "POST", "/v1/auth/register",
        {{"Content-Type", "application/json"}, {"X-Forwarded-For", forwarded_for}},
        json::serialize(
            json::object{{"email", email}, {"password", "long enough password"}, {"name", "R"}}));
}

// Polls the server's output (bounded) for a line holding every needle.
bool log_has_line_with(Process& process, const std::vector<std::string>& needles) {
    for (int i = 0; i < 100; ++i) {
        const auto out = process.output();
        std::size_t start = 0;
        while (start < out.size()) {
            auto end = out.find('\n', start);
            if (end == std::string::npos)
                end = out.size();
            const auto line = out.substr(start, end - start);
            bool all = true;
            for (const auto& n : needles)
                all = all && line.find(n) != std::string::npos;
            if (all)
                return true;
            start = end + 1;
        }
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

}  // namespace

TEST(IdentityLimits, TheOwnerLogsInFromAnotherAddressWhileAnAttackerFails50Times) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_TRUSTED_PROXIES=127.0.0.1"});
    const std::string email = "victim@example.com";
    const std::string password = "the victim's password";
    ASSERT_EQ(register_user(server.port(), email, password).status, 201);
    int unauthorized = 0, limited = 0;
    for (int i = 0; i < 50; ++i) {
        auto r = login_from(server.port(), email, "a guess " + std::to_string(i), "203.0.113.66");
        if (r.status == 401)
            ++unauthorized;
        else if (r.status == 429) {
            ++limited;
            EXPECT_EQ(code_of(r), "rate_limited");
            EXPECT_GE(std::stoi(r.header("retry-after").value_or("0")), 1);
        } else
            ADD_FAILURE() << "attempt " << i << ": " << r.status << " " << r.body;
    }
    EXPECT_EQ(unauthorized, 10);
    EXPECT_EQ(limited, 40);
    // The owner, from an address that has not been failing, logs in.
    auto owner = login_from(server.port(), email, password, "198.51.100.9");
    ASSERT_EQ(owner.status, 200) << owner.body;
    EXPECT_FALSE(json_of(owner).at("access_token").as_string().empty());
    // Even a typo from the owner's address is a 401, not a lock-out.
    EXPECT_EQ(login_from(server.port(), email, "a typo", "198.51.100.9").status, 401);
    // The attacker's address stays throttled, the right password included.
    EXPECT_EQ(login_from(server.port(), email, password, "203.0.113.66").status, 429);
}

TEST(IdentityLimits, ForwardedForIsHonouredOnlyFromATrustedProxy) {
    TestDatabase db;
    const std::string email = "fwd@example.com";
    const std::string password = "the right password";
    {
        // No trusted proxy: X-Forwarded-For is ignored, every attempt is 127.0.0.1's.
        Hoteld server(db);
        ASSERT_EQ(register_user(server.port(), email, password).status, 201);
        for (int i = 1; i <= 10; ++i)
            ASSERT_EQ(
                login_from(server.port(), email, "wrong password", "203.0.113." + std::to_string(i))
                    .status,
                401)
                << i;
        auto spoofed = login_from(server.port(), email, password, "198.51.100.77");
        EXPECT_EQ(spoofed.status, 429) << "a forged X-Forwarded-For must not escape the limit";
        EXPECT_TRUE(log_has_line_with(server.process(),
                                      {"\"path\":\"/v1/auth/login\"", "\"client\":\"127.0.0.1\""}));
    }
    {
        // 127.0.0.1 trusted: the rightmost entry that is not a trusted proxy is the client, and
        // the access log says so.
        Hoteld server(db, {"HOTEL_TRUSTED_PROXIES=127.0.0.1, 10.0.0.0/8"});
        auto r = login_from(server.port(), email, password, "9.9.9.9, 198.51.100.20, 10.1.2.3");
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_TRUE(log_has_line_with(
            server.process(), {"\"path\":\"/v1/auth/login\"", "\"client\":\"198.51.100.20\"",
                               "\"remote\":\"127.0.0.1\""}));
    }
    // A bad entry in the setting stops hoteld with one line.
    auto [rc, out] = run_process(hoteld_path(), {},
                                 {"DATABASE_URL=" + db.url(), "HOTEL_LISTEN=127.0.0.1:0",
                                  "HOTEL_JWT_SECRET=" + test_jwt_secret(),
                                  "HOTEL_TRUSTED_PROXIES=10.0.0.0/8,proxy.internal"},
                                 std::chrono::seconds(30));
    EXPECT_EQ(rc, 2) << out;
    EXPECT_NE(out.find("HOTEL_TRUSTED_PROXIES"), std::string::npos) << out;
}

TEST(IdentityLimits, FortyParallelFailuresGetAtMostTheLimitOf401s) {
    TestDatabase db;
    Hoteld server(db);
    const std::string email = "race@example.com";
    ASSERT_EQ(register_user(server.port(), email, "the right password").status, 201);
    std::vector<int> statuses(40, 0);
    std::vector<std::thread> clients;
    std::atomic<bool> go{false};
    for (int i = 0; i < 40; ++i)
        clients.emplace_back([&, i] {
            while (!go.load())
                std::this_thread::yield();
            try {
                statuses[static_cast<std::size_t>(i)] =
                    login_from(server.port(), email, "wrong password", "").status;
            } catch (const std::exception&) {
                statuses[static_cast<std::size_t>(i)] = -1;
            }
        });
    go = true;
    for (auto& t : clients)
        t.join();
    const auto unauthorized = std::count(statuses.begin(), statuses.end(), 401);
    const auto limited = std::count(statuses.begin(), statuses.end(), 429);
    EXPECT_LE(unauthorized, 10) << "the limit is 10 failures";
    EXPECT_GE(unauthorized, 1);
    EXPECT_EQ(unauthorized + limited, 40);
}

TEST(IdentityLimits, RegistrationIsLimitedPerClientAddress) {
    TestDatabase db;
    Hoteld server(db, {"HOTEL_TRUSTED_PROXIES=127.0.0.1", "HOTEL_REGISTER_MAX_ATTEMPTS=3"});
    ASSERT_EQ(register_from(server.port(), "r1@example.com", "203.0.113.5").status, 201);
    // A taken email is an attempt too, answered at once with 409.
    EXPECT_EQ(register_from(server.port(), "r1@example.com", "203.0.113.5").status, 409);
    ASSERT_EQ(register_from(server.port(), "r2@example.com", "203.0.113.5").status, 201);
    auto fourth = register_from(server.port(), "r3@example.com", "203.0.113.5");
    EXPECT_EQ(fourth.status, 429);
    EXPECT_EQ(code_of(fourth), "rate_limited");
    EXPECT_GE(std::stoi(fourth.header("retry-after").value_or("0")), 1);
    // Another client address is not affected.
    EXPECT_EQ(register_from(server.port(), "r3@example.com", "203.0.113.6").status, 201);
}
