#include "services/gateway/static_files.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "services/gateway/transcode.h"

namespace relais::gateway {
namespace {

constexpr off_t kMaxFileBytes = 16 << 20;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Reply NotFound() {
  Reply r;
  r.status = 404;
  r.body = ErrorJson(5, "no such page");
  r.route = "static";
  return r;
}

}  // namespace

std::string ContentTypeFor(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},             {".svg", "image/svg+xml"},
      {".png", "image/png"},                     {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},                  {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"},                  {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

Reply ServeStatic(const std::string& root, const Request& request) {
  std::string path = request.Path();
  auto decoded = PercentDecode(path, false);
  if (!decoded || decoded->empty() || (*decoded)[0] != '/' || decoded->find("..") != std::string::npos ||
      decoded->find('\\') != std::string::npos) {
    return NotFound();
  }
  std::string file = root + *decoded;
  if (file.back() == '/') file += "index.html";
  struct stat st{};
  if (stat(file.c_str(), &st) != 0) return NotFound();
  if (S_ISDIR(st.st_mode)) {
    file += "/index.html";
    if (stat(file.c_str(), &st) != 0) return NotFound();
  }
  if (!S_ISREG(st.st_mode) || st.st_size > kMaxFileBytes) return NotFound();
  Reply r;
  r.route = "static";
  r.content_type = ContentTypeFor(file);
  std::string etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + "\"";
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", EndsWith(file, ".html") ? "no-cache" : "public, max-age=3600");
  if (request.Header("if-none-match") == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFound();
  std::ostringstream content;
  content << in.rdbuf();
  r.body = content.str();
  return r;
}

}  // namespace relais::gateway
