#pragma once
// Errors are absl::Status inside the process and canonical gRPC statuses at the edge. An unexpected
// code never leaves as UNKNOWN: it becomes INTERNAL.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <exception>

#include "absl/status/status.h"
#include "common/log.h"
#include "common/work_pool.h"

namespace relais {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// Runs `work` (returning absl::Status) on the pool and finishes the call with its result. Sheds the
// call with UNAVAILABLE when the pool is full, and answers DEADLINE_EXCEEDED without running the work
// when the caller's deadline passed while it waited.
template <typename Work>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, WorkPool& pool, Work work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  bool queued = pool.TrySubmit([reactor, context, work = std::move(work)]() mutable {
    if (context->deadline() < std::chrono::system_clock::now()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline passed before the call could run"));
      return;
    }
    absl::Status status;
    try {
      status = work();
    } catch (const std::exception&) {
      log::Error("handler_exception");
      status = absl::InternalError("internal error");
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  if (!queued) reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "server overloaded, retry later"));
  return reactor;
}

}  // namespace relais
