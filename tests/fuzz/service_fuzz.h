#pragma once
// The frame of the fuzz targets of the services' request validation. An input is
//   <method:u8> <role:u8> <the method's request message, protobuf wire format>
// as a gRPC call brings it: the method is the service's method of that index (descriptor order, mod
// the count), the caller a role of common/identity.h bound to shelter "ilot" and team
// "maraude-samusocial". The check of each method is the chain its handler runs before Redis:
// validation (common, rules.h) and rights. Its answer must be OK or a refusal the API documents, with
// a message that starts with the field it names ("field: ..." or a sentence for rights).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "common/identity.h"
#include "common/status_macros.h"
#include "services/gateway/transcode.h"

namespace relais::fuzz {

// The service of the .proto file that declares `Message` (its descriptor links the file in).
template <class Message>
const google::protobuf::ServiceDescriptor* ServiceOf(const std::string& name) {
  const auto* s = Message::descriptor()->file()->FindServiceByName(name);
  if (!s) abort();
  return s;
}

using Check = std::function<absl::Status(const google::protobuf::Message&, const Caller&)>;

class ServiceChecks {
 public:
  explicit ServiceChecks(const google::protobuf::ServiceDescriptor* service) : service_(service) {}

  template <class Request>
  void On(std::function<absl::Status(const Request&, const Caller&)> check) {
    checks_[Request::descriptor()->full_name()] = [check](const google::protobuf::Message& m, const Caller& c) {
      return check(static_cast<const Request&>(m), c);
    };
  }

  // Every method of the service has its check: a method added without one fails at once.
  void RequireAll() const {
    for (int i = 0; i < service_->method_count(); ++i) {
      if (!checks_.count(service_->method(i)->input_type()->full_name())) {
        fprintf(stderr, "no fuzz check for %s\n", service_->method(i)->full_name().c_str());
        abort();
      }
    }
  }

  int Run(const uint8_t* data, size_t size) const {
    if (size < 2) return 0;
    const auto* method = service_->method(data[0] % service_->method_count());
    Caller caller{static_cast<Role>(data[1] % 8), "fuzz-account", {"ilot"}, "maraude-samusocial"};
    auto request = gateway::NewMessage(method->input_type());
    // gRPC refuses what does not parse before any handler runs.
    if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) return 0;
    absl::Status s = checks_.at(method->input_type()->full_name())(*request, caller);
    Judge(s);
    // What validation let through can be shown: protobuf's JSON mapping prints it (an invalid time,
    // for one, would make the stored object unreadable through the REST API).
    if (s.ok()) {
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(*request, &json).ok()) {
        fprintf(stderr, "accepted but cannot be printed as JSON: %s\n", request->ShortDebugString().c_str());
        abort();
      }
    }
    return 0;
  }

 private:
  static void Judge(const absl::Status& s) {
    if (s.ok()) return;
    switch (s.code()) {
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kPermissionDenied:
      case absl::StatusCode::kFailedPrecondition:
        break;
      default:
        fprintf(stderr, "unexpected refusal: %s\n", s.ToString().c_str());
        abort();
    }
    std::string m(s.message());
    if (m.empty()) abort();
    if (s.code() == absl::StatusCode::kInvalidArgument) {
      // INVALID_ARGUMENT names its field first: "field.path: what is wrong".
      size_t colon = m.find(": ");
      bool named = colon != std::string::npos && colon > 0;
      for (size_t i = 0; named && i < colon; ++i) {
        char c = m[i];
        named = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '[' || c == ']';
      }
      if (!named) {
        fprintf(stderr, "INVALID_ARGUMENT that names no field: %s\n", m.c_str());
        abort();
      }
    }
  }

  const google::protobuf::ServiceDescriptor* service_;
  std::map<std::string, Check> checks_;
};

}  // namespace relais::fuzz
