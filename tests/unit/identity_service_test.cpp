// Identity use cases over in-memory ports: throttling decisions, registration cost, the
// per-node account cache.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <map>
#include <optional>

#include "core/account_cache.hpp"
#include "core/identity_service.hpp"
#include "core/throttle.hpp"

using namespace hotel::core;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// Runs a coroutine to completion. (co_spawn's own result needs a default-constructible type,
// which Result is not, so the value is handed over by a wrapper.)
template <class T>
T run(asio::awaitable<T> aw) {
    asio::io_context ioc;
    std::optional<T> out;
    std::exception_ptr failure;
    auto wrapper = [&]() -> asio::awaitable<void> {
        T value = co_await std::move(aw);
        out.emplace(std::move(value));
    };
    asio::co_spawn(ioc, std::move(wrapper), [&failure](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure)
        std::rethrow_exception(failure);
    return std::move(*out);
}

class FakeUsers final : public UserStore {
  public:
    std::map<std::string, UserRecord> by_email;
    int state_reads = 0;
    asio::awaitable<Result<UserRecord, CreateUserError>> create(NewUser u) override {
        if (by_email.count(u.email))
            co_return fail(CreateUserError::email_taken);
        UserRecord r;
        r.id = "id-" + u.email;
        r.email = u.email;
        r.name = u.name;
        r.password_hash = u.password_hash;
        r.role = u.role;
        r.hotel_ids = u.hotel_ids;
        by_email[u.email] = r;
        co_return r;
    }
    asio::awaitable<std::optional<UserRecord>> find_by_email(std::string email) override {
        auto it = by_email.find(email);
        if (it == by_email.end())
            co_return std::nullopt;
        co_return it->second;
    }
    asio::awaitable<std::optional<UserRecord>> find_by_id(std::string id) override {
        for (const auto& [e, u] : by_email)
            if (u.id == id)
                co_return u;
        co_return std::nullopt;
    }
    asio::awaitable<bool> email_taken(std::string email) override {
        co_return by_email.count(email) > 0;
    }
    asio::awaitable<Result<UserRecord, UpdateUserError>> update_access(
        UserAccessChange c) override {
        for (auto& [e, u] : by_email)
            if (u.id == c.id) {
                u.role = c.role;
                u.hotel_ids = c.hotel_ids;
                u.disabled = c.disabled;
                ++u.token_version;
                co_return u;
            }
        co_return fail(UpdateUserError::not_found);
    }
    // The map is in email order, as the store's list is.
    asio::awaitable<std::vector<UserRecord>> list(UserQuery q) override {
        std::string after_email;
        if (q.after) {
            auto cursor = co_await find_by_id(*q.after);
            if (!cursor)
                co_return std::vector<UserRecord>{};
            after_email = cursor->email;
        }
        std::vector<UserRecord> out;
        for (const auto& [e, u] : by_email) {
            if (static_cast<int>(out.size()) == q.limit)
                break;
            const bool in_hotel = !q.hotel_id || std::find(u.hotel_ids.begin(), u.hotel_ids.end(),
                                                           *q.hotel_id) != u.hotel_ids.end();
            if ((!q.role || u.role == *q.role) && in_hotel && e.rfind(q.email_prefix, 0) == 0 &&
                e > after_email)
                out.push_back(u);
        }
        co_return out;
    }
    asio::awaitable<std::optional<AccountState>> account_state(std::string id) override {
        ++state_reads;
        for (const auto& [e, u] : by_email)
            if (u.id == id)
                co_return AccountState{u.token_version, u.disabled};
        co_return std::nullopt;
    }
};

class FakeHasher final : public PasswordHasher {
  public:
    int hashes = 0;
    int verifies = 0;
    asio::awaitable<std::string> hash(std::string password) override {
        ++hashes;
        co_return "h:" + password;
    }
    asio::awaitable<bool> verify(std::string encoded, std::string password) override {
        ++verifies;
        co_return encoded == "h:" + password;
    }
    const std::string& decoy_hash() const override { return decoy_; }

  private:
    std::string decoy_ = "decoy";
};

// Counts without windows: enough for the use cases' decisions.
class FakeThrottle final : public LoginThrottle {
  public:
    std::map<std::string, long long> counts;
    asio::awaitable<LoginAttemptCounts> count_login(std::string email,
                                                    std::string address) override {
        LoginAttemptCounts c;
        c.pair = {++counts["pair:" + address + "|" + email], 60s};
        c.email = {++counts["email:" + email], 60s};
        c.address = {++counts["address:" + address], 60s};
        co_return c;
    }
    asio::awaitable<void> forgive_login(std::string email, std::string address) override {
        counts.erase("pair:" + address + "|" + email);
        --counts["email:" + email];
        --counts["address:" + address];
        co_return;
    }
    asio::awaitable<AttemptCount> count_registration(std::string address) override {
        co_return AttemptCount{++counts["register:" + address], 30s};
    }
};

class FakeSessions final : public SessionStore {
  public:
    asio::awaitable<std::string> start(std::string user_id) override {
        co_return "refresh-" + user_id;
    }
    asio::awaitable<Result<RotatedSession, RefreshError>> rotate(std::string) override {
        co_return fail(RefreshError::invalid);
    }
    asio::awaitable<void> end(std::string) override { co_return; }
    asio::awaitable<void> end_all(std::string) override { co_return; }
    std::chrono::seconds lifetime() const override { return 3600s; }
};

ThrottlePolicy small_policy() {
    ThrottlePolicy policy;
    policy.pair = {3, 60s};
    policy.email = {5, 60s};
    policy.address = {8, 60s};
    policy.registration = {4, 30s};
    return policy;
}

struct World {
    FakeUsers users;
    FakeHasher hasher;
    FakeThrottle throttle;
    FakeSessions sessions;
    IdentityService service{users, hasher, throttle, sessions, small_policy()};
};

}  // namespace

TEST(Throttle, PairAddressAndEmailLimits) {
    ThrottlePolicy p;
    p.pair = {10, 900s};
    p.email = {100, 900s};
    p.address = {100, 300s};
    auto counts = [](long long pair, long long email, long long address) {
        return LoginAttemptCounts{{pair, 600s}, {email, 800s}, {address, 200s}};
    };
    EXPECT_FALSE(login_refused_for(p, counts(10, 10, 10)));
    EXPECT_EQ(login_refused_for(p, counts(11, 11, 11)), 600s);
    EXPECT_EQ(login_refused_for(p, counts(1, 1, 101)), 200s);
    // An email under attack: a first attempt from a clean address still gets through...
    EXPECT_FALSE(login_refused_for(p, counts(1, 5000, 1)));
    // ... an address that has already tried it waits.
    EXPECT_EQ(login_refused_for(p, counts(2, 101, 2)), 600s);
    // The longest wait wins; never less than a second.
    EXPECT_EQ(login_refused_for(p, counts(11, 1, 101)), 600s);
    EXPECT_EQ(login_refused_for(p, LoginAttemptCounts{{11, 0s}, {}, {}}), 1s);
    p.registration = {20, 3600s};
    EXPECT_FALSE(registration_refused_for(p, {20, 100s}));
    EXPECT_EQ(registration_refused_for(p, {21, 100s}), 100s);
}

TEST(IdentityService, ATakenEmailIsAnsweredWithoutHashing) {
    World w;
    auto first =
        run(w.service.register_guest({"a@example.com", "long enough password", "A"}, "1.1.1.1"));
    ASSERT_TRUE(first);
    EXPECT_EQ(w.hasher.hashes, 1);
    auto again =
        run(w.service.register_guest({"A@example.com", "another password!", "A"}, "1.1.1.1"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().error, IdentityError::email_taken);
    EXPECT_EQ(w.hasher.hashes, 1) << "no Argon2 hash for an email that is taken";
}

TEST(IdentityService, RegistrationsAreLimitedPerAddress) {
    World w;
    for (int i = 0; i < 4; ++i)
        ASSERT_TRUE(run(w.service.register_guest(
            {"r" + std::to_string(i) + "@example.com", "long enough password", "R"}, "2.2.2.2")));
    auto fifth =
        run(w.service.register_guest({"r9@example.com", "long enough password", "R"}, "2.2.2.2"));
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().error, IdentityError::rate_limited);
    EXPECT_EQ(fifth.error().retry_after, 30s);
    EXPECT_EQ(w.hasher.hashes, 4);
    EXPECT_TRUE(
        run(w.service.register_guest({"r9@example.com", "long enough password", "R"}, "3.3.3.3")));
}

TEST(IdentityService, TheOwnerLogsInFromACleanAddressWhileAnotherAddressHammers) {
    World w;
    ASSERT_TRUE(
        run(w.service.register_guest({"v@example.com", "the right password", "V"}, "9.9.9.9")));
    int refused = 0, wrong = 0;
    for (int i = 0; i < 20; ++i) {
        auto r = run(w.service.login("v@example.com", "a wrong password", "6.6.6.6"));
        ASSERT_FALSE(r);
        (r.error().error == IdentityError::rate_limited ? refused : wrong)++;
    }
    EXPECT_EQ(wrong, 3);
    EXPECT_EQ(refused, 17);
    EXPECT_EQ(w.hasher.verifies, 3) << "refused attempts check no password";
    auto owner = run(w.service.login("v@example.com", "the right password", "7.7.7.7"));
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->refresh_token, "refresh-id-v@example.com");
    EXPECT_FALSE(run(w.service.login("v@example.com", "the right password", "6.6.6.6")));
}

TEST(IdentityService, AdminsCannotDemoteOrDisableThemselves) {
    World w;
    ASSERT_TRUE(
        run(w.service.register_guest({"adm@example.com", "long enough password", "A"}, "1.1.1.1")));
    w.users.by_email["adm@example.com"].role = Role::admin;
    const Caller admin{"id-adm@example.com", Role::admin, {}};
    AccessChanges demote;
    demote.role = Role::guest;
    auto r = run(w.service.change_access(admin, "id-adm@example.com", demote));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().error, IdentityError::self_lockout);
    const Caller guest{"id-x", Role::guest, {}};
    auto g = run(w.service.change_access(guest, "id-adm@example.com", demote));
    ASSERT_FALSE(g);
    EXPECT_EQ(g.error().error, IdentityError::forbidden);
}

TEST(IdentityService, UsersArePagedInEmailOrderFromTheLastIdOfAPage) {
    World w;
    for (const auto* email : {"c@example.com", "a@example.com", "b@example.com"})
        ASSERT_TRUE(run(w.service.register_guest({email, "long enough password", "N"}, "1.1.1.1")));
    const Caller admin{"id-admin", Role::admin, {}};
    UserQuery first;
    first.limit = 2;
    auto p1 = run(w.service.list_users(admin, first));
    ASSERT_TRUE(p1);
    ASSERT_EQ(p1->items.size(), 2u);
    EXPECT_EQ(p1->items[0].email, "a@example.com");
    EXPECT_EQ(p1->items[1].email, "b@example.com");
    EXPECT_TRUE(p1->has_more);
    EXPECT_EQ(p1->next_cursor, std::optional<std::string>("id-b@example.com"));
    UserQuery second = first;
    second.after = p1->next_cursor;
    auto p2 = run(w.service.list_users(admin, second));
    ASSERT_TRUE(p2);
    ASSERT_EQ(p2->items.size(), 1u);
    EXPECT_EQ(p2->items[0].email, "c@example.com");
    EXPECT_FALSE(p2->has_more);
    // Past the end: nothing, and the same cursor to resume from.
    UserQuery third = first;
    third.after = p2->next_cursor;
    auto p3 = run(w.service.list_users(admin, third));
    ASSERT_TRUE(p3);
    EXPECT_TRUE(p3->items.empty());
    EXPECT_EQ(p3->next_cursor, p2->next_cursor);
    // A prefix is matched as emails are stored: trimmed and in lower case.
    UserQuery prefix;
    prefix.email_prefix = " B@";
    auto p4 = run(w.service.list_users(admin, prefix));
    ASSERT_TRUE(p4);
    ASSERT_EQ(p4->items.size(), 1u);
    EXPECT_EQ(p4->items[0].email, "b@example.com");
}

TEST(IdentityService, OnlyAdminsListUsersAndPagesHoldOneToAHundred) {
    World w;
    UserQuery q;
    for (auto role : {Role::guest, Role::staff, Role::manager}) {
        const Caller caller{"id-x", role, {}};
        auto r = run(w.service.list_users(caller, q));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().error, IdentityError::forbidden);
    }
    const Caller admin{"id-admin", Role::admin, {}};
    for (int limit : {0, kMaxUserPageLimit + 1}) {
        q.limit = limit;
        auto r = run(w.service.list_users(admin, q));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().error, IdentityError::invalid_query);
        EXPECT_EQ(r.error().field, "limit");
    }
}

TEST(AccountCache, ReadsEachAccountOncePerTimeToLive) {
    FakeUsers users;
    UserRecord u;
    u.id = "u1";
    u.token_version = 2;
    users.by_email["u1@example.com"] = u;
    auto now = std::chrono::steady_clock::time_point{} + 1h;
    AccountCache cache(users, 2000ms, [&now] { return now; });
    for (int i = 0; i < 100; ++i)
        EXPECT_TRUE(run(cache.admits("u1", 2)));
    EXPECT_EQ(users.state_reads, 1);
    EXPECT_FALSE(run(cache.admits("u1", 1))) << "a token older than the account's version";
    EXPECT_TRUE(run(cache.admits("u1", 3)));
    EXPECT_EQ(users.state_reads, 1);
    // A change elsewhere is seen once the entry is older than the time-to-live.
    users.by_email["u1@example.com"].token_version = 3;
    now += 1999ms;
    EXPECT_TRUE(run(cache.admits("u1", 2)));
    now += 2ms;
    EXPECT_FALSE(run(cache.admits("u1", 2)));
    EXPECT_EQ(users.state_reads, 2);
    // A change on this node is seen at once.
    users.by_email["u1@example.com"].disabled = true;
    cache.forget("u1");
    EXPECT_FALSE(run(cache.admits("u1", 3)));
    // An account that does not exist admits nothing.
    EXPECT_FALSE(run(cache.admits("nobody", 0)));
}

TEST(AccountCache, ZeroTimeToLiveReadsEveryTime) {
    FakeUsers users;
    UserRecord u;
    u.id = "u1";
    users.by_email["u1@example.com"] = u;
    AccountCache cache(users, 0ms);
    for (int i = 0; i < 5; ++i)
        EXPECT_TRUE(run(cache.admits("u1", 0)));
    EXPECT_EQ(users.state_reads, 5);
    EXPECT_EQ(cache.size(), 0u);
}
