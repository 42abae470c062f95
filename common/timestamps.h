#pragma once
// Milliseconds (the unit of Redis and events) to and from google.protobuf.Timestamp without ever
// failing. protobuf's TimeUtil conversions abort the process on a value outside years 1-9999 and
// overflow on huge seconds, and the values converted here come from Redis or from callers: a stored
// number that is not a time (a hash written by hand, a field of another meaning) must not stop a service.
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

namespace relais {

// Clamped to the Timestamp range (0001-01-01 to 9999-12-31).
google::protobuf::Timestamp TimestampFromMs(int64_t ms);
// Within years 1-9999 with nanos in 0-999,999,999: a time protobuf's JSON mapping can print. Times
// given by callers are checked with it before they are stored.
bool IsValidTimestamp(const google::protobuf::Timestamp& t);
// Saturates at the ends of int64 for seconds beyond them; nanos outside 0-999,999,999 count as 0.
int64_t MsFromTimestamp(const google::protobuf::Timestamp& t);

}  // namespace relais
