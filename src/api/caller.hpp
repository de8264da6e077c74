#pragma once
#include <optional>

#include "core/identity.hpp"
#include "http/message.hpp"

namespace hotel::api {

// The domain's view of the verified token on an authenticated route; std::nullopt when the
// token names an unknown role or a malformed subject (the handler then answers 401).
std::optional<core::Caller> caller_of(const http::Request& request);

// 401 for a token that verified but does not describe a usable caller.
http::Response invalid_caller();

}  // namespace hotel::api
