#include "services/monitoring/indicator.h"

#include <malloc.h>

#include "services/monitoring/suppression.h"

namespace relais::monitoring {

namespace {

constexpr int kPage = 10000;

// The indicator's events among stream entries [first, elements) of one XRANGE page.
void AddEntries(InsertionIndicator& indicator, const redisReply* entries, size_t first) {
  for (size_t i = first; i < entries->elements; ++i) {
    const redisReply* fields = entries->element[i]->element[1];
    if (fields == nullptr || fields->elements < 2) continue;
    // The type first (every writer puts it first): most events are of no interest here.
    std::string_view type = ReplyStr(fields->element[1]);
    if (type != kEventRequestCreated && type != kEventHoldArrived && type != kEventInsertionProposed &&
        type != kEventCasePreconised) {
      continue;
    }
    IndicatorEvent e;
    e.type = std::string(type);
    for (size_t j = 2; j + 1 < fields->elements; j += 2) {
      std::string_view name = ReplyStr(fields->element[j]);
      if (name == "at") e.at_ms = ReplyInt(fields->element[j + 1]);
      else if (name == "request" || name == "person") e.fields.emplace(name, ReplyStr(fields->element[j + 1]));
    }
    indicator.Add(e);
  }
}

}  // namespace

void IndicatorFollower::Reset(const std::string& stream) {
  stream_ = stream;
  last_id_.clear();
  entries_read_ = 0;
  indicator_ = InsertionIndicator();
  requests_held_ = 0;
}

absl::Status IndicatorFollower::CatchUp(RedisPool& redis, const std::string& stream) {
  if (stream != stream_) Reset(stream);
  int full_pages = 0;
  for (;;) {
    // From the last entry read, itself included: finding it first proves this is the stream followed.
    bool resume = !last_id_.empty();
    auto page = redis.Command({"XRANGE", stream, resume ? last_id_ : "-", "+", "COUNT", std::to_string(kPage)});
    if (!page.ok()) return page.status();
    const redisReply* entries = page->get();
    if (resume && (entries->elements == 0 || ReplyStr(entries->element[0]->element[0]) != last_id_)) {
      Reset(stream);  // restored from an older copy, trimmed, or another Redis: read it all again
      continue;
    }
    size_t first = resume ? 1 : 0;
    AddEntries(indicator_, entries, first);
    if (entries->elements > first) {
      entries_read_ += static_cast<int64_t>(entries->elements - first);
      last_id_ = std::string(ReplyStr(entries->element[entries->elements - 1]->element[0]));
    }
    if (entries->elements < static_cast<size_t>(kPage)) break;
    ++full_pages;
  }
  // The pages of a long read (tens of MiB for a busy history, the first time) were freed in this worker
  // thread's malloc arena, which keeps them: given back now, or every worker would hold its high-water mark.
  if (full_pages > 0) malloc_trim(0);
  requests_held_ = indicator_.requests();
  return absl::OkStatus();
}

relais::v1::InsertionIndicator IndicatorFigures(int met, int missed, int pending) {
  relais::v1::InsertionIndicator out;
  out.set_available(true);
  SuppressionMask mask = Suppress(CountGrid::OneWay({met, missed}));
  auto count = [](int64_t v, bool withheld) {
    relais::v1::Count c;
    c.set_value(withheld ? 0 : v);
    c.set_suppressed(withheld);
    return c;
  };
  relais::v1::Share& share = *out.mutable_within_seven_days();
  *share.mutable_numerator() = count(met, mask.cells[0][0]);
  *share.mutable_denominator() = count(met + missed, mask.total);
  bool withheld = mask.cells[0][0] || mask.total;
  share.set_suppressed(withheld);
  if (!withheld && met + missed > 0) share.set_percent(100.0 * met / (met + missed));
  *out.mutable_pending() = count(pending, pending >= 1 && pending < kSmallestPublished);
  out.set_meets_80(!withheld && met + missed > 0 && 100.0 * met >= 80.0 * (met + missed));
  out.set_meets_95(!withheld && met + missed > 0 && 100.0 * met >= 95.0 * (met + missed));
  if (withheld) out.set_note("withheld: too few people to publish without identifying them");
  return out;
}

}  // namespace relais::monitoring
