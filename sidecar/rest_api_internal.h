// Shared pieces of the REST API implementation (rest_api*.cpp): the handler
// context, OPA's error responses, JSON body parsing, and evaluation of a data
// path against the current snapshot. Not part of the public interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "policy/engine.h"
#include "policy/json.h"
#include "sidecar/rest_api.h"

namespace wartburg::sidecar::rest {

struct Ctx {
  PolicyStore& store;
  Metrics* metrics;
  DecisionLog* log;
  RestApiOptions opts;
};

// OPA's messages.
inline constexpr std::string_view kMsgCompileModule = "error(s) occurred while compiling module(s)";
inline constexpr std::string_view kMsgParseQuery = "error(s) occurred while parsing query";
inline constexpr std::string_view kMsgEvaluation = "error(s) occurred while evaluating query";

using Clock = std::chrono::steady_clock;
inline int64_t elapsed_ns(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - since).count();
}

// "/a/b/" -> {"a", "b"} (empty segments dropped).
std::vector<std::string> split_path(std::string_view p);
// {"a", "b"} -> data["a"]["b"] (a query); integer segments become numbers, as OPA's server does.
std::string data_query(const std::vector<std::string>& path);
// {"a", "b"} -> "data.a.b" (for messages).
std::string data_ref_text(const std::vector<std::string>& path);
std::string join_slash(const std::vector<std::string>& path);  // "a/b"

// [{"code","message","location":{"file","row","col"}}] as JSON text.
std::string errors_json(const std::vector<ErrorInfo>& errors);
// A response for a wartburg::Error: parse/compile problems 400 invalid_parameter,
// evaluation problems 500 internal_error, as OPA's server reports them.
Response engine_error(const Error& e);
Response json_value(int status, const Value& body, bool pretty);
Response no_content();
Response method_not_allowed(std::string_view allow);

// The request body, inflated when Content-Encoding is gzip, at most
// opts.max_decoded_body_bytes after decoding. Throws BodyTooLarge (413, answered
// by the router) or ParseError (a body that cannot be decoded).
std::string body_text(const Ctx& c, const Request& req);
// Parses a request body (as body_text) as JSON, or YAML when Content-Type says
// so. Throws ParseError; `what` prefixes the message in the 400 response built by bad_body().
Value parse_body(const Ctx& c, const Request& req);
Response bad_body(std::string_view what, const ParseError& e);

struct Timings {
  int64_t input_parse_ns = 0;
  int64_t query_compile_ns = 0;
  int64_t query_eval_ns = 0;
};

// Evaluates data.<path> with `input` (Undefined: none) on `snap`; Undefined when
// the document is undefined. Throws Error.
Value eval_document(const Ctx& c, const Snapshot& snap, const std::vector<std::string>& path, const Value& input,
                    bool strict, Timings& t);

// Records one decision in the metrics and the decision log; returns the
// decision id ("" when decision logging is off).
std::string record_decision(const Ctx& c, const Request& req, const Snapshot& snap, const std::vector<std::string>& path,
                            const Value& input, const Value& result, const std::string& error, double eval_seconds);

Value metrics_value(const Timings& t, int64_t handler_ns);

// Route handlers (rest_api_data.cpp, rest_api_policy.cpp).
Response handle_data(const Ctx& c, const Request& req, std::string_view rest);
Response handle_v0_data(const Ctx& c, const Request& req, std::string_view rest);
Response handle_default_decision(const Ctx& c, const Request& req);
Response handle_policies(const Ctx& c, const Request& req, std::string_view rest);
Response handle_query(const Ctx& c, const Request& req);

}  // namespace wartburg::sidecar::rest
