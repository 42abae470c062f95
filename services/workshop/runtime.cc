#include "services/workshop/runtime.h"

namespace relais::workshop {

void AddWorkshopOptions(po::options_description& options, WorkshopConfig& c) {
  options.add_options()
      ("workshop-schedule", po::value<std::string>()->default_value(kDefaultSchedule)->notifier([&c](const std::string& s) {
         auto schedule = Schedule::Parse(s);
         if (!schedule.ok()) throw po::error(std::string(schedule.status().message()));
         c.service.schedule = *schedule;
       }),
       "the workshop's weekly sessions and their capacity, UTC: day@HH:MM=cases, comma-separated")
      ("near-deadline-hours",
       po::value<int>()->default_value(static_cast<int>(c.store.near_deadline.count()))->notifier([&c](int h) {
         if (h < 1 || h > 24 * 7) throw po::error("near-deadline-hours: 1 to 168");
         c.store.near_deadline = std::chrono::hours(h);
       }),
       "a case awaiting a préconisation this close to its 7-day deadline is flagged")
      ("deadline-sweep-interval-ms", po::value(&c.sweep_interval_ms)->default_value(c.sweep_interval_ms),
       "how often missed deadlines are recorded and the deadline gauges refreshed");
}

void AddWorkshopTargetOptions(po::options_description& options, WorkshopConfig& c) {
  options.add_options()
      ("beds-target", po::value(&c.beds_target)->default_value(c.beds_target), "address of the beds service (the directory)")
      ("dispatch-target", po::value(&c.dispatch_target)->default_value(c.dispatch_target),
       "address of the dispatch service (persons and their consent)");
}

}  // namespace relais::workshop
