"""End-to-end test of the Envoy ext_authz gRPC v3 endpoint (--authz-grpc-addr):
the real binary, and a gRPC client that is not Wartburg's code: Debian's
python3-grpcio with message classes that protoc generates from our .proto
files (sidecar/proto) into a temporary folder. Covers allow, deny with
status/body/headers, header injection and removal, query-parameter rewriting,
dynamic metadata, JSON and form bodies, malformed and oversized requests,
evaluation errors, health checking, reflection, dry-run, decision logs and
metrics, TLS and mutual TLS on the authorization listener (separate from the
REST API's), and a policy reload during a stream of checks with no failed call.

usage: grpc_authz_test.py WARTBURG REPO_ROOT"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time

try:
    import grpc
except ImportError:
    # python3 on PATH may be another interpreter than Debian's (which has python3-grpcio)
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import SLOW, Server, check, finish, free_port, make_certs  # noqa: E402

BIN, ROOT = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="wartburg-grpc-")

# ---- message classes generated from our protos (protoc --python_out) ----
PROTOS = ["envoy/config/core/v3/address.proto", "envoy/config/core/v3/base.proto", "envoy/type/v3/http_status.proto",
          "google/rpc/status.proto", "envoy/service/auth/v3/attribute_context.proto",
          "envoy/service/auth/v3/external_auth.proto"]
GEN = os.path.join(WORK, "gen")
os.makedirs(GEN)
proto_root = os.path.join(ROOT, "sidecar", "proto")
subprocess.run(["protoc", "-I", proto_root, "-I", "/usr/include", f"--python_out={GEN}"] +
               [os.path.join(proto_root, p) for p in PROTOS], check=True)
# our google.rpc next to the installed google.protobuf (both namespace packages)
sys.path.insert(0, GEN)
import google  # noqa: E402
google.__path__.append(os.path.join(GEN, "google"))
from envoy.service.auth.v3 import external_auth_pb2 as ext  # noqa: E402

CHECK = "/envoy.service.auth.v3.Authorization/Check"

POLICY = """package envoy.authz

import rego.v1

default allow := false

# GET /public/...: a plain boolean
allow := true if input.parsed_path[0] == "public"

# a denial with its own status, body and headers
allow := {"allowed": false, "http_status": 401, "body": "who are you?",
          "headers": {"www-authenticate": "Bearer", "x-multi": ["a", "b"]}} if input.parsed_path[0] == "login"

# an allow that changes the request
allow := {
	"allowed": true,
	"headers": {"x-user": input.attributes.request.http.headers["x-user"]},
	"request_headers_to_remove": ["authorization"],
	"response_headers_to_add": [{"x-checked": "yes"}],
	"query_parameters_to_set": {"tenant": "t1", "tag": ["x", "y"]},
	"query_parameters_to_remove": ["debug"],
	"dynamic_metadata": {"user": input.attributes.request.http.headers["x-user"], "level": 3},
} if input.parsed_path == ["api", "orders"]

# bodies: JSON and form
allow := true if input.parsed_body.user == "alice"
allow := true if input.parsed_body.user == ["bob"]

# an evaluation error: a conflict
allow := 1 if input.parsed_path[0] == "conflict"
allow := 2 if input.parsed_path[0] == "conflict"

# an illegal decision value
allow := "yes" if input.parsed_path[0] == "illegal"

input_echo := input
"""


def request(path, method="GET", headers=None, body="", source=("10.0.0.7", 52000), request_id="req-1",
            context_extensions=None, principal=""):
    r = ext.CheckRequest()
    a = r.attributes
    a.source.address.socket_address.address = source[0]
    a.source.address.socket_address.port_value = source[1]
    if principal:
        a.source.principal = principal
    a.destination.address.socket_address.address = "10.0.0.1"
    a.destination.address.socket_address.port_value = 8000
    h = a.request.http
    h.id = request_id
    h.method = method
    h.path = path
    h.host = "api.example.com"
    h.scheme = "https"
    h.protocol = "HTTP/1.1"
    for k, v in (headers or {}).items():
        h.headers[k] = v
    if body:
        h.body = body
        h.size = len(body.encode())
    a.request.time.seconds = 1700000000
    for k, v in (context_extensions or {}).items():
        a.context_extensions[k] = v
    return r


def call(channel, req, timeout=5):
    stub = channel.unary_unary(CHECK, request_serializer=ext.CheckRequest.SerializeToString,
                               response_deserializer=ext.CheckResponse.FromString)
    return stub(req, timeout=timeout * SLOW)


def rpc_error(channel, req):
    try:
        call(channel, req)
        return None
    except grpc.RpcError as e:
        return e


def headers_of(options):
    return [(o.header.key, o.header.value) for o in options]


work = tempfile.mkdtemp(prefix="wartburg-grpc-policy-")
policy_dir = os.path.join(work, "policy")
os.makedirs(policy_dir)
with open(os.path.join(policy_dir, "authz.rego"), "w") as f:
    f.write(POLICY)
dlog = os.path.join(work, "decisions.log")
gport = free_port()
srv = Server(BIN, ["--authz-grpc-addr", f"127.0.0.1:{gport}", "--authz-grpc-reflection", "--decision-log", dlog,
                   "--authz-grpc-max-recv-bytes", "65536", "--watch", policy_dir])
try:
    ch = grpc.insecure_channel(f"127.0.0.1:{gport}")

    # allow: a boolean decision -- status OK, no http response, a decision id
    resp = call(ch, request("/public/index.html"))
    check(resp.status.code == 0, "allow: status OK", str(resp))
    check(not resp.HasField("ok_response") and not resp.HasField("denied_response"),
          "allow (boolean): no http response", str(resp))
    decision_id = resp.dynamic_metadata.fields["decision_id"].string_value
    check(len(decision_id) == 36, "allow: decision_id in dynamic metadata", str(resp))

    # deny (default): PERMISSION_DENIED
    resp = call(ch, request("/private"))
    check(resp.status.code == 7, "deny: PERMISSION_DENIED", str(resp))

    # deny with status, body and headers
    resp = call(ch, request("/login"))
    d = resp.denied_response
    check(resp.status.code == 7 and d.status.code == 401 and d.body == "who are you?", "deny: status 401 and body", str(resp))
    check(sorted(headers_of(d.headers)) == [("www-authenticate", "Bearer"), ("x-multi", "a"), ("x-multi", "b")],
          "deny: headers (one option per value)", str(d.headers))

    # allow that rewrites: headers upstream, removed headers, response headers, query parameters, metadata
    resp = call(ch, request("/api/orders?debug=1&x=2", headers={"x-user": "alice", "authorization": "Bearer t"}))
    ok = resp.ok_response
    check(resp.status.code == 0 and headers_of(ok.headers) == [("x-user", "alice")], "allow: header injection", str(resp))
    check(list(ok.headers_to_remove) == ["authorization"], "allow: request_headers_to_remove", str(ok))
    check(headers_of(ok.response_headers_to_add) == [("x-checked", "yes")], "allow: response_headers_to_add", str(ok))
    check(sorted((q.key, q.value) for q in ok.query_parameters_to_set) == [("tag", "x"), ("tag", "y"), ("tenant", "t1")],
          "allow: query_parameters_to_set", str(ok))
    check(list(ok.query_parameters_to_remove) == ["debug"], "allow: query_parameters_to_remove", str(ok))
    md = resp.dynamic_metadata.fields
    check(md["user"].string_value == "alice" and md["level"].number_value == 3 and "decision_id" in md,
          "allow: dynamic_metadata with decision_id", str(resp.dynamic_metadata))

    # bodies
    resp = call(ch, request("/x", "POST", {"content-type": "application/json"}, '{"user": "alice"}'))
    check(resp.status.code == 0, "JSON body parsed (parsed_body)", str(resp))
    resp = call(ch, request("/x", "POST", {"content-type": "application/x-www-form-urlencoded"}, "user=bob&z=1"))
    check(resp.status.code == 0, "form body parsed (parsed_body)", str(resp))

    # malformed requests: OPA-Envoy's request_parse_error -- denied with 400, not an RPC error
    resp = call(ch, request("/x", "POST", {"content-type": "application/json"}, '{"user": '))
    check(resp.status.code == 7 and resp.denied_response.status.code == 400 and
          resp.status.message.startswith("request_parse_error:"), "malformed JSON body: denied 400", str(resp))
    resp = call(ch, request("/public/x?a=%zz"))
    check(resp.status.code == 7 and resp.denied_response.status.code == 400 and "invalid URL escape" in resp.status.message,
          "bad query escape: denied 400", str(resp))
    err = rpc_error(ch, request("/public/x", "POST", {"content-type": "text/plain"}, "x" * 100000))
    check(err is not None and err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED,
          "oversized CheckRequest: RESOURCE_EXHAUSTED", str(err and err.code()))
    # compressed: 100 KB of body in a few hundred gzip bytes -- the limit applies decompressed
    stub = ch.unary_unary(CHECK, request_serializer=ext.CheckRequest.SerializeToString,
                          response_deserializer=ext.CheckResponse.FromString)
    try:
        stub(request("/public/x", "POST", {"content-type": "text/plain"}, "a" * 100000),
             timeout=5 * SLOW, compression=grpc.Compression.Gzip)
        check(False, "gzip-compressed oversized CheckRequest: RESOURCE_EXHAUSTED")
    except grpc.RpcError as e:
        check(e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, "gzip-compressed oversized CheckRequest: RESOURCE_EXHAUSTED",
              str(e.code()))
    # deep JSON body (within the size limit): a parse error, denied 400, quickly
    t0 = time.time()
    resp = call(ch, request("/x", "POST", {"content-type": "application/json"}, "[" * 20000 + "]" * 20000))
    check(resp.status.code == 7 and resp.denied_response.status.code == 400 and time.time() - t0 < 2 * SLOW,
          "20000-deep JSON body: denied 400", str(resp.status))
    # deeply nested metadata (protobuf's own recursion limit applies when decoding)
    deep = request("/public/x")
    s = deep.attributes.metadata_context.filter_metadata["f"]
    for _ in range(30):
        s = s.fields["k"].struct_value
    check(call(ch, deep).status.code == 0, "30-deep metadata Struct: answered")
    deeper = ext.CheckRequest()
    deeper.CopyFrom(deep)
    s = deeper.attributes.metadata_context.filter_metadata["f"]
    for _ in range(200):
        s = s.fields["k"].struct_value
    try:
        call(ch, deeper)
        check(False, "200-deep metadata Struct: an RPC error")
    except grpc.RpcError as e:
        check(e.code() != grpc.StatusCode.OK, "200-deep metadata Struct: an RPC error (decoder's recursion limit)",
              str(e.code()))
    # a multipart body of 20000 parts: parsed in time
    mp = "".join(f"--B\r\nContent-Disposition: form-data; name=\"f{i % 50}\"\r\n\r\nv\r\n" for i in range(20000)) + "--B--\r\n"
    t0 = time.time()
    resp = call(ch, request("/x", "POST", {"content-type": "multipart/form-data; boundary=B"}, mp[:60000]))
    check(time.time() - t0 < 2 * SLOW and resp.status.code in (0, 7), "multipart body with thousands of parts: answered",
          str(resp.status))
    try:
        ch.unary_unary(CHECK)(b"\x0a\xff\xff\xff\x7f", timeout=5 * SLOW)
        check(False, "undecodable CheckRequest: an RPC error")
    except grpc.RpcError as e:
        check(e.code() != grpc.StatusCode.OK, "undecodable CheckRequest: an RPC error", str(e.code()))

    # evaluation errors are RPC errors (never an allow), as OPA-Envoy
    err = rpc_error(ch, request("/conflict"))
    check(err is not None and err.code() == grpc.StatusCode.UNKNOWN and "conflict" in err.details(),
          "evaluation error: UNKNOWN with the error", str(err and (err.code(), err.details())))
    err = rpc_error(ch, request("/illegal"))
    check(err is not None and err.code() == grpc.StatusCode.UNKNOWN and
          "illegal value for policy evaluation result: string" in err.details(), "illegal decision: UNKNOWN",
          str(err and err.details()))

    # the server keeps serving
    check(call(ch, request("/public/again")).status.code == 0, "still serving after errors")

    # health checking (grpc.health.v1.Health/Check: empty request; SERVING is status 1)
    health = ch.unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=5 * SLOW)
    check(health == b"\x08\x01", "health check: SERVING", repr(health))
    service = b"envoy.service.auth.v3.Authorization"
    health = ch.unary_unary("/grpc.health.v1.Health/Check")(b"\x0a" + bytes([len(service)]) + service,
                                                             timeout=5 * SLOW)
    check(health == b"\x08\x01", "health check of the Authorization service: SERVING", repr(health))

    # reflection lists the service (ServerReflectionRequest{list_services: ""})
    replies = ch.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")(
        iter([b"\x3a\x00"]), timeout=5 * SLOW)
    listed = b"".join(replies)
    check(b"envoy.service.auth.v3.Authorization" in listed, "reflection lists the Authorization service", repr(listed[:200]))

    # the decision log and /metrics cover gRPC checks
    time.sleep(0.5 * SLOW)
    entries = [json.loads(line) for line in open(dlog) if line.strip()]
    first = next((e for e in entries if e.get("decision_id") == decision_id), None)
    check(first is not None and first.get("result") is True and
          first["input"]["attributes"]["request"]["http"]["id"] == "req-1", "decision log entry with the request id",
          str(entries[:1]))
    check(first is not None and first["input"]["attributes"]["source"]["address"]["socketAddress"]["portValue"] == 52000
          and first["input"]["version"] == {"encoding": "protojson", "ext_authz": "v3"} and
          first["input"]["parsed_path"] == ["public", "index.html"],
          "input: attributes in JSON names, parsed_path, version", str(first and first["input"]))
    check(any("conflict" in (e.get("error") or "") if isinstance(e.get("error"), str) else
              "conflict" in json.dumps(e.get("error", "")) for e in entries), "decision log records the error")
    status, metrics, _ = srv.request("GET", "/metrics")
    check('route="authz_grpc"' in metrics or "authz_grpc" in metrics, "metrics count gRPC decisions",
          metrics[:300])

    # a policy reload during a stream of checks: no call fails, the new policy takes over
    failures, results, stop = [], [], threading.Event()

    def stream():
        c = grpc.insecure_channel(f"127.0.0.1:{gport}")
        while not stop.is_set():
            try:
                results.append(call(c, request("/reload-me")).status.code)
            except grpc.RpcError as e:
                failures.append(e.code())
    threads = [threading.Thread(target=stream) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5 * SLOW)
    with open(os.path.join(policy_dir, "authz.rego"), "w") as f:
        f.write(POLICY + '\nallow := true if input.parsed_path[0] == "reload-me"\n')
    deadline = time.time() + 10 * SLOW
    while time.time() < deadline and (not results or results[-1] != 0):
        time.sleep(0.1)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    check(not failures, "reload during a stream of checks: no failed call", str(failures[:5]))
    check(7 in results and results[-1] == 0, "reload: denied before, allowed after", str(results[:3] + results[-3:]))
finally:
    code = srv.stop()
check(code == 0, "server stops cleanly on SIGTERM", srv.output()[-500:])

# ---- dry-run: denials become allows (the log keeps the real decision) ----
gport = free_port()
srv = Server(BIN, ["--authz-grpc-addr", f"127.0.0.1:{gport}", "--authz-grpc-dry-run", policy_dir])
try:
    ch = grpc.insecure_channel(f"127.0.0.1:{gport}")
    resp = call(ch, request("/login"))
    check(resp.status.code == 0 and not resp.denied_response.body, "dry-run: a denial is allowed", str(resp))
    check(rpc_error(ch, request("/conflict")) is not None, "dry-run: an error stays an error")
finally:
    srv.stop()

# ---- TLS and mutual TLS on the authorization listener only ----
certs = make_certs(tempfile.mkdtemp(prefix="wartburg-grpc-certs-"))
read = lambda name: open(certs[name], "rb").read()  # noqa: E731
for mutual in (False, True):
    gport = free_port()
    args = ["--authz-grpc-addr", f"127.0.0.1:{gport}", "--authz-tls-cert-file", certs["server.crt"],
            "--authz-tls-private-key-file", certs["server.key"], policy_dir]
    if mutual:
        args[-1:-1] = ["--authz-tls-ca-cert-file", certs["ca.crt"]]
    srv = Server(BIN, args)  # the REST API stays plain HTTP: the authz TLS settings are its own
    try:
        what = "mTLS" if mutual else "TLS"
        creds = grpc.ssl_channel_credentials(read("ca.crt"), read("client.key"), read("client.crt"))
        ch = grpc.secure_channel(f"127.0.0.1:{gport}", creds)
        check(call(ch, request("/public/x")).status.code == 0, f"{what}: check over TLS")
        plain = grpc.insecure_channel(f"127.0.0.1:{gport}")
        check(rpc_error(plain, request("/public/x")) is not None, f"{what}: a cleartext client is refused")
        if mutual:
            nocert = grpc.secure_channel(f"127.0.0.1:{gport}", grpc.ssl_channel_credentials(read("ca.crt")))
            check(rpc_error(nocert, request("/public/x")) is not None, "mTLS: a client without certificate is refused")
    finally:
        srv.stop()

# ---- OPA-Envoy's configuration spelling, on a unix socket ----
sock = os.path.join(WORK, "authz.sock")
cfg = os.path.join(WORK, "config.yaml")
with open(cfg, "w") as f:
    f.write(f"""plugins:
  envoy_ext_authz_grpc:
    addr: unix://{sock}
    path: envoy/authz/allow
    dry-run: false
    enable-reflection: false
    skip-request-body-parse: true
    grpc-max-recv-msg-size: 1048576
""")
srv = Server(BIN, ["--config-file", cfg, policy_dir])
try:
    ch = grpc.insecure_channel(f"unix://{sock}")
    check(call(ch, request("/public/x")).status.code == 0, "plugins.envoy_ext_authz_grpc on a unix socket: allow")
    check(call(ch, request("/private")).status.code == 7, "plugins.envoy_ext_authz_grpc on a unix socket: deny")
finally:
    srv.stop()
with open(cfg, "w") as f:
    f.write("plugins:\n  envoy_ext_authz_grpc:\n    addr: :0\n    query: data.x.allow\n")
p = subprocess.run([BIN, "run", "--server", "--addr", f"127.0.0.1:{free_port()}", "--config-file", cfg, policy_dir],
                   capture_output=True, text=True, timeout=30)
check(p.returncode != 0 and "plugins.envoy_ext_authz_grpc.query is not supported" in p.stderr,
      "an unsupported plugin key is a clear error", p.stderr[-300:])

# ---- a listener that cannot start is a clear error ----
busy = free_port()
import socket  # noqa: E402
s = socket.socket()
s.bind(("127.0.0.1", busy))
s.listen(1)
p = subprocess.run([BIN, "run", "--server", "--addr", f"127.0.0.1:{free_port()}", "--authz-grpc-addr",
                    f"127.0.0.1:{busy}", policy_dir], capture_output=True, text=True, timeout=30)
check(p.returncode != 0 and "authz gRPC listener: cannot listen on" in p.stderr, "busy gRPC port: clear error",
      p.stderr[-300:])
s.close()
finish()
