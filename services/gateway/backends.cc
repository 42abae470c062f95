#include "services/gateway/backends.h"

#include <mutex>

namespace relais::gateway {

void Backends::Connect(const std::map<std::string, std::string>& targets) {
  for (const auto& [name, target] : targets) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(16 << 20);
    auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
    entries_[name] = Entry{channel, std::make_unique<grpc::GenericStub>(channel),
                           grpc::health::v1::Health::NewStub(channel)};
  }
}

std::shared_ptr<grpc::Channel> Backends::channel(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : it->second.channel;
}

void Backends::Call(const std::string& name, const std::string& method, const Caller& caller,
                    std::string request_bytes, Done done) {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    done(grpc::Status(grpc::StatusCode::UNAVAILABLE, "no backend " + name), "");
    return;
  }
  struct CallState {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
  };
  auto state = std::make_shared<CallState>();
  state->context.set_deadline(std::chrono::system_clock::now() + deadline_);
  AddCallerMetadata(state->context, caller);
  grpc::Slice slice(request_bytes);
  state->request = grpc::ByteBuffer(&slice, 1);
  ++in_flight_;
  it->second.stub->UnaryCall(&state->context, method, grpc::StubOptions(), &state->request, &state->response,
                             [this, state, done = std::move(done)](grpc::Status status) {
                               std::string bytes;
                               if (status.ok()) {
                                 std::vector<grpc::Slice> slices;
                                 if (state->response.Dump(&slices).ok()) {
                                   for (const auto& s : slices) {
                                     bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
                                   }
                                 }
                               }
                               done(status, std::move(bytes));
                               --in_flight_;
                             });
}

void Backends::CheckHealth(std::function<void(bool, std::string)> done) {
  struct Round {
    std::mutex mu;
    int left;
    bool all = true;
    std::string failing;
    std::function<void(bool, std::string)> done;
  };
  auto round = std::make_shared<Round>();
  round->left = static_cast<int>(entries_.size());
  round->done = std::move(done);
  if (round->left == 0) {
    round->done(true, "");
    return;
  }
  for (auto& [name, entry] : entries_) {
    struct Probe {
      grpc::ClientContext context;
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
    };
    auto probe = std::make_shared<Probe>();
    probe->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    ++in_flight_;
    entry.health->async()->Check(&probe->context, &probe->request, &probe->response,
                                 [this, probe, round, name = name](grpc::Status status) {
                                   bool ok = status.ok() && probe->response.status() ==
                                                                grpc::health::v1::HealthCheckResponse::SERVING;
                                   bool last;
                                   {
                                     std::lock_guard lock(round->mu);
                                     if (!ok) {
                                       round->all = false;
                                       round->failing += (round->failing.empty() ? "" : ",") + name;
                                     }
                                     last = --round->left == 0;
                                   }
                                   if (last) round->done(round->all, round->failing);
                                   --in_flight_;
                                 });
  }
}

}  // namespace relais::gateway
