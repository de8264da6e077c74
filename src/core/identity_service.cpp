#include "core/identity_service.hpp"

namespace hotel::core {

namespace asio = boost::asio;

std::optional<IdentityFailure> IdentityService::check(const Credentials& input) const {
    if (!is_valid_email(normalize_email(input.email)))
        return IdentityFailure{IdentityError::invalid_email, "email", "not a valid email address"};
    if (!is_acceptable_password(input.password))
        return IdentityFailure{IdentityError::weak_password, "password",
                               "must be 10 to 256 characters"};
    if (!is_acceptable_name(input.name))
        return IdentityFailure{IdentityError::invalid_name, "name", "must be 1 to 200 characters"};
    return std::nullopt;
}

asio::awaitable<Result<UserRecord, IdentityFailure>> IdentityService::store(
    Credentials input, Role role, std::vector<std::string> hotel_ids) {
    // Named steps, no co_await inside an initializer: GCC 12 miscompiles that (double free).
    std::string hash = co_await hasher_.hash(std::move(input.password));
    NewUser user;
    user.email = normalize_email(input.email);
    user.name = std::string(trim(input.name));
    user.password_hash = std::move(hash);
    user.role = role;
    user.hotel_ids = std::move(hotel_ids);
    auto created = co_await users_.create(std::move(user));
    if (created)
        co_return std::move(created).value();
    if (created.error() == CreateUserError::email_taken)
        co_return fail(IdentityFailure{IdentityError::email_taken, "email",
                                       "a user with this email already exists"});
    co_return fail(IdentityFailure{IdentityError::unknown_hotel, "hotel_ids",
                                   "names a hotel that does not exist"});
}

asio::awaitable<Result<UserRecord, IdentityFailure>> IdentityService::register_guest(
    Credentials input, std::string address) {
    if (auto problem = check(input))
        co_return fail(*problem);
    // Counted before anything costs: the lookup below would otherwise enumerate emails freely.
    const AttemptCount count = co_await throttle_.count_registration(address);
    if (auto wait = registration_refused_for(policy_, count))
        co_return fail(IdentityFailure{IdentityError::rate_limited, "",
                                       "too many registrations; try again later", *wait});
    // A taken email is answered without an Argon2 hash (the insert still guards the race).
    const std::string normalized = normalize_email(input.email);
    if (co_await users_.email_taken(normalized))
        co_return fail(IdentityFailure{IdentityError::email_taken, "email",
                                       "a user with this email already exists"});
    std::vector<std::string> no_hotels;
    co_return co_await store(std::move(input), Role::guest, std::move(no_hotels));
}

asio::awaitable<Result<UserRecord, IdentityFailure>> IdentityService::create_user(
    const Caller& caller, Credentials input, Role role, std::vector<std::string> hotel_ids) {
    if (!may_create_users(caller))
        co_return fail(IdentityFailure{IdentityError::forbidden, "", "only admins create users"});
    if (auto problem = check(input))
        co_return fail(*problem);
    // Staff and managers work for hotels; guests and admins are not scoped to any.
    if (!is_hotel_scoped(role) && !hotel_ids.empty())
        co_return fail(IdentityFailure{IdentityError::invalid_hotel_scope, "hotel_ids",
                                       "only staff and managers work for hotels"});
    co_return co_await store(std::move(input), role, std::move(hotel_ids));
}

asio::awaitable<Result<Session, IdentityFailure>> IdentityService::login(std::string email,
                                                                         std::string password,
                                                                         std::string address) {
    const std::string normalized = normalize_email(email);
    // Counted first, atomically: parallel attempts cannot all pass a check made before any of
    // them is recorded.
    const LoginAttemptCounts counts = co_await throttle_.count_login(normalized, address);
    if (auto wait = login_refused_for(policy_, counts))
        co_return fail(IdentityFailure{IdentityError::rate_limited, "",
                                       "too many failed logins; try again later", *wait});
    auto user = co_await users_.find_by_email(normalized);
    // Always verify against some hash: an unknown email costs what a wrong password costs.
    std::string hash = user ? user->password_hash : hasher_.decoy_hash();
    const bool ok = co_await hasher_.verify(std::move(hash), std::move(password));
    // A disabled account answers like a wrong password.
    if (!user || !ok || user->disabled)
        co_return fail(IdentityFailure{IdentityError::invalid_credentials, "",
                                       "the email or password is wrong"});
    co_await throttle_.forgive_login(normalized, address);
    std::string token = co_await sessions_.start(user->id);
    Session session;
    session.user = std::move(*user);
    session.refresh_token = std::move(token);
    session.refresh_lifetime = sessions_.lifetime();
    co_return session;
}

asio::awaitable<Result<Session, IdentityFailure>> IdentityService::refresh(
    std::string refresh_token) {
    const IdentityFailure refused{IdentityError::invalid_session, "",
                                  "the refresh token is invalid, expired or revoked"};
    auto rotated = co_await sessions_.rotate(std::move(refresh_token));
    if (!rotated)
        co_return fail(refused);
    auto user = co_await users_.find_by_id(rotated->user_id);
    if (!user || user->disabled) {
        std::string successor = rotated->refresh_token;
        co_await sessions_.end(std::move(successor));
        co_return fail(refused);
    }
    Session session;
    session.user = std::move(*user);
    session.refresh_token = std::move(rotated->refresh_token);
    session.refresh_lifetime = sessions_.lifetime();
    co_return session;
}

asio::awaitable<void> IdentityService::logout(std::string refresh_token) {
    co_await sessions_.end(std::move(refresh_token));
}

asio::awaitable<Result<UserRecord, IdentityFailure>> IdentityService::change_access(
    const Caller& caller, std::string user_id, AccessChanges changes) {
    if (!may_manage_users(caller))
        co_return fail(IdentityFailure{IdentityError::forbidden, "", "only admins manage users"});
    auto current = co_await users_.find_by_id(user_id);
    if (!current)
        co_return fail(IdentityFailure{IdentityError::not_found, "", "no such user"});
    UserAccessChange change;
    change.id = current->id;
    change.role = changes.role.value_or(current->role);
    change.disabled = changes.disabled.value_or(current->disabled);
    if (changes.hotel_ids) {
        if (!is_hotel_scoped(change.role) && !changes.hotel_ids->empty())
            co_return fail(IdentityFailure{IdentityError::invalid_hotel_scope, "hotel_ids",
                                           "only staff and managers work for hotels"});
        change.hotel_ids = std::move(*changes.hotel_ids);
    } else if (is_hotel_scoped(change.role)) {
        change.hotel_ids = current->hotel_ids;
    }
    // An admin cannot lock themselves out (there may be no other admin to undo it).
    if (change.id == caller.user_id && (change.role != Role::admin || change.disabled))
        co_return fail(IdentityFailure{IdentityError::self_lockout,
                                       changes.disabled ? "disabled" : "role",
                                       "admins cannot demote or disable themselves"});
    const bool disabling = change.disabled && !current->disabled;
    auto updated = co_await users_.update_access(std::move(change));
    if (!updated) {
        if (updated.error() == UpdateUserError::not_found)
            co_return fail(IdentityFailure{IdentityError::not_found, "", "no such user"});
        co_return fail(IdentityFailure{IdentityError::unknown_hotel, "hotel_ids",
                                       "names a hotel that does not exist"});
    }
    if (disabling) {
        std::string id = updated->id;
        co_await sessions_.end_all(std::move(id));
    }
    // This node applies the change at once; the others within the cache's time-to-live.
    if (cache_)
        cache_->forget(updated->id);
    co_return std::move(updated).value();
}

asio::awaitable<Result<UserPage, IdentityFailure>> IdentityService::list_users(const Caller& caller,
                                                                               UserQuery query) {
    if (!may_manage_users(caller))
        co_return fail(IdentityFailure{IdentityError::forbidden, "", "only admins list users"});
    const int limit = query.limit;
    if (limit < 1 || limit > kMaxUserPageLimit)
        co_return fail(IdentityFailure{IdentityError::invalid_query, "limit", "must be 1 to 100"});
    if (query.email_prefix.size() > 254)
        co_return fail(IdentityFailure{IdentityError::invalid_query, "email",
                                       "must be at most 254 characters"});
    query.email_prefix = normalize_email(query.email_prefix);
    std::optional<std::string> after = query.after;
    query.limit = limit + 1;  // one more than the page: it only says there is more
    auto rows = co_await users_.list(std::move(query));
    UserPage page;
    page.has_more = static_cast<int>(rows.size()) > limit;
    if (page.has_more)
        rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = rows.empty() ? after : std::optional<std::string>(rows.back().id);
    page.items = std::move(rows);
    co_return page;
}

}  // namespace hotel::core
