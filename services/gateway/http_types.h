#pragma once
// A request and its answer as the gateway's handlers see them, apart from Beast (services/gateway/
// http_server.cc converts), so the handlers stay plain code.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace relais::gateway {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query, as sent
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string peer;                            // client address
  bool tls = false;

  const std::string& Header(const std::string& lower_name) const {
    static const std::string kEmpty;
    auto it = headers.find(lower_name);
    return it == headers.end() ? kEmpty : it->second;
  }
  std::string Path() const { return target.substr(0, target.find('?')); }
  std::string Query() const {
    size_t q = target.find('?');
    return q == std::string::npos ? "" : target.substr(q + 1);
  }
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, Allow, ...)
  // Content-Security-Policy; empty: the web pages' policy (http_server.cc). Files of the API set their own.
  std::string content_security_policy;
  std::string route = "other";                                // metrics label: the route template
};

using Respond = std::function<void(Reply)>;

}  // namespace relais::gateway
