#pragma once
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>

#include "core/account_cache.hpp"
#include "core/identity.hpp"
#include "http/message.hpp"

namespace hotel::api {

// The domain's view of the verified token on an authenticated route; std::nullopt when the
// token names an unknown role or a malformed subject (the handler then answers 401).
std::optional<core::Caller> caller_of(const http::Request& request);

// 401 for a token that verified but does not describe a usable caller.
http::Response invalid_caller();

// The server's principal check (http::ServerOptions::principal_check): a token whose account
// is gone, disabled, or changed since it was issued gets 401 `unauthorized`; a database
// failure while looking, 503.
std::function<boost::asio::awaitable<std::optional<http::Response>>(const http::Request&)>
make_principal_check(core::AccountCache& accounts);

}  // namespace hotel::api
