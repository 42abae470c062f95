#pragma once
// An asynchronous HTTP/1.1 client for open-loop load: keep-alive connections to one server, opened on
// demand up to a cap, all driven by the caller's io_context on one thread (no locks). A request that
// finds every connection busy and the cap reached waits in a FIFO queue: that wait is part of its
// latency, as it would be for a person behind a busy browser, and is counted (`waited`).
//
// Idle connections are closed after `max_idle` (below the server's keep-alive timeout), so a request
// never races the server closing an idle connection; a reused connection that fails before any answer
// byte (the server closed it meanwhile) is tried once more on a new one, as browsers do. Every request
// of Relais carries an Idempotency-Key when it changes anything, so that resend is safe.
//
// The pool must outlive the io_context's run: its handlers point to it.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace relais::load {

struct HttpAnswer {
  int status = 0;     // 0: no answer (`error` says why)
  std::string body;
  std::string error;
  bool timed_out = false;  // no answer within the pool's timeout (connect, write or read)
};

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

class HttpPool {
 public:
  HttpPool(boost::asio::io_context& ioc, int port, int max_connections, std::chrono::milliseconds timeout,
           std::chrono::milliseconds max_idle = std::chrono::seconds(10));
  ~HttpPool();
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  // Sends `req` (Host and keep-alive are set here); `done` runs on the io_context's thread.
  void Send(std::shared_ptr<HttpRequest> req, std::function<void(HttpAnswer)> done);

  // Closes every idle connection; busy ones finish their request first and are closed as they come
  // back, and so is any connection used after this (the end of a run).
  void CloseAll();

  int open() const { return open_; }
  int busy() const { return open_ - static_cast<int>(idle_.size()); }
  long waited() const { return waited_; }     // requests that queued for a connection
  long resent() const { return resent_; }     // reused connections found closed, request sent again
  int port() const { return port_; }

 private:
  struct Conn;
  struct Pending {
    std::shared_ptr<HttpRequest> req;
    std::function<void(HttpAnswer)> done;
  };
  void Open(Pending p);
  void Start(std::shared_ptr<Conn> c, Pending p);
  void Finished(std::shared_ptr<Conn> c, bool reusable);
  void Failed(std::shared_ptr<Conn> c, Pending p, const std::string& what, bool answer_started);

  boost::asio::io_context& ioc_;
  int port_;
  int max_connections_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds max_idle_;
  std::vector<std::shared_ptr<Conn>> idle_;  // most recently used last
  std::deque<Pending> queue_;
  int open_ = 0;
  long waited_ = 0;
  long resent_ = 0;
  bool closing_ = false;
};

}  // namespace relais::load
