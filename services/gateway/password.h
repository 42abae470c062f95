#pragma once
// Secrets, with libsodium (Debian's libsodium-dev: a maintained, audited implementation of Argon2id,
// BLAKE2b and a system random source; nothing here is hand-written cryptography).
//  - Passwords: Argon2id (crypto_pwhash_str), memory-hard, with a per-hash salt and its parameters in
//    the stored string, so stronger parameters apply to new hashes without breaking old ones.
//  - Session tokens and API-key secrets: 256 random bits. Only their BLAKE2b digest is stored, so a copy
//    of Redis does not hold a usable token; a fast digest is enough because the input is random.
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace relais::gateway {

struct PasswordCost {
  unsigned long long ops;   // Argon2id passes
  size_t memory_bytes;
  static PasswordCost Interactive();  // libsodium's recommendation for online logins (64 MiB)
  static PasswordCost Minimum();      // tests only
};

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 256;

// Fails if libsodium cannot start (no random source): the process must not run then.
void InitCrypto();

absl::StatusOr<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
bool VerifyPassword(std::string_view stored_hash, std::string_view password);
// Spends the time of one verification, for logins of unknown accounts (no timing oracle).
void BurnVerification(const PasswordCost& cost);

std::string RandomToken(size_t bytes = 32);          // base64url, no padding
std::string RandomHex(size_t bytes);
std::string TokenDigest(std::string_view token);     // hex BLAKE2b-256
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace relais::gateway
