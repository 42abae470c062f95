// The Beast side of the gateway: listener, HTTP sessions (plain or TLS), WebSocket live sessions, and
// the start and graceful stop of the event loop. After Beast's advanced_server_flex and chat-multi
// examples (boost-1.74.0).
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <list>
#include <mutex>
#include <set>

#include "common/log.h"
#include "relais/v1/gateway.pb.h"
#include "services/gateway/gateway.h"
#include "services/gateway/live_protocol.h"

namespace relais::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Close codes of the live WebSocket (4000-4999: the application's own).
constexpr uint16_t kCloseSessionEnded = 4001;
constexpr uint16_t kCloseSlowConsumer = 4002;

// Something the server can ask to stop (graceful shutdown).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void Shutdown() = 0;
};

template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

Request ToRequest(const http::request<http::string_body>& req, const std::string& peer, bool tls, bool move_body,
                  http::request<http::string_body>* source) {
  Request out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  if (move_body) {
    out.body = std::move(source->body());
  } else {
    out.body = req.body();
  }
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  out.peer = peer;
  out.tls = tls;
  return out;
}

}  // namespace

struct Gateway::Impl {
  net::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::list<std::weak_ptr<Connection>> connections;

  void Track(const std::shared_ptr<Connection>& c) {
    std::lock_guard lock(mu);
    connections.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
    connections.push_back(c);
  }
  std::vector<std::shared_ptr<Connection>> Live() {
    std::lock_guard lock(mu);
    std::vector<std::shared_ptr<Connection>> out;
    for (auto& w : connections) {
      if (auto c = w.lock()) out.push_back(std::move(c));
    }
    return out;
  }
};

namespace {

// ---- WebSocket: /api/v1/live ----

template <class Stream>
class LiveSession : public LiveSink, public Connection, public std::enable_shared_from_this<LiveSession<Stream>> {
 public:
  LiveSession(Gateway& gw, Stream&& stream, Principal principal, std::shared_ptr<const Request> request)
      : gw_(gw),
        ws_(std::move(stream)),
        principal_(std::move(principal)),
        request_(std::move(request)),
        recheck_(ws_.get_executor()),
        hard_close_(ws_.get_executor()) {
    gw_.open_websockets().Increment();
  }

  ~LiveSession() override {
    if (hub_id_) gw_.live().Remove(hub_id_);
    gw_.open_websockets().Decrement();
  }

  void Run(http::request<http::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "relais"); }));
    ws_.read_message_max(gw_.options().ws_message_limit);
    req_ = std::move(req);
    ws_.async_accept(req_, beast::bind_front_handler(&LiveSession::OnAccept, this->shared_from_this()));
  }

  void Deliver(std::shared_ptr<const std::string> message) override {
    net::post(ws_.get_executor(), [self = this->shared_from_this(), message] { self->Enqueue(message); });
  }
  void End() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->CloseWith(kCloseSessionEnded, "session ended", "session_ended");
    });
  }
  void Shutdown() override {
    net::post(ws_.get_executor(), [self = this->shared_from_this()] {
      self->CloseWith(websocket::close_code::going_away, "server stopping", "shutdown");
    });
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec) return;
    hub_id_ = gw_.live().Add(this->weak_from_this(), principal_.caller, principal_.username, principal_.session_id);
    relais::v1::LiveServerMessage hello;
    hello.set_type("hello");
    hello.set_role(std::string(RoleName(principal_.caller.role)));
    for (const auto& t : TopicsFor(principal_.caller)) hello.add_topics(t);
    hello.set_event_id(gw_.live().last_event_id());
    Send(hello);
    // Topics may be given at once: /api/v1/live?topics=beds,calls
    std::string query = request_->Query();
    if (query.rfind("topics=", 0) == 0) Apply(SubscriptionFromQuery(query));
    ArmRecheck();
    Read();
  }

  void Read() { ws_.async_read(buffer_, beast::bind_front_handler(&LiveSession::OnRead, this->shared_from_this())); }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec == websocket::error::message_too_big) gw_.websocket_closed("message_too_big").Increment();
      recheck_.cancel();
      return;  // closed, or Beast answered the error with a close frame
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    Answer(AnswerLiveMessage(text, TopicsFor(principal_.caller), topics_));
    if (!closing_) Read();
  }

  void Apply(const relais::v1::LiveClientMessage& message) {
    Answer(ApplyLiveMessage(message, TopicsFor(principal_.caller), topics_));
  }

  void Answer(const relais::v1::LiveServerMessage& answer) {
    if (answer.type() == "subscribed") gw_.live().SetTopics(hub_id_, topics_);
    Send(answer);
  }

  void Send(const relais::v1::LiveServerMessage& m) { Enqueue(std::make_shared<const std::string>(LiveJson(m))); }

  void Enqueue(std::shared_ptr<const std::string> message) {
    if (closing_) return;
    if (queue_.size() >= gw_.options().ws_queue_limit) {
      // A client that does not keep up is dropped rather than buffered without end.
      CloseWith(kCloseSlowConsumer, "too slow: reconnect and read the state again", "slow_consumer");
      return;
    }
    queue_.push_back(std::move(message));
    if (!writing_) Write();
  }

  void Write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&LiveSession::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
      queue_.clear();
      return;
    }
    if (!queue_.empty()) queue_.pop_front();
    if (close_pending_) {
      DoClose();
    } else if (!queue_.empty()) {
      Write();
    }
  }

  void CloseWith(uint16_t code, const char* reason, const std::string& metric) {
    if (closing_) return;
    closing_ = true;
    close_reason_.code = code;
    close_reason_.reason = reason;
    gw_.websocket_closed(metric).Increment();
    recheck_.cancel();
    // Only the message being written is finished; the rest is dropped.
    if (queue_.size() > 1) queue_.erase(queue_.begin() + 1, queue_.end());
    if (!writing_) queue_.clear();
    close_pending_ = true;
    if (!writing_) DoClose();
    // A client that reads nothing at all never lets the close finish: cut the connection.
    hard_close_.expires_after(std::chrono::seconds(5));
    hard_close_.async_wait([self = this->shared_from_this()](beast::error_code e) {
      if (!e) beast::get_lowest_layer(self->ws_).close();
    });
  }

  void DoClose() {
    close_pending_ = false;
    ws_.async_close(close_reason_, [self = this->shared_from_this()](beast::error_code) {
      self->hard_close_.cancel();
    });
  }

  void ArmRecheck() {
    recheck_.expires_after(gw_.options().ws_recheck);
    recheck_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closing_) return;
      self->gw_.api().Authenticate(self->request_, [self](absl::StatusOr<Principal> p) {
        net::post(self->ws_.get_executor(), [self, ended = !p.ok() && absl::IsUnauthenticated(p.status())] {
          if (ended) {
            self->CloseWith(kCloseSessionEnded, "session ended", "session_ended");
          } else {
            self->ArmRecheck();
          }
        });
      });
    });
  }

  Gateway& gw_;
  websocket::stream<Stream> ws_;
  Principal principal_;
  std::shared_ptr<const Request> request_;
  http::request<http::string_body> req_;
  net::steady_timer recheck_;
  net::steady_timer hard_close_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::set<std::string> topics_;
  uint64_t hub_id_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_pending_ = false;
  websocket::close_reason close_reason_;
};

// ---- HTTP ----

template <class Stream>
class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Gateway& gw, Gateway::Impl& impl, Stream&& stream, std::string peer)
      : gw_(gw), impl_(impl), stream_(std::move(stream)), peer_(std::move(peer)) {}

  ~HttpSession() override { --gw_.connections(); }

  void Run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kIsTls<Stream>) {
        beast::get_lowest_layer(self->stream_).expires_after(self->gw_.options().read_timeout);
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (!ec) self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

  void Shutdown() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->stopping_ = true;
      if (self->reading_) beast::get_lowest_layer(self->stream_).cancel();  // idle: close now
      // busy: the answer in progress goes out with Connection: close
    });
  }

 private:
  void Read() {
    if (stopping_ || gw_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(gw_.options().header_limit);
    parser_->body_limit(gw_.options().body_limit);
    beast::get_lowest_layer(stream_).expires_after(gw_.options().read_timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    reading_ = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Fail(413, 3, "body: larger than " + std::to_string(gw_.options().body_limit) + " bytes");
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      return Fail(431, 3, "headers: larger than " + std::to_string(gw_.options().header_limit) + " bytes");
    }
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::end_of_stream).category()) {
        return Fail(400, 3, "request: not valid HTTP/1.1");
      }
      return Close();
    }
    start_ = std::chrono::steady_clock::now();
    auto& req = parser_->get();
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    method_ = std::string(req.method_string());
    head_ = req.method() == http::verb::head;
    if (websocket::is_upgrade(req) && gw_.IsLive(std::string(req.target().substr(0, req.target().find('?'))))) {
      return Upgrade();
    }
    Request request = ToRequest(req, peer_, kIsTls<Stream>, true, &req);
    gw_.Handle(std::move(request), [self = this->shared_from_this()](Reply reply) {
      net::post(self->stream_.get_executor(), [self, reply = std::move(reply)]() mutable { self->Write(std::move(reply)); });
    });
  }

  void Upgrade() {
    auto request = std::make_shared<const Request>(ToRequest(parser_->get(), peer_, kIsTls<Stream>, false, nullptr));
    bool cookie_only = request->Header("authorization").empty();
    // A page's WebSocket carries the cookie: it must come from our own origin (cross-site WebSocket hijacking).
    if (!gw_.api().OriginAllowed(*request) || (cookie_only && request->Header("origin").empty())) {
      Reply r = Api::Error(7, "Origin: a live connection is opened from the gateway's own pages");
      r.route = "/api/v1/live";
      keep_alive_ = false;
      return Write(std::move(r));
    }
    gw_.api().Authenticate(request, [self = this->shared_from_this(), request](absl::StatusOr<Principal> p) {
      net::post(self->stream_.get_executor(), [self, request, p = std::move(p)]() mutable {
        if (!p.ok() || !p->signed_in()) {
          Reply r = p.ok() ? Api::Error(16, "sign in first") : Api::Error(p.status());
          r.route = "/api/v1/live";
          self->keep_alive_ = false;
          return self->Write(std::move(r));
        }
        Reply counted;
        counted.status = 101;
        counted.route = "/api/v1/live";
        self->gw_.Count(counted, self->method_, self->start_);
        beast::get_lowest_layer(self->stream_).expires_never();  // the WebSocket has its own timeouts
        auto live = std::make_shared<LiveSession<Stream>>(self->gw_, std::move(self->stream_), std::move(*p), request);
        self->impl_.Track(live);
        live->Run(self->parser_->release());
      });
    });
  }

  void Fail(int http_status, int grpc_code, const std::string& message) {
    Reply r = Api::Error(grpc_code, message);
    r.status = http_status;
    r.route = "rejected";
    keep_alive_ = false;
    method_ = "?";
    start_ = std::chrono::steady_clock::now();
    version_ = 11;
    Write(std::move(r));
  }

  void Write(Reply reply) {
    gw_.Count(reply, method_, start_);
    bool close = !keep_alive_ || stopping_ || gw_.stopping();
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), version_);
    res->set(http::field::server, "relais");
    res->set(http::field::content_type, reply.content_type);
    res->set("Content-Security-Policy",
             reply.content_security_policy.empty() ? std::string(kCsp) : reply.content_security_policy);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Referrer-Policy", "no-referrer");
    res->set("X-Frame-Options", "DENY");
    res->set("Cross-Origin-Opener-Policy", "same-origin");
    if constexpr (kIsTls<Stream>) res->set("Strict-Transport-Security", "max-age=31536000");
    for (const auto& [k, v] : reply.headers) res->insert(k, v);
    res->keep_alive(!close);
    size_t length = reply.body.size();
    if (!head_) res->body() = std::move(reply.body);
    res->content_length(length);
    if (reply.status == 304) res->content_length(boost::none);
    res_ = res;
    beast::get_lowest_layer(stream_).expires_after(gw_.options().write_timeout);
    http::async_write(stream_, *res_, [self = this->shared_from_this(), close](beast::error_code ec, std::size_t) {
      self->res_.reset();
      if (ec || close) return self->Close();
      self->Read();
    });
  }

  void Close() {
    if constexpr (kIsTls<Stream>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::get_lowest_layer(self->stream_).close();
      });
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  Gateway& gw_;
  Gateway::Impl& impl_;
  Stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> res_;
  std::chrono::steady_clock::time_point start_;
  std::string method_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  bool reading_ = false;
  bool stopping_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(Gateway& gw, Gateway::Impl& impl) : gw_(gw), impl_(impl) {}
  void Accept() {
    impl_.acceptor.async_accept(net::make_strand(impl_.ioc),
                                beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !impl_.acceptor.is_open()) return;
    if (!ec) {
      if (++gw_.connections() > gw_.options().max_connections) {
        --gw_.connections();
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        beast::error_code ep_ec;
        auto endpoint = socket.remote_endpoint(ep_ec);
        std::string peer = ep_ec ? "unknown" : endpoint.address().to_string();
        if (impl_.tls) {
          auto s = std::make_shared<HttpSession<TlsStream>>(gw_, impl_, TlsStream(std::move(socket), *impl_.tls), peer);
          impl_.Track(s);
          s->Run();
        } else {
          auto s = std::make_shared<HttpSession<PlainStream>>(gw_, impl_, PlainStream(std::move(socket)), peer);
          impl_.Track(s);
          s->Run();
        }
      }
    }
    Accept();
  }

  Gateway& gw_;
  Gateway::Impl& impl_;
};

}  // namespace

Gateway::~Gateway() {
  Stop();
  impl_.reset();  // the connections still held by the event loop go while every member they use is alive
}

bool Gateway::tls() const { return impl_ && impl_->tls.has_value(); }

void Gateway::Start(const std::string& all_targets) {
  std::map<std::string, std::string> targets;
  for (const Backend& b : AllBackends()) {
    if (b.local) continue;
    std::string name(b.name);
    auto it = options_.targets.find(name);
    targets[name] = !all_targets.empty() ? all_targets
                    : it != options_.targets.end() ? it->second
                                                   : std::string(b.default_target);
  }
  backends_.Connect(targets);
  impl_ = std::make_shared<Impl>();
  if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    impl_->tls->use_certificate_chain_file(options_.tls_cert, ec);
    if (!ec) impl_->tls->use_private_key_file(options_.tls_key, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("TLS: cannot read the certificate or key: " + ec.message());
  }
  size_t colon = options_.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--http-listen: host:port");
  std::string host = options_.listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("--http-listen: not an IP address: " + host);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(std::stoi(options_.listen.substr(colon + 1))));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + options_.listen + ": " + ec.message());
  port_ = acceptor.local_endpoint().port();
  live_.Start();
  std::make_shared<Listener>(*this, *impl_)->Accept();
  for (int i = 0; i < std::max(1, options_.threads); ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  log::Info("gateway_listening", {{"port", port_}, {"tls", tls()}});
}

void Gateway::Stop() {
  if (stopped_ || !impl_) return;
  stopped_ = true;
  stopping_ = true;
  net::post(impl_->ioc, [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
  });
  live_.Stop();
  for (auto& c : impl_->Live()) c->Shutdown();
  // Requests in flight finish (their calls have deadlines); then the loop ends.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline &&
         (connections_.load() > 0 || backends_.in_flight() > 0 || work_.pending() > 0)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  work_.Stop();
  local_work_.Stop();
  while (backends_.in_flight() > 0 && std::chrono::steady_clock::now() < deadline + options_.grpc_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  log::Info("gateway_stopped");
}

}  // namespace relais::gateway
