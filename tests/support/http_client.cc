#include "tests/support/http_client.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace relais::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResponse Convert(http::response<http::string_body>& res) {
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "set-cookie") out.set_cookies.emplace_back(f.value());
    out.headers[name] = std::string(f.value());
  }
  return out;
}

void SetReadTimeout(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(t.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

std::string JsonField(const std::string& json, const std::string& name) {
  std::string key = "\"" + name + "\":";
  size_t at = json.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  while (at < json.size() && json[at] == ' ') ++at;
  if (at >= json.size()) return "";
  if (json[at] == '"') {
    size_t end = json.find('"', at + 1);
    return json.substr(at + 1, end - at - 1);
  }
  size_t end = json.find_first_of(",}]", at);
  return json.substr(at, end - at);
}

HttpResponse HttpClient::Send(const std::string& method, const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)), ec);
  if (ec) return {};
  SetReadTimeout(socket.native_handle(), std::chrono::seconds(20));
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!cookie.empty()) req.set(http::field::cookie, cookie);
  if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) {
    if (v.empty()) {
      req.erase(k);
    } else {
      req.set(k, v);
    }
  }
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req, ec);
  if (ec) return {};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(socket, buffer, parser, ec);
  if (ec) return {};
  return Convert(parser.get());
}

HttpResponse HttpClient::Raw(const std::string& bytes) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)), ec);
  if (ec) return {};
  SetReadTimeout(socket.native_handle(), std::chrono::seconds(20));
  net::write(socket, net::buffer(bytes), ec);
  // The server may answer before reading everything (e.g. a body over the limit): read what it says.
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  http::read(socket, buffer, parser, ec);
  if (ec && !parser.is_header_done()) return {};
  return Convert(parser.get());
}

HttpResponse HttpClient::Login(const std::string& username, const std::string& password) {
  cookie.clear();
  csrf.clear();
  HttpResponse r = Post("/api/v1/auth/login", R"({"username":")" + username + R"(","password":")" + password + "\"}");
  for (const auto& c : r.set_cookies) {
    if (c.rfind("relais_session=", 0) == 0) cookie = c.substr(0, c.find(';'));
  }
  csrf = JsonField(r.body, "csrf_token");
  return r;
}

LiveClient::LiveClient(int port, const std::string& target, const std::map<std::string, std::string>& headers)
    : ws_(ioc_) {
  beast::error_code ec;
  ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (ec) return;
  SetReadTimeout(ws_.next_layer().native_handle(), std::chrono::seconds(10));
  ws_.set_option(beast::websocket::stream_base::decorator([headers](beast::websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  beast::websocket::response_type res;
  ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) return;
  ok_ = true;
}

LiveClient::~LiveClient() {
  beast::error_code ec;
  ws_.next_layer().close(ec);
}

void LiveClient::Send(const std::string& text) {
  beast::error_code ec;
  ws_.text(true);
  ws_.write(net::buffer(text), ec);
}

std::optional<std::string> LiveClient::Read(std::chrono::milliseconds timeout) {
  if (!ok_) return std::nullopt;
  // An asynchronous read run for at most `timeout`: a blocking read cannot time out (SO_RCVTIMEO only
  // makes Asio poll again without end).
  beast::error_code ec;
  bool done = false;
  buffer_.consume(buffer_.size());
  ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  ioc_.restart();
  ioc_.run_for(timeout);
  if (!done) {
    beast::error_code ignored;
    ws_.next_layer().cancel(ignored);
    ioc_.restart();
    ioc_.run();
    ok_ = false;
    return std::nullopt;
  }
  if (ec) {
    if (ec == beast::websocket::error::closed) close_code_ = ws_.reason().code;
    ok_ = false;
    return std::nullopt;
  }
  return beast::buffers_to_string(buffer_.data());
}

}  // namespace relais::testing
