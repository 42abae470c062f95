// The gateway's reading of a request line, headers and path: route matching, percent-decoding of path
// segments and query values, the query string mapped onto the request message, the credential a
// request presents (cookie or bearer key), and the web pages' file lookup. An input is a request as
// text (seeds in corpus/gateway_routes are real ones):
//   METHOD TARGET
//   name: value        (headers, lower-cased)
//   <empty line>
//   body
// What the gateway promises: a matched route binds every path field it names; bad input is
// INVALID_ARGUMENT (400), never another code or a crash; no path serves a file outside the web root.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "services/gateway/api.h"
#include "services/gateway/routes.h"
#include "services/gateway/static_files.h"
#include "services/gateway/transcode.h"

namespace relais::fuzz {
namespace {

using namespace relais::gateway;

constexpr char kSecret[] = "outside the web root";

struct Fixture {
  RouteTable table;
  std::string root;  // a web root with one page; a file beside it must never be served
  Fixture() {
    char tmpl[] = "/tmp/relais-fuzz-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    root = dir + "/web";
    mkdir(root.c_str(), 0700);
    std::ofstream(root + "/index.html") << "<!doctype html><title>Relais</title>";
    std::ofstream(dir + "/secret.txt") << kSecret;
    std::ofstream(dir + "/web.txt") << kSecret;  // shares the root's name as a prefix
  }
};

Request Parse(std::string_view text) {
  Request r;
  size_t eol = text.find('\n');
  std::string_view line = text.substr(0, eol);
  size_t sp = line.find(' ');
  r.method = std::string(line.substr(0, sp));
  r.target = sp == std::string_view::npos ? "" : std::string(line.substr(sp + 1));
  if (!r.target.empty() && r.target.back() == '\r') r.target.pop_back();
  text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
  while (!text.empty()) {
    eol = text.find('\n');
    std::string_view h = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (h.empty() || h == "\r") break;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(h.substr(0, colon));
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string_view value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers[name] = std::string(value);
  }
  r.body = std::string(text);
  return r;
}

}  // namespace
}  // namespace relais::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::gateway;
  static const relais::fuzz::Fixture fixture;
  Request request = relais::fuzz::Parse(std::string_view(reinterpret_cast<const char*>(data), size));

  // Who is asking: the credential is read from the headers only, never guessed.
  Credential credential = CredentialOf(request);
  if (credential.kind == Credential::Kind::kNone && !request.Header("authorization").empty()) abort();
  (void)CookieValue(request.Header("cookie"), kSessionCookie);

  auto verb = ParseVerb(request.method);
  std::string path = request.Path();
  if (verb) {
    Match match = fixture.table.Find(*verb, path);
    if (match.route) {
      if (!match.path_matched) abort();
      for (const auto& field : match.route->path_fields) {
        auto it = match.params.find(field);
        if (it == match.params.end() || it->second.empty()) abort();
      }
      std::string query = request.Query();
      HttpInput in;
      in.body = request.body;
      in.query = query;
      in.path_params = &match.params;
      in.idempotency_key = request.Header("idempotency-key");
      auto message = BuildRequest(*match.route, in, JsonLimits{});
      if (!message.ok()) {
        if (message.status().code() != absl::StatusCode::kInvalidArgument) abort();
      } else {
        if (match.route->route->scope != Scope::kNone) (void)FieldText(**message, match.route->route->scope_field);
        (void)ToJson(**message);
      }
    } else if (match.path_matched && match.allow.empty()) {
      abort();  // a 405 names the methods allowed
    }
  }
  (void)PercentDecode(path, false);
  (void)PercentDecode(request.Query(), true);

  // The web pages: whatever the path, nothing outside the root.
  if (request.method == "GET" || request.method == "HEAD") {
    Reply page = ServeStatic(fixture.root, request);
    if (page.body.find(relais::fuzz::kSecret) != std::string::npos) abort();
  }
  return 0;
}
