#pragma once
// Live updates: one thread follows the region's event stream (XREAD BLOCK on a connection of its own,
// never an event-loop thread) and hands each event to the WebSocket connections that follow its topic
// and whose role may see it. Each event becomes one JSON message, shared by every connection that gets
// it; connections queue it on their own strand (http_server.cc bounds that queue).
//
// Topics (a row each in live.cc; a new service's events are one more row):
//   beds      pool.*, hold.*, buffer.*   operators, medical, teams, admin; a shelter only its own pools
//   summary   the same events, reduced to type and public (no ids): every signed-in role, monitoring too
//   calls     call.*                     operators, medical, admin
//   queue     request.*, proposal.*, night.*   operators, medical, admin
//   reports   report.*, pass_night.*     operators, medical, admin; a team only its own
//   workshop  case.*, session.*, plan.*, priority_place.*   workshop, operators, medical, admin
//   activity  the hotline's and the workshop's events, reduced to type (no ids): monitoring, admin
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/identity.h"
#include "common/redis.h"

namespace relais::gateway {

class LiveSink {
 public:
  virtual ~LiveSink() = default;
  // Called from the hub's thread: queue and return at once.
  virtual void Deliver(std::shared_ptr<const std::string> message) = 0;
  // The connection's session ended (logout, account removed): close now.
  virtual void End() = 0;
};

// The topics a caller may follow.
std::vector<std::string> TopicsFor(const Caller& caller);
bool TopicExists(const std::string& topic);

class LiveHub {
 public:
  // on_event: called for every event read (the gateway drops its ReadCache).
  LiveHub(RedisPool& redis, std::string stream_key, std::function<void()> on_event = {});
  ~LiveHub();

  void Start();
  void Stop();  // ends the reader; connections are closed by the server

  // A connection: returns its id. `topics` are those it follows (checked by the caller against TopicsFor).
  uint64_t Add(std::weak_ptr<LiveSink> sink, const Caller& caller, const std::string& username,
               const std::string& session_id);
  void SetTopics(uint64_t id, std::set<std::string> topics);
  void Remove(uint64_t id);
  // Ends the live connections of an account, or of one of its sessions.
  void EndSessions(const std::string& username, const std::string& session_id);
  std::vector<std::shared_ptr<LiveSink>> All();

  int connections();
  std::string last_event_id();

  // One event of the stream (fields: name/value pairs) -> deliveries. Public for tests.
  void Publish(const std::string& id, const std::vector<std::pair<std::string, std::string>>& fields);

 private:
  struct Entry {
    std::weak_ptr<LiveSink> sink;
    Caller caller;
    std::string username;
    std::string session_id;
    std::set<std::string> topics;
  };
  void Run();

  RedisPool& redis_;
  std::string stream_key_;
  std::function<void()> on_event_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_id_ = 1;
  std::string last_id_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace relais::gateway
