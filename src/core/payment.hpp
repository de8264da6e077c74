#pragma once
// The PaymentGateway port. The blueprint keeps only a card's last four digits and the
// provider's transaction id; the token itself is never stored.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/money.hpp"
#include "core/result.hpp"

namespace hotel::core {

struct Authorization {
    std::string transaction_id;
    std::string card_last4;
};

enum class PaymentError { declined, invalid_token };

class PaymentGateway {
  public:
    virtual ~PaymentGateway() = default;
    virtual boost::asio::awaitable<Result<Authorization, PaymentError>> authorize(
        std::string token, Money amount, std::string reference) = 0;
    // Releases an authorization whose booking did not happen.
    virtual boost::asio::awaitable<void> void_authorization(std::string transaction_id) = 0;
};

// The built-in test gateway's token rules: "tok_declined" is declined; "tok_<anything>_NNNN"
// authorizes with last four digits NNNN; anything else is not a token.
Result<std::string, PaymentError> test_token_last4(std::string_view token);

}  // namespace hotel::core
