#pragma once
// Argon2id password hashing (libsodium), at the OWASP minimum of 19 MiB and t=2. Hashing is
// deliberately slow (tens of milliseconds): request handlers must run it off the I/O threads.

#include <string>
#include <string_view>

namespace hotel::storage {

// Returns the encoded hash ($argon2id$v=19$m=19456,t=2,p=1$...). Throws std::runtime_error
// when libsodium cannot allocate the memory it needs.
std::string hash_password(std::string_view password);

// Constant-time verification against an encoded hash; false for a malformed hash.
bool verify_password(std::string_view encoded_hash, std::string_view password);

}  // namespace hotel::storage
