#pragma once
// The bare HTTP baseline: a Beast server in the shape of Beast's http_server_async example (a strand per
// connection, keep-alive, a few threads on one io_context) that answers fixed bytes and does nothing
// else: no routing, no session, no JSON. Shared by gateway_bench and cold_night_load.
//
// It answers the body recorded for the request's target when there is one, else the default body, so
// an open-loop mix can get each route's real answer back without any of the work behind it.
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace relais::bench {

class BareHttpServer {
 public:
  // `bodies` by request target ("/x?y"); `default_body` for any other target.
  BareHttpServer(std::map<std::string, std::string> bodies, std::string default_body, int threads)
      : bodies_(std::move(bodies)),
        default_body_(std::move(default_body)),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    Accept();
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~BareHttpServer() {
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }

  const std::string& BodyFor(const std::string& target) const {
    auto it = bodies_.find(target);
    return it == bodies_.end() ? default_body_ : it->second;
  }

 private:
  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(boost::asio::ip::tcp::socket&& s, const BareHttpServer& server) : stream_(std::move(s)), server_(server) {}
    void Read() {
      req_ = {};
      boost::beast::http::async_read(stream_, buffer_, req_,
                                     boost::beast::bind_front_handler(&Session::OnRead, shared_from_this()));
    }

   private:
    void OnRead(boost::beast::error_code ec, std::size_t) {
      namespace http = boost::beast::http;
      if (ec) return;
      auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, req_.version());
      res->set(http::field::content_type, "application/json");
      res->keep_alive(req_.keep_alive());
      res->body() = server_.BodyFor(std::string(req_.target()));
      res->prepare_payload();
      res_ = res;
      http::async_write(stream_, *res_, [self = shared_from_this()](boost::beast::error_code e, std::size_t) {
        if (!e) self->Read();
      });
    }
    boost::beast::tcp_stream stream_;
    const BareHttpServer& server_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request<boost::beast::http::string_body> req_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> res_;
  };

  void Accept() {
    acceptor_.async_accept(boost::asio::make_strand(ioc_),
                           [this](boost::beast::error_code ec, boost::asio::ip::tcp::socket s) {
                             if (!ec) std::make_shared<Session>(std::move(s), *this)->Read();
                             Accept();
                           });
  }

  std::map<std::string, std::string> bodies_;
  std::string default_body_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

}  // namespace relais::bench
