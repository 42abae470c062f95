// The OpenAPI document served at /api/v1/openapi.json: checked by a real validator (swagger-parser,
// installed in tests/ by `npm ci`), and against the route table: every route is in it with its method,
// roles and messages, so the document cannot describe an API the gateway does not serve.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>

#include "tests/integration/gateway_world.h"

namespace relais::testing {
namespace {

class GatewayOpenApi : public GatewayTest {};

std::string RunCommand(const std::string& command, int& code) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) {
    code = -1;
    return out;
  }
  char buf[512];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  int status = pclose(pipe);
  code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST_F(GatewayOpenApi, TheDocumentIsValidOpenApi3) {
  auto doc = gw().Anonymous().Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  std::string file = SharedRedis().dir() + "/openapi.json";
  std::ofstream(file) << doc.body;
  int code = 0;
  std::string out = RunCommand(std::string("node ") + RELAIS_TESTS_DIR + "/openapi/validate.js " + file, code);
  EXPECT_EQ(code, 0) << out << "(run `npm ci --prefix tests` first: tests/run-all.sh does)";
  EXPECT_NE(out.find("valid OpenAPI 3.0.3"), std::string::npos) << out;
  std::cout << out;
}

TEST_F(GatewayOpenApi, ControlTheValidatorRejectsABrokenDocument) {
  auto doc = gw().Anonymous().Get("/api/v1/openapi.json");
  std::string broken = doc.body;
  // A reference to a schema that does not exist.
  size_t at = broken.find("#/components/schemas/relais.v1.");
  ASSERT_NE(at, std::string::npos);
  broken.insert(at + std::string("#/components/schemas/").size(), "missing.");
  std::string file = SharedRedis().dir() + "/openapi-broken.json";
  std::ofstream(file) << broken;
  int code = 0;
  std::string out = RunCommand(std::string("node ") + RELAIS_TESTS_DIR + "/openapi/validate.js " + file, code);
  EXPECT_EQ(code, 1) << out;
}

TEST_F(GatewayOpenApi, EveryRouteIsDescribed) {
  std::string body = gw().Anonymous().Get("/api/v1/openapi.json").body;
  for (const auto& r : gw().gateway().routes().routes()) {
    std::string rpc(r.route->rpc);
    std::string op = std::string(r.backend->service.substr(r.backend->service.rfind('.') + 1)) + "_" +
                     std::string(r.method->name());
    EXPECT_NE(body.find("\"operationId\": \"" + op + "\""), std::string::npos) << rpc;
    EXPECT_NE(body.find("\"" + std::string(r.route->path) + "\""), std::string::npos) << rpc;
    // A GET reads its request from the query string; the others take the request message as body.
    if (r.route->verb != gateway::Verb::kGet) {
      EXPECT_NE(body.find("\"" + r.method->input_type()->full_name() + "\""), std::string::npos) << rpc;
    }
    if (r.route->answer == gateway::Answer::kFile) {
      // The file itself, not its message: any media type, binary, with a Content-Disposition.
      size_t at = body.find("\"" + std::string(r.route->path) + "\"");
      size_t next_path = body.find("\n  \"/", at + 1);  // the next path item (one space a level)
      std::string item = body.substr(at, next_path - at);
      EXPECT_NE(item.find("\"x-relais-file\": true"), std::string::npos) << rpc;
      EXPECT_NE(item.find("\"*/*\""), std::string::npos) << rpc;
      EXPECT_NE(item.find("\"Content-Disposition\""), std::string::npos) << rpc;
      EXPECT_EQ(item.find("#/components/schemas/" + r.method->output_type()->full_name()), std::string::npos) << rpc;
      EXPECT_EQ(item.find("\"x-relais-rpc\""), item.rfind("\"x-relais-rpc\"")) << "one operation: " << item;
    } else {
      EXPECT_NE(body.find("\"" + r.method->output_type()->full_name() + "\""), std::string::npos) << rpc;
    }
  }
  EXPECT_NE(body.find("\"relais.v1.ErrorBody\""), std::string::npos);
}

// The REST API is complete: every unary method of every service behind the gateway has a route (the
// streaming WatchAvailability is served by the live WebSocket).
TEST_F(GatewayOpenApi, EveryGrpcMethodHasARoute) {
  std::set<std::string> routed;
  for (const auto& r : gw().gateway().routes().routes()) routed.insert(std::string(r.route->rpc));
  for (const auto& b : gateway::AllBackends()) {
    const auto* service = b.file()->pool()->FindServiceByName(std::string(b.service));
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (m->server_streaming() || m->client_streaming()) continue;
      EXPECT_TRUE(routed.count(std::string(b.service) + "/" + m->name())) << m->full_name() << " has no REST route";
    }
  }
}

}  // namespace
}  // namespace relais::testing
