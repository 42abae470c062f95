#include "common/stream_entries.h"

namespace relais {
namespace {

bool IsArray(const redisReply* r) { return r != nullptr && r->type == REDIS_REPLY_ARRAY; }

}  // namespace

std::vector<StreamEntry> StreamEntries(const redisReply* reply, bool xread) {
  std::vector<StreamEntry> out;
  const redisReply* entries = reply;
  if (xread) {
    // [[stream key, entries]]: one stream was asked for.
    if (!IsArray(reply) || reply->elements < 1 || !IsArray(reply->element[0]) || reply->element[0]->elements < 2) {
      return out;
    }
    entries = reply->element[0]->element[1];
  }
  if (!IsArray(entries)) return out;
  out.reserve(entries->elements);
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* entry = entries->element[i];
    if (!IsArray(entry) || entry->elements < 1) continue;
    StreamEntry e;
    e.id = std::string(ReplyStr(entry->element[0]));
    if (e.id.empty()) continue;
    const redisReply* f = entry->elements > 1 ? entry->element[1] : nullptr;
    if (IsArray(f)) {
      e.fields.reserve(f->elements / 2);
      for (size_t k = 0; k + 1 < f->elements; k += 2) {
        e.fields.emplace_back(std::string(ReplyStr(f->element[k])), std::string(ReplyStr(f->element[k + 1])));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace relais
