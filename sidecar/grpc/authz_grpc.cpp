// The ext_authz v3 gRPC Check (see authz_grpc.h): OPA-Envoy's reading of a
// decision into a CheckResponse, its error answers, dry-run, and the grpc++
// server (callback API; evaluation on a WorkerPool of its own, so gRPC's
// threads only receive and send; health checking; optional reflection; TLS).
#include "sidecar/authz_grpc.h"

#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "google/protobuf/struct.pb.h"
#include "policy/json.h"
#include "sidecar/worker_pool.h"

namespace wartburg::sidecar {

namespace auth = envoy::service::auth::v3;
namespace core = envoy::config::core::v3;
namespace pb = google::protobuf;

namespace {

constexpr int kOk = 0, kUnknown = 2, kPermissionDenied = 7, kResourceExhausted = 8;

// The Go type OPA-Envoy's messages name for a decision value (`%T`).
std::string go_type(const Value& v) {
  if (v.is_string()) return "string";
  if (v.is_bool()) return "bool";
  if (v.is_number()) return "json.Number";
  if (v.is_null()) return "<nil>";
  if (v.is_array() || v.is_set()) return "[]interface {}";
  if (v.is_object()) return "map[string]interface {}";
  return "<nil>";
}

struct DecisionError : std::runtime_error {
  explicit DecisionError(const std::string& what) : std::runtime_error(what) {}
};

std::string key_text(const Value& k) { return k.is_string() ? k.str() : to_json(k); }

// OPA-Envoy's transformAnyInputToHeadersBag: an object {name: string or
// [strings]}, or an array of such objects; one option per value, key and
// value only (append and append_action left at their defaults).
void header_options(const Value& v, pb::RepeatedPtrField<core::HeaderValueOption>& out) {
  auto from_object = [&](const Value& obj) {
    for (const auto& [k, val] : obj.entries()) {
      std::string name = key_text(k);
      auto add = [&](const std::string& value) {
        core::HeaderValue* h = out.Add()->mutable_header();
        h->set_key(name);
        h->set_value(value);
      };
      if (val.is_string()) {
        add(val.str());
      } else if (val.is_array() || val.is_set()) {
        for (const Value& e : val.items()) {
          if (!e.is_string()) throw DecisionError("invalid value type " + go_type(e) + " for header '" + name + "'");
          add(e.str());
        }
      } else {
        throw DecisionError("type assertion error for header '" + name + "'");
      }
    }
  };
  if (v.is_object()) return from_object(v);
  if (v.is_array()) {
    for (const Value& e : v.items()) {
      if (!e.is_object()) {
        throw DecisionError("type assertion error, expected headers to be of type 'object' but got '" + go_type(e) + "'");
      }
      from_object(e);
    }
    return;
  }
  throw DecisionError("type assertion error, expected headers to be of type 'object' but got '" + go_type(v) + "'");
}

void string_list(const Value& v, const char* what, pb::RepeatedPtrField<std::string>& out) {
  if (!v.is_array() && !v.is_set()) {
    throw DecisionError(std::string("type assertion error, expected ") + what + " to be of type '[]string' but got '" +
                        go_type(v) + "'");
  }
  for (const Value& e : v.items()) {
    if (!e.is_string()) {
      throw DecisionError(std::string("type assertion error, expected ") + what + " value to be of type 'string' but got '" +
                          go_type(e) + "'");
    }
    *out.Add() = e.str();
  }
}

void query_parameters(const Value& v, pb::RepeatedPtrField<core::QueryParameter>& out) {
  if (!v.is_object()) {
    throw DecisionError("type assertion error, expected query_parameters_to_set to be a map but got '" + go_type(v) + "'");
  }
  for (const auto& [k, val] : v.entries()) {
    auto add = [&](const std::string& value) {
      core::QueryParameter* q = out.Add();
      q->set_key(key_text(k));
      q->set_value(value);
    };
    if (val.is_string()) {
      add(val.str());
    } else if (val.is_array() || val.is_set()) {
      for (const Value& e : val.items()) {
        if (!e.is_string()) {
          throw DecisionError("type assertion error: expected array element to be string but got '" + go_type(e) + "'");
        }
        add(e.str());
      }
    } else {
      throw DecisionError("type assertion error, expected value to be string or array but got '" + go_type(val) + "'");
    }
  }
}

void to_struct_value(const Value& v, pb::Value& out);

void to_struct(const Value& obj, pb::Struct& out) {
  for (const auto& [k, val] : obj.entries()) to_struct_value(val, (*out.mutable_fields())[key_text(k)]);
}

void to_struct_value(const Value& v, pb::Value& out) {
  if (v.is_null() || !v.defined()) {
    out.set_null_value(pb::NULL_VALUE);
  } else if (v.is_bool()) {
    out.set_bool_value(v.as_bool());
  } else if (v.is_number()) {
    out.set_number_value(v.as_double());
  } else if (v.is_string()) {
    out.set_string_value(v.str());
  } else if (v.is_object()) {
    to_struct(v, *out.mutable_struct_value());
  } else {
    pb::ListValue* l = out.mutable_list_value();
    for (const Value& e : v.items()) to_struct_value(e, *l->add_values());
  }
}

// Calls `f`; a DecisionError it throws gets OPA-Envoy's prefix for the key.
template <class F>
void reading(const char* prefix, F&& f) {
  try {
    f();
  } catch (const DecisionError& e) {
    throw DecisionError(std::string(prefix) + e.what());
  }
}

// OPA-Envoy's response for decision `d` (check, IsAllowed and the Get* readers).
void fill_response(const Value& d, auth::CheckResponse& resp) {
  bool allowed = false;
  reading("failed to get response status: ", [&] {
    if (d.is_bool()) {
      allowed = d.as_bool();
      return;
    }
    if (!d.is_object()) throw DecisionError("illegal value for policy evaluation result: " + go_type(d));
    const Value* a = d.find("allowed");
    if (!a) throw DecisionError("unable to determine evaluation result due to missing \"allowed\" key");
    if (!a->is_bool()) {
      throw DecisionError("type assertion error, expected allowed to be of type 'boolean' but got '" + go_type(*a) + "'");
    }
    allowed = a->as_bool();
  });
  resp.mutable_status()->set_code(allowed ? kOk : kPermissionDenied);
  if (!d.is_object()) return;

  pb::RepeatedPtrField<core::HeaderValueOption> headers;
  if (const Value* h = d.find("headers")) reading("failed to get response headers: ", [&] { header_options(*h, headers); });
  if (const Value* m = d.find("dynamic_metadata")) {
    reading("failed to get dynamic metadata: ", [&] {
      if (!m->is_object()) {
        throw DecisionError("type assertion error, expected dynamic_metadata to be of type 'object' but got '" +
                            go_type(*m) + "'");
      }
      to_struct(*m, *resp.mutable_dynamic_metadata());
    });
  }
  if (allowed) {
    auth::OkHttpResponse* ok = resp.mutable_ok_response();
    *ok->mutable_headers() = std::move(headers);
    if (const Value* v = d.find("request_headers_to_remove")) {
      reading("failed to get request headers to remove: ",
              [&] { string_list(*v, "request_headers_to_remove", *ok->mutable_headers_to_remove()); });
    }
    if (const Value* v = d.find("response_headers_to_add")) {
      reading("failed to get response headers to send to client: ",
              [&] { header_options(*v, *ok->mutable_response_headers_to_add()); });
    }
    if (const Value* v = d.find("query_parameters_to_remove")) {
      reading("failed to get request query parameters to remove: ",
              [&] { string_list(*v, "query_parameters_to_remove", *ok->mutable_query_parameters_to_remove()); });
    }
    if (const Value* v = d.find("query_parameters_to_set")) {
      reading("failed to get request query parameters to set: ",
              [&] { query_parameters(*v, *ok->mutable_query_parameters_to_set()); });
    }
    return;
  }
  auth::DeniedHttpResponse* denied = resp.mutable_denied_response();
  *denied->mutable_headers() = std::move(headers);
  if (const Value* b = d.find("body")) {
    reading("failed to get response body: ", [&] {
      if (!b->is_string()) {
        throw DecisionError("type assertion error, expected body to be of type 'string' but got '" + go_type(*b) + "'");
      }
      denied->set_body(b->str());
    });
  }
  int64_t status = 403;
  if (const Value* s = d.find("http_status")) {
    reading("failed to get response http status: ", [&] {
      if (!s->is_number()) {
        throw DecisionError("type assertion error, expected http_status to be of type 'number' but got '" +
                            go_type(*s) + "'");
      }
      if (!s->to_int64(status)) throw DecisionError("error converting JSON number to int: " + to_json(*s));
      // a status Envoy's StatusCode enum names (it lists the HTTP statuses Go knows)
      const pb::EnumDescriptor* codes = envoy::type::v3::StatusCode_descriptor();
      if (status < 100 || status > 599 || !codes->FindValueByNumber(static_cast<int>(status))) {
        throw DecisionError("invalid HTTP status code " + std::to_string(status));
      }
    });
  }
  denied->mutable_status()->set_code(static_cast<envoy::type::v3::StatusCode>(status));
}

// "ipv4:127.0.0.1:5000" -> "127.0.0.1:5000"
std::string peer_address(const std::string& peer) {
  for (const char* p : {"ipv4:", "ipv6:", "unix:"}) {
    if (peer.rfind(p, 0) == 0) return peer.substr(std::char_traits<char>::length(p));
  }
  return peer;
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("authz gRPC listener: cannot read the TLS ") + what + " file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// OPA-Envoy's addr: "grpc://host:port", "host:port", ":port" (all
// interfaces), "unix:///path".
std::string grpc_address(std::string addr) {
  if (addr.rfind("grpc://", 0) == 0) addr = addr.substr(7);
  if (addr.rfind("unix://", 0) == 0) return "unix:" + addr.substr(7);
  if (!addr.empty() && addr.front() == ':') addr = "0.0.0.0" + addr;
  return addr;
}

}  // namespace

GrpcCheckOutcome grpc_authz_check(PolicyStore& store, Metrics* metrics, DecisionLog* log, const GrpcAuthzOptions& opts,
                                  const auth::CheckRequest& req, auth::CheckResponse& resp, const std::string& peer) {
  GrpcCheckOutcome out;
  DecisionRecord rec;
  rec.path = opts.decision;
  rec.remote_addr = peer_address(peer);
  rec.decision_id = new_decision_id();
  try {
    rec.input = grpc_authz_input(req, opts.skip_body_parse);
  } catch (const GrpcRequestParseError& e) {
    // OPA-Envoy: not an RPC error but a denial (HTTP 400), dry-run or not
    std::string msg = std::string("request_parse_error: ") + e.what();
    resp.mutable_status()->set_code(kPermissionDenied);
    resp.mutable_status()->set_message(msg);
    resp.mutable_denied_response()->mutable_status()->set_code(envoy::type::v3::BadRequest);
    resp.mutable_denied_response()->set_body(msg);
    rec.error = msg;
    rec.revision = authz_revision(store);
    if (metrics) metrics->count_decision("authz_grpc", "error");
    if (log) log->log(std::move(rec));
    return out;
  }
  AuthzEval ev = eval_authz(store, opts.decision, opts.limits, rec.input);
  std::string outcome = !ev.error.empty() ? "error" : !ev.result.defined() ? "undefined" : "";
  if (ev.error.empty() && !ev.result.defined()) ev.error = "undefined decision";
  if (ev.error.empty()) {
    try {
      fill_response(ev.result, resp);
    } catch (const DecisionError& e) {
      ev.error = e.what();
    }
  }
  if (!ev.error.empty()) {
    resp.Clear();
    out = GrpcCheckOutcome{false, kUnknown, ev.error};
  } else {
    outcome = resp.status().code() == kOk ? "allow" : "deny";
    if (opts.dry_run && resp.status().code() != kOk) {
      // dry-run: allowed, with nothing changed; the log keeps the real decision
      resp.mutable_status()->Clear();
      resp.mutable_ok_response()->Clear();
    }
    (*resp.mutable_dynamic_metadata()->mutable_fields())["decision_id"].set_string_value(rec.decision_id);
  }
  if (metrics) {
    metrics->count_decision("authz_grpc", outcome.empty() ? "error" : outcome);
    metrics->observe_eval(ev.seconds);
  }
  if (log) {
    rec.result = ev.error.empty() ? ev.result : Value();
    rec.error = ev.error;
    rec.revision = ev.revision;
    rec.eval_seconds = ev.seconds;
    log->log(std::move(rec));
  }
  return out;
}

// ---------------------------------------------------------------- the server

namespace {

class CheckService final : public auth::Authorization::CallbackService {
 public:
  CheckService(PolicyStore& store, Metrics* metrics, DecisionLog* log, const GrpcAuthzOptions& opts, WorkerPool& pool)
      : store_(store), metrics_(metrics), log_(log), opts_(opts), pool_(pool) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* ctx, const auth::CheckRequest* req,
                                  auth::CheckResponse* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    WorkerPool::Job job = [this, ctx, req, resp, reactor] {
      GrpcCheckOutcome out = grpc_authz_check(store_, metrics_, log_, opts_, *req, *resp, ctx->peer());
      reactor->Finish(out.ok ? grpc::Status::OK : grpc::Status(static_cast<grpc::StatusCode>(out.code), out.message));
    };
    if (!pool_.try_submit(job)) {
      if (metrics_) metrics_->count_overload("authz_grpc");
      reactor->Finish(grpc::Status(static_cast<grpc::StatusCode>(kResourceExhausted),
                                   "server overloaded: too many authorization checks waiting"));
    }
    return reactor;
  }

 private:
  PolicyStore& store_;
  Metrics* metrics_;
  DecisionLog* log_;
  const GrpcAuthzOptions& opts_;
  WorkerPool& pool_;
};


class Backend final : public GrpcAuthzBackend {
 public:
  Backend(PolicyStore& store, Metrics* metrics, DecisionLog* log, GrpcAuthzOptions o)
      : opts(std::move(o)),
        pool("authz-grpc", opts.eval_workers, opts.max_queue),
        service(store, metrics, log, opts, pool) {}
  ~Backend() override { shutdown(std::chrono::milliseconds(0)); }
  int start() override;
  void shutdown(std::chrono::milliseconds grace) override;

 private:
  GrpcAuthzOptions opts;
  WorkerPool pool;
  CheckService service;
  std::unique_ptr<grpc::Server> server;
};

int Backend::start() {
  const GrpcAuthzOptions& o = opts;
  std::shared_ptr<grpc::ServerCredentials> creds = grpc::InsecureServerCredentials();
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
      throw std::runtime_error("authz gRPC listener: TLS needs both a certificate and a private key file");
    }
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({read_file(o.tls_key_file, "private key"), read_file(o.tls_cert_file, "certificate")});
    if (!o.tls_ca_file.empty()) {
      ssl.pem_root_certs = read_file(o.tls_ca_file, "CA certificate");
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    creds = grpc::SslServerCredentials(ssl);
  }
  // Debian's abseil tracks lock order for deadlock reports in every
  // absl::Mutex gRPC takes: about a tenth of a check's CPU. Not for production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::EnableDefaultHealthCheckService(true);
  if (o.enable_reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(grpc_address(o.addr), creds, &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<size_t>(o.max_recv_msg_bytes, INT32_MAX)));
  builder.SetMaxSendMessageSize(static_cast<int>(std::min<size_t>(o.max_send_msg_bytes, INT32_MAX)));
  server = builder.BuildAndStart();
  if (!server || (port == 0 && o.addr.rfind("unix", 0) != 0)) {
    server.reset();
    throw std::runtime_error("authz gRPC listener: cannot listen on " + o.addr);
  }
  if (auto* health = server->GetHealthCheckService()) {
    health->SetServingStatus(true);
    health->SetServingStatus("envoy.service.auth.v3.Authorization", true);
  }
  return port;
}

void Backend::shutdown(std::chrono::milliseconds grace) {
  if (server) {
    if (auto* health = server->GetHealthCheckService()) health->Shutdown();
    // the pool keeps running until every call has finished (a queued check
    // still answers: its call may be cancelled, never left open)
    server->Shutdown(std::chrono::system_clock::now() + grace);
    server->Wait();
    server.reset();
  }
  pool.stop();
}

}  // namespace

extern "C" GrpcAuthzBackend* wartburg_grpc_authz_create(PolicyStore* store, Metrics* metrics, DecisionLog* log,
                                                        const GrpcAuthzOptions* opts) {
  return new Backend(*store, metrics, log, *opts);
}

}  // namespace wartburg::sidecar
