#include "storage/identity_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "pg/error.hpp"
#include "pg/transaction.hpp"
#include "storage/password_hash.hpp"
#include "storage/statements.hpp"

namespace hotel::storage {

namespace asio = boost::asio;

namespace {

core::UserRecord user_from(const pg::Rows& rows) {
    auto [id, email, name, hash, role, hotels] =
        rows.row<pg::Uuid, std::string, std::string, std::string, std::string,
                 std::vector<pg::Uuid>>(0);
    core::UserRecord u;
    u.id = std::move(id.text);
    u.email = std::move(email);
    u.name = std::move(name);
    u.password_hash = std::move(hash);
    u.role = core::parse_role(role).value_or(core::Role::guest);
    for (auto& h : hotels)
        u.hotel_ids.push_back(std::move(h.text));
    return u;
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
        core::UserRecord record{*id,       user.email,    user.name, user.password_hash,
                                user.role, user.hotel_ids};
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

asio::awaitable<std::optional<std::chrono::seconds>> PgLoginThrottle::blocked_for(
    std::string email, std::string address) {
    auto rows = co_await pool_->query(sql::login_blocked_for, email, address,
                                      static_cast<std::int32_t>(limits_.max_failures),
                                      static_cast<std::int32_t>(limits_.window.count()));
    auto wait = rows.get_as<std::optional<std::int64_t>>(0, 0);
    if (!wait)
        co_return std::nullopt;
    co_return std::chrono::seconds(std::max<std::int64_t>(1, *wait));
}

asio::awaitable<void> PgLoginThrottle::record_failure(std::string email, std::string address) {
    co_await pool_->query(sql::login_failure_insert, email, address);
    // Keep the table small: anything older than the window (and at least an hour) is useless.
    const auto keep = std::max<std::int64_t>(3600, limits_.window.count());
    co_await pool_->query(sql::login_failures_prune, static_cast<std::int32_t>(keep));
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
