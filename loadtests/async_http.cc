#include "loadtests/async_http.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

namespace relais::load {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

struct HttpPool::Conn {
  explicit Conn(net::io_context& ioc) : stream(ioc) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;  // one per request
  SteadyClock::time_point last_used;
  bool reused = false;  // carried a request before this one
};

HttpPool::HttpPool(net::io_context& ioc, int port, int max_connections, std::chrono::milliseconds timeout,
                   std::chrono::milliseconds max_idle)
    : ioc_(ioc), port_(port), max_connections_(max_connections), timeout_(timeout), max_idle_(max_idle) {}

HttpPool::~HttpPool() {
  for (auto& c : idle_) {
    beast::error_code ec;
    c->stream.socket().close(ec);
  }
}

void HttpPool::Send(std::shared_ptr<HttpRequest> req, std::function<void(HttpAnswer)> done) {
  req->set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  req->keep_alive(true);
  req->prepare_payload();
  Pending p{std::move(req), std::move(done)};
  auto now = SteadyClock::now();
  while (!idle_.empty()) {
    auto c = idle_.back();
    idle_.pop_back();
    if (now - c->last_used < max_idle_) {
      Start(std::move(c), std::move(p));
      return;
    }
    beast::error_code ec;
    c->stream.socket().close(ec);
    --open_;
  }
  if (open_ < max_connections_) {
    Open(std::move(p));
    return;
  }
  ++waited_;
  queue_.push_back(std::move(p));
}

void HttpPool::Open(Pending p) {
  ++open_;
  auto c = std::make_shared<Conn>(ioc_);
  c->stream.expires_after(timeout_);
  c->stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)),
                          [this, c, p = std::move(p)](beast::error_code ec) mutable {
                            if (ec) return Failed(c, std::move(p), "connect: " + ec.message(), true);
                            Start(c, std::move(p));
                          });
}

void HttpPool::Start(std::shared_ptr<Conn> c, Pending p) {
  c->parser.emplace();
  c->parser->body_limit(64 * 1024 * 1024);
  c->stream.expires_after(timeout_);
  auto req = p.req;
  http::async_write(c->stream, *req, [this, c, p = std::move(p)](beast::error_code ec, std::size_t) mutable {
    if (ec) return Failed(c, std::move(p), "write: " + ec.message(), false);
    http::async_read(c->stream, c->buffer, *c->parser, [this, c, p = std::move(p)](beast::error_code rec, std::size_t) mutable {
      if (rec) return Failed(c, std::move(p), "read: " + rec.message(), c->parser->is_header_done());
      auto& res = c->parser->get();
      HttpAnswer answer{static_cast<int>(res.result_int()), std::move(res.body()), ""};
      bool reusable = res.keep_alive();
      c->reused = true;
      Finished(c, reusable);
      p.done(std::move(answer));
    });
  });
}

void HttpPool::Finished(std::shared_ptr<Conn> c, bool reusable) {
  if (!reusable || closing_) {
    beast::error_code ec;
    c->stream.socket().close(ec);
    --open_;
    if (!queue_.empty()) {
      auto next = std::move(queue_.front());
      queue_.pop_front();
      Open(std::move(next));
    }
    return;
  }
  if (!queue_.empty()) {
    auto next = std::move(queue_.front());
    queue_.pop_front();
    Start(std::move(c), std::move(next));
    return;
  }
  c->last_used = SteadyClock::now();
  idle_.push_back(std::move(c));
}

void HttpPool::Failed(std::shared_ptr<Conn> c, Pending p, const std::string& what, bool answer_started) {
  beast::error_code ignored;
  c->stream.socket().close(ignored);
  --open_;
  bool timed_out = what.find("timed out") != std::string::npos || what.find("timeout") != std::string::npos;
  bool stale = c->reused && !answer_started && !timed_out;
  if (stale) {  // the server closed this kept-alive connection before our request reached it
    ++resent_;
    Open(std::move(p));
    return;
  }
  if (!queue_.empty()) {
    auto next = std::move(queue_.front());
    queue_.pop_front();
    Open(std::move(next));
  }
  p.done(HttpAnswer{0, "", what, timed_out});
}

void HttpPool::CloseAll() {
  closing_ = true;
  for (auto& c : idle_) {
    beast::error_code ec;
    c->stream.socket().close(ec);
    --open_;
  }
  idle_.clear();
}

}  // namespace relais::load
