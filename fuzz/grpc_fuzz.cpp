// Fuzz target "grpc": the ext_authz gRPC check on hostile CheckRequests.
//
// Input: the serialized CheckRequest as it arrives on the wire (protobuf
// bytes). A byte string that does not parse as a CheckRequest is what the
// gRPC library rejects before the handler; one that parses goes through
// OPA-Envoy's input mapping (sidecar/authz_grpc_input.cpp: every field,
// percent-decoding of path and query, JSON, form and multipart bodies) and the
// check with the sample API policy (policies/api/authz.rego) and a policy
// whose decision object echoes parts of the input, so that hostile values
// reach the reading of decisions (headers, query parameters, metadata).
// Invariants: no crash; input.attributes as the reflection-based mapping
// gives it; and a check either answers (OK or PERMISSION_DENIED)
// or is an UNKNOWN error with a message.
#include <string>

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "fuzz/fuzz_util.h"
#include "policy/json.h"
#include "sidecar/authz_grpc.h"
#include "sidecar/metrics.h"
#include "sidecar/store.h"

namespace {

using namespace wartburg;
using namespace wartburg::sidecar;

constexpr const char* kEcho = R"(package fuzz.echo
import rego.v1
allow := {
	"allowed": count(input.parsed_path) % 2 == 0,
	"headers": object.filter(input.attributes.request.http.headers, ["x-a", "x-b"]),
	"response_headers_to_add": [input.attributes.request.http.headers],
	"query_parameters_to_set": input.parsed_query,
	"query_parameters_to_remove": object.keys(input.parsed_query),
	"request_headers_to_remove": [k | some k, _ in input.attributes.request.http.headers],
	"dynamic_metadata": {"body": input.parsed_body, "path": input.parsed_path},
	"body": input.attributes.request.http.path,
	"http_status": 400 + count(input.parsed_path),
}
)";

struct Fixture {
  PolicyStore store;
  Metrics metrics;
  Fixture() {
    for (const auto& [id, text] : {std::pair<std::string, std::string>{"api.rego", fuzz::source_file("policies/api/authz.rego")},
                                   {"echo.rego", kEcho}}) {
      auto errors = store.put_policy(id, text);
      if (!errors.empty()) fuzz::fail("grpc", id + " does not compile: " + errors[0].to_string());
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture f;
  envoy::service::auth::v3::CheckRequest req;
  if (!req.ParseFromArray(data, static_cast<int>(size))) return 0;
  // the fast mapping of input.attributes equals the reflection-based one
  try {
    Value in = grpc_authz_input(req, true);
    const Value* fast = in.find("attributes");
    Value ref = grpc_authz_attributes_reference(req);
    if ((fast == nullptr) != !ref.defined() || (fast && !(*fast == ref))) {
      fuzz::fail("grpc", "input.attributes differs from the reflection mapping:\n" +
                             (fast ? to_json(*fast) : std::string("(none)")) + "\n" + (ref.defined() ? to_json(ref) : ""));
    }
  } catch (const GrpcRequestParseError&) {
  }
  for (const char* decision : {"data.envoy.authz.allow", "data.fuzz.echo.allow"}) {
    GrpcAuthzOptions o;
    o.decision = decision;
    o.limits = fuzz::eval_limits();
    envoy::service::auth::v3::CheckResponse resp;
    GrpcCheckOutcome out = grpc_authz_check(f.store, &f.metrics, nullptr, o, req, resp, "ipv4:127.0.0.1:1");
    if (out.ok && resp.status().code() != 0 && resp.status().code() != 7) {
      fuzz::fail("grpc", "a check answered status " + std::to_string(resp.status().code()));
    }
    if (!out.ok && (out.code != 2 || out.message.empty())) {
      fuzz::fail("grpc", "a failed check without UNKNOWN and a message: " + std::to_string(out.code));
    }
  }
  return 0;
}
