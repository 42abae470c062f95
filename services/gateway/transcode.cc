#include "services/gateway/transcode.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <vector>

#include "relais/v1/gateway.pb.h"

namespace relais::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Walks to the message holding the last part of `path`, creating sub-messages when `create`.
// Returns {message, field} or {nullptr, nullptr}.
std::pair<Message*, const FieldDescriptor*> Resolve(Message* m, std::string_view path, bool create) {
  size_t start = 0;
  while (m) {
    size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(part);
    if (!f) return {nullptr, nullptr};
    if (dot == std::string_view::npos) return {m, f};
    if (f->type() != FieldDescriptor::TYPE_MESSAGE || f->is_repeated()) return {nullptr, nullptr};
    if (!create && !m->GetReflection()->HasField(*m, f)) return {nullptr, nullptr};
    m = m->GetReflection()->MutableMessage(m, f);
    start = dot + 1;
  }
  return {nullptr, nullptr};
}

template <typename T>
bool ParseNumber(std::string_view s, T& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Sets (or, for repeated fields, adds) one scalar from text. The error names the field.
absl::Status SetScalar(Message* m, const FieldDescriptor* f, std::string_view path, std::string_view text) {
  const Reflection* r = m->GetReflection();
  bool rep = f->is_repeated();
  auto bad = [&](const char* what) {
    return absl::InvalidArgumentError(std::string(path) + ": " + what);
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      rep ? r->AddString(m, f, std::string(text)) : r->SetString(m, f, std::string(text));
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseNumber(text, v)) return bad("not a 32-bit integer");
      rep ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseNumber(text, v)) return bad("not an integer");
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseNumber(text, v)) return bad("not a positive integer");
      rep ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseNumber(text, v)) return bad("not a positive integer");
      rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      char* end = nullptr;
      std::string copy(text);
      double v = std::strtod(copy.c_str(), &end);
      if (copy.empty() || *end != '\0' || !std::isfinite(v)) return bad("not a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      } else {
        rep ? r->AddFloat(m, f, static_cast<float>(v)) : r->SetFloat(m, f, static_cast<float>(v));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (text == "true" || text == "1") {
        v = true;
      } else if (text == "false" || text == "0") {
        v = false;
      } else {
        return bad("true or false");
      }
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* value = f->enum_type()->FindValueByName(std::string(text));
      if (!value) return bad("not one of the names of the enum");
      rep ? r->AddEnum(m, f, value) : r->SetEnum(m, f, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return bad("cannot be set from the URL");
  }
  return bad("unsupported");
}

absl::Status SetPath(Message* m, std::string_view path, std::string_view text, bool from_query) {
  auto [holder, f] = Resolve(m, path, true);
  if (!f) return absl::InvalidArgumentError(std::string(path) + ": no such field");
  if (f->is_repeated() && !from_query) return absl::InvalidArgumentError(std::string(path) + ": a list");
  if (!f->is_repeated() && f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    // A value given twice (body and path, or a query parameter repeated) must agree.
    std::string before = FieldText(*m, path);
    bool had = holder->GetReflection()->HasField(*holder, f) && !before.empty();
    if (had) {
      auto probe = std::unique_ptr<Message>(holder->New());
      auto* pf = probe->GetDescriptor()->FindFieldByName(f->name());
      if (auto s = SetScalar(probe.get(), pf, path, text); !s.ok()) return s;
      if (FieldText(*probe, f->name()) != before) {
        return absl::InvalidArgumentError(std::string(path) + ": given twice with different values");
      }
      return absl::OkStatus();
    }
  }
  return SetScalar(holder, f, path, text);
}

absl::Status FillFromQuery(Message* m, std::string_view query) {
  size_t start = 0;
  int count = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    if (++count > 64) return absl::InvalidArgumentError("query: at most 64 parameters");
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!name || !value) return absl::InvalidArgumentError("query: malformed percent-encoding");
    if (auto s = SetPath(m, *name, *value, true); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// A field name as protobuf's JSON mapping matches it: "pool_id" and "poolId" name the same field.
std::string FieldKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

absl::Status CheckJsonLimits(std::string_view json, const JsonLimits& limits) {
  // One pass outside protobuf: nesting, string length, and the keys of each object (a field given
  // twice is ambiguous: parsers differ on which one wins, so it is refused rather than guessed).
  struct Level {
    bool object;
    std::set<std::string> keys;
  };
  std::vector<Level> levels;
  bool in_string = false, escaped = false, is_key = false, key_escaped = false;
  char last = 0;  // the last character outside strings that is not white space
  size_t string_start = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
        key_escaped = key_escaped || is_key;
      } else if (c == '"') {
        in_string = false;
        last = '"';
        if (i - string_start > limits.max_string_bytes) {
          return absl::InvalidArgumentError("body: a string is longer than " + std::to_string(limits.max_string_bytes) +
                                            " bytes");
        }
        if (is_key) {
          if (key_escaped) return absl::InvalidArgumentError("body: a field name with an escape sequence");
          if (!levels.back().keys.insert(FieldKey(json.substr(string_start, i - string_start))).second) {
            return absl::InvalidArgumentError("body: the field " + std::string(json.substr(string_start, i - string_start)) +
                                              " is given twice");
          }
        }
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '"') {
      in_string = true;
      string_start = i + 1;
      is_key = !levels.empty() && levels.back().object && (last == '{' || last == ',');
      key_escaped = false;
    } else if (c == '{' || c == '[') {
      if (static_cast<int>(levels.size()) + 1 > limits.max_depth) {
        return absl::InvalidArgumentError("body: JSON nested deeper than " + std::to_string(limits.max_depth) +
                                          " levels");
      }
      levels.push_back(Level{c == '{', {}});
    } else if (c == '}' || c == ']') {
      if (!levels.empty()) levels.pop_back();
    }
    last = c;
  }
  return absl::OkStatus();
}

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  const Message* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<Message>(prototype->New());
}

absl::StatusOr<std::unique_ptr<Message>> BuildRequest(const BoundRoute& route, const HttpInput& in,
                                                      const JsonLimits& limits) {
  auto message = NewMessage(route.method->input_type());
  bool body_allowed = route.route->verb != Verb::kGet;
  if (!in.body.empty()) {
    if (!body_allowed) return absl::InvalidArgumentError("body: a GET takes its parameters from the query string");
    if (auto s = CheckJsonLimits(in.body, limits); !s.ok()) return s;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto parsed = google::protobuf::util::JsonStringToMessage(in.body, message.get(), options);
    if (!parsed.ok()) return absl::InvalidArgumentError("body: " + std::string(parsed.message()));
  }
  if (!in.query.empty()) {
    if (body_allowed) return absl::InvalidArgumentError("query: only GET reads the query string; send a JSON body");
    if (auto s = FillFromQuery(message.get(), in.query); !s.ok()) return s;
  }
  if (in.path_params) {
    for (const auto& [field, value] : *in.path_params) {
      if (value.size() > limits.max_string_bytes) return absl::InvalidArgumentError(field + ": too long");
      if (auto s = SetPath(message.get(), field, value, false); !s.ok()) return s;
    }
  }
  if (!in.idempotency_key.empty()) {
    const auto* f = message->GetDescriptor()->FindFieldByName("idempotency_key");
    if (!f) return absl::InvalidArgumentError("Idempotency-Key: this call changes nothing and takes no key");
    if (auto s = SetPath(message.get(), "idempotency_key", in.idempotency_key, false); !s.ok()) return s;
  }
  return message;
}

std::string FieldText(const Message& message, std::string_view path) {
  auto [holder, f] = Resolve(const_cast<Message*>(&message), path, false);
  if (!f || f->is_repeated()) return "";
  const Reflection* r = holder->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return r->GetString(*holder, f);
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(r->GetInt32(*holder, f));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(r->GetInt64(*holder, f));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(r->GetUInt32(*holder, f));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(r->GetUInt64(*holder, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return std::to_string(r->GetDouble(*holder, f));
    case FieldDescriptor::CPPTYPE_FLOAT: return std::to_string(r->GetFloat(*holder, f));
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(*holder, f) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnum(*holder, f)->name();
    case FieldDescriptor::CPPTYPE_MESSAGE: return "";
  }
  return "";
}

std::string ToJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  auto s = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!s.ok()) return ErrorJson(13, "the answer could not be written as JSON");
  return out;
}

int HttpStatusFor(int code) {
  switch (code) {
    case 0: return 200;    // OK
    case 1: return 499;    // CANCELLED (client closed request)
    case 3: return 400;    // INVALID_ARGUMENT
    case 4: return 504;    // DEADLINE_EXCEEDED
    case 5: return 404;    // NOT_FOUND
    case 6: return 409;    // ALREADY_EXISTS
    case 7: return 403;    // PERMISSION_DENIED
    case 8: return 429;    // RESOURCE_EXHAUSTED
    case 9: return 409;    // FAILED_PRECONDITION: the state does not allow it (e.g. no free place left)
    case 10: return 409;   // ABORTED: changed meanwhile (read again)
    case 11: return 400;   // OUT_OF_RANGE
    case 12: return 501;   // UNIMPLEMENTED
    case 14: return 503;   // UNAVAILABLE: retry with the same idempotency key
    case 16: return 401;   // UNAUTHENTICATED
    default: return 500;   // UNKNOWN, INTERNAL, DATA_LOSS
  }
}

const char* CodeName(int code) {
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                       "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "INTERNAL";
}

namespace {

// The text with every byte that is not part of valid UTF-8 replaced by '?': error messages may quote
// the caller's input (protobuf's JSON parser does), and an answer is always valid UTF-8.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (ok && n == 2) ok = c >= 0xc2;                                                    // no overlong form
    if (ok && n == 3) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = (c != 0xe0 || c1 >= 0xa0) && (c != 0xed || c1 < 0xa0);                        // no overlong, no surrogate
    }
    if (ok && n == 4) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      ok = c <= 0xf4 && (c != 0xf0 || c1 >= 0x90) && (c != 0xf4 || c1 < 0x90);           // up to U+10FFFF
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string ErrorJson(int code, std::string_view message) {
  relais::v1::ErrorBody body;
  body.mutable_error()->set_code(CodeName(code));
  body.mutable_error()->set_message(ValidUtf8(message));
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(body, &out, options).ok()) {
    return R"({"error":{"code":"INTERNAL","message":"error"}})";
  }
  return out;
}

std::string ErrorJson(const absl::Status& status) {
  return ErrorJson(static_cast<int>(status.code()), std::string(status.message()));
}

}  // namespace relais::gateway
