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
    Credentials input) {
    if (auto problem = check(input))
        co_return fail(*problem);
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
    const bool scoped = role == Role::staff || role == Role::manager;
    if (!scoped && !hotel_ids.empty())
        co_return fail(IdentityFailure{IdentityError::invalid_hotel_scope, "hotel_ids",
                                       "only staff and managers work for hotels"});
    co_return co_await store(std::move(input), role, std::move(hotel_ids));
}

asio::awaitable<Result<UserRecord, IdentityFailure>> IdentityService::login(std::string email,
                                                                            std::string password,
                                                                            std::string address) {
    const std::string normalized = normalize_email(email);
    if (auto wait = co_await throttle_.blocked_for(normalized, address))
        co_return fail(IdentityFailure{IdentityError::rate_limited, "",
                                       "too many failed logins; try again later", *wait});
    auto user = co_await users_.find_by_email(normalized);
    // Always verify against some hash: an unknown email costs what a wrong password costs.
    const bool ok = co_await hasher_.verify(user ? user->password_hash : hasher_.decoy_hash(),
                                            std::move(password));
    if (user && ok)
        co_return std::move(*user);
    co_await throttle_.record_failure(normalized, address);
    co_return fail(
        IdentityFailure{IdentityError::invalid_credentials, "", "the email or password is wrong"});
}

}  // namespace hotel::core
