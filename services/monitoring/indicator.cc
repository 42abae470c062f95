#include "services/monitoring/indicator.h"

#include "services/monitoring/suppression.h"

namespace relais::monitoring {

absl::StatusOr<InsertionIndicator> ReadIndicatorEvents(RedisPool& redis, const std::string& stream, int64_t until_ms) {
  constexpr int kPage = 10000;
  InsertionIndicator indicator;
  std::string from = "-", to = std::to_string(until_ms + kIndicatorClockSlackMs);
  for (;;) {
    auto page = redis.Command({"XRANGE", stream, from, to, "COUNT", std::to_string(kPage)});
    if (!page.ok()) return page.status();
    const redisReply* entries = page->get();
    for (size_t i = 0; i < entries->elements; ++i) {
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
    if (entries->elements < static_cast<size_t>(kPage)) break;
    from = "(" + std::string(ReplyStr(entries->element[entries->elements - 1]->element[0]));
  }
  return indicator;
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
