#include "storage/password_hash.hpp"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace hotel::storage {
namespace {
constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19u * 1024u * 1024u;

void ensure_sodium() {
    static const int rc = sodium_init();  // thread-safe, idempotent
    if (rc < 0)
        throw std::runtime_error("libsodium could not be initialised");
}
}  // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("password hashing ran out of memory");
    return std::string(out);
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
    ensure_sodium();
    const std::string hash(encoded_hash);  // crypto_pwhash_str_verify needs a C string
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace hotel::storage
