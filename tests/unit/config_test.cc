#include "common/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "common/redis.h"

namespace relais {
namespace {

TEST(Config, EnvNameOfAnOption) { EXPECT_EQ(EnvNameForOption("redis-port"), "RELAIS_REDIS_PORT"); }

TEST(Config, FlagWinsOverEnvironmentWhichWinsOverDefault) {
  RedisOptions redis;
  po::options_description options;
  AddRedisOptions(options, redis);
  setenv("RELAIS_REDIS_PORT", "7001", 1);
  setenv("RELAIS_REDIS_HOST", "10.1.2.3", 1);
  const char* argv[] = {"prog", "--redis-port=7002"};
  po::variables_map vm;
  auto exit_code = ParseConfig(2, argv, options, "usage", vm);
  unsetenv("RELAIS_REDIS_PORT");
  unsetenv("RELAIS_REDIS_HOST");
  EXPECT_FALSE(exit_code.has_value());
  EXPECT_EQ(redis.port, 7002);
  EXPECT_EQ(redis.host, "10.1.2.3");
  EXPECT_EQ(redis.pool_size, 8);
}

TEST(Config, BadFlagStopsWithExitCode2) {
  RedisOptions redis;
  po::options_description options;
  AddRedisOptions(options, redis);
  const char* argv[] = {"prog", "--redis-port=notanumber"};
  po::variables_map vm;
  testing::internal::CaptureStderr();
  auto exit_code = ParseConfig(2, argv, options, "usage", vm);
  std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 2);
  EXPECT_NE(err.find("redis-port"), std::string::npos);
}

TEST(Config, HelpStopsWithExitCode0) {
  po::options_description options;
  const char* argv[] = {"prog", "--help"};
  po::variables_map vm;
  testing::internal::CaptureStdout();
  auto exit_code = ParseConfig(2, argv, options, "usage", vm);
  testing::internal::GetCapturedStdout();
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace relais
