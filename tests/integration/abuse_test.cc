// Abuse cases against the real gateway and services (in-process, a private redis-server): what the
// bad-input tables (beds/dispatch/workshop_bad_input_test.cc, the limits table of gateway_api_test.cc)
// and the authorisation matrix (gateway_authz_test.cc) do not cover yet. Each row has its expected
// status, and every Redis key is the same after the whole table (the event stream included); a
// control shows the snapshot sees a change.
//   - JSON: nested 10,000 levels, huge arrays, numbers out of range, numeric enums out of range,
//     invalid UTF-8, unknown fields inside lists;
//   - negative and huge counts in bodies and query strings; 65 query parameters;
//   - ids that borrow another shelter's name (forged hold ids, separators, hash tags);
//   - sessions replayed with another session's CSRF token, garbage cookies, an expired session on
//     the live WebSocket;
//   - idempotency keys too short, too long, with spaces, non-ASCII or a NUL, in the body or header;
//   - oversized requests: chunked bodies over the limit, a Content-Length of a terabyte, a 20 KiB
//     request line, a 9 KB path segment;
//   - slow clients (read timeout set to 1 s here): headers trickled byte by byte, a body that never
//     completes, an idle connection; all closed by the timeout while others are served;
//   - oversized gRPC messages straight to a service (over the 1 MiB limit, and a near-limit message
//     of 200,000 list items).
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <thread>

#include "tests/integration/gateway_world.h"

namespace relais::testing {
namespace {

using namespace std::chrono_literals;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Abuse : public GatewayTest {
 protected:
  void Tweak(gateway::GatewayOptions& o) override { o.read_timeout = std::chrono::seconds(1); }
  // Every key in a canonical form (a hash's DUMP can change with a mere read: rehashing).
  std::map<std::string, std::string> Snapshot() { return SnapshotOf(gw().services().redis()); }
};

// The keys added, removed or changed between two snapshots ("" when none).
std::string Changed(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after) {
  std::string out;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    if (it == before.end() || it->second != v) out += k + " ";
  }
  for (const auto& [k, v] : before) {
    if (!after.count(k)) out += k + " (removed) ";
  }
  return out;
}

bool IsJsonError(const HttpResponse& r, const std::string& code) {
  return r.body.find("\"error\"") != std::string::npos && JsonField(r.body, "code") == code;
}

struct Row {
  std::string name;
  std::string method, target, body;
  std::map<std::string, std::string> headers;
  int status;
  std::string code;
  std::string who;  // signed in as ("" : nobody)
};

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A list of n JSON strings.
std::string List(const std::string& item, int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) out += (i ? ",\"" : "\"") + item + "\"";
  return out + "]";
}

TEST_F(Abuse, BadRequestsGetTheirStatusAndChangeNothing) {
  const std::string pool = "/api/v1/shelters/own-shelter/pools/single_men";
  const std::string other_hold = NewHold("other-shelter");
  const std::string own_hold = NewHold("own-shelter");
  // The other shelter's hold id with the own shelter's prefix: the hold is stored under its whole id,
  // so a forged prefix finds nothing.
  std::string forged = "own-shelter:single_men:" + other_hold.substr(other_hold.rfind(':') + 1);
  std::string query65;
  for (int i = 0; i < 65; ++i) query65 += (i ? "&" : "") + std::string("live_only=true");
  const std::string figures = R"("figures":{"places_in_service":3})";
  std::vector<Row> rows = {
      // JSON that is too deep, too big, or not what protobuf's mapping accepts.
      {"JSON nested 10,000 levels", "PUT", pool, Repeat("[", 10000) + Repeat("]", 10000), {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"objects nested 1,000 levels", "PUT", pool, Repeat(R"({"a":)", 1000) + "1" + Repeat("}", 1000), {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"nesting that never closes", "PUT", pool, Repeat("{\"figures\":", 5000), {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"a string that never ends", "PUT", pool, "{\"idempotency_key\":\"" + std::string(60000, 'k'), {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"invalid UTF-8", "POST", "/api/v1/street-reports",
       "{\"report\":{\"reporter_kind\":\"REPORTER_KIND_CITIZEN\",\"commune\":\"ixelles\",\"address\":\"Place \xff\xfe Flagey\","
       "\"needs\":[\"STREET_NEED_HELP\"]},\"idempotency_key\":\"k-utf8-0001\"}", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"a NUL byte in the body", "PUT", pool, std::string("{\"figures\":{\"places_in_service\":3},\0}", 36), {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"32-bit overflow", "PUT", pool, R"({"figures":{"places_in_service":2147483648},"idempotency_key":"k-overflow-1"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"a fraction for a count", "PUT", pool, R"({"figures":{"places_in_service":3.5},"idempotency_key":"k-fraction-1"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"1e400 for a count", "PUT", pool, R"({"figures":{"places_in_service":1e400},"idempotency_key":"k-exponent-1"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"numeric enum out of range", "POST", "/api/v1/holds", R"({"pool_id":"own-shelter:single_men","request_id":"r-enum","kind":99,"idempotency_key":"k-enum-00099"})", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"numeric enum out of range in a list", "POST", "/api/v1/persons", R"({"person":{"age_band":"AGE_BAND_26_45","household":{"adults":1},"needs":[1,2,77]},"idempotency_key":"k-enum-list1"})", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"10,000 languages", "POST", "/api/v1/persons", R"({"person":{"age_band":"AGE_BAND_26_45","household":{"adults":1},"languages":)" + List("fr", 10000) + R"(},"idempotency_key":"k-huge-array1"})", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"5,000 street needs", "POST", "/api/v1/street-reports", R"({"report":{"reporter_kind":"REPORTER_KIND_CITIZEN","commune":"ixelles","address":"Flagey","needs":)" + List("STREET_NEED_HELP", 3000) + R"(},"idempotency_key":"k-huge-array2"})", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"2,000 grid criteria", "PUT", "/api/v1/vulnerability-grid", R"({"grid":{"criteria":[)" + Repeat(R"({"need":"NEED_PET","weight":1},)", 1999) + R"({"need":"NEED_PET","weight":1}]},"idempotency_key":"k-huge-array3"})", {}, 400, "INVALID_ARGUMENT", "adm1"},
      {"unknown field inside a list", "PUT", "/api/v1/vulnerability-grid", R"({"grid":{"criteria":[{"need":"NEED_PET","weight":1,"colour":"red"}]},"idempotency_key":"k-unknown-3"})", {}, 400, "INVALID_ARGUMENT", "adm1"},
      {"a field given twice", "PUT", pool, R"({"figures":{"places_in_service":3},"figures":{"places_in_service":4},"idempotency_key":"k-twice-0001"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"a field given twice, once by its JSON name", "PUT", pool, R"({"figures":{"places_in_service":3,"placesInService":40},"idempotency_key":"k-twice-0002"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"a field name with an escape", "PUT", pool, R"({"figures":{"places_in_service":3},"idempotency_k\u0065y":"k-escaped-01"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      // Negative and huge counts.
      {"negative occupied", "PUT", pool, R"({"figures":{"places_in_service":3,"occupied":-1},"idempotency_key":"k-negative-1"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"negative buffer", "PUT", pool, R"({"figures":{"places_in_service":3,"buffer_places":-2147483648},"idempotency_key":"k-negative-2"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"negative expected version", "PUT", pool, R"({"figures":{"places_in_service":3},"expected_version":"-1","idempotency_key":"k-negative-3"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"negative adults", "POST", "/api/v1/persons", R"({"person":{"age_band":"AGE_BAND_26_45","household":{"adults":-3}},"idempotency_key":"k-negative-4"})", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"negative limit", "GET", "/api/v1/calls?list=CALL_LIST_WAITING&limit=-1", "", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"a million as limit", "GET", "/api/v1/calls?list=CALL_LIST_WAITING&limit=1000000", "", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"limit past 32 bits", "GET", "/api/v1/queue?limit=99999999999", "", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"65 query parameters", "GET", "/api/v1/shelters/own-shelter/holds?" + query65, "", {}, 400, "INVALID_ARGUMENT", "sh1"},
      // Ids that borrow another shelter's name.
      {"forged hold id prefix", "POST", "/api/v1/holds/" + forged + "/arrival", R"({"idempotency_key":"k-forged-01"})", {}, 404, "NOT_FOUND", "sh1"},
      {"another shelter's hold, own prefix after it", "POST", "/api/v1/holds/other-shelter:single_men:own-shelter/arrival", R"({"idempotency_key":"k-forged-02"})", {}, 403, "PERMISSION_DENIED", "sh1"},
      {"a pool id with two separators", "POST", "/api/v1/pools/own-shelter:single_men:other-shelter/confirm", R"({"idempotency_key":"k-forged-03"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"a shelter id with a hash tag", "PUT", "/api/v1/shelters/own-shelter%7D%7Bx/pools/single_men", R"({"figures":{"places_in_service":3},"idempotency_key":"k-forged-04"})", {}, 403, "PERMISSION_DENIED", "sh1"},
      {"a shelter id with a hash tag, admin", "PUT", "/api/v1/shelters/own-shelter%7D%7Bx/pools/single_men", R"({"figures":{"places_in_service":3},"idempotency_key":"k-forged-05"})", {}, 400, "INVALID_ARGUMENT", "adm1"},
      {"a path segment of 9 KB", "GET", "/api/v1/holds/" + std::string(9000, 'h'), "", {}, 400, "INVALID_ARGUMENT", "op1"},
      {"an encoded slash in an id", "POST", "/api/v1/holds/own-shelter%2F..%2Fother-shelter/cancel", R"({"idempotency_key":"k-forged-06"})", {}, 403, "PERMISSION_DENIED", "sh1"},
      // Idempotency keys the API does not accept.
      {"key of 7 characters", "PUT", pool, "{" + figures + R"(,"idempotency_key":"k-short"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key of 129 characters", "PUT", pool, "{" + figures + R"(,"idempotency_key":")" + std::string(129, 'k') + "\"}", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key with spaces", "PUT", pool, "{" + figures + R"(,"idempotency_key":"key with spaces"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key not ASCII", "PUT", pool, "{" + figures + R"(,"idempotency_key":"cl\u00e9-unique-01"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key with a NUL", "PUT", pool, "{" + figures + R"(,"idempotency_key":"key\u0000with-nul"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key with a hash tag", "PUT", pool, "{" + figures + R"(,"idempotency_key":"k-{brussels}-1"})", {}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key in a header, with slashes", "PUT", pool, "{" + figures + "}", {{"Idempotency-Key", "a/b/../../c-key"}}, 400, "INVALID_ARGUMENT", "sh1"},
      {"key in a header of a read", "GET", "/api/v1/region-summary", "", {{"Idempotency-Key", "k-read-000001"}}, 400, "INVALID_ARGUMENT", "op1"},
      // Credentials replayed or made up.
      {"a cookie of 4 KB of garbage", "GET", "/api/v1/queue", "", {{"Cookie", "relais_session=" + std::string(4000, 'A')}}, 401, "UNAUTHENTICATED", ""},
      {"a cookie with separators", "GET", "/api/v1/queue", "", {{"Cookie", "relais_session=a;relais_session=b;=;;;"}}, 401, "UNAUTHENTICATED", ""},
      {"an empty bearer", "GET", "/api/v1/queue", "", {{"Authorization", "Bearer "}}, 401, "UNAUTHENTICATED", ""},
      {"a bearer of 8 KB", "GET", "/api/v1/queue", "", {{"Authorization", "Bearer rk_" + std::string(8000, '0') + "_x"}}, 401, "UNAUTHENTICATED", ""},
  };
  for (const auto& row : rows) {
    if (!row.who.empty()) As(row.who);  // signed in before the snapshot: a sign-in is a change
  }
  auto before = Snapshot();
  HttpClient anon = gw().Anonymous();
  for (const auto& row : rows) {
    HttpClient& c = row.who.empty() ? anon : As(row.who);
    HttpResponse r = c.Send(row.method, row.target, row.body, row.headers);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body.substr(0, 300);
    EXPECT_TRUE(IsJsonError(r, row.code)) << row.name << ": " << r.body.substr(0, 300);
    EXPECT_EQ(r.body.find_first_of("\xfe\xff"), std::string::npos) << row.name << ": the answer is not valid UTF-8";
  }
  EXPECT_EQ(Changed(before, Snapshot()), "") << "a refused request changed something";

  // Control: a good request changes the state, and the snapshot sees it.
  auto good = As("sh1").Put(pool, "{" + figures + R"(,"idempotency_key":"k-good-abuse-1"})");
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_NE(Changed(before, Snapshot()), "");
  (void)own_hold;
}

TEST_F(Abuse, ReplayedSessionsAndAnotherSessionsToken) {
  HttpClient a = gw().SignedIn("sh1");
  HttpClient b = gw().SignedIn("sh1");
  ASSERT_NE(a.csrf, b.csrf);
  auto before = Snapshot();
  // Session a's cookie with session b's CSRF token: the token belongs to the session, not the account.
  HttpClient mixed = a;
  mixed.csrf = b.csrf;
  auto r = mixed.Put("/api/v1/shelters/own-shelter/pools/single_men",
                     R"({"figures":{"places_in_service":3},"idempotency_key":"k-mixed-csrf1"})");
  EXPECT_EQ(r.status, 403) << r.body;
  // Signed out: the cookie and its token replayed, for a change and for the live feed.
  HttpClient old = b;
  ASSERT_EQ(b.Post("/api/v1/auth/logout", "{}").status, 200);
  before = Snapshot();
  r = old.Put("/api/v1/shelters/own-shelter/pools/single_men",
              R"({"figures":{"places_in_service":3},"idempotency_key":"k-replayed-01"})");
  EXPECT_EQ(r.status, 401) << r.body;
  LiveClient replayed(gw().port(), "/api/v1/live",
                      {{"Cookie", old.cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(gw().port())}});
  EXPECT_FALSE(replayed.ok()) << "a signed-out session opens no live feed";
  // Expired: the same for a session past its 12 hours.
  gw().clock().Advance(std::chrono::hours(12) + std::chrono::seconds(1));
  r = a.Put("/api/v1/shelters/own-shelter/pools/single_men",
            R"({"figures":{"places_in_service":3},"idempotency_key":"k-expired-01"})");
  EXPECT_EQ(r.status, 401) << r.body;
  LiveClient expired(gw().port(), "/api/v1/live",
                     {{"Cookie", a.cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(gw().port())}});
  EXPECT_FALSE(expired.ok()) << "an expired session opens no live feed";
  EXPECT_EQ(Changed(before, Snapshot()), "");
}

// ---- Oversized requests on the wire ----

TEST_F(Abuse, OversizedRequestsOnTheWire) {
  HttpClient anon = gw().Anonymous();
  std::string cookie = As("sh1").cookie;
  const std::string pool = "/api/v1/shelters/own-shelter/pools/single_men";
  auto before = Snapshot();
  // A chunked body over the limit: no Content-Length to refuse early, the limit still holds.
  std::string chunks;
  for (int i = 0; i < 70; ++i) chunks += "400\r\n" + std::string(1024, ' ') + "\r\n";
  auto chunked = anon.Raw("PUT " + pool + " HTTP/1.1\r\nHost: x\r\nCookie: " + cookie +
                          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");
  EXPECT_EQ(chunked.status, 413) << chunked.body;
  // A Content-Length of a terabyte: refused from the headers, nothing read.
  auto terabyte = anon.Raw("PUT " + pool + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                           "1099511627776\r\n\r\n{");
  EXPECT_EQ(terabyte.status, 413) << terabyte.body;
  // A request line of 20 KiB.
  auto long_line = anon.Raw("GET /api/v1/shelters?text=" + std::string(20 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(long_line.status, 431) << long_line.body;
  // 5,000 small headers (40 KB).
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  auto headers = anon.Raw("GET /api/v1/shelters HTTP/1.1\r\nHost: x\r\n" + many + "\r\n");
  EXPECT_EQ(headers.status, 431);
  // Two Content-Lengths that disagree (request smuggling).
  auto smuggled = anon.Raw("PUT " + pool + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}");
  EXPECT_EQ(smuggled.status, 400);
  EXPECT_EQ(Changed(before, Snapshot()), "");
  EXPECT_EQ(anon.Get("/api/v1/shelters").status, 200) << "the gateway still serves";
}

// ---- Slow clients ----

class RawConnection {
 public:
  explicit RawConnection(int port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  }
  // false once the server closed the connection (or reset it).
  bool Write(const std::string& bytes) {
    boost::system::error_code ec;
    net::write(socket_, net::buffer(bytes), ec);
    return !ec;
  }
  // Whether the server closes the connection within `limit` (reads and drops whatever it sends).
  bool ClosedWithin(std::chrono::milliseconds limit, std::string* received = nullptr) {
    timeval tv{0, 100 * 1000};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto deadline = std::chrono::steady_clock::now() + limit;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;  // reset
      if (n > 0 && received) received->append(buf, static_cast<size_t>(n));
    }
    return false;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
};

TEST_F(Abuse, SlowClientsAreCutByTheReadTimeout) {
  HttpClient anon = gw().Anonymous();
  std::string cookie = As("sh1").cookie;
  std::string csrf = As("sh1").csrf;
  auto before = Snapshot();

  // Slowloris: the headers trickled one byte every 100 ms. The timeout is for the whole request, so
  // trickling does not keep the connection: it is closed about 1 s in, long before the headers end.
  RawConnection loris(gw().port());
  std::string request = "GET /api/v1/shelters HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'p') + "\r\n\r\n";
  auto start = std::chrono::steady_clock::now();
  size_t sent = 0;
  bool closed = false;
  while (sent < request.size() && std::chrono::steady_clock::now() - start < 10s) {
    if (!loris.Write(request.substr(sent, 1))) {
      closed = true;
      break;
    }
    ++sent;
    if (loris.ClosedWithin(100ms)) {
      closed = true;
      break;
    }
    // Others are served meanwhile.
    if (sent == 5) {
      EXPECT_EQ(anon.Get("/api/v1/shelters").status, 200);
    }
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed) << "a trickling client kept its connection for " << sent << " bytes";
  EXPECT_LT(sent, request.size()) << "the request was let through";
  EXPECT_LT(took, 4s);

  // A body that never completes: the headers promise 100 bytes, 10 come, then nothing.
  RawConnection stalled(gw().port());
  ASSERT_TRUE(stalled.Write("PUT /api/v1/shelters/own-shelter/pools/single_men HTTP/1.1\r\nHost: x\r\nCookie: " + cookie +
                            "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n" +
                            R"({"figures")"));
  std::string answer;
  EXPECT_TRUE(stalled.ClosedWithin(4s, &answer)) << "a stalled body kept its connection";
  EXPECT_EQ(answer.find("200 OK"), std::string::npos) << answer;

  // An idle connection (nothing sent at all) is closed too.
  RawConnection idle(gw().port());
  EXPECT_TRUE(idle.ClosedWithin(4s));

  // Fifty slow clients at once do not keep the gateway from serving.
  std::vector<std::unique_ptr<RawConnection>> crowd;
  for (int i = 0; i < 50; ++i) {
    crowd.push_back(std::make_unique<RawConnection>(gw().port()));
    crowd.back()->Write("GET /api/v1/shel");
  }
  EXPECT_EQ(anon.Get("/api/v1/shelters").status, 200);
  for (auto& c : crowd) {
    EXPECT_TRUE(c->ClosedWithin(4s));
  }
  EXPECT_EQ(Changed(before, Snapshot()), "");
}

// ---- Oversized gRPC messages straight to a service ----

TEST_F(Abuse, OversizedGrpcMessagesAreRefusedBeforeAnyWork) {
  auto before = Snapshot();
  // Over the services' 1 MiB limit: refused by gRPC before the handler.
  relais::v1::CreateShelterRequest big;
  *big.mutable_shelter() = MakeShelter("big-shelter", "ixelles");
  big.mutable_shelter()->set_description(std::string(2 << 20, 'd'));
  big.set_idempotency_key(Key());
  relais::v1::CreateShelterResponse resp;
  auto s = beds().CreateShelter(Harness::As(Admin()).get(), big, &resp);
  EXPECT_EQ(s.error_code(), grpc::RESOURCE_EXHAUSTED) << s.error_message();

  // Just under the limit, 200,000 list items: refused by validation, at once.
  relais::v1::CreatePersonRequest many;
  many.mutable_person()->set_age_band(relais::v1::AGE_BAND_26_45);
  many.mutable_person()->mutable_household()->set_adults(1);
  for (int i = 0; i < 200000; ++i) many.mutable_person()->add_needs(relais::v1::NEED_PET);
  many.set_idempotency_key(Key());
  ASSERT_LT(many.ByteSizeLong(), size_t{1} << 20);
  relais::v1::CreatePersonResponse presp;
  auto t0 = std::chrono::steady_clock::now();
  auto p = dispatch().CreatePerson(Harness::As(Operator()).get(), many, &presp);
  EXPECT_EQ(p.error_code(), grpc::INVALID_ARGUMENT) << p.error_message();
  EXPECT_EQ(p.error_message().rfind("person.needs", 0), 0u) << p.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);

  relais::v1::SetVulnerabilityGridRequest grid;
  for (int i = 0; i < 30000; ++i) {
    auto* c = grid.mutable_grid()->add_criteria();
    c->set_need(relais::v1::NEED_PET);
    c->set_weight(1);
  }
  grid.set_idempotency_key(Key());
  relais::v1::SetVulnerabilityGridResponse gresp;
  auto g = dispatch().SetVulnerabilityGrid(Harness::As(Admin()).get(), grid, &gresp);
  EXPECT_EQ(g.error_code(), grpc::INVALID_ARGUMENT) << g.error_message();

  // A request that is not the method's message at all (bytes of another message): refused, not run.
  relais::v1::TakeHoldRequest junk;
  junk.set_pool_id(std::string(100, '\xff'));
  junk.set_request_id("r");
  junk.set_idempotency_key(Key());
  relais::v1::TakeHoldResponse hresp;
  auto h = beds().TakeHold(Harness::As(Operator()).get(), junk, &hresp);
  EXPECT_FALSE(h.ok());
  EXPECT_NE(h.error_code(), grpc::UNKNOWN);
  EXPECT_EQ(Changed(before, Snapshot()), "");
}

}  // namespace
}  // namespace relais::testing
