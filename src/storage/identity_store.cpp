#include "storage/identity_store.hpp"

#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "pg/error.hpp"
#include "pg/transaction.hpp"
#include "storage/identity_sql.hpp"
#include "storage/migration_set.hpp"
#include "storage/password_hash.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {

// sql::user_by_email, sql::user_by_id and sql::users_page (USER_SELECT), by column name:
// row i.
core::UserRecord user_from(const pg::Rows& rows, int i = 0) {
    const int id = rows.column("id"), email = rows.column("email"), name = rows.column("name"),
              hash = rows.column("password_hash"), role = rows.column("role"),
              hotels = rows.column("hotel_ids"), version = rows.column("token_version"),
              disabled = rows.column("disabled");
    core::UserRecord u;
    u.id = rows.get_as<pg::Uuid>(i, id).text;
    u.email = rows.get_as<std::string>(i, email);
    u.name = rows.get_as<std::string>(i, name);
    u.password_hash = rows.get_as<std::string>(i, hash);
    u.role = core::parse_role(rows.get_as<std::string>(i, role)).value_or(core::Role::guest);
    auto hotel_ids = rows.get_as<std::vector<pg::Uuid>>(i, hotels);
    for (auto& h : hotel_ids)
        u.hotel_ids.push_back(std::move(h.text));
    u.token_version = rows.get_as<std::int64_t>(i, version);
    u.disabled = rows.get_as<bool>(i, disabled);
    return u;
}

// sql::auth_attempts_count: a scope's attempts and the seconds until its window ends.
struct AttemptColumns {
    explicit AttemptColumns(const pg::Rows& rows)
        : scope(rows.column("scope")),
          attempts(rows.column("attempts")),
          seconds_left(rows.column("seconds_left")) {}

    core::AttemptCount count(const pg::Rows& rows, int i) const {
        return {rows.get_as<std::int64_t>(i, attempts),
                std::chrono::seconds(rows.get_as<std::int64_t>(i, seconds_left))};
    }

    int scope, attempts, seconds_left;
};

// 256 random bits, base64url without padding.
std::string random_token() {
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string out(sodium_base64_encoded_len(sizeof bytes, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes, variant);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string pair_key(const std::string& email, const std::string& address) {
    // An address holds no '|'; an email may, so the address goes first.
    return address + "|" + email;
}

}  // namespace

asio::awaitable<core::Result<core::UserRecord, core::CreateUserError>> PgUserStore::create(
    core::NewUser user) {
    std::vector<pg::Uuid> hotels;
    for (const auto& h : user.hotel_ids)
        hotels.push_back(pg::Uuid{h});
    try {
        auto id = co_await pg::with_transaction(
            *pool_, [&](pg::Transaction& tx) -> asio::awaitable<std::optional<std::string>> {
                const std::string role(core::to_string(user.role));
                auto rows = co_await tx.query(sql::user_insert, user.email, user.name,
                                              user.password_hash, role);
                if (rows.empty())
                    co_return std::nullopt;
                const auto id = rows.get_as<pg::Uuid>(0, 0);
                if (!hotels.empty())
                    co_await tx.query(sql::user_hotels_insert, hotels, id);
                co_return id.text;
            });
        if (!id)
            co_return core::fail(core::CreateUserError::email_taken);
        core::UserRecord record;
        record.id = *id;
        record.email = user.email;
        record.name = user.name;
        record.password_hash = user.password_hash;
        record.role = user.role;
        record.hotel_ids = user.hotel_ids;
        std::sort(record.hotel_ids.begin(), record.hotel_ids.end());
        record.hotel_ids.erase(std::unique(record.hotel_ids.begin(), record.hotel_ids.end()),
                               record.hotel_ids.end());
        co_return record;
    } catch (const pg::Error& e) {
        if (e.kind() == pg::ErrorKind::foreign_key_violation)
            co_return core::fail(core::CreateUserError::unknown_hotel);
        if (e.kind() == pg::ErrorKind::unique_violation)
            co_return core::fail(core::CreateUserError::email_taken);
        throw;
    }
}

asio::awaitable<std::optional<core::UserRecord>> PgUserStore::find_by_email(std::string email) {
    auto rows = co_await pool_->query(sql::user_by_email, email);
    if (rows.empty())
        co_return std::nullopt;
    co_return user_from(rows);
}

asio::awaitable<std::optional<core::UserRecord>> PgUserStore::find_by_id(std::string id) {
    if (!pg::Uuid::valid(id))
        co_return std::nullopt;
    const pg::Uuid uuid{id};
    auto rows = co_await pool_->query(sql::user_by_id, uuid);
    if (rows.empty())
        co_return std::nullopt;
    co_return user_from(rows);
}

asio::awaitable<std::vector<core::UserRecord>> PgUserStore::list(core::UserQuery query) {
    std::optional<std::string> role;
    if (query.role)
        role = std::string(core::to_string(*query.role));
    std::optional<pg::Uuid> hotel, after;
    if (query.hotel_id)
        hotel = pg::Uuid{*query.hotel_id};
    if (query.after)
        after = pg::Uuid{*query.after};
    const auto limit = static_cast<std::int64_t>(query.limit);
    auto rows =
        co_await pool_->query(sql::users_page, role, hotel, query.email_prefix, after, limit);
    std::vector<core::UserRecord> users;
    for (int i = 0; i < rows.size(); ++i)
        users.push_back(user_from(rows, i));
    co_return users;
}

asio::awaitable<bool> PgUserStore::email_taken(std::string email) {
    auto rows = co_await pool_->query(sql::user_email_taken, email);
    co_return rows.scalar<bool>();
}

asio::awaitable<std::optional<core::AccountState>> PgUserStore::account_state(std::string id) {
    if (!pg::Uuid::valid(id))
        co_return std::nullopt;
    const pg::Uuid uuid{id};
    auto rows = co_await pool_->query(sql::user_account_state, uuid);
    if (rows.empty())
        co_return std::nullopt;
    co_return core::AccountState{rows.get_as<std::int64_t>(0, rows.column("token_version")),
                                 rows.get_as<bool>(0, rows.column("disabled"))};
}

asio::awaitable<core::Result<core::UserRecord, core::UpdateUserError>> PgUserStore::update_access(
    core::UserAccessChange change) {
    if (!pg::Uuid::valid(change.id))
        co_return core::fail(core::UpdateUserError::not_found);
    const pg::Uuid uuid{change.id};
    std::vector<pg::Uuid> hotels;
    for (const auto& h : change.hotel_ids)
        hotels.push_back(pg::Uuid{h});
    const std::string role(core::to_string(change.role));
    try {
        const bool found = co_await pg::with_transaction(
            *pool_, [&](pg::Transaction& tx) -> asio::awaitable<bool> {
                auto rows = co_await tx.query(sql::user_access_update, uuid, role, change.disabled);
                if (rows.empty())
                    co_return false;
                co_await tx.query(sql::user_hotels_clear, uuid);
                if (!hotels.empty())
                    co_await tx.query(sql::user_hotels_insert, hotels, uuid);
                co_return true;
            });
        if (!found)
            co_return core::fail(core::UpdateUserError::not_found);
    } catch (const pg::Error& e) {
        if (e.kind() == pg::ErrorKind::foreign_key_violation)
            co_return core::fail(core::UpdateUserError::unknown_hotel);
        throw;
    }
    auto user = co_await find_by_id(change.id);
    if (!user)  // deleted meanwhile
        co_return core::fail(core::UpdateUserError::not_found);
    co_return std::move(*user);
}

asio::awaitable<core::LoginAttemptCounts> PgLoginThrottle::count_login(std::string email,
                                                                       std::string address) {
    const std::vector<std::string> scopes{"pair", "email", "address"};
    const std::vector<std::string> keys{pair_key(email, address), email, address};
    const std::vector<std::int32_t> windows{
        static_cast<std::int32_t>(policy_.pair.window.count()),
        static_cast<std::int32_t>(policy_.email.window.count()),
        static_cast<std::int32_t>(policy_.address.window.count())};
    auto rows = co_await pool_->query(sql::auth_attempts_count, scopes, keys, windows);
    const AttemptColumns c(rows);
    core::LoginAttemptCounts counts;
    for (int i = 0; i < rows.size(); ++i) {
        const auto scope = rows.get_as<std::string>(i, c.scope);
        const auto count = c.count(rows, i);
        if (scope == "pair")
            counts.pair = count;
        else if (scope == "email")
            counts.email = count;
        else if (scope == "address")
            counts.address = count;
    }
    co_return counts;
}

asio::awaitable<void> PgLoginThrottle::forgive_login(std::string email, std::string address) {
    const std::string pair = pair_key(email, address);
    co_await pool_->query(sql::auth_attempts_forgive, pair, email, address);
}

asio::awaitable<core::AttemptCount> PgLoginThrottle::count_registration(std::string address) {
    const std::vector<std::string> scopes{"register"};
    const std::vector<std::string> keys{address};
    const std::vector<std::int32_t> windows{
        static_cast<std::int32_t>(policy_.registration.window.count())};
    auto rows = co_await pool_->query(sql::auth_attempts_count, scopes, keys, windows);
    co_return AttemptColumns(rows).count(rows, 0);
}

asio::awaitable<long long> PgLoginThrottle::prune() {
    auto rows = co_await pool_->query(sql::auth_attempts_prune);
    co_return rows.affected();
}

asio::awaitable<std::string> PgSessionStore::start(std::string user_id) {
    std::string token = random_token();
    const std::string hash = sha256_hex(token);
    const pg::Uuid uuid{user_id};
    const auto seconds = static_cast<std::int32_t>(lifetime_.count());
    co_await pool_->query(sql::refresh_token_start, hash, uuid, seconds);
    co_return token;
}

asio::awaitable<core::Result<core::RotatedSession, core::RefreshError>> PgSessionStore::rotate(
    std::string refresh_token) {
    const std::string presented = sha256_hex(refresh_token);
    std::string successor = random_token();
    const std::string successor_hash = sha256_hex(successor);
    const auto seconds = static_cast<std::int32_t>(lifetime_.count());
    auto rows =
        co_await pool_->query(sql::refresh_token_rotate, presented, successor_hash, seconds);
    if (!rows.empty()) {
        core::RotatedSession rotated;
        rotated.user_id = rows.get_as<pg::Uuid>(0, 0).text;
        rotated.refresh_token = std::move(successor);
        co_return rotated;
    }
    // Not usable. Was it already rotated? Then someone holds a copy: end the family.
    auto revoked = co_await pool_->query(sql::refresh_family_revoke_reused, presented);
    if (revoked.affected() > 0)
        co_return core::fail(core::RefreshError::reused);
    co_return core::fail(core::RefreshError::invalid);
}

asio::awaitable<void> PgSessionStore::end(std::string refresh_token) {
    const std::string hash = sha256_hex(refresh_token);
    co_await pool_->query(sql::refresh_family_revoke, hash);
}

asio::awaitable<void> PgSessionStore::end_all(std::string user_id) {
    if (!pg::Uuid::valid(user_id))
        co_return;
    const pg::Uuid uuid{user_id};
    co_await pool_->query(sql::refresh_user_revoke, uuid);
}

asio::awaitable<long long> PgSessionStore::prune() {
    auto rows = co_await pool_->query(sql::refresh_tokens_prune);
    co_return rows.affected();
}

Argon2Hasher::Argon2Hasher(int threads)
    : pool_(static_cast<std::size_t>(std::max(1, threads))),
      decoy_(hash_password("decoy password, never valid")) {}

Argon2Hasher::~Argon2Hasher() {
    pool_.join();
}

// The work is a named object moved into co_spawn: a closure temporary holding strings inside
// the co_await expression would be destroyed twice by GCC 12 (see docs/ARCHITECTURE.md).
asio::awaitable<std::string> Argon2Hasher::hash(std::string password) {
    auto work = [p = std::move(password)]() -> asio::awaitable<std::string> {
        co_return hash_password(p);
    };
    co_return co_await asio::co_spawn(pool_.get_executor(), std::move(work), asio::use_awaitable);
}

asio::awaitable<bool> Argon2Hasher::verify(std::string encoded_hash, std::string password) {
    auto work = [h = std::move(encoded_hash), p = std::move(password)]() -> asio::awaitable<bool> {
        co_return verify_password(h, p);
    };
    co_return co_await asio::co_spawn(pool_.get_executor(), std::move(work), asio::use_awaitable);
}

}  // namespace hotel::storage
