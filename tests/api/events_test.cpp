// Events out (issue 15, part 1): the event feed and webhooks, against real hoteld and
// PostgreSQL, with a loopback receiver (tests/support/webhook_receiver.hpp) that fails on
// purpose. Every wait is bounded.

#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "booking_fixture.hpp"
#include "webhook_receiver.hpp"

namespace hotel::test {
namespace {

// Fast retries and polling, loopback targets allowed: the settings every test here runs with.
std::vector<std::string> webhook_env(std::vector<std::string> extra = {}) {
    std::vector<std::string> env{"HOTEL_DB_ACQUIRE_TIMEOUT_MS=30000",
                                 "HOTEL_MAX_UNSECURED_BOOKINGS=100000",
                                 "HOTEL_WEBHOOK_ALLOW_PRIVATE=1",
                                 "HOTEL_WEBHOOK_RETRY_BASE_MS=50",
                                 "HOTEL_WEBHOOK_RETRY_MAX_MS=400",
                                 "HOTEL_WEBHOOK_POLL_MS=50",
                                 "HOTEL_WEBHOOK_TIMEOUT_MS=2000"};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

const std::string kSecret = "a webhook secret of some length";

class Events : public SmallHotel {
  protected:
    void SetUp() override {
        SmallHotel::SetUp();
        restart(webhook_env());
        manager_ = user("manager@example.com", "manager", ids_["hotel"]);
        desk_ = user("desk@example.com", "staff", ids_["hotel"]);
        other_manager_ = user("lisbon-manager@example.com", "manager", lisbon_);
        other_desk_ = user("lisbon-desk@example.com", "staff", lisbon_);
    }
    void restart(std::vector<std::string> env) {
        server_.reset();
        server_ = std::make_unique<Hoteld>(*db_, std::move(env));
    }
    HttpResponse subscribe(const std::string& url, json::array events = {"*"},
                           const std::string& token = {}) {
        return call(port(), "POST", base_ + "/webhooks", token.empty() ? manager_ : token,
                    json::serialize(json::object{
                        {"url", url}, {"events", std::move(events)}, {"secret", kSecret}}));
    }
    // The feed from `after` to its end, page by page (at most 100 pages).
    std::vector<json::value> feed_all(const std::string& after = "0", int limit = 2,
                                      std::string* last_cursor = nullptr) {
        std::vector<json::value> out;
        std::string cursor = after;
        for (int i = 0; i < 100; ++i) {
            auto r = call(port(), "GET",
                          base_ + "/events?after=" + cursor + "&limit=" + std::to_string(limit),
                          desk_);
            EXPECT_EQ(r.status, 200) << r.body;
            if (r.status != 200)
                break;
            const auto page = json_of(r);
            for (const auto& item : page.at("items").as_array())
                out.push_back(item);
            cursor = s(page.at("next_cursor"));
            if (!page.at("has_more").as_bool())
                break;
        }
        if (last_cursor)
            *last_cursor = cursor;
        return out;
    }
    long long hotel_events() {
        auto c = db_->connect();
        auto rows = c.query("SELECT count(*) FROM booking_events WHERE hotel_id = $1::uuid",
                            {ids_["hotel"]});
        return std::stoll(std::string(rows.text(0, 0)));
    }
    // Waits (bounded) until the feed shows every event of the hotel.
    std::vector<json::value> feed_when_complete() {
        const auto want = static_cast<std::size_t>(hotel_events());
        std::vector<json::value> items;
        for (int i = 0; i < 200; ++i) {
            items = feed_all("0", 50);
            if (items.size() >= want)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        return items;
    }
    std::string manager_, desk_, other_manager_, other_desk_;
};

TEST_F(Events, TheFeedListsEveryEventInOrderAndResumesFromItsCursor) {
    const auto a = stay(1, 2);
    const auto b = stay(2, 4);
    ASSERT_FALSE(a.empty() || b.empty());
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + a, guest_).status, 200);
    const auto items = feed_when_complete();
    ASSERT_EQ(items.size(), 3u);  // a created, b created, a cancelled
    long long previous = 0;
    std::set<std::string> ids;
    for (const auto& e : items) {
        const long long seq = std::stoll(s(e.at("sequence")));
        EXPECT_GT(seq, previous);
        previous = seq;
        ids.insert(s(e.at("id")));
        EXPECT_EQ(s(e.at("hotel_id")), ids_["hotel"]);
        EXPECT_TRUE(e.at("data").is_object());
        EXPECT_FALSE(s(e.at("occurred_at")).empty());
    }
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(s(items[0].at("type")), "booking.created");
    EXPECT_EQ(s(items[0].at("booking_id")), a);
    EXPECT_EQ(s(items[2].at("type")), "booking.cancelled");
    EXPECT_EQ(s(items[2].at("booking_id")), a);

    // Resuming from the last cursor gives only what came since.
    std::string cursor;
    feed_all("0", 2, &cursor);
    EXPECT_EQ(cursor, s(items.back().at("sequence")));
    auto empty = json_of(call(port(), "GET", base_ + "/events?after=" + cursor, desk_));
    EXPECT_EQ(empty.at("items").as_array().size(), 0u);
    EXPECT_EQ(s(empty.at("next_cursor")), cursor);
    EXPECT_FALSE(empty.at("has_more").as_bool());
    const auto c = stay(5, 6);
    ASSERT_FALSE(c.empty());
    std::vector<json::value> later;
    for (int i = 0; i < 200 && later.empty(); ++i) {
        later = feed_all(cursor, 10);
        if (later.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(s(later[0].at("booking_id")), c);
    EXPECT_GT(std::stoll(s(later[0].at("sequence"))), std::stoll(cursor));

    // Another hotel's events are not in this feed.
    auto other = json_of(call(port(), "GET", "/v1/hotels/" + lisbon_ + "/events", admin_));
    for (const auto& e : other.at("items").as_array())
        EXPECT_EQ(s(e.at("hotel_id")), lisbon_);
}

TEST_F(Events, AReaderPollingDuringABookingStormMissesNoEvent) {
    // Six clients book and cancel while a reader follows the feed from its cursor; at the end
    // the reader has seen every event of the hotel exactly once, in rising sequence.
    std::atomic<bool> done{false};
    std::vector<std::string> seen;
    std::string cursor = "0";
    std::thread reader([&] {
        for (int i = 0; i < 20000; ++i) {
            const bool last = done.load();
            auto r = call(port(), "GET", base_ + "/events?limit=7&after=" + cursor, desk_);
            if (r.status != 200)
                break;
            const auto page = json_of(r);
            for (const auto& e : page.at("items").as_array())
                seen.push_back(s(e.at("sequence")) + " " + s(e.at("id")));
            cursor = s(page.at("next_cursor"));
            if (last && !page.at("has_more").as_bool())
                break;
        }
    });
    std::vector<std::thread> clients;
    for (int c = 0; c < 6; ++c)
        clients.emplace_back([&, c] {
            for (int i = 0; i < 5; ++i) {
                const int night = 1 + (c * 5 + i) % 50;
                auto r = book(guest_, json::object{{"hotel_id", ids_["hotel"]},
                                                   {"room_type_id", ids_["type"]},
                                                   {"rate_plan_id", ids_["plan"]},
                                                   {"check_in", lisbon_date(night)},
                                                   {"check_out", lisbon_date(night + 1)},
                                                   {"guests", 1}});
                if (r.status == 201 && i % 2 == 0)
                    call(port(), "DELETE", "/v1/bookings/" + s(json_of(r).at("id")), guest_);
            }
        });
    for (auto& t : clients)
        t.join();
    // Every event numbered, then one last round of the reader.
    const auto want = static_cast<std::size_t>(hotel_events());
    ASSERT_EQ(feed_when_complete().size(), want);
    done = true;
    reader.join();
    ASSERT_EQ(seen.size(), want);
    long long previous = 0;
    std::set<std::string> ids;
    for (const auto& entry : seen) {
        const auto space = entry.find(' ');
        const long long seq = std::stoll(entry.substr(0, space));
        EXPECT_GT(seq, previous);
        previous = seq;
        ids.insert(entry.substr(space + 1));
    }
    EXPECT_EQ(ids.size(), want);
}

TEST_F(Events, TheFeedAnswersLikeTheFrontOfficeToWhoeverMayNotReadIt) {
    const auto path = base_ + "/events";
    EXPECT_EQ(call(port(), "GET", path, desk_).status, 200);
    EXPECT_EQ(call(port(), "GET", path, manager_).status, 200);
    EXPECT_EQ(call(port(), "GET", path, admin_).status, 200);
    auto r = call(port(), "GET", path, guest_);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(code_of(r), "forbidden");
    for (const auto& token : {other_desk_, other_manager_}) {
        r = call(port(), "GET", path, token);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(code_of(r), "not_found");
    }
    EXPECT_EQ(call(port(), "GET", path).status, 401);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/not-a-uuid/events", admin_).status, 404);
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/00000000-0000-4000-8000-000000000000/events",
                   admin_)
                  .status,
              404);
    for (const auto& [query, field] :
         {std::pair{"?after=abc", "after"}, {"?after=-1", "after"},
          {"?after=99999999999999999999", "after"}, {"?limit=0", "limit"},
          {"?limit=501", "limit"}, {"?limit=x", "limit"}}) {
        r = call(port(), "GET", path + query, desk_);
        EXPECT_EQ(r.status, 400) << query;
        EXPECT_EQ(code_of(r), "validation_failed") << query;
        EXPECT_NE(r.body.find(field), std::string::npos) << r.body;
    }
}

TEST_F(Events, SubscriptionsAreCreatedListedAndDeletedAndNeverShowTheirSecret) {
    WebhookReceiver receiver;
    auto r = subscribe(receiver.url(), {"booking.created", "booking.cancelled",
                                        "booking.created"});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.body.find(kSecret), std::string::npos);
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
    const auto created = json_of(r);
    const auto id = s(created.at("id"));
    EXPECT_EQ(r.header("location").value_or(""), base_ + "/webhooks/" + id);
    EXPECT_EQ(created.at("events").as_array().size(), 2u);  // sorted, each once
    EXPECT_EQ(s(created.at("events").at(0)), "booking.cancelled");

    r = call(port(), "GET", base_ + "/webhooks", admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json_of(r).at("total").as_int64(), 1);
    EXPECT_EQ(r.body.find(kSecret), std::string::npos);
    r = call(port(), "GET", base_ + "/webhooks/" + id, manager_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.find(kSecret), std::string::npos);
    EXPECT_EQ(s(json_of(r).at("url")), receiver.url());

    // Managers of the hotel and admins only.
    for (const auto& token : {guest_, desk_}) {
        for (const auto& [method, path] :
             {std::pair{"GET", base_ + "/webhooks"}, {"GET", base_ + "/webhooks/" + id},
              {"DELETE", base_ + "/webhooks/" + id},
              {"GET", base_ + "/webhooks/" + id + "/deliveries"}}) {
            r = call(port(), method, path, token);
            EXPECT_EQ(r.status, 403) << method << " " << path;
            EXPECT_EQ(code_of(r), "forbidden");
        }
        EXPECT_EQ(subscribe(receiver.url(), {"*"}, token).status, 403);
    }
    for (const auto& token : {other_manager_, other_desk_}) {
        EXPECT_EQ(call(port(), "GET", base_ + "/webhooks", token).status, 404);
        EXPECT_EQ(call(port(), "GET", base_ + "/webhooks/" + id, token).status, 404);
        EXPECT_EQ(subscribe(receiver.url(), {"*"}, token).status, 404);
    }
    // Another hotel's path does not reach this subscription.
    EXPECT_EQ(call(port(), "GET", "/v1/hotels/" + lisbon_ + "/webhooks/" + id, admin_).status,
              404);

    EXPECT_EQ(call(port(), "DELETE", base_ + "/webhooks/" + id, manager_).status, 204);
    r = call(port(), "DELETE", base_ + "/webhooks/" + id, manager_);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code_of(r), "not_found");
    EXPECT_EQ(call(port(), "GET", base_ + "/webhooks/" + id, manager_).status, 404);
    EXPECT_EQ(call(port(), "GET", base_ + "/webhooks/" + id + "/deliveries", manager_).status,
              404);
    EXPECT_EQ(json_of(call(port(), "GET", base_ + "/webhooks", manager_)).at("total").as_int64(),
              0);
    EXPECT_EQ(call(port(), "GET", base_ + "/webhooks/nope", manager_).status, 404);
}

TEST_F(Events, BadSubscriptionsAreRefusedWithTheirField) {
    const auto post = [&](const std::string& body) {
        return call(port(), "POST", base_ + "/webhooks", manager_, body);
    };
    const auto good = json::object{
        {"url", "http://127.0.0.1:9/hook"}, {"events", json::array{"*"}}, {"secret", kSecret}};
    const auto with = [&](const char* field, json::value v) {
        auto b = good;
        b[field] = std::move(v);
        return json::serialize(b);
    };
    const auto without = [&](const char* field) {
        auto b = good;
        b.erase(field);
        return json::serialize(b);
    };
    struct Case {
        std::string body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {without("url"), "url"},
        {without("events"), "events"},
        {without("secret"), "secret"},
        {with("url", "ftp://example.com/x"), "url"},
        {with("url", "http://user:pw@example.com/x"), "url"},
        {with("url", "http://example.com/x#frag"), "url"},
        {with("url", "http://exa mple.com/"), "url"},
        {with("url", "http://example.com:0/"), "url"},
        {with("url", "http://example.com:65536/"), "url"},
        {with("url", "http://[::1/"), "url"},
        {with("url", "example.com/hook"), "url"},
        {with("url", 42), "url"},
        {with("events", json::array{}), "events"},
        {with("events", json::array{"Booking.Created"}), "events[0]"},
        {with("events", json::array{"booking.created", "booking"}), "events[1]"},
        {with("events", "booking.created"), "events"},
        {with("secret", "short"), "secret"},
        {with("secret", json::string(std::string(257, 'x'))), "secret"},
        {with("extra", 1), "extra"},
    };
    for (const auto& c : cases) {
        auto r = post(c.body);
        EXPECT_EQ(r.status, 400) << c.body << " -> " << r.body;
        EXPECT_EQ(code_of(r), "validation_failed") << c.body;
        EXPECT_NE(r.body.find("\"" + c.field + "\""), std::string::npos) << r.body;
    }
    auto r = post("{not json");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(code_of(r), "invalid_json");
    EXPECT_EQ(call(port(), "POST", "/v1/hotels/not-a-uuid/webhooks", manager_, json::serialize(good))
                  .status,
              404);

    // At most 20 live subscriptions per hotel.
    for (int i = 0; i < 20; ++i)
        ASSERT_EQ(post(json::serialize(good)).status, 201) << i;
    r = post(json::serialize(good));
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(code_of(r), "limit_reached");

    // Deliveries: bad query, bad sequence.
    const auto id = s(json_of(call(port(), "GET", base_ + "/webhooks", manager_))
                          .at("items")
                          .at(0)
                          .at("id"));
    const auto deliveries = base_ + "/webhooks/" + id + "/deliveries";
    for (const char* q : {"?status=lost", "?after=x", "?limit=0"}) {
        r = call(port(), "GET", deliveries + q, manager_);
        EXPECT_EQ(r.status, 400) << q;
        EXPECT_EQ(code_of(r), "validation_failed");
    }
    for (const char* seq : {"abc", "123456"}) {
        r = call(port(), "POST", deliveries + "/" + seq + "/replay", manager_);
        EXPECT_EQ(r.status, 404) << seq;
        EXPECT_EQ(code_of(r), "not_found");
    }
}

TEST_F(Events, PrivateAndLoopbackTargetsAreRefusedByDefault) {
    restart({"HOTEL_WEBHOOK_POLL_MS=50"});  // HOTEL_WEBHOOK_ALLOW_PRIVATE unset
    for (const char* url :
         {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://api.localhost/x",
          "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
          "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/", "http://0.0.0.0/",
          "http://[::1]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
          "http://2130706433/", "https://224.0.0.1/"}) {
        auto r = subscribe(url);
        EXPECT_EQ(r.status, 422) << url << " -> " << r.body;
        EXPECT_EQ(code_of(r), "unprocessable") << url;
        EXPECT_NE(r.body.find("\"url\""), std::string::npos) << r.body;
    }
    // A public address is accepted (nothing is sent to it here: no event is booked).
    EXPECT_EQ(subscribe("https://93.184.215.14/hook").status, 201);
    EXPECT_EQ(subscribe("https://hooks.example.com/hotel?x=1").status, 201);
}

TEST_F(Events, AReceiverThatFailsThreeTimesGetsTheEventSignedOnTheFourthTry) {
    WebhookReceiver receiver;
    receiver.fail_next(3, 503);
    auto r = subscribe(receiver.url("/in?src=hotel"), {"booking.created"});
    ASSERT_EQ(r.status, 201) << r.body;
    const auto sub = s(json_of(r).at("id"));
    const auto booking = stay(1, 3);
    ASSERT_FALSE(booking.empty());
    ASSERT_TRUE(receiver.wait_for_ok(1, std::chrono::seconds(20)));
    const auto got = receiver.received();
    ASSERT_EQ(got.size(), 4u);
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].answered, i < 3 ? 503 : 200);
        EXPECT_EQ(got[i].target, "/in?src=hotel");
        EXPECT_EQ(got[i].headers.at("event-id"), got[0].headers.at("event-id"));
        EXPECT_EQ(got[i].headers.at("content-type"), "application/json");
        // The signature: HMAC-SHA256 of timestamp "." body under the secret.
        const auto ts = got[i].headers.at("webhook-timestamp");
        EXPECT_EQ(got[i].headers.at("webhook-signature"),
                  "v1=" + hmac_sha256_hex(kSecret, ts + "." + got[i].body));
        EXPECT_NE(got[i].headers.at("webhook-signature"),
                  "v1=" + hmac_sha256_hex("another secret!!", ts + "." + got[i].body));
        const auto body = json::parse(got[i].body);
        EXPECT_EQ(s(body.at("type")), "booking.created");
        EXPECT_EQ(s(body.at("booking_id")), booking);
        EXPECT_EQ(s(body.at("id")), got[i].headers.at("event-id"));
        EXPECT_TRUE(body.at("data").is_object());
    }
    // The body is the event as the feed shows it (the bytes as docs/WEBHOOKS.md shows them).
    EXPECT_EQ(got[3].body.rfind("{\"id\" : \"", 0), 0u) << got[3].body;
    const auto feed = feed_when_complete();
    ASSERT_EQ(feed.size(), 1u);
    EXPECT_EQ(json::parse(got[3].body), feed[0]);

    // The deliveries show one delivered after four attempts.
    json::value page;
    for (int i = 0; i < 100; ++i) {
        page = json_of(call(port(), "GET", base_ + "/webhooks/" + sub + "/deliveries", manager_));
        if (s(page.at("items").at(0).at("status")) == "delivered")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto& d = page.at("items").at(0);
    EXPECT_EQ(s(d.at("status")), "delivered");
    EXPECT_EQ(d.at("attempts").as_int64(), 4);
    EXPECT_EQ(d.at("last_status").as_int64(), 200);
    EXPECT_TRUE(d.at("last_error").is_null());
    EXPECT_FALSE(d.at("delivered_at").is_null());
    EXPECT_EQ(s(d.at("event_id")), got[0].headers.at("event-id"));

    // Only the types asked for: a cancellation is not sent.
    ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + booking, guest_).status, 200);
    ASSERT_EQ(feed_when_complete().size(), 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(receiver.received().size(), 4u);
}

TEST_F(Events, RetriesEndInTheDeadLettersAndAReplaySendsAgain) {
    restart(webhook_env({"HOTEL_WEBHOOK_RETRY_WINDOW_S=1"}));
    WebhookReceiver receiver;
    receiver.fail_always(500);
    auto r = subscribe(receiver.url());
    ASSERT_EQ(r.status, 201) << r.body;
    const auto sub = s(json_of(r).at("id"));
    const auto deliveries = base_ + "/webhooks/" + sub + "/deliveries";
    ASSERT_FALSE(stay(1, 2).empty());
    json::value dead;
    for (int i = 0; i < 250; ++i) {
        dead = json_of(call(port(), "GET", deliveries + "?status=dead", manager_));
        if (!dead.at("items").as_array().empty())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(dead.at("items").as_array().size(), 1u) << dead;
    const auto& d = dead.at("items").at(0);
    EXPECT_GE(d.at("attempts").as_int64(), 2);
    EXPECT_EQ(d.at("last_status").as_int64(), 500);
    EXPECT_FALSE(d.at("last_error").is_null());
    EXPECT_TRUE(d.at("next_attempt_at").is_null());
    const auto attempts = receiver.received().size();
    EXPECT_EQ(static_cast<long long>(attempts), d.at("attempts").as_int64());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(receiver.received().size(), attempts) << "nothing more after the dead letter";
    // A booking after the dead letter still goes out (the queue moved on) ...
    receiver.fail_always(0);
    ASSERT_FALSE(stay(3, 4).empty());
    ASSERT_TRUE(receiver.wait_for_ok(1, std::chrono::seconds(10)));
    // ... and the replay sends the dead one again.
    const auto seq = s(d.at("sequence"));
    r = call(port(), "POST", deliveries + "/" + seq + "/replay", manager_);
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(s(json_of(r).at("status")), "pending");
    EXPECT_EQ(json_of(r).at("attempts").as_int64(), 0);
    ASSERT_TRUE(receiver.wait_for_ok(2, std::chrono::seconds(10)));
    const auto got = receiver.received();
    EXPECT_EQ(got.back().headers.at("event-id"), s(d.at("event_id")));
    auto all = json_of(call(port(), "GET", deliveries + "?status=delivered", manager_));
    for (int i = 0; i < 100 && all.at("items").as_array().size() < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        all = json_of(call(port(), "GET", deliveries + "?status=delivered", manager_));
    }
    EXPECT_EQ(all.at("items").as_array().size(), 2u);
    EXPECT_EQ(call(port(), "POST", deliveries + "/" + seq + "/replay", desk_).status, 403);
}

TEST_F(Events, AnHttpsTargetMustCompleteATlsHandshake) {
    // The receiver speaks plain HTTP: the handshake fails, the delivery stays pending with the
    // reason, and nothing reaches the receiver as a request.
    WebhookReceiver receiver;
    auto r = subscribe("https://127.0.0.1:" + std::to_string(receiver.port()) + "/tls");
    ASSERT_EQ(r.status, 201) << r.body;
    const auto deliveries = base_ + "/webhooks/" + s(json_of(r).at("id")) + "/deliveries";
    ASSERT_FALSE(stay(1, 2).empty());
    json::value page;
    for (int i = 0; i < 250; ++i) {
        page = json_of(call(port(), "GET", deliveries, manager_));
        if (!page.at("items").as_array().empty() &&
            page.at("items").at(0).at("attempts").as_int64() > 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(page.at("items").as_array().size(), 1u) << page;
    const auto& d = page.at("items").at(0);
    EXPECT_EQ(s(d.at("status")), "pending");
    EXPECT_TRUE(d.at("last_status").is_null());
    EXPECT_NE(s(d.at("last_error")).find("TLS"), std::string::npos) << d;
    for (const auto& g : receiver.received())
        EXPECT_EQ(g.answered, 0) << "no request was read over TLS";
}

TEST_F(Events, KillNineMidDeliveryLosesNoEventAndKeepsTheOrder) {
    WebhookReceiver receiver;
    receiver.delay(std::chrono::milliseconds(150));  // deliveries are in flight most of the time
    auto r = subscribe(receiver.url());
    ASSERT_EQ(r.status, 201) << r.body;
    // 16 events: 12 bookings, and after every third the one before it cancelled (so two
    // bookings' events interleave).
    std::vector<std::string> bookings;
    for (int i = 0; i < 12; ++i) {
        bookings.push_back(stay(1 + 2 * i, 2 + 2 * i));
        ASSERT_FALSE(bookings.back().empty());
        if (i % 3 == 2) {
            ASSERT_EQ(call(port(), "DELETE", "/v1/bookings/" + bookings[i - 1], guest_).status,
                      200);
        }
    }
    // Kill hoteld while deliveries are going out.
    ASSERT_TRUE(receiver.wait_for_any(4, std::chrono::seconds(20)));
    server_->process().signal(SIGKILL);
    ASSERT_TRUE(server_->process().wait(std::chrono::seconds(10)).has_value());
    const auto before = receiver.received().size();
    EXPECT_LT(before, 16u) << "killed before every event went out";
    // A new hoteld (its lease on the subscription lapses first), and more events.
    restart(webhook_env());
    for (int i = 12; i < 15; ++i)
        ASSERT_FALSE(stay(1 + 2 * i, 2 + 2 * i).empty());
    const auto want = static_cast<std::size_t>(hotel_events());
    ASSERT_EQ(want, 12u + 4u + 3u);

    // Every event delivered at least once (a lapsed lease lets the new node resend), in order.
    std::map<std::string, long long> seq_of;  // event id -> sequence
    for (const auto& e : feed_when_complete())
        seq_of[s(e.at("id"))] = std::stoll(s(e.at("sequence")));
    ASSERT_EQ(seq_of.size(), want);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::set<std::string> delivered;
    while (std::chrono::steady_clock::now() < deadline) {
        delivered.clear();
        for (const auto& g : receiver.received()) {
            if (g.answered == 200)
                delivered.insert(g.headers.at("event-id"));
        }
        if (delivered.size() == want)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(delivered.size(), want) << "received before the kill: " << before;
    long long last = 0;
    std::size_t repeats = 0;
    for (const auto& g : receiver.received()) {
        if (g.answered != 200)
            continue;
        const auto seq = seq_of.at(g.headers.at("event-id"));
        // In sequence order; a resend after the kill repeats the last one, never an older one.
        EXPECT_GE(seq, last) << "event " << g.headers.at("event-id");
        repeats += seq == last;
        last = seq;
    }
    EXPECT_LE(repeats, 1u);
}

}  // namespace
}  // namespace hotel::test
