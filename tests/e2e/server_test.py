"""End-to-end test of `wartburg run --server`: the real binary on loopback
ports, driven over HTTP(S) as clients drive OPA — Data/Policy/Query API,
health and metrics, the admission webhook over HTTPS, the authorization
endpoint, token authentication, mutual TLS, and bad requests.

usage: server_test.py WARTBURG REPO_ROOT"""

import base64
import json
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import Server, check, finish, make_certs, tls_client_context  # noqa: E402

BIN = sys.argv[1]
ROOT = sys.argv[2]

ADMISSION = """package kubernetes.admission

deny contains msg if {
	some c in input.object.spec.containers
	c.securityContext.privileged
	msg := sprintf("container %s must not be privileged", [c.name])
}

deny contains msg if {
	some c in input.object.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("container %s uses the latest tag", [c.name])
}

warn contains "no owner label" if not input.object.metadata.labels.owner

patch contains {"op": "add", "path": "/metadata/labels/managed-by", "value": "wartburg"} if {
	not input.object.metadata.labels["managed-by"]
}
"""

API = """package envoy.authz

default allow := false

allow if input.attributes.request.http.method == "GET"

allow if {
	input.attributes.request.http.method == "POST"
	input.parsed_path == ["admin", "reload"]
	input.attributes.request.http.headers["x-role"] == "admin"
}
"""

EXAMPLE = """package example

default allow := false

allow if input.user == "admin"
"""


def review(uid, containers, labels=None):
    return {
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "operation": "CREATE",
                    "object": {"metadata": {"name": "p", "labels": labels or {}},
                               "spec": {"containers": containers}}},
    }


def test_rest_api(srv):
    status, body = srv.json("POST", "/v1/data/example/allow", {"input": {"user": "admin"}})
    check(status == 200 and body == {"result": True}, "Data API decision", f"{status} {body}")
    status, body = srv.json("POST", "/v1/data/example/allow", {"input": {"user": "bob"}})
    check(status == 200 and body == {"result": False}, "Data API deny decision", f"{status} {body}")
    status, body = srv.json("GET", "/v1/data/example/nothing")
    check(status == 200 and body == {}, "undefined document is {}", f"{status} {body}")

    status, body = srv.json("PUT", "/v1/policies/new", "package extra\n\nanswer := 42\n",
                            {"Content-Type": "text/plain"})
    check(status == 200, "PUT a policy", f"{status} {body}")
    status, body = srv.json("GET", "/v1/data/extra/answer")
    check(status == 200 and body == {"result": 42}, "decision from the PUT policy", f"{status} {body}")

    status, body = srv.json("PUT", "/v1/policies/broken", "package broken\n\nx := if {\n",
                            {"Content-Type": "text/plain"})
    errors = body.get("errors", []) if isinstance(body, dict) else []
    check(status == 400 and body.get("code") == "invalid_parameter" and errors
          and errors[0].get("code") == "rego_parse_error" and errors[0].get("location", {}).get("row"),
          "PUT a broken policy gives 400 with its errors", f"{status} {body}")
    status, body = srv.json("GET", "/v1/data/extra/answer")
    check(status == 200 and body == {"result": 42}, "broken policy left the old ones active")

    status, body = srv.json("PUT", "/v1/data/users", {"alice": {"role": "admin"}})
    check(status == 204, "PUT data", f"{status} {body}")
    status, body = srv.json("GET", "/v1/data/users/alice/role")
    check(status == 200 and body == {"result": "admin"}, "read back data", f"{status} {body}")

    status, body = srv.json("POST", "/v1/query", {"query": "x := data.extra.answer + 1"})
    check(status == 200 and body.get("result") == [{"x": 43}], "Query API", f"{status} {body}")

    status, body = srv.json("POST", "/v1/data/example/allow", "{not json",
                            {"Content-Type": "application/json"})
    check(status == 400 and isinstance(body, dict) and body.get("code") == "invalid_parameter",
          "malformed JSON gives 400 invalid_parameter", f"{status} {body}")
    status, body = srv.json("GET", "/v2/nothing/here")
    check(status == 404, "unknown path gives 404", f"{status} {body}")
    status, _, _ = srv.request("POST", "/v1/data/example/allow", body="x" * (5 << 20))
    check(status == 413, "oversized body gives 413", f"{status}")

    status, text, _ = srv.request("GET", "/health")
    check(status == 200, "GET /health", f"{status} {text}")
    status, text, _ = srv.request("GET", "/metrics")
    check(status == 200 and "http_request_duration_seconds" in text and "wartburg_decisions_total" in text,
          "GET /metrics in Prometheus format", text[:200])


def test_slow_client(srv):
    # a client that sends half a request must not stop the server from serving others
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"POST /v1/data/example/allow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"in")
    status, body = srv.json("POST", "/v1/data/example/allow", {"input": {"user": "admin"}})
    check(status == 200 and body == {"result": True}, "served while another client is slow")
    s.close()


def test_authz(srv):
    status, _, _ = srv.request("GET", "/orders/1", port=srv.authz_port)
    check(status == 200, "ext_authz allows GET", f"{status}")
    status, _, _ = srv.request("DELETE", "/orders/1", port=srv.authz_port)
    check(status == 403, "ext_authz denies DELETE", f"{status}")
    # no proxy configured: forwarding headers a client adds are not read
    status, _, _ = srv.request("DELETE", "/orders/1", port=srv.authz_port,
                               headers={"X-Original-Method": "GET", "X-Original-URI": "/health",
                                        "X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/health"})
    check(status == 403, "spoofed forwarding headers are ignored by default", f"{status}")


def test_authz_nginx(policy_dir):
    srv = Server(BIN, ["--authz-forwarded-headers", "nginx", policy_dir])
    try:
        status, _, _ = srv.request("GET", "/auth", port=srv.authz_port,
                                   headers={"X-Original-Method": "POST", "X-Original-URI": "/admin/reload",
                                            "X-Role": "admin"})
        check(status == 200, "nginx auth_request headers: original method and URI", f"{status}")
        status, _, _ = srv.request("GET", "/auth", port=srv.authz_port,
                                   headers={"X-Original-Method": "POST", "X-Original-URI": "/admin/reload"})
        check(status == 403, "nginx auth_request denied without the role", f"{status}")
        # Traefik's headers mean nothing when nginx is named
        status, _, _ = srv.request("GET", "/auth", port=srv.authz_port,
                                   headers={"X-Original-Method": "DELETE", "X-Original-URI": "/orders/1",
                                            "X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/orders/1"})
        check(status == 403, "X-Forwarded-* cannot override nginx's X-Original-*", f"{status}")
        status, _, _ = srv.request("GET", "/orders/1", port=srv.authz_port)
        check(status == 403, "nginx named but its headers missing: denied", f"{status}")
    finally:
        srv.stop()


def test_admission_https(certs, policy_dir):
    srv = Server(BIN, ["--tls-cert-file", certs["server.crt"], "--tls-private-key-file", certs["server.key"],
                       policy_dir], tls_context=tls_client_context(certs))
    try:
        status, body = srv.json("POST", "/v1/admit", review("uid-1", [
            {"name": "a", "image": "nginx:latest", "securityContext": {"privileged": True}}]))
        resp = body.get("response", {}) if isinstance(body, dict) else {}
        msg = resp.get("status", {}).get("message", "")
        check(status == 200 and resp.get("uid") == "uid-1" and resp.get("allowed") is False
              and "must not be privileged" in msg and "latest tag" in msg
              and resp.get("status", {}).get("code") == 403,
              "AdmissionReview denied over HTTPS with all messages", f"{status} {body}")
        status, body = srv.json("POST", "/v1/admit", review("uid-2", [{"name": "b", "image": "nginx:1.25"}],
                                                             {"owner": "team"}))
        resp = body.get("response", {}) if isinstance(body, dict) else {}
        patch = json.loads(base64.b64decode(resp.get("patch", "W10="))) if resp.get("patch") else []
        check(status == 200 and resp.get("allowed") is True and resp.get("patchType") == "JSONPatch"
              and patch and patch[0].get("path") == "/metadata/labels/managed-by",
              "AdmissionReview allowed with a JSONPatch", f"{status} {body}")
    finally:
        srv.stop()


def test_mtls(certs, policy_dir):
    srv = Server(BIN, ["--tls-cert-file", certs["server.crt"], "--tls-private-key-file", certs["server.key"],
                       "--tls-ca-cert-file", certs["ca.crt"], policy_dir],
                 tls_context=tls_client_context(certs, with_client_cert=True))
    try:
        status, _, _ = srv.request("GET", "/health")
        check(status == 200, "mTLS client with a certificate is served", f"{status}")
        rejected = False
        try:
            srv.request("GET", "/health", context=tls_client_context(certs), timeout=5)
        except Exception:  # handshake failure or reset
            rejected = True
        check(rejected, "mTLS client without a certificate is rejected")
    finally:
        srv.stop()


def test_token_auth(policy_dir):
    authz_dir = tempfile.mkdtemp(prefix="wartburg-authz-")
    with open(os.path.join(authz_dir, "authz.rego"), "w") as f:
        f.write('package system.authz\n\ndefault allow := false\n\nallow if input.identity == "s3cret"\n\n'
                '# anonymous health checks, as in OPA\'s documentation\n'
                'allow if {\n\tinput.path == ["health"]\n\tinput.method == "GET"\n}\n')
    srv = Server(BIN, ["--authentication=token", "--authorization=basic", policy_dir, authz_dir],
                 ready_path="/health")
    try:
        status, _ = srv.json("GET", "/health")
        check(status == 200, "anonymous /health reaches system.authz and is allowed", f"{status}")
        for value in ("Bearer   s3cret", "Bearer\ts3cret"):
            status, _ = srv.json("GET", "/v1/data/example/allow", headers={"Authorization": value})
            check(status == 200, f"bearer parsed as OPA does: {value!r}", f"{status}")
        status, _ = srv.json("POST", "/v1/data/example/allow", "{" * 100000,
                             headers={"Authorization": "Bearer wrong", "Content-Type": "application/json"})
        check(status in (400, 401), "hostile body with a wrong token is answered", f"{status}")
        status, _ = srv.json("GET", "/health")
        check(status == 200, "still serving after the hostile body", f"{status}")
        status, _ = srv.json("GET", "/v1/data/example/allow")
        check(status == 401, "401 without a token", f"{status}")
        status, _ = srv.json("GET", "/v1/data/example/allow", headers={"Authorization": "Bearer wrong"})
        check(status == 401, "401 with an invalid token", f"{status}")
        status, body = srv.json("POST", "/v1/data/example/allow", {"input": {"user": "admin"}},
                                headers={"Authorization": "Bearer s3cret"})
        check(status == 200 and body == {"result": True}, "200 with a valid token", f"{status} {body}")
    finally:
        srv.stop()


def main():
    work = tempfile.mkdtemp(prefix="wartburg-e2e-")
    policy_dir = os.path.join(work, "policies")
    os.makedirs(policy_dir)
    for name, text in (("admission.rego", ADMISSION), ("api.rego", API), ("example.rego", EXAMPLE)):
        with open(os.path.join(policy_dir, name), "w") as f:
            f.write(text)
    srv = Server(BIN, [policy_dir])
    try:
        test_rest_api(srv)
        test_slow_client(srv)
        test_authz(srv)
        code = srv.stop()
        check(code == 0, "SIGTERM stops the server cleanly", f"exit {code}")
    finally:
        srv.stop()
    certs = make_certs(work)
    test_authz_nginx(policy_dir)
    test_admission_https(certs, policy_dir)
    test_mtls(certs, policy_dir)
    test_token_auth(policy_dir)
    finish()


if __name__ == "__main__":
    start = time.time()
    main()
    print(f"took {time.time() - start:.1f}s")
