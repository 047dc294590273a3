// The Kubernetes admission webhook handler (see admission.h): validates the
// AdmissionReview, evaluates deny/warn/patch of the configured package with
// the review's request as input, and answers an AdmissionReview response
// (allowed, status, warnings, base64 JSONPatch), applying the failure policy
// when evaluation fails. Records metrics and a decision log entry per review.
#include "sidecar/admission.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/engine.h"
#include "policy/error.h"
#include "policy/json.h"
#include "sidecar/body.h"
#include "sidecar/server.h"

namespace wartburg::sidecar {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string base64_std(std::string_view s) {
  static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += alpha[(v >> k) & 63];
  }
  size_t rest = s.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(s[i]) << 16;
    if (rest == 2) v |= uint8_t(s[i + 1]) << 8;
    out += alpha[(v >> 18) & 63];
    out += alpha[(v >> 12) & 63];
    out += rest == 2 ? alpha[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string revision_text(const Snapshot& snap) {
  if (snap.revisions.size() == 1) return snap.revisions.begin()->second;
  std::string s;
  for (const auto& [name, rev] : snap.revisions) {
    if (!s.empty()) s += ',';
    s += name + ":" + rev;
  }
  return s;
}

// A deny/warn entry as text: strings as they are, {"msg": "..."} objects
// (Gatekeeper's violation shape) by their message, anything else as JSON.
std::string message_text(const Value& v) {
  if (v.is_string()) return v.str();
  if (v.is_object()) {
    if (const Value* m = v.find("msg"); m && m->is_string()) return m->str();
  }
  return to_json(v);
}

std::vector<std::string> messages(const Value& coll) {
  std::vector<std::string> out;
  if (coll.is_set() || coll.is_array()) {
    for (const Value& v : coll.items()) out.push_back(message_text(v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Value string_array(const std::vector<std::string>& ss) {
  std::vector<Value> items;
  items.reserve(ss.size());
  for (const auto& s : ss) items.push_back(Value::string(s));
  return Value::array(std::move(items));
}

bool fail_open(const std::string& policy) {
  std::string p = policy;
  for (char& c : p) c = char(std::tolower(static_cast<unsigned char>(c)));
  return p == "ignore";
}

Response json_response(const Value& v) { return Response::json(200, to_json(v)); }

struct Result {
  std::vector<std::string> deny, warn;
  std::vector<Value> patch;
};

// The query collecting the package's three documents; each is empty when the
// rule is undefined (or the package does not exist).
std::string admission_query(const std::string& pkg) {
  return "{\"deny\": {msg | msg := " + pkg + ".deny[_]}, \"warn\": {msg | msg := " + pkg +
         ".warn[_]}, \"patch\": [op | op := " + pkg + ".patch[_]]}";
}

Result evaluate(const Snapshot& snap, const std::string& pkg, const Value& input, const EvalLimits& limits,
                Value& raw) {
  auto pq = snap.prepare(admission_query(pkg));
  EvalOptions eo = eval_options(limits);
  std::vector<QueryRow> rows = pq->eval(input, snap.data, eo);
  Result r;
  if (rows.empty() || rows[0].expressions.empty()) return r;
  raw = rows[0].expressions[0].value;
  if (!raw.is_object()) return r;
  if (const Value* d = raw.find("deny")) r.deny = messages(*d);
  if (const Value* w = raw.find("warn")) r.warn = messages(*w);
  if (const Value* p = raw.find("patch"); p && p->is_array()) {
    for (const Value& op : p->items()) {
      // A rule may produce single operations or arrays of operations.
      if (op.is_array()) {
        for (const Value& o : op.items()) r.patch.push_back(o);
      } else {
        r.patch.push_back(op);
      }
    }
  }
  return r;
}

// The AdmissionReview in the body, checked for the fields the answer needs.
// Throws BodyTooLarge, or std::runtime_error with the 400 message.
Value read_review(const Request& req, const AdmissionOptions& opts) {
  std::string text;
  try {
    text = decoded_body(req, opts.max_decoded_body_bytes);
  } catch (const BodyDecodeError& e) {
    throw std::runtime_error(std::string("body cannot be decoded: ") + e.what());
  }
  Value review;
  try {
    review = parse_json(text);
  } catch (const BodyTooLarge&) {
    throw;
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("body contains malformed JSON: ") + e.what());
  }
  const Value* api = review.is_object() ? review.find("apiVersion") : nullptr;
  const Value* kind = review.is_object() ? review.find("kind") : nullptr;
  if (!api || !api->is_string() || (api->str() != "admission.k8s.io/v1" && api->str() != "admission.k8s.io/v1beta1") ||
      !kind || !kind->is_string() || kind->str() != "AdmissionReview") {
    throw std::runtime_error("body is not an admission.k8s.io/v1 AdmissionReview");
  }
  const Value* request = review.find("request");
  if (!request || !request->is_object()) throw std::runtime_error("AdmissionReview has no request");
  const Value* uid = request->find("uid");
  if (!uid || !uid->is_string() || uid->str().empty()) throw std::runtime_error("AdmissionReview request has no uid");
  return review;
}

// The failure policy's answer for `review` with `msg` as the reason.
Value failure_answer(const Value& review, const std::string& policy, const std::string& msg, int code) {
  ObjectBuilder resp;
  resp.add("uid", *review.find("request")->find("uid"));
  if (fail_open(policy)) {
    resp.add("allowed", Value::boolean(true));
    resp.add("warnings", string_array({msg + " (failure policy: ignore)"}));
  } else {
    resp.add("allowed", Value::boolean(false));
    ObjectBuilder st;
    st.add("code", Value::integer(code));
    st.add("message", Value::string(msg));
    resp.add("status", st.build());
  }
  return resp.build();
}

Value review_answer(const Value& review, Value response) {
  ObjectBuilder out;
  out.add("apiVersion", *review.find("apiVersion"));
  out.add("kind", Value::string("AdmissionReview"));
  out.add("response", std::move(response));
  return out.build();
}

struct Handler_ {
  PolicyStore& store;
  Metrics* metrics;
  DecisionLog* log;
  AdmissionOptions opts;

  Response bad_request(std::string_view msg) const { return Response::error(400, "invalid_parameter", msg); }

  Response handle(const Request& req) const {
    if (req.method != "POST") {
      Response r = Response::error(405, "method_not_allowed", "the admission endpoint accepts POST only");
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    Value review;
    try {
      review = read_review(req, opts);
    } catch (const BodyTooLarge& e) {
      return body_too_large_response(e);
    } catch (const std::exception& e) {
      return bad_request(e.what());
    }
    const Value* request = review.find("request");
    const Value* uid = request->find("uid");

    auto snap = store.current();
    auto t0 = Clock::now();
    std::string error;
    Result res;
    Value raw;
    try {
      res = evaluate(*snap, opts.package, *request, opts.limits, raw);
    } catch (const Error& e) {
      error = e.errors.empty() ? std::string(e.what())
                               : e.errors.front().code + ": " + e.errors.front().message;
    } catch (const std::exception& e) {
      error = e.what();
    }
    double eval_s = seconds_since(t0);

    Value response;
    std::string outcome;
    if (!error.empty()) {
      bool open = fail_open(opts.failure_policy);
      if (metrics) metrics->count_admission_failure(open ? "ignore" : "fail");
      response = failure_answer(review, opts.failure_policy, "admission policy evaluation failed: " + error, 500);
      outcome = "error";
    } else {
      ObjectBuilder resp;
      resp.add("uid", *uid);
      bool allowed = res.deny.empty();
      resp.add("allowed", Value::boolean(allowed));
      if (!allowed) {
        std::string msg;
        for (const auto& m : res.deny) msg += (msg.empty() ? "" : "; ") + m;
        ObjectBuilder st;
        st.add("code", Value::integer(403));
        st.add("message", Value::string(msg));
        resp.add("status", st.build());
      }
      if (!res.warn.empty()) resp.add("warnings", string_array(res.warn));
      // No patch on the validating webhook (Kubernetes refuses one) nor for
      // operations without an object (DELETE, CONNECT): the policy's patch is dropped.
      const Value* obj = request->find("object");
      bool patchable = !opts.validating && obj && obj->is_object();
      if (allowed && patchable && !res.patch.empty()) {
        resp.add("patchType", Value::string("JSONPatch"));
        resp.add("patch", Value::string(base64_std(to_json(Value::array(res.patch)))));
      }
      outcome = allowed ? "allow" : "deny";
      response = resp.build();
    }

    if (metrics) {
      metrics->count_decision("admission", outcome);
      metrics->observe_eval(eval_s);
    }
    if (log) {
      DecisionRecord r;
      r.path = opts.package;
      r.input = *request;
      r.result = response;
      r.error = error;
      r.remote_addr = req.remote_addr;
      r.revision = revision_text(*snap);
      r.eval_seconds = eval_s;
      log->log(std::move(r));
    }

    return json_response(review_answer(review, response));
  }
};

}  // namespace

Handler make_admission_handler(PolicyStore& store, Metrics* metrics, DecisionLog* log, AdmissionOptions opts) {
  auto h = std::make_shared<Handler_>(Handler_{store, metrics, log, std::move(opts)});
  return observed([h](const Request& req) { return h->handle(req); }, metrics, h->opts.route);
}

Response admission_overload_response(const Request& req, const AdmissionOptions& opts) {
  // On an I/O thread: no inflating here (the API server never compresses reviews).
  const std::string* ce = req.header("content-encoding");
  if (req.method != "POST" || (ce && !ce->empty() && *ce != "identity")) return overloaded_response();
  Value review;
  try {
    review = read_review(req, opts);
  } catch (const std::exception&) {
    return overloaded_response();
  }
  std::string msg = "the admission webhook is overloaded: too many reviews are waiting for evaluation";
  return json_response(review_answer(review, failure_answer(review, opts.failure_policy, msg, 503)));
}

}  // namespace wartburg::sidecar
