// Hardening tests of the sidecar pieces (issue #9), called directly:
// the bounded worker pool, request bodies limited after gzip decoding (a
// small gzip bomb), OPA's bearer token parsing and API authorization with
// anonymous clients, the REST API's 413 for decoded bodies and
// GET /health?plugins.
#include <gtest/gtest.h>
#include <zlib.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "policy/json.h"
#include "tests/sidecar/request_util.h"
#include "sidecar/auth.h"
#include "sidecar/body.h"
#include "sidecar/config.h"
#include "sidecar/rest_api.h"
#include "sidecar/worker_pool.h"

namespace wartburg::sidecar {
namespace {

using namespace std::chrono_literals;

using test_util::gzip;

// A gzip stream of `n` zero bytes, compressed in chunks (never all in memory).
std::string gzip_zeros(size_t n) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string zeros(1 << 20, '\0');
  std::string out;
  char buf[1 << 16];
  size_t left = n;
  do {
    size_t chunk = std::min(left, zeros.size());
    left -= chunk;
    zs.next_in = reinterpret_cast<Bytef*>(zeros.data());
    zs.avail_in = static_cast<uInt>(chunk);
    int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      deflate(&zs, flush);
      out.append(buf, sizeof buf - zs.avail_out);
    } while (zs.avail_out == 0);
  } while (left > 0);
  deflateEnd(&zs);
  return out;
}

using test_util::make;

// ---- WorkerPool ----

TEST(WorkerPool, RunsJobsOffTheCallerAndRefusesWhenFull) {
  WorkerPool pool("t", 2, 3);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> ran{0};
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> other_thread{true};
  auto blocker = [&] {
    if (std::this_thread::get_id() == caller) other_thread = false;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return release; });
    ++ran;
  };
  int accepted = 0, refused = 0;
  for (int i = 0; i < 10; ++i) {
    WorkerPool::Job j = blocker;
    if (pool.try_submit(j)) {
      ++accepted;
    } else {
      ++refused;
      EXPECT_TRUE(static_cast<bool>(j));  // a refused job is left to the caller
    }
    std::this_thread::sleep_for(5ms);  // let idle workers pick jobs up
  }
  EXPECT_EQ(accepted, 5);  // 2 running + 3 queued
  EXPECT_EQ(refused, 5);
  auto st = pool.stats();
  EXPECT_EQ(st.busy, 2u);
  EXPECT_EQ(st.queued, 3u);
  EXPECT_EQ(st.rejected, 5u);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  for (int i = 0; i < 200 && ran < 5; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(ran, 5);
  EXPECT_TRUE(other_thread);
}

TEST(WorkerPool, ZeroQueueAcceptsOnlyWhenAWorkerIsIdle) {
  WorkerPool pool("t", 1, 0);
  std::this_thread::sleep_for(20ms);
  std::atomic<bool> go{false};
  WorkerPool::Job j = [&] {
    while (!go) std::this_thread::sleep_for(1ms);
  };
  EXPECT_TRUE(pool.try_submit(j));
  std::this_thread::sleep_for(20ms);
  WorkerPool::Job k = [] {};
  EXPECT_FALSE(pool.try_submit(k));
  go = true;
}

TEST(WorkerPool, StopDropsQueuedJobsAndJoins) {
  auto pool = std::make_unique<WorkerPool>("t", 1, 10);
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) {
    WorkerPool::Job j = [&] {
      std::this_thread::sleep_for(30ms);
      ++ran;
    };
    pool->try_submit(j);
  }
  std::this_thread::sleep_for(10ms);
  pool->stop();
  EXPECT_LE(ran, 2);
  WorkerPool::Job j = [] {};
  EXPECT_FALSE(pool->try_submit(j));
  pool.reset();
}

// ---- bodies limited after decoding ----

TEST(Body, GzipBombIsRefusedWithoutInflatingPastTheLimit) {
  std::string bomb = gzip_zeros(200u << 20);  // 200 MiB of zeros
  EXPECT_LT(bomb.size(), 300u << 10);         // ~200 KB on the wire
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(gunzip_limited(bomb, 4 << 20), BodyTooLarge);
  // inflating 4 MiB takes milliseconds; 200 MiB would take far longer
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  Request r = make("POST", "/v1/data/x", bomb, {{"content-encoding", "gzip"}});
  EXPECT_THROW(decoded_body(r, 4 << 20), BodyTooLarge);
}

TEST(Body, DecodingRules) {
  std::string text = R"({"input": 1})";
  EXPECT_EQ(gunzip_limited(gzip(text), 100), text);
  EXPECT_EQ(gunzip_limited(gzip(text), text.size()), text);  // exactly at the limit
  EXPECT_THROW(gunzip_limited(gzip(text), text.size() - 1), BodyTooLarge);
  EXPECT_EQ(gunzip_limited(gzip("ab") + gzip("cd"), 100), "abcd");  // several members
  std::string gz = gzip(std::string(100000, 'x'), 1);
  EXPECT_THROW(gunzip_limited(gz.substr(0, gz.size() / 2), 1 << 20), BodyDecodeError);  // truncated
  EXPECT_THROW(gunzip_limited("not gzip at all", 100), BodyDecodeError);
  EXPECT_EQ(decoded_body(make("POST", "/", text), 100), text);
  EXPECT_EQ(decoded_body(make("POST", "/", gzip(text), {{"content-encoding", " GZIP "}}), 100), text);
  EXPECT_EQ(decoded_body(make("POST", "/", text, {{"content-encoding", "identity"}}), 100), text);
  EXPECT_THROW(decoded_body(make("POST", "/", text), 5), BodyTooLarge);  // plain bodies too
  EXPECT_THROW(decoded_body(make("POST", "/", text, {{"content-encoding", "br"}}), 100), BodyDecodeError);
  Response r = body_too_large_response(BodyTooLarge("x"));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(parse_json(r.body).find("code")->str(), "invalid_parameter");
}

TEST(Body, RestApiAnswers413ForAGzipBombAnd400ForCorruptGzip) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nallow if input.x == 1\n").empty());
  RestApiOptions o;
  o.max_decoded_body_bytes = 1 << 20;
  Handler api = make_rest_api(store, nullptr, nullptr, o);
  std::string bomb = gzip_zeros(64u << 20);
  for (const char* target : {"/v1/data/p/allow", "/v1/query", "/", "/v0/data/p/allow"}) {
    Response r = api(make("POST", target, bomb, {{"content-encoding", "gzip"}}));
    EXPECT_EQ(r.status, 413) << target << " " << r.body;
  }
  EXPECT_EQ(api(make("PUT", "/v1/data/x", bomb, {{"content-encoding", "gzip"}})).status, 413);
  EXPECT_EQ(api(make("PUT", "/v1/policies/x", bomb, {{"content-encoding", "gzip"}})).status, 413);
  EXPECT_EQ(api(make("POST", "/v1/data/p/allow", "garbage", {{"content-encoding", "gzip"}})).status, 400);
  Response ok = api(make("POST", "/v1/data/p/allow", gzip(R"({"input":{"x":1}})"), {{"content-encoding", "gzip"}}));
  EXPECT_EQ(ok.body, R"({"result":true})");
}

TEST(Health, PluginsShowDecisionLogState) {
  PolicyStore store;
  RestApiOptions o;
  std::string state = "OK";
  o.plugin_status = [&] {
    PluginStatus p;
    p.name = "decision_logs";
    p.state = state;
    if (state != "OK") p.message = "writing decision logs fails: No space left on device";
    ObjectBuilder d;
    d.add("write_errors", Value::integer(state == "OK" ? 0 : 3));
    p.details = d.build();
    return std::vector<PluginStatus>{p};
  };
  Handler api = make_rest_api(store, nullptr, nullptr, o);
  EXPECT_EQ(api(make("GET", "/health")).body, "{}");
  Response r = api(make("GET", "/health?plugins"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"plugins":{"decision_logs":{"state":"OK","write_errors":0}}})");
  state = "ERROR";
  r = api(make("GET", "/health?plugins"));
  EXPECT_EQ(r.status, 500);
  Value v = parse_json(r.body);
  EXPECT_EQ(v.find("error")->str(), "one or more plugins are not up");
  EXPECT_EQ(v.find("plugins")->find("decision_logs")->find("write_errors")->as_int(), 3);
  EXPECT_EQ(api(make("GET", "/health")).status, 200);  // liveness is not affected
}

// ---- authentication and authorization, as OPA ----

TEST(Auth, BearerParsingMatchesOpa) {
  EXPECT_EQ(bearer_token("Bearer abc").value_or("-"), "abc");
  EXPECT_EQ(bearer_token("Bearer    abc").value_or("-"), "abc");
  EXPECT_EQ(bearer_token("Bearer\tabc").value_or("-"), "abc");
  EXPECT_EQ(bearer_token("Bearer \t abc.def-ghi").value_or("-"), "abc.def-ghi");
  EXPECT_FALSE(bearer_token("Bearer"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token("bearer abc"));
  EXPECT_FALSE(bearer_token("Bearer abc def"));
  EXPECT_FALSE(bearer_token("Basic abc"));
  EXPECT_FALSE(bearer_token(""));
  EXPECT_FALSE(bearer_token("Bearer " + std::string(9000, 'a')));
}

const char* kSystemAuthz = R"(package system.authz

default allow := false

# anonymous clients may check health (OPA's documented pattern)
allow if {
  input.path == ["health"]
  input.method == "GET"
}

allow if input.identity == "s3cret"

# the parsed body is offered for the Data API
allow if input.body.input.user == "bob"
)";

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store.put_policy("authz.rego", kSystemAuthz).empty());
    ASSERT_TRUE(store.put_policy("app.rego", "package app\nx := 1\n").empty());
  }
  Handler wrapped(AuthOptions o) {
    inner_calls = 0;
    return with_api_auth(
        [this](const Request&) {
          ++inner_calls;
          return Response::text(200, "inner");
        },
        store, o);
  }
  PolicyStore store;
  int inner_calls = 0;
};

TEST_F(AuthTest, AnonymousRequestsReachSystemAuthz) {
  AuthOptions o;
  o.authentication = "token";
  o.authorization = "basic";
  Handler h = wrapped(o);
  EXPECT_EQ(h(make("GET", "/health")).status, 200);  // no token at all
  Response r = h(make("GET", "/v1/data/app/x"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(parse_json(r.body).find("message")->str(), "request rejected by administrative policy");
  EXPECT_EQ(h(make("GET", "/v1/data/app/x", "", {{"authorization", "Bearer wrong"}})).status, 401);
  EXPECT_EQ(h(make("GET", "/v1/data/app/x", "", {{"authorization", "Bearer   s3cret"}})).status, 200);
  EXPECT_EQ(h(make("GET", "/v1/data/app/x", "", {{"authorization", "Bearer\ts3cret"}})).status, 200);
  EXPECT_EQ(h(make("POST", "/v1/data/app/x", R"({"input":{"user":"bob"}})")).status, 200);
}

TEST_F(AuthTest, InputHasOpaShape) {
  AuthOptions o;
  o.authentication = "token";
  o.authorization = "basic";
  Request r = make("POST", "/v1/data/a//b?x=1&x=2&y=", R"({"input":{"k":true}})",
                   {{"authorization", "Bearer tok"}, {"x-role", "a"}, {"x-role", "b"}, {"content-type", "application/json"}});
  Value in = api_authz_input(r, o);
  EXPECT_EQ(in.find("method")->str(), "POST");
  EXPECT_EQ(to_json(*in.find("path")), R"(["v1","data","a","","b"])");
  EXPECT_EQ(to_json(*in.find("params")), R"({"x":["1","2"],"y":[""]})");
  EXPECT_EQ(to_json(*in.find("headers")->find("X-Role")), R"(["a","b"])");
  EXPECT_EQ(in.find("identity")->str(), "tok");
  EXPECT_EQ(to_json(*in.find("body")), R"({"input":{"k":true}})");
  // no token: no identity at all (undefined, not "")
  Value anon = api_authz_input(make("GET", "/health"), o);
  EXPECT_EQ(anon.find("identity"), nullptr);
  EXPECT_EQ(anon.find("body"), nullptr);
  EXPECT_EQ(to_json(*api_authz_input(make("GET", "/"), o).find("path")), R"([""])");
  // bodies are offered only where OPA offers them
  EXPECT_EQ(api_authz_input(make("PUT", "/v1/data/x", "{}"), o).find("body"), nullptr);
  EXPECT_EQ(api_authz_input(make("POST", "/v1/query", "{}"), o).find("body"), nullptr);
}

TEST_F(AuthTest, HostileBodiesAreAnsweredNotCrashed) {
  AuthOptions o;
  o.authentication = "token";
  o.authorization = "basic";
  o.max_decoded_body_bytes = 1 << 20;
  Handler h = wrapped(o);
  EXPECT_EQ(h(make("POST", "/v1/data/app/x", "{not json", {{"authorization", "Bearer wrong"}})).status, 400);
  EXPECT_EQ(h(make("POST", "/v1/data/app/x", gzip_zeros(32u << 20), {{"content-encoding", "gzip"}})).status, 413);
  EXPECT_EQ(h(make("POST", "/v1/data/app/x", "junk", {{"content-encoding", "gzip"}})).status, 400);
  EXPECT_EQ(h(make("POST", "/", "[[[[[[[[[[[[[[[[[[[[[[")).status, 400);
  EXPECT_EQ(inner_calls, 0);
}

TEST_F(AuthTest, DecisionShapesAsOpa) {
  AuthOptions o;
  o.authorization = "basic";
  ASSERT_TRUE(store.put_policy("authz.rego", R"(package system.authz
allow := {"allowed": false, "reason": "nope"} if input.path[0] == "reason"
allow := {"allowed": true} if input.path[0] == "obj"
allow := {"something": 1} if input.path[0] == "bad"
allow := true if input.path[0] == "yes"
)").empty());
  Handler h = wrapped(o);
  EXPECT_EQ(h(make("GET", "/yes")).status, 200);
  EXPECT_EQ(h(make("GET", "/obj")).status, 200);
  Response r = h(make("GET", "/reason"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(parse_json(r.body).find("message")->str(), "nope");
  EXPECT_EQ(h(make("GET", "/bad")).status, 500);
  r = h(make("GET", "/undefined"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(parse_json(r.body).find("message")->str(), "authorization policy missing or undefined");
}

TEST_F(AuthTest, AuthenticationWithoutAuthorizationRestrictsNothing) {
  AuthOptions o;
  o.authentication = "token";
  Handler h = wrapped(o);
  EXPECT_EQ(h(make("GET", "/v1/data/app/x")).status, 200);
  EXPECT_EQ(inner_calls, 1);
}

// ---- configuration keys of the limits ----

TEST(Config, LimitKeysAndDefaults) {
  ServerConfig def;
  EXPECT_EQ(def.max_body_bytes, 4u << 20);
  EXPECT_EQ(def.max_decoded_body_bytes, 4u << 20);
  EXPECT_EQ(def.authz_forwarded_headers, "none");
  EXPECT_EQ(def.decision_log_max_events, 10000u);
  EXPECT_EQ(def.decision_log_max_bytes, 16u << 20);
  EXPECT_GE(resolved_eval_workers(def), 1);
  EXPECT_EQ(resolved_max_queue(def), 64u * static_cast<size_t>(resolved_eval_workers(def)));

  std::string path = (std::filesystem::temp_directory_path() / ("wartburg-cfg-" + std::to_string(getpid()) + ".yaml")).string();
  std::ofstream(path) << R"(server:
  threads: 3
  eval_workers: 5
  max_queue: 7
  decoding:
    max_length: 1000
    gzip:
      max_length: 2000
authz:
  forwarded_headers: traefik
decision_logs:
  reporting:
    buffer_size_limit_events: 11
    buffer_size_limit_bytes: 12345
)";
  ServerConfig c;
  load_config_file(path, c);
  EXPECT_EQ(c.threads, 3);
  EXPECT_EQ(c.eval_workers, 5);
  EXPECT_EQ(resolved_max_queue(c), 7u);
  EXPECT_EQ(c.max_body_bytes, 1000u);
  EXPECT_EQ(c.max_decoded_body_bytes, 2000u);
  EXPECT_EQ(c.authz_forwarded_headers, "traefik");
  EXPECT_EQ(c.decision_log_max_events, 11u);
  EXPECT_EQ(c.decision_log_max_bytes, 12345u);
  EXPECT_NO_THROW(validate_config(c));
  c.authz_forwarded_headers = "haproxy";
  EXPECT_THROW(validate_config(c), std::runtime_error);

  std::ofstream(path) << "server:\n  max_queue: -1\n";
  ServerConfig bad;
  EXPECT_THROW(load_config_file(path, bad), std::runtime_error);
  std::ofstream(path) << "server:\n  eval_workers: many\n";
  EXPECT_THROW(load_config_file(path, bad), std::runtime_error);
  std::filesystem::remove(path);
}

TEST(Config, EvaluationLimitKeys) {
  ServerConfig def;
  EvalLimits l = eval_limits(def);
  EXPECT_EQ(l.timeout, std::chrono::seconds(5));
  EXPECT_EQ(l.memory_bytes, 512u << 20);
  EXPECT_EQ(l.value_bytes, 128u << 20);
  std::string path = (std::filesystem::temp_directory_path() / ("wartburg-lim-" + std::to_string(getpid()) + ".yaml")).string();
  std::ofstream(path) << "eval_timeout: 250ms\neval_max_memory: 64MiB\neval_max_value_size: 1048576\n";
  ServerConfig c;
  load_config_file(path, c);
  l = eval_limits(c);
  EXPECT_EQ(l.timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(l.memory_bytes, 64u << 20);
  EXPECT_EQ(l.value_bytes, 1u << 20);
  std::ofstream(path) << "eval_max_memory: lots\n";
  ServerConfig bad;
  try {
    load_config_file(path, bad);
    ADD_FAILURE() << "accepted eval_max_memory: lots";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("eval_max_memory: invalid byte size \"lots\""), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wartburg::sidecar
