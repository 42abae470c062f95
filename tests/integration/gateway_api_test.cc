// The gateway through real HTTP on loopback: operations endpoints, sign-in, sessions, CSRF, API keys,
// revocation, error mapping, idempotency, and the table of bad input and limits (each answered 4xx
// with a JSON error, and nothing changed in Redis).
#include <thread>

#include "tests/integration/gateway_world.h"

namespace relais::testing {
namespace {

class GatewayApi : public GatewayTest {};

bool IsJsonError(const HttpResponse& r, const std::string& code) {
  return r.body.find("\"error\"") != std::string::npos && JsonField(r.body, "code") == code;
}

TEST_F(GatewayApi, OperationsEndpointsAndPages) {
  HttpClient anon = gw().Anonymous();
  EXPECT_EQ(anon.Get("/healthz").status, 200);
  auto ready = anon.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  auto page = anon.Get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(page.headers["content-security-policy"].find("default-src 'self'"), std::string::npos);
  EXPECT_NE(page.headers["content-security-policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(page.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(page.headers["cache-control"], "no-cache");
  EXPECT_EQ(anon.Get("/style.css").headers["content-type"], "text/css; charset=utf-8");
  EXPECT_EQ(anon.Send("GET", "/", "", {{"If-None-Match", page.headers["etag"]}}).status, 304);
  EXPECT_EQ(anon.Get("/../CMakeLists.txt").status, 404);
  EXPECT_EQ(anon.Get("/%2e%2e/CMakeLists.txt").status, 404);
  auto openapi = anon.Get("/api/v1/openapi.json");
  EXPECT_EQ(openapi.status, 200);
  EXPECT_NE(openapi.body.find("\"openapi\": \"3.0.3\""), std::string::npos);
  auto missing = anon.Get("/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(IsJsonError(missing, "NOT_FOUND"));
  auto wrong_method = anon.Send("PATCH", "/api/v1/shelters", "{}");
  EXPECT_EQ(wrong_method.status, 405);
  auto wrong_verb = anon.Delete("/api/v1/shelters");
  EXPECT_EQ(wrong_verb.status, 405);
  EXPECT_EQ(wrong_verb.headers["allow"], "GET, POST");
  auto metrics = anon.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("relais_http_requests_total{code=\"405\",method=\"DELETE\",route=\"unmatched\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("relais_websocket_open"), std::string::npos);
}

TEST_F(GatewayApi, ReadyTurnsFalseWhenRedisIsAway) {
  SharedRedis().Pause();
  HttpClient anon = gw().Anonymous();
  auto r = anon.Get("/readyz");
  SharedRedis().Resume();
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("redis"), std::string::npos);
}

TEST_F(GatewayApi, SignInSessionCookieAndSignOut) {
  HttpClient c = gw().Anonymous();
  auto wrong = c.Login("op1", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  auto unknown = c.Login("nobody-here", "not the password at all");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(JsonField(wrong.body, "message"), JsonField(unknown.body, "message")) << "no hint whether the account exists";
  auto ok = c.Login("op1", GatewayHarness::kPassword);
  ASSERT_EQ(ok.status, 200) << ok.body;
  ASSERT_EQ(ok.set_cookies.size(), 1u);
  const std::string& cookie = ok.set_cookies[0];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no TLS here";
  EXPECT_EQ(JsonField(ok.body, "role"), "operator");
  EXPECT_FALSE(c.csrf.empty());
  auto session = c.Get("/api/v1/auth/session");
  EXPECT_EQ(session.status, 200);
  EXPECT_EQ(JsonField(session.body, "csrf_token"), c.csrf);
  EXPECT_EQ(c.Get("/api/v1/availability").status, 200);

  std::string old_cookie = c.cookie;
  auto out = c.Post("/api/v1/auth/logout", "{}");
  EXPECT_EQ(out.status, 200);
  // The cookie replayed after sign-out is refused.
  HttpClient replay = gw().Anonymous();
  replay.cookie = old_cookie;
  replay.csrf = c.csrf;
  auto refused = replay.Get("/api/v1/availability");
  EXPECT_EQ(refused.status, 401);
  EXPECT_TRUE(IsJsonError(refused, "UNAUTHENTICATED"));
  ASSERT_FALSE(refused.set_cookies.empty());
  EXPECT_NE(refused.set_cookies[0].find("Max-Age=0"), std::string::npos) << "the browser forgets it";
  // The public directory still answers a stale cookie, as nobody.
  EXPECT_EQ(replay.Get("/api/v1/shelters").status, 200);
}

TEST_F(GatewayApi, SignInAttemptsAreLimitedPerAccount) {
  HttpClient c = gw().Anonymous();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.Login("med1", "wrong password " + std::to_string(i)).status, 401);
  auto limited = c.Login("med1", GatewayHarness::kPassword);
  EXPECT_EQ(limited.status, 429) << "even the right password waits for the window";
  EXPECT_TRUE(IsJsonError(limited, "RESOURCE_EXHAUSTED"));
  EXPECT_FALSE(limited.headers["retry-after"].empty());
  EXPECT_EQ(c.Login("op1", GatewayHarness::kPassword).status, 200) << "other accounts are not locked";
}

class GatewayApiAddressLimit : public GatewayTest {
  void Tweak(gateway::GatewayOptions& o) override { o.auth.max_attempts_per_address = 4; }
};

TEST_F(GatewayApiAddressLimit, SignInAttemptsAreLimitedPerAddress) {
  HttpClient c = gw().Anonymous();
  EXPECT_EQ(c.Login("op1", "wrong one").status, 401);
  EXPECT_EQ(c.Login("med1", "wrong two").status, 401);
  EXPECT_EQ(c.Login("sh1", "wrong three").status, 401);
  EXPECT_EQ(c.Login("tm1", "wrong four").status, 401);
  EXPECT_EQ(c.Login("adm1", GatewayHarness::kPassword).status, 429);
}

TEST_F(GatewayApi, RevocationHoldsFromTheVeryNextRequest) {
  HttpClient& admin = As("adm1");
  HttpClient victim = gw().SignedIn("op1");
  HttpClient other_session = gw().SignedIn("op1");
  ASSERT_EQ(victim.Get("/api/v1/queue").status, 200);
  // Sessions revoked.
  auto revoked = admin.Post("/api/v1/admin/users/op1/revoke-sessions", "{}");
  EXPECT_EQ(revoked.status, 200);
  EXPECT_EQ(JsonField(revoked.body, "revoked"), "2");
  EXPECT_EQ(victim.Get("/api/v1/queue").status, 401);
  EXPECT_EQ(other_session.Get("/api/v1/queue").status, 401);
  // Role changed: the session made under the old role ends.
  HttpClient changed = gw().SignedIn("med1");
  EXPECT_EQ(admin.Put("/api/v1/admin/users/med1", R"({"role":"monitoring"})").status, 200);
  EXPECT_EQ(changed.Get("/api/v1/queue").status, 401);
  HttpClient again = gw().SignedIn("med1");
  EXPECT_EQ(again.Get("/api/v1/queue").status, 403) << "now monitoring";
  // Account removed.
  HttpClient removed = gw().SignedIn("ws1");
  EXPECT_EQ(removed.Get("/api/v1/vulnerability-grid").status, 200);
  EXPECT_EQ(admin.Delete("/api/v1/admin/users/ws1").status, 200);
  EXPECT_EQ(removed.Get("/api/v1/vulnerability-grid").status, 401);
  EXPECT_EQ(gw().Anonymous().Login("ws1", GatewayHarness::kPassword).status, 401);
  // An admin does not remove their own account.
  EXPECT_EQ(admin.Delete("/api/v1/admin/users/adm1").status, 409);
}

TEST_F(GatewayApi, ExpiredSessionIsRefused) {
  HttpClient c = gw().SignedIn("op1");
  ASSERT_EQ(c.Get("/api/v1/queue").status, 200);
  gw().clock().Advance(std::chrono::hours(12) + std::chrono::seconds(1));
  EXPECT_EQ(c.Get("/api/v1/queue").status, 401);
}

TEST_F(GatewayApi, ApiKeysForAShelterSoftware) {
  HttpClient& admin = As("adm1");
  auto refused = admin.Post("/api/v1/admin/api-keys", R"({"key":{"name":"bad","role":"admin"}})");
  EXPECT_EQ(refused.status, 400) << "keys never act as admin";
  auto created = admin.Post("/api/v1/admin/api-keys",
                            R"({"key":{"name":"shelter PMS","role":"shelter","shelters":["own-shelter"]}})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string secret = JsonField(created.body, "secret");
  std::string id = JsonField(created.body, "id");
  ASSERT_EQ(secret.rfind("rk_", 0), 0u);
  EXPECT_EQ(admin.Get("/api/v1/admin/api-keys").body.find(secret), std::string::npos) << "the secret is shown once";

  HttpClient pms = gw().Anonymous();
  pms.bearer = secret;
  // No cookie, so no CSRF token needed.
  auto declared = pms.Put("/api/v1/shelters/own-shelter/pools/single_men",
                          R"({"figures":{"places_in_service":40,"occupied":12},"idempotency_key":"pms-0000001"})");
  EXPECT_EQ(declared.status, 200) << declared.body;
  EXPECT_EQ(JsonField(declared.body, "free"), "28");
  auto other = pms.Put("/api/v1/shelters/other-shelter/pools/single_men",
                       R"({"figures":{"places_in_service":1},"idempotency_key":"pms-0000002"})");
  EXPECT_EQ(other.status, 403);
  auto session = pms.Get("/api/v1/auth/session");
  EXPECT_EQ(JsonField(session.body, "kind"), "api_key");
  EXPECT_EQ(admin.Delete("/api/v1/admin/api-keys/" + id).status, 200);
  EXPECT_EQ(pms.Get("/api/v1/shelters/own-shelter/holds").status, 401) << "revoked at once";
  HttpClient forged = gw().Anonymous();
  forged.bearer = "rk_" + id + "_notthesecret";
  EXPECT_EQ(forged.Get("/api/v1/region-summary").status, 401);
}

TEST_F(GatewayApi, StatusesMapToHttp) {
  HttpClient& op = As("op1");
  auto not_found = op.Get("/api/v1/shelters/no-such-shelter");
  EXPECT_EQ(not_found.status, 404);
  EXPECT_TRUE(IsJsonError(not_found, "NOT_FOUND"));
  auto invalid = op.Post("/api/v1/holds", R"({"pool_id":"own-shelter:single_men","idempotency_key":"k-invalid-1"})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_TRUE(IsJsonError(invalid, "INVALID_ARGUMENT"));
  EXPECT_EQ(JsonField(invalid.body, "message").rfind("request_id", 0), 0u) << invalid.body;
  // FAILED_PRECONDITION -> 409: a hold that already ended cannot end again.
  std::string hold = NewHold("own-shelter");
  EXPECT_EQ(op.Post("/api/v1/holds/" + hold + "/cancel", R"({"idempotency_key":"k-cancel-01"})").status, 200);
  auto again = op.Post("/api/v1/holds/" + hold + "/cancel", R"({"idempotency_key":"k-cancel-02"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(IsJsonError(again, "FAILED_PRECONDITION"));
  // PERMISSION_DENIED from the service itself (medical places go through the medical focal point).
  auto denied = op.Post("/api/v1/holds", R"({"pool_id":"own-shelter:medical","request_id":"r1","idempotency_key":"k-med-0001"})");
  EXPECT_EQ(denied.status, 403);
  EXPECT_TRUE(IsJsonError(denied, "PERMISSION_DENIED"));
}

TEST_F(GatewayApi, IdempotencyKeyFromTheHeader) {
  HttpClient& op = As("op1");
  std::string body = R"({"pool_id":"own-shelter:single_men","request_id":"r-idem"})";
  auto first = op.Send("POST", "/api/v1/holds", body, {{"Idempotency-Key", "retry-key-0001"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auto retry = op.Send("POST", "/api/v1/holds", body, {{"Idempotency-Key", "retry-key-0001"}});
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(JsonField(first.body, "id"), JsonField(retry.body, "id")) << "the same hold, not a second one";
  auto other_payload = op.Send("POST", "/api/v1/holds", R"({"pool_id":"other-shelter:single_men","request_id":"r-idem"})",
                               {{"Idempotency-Key", "retry-key-0001"}});
  EXPECT_EQ(other_payload.status, 409);
  EXPECT_TRUE(IsJsonError(other_payload, "ALREADY_EXISTS"));
  auto disagree = op.Send("POST", "/api/v1/holds",
                          R"({"pool_id":"own-shelter:single_men","request_id":"r-idem","idempotency_key":"body-key-0001"})",
                          {{"Idempotency-Key", "header-key-001"}});
  EXPECT_EQ(disagree.status, 400);
}

TEST_F(GatewayApi, TheBedBoardCacheNeverHidesAChange) {
  HttpClient& op = As("op1");
  auto free_of = [&](const std::string& pool) {
    auto board = op.Get("/api/v1/availability?filter.shelter_id=own-shelter");
    size_t at = board.body.find("\"id\":\"" + pool + "\"");
    return at == std::string::npos ? std::string() : JsonField(board.body.substr(at), "free");
  };
  EXPECT_EQ(free_of("own-shelter:single_men"), "400");
  EXPECT_EQ(free_of("own-shelter:single_men"), "400");  // answered from the cache
  // A change through this gateway: the very next read shows it.
  ASSERT_EQ(As("sh1").Put("/api/v1/shelters/own-shelter/pools/single_men",
                          R"({"figures":{"places_in_service":90,"occupied":10},"idempotency_key":"k-cache-001"})").status,
            200);
  EXPECT_EQ(free_of("own-shelter:single_men"), "80");
  // A change that bypasses this gateway (another gateway, a service): shown once its event is read.
  relais::v1::DeclarePoolRequest d;
  d.set_shelter_id("own-shelter");
  d.set_public_("single_men");
  d.mutable_figures()->set_places_in_service(70);
  d.set_idempotency_key(Key());
  relais::v1::DeclarePoolResponse dr;
  ASSERT_TRUE(beds().DeclarePool(Harness::As(Admin()).get(), d, &dr).ok());
  std::string seen;
  for (int i = 0; i < 100 && seen != "70"; ++i) {
    seen = free_of("own-shelter:single_men");
    if (seen != "70") std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(seen, "70");
}

// ---- The bad input and limits table ----

struct BadRow {
  std::string name;
  std::string method, target, body;
  std::map<std::string, std::string> headers;
  int status;
  std::string code;
  std::string who = "sh1";  // signed in as
};

TEST_F(GatewayApi, BadInputAndLimitsAre4xxWithAJsonErrorAndChangeNothing) {
  const std::string pool = "/api/v1/shelters/own-shelter/pools/single_men";
  auto deep = [](int depth) {
    std::string s = R"({"figures":{"places_in_service":1},"idempotency_key":"deep-key-01","x":)";
    for (int i = 0; i < depth; ++i) s += "[";
    for (int i = 0; i < depth; ++i) s += "]";
    return s + "}";
  };
  std::vector<BadRow> rows = {
      {"unknown field", "PUT", pool, R"({"figures":{"places_in_service":3},"colour":"red","idempotency_key":"k-unknown-1"})", {}, 400, "INVALID_ARGUMENT"},
      {"unknown nested field", "PUT", pool, R"({"figures":{"places_in_service":3,"beds":2},"idempotency_key":"k-unknown-2"})", {}, 400, "INVALID_ARGUMENT"},
      {"wrong type", "PUT", pool, R"({"figures":{"places_in_service":"many"},"idempotency_key":"k-wrongtype"})", {}, 400, "INVALID_ARGUMENT"},
      {"wrong enum", "POST", "/api/v1/crises", R"({"shelter_id":"own-shelter","reason":"CRISIS_REASON_BOREDOM","mode":"CRISIS_MODE_12H","idempotency_key":"k-enum-0001"})", {}, 400, "INVALID_ARGUMENT"},
      {"malformed JSON", "PUT", pool, R"({"figures":{"places_in_service":3})", {}, 400, "INVALID_ARGUMENT"},
      {"not an object", "PUT", pool, R"([1,2,3])", {}, 400, "INVALID_ARGUMENT"},
      {"JSON nested too deep", "PUT", pool, deep(20), {}, 400, "INVALID_ARGUMENT"},
      {"string too long", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":")" + std::string(9000, 'k') + "\"}", {}, 400, "INVALID_ARGUMENT"},
      {"value out of range", "PUT", pool, R"({"figures":{"places_in_service":-4},"idempotency_key":"k-range-001"})", {}, 400, "INVALID_ARGUMENT"},
      {"no idempotency key", "PUT", pool, R"({"figures":{"places_in_service":3}})", {}, 400, "INVALID_ARGUMENT"},
      {"not JSON content type", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-ctype-001"})", {{"Content-Type", "text/plain"}}, 415, "INVALID_ARGUMENT"},
      {"query string on a PUT", "PUT", pool + "?figures.places_in_service=3", R"({"idempotency_key":"k-query-001"})", {}, 400, "INVALID_ARGUMENT"},
      {"body on a GET", "GET", "/api/v1/shelters/own-shelter/holds", R"({"live_only":true})", {}, 400, "INVALID_ARGUMENT"},
      {"unknown query parameter", "GET", "/api/v1/shelters/own-shelter/holds?colour=red", "", {}, 400, "INVALID_ARGUMENT"},
      {"wrong query type", "GET", "/api/v1/shelters/own-shelter/holds?live_only=perhaps", "", {}, 400, "INVALID_ARGUMENT"},
      {"bad percent-encoding", "GET", "/api/v1/shelters/own-shelter/holds?live_only=%zz", "", {}, 400, "INVALID_ARGUMENT"},
      {"path and body disagree", "PUT", "/api/v1/shelters/own-shelter", R"({"shelter":{"id":"other-shelter","name":"X","organisation":"Y","kind":"SERVICE_KIND_EMERGENCY_SHELTER","commune":"ixelles"},"idempotency_key":"k-disagree-1"})", {}, 400, "INVALID_ARGUMENT"},
      {"missing CSRF token", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-csrf-0001"})", {{"X-CSRF-Token", ""}}, 403, "PERMISSION_DENIED"},
      {"wrong CSRF token", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-csrf-0002"})", {{"X-CSRF-Token", "forged"}}, 403, "PERMISSION_DENIED"},
      {"another site's Origin", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-origin-01"})", {{"Origin", "https://evil.example"}}, 403, "PERMISSION_DENIED"},
      {"another shelter's pool", "PUT", "/api/v1/shelters/other-shelter/pools/single_men", R"({"figures":{"places_in_service":3},"idempotency_key":"k-other-001"})", {}, 403, "PERMISSION_DENIED"},
      {"not signed in", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-anon-0001"})", {}, 401, "UNAUTHENTICATED", ""},
      {"bearer of nothing", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-bearer-01"})", {{"Authorization", "Bearer rk_0011223344556677_x"}}, 401, "UNAUTHENTICATED", ""},
      {"Basic authorization", "GET", "/api/v1/region-summary", "", {{"Authorization", "Basic b3A6b3A="}}, 401, "UNAUTHENTICATED", ""},
  };
  HttpClient& shelter = As("sh1");
  HttpClient anon = gw().Anonymous();
  auto before = Snapshot();
  for (const auto& row : rows) {
    HttpClient& c = row.who.empty() ? anon : shelter;
    HttpResponse r = c.Send(row.method, row.target, row.body, row.headers);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body;
    EXPECT_TRUE(IsJsonError(r, row.code)) << row.name << ": " << r.body;
  }
  // Limits of the HTTP layer, as raw bytes.
  std::string cookie = shelter.cookie;
  std::string big_body(70 * 1024, ' ');
  auto too_big = anon.Raw("PUT " + pool + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(big_body.size()) +
                          "\r\n\r\n" + big_body);
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  EXPECT_TRUE(IsJsonError(too_big, "INVALID_ARGUMENT"));
  auto big_header = anon.Raw("GET /api/v1/shelters HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(20 * 1024, 'a') +
                             "\r\n\r\n");
  EXPECT_EQ(big_header.status, 431);
  auto garbage = anon.Raw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(before, Snapshot()) << "a refused request changed something";

  // Control: the same request, well formed, does change the state (the snapshot can see a change).
  auto good = shelter.Put(pool, R"({"figures":{"places_in_service":3},"idempotency_key":"k-good-0001"})");
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_NE(before, Snapshot());
}

}  // namespace
}  // namespace relais::testing
