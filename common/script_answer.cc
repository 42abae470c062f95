#include "common/script_answer.h"

#include <cstdlib>

namespace relais {
namespace {

absl::StatusCode CodeFromName(std::string_view name) {
  static const std::map<std::string_view, absl::StatusCode> kCodes = {
      {"INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
      {"NOT_FOUND", absl::StatusCode::kNotFound},
      {"ALREADY_EXISTS", absl::StatusCode::kAlreadyExists},
      {"FAILED_PRECONDITION", absl::StatusCode::kFailedPrecondition},
      {"PERMISSION_DENIED", absl::StatusCode::kPermissionDenied},
      {"RESOURCE_EXHAUSTED", absl::StatusCode::kResourceExhausted},
      {"ABORTED", absl::StatusCode::kAborted},
  };
  auto it = kCodes.find(name);
  return it == kCodes.end() ? absl::StatusCode::kInternal : it->second;
}

}  // namespace

absl::StatusOr<const redisReply*> ScriptAnswer(const ReplyPtr& reply) {
  const redisReply* r = reply.get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 1) return absl::InternalError("unexpected script answer");
  if (ReplyInt(r->element[0]) == 1) return r;
  if (r->elements < 3) return absl::InternalError("unexpected script refusal");
  return absl::Status(CodeFromName(ReplyStr(r->element[1])), std::string(ReplyStr(r->element[2])));
}

// Out of range, or not an array (a reply of another shape than the script or command promises): nothing,
// read as "" or 0 like a nil, never a read past the reply.
const redisReply* Element(const redisReply* r, size_t i) {
  if (!r || r->type != REDIS_REPLY_ARRAY || i >= r->elements) return nullptr;
  return r->element[i];
}

std::string Str(const redisReply* r, size_t i) { return std::string(ReplyStr(Element(r, i))); }
int64_t Int(const redisReply* r, size_t i) { return ReplyInt(Element(r, i)); }

std::map<std::string, std::string> FieldMap(const redisReply* r) {
  std::map<std::string, std::string> out;
  if (!r || r->type != REDIS_REPLY_ARRAY) return out;
  for (size_t i = 0; i + 1 < r->elements; i += 2) out[Str(r, i)] = Str(r, i + 1);
  return out;
}

int64_t ToInt(const std::map<std::string, std::string>& fields, const std::string& key) {
  auto it = fields.find(key);
  return it == fields.end() ? 0 : std::strtoll(it->second.c_str(), nullptr, 10);
}

}  // namespace relais
