#include "tests/support/monitoring_events.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "services/monitoring/consumer.h"
#include "services/monitoring/keys.h"

namespace relais::testing {
namespace {

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

}  // namespace

void EventLog::Add(int64_t at, const std::string& type, const Fields& fields) {
  // Stream ids at the event's time (never going back), as Redis gives them when the event is written.
  if (at > last_ms_) {
    last_ms_ = at;
    seq_ = 0;
  } else {
    ++seq_;
  }
  Argv argv = {"XADD", stream_, std::to_string(last_ms_) + "-" + std::to_string(seq_), "type", type, "at",
               std::to_string(at)};
  for (const auto& [k, v] : fields) {
    argv.push_back(k);
    argv.push_back(v);
  }
  pending_.push_back(std::move(argv));
  ++count_;
  if (pending_.size() >= 1000) Flush();
}

void EventLog::Flush() {
  if (pending_.empty()) return;
  auto replies = redis_.Pipeline(pending_);
  pending_.clear();
  if (!replies.ok()) throw std::runtime_error("event log: cannot write to the stream");
}

void EventLog::PoolEvent(int64_t at, const std::string& type, const Pool& p, const Fields& extra) {
  int capacity = p.in_service + (p.buffer_open ? p.buffer : 0);
  Fields f = {{"pool", p.id}, {"shelter", p.shelter}, {"public", p.public_code}};
  f.insert(f.end(), extra.begin(), extra.end());
  Fields figures = {{"in_service", std::to_string(p.in_service)}, {"buffer", std::to_string(p.buffer)},
                    {"buffer_open", p.buffer_open ? "1" : "0"},   {"occupied", std::to_string(p.occupied)},
                    {"holds", "0"},
                    {"free", std::to_string(std::max(0, capacity - p.occupied))},
                    {"version", "1"},                              {"commune", p.commune},
                    {"updated_ms", std::to_string(at)}};
  f.insert(f.end(), figures.begin(), figures.end());
  Add(at, type, f);
}

void WriteHandBuiltMonth(EventLog& log) {
  // Events are gathered, then written in time order (a stream is in time order).
  struct Pending {
    int64_t at;
    std::string type;
    Fields fields;
    const EventLog::Pool* pool;  // a pool event: the pool's figures after the change
  };
  std::vector<Pending> events;
  auto add = [&](int64_t at, const std::string& type, Fields f, const EventLog::Pool* pool = nullptr) {
    events.push_back({at, type, std::move(f), pool});
  };
  auto t = [](int day, int hour, int minute = 0) { return kMarch2026 + (day - 1) * kDay + hour * kHour + minute * kMinute; };

  // ---- A year before (March 2025) and the month before (February 2026): calls only. ----
  int64_t march_2025 = kMarch2026 - 365 * kDay, february = kMarch2026 - 28 * kDay;
  for (int i = 0; i < 20; ++i) {
    add(march_2025 + 9 * kDay + i * kMinute, "call.queued",
        {{"call", "y" + std::to_string(i)}, {"caller_kind", "CALLER_KIND_PERSON"}, {"language", "fr"}});
  }
  for (int i = 0; i < 3; ++i) {
    add(february + 9 * kDay + i * kMinute, "call.queued",
        {{"call", "f" + std::to_string(i)}, {"caller_kind", "CALLER_KIND_PERSON"}, {"language", "fr"}});
  }

  // ---- March 2026: places. ----
  const EventLog::Pool ilot{"ilot:single_men", "ilot", "single_men", "ixelles", 10, 5, 6};
  const EventLog::Pool ilot_later{"ilot:single_men", "ilot", "single_men", "ixelles", 10, 5, 8};
  const EventLog::Pool samu{"samu:families", "samu", "families", "anderlecht", 4, 0, 2};
  const EventLog::Pool samu_later{"samu:families", "samu", "families", "anderlecht", 4, 0, 4};
  const EventLog::Pool hub{"hub:single_women", "hub", "single_women", "brussels", 20, 3, 10};
  add(t(1, 0), "pool.declared", {}, &ilot);
  add(t(1, 0), "pool.declared", {}, &samu);
  add(t(1, 0), "pool.declared", {}, &hub);
  add(t(13, 0), "pool.declared", {}, &ilot_later);   // single men: 6 occupied until the 13th, then 8
  add(t(15, 9), "pool.confirmed", {}, &ilot_later);  // figures confirmed, unchanged
  add(t(21, 0), "pool.declared", {}, &samu_later);   // families: 2 until the 21st, then 4

  // Holds at the hub on the 5th: 8 taken at 20:00; at 22:00 six arrive (occupied 11..16; requests q1..q6,
  // persons p1..p6), one does not show (q7), one expires (q8); the next morning the hub declares 10
  // occupied again. The same on the 8th with six more (q10..q15, persons p9..p14), all arriving.
  std::vector<EventLog::Pool> hub_arrivals;
  for (int i = 1; i <= 6; ++i) hub_arrivals.push_back({"hub:single_women", "hub", "single_women", "brussels", 20, 3, 10 + i});
  auto hold = [](int request) {
    return Fields{{"hold", "hub:single_women:h" + std::to_string(request)}, {"request", "q" + std::to_string(request)},
                  {"kind", "standard"}};
  };
  for (int q = 1; q <= 8; ++q) add(t(5, 20), "hold.taken", hold(q), &hub);
  for (int q = 1; q <= 6; ++q) add(t(5, 22), "hold.arrived", hold(q), &hub_arrivals[q - 1]);
  add(t(5, 22), "hold.no_show", hold(7), &hub_arrivals[5]);
  add(t(5, 22), "hold.expired", hold(8), &hub_arrivals[5]);
  add(t(6, 0), "pool.declared", {}, &hub);
  for (int q = 10; q <= 15; ++q) add(t(8, 20), "hold.taken", hold(q), &hub);
  for (int q = 10; q <= 15; ++q) add(t(8, 22), "hold.arrived", hold(q), &hub_arrivals[q - 10]);
  add(t(9, 0), "pool.declared", {}, &hub);

  // Insertion proposals (the 7-day indicator): from dispatch (insertion.proposed) or the workshop
  // (case.preconised). Entered on the 5th 22:00 (deadline the 12th 22:00): p1 proposed on the 7th, p2
  // by the workshop at the deadline itself, p3 before entering, p6 on the 6th: met; p4 on the 13th
  // and p5 never: missed. Entered on the 8th 22:00 (deadline the 15th 22:00): p9, p10, p11 proposed on
  // the 10th: met; p12 and p13 never and p14 on the 20th: missed. 7 met of 12.
  auto insertion = [&](int64_t at, int person, const char* kind) {
    add(at, "insertion.proposed", {{"proposal", "i" + std::to_string(person)}, {"person", "p" + std::to_string(person)},
                                   {"service", "housing-first"}, {"service_kind", "SERVICE_KIND_HOUSING"},
                                   {"kind", kind}, {"source", "dispatch"}});
  };
  auto preconised = [&](int64_t at, int person, const char* orientation = "ORIENTATION_HOUSING_FIRST") {
    add(at, "case.preconised", {{"case", "k" + std::to_string(person)}, {"person", "p" + std::to_string(person)},
                                {"session", "s1"}, {"first", "1"}, {"deadline", "met"}, {"source", "workshop"},
                                {"orientation", orientation}, {"service", "housing-first"}, {"plan", "plan1"},
                                {"duration_months", "6"}, {"parties", "4"}});
  };
  insertion(t(7, 10), 1, "SOLUTION_KIND_INSERTION");
  preconised(t(12, 22), 2);
  insertion(t(1, 12), 3, "SOLUTION_KIND_PREVENTION");
  preconised(t(6, 10), 6, "ORIENTATION_HOUSING_FIRST");
  insertion(t(13, 10), 4, "SOLUTION_KIND_INSERTION");
  for (int person : {9, 10, 11}) insertion(t(10, 8), person, "SOLUTION_KIND_INSERTION");
  insertion(t(20, 10), 14, "SOLUTION_KIND_INSERTION");

  // ---- The workshop: 6 referrals, 2 sessions, 11 préconisations (p2, p6 above and 9 persons w20..w28
  // who never entered shelter: 3 more Housing First, 6 transit housing), 13 deadlines settled (8 met,
  // 5 missed), plans 6 approved and 1 refused, 5 priority places taken. ----
  for (int i = 1; i <= 6; ++i) {
    add(t(2, 9, i), "case.registered", {{"case", "k" + std::to_string(100 + i)}, {"person", "w" + std::to_string(i)},
                                        {"sending_service", "ilot"}, {"direct", "0"}, {"urgency", "URGENCY_MEDIUM"},
                                        {"situation", "SITUATION_STREET"}, {"domains", "DOMAIN_HOUSING"},
                                        {"complete", "1"}, {"missing", ""}});
  }
  add(t(3, 12), "session.closed", {{"session", "2026-03-03T10:00"}, {"agenda", "6"}, {"examined", "5"}, {"carried_over", "1"}});
  add(t(6, 16), "session.closed", {{"session", "2026-03-06T14:00"}, {"agenda", "6"}, {"examined", "6"}, {"carried_over", "0"}});
  for (int person = 20; person <= 28; ++person) {
    preconised(t(6, 14, person), person, person <= 22 ? "ORIENTATION_HOUSING_FIRST" : "ORIENTATION_TRANSIT_HOUSING");
  }
  for (int i = 1; i <= 13; ++i) {
    add(t(6, 15, i), i <= 8 ? "case.deadline_met" : "case.deadline_missed",
        {{"case", "k" + std::to_string(200 + i)}, {"urgency", "URGENCY_MEDIUM"}, {"took_ms", "86400000"}});
  }
  for (int i = 1; i <= 7; ++i) {
    add(t(7, 9, i), i <= 6 ? "plan.approved" : "plan.refused",
        {{"case", "k" + std::to_string(200 + i)}, {"plan", "plan" + std::to_string(i)}, {"party", "PARTY_PERSON"},
         {"reason", "REFUSAL_REASON_OTHER"}});
  }
  for (int i = 1; i <= 5; ++i) {
    add(t(7, 11, i), "priority_place.taken", {{"case", "k" + std::to_string(200 + i)}, {"service", "ilot"},
                                              {"places", "6"}, {"used", std::to_string(i)}});
  }

  // Crises: the region's buffer places (5 + 0 + 3) from the 10th 18:00 to the 12th 09:00 (nights of the
  // 10th and 11th); Ilot's (5) from the 25th 20:00, still open (nights of the 25th to the 31st).
  add(t(10, 18), "buffer.opened", {{"crisis", "x1"}, {"shelter", ""}, {"reason", "CRISIS_REASON_COLD"},
                                   {"mode", "CRISIS_MODE_24H"}});
  add(t(12, 9), "buffer.closed", {{"crisis", "x1"}, {"shelter", ""}, {"reason", "CRISIS_REASON_COLD"},
                                  {"mode", "CRISIS_MODE_24H"}, {"open_ms", std::to_string(t(12, 9) - t(10, 18))}});
  add(t(25, 20), "buffer.opened", {{"crisis", "x2"}, {"shelter", "ilot"}, {"reason", "CRISIS_REASON_STORM"},
                                   {"mode", "CRISIS_MODE_12H"}});

  // ---- Persons (p1..p8, and p9..p14 who only enter shelter) and the grid. ----
  add(t(1, 8), "grid.set", {{"version", "1"}});
  for (int i = 1; i <= 14; ++i) {
    add(t(1, 8, i), "person.created",
        {{"person", "p" + std::to_string(i)}, {"age_band", "AGE_BAND_25_49"}, {"gender", i % 2 ? "GENDER_MAN" : "GENDER_WOMAN"},
         {"adults", "1"}, {"children", "0"}, {"needs", ""}, {"lane", "LANE_STANDARD"}, {"score", "0"},
         {"grid_version", "1"}, {"consent_scope", "CONSENT_SCOPE_DISPATCH"}});
  }

  // ---- Calls: 5 on the 2nd, 7 on the 3rd. ----
  struct CallSpec {
    const char* kind;
    const char* lang;
    int day;
    int wait_s;         // -1: missed after 2 minutes (c5) or 1 minute (c12)
    const char* outcome;
    bool call_back;
  };
  const CallSpec calls[] = {
      {"CALLER_KIND_PERSON", "fr", 2, 30, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_PERSON", "fr", 2, 30, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_PERSON", "nl", 2, 30, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_POLICE", "fr", 2, 30, "CALL_OUTCOME_PLACE_DISPATCHED", false},
      {"CALLER_KIND_CITIZEN", "fr", 2, -120, "", true},
      {"CALLER_KIND_PERSON", "fr", 3, 30, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_PERSON", "nl", 3, 180, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_PERSON", "fr", 3, 180, "CALL_OUTCOME_PLACE_DISPATCHED", false},
      {"CALLER_KIND_POLICE", "nl", 3, 540, "CALL_OUTCOME_INFORMATION_GIVEN", false},
      {"CALLER_KIND_POLICE", "fr", 3, 900, "CALL_OUTCOME_PLACE_DISPATCHED", false},
      {"CALLER_KIND_CITIZEN", "nl", 3, 2400, "CALL_OUTCOME_CALL_BACK_NEEDED", true},
      {"CALLER_KIND_PERSON", "fr", 3, -60, "", false},
  };
  int n = 0;
  for (const auto& c : calls) {
    ++n;
    std::string id = "c" + std::to_string(n);
    int64_t rang = t(c.day, 9 + n);  // one call an hour
    Fields who = {{"call", id}, {"caller_kind", c.kind}, {"language", c.lang}};
    add(rang, "call.queued", who);
    Fields f;
    if (c.wait_s < 0) {
      f = {{"waited_ms", std::to_string(-c.wait_s * 1000)}, {"call_back", c.call_back ? "1" : "0"}};
      f.insert(f.end(), who.begin(), who.end());
      add(rang - c.wait_s * 1000, "call.missed", f);
    } else {
      int64_t answered = rang + c.wait_s * 1000;
      f = {{"waited_ms", std::to_string(c.wait_s * 1000)}};
      f.insert(f.end(), who.begin(), who.end());
      add(answered, "call.answered", f);
      f = {{"outcome", c.outcome}, {"talk_ms", "300000"}, {"call_back", c.call_back ? "1" : "0"}};
      f.insert(f.end(), who.begin(), who.end());
      add(answered + 5 * kMinute, "call.ended", f);
    }
    if (c.call_back) {
      f = {{"result", n == 5 ? "done" : "unreachable"}};
      f.insert(f.end(), who.begin(), who.end());
      add(t(4, 9, n), "call.call_back", f);
    }
  }

  // ---- Street reports on the 4th: r1..r5 by citizens in Ixelles, r6 by the police in Anderlecht. ----
  for (int i = 1; i <= 6; ++i) {
    std::string id = "r" + std::to_string(i);
    int64_t at = t(4, 10 + i);
    bool police = i == 6;
    add(at, "report.created", {{"report", id}, {"reporter_kind", police ? "REPORTER_KIND_POLICE" : "REPORTER_KIND_CITIZEN"},
                               {"commune", police ? "anderlecht" : "ixelles"}, {"needs", "STREET_NEED_HELP"},
                               {"route", "ROUTE_MARAUDE"}, {"team", "maraude-1"}});
    add(at + kMinute, "report.assigned", {{"report", id}, {"team", "maraude-1"}});
    add(at + 2 * kMinute, "report.on_the_way", {{"report", id}, {"team", "maraude-1"}});
    int64_t contact = i <= 3 ? 10 * kMinute : i <= 5 ? 45 * kMinute : 3 * kHour;
    add(at + contact, police ? "report.not_found" : "report.found",
        {{"report", id}, {"team", "maraude-1"}, {"to_contact_ms", std::to_string(contact)}});
    add(at + contact + kMinute, "report.closed",
        {{"report", id}, {"team", "maraude-1"},
         {"outcome", police ? "STREET_OUTCOME_NOT_FOUND" : "STREET_OUTCOME_ACCOMPANIED"},
         {"open_ms", std::to_string(contact + kMinute)}, {"reporter_told", i == 1 ? "1" : "0"}});
  }

  // ---- Requests on the 1st: q1..q8 for p1..p8, q9 for p1 again, q10..q15 for p9..p14. Lanes: 12
  // standard, 2 priority, 1 medical. ----
  for (int i = 1; i <= 15; ++i) {
    const char* lane = i <= 6 || i >= 10 ? "LANE_STANDARD" : i <= 8 ? "LANE_PRIORITY" : "LANE_MEDICAL";
    int person = i == 9 ? 1 : i < 9 ? i : i - 1;
    add(t(1, 9, i), "request.created", {{"request", "q" + std::to_string(i)}, {"person", "p" + std::to_string(person)},
                                        {"lane", lane}, {"publics", "single_men"}});
  }
  // 12 proposals: 7 accepted (5 single men, 2 families), 4 refused (3 too far, 1 safety), 1 place gone.
  for (int i = 1; i <= 12; ++i) {
    std::string prop = "prop" + std::to_string(i), req = "q" + std::to_string((i - 1) % 9 + 1);
    const char* pub = (i == 6 || i == 7) ? "families" : "single_men";
    const char* pool = (i == 6 || i == 7) ? "samu:families" : "ilot:single_men";
    Fields base = {{"proposal", prop}, {"request", req}, {"pool", pool}, {"public", pub}, {"lane", "LANE_STANDARD"}};
    add(t(6, 10, i), "proposal.made", base);
    Fields f;
    if (i <= 7) {
      f = {{"hold", std::string(pool) + ":h" + std::to_string(i)}, {"waited_ms", "600000"}};
      f.insert(f.end(), base.begin(), base.end());
      add(t(6, 11, i), "proposal.accepted", f);
    } else if (i <= 11) {
      f = {{"reason", i <= 10 ? "REFUSAL_REASON_TOO_FAR" : "REFUSAL_REASON_SAFETY"}};
      f.insert(f.end(), base.begin(), base.end());
      add(t(6, 11, i), "proposal.refused", f);
    } else {
      add(t(6, 11, i), "proposal.place_gone", base);
    }
  }

  // ---- Pass night: two places on the night of the 2nd (one given back), one on the 3rd. ----
  add(t(2, 23), "pass_night.reserved", {{"team", "maraude-1"}, {"night", "2026-03-02"}, {"used", "1"}, {"quota", "3"}});
  add(t(2, 23, 30), "pass_night.reserved", {{"team", "maraude-1"}, {"night", "2026-03-02"}, {"used", "2"}, {"quota", "3"}});
  add(t(2, 23, 31), "pass_night.released", {{"team", "maraude-1"}, {"night", "2026-03-02"}, {"used", "1"}});
  add(t(3, 23), "pass_night.reserved", {{"team", "maraude-1"}, {"night", "2026-03-03"}, {"used", "1"}, {"quota", "3"}});

  // ---- Night close-outs: unmet (priority, medical, standard) = (0,1,6), (0,0,7), (2,0,5). ----
  const std::tuple<int, const char*, int, int, int> nights[] = {
      {3, "2026-03-02", 0, 1, 6}, {4, "2026-03-03", 0, 0, 7}, {5, "2026-03-04", 2, 0, 5}};
  for (const auto& [day, night, pri, med, std_] : nights) {
    for (int i = 0; i < pri + med + std_; ++i) {
      const char* lane = i < pri ? "LANE_PRIORITY" : i < pri + med ? "LANE_MEDICAL" : "LANE_STANDARD";
      add(t(day, 12), "request.unmet", {{"request", "u" + std::to_string(i)}, {"lane", lane}, {"night", night}});
    }
    add(t(day, 12), "night.closed", {{"night", night}, {"unmet", std::to_string(pri + med + std_)},
                                     {"priority", std::to_string(pri)}, {"medical", std::to_string(med)},
                                     {"standard", std::to_string(std_)}});
  }

  std::stable_sort(events.begin(), events.end(), [](const Pending& a, const Pending& b) { return a.at < b.at; });
  for (const auto& e : events) {
    if (e.pool) {
      log.PoolEvent(e.at, e.type, *e.pool, e.fields);
    } else {
      log.Add(e.at, e.type, e.fields);
    }
  }
  log.Flush();
}

std::map<std::string, std::string> GenerationSnapshot(RedisPool& redis, const std::string& region,
                                                      const std::string& generation) {
  monitoring::Keys keys(region, generation);
  std::string prefix = keys.Pattern().substr(0, keys.Pattern().size() - 1);
  std::map<std::string, std::string> out;
  std::string cursor = "0";
  do {
    auto page = redis.Command({"SCAN", cursor, "MATCH", keys.Pattern(), "COUNT", "1000"});
    if (!page.ok()) throw std::runtime_error("snapshot: cannot scan");
    cursor = std::string(ReplyStr((*page)->element[0]));
    for (size_t i = 0; i < (*page)->element[1]->elements; ++i) {
      std::string key(ReplyStr((*page)->element[1]->element[i]));
      if (key == keys.Lease()) continue;
      auto type = redis.Command({"TYPE", key});
      std::string value;
      if (ReplyStr(type->get()) == "hash") {
        auto all = redis.Command({"HGETALL", key});
        std::map<std::string, std::string> fields;
        for (size_t j = 0; j + 1 < (*all)->elements; j += 2) {
          fields[std::string(ReplyStr((*all)->element[j]))] = std::string(ReplyStr((*all)->element[j + 1]));
        }
        for (const auto& [f, v] : fields) value += f + "=" + v + "\n";
      } else {
        auto count = redis.Command({"PFCOUNT", key});
        value = "distinct=" + std::to_string(count.ok() ? ReplyInt(count->get()) : -1);
      }
      out[key.substr(prefix.size())] = value;
    }
  } while (cursor != "0");
  return out;
}

void CountEverything(RedisPool& redis, const std::string& consumer, const std::string& generation) {
  monitoring::ConsumerOptions options;
  options.name = consumer;
  options.generation = generation;
  monitoring::Consumer c(redis, options);
  for (;;) {
    auto step = c.Step();
    if (!step.ok()) throw std::runtime_error("count: " + std::string(step.status().message()));
    if (step->standby) throw std::runtime_error("count: another consumer holds the lease");
    if (step->read == 0) break;
  }
  c.Release();
}

}  // namespace relais::testing
