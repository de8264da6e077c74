// The contract as integrators meet it (issue 16, first step): every response schema says what is
// always there, and real responses keep that promise. The document is the one hoteld serves.

#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include "booking_fixture.hpp"
#include "http/problem_code.hpp"

using namespace hotel;
using namespace hotel::test;
namespace json = boost::json;

namespace {

// Methods and header names as the document spells them: lower case.
std::string lowercase(std::string text) {
    for (auto& ch : text)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
}

// The component a "$ref" names: "#/components/schemas/Booking" → "Booking".
std::string ref_name(const json::value& ref) {
    const std::string text(ref.as_string());
    return text.substr(text.rfind('/') + 1);
}

// What the schemas of 2xx responses may use: $ref, oneOf, type (a name or a list), properties,
// required, items. Checks presence and types, not formats.
class Checker {
  public:
    explicit Checker(json::object doc) : doc_(std::move(doc)) {}

    const json::object& schema_of(const json::value& ref) const {
        return doc_.at("components").at("schemas").at(ref_name(ref)).as_object();
    }
    // The schema of an operation's response with this status and JSON content.
    const json::object& response(const std::string& path, const std::string& method,
                                 const std::string& status) const {
        const auto& r = doc_.at("paths").at(path).at(method).at("responses").at(status);
        return r.at("content").at("application/json").at("schema").as_object();
    }

    // The headers the document declares for an operation's response, in lower case.
    std::set<std::string> headers(const std::string& path, const std::string& method,
                                  const std::string& status) const {
        std::set<std::string> out;
        const json::value* r = &doc_.at("paths").at(path).at(method).at("responses").at(status);
        if (auto shared = r->as_object().if_contains("$ref"))  // components/responses
            r = &doc_.at("components").at("responses").at(ref_name(*shared));
        if (auto h = r->as_object().if_contains("headers"))
            for (const auto& kv : h->as_object())
                out.insert(lowercase(std::string(kv.key())));
        return out;
    }
    const json::object& doc() const { return doc_; }

    void check(const json::value& v, const json::object& schema, const std::string& where,
               std::vector<std::string>& errors) const {
        if (auto ref = schema.if_contains("$ref"))
            return check(v, schema_of(*ref), where, errors);
        if (auto variants = schema.if_contains("oneOf")) {
            for (const auto& variant : variants->as_array()) {
                std::vector<std::string> e;
                check(v, variant.as_object(), where, e);
                if (e.empty())
                    return;
            }
            errors.push_back(where + ": matches no variant of oneOf");
            return;
        }
        if (auto type = schema.if_contains("type")) {
            std::set<std::string> types;
            if (type->is_string())
                types.insert(std::string(type->as_string()));
            else
                for (const auto& t : type->as_array())
                    types.insert(std::string(t.as_string()));
            const std::string actual = v.is_null()     ? "null"
                                       : v.is_bool()   ? "boolean"
                                       : v.is_string() ? "string"
                                       : v.is_array()  ? "array"
                                       : v.is_object() ? "object"
                                       : v.is_double() ? "number"
                                                       : "integer";
            const bool ok = types.count(actual) || (actual == "integer" && types.count("number"));
            if (!ok) {
                errors.push_back(where + ": is " + actual);
                return;
            }
        }
        if (v.is_object()) {
            const auto& o = v.as_object();
            if (auto required = schema.if_contains("required"))
                for (const auto& name : required->as_array())
                    if (!o.contains(name.as_string()))
                        errors.push_back(where + "." + std::string(name.as_string()) +
                                         ": required but missing");
            if (auto properties = schema.if_contains("properties"))
                for (const auto& [name, sub] : properties->as_object())
                    if (auto field = o.if_contains(name))
                        check(*field, sub.as_object(), where + "." + std::string(name), errors);
        }
        if (v.is_array())
            if (auto items = schema.if_contains("items"))
                for (std::size_t i = 0; i < v.as_array().size(); ++i)
                    check(v.as_array()[i], items->as_object(),
                          where + "[" + std::to_string(i) + "]", errors);
    }

  private:
    json::object doc_;
};

class Contract : public Bookings {
  protected:
    void SetUp() override {
        Bookings::SetUp();
        auto r = http_request(port(), "GET", "/openapi.json");
        ASSERT_EQ(r.status, 200);
        checker_ = std::make_unique<Checker>(json::parse(r.body).as_object());
    }
    // Calls the operation and checks the answer against the schema documented for its status.
    json::value conforms(const std::string& method, const std::string& documented_path,
                         const std::string& path, const std::string& token,
                         const std::string& body = {}) {
        auto r = call(port(), method, path, token, body);
        EXPECT_LT(r.status, 300) << method << " " << path << ": " << r.body;
        const auto lower = lowercase(method);
        std::vector<std::string> errors;
        checker_->check(json_of(r),
                        checker_->response(documented_path, lower, std::to_string(r.status)),
                        method + " " + documented_path, errors);
        for (const auto& e : errors)
            ADD_FAILURE() << e;
        headers_declared(method, documented_path, r);
        return json_of(r);
    }
    // Every header of these that a real response carries is declared for its operation and
    // status, so that a generated client knows it is there.
    void headers_declared(const std::string& method, const std::string& documented_path,
                          const HttpResponse& r) {
        const auto lower = lowercase(method);
        const auto declared = checker_->headers(documented_path, lower, std::to_string(r.status));
        for (const char* name : {"etag", "location", "retry-after", "www-authenticate",
                                 "deprecation", "link", "x-request-id"})
            if (r.header(name)) {
                EXPECT_TRUE(declared.contains(name))
                    << method << " " << documented_path << " " << r.status << " sends " << name
                    << " but the document does not declare it";
            }
    }
    std::unique_ptr<Checker> checker_;
};

// Every object schema reachable from a 2xx response lists what is always there.
TEST_F(Contract, EveryResponseObjectSaysWhatIsRequired) {
    auto r = http_request(port(), "GET", "/openapi.json");
    const auto doc = json::parse(r.body).as_object();
    const auto& schemas = doc.at("components").at("schemas").as_object();
    std::set<std::string> seen;
    std::vector<std::string> missing;
    std::function<void(const json::value&, const std::string&)> walk =
        [&](const json::value& v, const std::string& where) {
            const auto& s = v.as_object();
            if (auto ref = s.if_contains("$ref")) {
                const std::string name = ref_name(*ref);
                if (seen.insert(name).second)
                    walk(schemas.at(name), name);
                return;
            }
            if (auto variants = s.if_contains("oneOf"))
                for (const auto& variant : variants->as_array())
                    walk(variant, where);
            if (auto properties = s.if_contains("properties")) {
                if (!s.contains("required"))
                    missing.push_back(where);
                for (const auto& [name, sub] : properties->as_object())
                    walk(sub, where + "." + std::string(name));
            }
            if (auto items = s.if_contains("items"))
                walk(*items, where + "[]");
        };
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, op] : item.as_object()) {
            if (!op.is_object() || !op.as_object().contains("responses"))
                continue;  // "parameters" shared by a path's operations
            for (const auto& [status, answer] : op.at("responses").as_object()) {
                if (status.empty() || status[0] != '2')
                    continue;
                const json::object* response = &answer.as_object();
                if (auto ref = response->if_contains("$ref"))
                    response = &doc.at("components").at("responses").at(ref_name(*ref)).as_object();
                if (auto content = response->if_contains("content"))
                    for (const auto& [type, media] : content->as_object())
                        if (auto schema = media.as_object().if_contains("schema"))
                            walk(*schema, std::string(method) + " " + std::string(path));
            }
        }
    EXPECT_TRUE(missing.empty()) << "objects without a required list: " << [&] {
        std::string all;
        for (const auto& m : missing)
            all += m + "; ";
        return all;
    }();
    EXPECT_GT(seen.size(), 10u);
}

// `code` is an enum: the document lists exactly the codes the server can answer with (the
// server's list, http::problem_codes, is checked at compile time at every use), and every problem
// response of every operation narrows it to codes from that list. Which codes each operation
// really answers is checked against the whole test run by api.problem_log.EveryProblemIsDocumented.
TEST_F(Contract, ProblemCodesAreTheServersAndEachOperationListsItsOwn) {
    auto r = http_request(port(), "GET", "/openapi.json");
    const auto parsed = json::parse(r.body);
    const auto& doc = parsed.as_object();
    std::set<std::string> documented, server;
    for (const auto& c :
         parsed.at_pointer("/components/schemas/Problem/properties/code/enum").as_array())
        documented.insert(std::string(c.as_string()));
    for (auto c : http::problem_codes)
        server.insert(std::string(c));
    EXPECT_EQ(documented, server);

    std::vector<std::string> unnarrowed, unknown;
    for (const auto& [path, item] : doc.at("paths").as_object())
        for (const auto& [method, op] : item.as_object()) {
            if (!op.is_object() || !op.as_object().contains("responses"))
                continue;
            for (const auto& [status, answer] : op.at("responses").as_object()) {
                if (status.empty() || (status[0] != '4' && status[0] != '5'))
                    continue;
                const json::object* response = &answer.as_object();
                if (auto ref = response->if_contains("$ref"))
                    response = &doc.at("components").at("responses").at(ref_name(*ref)).as_object();
                const std::string where =
                    std::string(method) + " " + std::string(path) + " " + std::string(status);
                const json::value* codes = nullptr;
                if (auto* parts = response->at("content")
                                      .at("application/problem+json")
                                      .at("schema")
                                      .as_object()
                                      .if_contains("allOf"))
                    for (const auto& part : parts->as_array())
                        if (!part.as_object().contains("$ref"))
                            codes =
                                part.as_object().at("properties").as_object().if_contains("code");
                if (!codes || codes->at("enum").as_array().empty()) {
                    unnarrowed.push_back(where);
                    continue;
                }
                for (const auto& c : codes->at("enum").as_array())
                    if (!server.contains(std::string(c.as_string())))
                        unknown.push_back(where + " " + std::string(c.as_string()));
            }
        }
    EXPECT_TRUE(unnarrowed.empty())
        << "problem responses without their codes: " << unnarrowed.size()
        << (unnarrowed.empty() ? "" : ", first " + unnarrowed.front());
    EXPECT_TRUE(unknown.empty()) << "codes the server never answers: " << unknown.size()
                                 << (unknown.empty() ? "" : ", first " + unknown.front());
}

// Real answers keep the promise: a hotel set up, searched, booked, changed and cancelled.
TEST_F(Contract, RealResponsesHaveEveryRequiredField) {
    const auto base = "/v1/hotels/" + lisbon_;
    conforms("GET", "/v1/hotels/{id}", base, "");
    conforms("GET", "/v1/hotels", "/v1/hotels?city=Lisbon", "");
    conforms("GET", "/v1/destinations", "/v1/destinations?q=lis", "");
    conforms("GET", "/v1/hotels",
             "/v1/hotels?city=Lisbon&check_in=" + lisbon_date(10) + "&check_out=" + lisbon_date(12),
             "");
    conforms("GET", "/v1/hotels/{id}/room-types", base + "/room-types", admin_);
    conforms("GET", "/v1/hotels/{id}/rate-plans", base + "/rate-plans", admin_);
    conforms("GET", "/v1/hotels/{id}/rooms", base + "/rooms", admin_);
    conforms("GET", "/v1/hotels/{id}/rooms",
             base + "/rooms?check_in=" + lisbon_date(10) + "&check_out=" + lisbon_date(12), "");
    conforms("GET", "/v1/hotels/{id}/offers",
             base + "/offers?check_in=" + lisbon_date(10) + "&check_out=" + lisbon_date(12) +
                 "&guests=2",
             "");
    conforms("GET", "/v1/hotels/{id}/rates",
             base + "/rates?room_type_id=" + std_ + "&rate_plan_id=" + flex_ +
                 "&from=" + lisbon_date(0) + "&to=" + lisbon_date(3),
             admin_);
    conforms("GET", "/v1/hotels/{id}/availability",
             base + "/availability?from=" + lisbon_date(0) + "&to=" + lisbon_date(3), admin_);

    const auto made =
        conforms("POST", "/v1/bookings", "/v1/bookings", guest_,
                 json::serialize(body(10, 12, flex_, {{"card_token", "tok_a_4242"}})));
    const auto path = "/v1/bookings/" + s(made.at("id"));
    conforms("GET", "/v1/bookings/{id}", path, guest_);
    conforms("GET", "/v1/bookings/{id}", path, admin_);  // with the room
    conforms("GET", "/v1/bookings", "/v1/bookings", guest_);
    conforms("PUT", "/v1/bookings/{id}", path, guest_,
             json::serialize(
                 json::object{{"check_in", lisbon_date(11)}, {"check_out", lisbon_date(13)}}));
    conforms("DELETE", "/v1/bookings/{id}", path, guest_);
    conforms("GET", "/v1/me", "/v1/me", guest_);
    conforms("GET", "/v1/users", "/v1/users?limit=1", admin_);
}

// RFC 9110 §6.6.1: a server with a clock sends Date on every response, in IMF-fixdate.
TEST_F(Contract, EveryResponseCarriesADate) {
    const std::regex imf_fixdate(
        R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT)");
    for (const auto& r :
         {http_request(port(), "GET", "/health"), call(port(), "GET", "/v1/hotels/" + lisbon_, ""),
          call(port(), "GET", "/v1/nowhere", ""), call(port(), "GET", "/v1/me", "not-a-token"),
          http_request(port(), "HEAD", "/health")}) {
        const auto date = r.header("date");
        ASSERT_TRUE(date.has_value()) << r.status;
        EXPECT_TRUE(std::regex_match(*date, imf_fixdate)) << *date;
    }
    // And it is now (the year, at least: the test does not assert on timing).
    const auto year = std::to_string(static_cast<int>(std::chrono::year_month_day{
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())}
                                                          .year()));
    const auto date = http_request(port(), "GET", "/health").header("date").value_or("");
    EXPECT_NE(date.find(" " + year + " "), std::string::npos) << date;
}

// Conditional GET on a booking: a client whose copy is current gets 304 and no body.
TEST_F(Contract, IfNoneMatchWithTheCurrentETagIs304) {
    auto made = book(guest_, body(10, 12, flex_));
    ASSERT_EQ(made.status, 201);
    const auto path = "/v1/bookings/" + s(json_of(made).at("id"));
    auto get = [&](const std::string& tags) {
        return http_request(port(), "GET", path,
                            {{"Authorization", "Bearer " + guest_}, {"If-None-Match", tags}});
    };
    auto current = get("\"1\"");
    EXPECT_EQ(current.status, 304);
    EXPECT_EQ(current.body, "");
    EXPECT_EQ(current.header("etag").value_or(""), "\"1\"");
    EXPECT_EQ(get("W/\"1\"").status, 304);
    EXPECT_EQ(get("\"7\", \"1\"").status, 304);
    EXPECT_EQ(get("*").status, 304);
    auto stale = get("\"7\"");
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(json_of(stale).at("version").as_int64(), 1);
    // After a change the old tag no longer matches.
    ASSERT_EQ(
        http_request(port(), "PUT", path,
                     {{"Authorization", "Bearer " + guest_}, {"Content-Type", "application/json"}},
                     json::serialize(json::object{{"check_in", lisbon_date(11)},
                                                  {"check_out", lisbon_date(13)}}))
            .status,
        200);
    auto changed = get("\"1\"");
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.header("etag").value_or(""), "\"2\"");
    // Another guest still gets 404, whatever the tag.
    EXPECT_EQ(http_request(
                  port(), "GET", path,
                  {{"Authorization", "Bearer " + guest("eve@example.com")}, {"If-None-Match", "*"}})
                  .status,
              404);
}

// One code, several causes: each 422 and the changed price name their reason (issue 16).
TEST_F(Contract, BookingProblemsNameTheirReason) {
    auto reason_of = [&](const json::object& b) {
        auto r = book(guest_, b);
        auto j = json_of(r);
        if (!j.is_object() || !j.as_object().contains("reason"))
            return std::to_string(r.status) + " without a reason: " + r.body;
        return std::to_string(r.status) + " " + std::string(j.at("reason").as_string());
    };
    EXPECT_EQ(reason_of(body(12, 10, flex_)), "422 invalid_dates");
    EXPECT_EQ(reason_of(body(10, 45, flex_)), "422 stay_too_long");
    EXPECT_EQ(reason_of(body(-3, 2, flex_)), "422 arrival_in_past");
    EXPECT_EQ(reason_of(body(10, 12, flex_, {{"guests", 9}})), "422 occupancy_exceeded");
    EXPECT_EQ(reason_of(body(10, 12, flex_, {{"rate_plan_id", std_}})), "422 unknown_rate_plan");
    EXPECT_EQ(reason_of(body(
                  10, 12, flex_,
                  {{"expected_total", json::object{{"amount", "1.00"}, {"currency", "USD"}}}})),
              "422 currency_mismatch");
    EXPECT_EQ(reason_of(body(10, 12, flex_, {{"card_token", "not-a-token"}})),
              "422 invalid_card_token");
    // Past the priced year: no price.
    EXPECT_EQ(reason_of(body(400, 402, flex_)), "422 not_for_sale");
    // A restriction set by the hotel.
    auto rates = call(port(), "PUT", "/v1/hotels/" + lisbon_ + "/rates", admin_,
                      json::serialize(json::object{{"room_type_id", std_},
                                                   {"rate_plan_id", flex_},
                                                   {"from", lisbon_date(20)},
                                                   {"to", lisbon_date(21)},
                                                   {"stop_sell", true}}));
    ASSERT_EQ(rates.status, 200) << rates.body;
    EXPECT_EQ(reason_of(body(20, 22, flex_)), "422 stop_sell");

    // The price changed: 409 conflict (the code API.md names) with the new total.
    auto changed = book(
        guest_, body(10, 12, flex_,
                     {{"expected_total", json::object{{"amount", "1.00"}, {"currency", "EUR"}}}}));
    EXPECT_EQ(changed.status, 409);
    EXPECT_EQ(code_of(changed), "conflict");
    const auto j = json_of(changed);
    EXPECT_EQ(s(j.at("reason")), "price_changed");
    const auto now = book(guest_, body(10, 12, flex_));
    ASSERT_EQ(now.status, 201);
    EXPECT_EQ(s(j.at("current_total").at("amount")), s(json_of(now).at("total").at("amount")));
    EXPECT_EQ(s(j.at("current_total").at("currency")), "EUR");
    // A problem with one cause only has no reason.
    EXPECT_FALSE(json_of(call(port(), "GET", "/v1/bookings/" + std_, guest_))
                     .as_object()
                     .contains("reason"));
}

}  // namespace

// Headers in the document (issue 16): every response of every operation declares X-Request-Id,
// every 401 WWW-Authenticate, every 429 and 503 Retry-After; and answers that are not 2xx
// declare what they send too.
TEST_F(Contract, HeadersThatResponsesSendAreDeclared) {
    std::vector<std::string> missing;
    for (const auto& [path, ops] : checker_->doc().at("paths").as_object())
        for (const auto& [method, op] : ops.as_object()) {
            if (!op.is_object() || !op.as_object().contains("responses"))
                continue;
            for (const auto& [status, response] : op.at("responses").as_object()) {
                const auto declared =
                    checker_->headers(std::string(path), std::string(method), std::string(status));
                const std::string where =
                    std::string(method) + " " + std::string(path) + " " + std::string(status);
                if (!declared.contains("x-request-id"))
                    missing.push_back(where + ": X-Request-Id");
                if (status == "401" && !declared.contains("www-authenticate"))
                    missing.push_back(where + ": WWW-Authenticate");
                if ((status == "429" || status == "503") && !declared.contains("retry-after"))
                    missing.push_back(where + ": Retry-After");
            }
        }
    EXPECT_TRUE(missing.empty()) << [&] {
        std::string all;
        for (const auto& m : missing)
            all += "\n  " + m;
        return all;
    }();

    // Real answers, 2xx and not: a hotel created (Location), a booking read again with its
    // ETag (304), a call without a token (401).
    const auto created = call(port(), "POST", "/v1/hotels", admin_,
                              json::serialize(json::object{{"name", "Headers"},
                                                           {"city", "Faro"},
                                                           {"country", "PT"},
                                                           {"timezone", "Europe/Lisbon"},
                                                           {"currency", "EUR"}}));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_TRUE(created.header("location").has_value());
    headers_declared("POST", "/v1/hotels", created);
    auto made = book(guest_, body(10, 12, flex_));
    ASSERT_EQ(made.status, 201) << made.body;
    headers_declared("POST", "/v1/bookings", made);
    const auto path = "/v1/bookings/" + s(json_of(made).at("id"));
    auto again = http_request(port(), "GET", path,
                              {{"Authorization", "Bearer " + guest_},
                               {"If-None-Match", made.header("etag").value_or("")}});
    ASSERT_EQ(again.status, 304);
    headers_declared("GET", "/v1/bookings/{id}", again);
    auto anonymous = call(port(), "GET", "/v1/me", "");
    ASSERT_EQ(anonymous.status, 401);
    EXPECT_TRUE(anonymous.header("www-authenticate").has_value());
    headers_declared("GET", "/v1/me", anonymous);
}
