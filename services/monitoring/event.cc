#include "services/monitoring/event.h"

#include <charconv>

namespace relais::monitoring {
namespace {

int64_t ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : 0;
}

}  // namespace

std::string_view Event::Get(std::string_view name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

int64_t Event::GetInt(std::string_view name) const { return ParseInt(Get(name)); }

int64_t Event::At() const {
  int64_t at = GetInt("at");
  return at > 0 ? at : StreamIdMs(id);
}

int64_t StreamIdMs(std::string_view id) { return ParseInt(id.substr(0, id.find('-'))); }

bool StreamIdLess(std::string_view a, std::string_view b) {
  auto seq = [](std::string_view id) {
    size_t dash = id.find('-');
    return dash == std::string_view::npos ? 0 : ParseInt(id.substr(dash + 1));
  };
  if (a.empty() || b.empty()) return a.empty() && !b.empty();
  int64_t am = StreamIdMs(a), bm = StreamIdMs(b);
  return am != bm ? am < bm : seq(a) < seq(b);
}

std::vector<Event> EventsFromEntries(const redisReply* entries) {
  std::vector<Event> out;
  if (entries == nullptr || entries->type != REDIS_REPLY_ARRAY) return out;
  out.reserve(entries->elements);
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* entry = entries->element[i];
    if (entry == nullptr || entry->type != REDIS_REPLY_ARRAY || entry->elements < 1) continue;
    Event e;
    e.id = std::string(ReplyStr(entry->element[0]));
    const redisReply* fields = entry->elements > 1 ? entry->element[1] : nullptr;
    if (fields != nullptr && fields->type == REDIS_REPLY_ARRAY) {
      e.fields.reserve(fields->elements / 2);
      for (size_t j = 0; j + 1 < fields->elements; j += 2) {
        e.fields.emplace_back(ReplyStr(fields->element[j]), ReplyStr(fields->element[j + 1]));
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace relais::monitoring
