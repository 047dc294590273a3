// gRPC load client for the ext_authz endpoint (`make bench-grpc`): keeps
// --concurrency Check calls in flight over --channels HTTP/2 connections
// (grpc++ async API, one completion-queue thread per channel) for --seconds,
// and prints checks/s, latency p50/p90/p99/max, and the counts of OK,
// PERMISSION_DENIED and failed calls. The CheckRequest comes from an
// OPA-Envoy input document (JSON: input.attributes.request.http.{method, path,
// host, headers, body}), e.g. policies/api/testdata/allowed/request.json.
//
// usage: wartburg_grpc_load --target 127.0.0.1:9191 --input FILE
//                           [--concurrency 32] [--channels 2] [--seconds 10]
#include <absl/synchronization/mutex.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "policy/json.h"

namespace auth = envoy::service::auth::v3;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string target = "127.0.0.1:9191";
  std::string input;
  int concurrency = 32;
  int channels = 2;
  double seconds = 10;
};

struct Totals {
  std::mutex mu;
  std::vector<double> latencies_us;
  long ok = 0, denied = 0, failed = 0;
  std::string first_error;
};

auth::CheckRequest request_from(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    std::fprintf(stderr, "grpc_load: cannot read %s\n", file.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  wartburg::Value doc = wartburg::parse_json(ss.str());
  const wartburg::Value* in_doc = doc.find("input") ? doc.find("input") : &doc;
  const wartburg::Value* http = in_doc->find("attributes");
  http = http ? http->find("request") : nullptr;
  http = http ? http->find("http") : nullptr;
  auth::CheckRequest r;
  auto* h = r.mutable_attributes()->mutable_request()->mutable_http();
  if (http) {
    for (const char* f : {"method", "path", "host", "body"}) {
      const wartburg::Value* v = http->find(f);
      if (!v || !v->is_string()) continue;
      std::string s = v->str();
      if (std::string(f) == "method") h->set_method(s);
      if (std::string(f) == "path") h->set_path(s);
      if (std::string(f) == "host") h->set_host(s);
      if (std::string(f) == "body") h->set_body(s);
    }
    if (const wartburg::Value* hs = http->find("headers")) {
      for (const auto& [k, v] : hs->entries()) {
        if (k.is_string() && v.is_string()) (*h->mutable_headers())[k.str()] = v.str();
      }
    }
  }
  h->set_protocol("HTTP/2");
  h->set_scheme("https");
  auto* sa = r.mutable_attributes()->mutable_source()->mutable_address()->mutable_socket_address();
  sa->set_address("10.0.0.7");
  sa->set_port_value(52000);
  return r;
}

struct Call {
  grpc::ClientContext ctx;
  auth::CheckResponse resp;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<auth::CheckResponse>> rpc;
  Clock::time_point start;
};

// One channel: `inflight` calls kept going until `end`, on this thread's queue.
void drive(const Options& o, const auth::CheckRequest& req, int inflight, Clock::time_point end, Totals& t) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);  // a connection of its own per channel
  auto channel = grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), args);
  auto stub = auth::Authorization::NewStub(channel);
  grpc::CompletionQueue cq;
  std::vector<double> lat;
  long ok = 0, denied = 0, failed = 0;
  std::string err;
  int pending = 0;
  auto start_call = [&] {
    auto* c = new Call;
    c->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    c->start = Clock::now();
    c->rpc = stub->PrepareAsyncCheck(&c->ctx, req, &cq);
    c->rpc->StartCall();
    c->rpc->Finish(&c->resp, &c->status, c);
    ++pending;
  };
  for (int i = 0; i < inflight; ++i) start_call();
  void* tag;
  bool okflag;
  while (pending > 0 && cq.Next(&tag, &okflag)) {
    auto* c = static_cast<Call*>(tag);
    --pending;
    auto now = Clock::now();
    lat.push_back(std::chrono::duration<double, std::micro>(now - c->start).count());
    if (!c->status.ok()) {
      ++failed;
      if (err.empty()) err = std::to_string(c->status.error_code()) + ": " + c->status.error_message();
    } else if (c->resp.status().code() == 0) {
      ++ok;
    } else {
      ++denied;
    }
    delete c;
    if (now < end) start_call();
  }
  std::lock_guard<std::mutex> lock(t.mu);
  t.latencies_us.insert(t.latencies_us.end(), lat.begin(), lat.end());
  t.ok += ok;
  t.denied += denied;
  t.failed += failed;
  if (t.first_error.empty()) t.first_error = err;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--target") o.target = v;
    else if (a == "--input") o.input = v;
    else if (a == "--concurrency") o.concurrency = std::max(1, std::atoi(v.c_str()));
    else if (a == "--channels") o.channels = std::max(1, std::atoi(v.c_str()));
    else if (a == "--seconds") o.seconds = std::atof(v.c_str());
    else {
      std::fprintf(stderr, "grpc_load: unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  if (o.input.empty()) {
    std::fprintf(stderr, "usage: wartburg_grpc_load --target HOST:PORT --input FILE [--concurrency N] "
                         "[--channels N] [--seconds S]\n");
    return 2;
  }
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);  // Debian's abseil tracks lock order
  auth::CheckRequest req = request_from(o.input);
  Totals t;
  auto t0 = Clock::now();
  auto end = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  for (int c = 0; c < o.channels; ++c) {
    int share = o.concurrency / o.channels + (c < o.concurrency % o.channels ? 1 : 0);
    if (share > 0) threads.emplace_back(drive, std::cref(o), std::cref(req), share, end, std::ref(t));
  }
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(t.latencies_us.begin(), t.latencies_us.end());
  auto pct = [&](double p) {
    if (t.latencies_us.empty()) return 0.0;
    size_t i = std::min(t.latencies_us.size() - 1, static_cast<size_t>(p * static_cast<double>(t.latencies_us.size())));
    return t.latencies_us[i] / 1000.0;
  };
  long total = t.ok + t.denied + t.failed;
  std::printf("checks/s:           %.0f\n", static_cast<double>(total) / elapsed);
  std::printf("latency p50 / p90 / p99 / max: %.3f / %.3f / %.3f / %.3f ms\n", pct(0.50), pct(0.90), pct(0.99),
              t.latencies_us.empty() ? 0.0 : t.latencies_us.back() / 1000.0);
  std::printf("calls:              %ld (OK %ld, PERMISSION_DENIED %ld, failed %ld)\n", total, t.ok, t.denied, t.failed);
  if (!t.first_error.empty()) std::printf("first failure:      %s\n", t.first_error.c_str());
  return t.failed > 0 ? 1 : 0;
}
