// Fuzz target "http": the server's request handlers on hostile requests.
//
// Input: a raw HTTP/1.1 request. It is parsed with Boost.Beast's request
// parser (the one sidecar/server.cpp uses, same header limit) and turned into
// a Request as the server does; when Beast rejects it, a lenient split
// (request line, "name: value" lines, empty line, body) still produces a
// Request, so mutations reach the handlers either way. A leading '!' selects
// token authentication with basic authorization (a system.authz policy).
//
// Each Request goes to the authorization endpoint (sidecar/authz.h) and to the
// REST API with the admission webhook mounted at /v1/admit (sidecar/rest_api.h,
// admission.h, auth.h), as `wartburg run --server` wires them. The store holds
// the sample policies; requests that may write (PUT, PATCH, DELETE) run
// against a fresh store, so every input sees the same state. A
// body under "content-encoding: gzip" that is not gzip is gzipped first.
// As sidecar/server.cpp: Beast's string_view is std::string_view.
#define BOOST_BEAST_USE_STD_STRING_VIEW 1

#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "fuzz/fuzz_util.h"
#include "policy/json.h"
#include "sidecar/admission.h"
#include "sidecar/auth.h"
#include "sidecar/authz.h"
#include "sidecar/metrics.h"
#include "sidecar/rest_api.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;
namespace http = boost::beast::http;

constexpr uint32_t kHeaderLimit = 1 << 20;  // as sidecar/server.cpp
constexpr uint64_t kBodyLimit = 4 << 20;

const char* kSystemAuthz = R"(package system.authz

default allow := false

allow if input.identity == "s3cret"

allow if input.path == ["health"]

allow if {
	input.method == "GET"
	input.path[0] == "v1"
	input.identity == "reader"
}
)";

struct Server {
  PolicyStore store;
  Metrics metrics;
  Handler authz, api, guarded_api;

  Server() {
    put("policies/kubernetes/admission.rego", fuzz::source_file("policies/kubernetes/admission.rego"));
    put("policies/api/authz.rego", fuzz::source_file("policies/api/authz.rego"));
    put("system/authz.rego", kSystemAuthz);
    store.put_data({"example"}, parse_json(R"({"users": {"alice": {"roles": ["admin"]}}, "limits": [1, 2, 3]})"));
    AuthzOptions zo;
    zo.limits = fuzz::eval_limits();
    authz = make_authz_handler(store, &metrics, nullptr, zo);
    RestApiOptions ro;
    ro.eval_limits = fuzz::eval_limits();
    Handler rest = make_rest_api(store, &metrics, nullptr, ro);
    AdmissionOptions ao;
    ao.limits = fuzz::eval_limits();
    Handler admit = make_admission_handler(store, &metrics, nullptr, ao);
    Handler routed = [rest, admit](const Request& r) { return r.path == "/v1/admit" ? admit(r) : rest(r); };
    api = with_api_auth(routed, store, AuthOptions{});
    AuthOptions guarded;
    guarded.authentication = "token";
    guarded.authorization = "basic";
    guarded.limits = fuzz::eval_limits();
    guarded_api = with_api_auth(routed, store, guarded);
  }
  void put(const std::string& id, const std::string& text) {
    auto errors = store.put_policy(id, text);
    if (!errors.empty()) fuzz::fail("http", id + " does not compile: " + errors[0].to_string());
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void set_target(Request& req, std::string_view target) {
  req.target = std::string(target);
  size_t q = target.find('?');
  req.path = percent_decode(target.substr(0, q), false);
  if (q != std::string_view::npos) req.query = parse_query_string(target.substr(q + 1));
}

// As sidecar/server.cpp reads a request.
std::optional<Request> parse_beast(std::string_view raw) {
  http::request_parser<http::string_body> p;
  p.header_limit(kHeaderLimit);
  p.body_limit(kBodyLimit);
  p.eager(true);
  boost::beast::error_code ec;
  while (!raw.empty() && !p.is_done()) {
    size_t n = p.put(boost::asio::buffer(raw.data(), raw.size()), ec);
    raw.remove_prefix(n);
    if (ec || n == 0) break;
  }
  if (ec == http::error::need_more || (!ec && !p.is_done())) {
    ec = {};
    p.put_eof(ec);
  }
  if (ec || !p.is_done()) return std::nullopt;
  auto& msg = p.get();
  Request req;
  req.method = std::string(msg.method_string());
  set_target(req, msg.target());
  for (const auto& f : msg) req.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
  req.body = std::move(msg.body());
  return req;
}

// Request line, header lines up to an empty line, then the body.
Request parse_lenient(std::string_view raw) {
  Request req;
  auto next_line = [&raw]() {
    size_t end = raw.find('\n');
    std::string_view line = raw.substr(0, end);
    raw = end == std::string_view::npos ? std::string_view{} : raw.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };
  std::string_view start = next_line();
  size_t sp = start.find(' ');
  req.method = std::string(start.substr(0, sp));
  std::string_view target = sp == std::string_view::npos ? "/" : start.substr(sp + 1);
  target = target.substr(0, target.find(' '));
  set_target(req, target);
  while (!raw.empty()) {
    std::string_view line = next_line();
    if (line.empty()) break;
    size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    req.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
  }
  req.body = std::string(raw);
  return req;
}

void call(const Handler& h, const Request& req) {
  try {
    Response res = h(req);
    fuzz::trace("http", req.method + " " + req.target + ": " + std::to_string(res.status) + " " + res.body.substr(0, 160));
    if (res.status < 100 || res.status > 599) fuzz::fail("http", "status " + std::to_string(res.status));
  } catch (const std::exception& e) {
    // The server answers 500; a handler should answer by itself.
    if (fuzz::check_invariants()) fuzz::fail("http", std::string("exception escaped the handler: ") + e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Server* shared = new Server;  // never destroyed: handlers must outlive every call
  std::string_view raw = fuzz::bytes(data, size);
  bool guarded = !raw.empty() && raw[0] == '!';
  if (guarded) raw.remove_prefix(1);
  std::optional<Request> parsed = parse_beast(raw);
  Request req = parsed ? std::move(*parsed) : parse_lenient(raw);
  req.remote_addr = "127.0.0.1:40000";
  if (const std::string* ce = req.header("content-encoding"); ce && *ce == "gzip" && !fuzz::is_gzip(req.body)) {
    req.body = fuzz::gzip(req.body);
  }
  std::unique_ptr<Server> fresh;
  // The handlers compare methods exactly; only these three change the store.
  bool writes = req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE";
  if (writes) fresh = std::make_unique<Server>();
  Server& s = fresh ? *fresh : *shared;
  call(s.authz, req);
  call(guarded ? s.guarded_api : s.api, req);
  return 0;
}
