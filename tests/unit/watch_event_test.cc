#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "services/beds/watch.h"

namespace relais::beds {
namespace {

// Builds a reply the way hiredis would from the wire (RESP), for a flat list of strings.
ReplyPtr FlatReply(const std::vector<std::string>& items) {
  std::string resp = "*" + std::to_string(items.size()) + "\r\n";
  for (const auto& s : items) resp += "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
  redisReader* reader = redisReaderCreate();
  redisReaderFeed(reader, resp.data(), resp.size());
  void* reply = nullptr;
  redisReaderGetReply(reader, &reply);
  redisReaderFree(reader);
  return ReplyPtr(static_cast<redisReply*>(reply));
}

TEST(WatchEvent, HoldEventBecomesAPoolChange) {
  auto fields = FlatReply({"type", "hold.taken", "at", "1700000000000", "pool", "ilot:single_men", "shelter", "ilot",
                           "public", "single_men", "hold", "h-1", "in_service", "20", "buffer", "5", "buffer_open",
                           "1", "occupied", "10", "holds", "3", "free", "12", "version", "7", "commune", "brussels",
                           "updated_ms", "1700000000000"});
  auto change = ChangeFromEvent("1-0", fields.get());
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->event_type(), "hold.taken");
  EXPECT_EQ(change->pool().id(), "ilot:single_men");
  EXPECT_EQ(change->pool().free(), 12);
  EXPECT_EQ(change->pool().live_holds(), 3);
  EXPECT_TRUE(change->pool().buffer_open());
  EXPECT_EQ(change->pool().commune(), "brussels");
}

TEST(WatchEvent, DirectoryEventsAreNotAvailabilityChanges) {
  auto fields = FlatReply({"type", "shelter.created", "at", "1", "shelter", "ilot"});
  EXPECT_FALSE(ChangeFromEvent("1-0", fields.get()).has_value());
}

TEST(WatchEvent, FilterByPublicCommuneShelter) {
  auto fields = FlatReply({"type", "pool.declared", "at", "1", "pool", "ilot:families", "shelter", "ilot", "public",
                           "families", "commune", "brussels"});
  auto change = ChangeFromEvent("1-0", fields.get());
  ASSERT_TRUE(change.has_value());
  relais::v1::AvailabilityFilter f;
  EXPECT_TRUE(PassesFilter(*change, f));
  f.set_public_("single_men");
  EXPECT_FALSE(PassesFilter(*change, f));
  f.set_public_("families");
  f.set_commune("ixelles");
  EXPECT_FALSE(PassesFilter(*change, f));
  f.set_commune("brussels");
  EXPECT_TRUE(PassesFilter(*change, f));
}

TEST(WatchEvent, RegionCrisisReachesEveryFilter) {
  auto fields = FlatReply({"type", "buffer.opened", "at", "1", "crisis", "c-1", "shelter", "", "reason",
                           "CRISIS_REASON_COLD"});
  auto change = ChangeFromEvent("1-0", fields.get());
  ASSERT_TRUE(change.has_value());
  relais::v1::AvailabilityFilter f;
  f.set_shelter_id("ilot");
  EXPECT_TRUE(PassesFilter(*change, f));
}

}  // namespace
}  // namespace relais::beds
