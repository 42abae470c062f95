#include "common/idempotency.h"

#include <gtest/gtest.h>

#include "relais/v1/beds.pb.h"

namespace relais {
namespace {

TEST(IdempotencyKey, AcceptsTheDocumentedAlphabet) {
  EXPECT_TRUE(ValidateIdempotencyKey("abcd-1234").ok());
  EXPECT_TRUE(ValidateIdempotencyKey("op-7:call.42_retry").ok());
  EXPECT_TRUE(ValidateIdempotencyKey(std::string(128, 'k')).ok());
}

TEST(IdempotencyKey, RefusesWithTheFieldName) {
  for (std::string bad : {std::string(""), std::string("short"), std::string(129, 'k'), std::string("has space 123"),
                          std::string("semi;colon12"), std::string("brace{tag}12")}) {
    auto s = ValidateIdempotencyKey(bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("idempotency_key"), std::string::npos) << bad;
  }
}

TEST(RequestFingerprint, SamePayloadSameBytesOtherPayloadOtherBytes) {
  relais::v1::TakeHoldRequest a, b;
  a.set_pool_id("x:single_men");
  a.set_request_id("r1");
  b = a;
  EXPECT_EQ(RequestFingerprint(a), RequestFingerprint(b));
  b.set_request_id("r2");
  EXPECT_NE(RequestFingerprint(a), RequestFingerprint(b));
}

}  // namespace
}  // namespace relais
