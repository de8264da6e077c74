#include "core/payment.hpp"

namespace hotel::core {

Result<std::string, PaymentError> test_token_last4(std::string_view token) {
    if (token == "tok_declined")
        return fail(PaymentError::declined);
    if (token.size() < 10 || token.size() > 200 || token.substr(0, 4) != "tok_")
        return fail(PaymentError::invalid_token);
    const auto underscore = token.rfind('_');
    const auto digits = token.substr(underscore + 1);
    if (underscore <= 3 || digits.size() != 4)
        return fail(PaymentError::invalid_token);
    for (char c : digits)
        if (c < '0' || c > '9')
            return fail(PaymentError::invalid_token);
    for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return fail(PaymentError::invalid_token);
    return std::string(digits);
}

}  // namespace hotel::core
