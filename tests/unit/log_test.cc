#include "common/log.h"

#include <gtest/gtest.h>

namespace relais::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override { SetSinkForTest(&out_); }
  void TearDown() override { SetSinkForTest(nullptr); }
  std::string out_;
};

TEST_F(LogTest, WritesOneJsonObjectPerLine) {
  Info("hold_taken", {{"pool", Value::Id("samusocial:single_men")}, {"count", 3}, {"ok", true}});
  EXPECT_NE(out_.find("\"event\":\"hold_taken\""), std::string::npos);
  EXPECT_NE(out_.find("\"pool\":\"samusocial:single_men\""), std::string::npos);
  EXPECT_NE(out_.find("\"count\":3"), std::string::npos);
  EXPECT_NE(out_.find("\"ok\":true"), std::string::npos);
  EXPECT_EQ(out_.back(), '\n');
}

TEST_F(LogTest, FreeTextIsRedacted) {
  Info("test", {{"who", Value::Id("Jean-Baptiste Dupont")}, {"note", Value::Id("sleeps near the station")}});
  EXPECT_EQ(out_.find("Dupont"), std::string::npos);
  EXPECT_EQ(out_.find("station"), std::string::npos);
  EXPECT_NE(out_.find("<redacted>"), std::string::npos);
}

TEST_F(LogTest, OverlongIdentifiersAreRedacted) {
  Info("test", {{"id", Value::Id(std::string(81, 'a'))}});
  EXPECT_NE(out_.find("<redacted>"), std::string::npos);
}

TEST_F(LogTest, LevelFilters) {
  SetLevel(Level::kWarn);
  Info("quiet");
  Warn("loud");
  SetLevel(Level::kInfo);
  EXPECT_EQ(out_.find("quiet"), std::string::npos);
  EXPECT_NE(out_.find("loud"), std::string::npos);
}

TEST(LogLevel, Parses) {
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("error"), Level::kError);
  EXPECT_EQ(ParseLevel("nonsense"), Level::kInfo);
}

}  // namespace
}  // namespace relais::log
