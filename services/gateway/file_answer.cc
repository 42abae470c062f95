#include "services/gateway/file_answer.h"

#include <string>
#include <string_view>

namespace relais::gateway {
namespace {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* Singular(const google::protobuf::Descriptor* type, const char* name, FieldDescriptor::Type t) {
  const FieldDescriptor* f = type->FindFieldByName(name);
  return f && !f->is_repeated() && f->type() == t ? f : nullptr;
}

// "type/subtype" with optional parameters, printable ASCII only.
bool IsMediaType(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  size_t slash = s.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == s.size()) return false;
  for (char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

std::string SafeFilename(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 128)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || out.front() == '.') out.insert(0, "file");
  return out;
}

}  // namespace

bool IsFileMessage(const google::protobuf::Descriptor* type) {
  return Singular(type, "content", FieldDescriptor::TYPE_BYTES) &&
         Singular(type, "content_type", FieldDescriptor::TYPE_STRING) &&
         Singular(type, "filename", FieldDescriptor::TYPE_STRING);
}

Reply FileReply(const google::protobuf::Message& answer) {
  const auto* type = answer.GetDescriptor();
  const auto* r = answer.GetReflection();
  Reply out;
  out.body = r->GetString(answer, type->FindFieldByName("content"));
  std::string content_type = r->GetString(answer, type->FindFieldByName("content_type"));
  out.content_type = IsMediaType(content_type) ? content_type : "application/octet-stream";
  bool html = out.content_type.rfind("text/html", 0) == 0;
  out.headers.emplace_back("Content-Disposition", std::string(html ? "inline" : "attachment") + "; filename=\"" +
                                                      SafeFilename(r->GetString(answer, type->FindFieldByName("filename"))) +
                                                      "\"");
  out.headers.emplace_back("Cache-Control", "no-store");
  out.content_security_policy = kFileCsp;
  return out;
}

}  // namespace relais::gateway
