#pragma once
// Plain HTTP/1.1 and WebSocket clients for tests and benchmarks, on loopback: one connection per
// request (simple and independent), a session cookie and CSRF token kept between requests, raw bytes
// for the limits tests, and a WebSocket client with a read timeout.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relais::testing {

struct HttpResponse {
  int status = 0;                               // 0: no answer (connection closed)
  std::string body;
  std::map<std::string, std::string> headers;   // lower-case names
  std::vector<std::string> set_cookies;
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  // The session cookie and CSRF token are sent when set; Content-Type is JSON when there is a body.
  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});
  HttpResponse Get(const std::string& target) { return Send("GET", target); }
  HttpResponse Post(const std::string& target, const std::string& body) { return Send("POST", target, body); }
  HttpResponse Put(const std::string& target, const std::string& body) { return Send("PUT", target, body); }
  HttpResponse Delete(const std::string& target) { return Send("DELETE", target); }
  // Exactly these bytes, then one answer read.
  HttpResponse Raw(const std::string& bytes);

  // POST /api/v1/auth/login; keeps the cookie and the CSRF token.
  HttpResponse Login(const std::string& username, const std::string& password);

  std::string cookie;       // "relais_session=..." or empty
  std::string csrf;
  std::string bearer;       // API key, sent as Authorization: Bearer
  int port() const { return port_; }

 private:
  int port_;
};

// A string field of a flat-enough JSON text: the value after "name":" (tests only).
std::string JsonField(const std::string& json, const std::string& name);

class LiveClient {
 public:
  // Connects and upgrades; `ok()` false when the server refused the upgrade.
  LiveClient(int port, const std::string& target, const std::map<std::string, std::string>& headers);
  ~LiveClient();
  bool ok() const { return ok_; }
  void Send(const std::string& text);
  // The next message, or nothing after `timeout` (then the client is no longer usable) or when closed.
  std::optional<std::string> Read(std::chrono::milliseconds timeout);
  int close_code() const { return close_code_; }  // after Read saw the close

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  bool ok_ = false;
  int close_code_ = 0;
};

}  // namespace relais::testing
