#include "services/gateway/openapi.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <deque>
#include <set>

#include "common/identity.h"
#include "relais/v1/gateway.pb.h"

namespace relais::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

Value Str(std::string_view s) {
  Value v;
  v.set_string_value(std::string(s));
  return v;
}
Value Bool(bool b) {
  Value v;
  v.set_bool_value(b);
  return v;
}
Value Num(double d) {
  Value v;
  v.set_number_value(d);
  return v;
}
Value Obj(std::initializer_list<std::pair<std::string, Value>> fields) {
  Value v;
  auto* s = v.mutable_struct_value();
  for (const auto& [k, val] : fields) (*s->mutable_fields())[k] = val;
  return v;
}
Value List(const std::vector<Value>& items) {
  Value v;
  auto* l = v.mutable_list_value();
  for (const auto& i : items) *l->add_values() = i;
  return v;
}
Value& At(Value& v, const std::string& key) { return (*v.mutable_struct_value()->mutable_fields())[key]; }

Value Ref(const Descriptor* d) { return Obj({{"$ref", Str("#/components/schemas/" + d->full_name())}}); }

class SchemaWriter {
 public:
  // The schema of one field's value (not counting repetition).
  Value Scalar(const FieldDescriptor* f) {
    switch (f->type()) {
      case FieldDescriptor::TYPE_STRING: return Obj({{"type", Str("string")}});
      case FieldDescriptor::TYPE_BYTES: return Obj({{"type", Str("string")}, {"format", Str("byte")}});
      case FieldDescriptor::TYPE_BOOL: return Obj({{"type", Str("boolean")}});
      case FieldDescriptor::TYPE_DOUBLE: return Obj({{"type", Str("number")}, {"format", Str("double")}});
      case FieldDescriptor::TYPE_FLOAT: return Obj({{"type", Str("number")}, {"format", Str("float")}});
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32: return Obj({{"type", Str("integer")}, {"format", Str("int32")}});
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32: return Obj({{"type", Str("integer")}, {"format", Str("int64")}, {"minimum", Num(0)}});
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        // The JSON mapping writes 64-bit integers as strings (and reads both).
        return Obj({{"type", Str("string")}, {"format", Str("int64")}});
      case FieldDescriptor::TYPE_ENUM: {
        std::vector<Value> names;
        for (int i = 0; i < f->enum_type()->value_count(); ++i) names.push_back(Str(f->enum_type()->value(i)->name()));
        return Obj({{"type", Str("string")}, {"enum", List(names)}});
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP: return Message(f->message_type());
    }
    return Obj({});
  }

  Value Field(const FieldDescriptor* f) {
    if (f->is_map()) {
      return Obj({{"type", Str("object")}, {"additionalProperties", Scalar(f->message_type()->map_value())}});
    }
    Value one = Scalar(f);
    if (f->is_repeated()) return Obj({{"type", Str("array")}, {"items", one}});
    return one;
  }

  Value Message(const Descriptor* d) {
    if (d->full_name() == "google.protobuf.Timestamp") {
      return Obj({{"type", Str("string")}, {"format", Str("date-time")}});
    }
    if (!seen_.count(d->full_name())) {
      seen_.insert(d->full_name());
      queue_.push_back(d);
    }
    return Ref(d);
  }

  // Writes every message referenced so far (and those they reference) into `schemas`.
  void Flush(Value& schemas) {
    while (!queue_.empty()) {
      const Descriptor* d = queue_.front();
      queue_.pop_front();
      Value props = Obj({});
      for (int i = 0; i < d->field_count(); ++i) {
        const FieldDescriptor* f = d->field(i);
        At(props, f->name()) = Field(f);
      }
      At(schemas, d->full_name()) =
          Obj({{"type", Str("object")}, {"additionalProperties", Bool(false)}, {"properties", props}});
    }
  }

 private:
  std::set<std::string> seen_;
  std::deque<const Descriptor*> queue_;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Query parameters of a GET: every scalar leaf of the request, by its dotted path.
void QueryParams(SchemaWriter& w, const Descriptor* d, const std::string& prefix, const std::set<std::string>& in_path,
                 std::vector<Value>& out, int depth) {
  if (depth > 3) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string path = prefix + f->name();
    if (in_path.count(path) || f->is_map()) continue;
    if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (!f->is_repeated() && f->message_type()->full_name() != "google.protobuf.Timestamp") {
        QueryParams(w, f->message_type(), path + ".", in_path, out, depth + 1);
      }
      continue;
    }
    Value schema = w.Scalar(f);
    if (f->is_repeated()) schema = Obj({{"type", Str("array")}, {"items", schema}});
    Value p = Obj({{"name", Str(path)}, {"in", Str("query")}, {"required", Bool(false)}, {"schema", schema}});
    if (f->is_repeated()) {
      At(p, "style") = Str("form");
      At(p, "explode") = Bool(true);
    }
    out.push_back(p);
  }
}

const FieldDescriptor* FieldByPath(const Descriptor* d, const std::string& path) {
  const FieldDescriptor* f = nullptr;
  size_t start = 0;
  while (d) {
    size_t dot = path.find('.', start);
    f = d->FindFieldByName(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (!f || dot == std::string::npos) return f;
    d = f->message_type();
    start = dot + 1;
  }
  return nullptr;
}

}  // namespace

std::string OpenApiJson(const RouteTable& routes) {
  SchemaWriter w;
  Value doc = Obj({
      {"openapi", Str("3.0.3")},
      {"info", Obj({{"title", Str("Relais API")},
                    {"version", Str("v1")},
                    {"description",
                     Str("REST JSON API of Relais, generated from the gateway's route table and the relais.v1 "
                         "protobuf messages (protobuf's JSON mapping). Sign in with POST /api/v1/auth/login "
                         "(session cookie; send the answered csrf_token in X-CSRF-Token on every changing "
                         "request) or send an API key as 'Authorization: Bearer <key>'. Errors answer "
                         "{\"error\":{\"code\",\"message\"}} with the HTTP status of the gRPC code. Live "
                         "updates: WebSocket /api/v1/live (see the README).")}})},
      {"servers", List({Obj({{"url", Str("/")}})})},
  });
  Value components = Obj({});
  At(components, "securitySchemes") =
      Obj({{"session", Obj({{"type", Str("apiKey")}, {"in", Str("cookie")}, {"name", Str("relais_session")}})},
           {"apiKey", Obj({{"type", Str("http")}, {"scheme", Str("bearer")}})}});
  Value schemas = Obj({});
  Value error_ref = w.Message(relais::v1::ErrorBody::descriptor());
  Value error_response = Obj({{"description", Str("error")},
                              {"content", Obj({{"application/json", Obj({{"schema", error_ref}})}})}});
  Value paths = Obj({});
  for (const auto& r : routes.routes()) {
    const Route& route = *r.route;
    std::set<std::string> in_path(r.path_fields.begin(), r.path_fields.end());
    std::vector<Value> params;
    for (const auto& field : r.path_fields) {
      params.push_back(Obj({{"name", Str(field)},
                            {"in", Str("path")},
                            {"required", Bool(true)},
                            {"schema", w.Scalar(FieldByPath(r.method->input_type(), field))}}));
    }
    if (route.verb == Verb::kGet) QueryParams(w, r.method->input_type(), "", in_path, params, 0);
    if (route.mutates && r.method->input_type()->FindFieldByName("idempotency_key")) {
      params.push_back(Obj({{"name", Str("Idempotency-Key")},
                            {"in", Str("header")},
                            {"required", Bool(false)},
                            {"description", Str("instead of idempotency_key in the body")},
                            {"schema", Obj({{"type", Str("string")}, {"minLength", Num(8)}, {"maxLength", Num(128)}})}}));
    }
    std::vector<Value> roles;
    for (Role role : AllRoles()) {
      if (role != Role::kNone && Allows(route.roles, role)) roles.push_back(Str(RoleName(role)));
    }
    std::string service(r.backend->service), method(r.method->name());
    Value ok;
    if (route.answer == Answer::kJson) {
      ok = Obj({{"description", Str("OK")},
                {"content", Obj({{"application/json", Obj({{"schema", w.Message(r.method->output_type())}})}})}});
    } else {
      // The file itself (file_answer.h), its media type set by the service.
      ok = Obj({{"description", Str("the file, with its own Content-Type")},
                {"headers", Obj({{"Content-Disposition",
                                  Obj({{"description", Str("inline (HTML) or attachment, with the file's name")},
                                       {"schema", Obj({{"type", Str("string")}})}})}})},
                {"content", Obj({{"*/*", Obj({{"schema", Obj({{"type", Str("string")}, {"format", Str("binary")}})}})}})}});
    }
    Value op = Obj({
        {"operationId", Str(service.substr(service.rfind('.') + 1) + "_" + method)},
        {"summary", Str(route.summary)},
        {"tags", List({Str(r.backend->name)})},
        {"x-relais-rpc", Str(route.rpc)},
        {"x-relais-roles", List(roles)},
        {"x-relais-public", Bool(route.roles == kAnyone)},
        {"x-relais-mutates", Bool(route.mutates)},
        {"parameters", List(params)},
        {"x-relais-file", Bool(route.answer == Answer::kFile)},
        {"responses", Obj({{"200", ok}, {"default", error_response}})},
    });
    if (route.roles == kAnyone) {
      At(op, "security") = List({Obj({}), Obj({{"session", List({})}}), Obj({{"apiKey", List({})}})});
    } else {
      At(op, "security") = List({Obj({{"session", List({})}}), Obj({{"apiKey", List({})}})});
    }
    if (route.verb != Verb::kGet) {
      At(op, "requestBody") =
          Obj({{"required", Bool(false)},
               {"content", Obj({{"application/json", Obj({{"schema", w.Message(r.method->input_type())}})}})}});
    }
    Value& item = At(paths, std::string(route.path));
    if (!item.has_struct_value()) item = Obj({});
    At(item, Lower(VerbName(route.verb))) = op;
  }
  w.Flush(schemas);
  At(components, "schemas") = schemas;
  At(doc, "paths") = paths;
  At(doc, "components") = components;
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(doc, &out, options);
  return out;
}

}  // namespace relais::gateway
