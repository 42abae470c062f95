#pragma once
// Structured logging, one JSON object per line on stderr.
//
// Built so that it cannot carry personal data: the event name and the field names must be string
// literals, and a field value is a number, a boolean or an identifier. Identifier strings are checked
// against a narrow alphabet ([A-Za-z0-9_.:/-], at most 80 characters); anything else, such as a name or
// a sentence, is written as "<redacted>". Free text never has a way in.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace relais::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class Value {
 public:
  Value(int v) : v_(static_cast<int64_t>(v)) {}
  Value(long v) : v_(static_cast<int64_t>(v)) {}
  Value(long long v) : v_(static_cast<int64_t>(v)) {}
  Value(unsigned v) : v_(static_cast<int64_t>(v)) {}
  Value(unsigned long v) : v_(static_cast<int64_t>(v)) {}
  Value(double v) : v_(v) {}
  Value(bool v) : v_(v) {}
  // A string literal of our own code (a state, a code name) is safe.
  template <size_t N>
  Value(const char (&literal)[N]) : v_(std::string(literal, N - 1)) {}

  // An identifier held at run time (an id, a code). Redacted unless it looks like one.
  static Value Id(std::string_view id);

  std::string ToJson() const;

 private:
  struct Redacted {};
  explicit Value(std::string s, bool) : v_(std::move(s)) {}
  Value() : v_(Redacted{}) {}
  std::variant<int64_t, double, bool, std::string, Redacted> v_;
};

struct Field {
  template <size_t N>
  Field(const char (&literal_key)[N], Value v) : key(literal_key), value(std::move(v)) {}
  const char* key;
  Value value;
};

void SetLevel(Level level);
Level ParseLevel(std::string_view name);  // "debug", "info", "warn", "error"; unknown -> info

// Redirects output (tests read what was logged). nullptr restores stderr.
void SetSinkForTest(std::string* sink);

bool IsIdentifier(std::string_view s);
void Write(Level level, const char* event, std::initializer_list<Field> fields);

template <size_t N>
void Debug(const char (&event)[N], std::initializer_list<Field> fields = {}) { Write(Level::kDebug, event, fields); }
template <size_t N>
void Info(const char (&event)[N], std::initializer_list<Field> fields = {}) { Write(Level::kInfo, event, fields); }
template <size_t N>
void Warn(const char (&event)[N], std::initializer_list<Field> fields = {}) { Write(Level::kWarn, event, fields); }
template <size_t N>
void Error(const char (&event)[N], std::initializer_list<Field> fields = {}) { Write(Level::kError, event, fields); }

}  // namespace relais::log
