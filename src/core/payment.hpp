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

// The operations a card gateway offers on an authorization (a hold on the guest's card). The
// booking's lifecycle over them is in docs/DOMAIN.md: the hold follows what the guest could owe,
// cancelling captures exactly the fee (or voids the hold), check-out captures the total.
class PaymentGateway {
  public:
    virtual ~PaymentGateway() = default;
    virtual boost::asio::awaitable<Result<Authorization, PaymentError>> authorize(
        std::string token, Money amount, std::string reference) = 0;
    // Sets the hold to `amount`: raising it can be declined (the hold stays as it was); lowering
    // it (a partial reversal) always succeeds.
    virtual boost::asio::awaitable<Result<Unit, PaymentError>> reauthorize(
        std::string transaction_id, Money amount) = 0;
    // Takes `amount` (at most the hold) and releases the rest. The authorization is then final.
    virtual boost::asio::awaitable<void> capture(std::string transaction_id, Money amount) = 0;
    // Releases the whole hold (a booking that did not happen, or a cancellation without fee).
    virtual boost::asio::awaitable<void> void_authorization(std::string transaction_id) = 0;
};

// The built-in test gateway's token rules: "tok_declined" is declined; "tok_<anything>_NNNN"
// authorizes with last four digits NNNN; anything else is not a token. A card ending in 0341
// authorizes but declines every increase of its hold.
Result<std::string, PaymentError> test_token_last4(std::string_view token);

}  // namespace hotel::core
