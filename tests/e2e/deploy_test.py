"""Every policy and configuration shipped in deploy/, exercised the way a
cluster uses them: the policies are extracted from their ConfigMaps, the
real binary is started with the Deployment's own arguments (addresses, cert
and policy paths mapped to this machine), and sample requests go to the
paths the webhook configurations and proxies use.

- webhook/: AdmissionReviews for CREATE, UPDATE and DELETE of Pods and
  workloads over HTTPS to the mutating and the validating path (a
  privileged Pod is denied, the validating path and DELETE never get a
  patch, a patch keeps existing labels and applies to the object).
- sidecar/: the API policy with its data (the placeholder key replaced by a
  test key) through the authorization port as Envoy's ext_authz sends
  requests, and through a real nginx running the shipped nginx.conf.

usage: deploy_test.py WARTBURG REPO_ROOT"""

import base64
import http.client
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import Server, check, finish, free_port, make_certs, tls_client_context  # noqa: E402

BIN = sys.argv[1]
ROOT = sys.argv[2]
DEPLOY = os.path.join(ROOT, "deploy")


def load_docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def find(docs, kind, name=None):
    for d in docs:
        if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name):
            return d
    raise KeyError(f"{kind} {name} not found")


def container(deployment, name):
    for c in deployment["spec"]["template"]["spec"]["containers"]:
        if c["name"] == name:
            return c
    raise KeyError(name)


def materialize_mounts(deployment, cname, configmaps, root):
    """Writes the ConfigMap keys mounted with subPath into `root`, as the kubelet would."""
    spec = deployment["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mapping = {}
    for m in container(deployment, cname).get("volumeMounts", []):
        vol = volumes[m["name"]]
        if "configMap" in vol and "subPath" in m:
            data = configmaps[vol["configMap"]["name"]]["data"]
            target = os.path.join(root, m["mountPath"].lstrip("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w") as f:
                f.write(data[m["subPath"]])
            mapping[os.path.dirname(m["mountPath"])] = os.path.dirname(target)
    return mapping


def rewrite_args(args, replacements):
    out = []
    for a in args:
        out.append(replacements.get(a, a))
    return out


# ---------------------------------------------------------------- webhook

def pod(name, containers, labels=None, **spec):
    meta = {"name": name, "namespace": "demo"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": dict(containers=containers, **spec)}


def deployment_obj(name, containers, labels=None):
    meta = {"name": name, "namespace": "demo"}
    if labels is not None:
        meta["labels"] = labels
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
            "spec": {"template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": containers}}}}


def review(uid, kind, group, operation, obj, old=None):
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": uid, "kind": {"group": group, "version": "v1", "kind": kind},
                        "resource": {"group": group, "version": "v1", "resource": kind.lower() + "s"},
                        "namespace": "demo", "operation": operation, "userInfo": {"username": "tester"},
                        "object": obj, "oldObject": old, "dryRun": False}}


def apply_patch(obj, ops):
    """The JSON Patch subset the policy uses ("add"), applied as the API server would."""
    obj = json.loads(json.dumps(obj))
    for op in ops:
        assert op["op"] == "add", op
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        target = obj
        for p in parts[:-1]:
            target = target[p]
        target[parts[-1]] = op["value"]
    return obj


GOOD = {"name": "app", "image": "registry.example.com/app:1.2.3",
        "resources": {"limits": {"memory": "64Mi"}}, "securityContext": {"allowPrivilegeEscalation": False}}
PRIVILEGED = dict(GOOD, name="root", securityContext={"privileged": True, "allowPrivilegeEscalation": False})
LATEST = dict(GOOD, name="web", image="nginx:latest")


def admit(srv, path, rev):
    status, body = srv.json("POST", path, rev, {"Content-Type": "application/json"})
    resp = body.get("response", {}) if isinstance(body, dict) else {}
    ok = status == 200 and resp.get("uid") == rev["request"]["uid"]
    return ok, resp, (status, body)


def test_webhook(work, certs):
    wh = os.path.join(DEPLOY, "webhook")
    cm = find(load_docs(os.path.join(wh, "policy-configmap.yaml")), "ConfigMap")
    dep = find(load_docs(os.path.join(wh, "deployment.yaml")), "Deployment")
    validating = find(load_docs(os.path.join(wh, "validating-webhook.yaml")), "ValidatingWebhookConfiguration")
    mutating = find(load_docs(os.path.join(wh, "mutating-webhook.yaml")), "MutatingWebhookConfiguration")
    vpath = validating["webhooks"][0]["clientConfig"]["service"]["path"]
    mpath = mutating["webhooks"][0]["clientConfig"]["service"]["path"]
    check(vpath != mpath, "validating and mutating webhooks call different paths", f"{vpath} {mpath}")
    for conf in (validating, mutating):
        check(conf["webhooks"][0]["clientConfig"]["service"]["name"] == "wartburg-webhook",
              f"{conf['metadata']['name']} calls the shipped Service")

    root = os.path.join(work, "webhook-pod")
    mounts = materialize_mounts(dep, "wartburg", {cm["metadata"]["name"]: cm}, root)
    c = container(dep, "wartburg")
    port = free_port()
    args = list(c["args"])
    addr_i = args.index("--addr") + 1
    check(args[addr_i].endswith(":8443"), "the Deployment serves on :8443", args[addr_i])
    args[addr_i] = f"127.0.0.1:{port}"
    repl = {"/certs/tls.crt": certs["server.crt"], "/certs/tls.key": certs["server.key"]}
    repl.update(mounts)
    args = rewrite_args(args, repl)
    srv = Server(BIN, args, tls_context=tls_client_context(certs), raw_args=True, port=port)
    try:
        probe = c["readinessProbe"]["httpGet"]["path"]
        status, _, _ = srv.request("GET", probe)
        check(status == 200, f"readiness probe {probe} over HTTPS", f"{status}")

        # CREATE a privileged Pod: denied on both paths, with no patch
        for path in (mpath, vpath):
            ok, resp, raw = admit(srv, path, review("u1", "Pod", "", "CREATE", pod("p", [PRIVILEGED], {"team": "a"})))
            check(ok and resp.get("allowed") is False and "must not run privileged" in resp["status"]["message"]
                  and "patch" not in resp, f"privileged Pod denied on {path}", f"{raw}")
        # CREATE with an unpinned image and host networking
        ok, resp, raw = admit(srv, vpath, review("u2", "Pod", "", "CREATE",
                                                 pod("p", [LATEST], {"team": "a"}, hostNetwork=True)))
        msg = resp.get("status", {}).get("message", "")
        check(ok and resp.get("allowed") is False and "without a pinned tag" in msg and "hostNetwork" in msg,
              "latest tag and hostNetwork denied", f"{raw}")

        # CREATE a good Pod with other labels: the mutating path adds only the team label
        obj = pod("p", [GOOD], {"app": "shop"})
        ok, resp, raw = admit(srv, mpath, review("u3", "Pod", "", "CREATE", obj))
        ops = json.loads(base64.b64decode(resp["patch"])) if resp.get("patch") else []
        patched = apply_patch(obj, ops) if ops else obj
        check(ok and resp.get("allowed") is True and resp.get("patchType") == "JSONPatch"
              and patched["metadata"]["labels"] == {"app": "shop", "team": "unassigned"},
              "mutating path adds the team label and keeps the others", f"{raw}")
        check(not resp.get("warnings"), "a compliant Pod gets no warnings", f"{resp.get('warnings')}")
        # the validating call sees the patched object: no patch, allowed
        ok, resp, raw = admit(srv, vpath, review("u4", "Pod", "", "CREATE", patched))
        check(ok and resp.get("allowed") is True and "patch" not in resp, "validating path: allowed, no patch",
              f"{raw}")
        # even for an unpatched object the validating path never answers a patch
        ok, resp, raw = admit(srv, vpath, review("u5", "Pod", "", "CREATE", pod("p", [GOOD])))
        check(ok and resp.get("allowed") is True and "patch" not in resp and "patchType" not in resp,
              "validating path never carries a patch", f"{raw}")
        # a Pod without labels: the patch creates the labels map
        obj = pod("p", [GOOD])
        ok, resp, raw = admit(srv, mpath, review("u6", "Pod", "", "CREATE", obj))
        ops = json.loads(base64.b64decode(resp["patch"])) if resp.get("patch") else []
        check(ok and ops and apply_patch(obj, ops)["metadata"]["labels"] == {"team": "unassigned"},
              "labels created when there are none", f"{raw}")

        # UPDATE of a Deployment whose template runs privileged: denied
        ok, resp, raw = admit(srv, mpath, review("u7", "Deployment", "apps", "UPDATE",
                                                 deployment_obj("d", [PRIVILEGED], {"team": "x"}),
                                                 deployment_obj("d", [GOOD], {"team": "x"})))
        check(ok and resp.get("allowed") is False and "privileged" in resp["status"]["message"],
              "UPDATE of a privileged Deployment denied", f"{raw}")
        # UPDATE that already has the label: allowed, nothing to patch
        ok, resp, raw = admit(srv, mpath, review("u8", "Deployment", "apps", "UPDATE",
                                                 deployment_obj("d", [GOOD], {"team": "x"}),
                                                 deployment_obj("d", [GOOD], {"team": "x"})))
        check(ok and resp.get("allowed") is True and "patch" not in resp, "compliant UPDATE: allowed, no patch",
              f"{raw}")
        # CronJob with a latest image: denied
        cron = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c", "labels": {"team": "x"}},
                "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [LATEST]}}}}}}
        ok, resp, raw = admit(srv, vpath, review("u9", "CronJob", "batch", "CREATE", cron))
        check(ok and resp.get("allowed") is False, "CronJob with :latest denied", f"{raw}")

        # DELETE of a privileged Pod: allowed (nothing is created), never a patch
        for path in (mpath, vpath):
            ok, resp, raw = admit(srv, path, review("u10", "Pod", "", "DELETE", None, pod("p", [PRIVILEGED])))
            check(ok and resp.get("allowed") is True and "patch" not in resp and not resp.get("warnings"),
                  f"DELETE allowed without patch on {path}", f"{raw}")

        # the rules only send what the policy handles
        for conf in (validating, mutating):
            ops = {op for r in conf["webhooks"][0]["rules"] for op in r["operations"]}
            check(ops <= {"CREATE", "UPDATE", "DELETE"}, f"{conf['metadata']['name']} operations", f"{ops}")
    finally:
        code = srv.stop()
        check(code == 0, "webhook server stops cleanly", f"exit {code}: {srv.output()[-500:]}")


# ---------------------------------------------------------------- sidecar

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(key_file, claims):
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file], input=signing_input,
                         capture_output=True, check=True).stdout
    return f"{header}.{payload}.{b64url(sig)}"


def sidecar_setup(work, which):
    sc = os.path.join(DEPLOY, "sidecar")
    cm = find(load_docs(os.path.join(sc, "policy-configmap.yaml")), "ConfigMap")
    dep = find(load_docs(os.path.join(sc, f"{which}-deployment.yaml")), "Deployment")
    keys = os.path.join(work, "keys")
    os.makedirs(keys, exist_ok=True)
    key = os.path.join(keys, "issuer.key")
    if not os.path.exists(key):
        for k in ("issuer", "rogue"):
            subprocess.run(["openssl", "genrsa", "-out", os.path.join(keys, f"{k}.key"), "2048"],
                           check=True, capture_output=True)
            subprocess.run(["openssl", "rsa", "-in", os.path.join(keys, f"{k}.key"), "-pubout",
                            "-out", os.path.join(keys, f"{k}.pub")], check=True, capture_output=True)
    data = yaml.safe_load(cm["data"]["data.yaml"])
    check("REPLACE-ME" in data["api"]["jwt"]["public_key"], "the shipped data has the key placeholder")
    with open(os.path.join(keys, "issuer.pub")) as f:
        data["api"]["jwt"]["public_key"] = f.read()
    cm = json.loads(json.dumps(cm))
    cm["data"]["data.yaml"] = yaml.safe_dump(data)
    root = os.path.join(work, f"{which}-pod")
    mounts = materialize_mounts(dep, "wartburg", {cm["metadata"]["name"]: cm}, root)
    c = container(dep, "wartburg")
    port, authz_port = free_port(), free_port()
    args = rewrite_args(c["args"], {"127.0.0.1:8181": f"127.0.0.1:{port}",
                                    "127.0.0.1:9191": f"127.0.0.1:{authz_port}", **mounts})
    check(f"127.0.0.1:{authz_port}" in args and f"127.0.0.1:{port}" in args,
          f"{which} Deployment listens on loopback 8181/9191", f"{c['args']}")
    i = args.index("--authz-forwarded-headers") if "--authz-forwarded-headers" in args else -1
    check(i >= 0 and args[i + 1] == which, f"{which} Deployment names its proxy", f"{args}")
    srv = Server(BIN, args, raw_args=True, port=port, authz_port=authz_port)
    return srv, data, keys


def tokens(data, keys):
    iss, aud = data["api"]["jwt"]["issuer"], data["api"]["jwt"]["audience"]
    now = int(time.time())
    good = lambda sub: make_jwt(os.path.join(keys, "issuer.key"),  # noqa: E731
                                {"sub": sub, "iss": iss, "aud": aud, "iat": now, "exp": now + 600})
    return {
        "alice": good("alice"), "bob": good("bob"), "carol": good("carol"),
        "expired": make_jwt(os.path.join(keys, "issuer.key"),
                            {"sub": "alice", "iss": iss, "aud": aud, "iat": now - 7200, "exp": now - 3600}),
        "rogue": make_jwt(os.path.join(keys, "rogue.key"), {"sub": "alice", "iss": iss, "aud": aud, "exp": now + 600}),
        "wrong_aud": make_jwt(os.path.join(keys, "issuer.key"), {"sub": "alice", "iss": iss, "aud": "other",
                                                                   "exp": now + 600}),
    }


# (method, path, token, expected status) as a client sends them
CASES = [
    ("GET", "/healthz", None, 200),
    ("GET", "/public/docs/index.html", None, 200),
    ("POST", "/public/x", None, 403),
    ("GET", "/api/orders", None, 403),
    ("GET", "/api/orders", "bob", 200),
    ("POST", "/api/orders", "bob", 200),
    ("PUT", "/api/orders/7", "bob", 200),
    ("DELETE", "/api/orders/7", "bob", 403),
    ("DELETE", "/api/orders/7", "alice", 200),
    ("GET", "/api/orders?page=2", "carol", 200),
    ("POST", "/api/orders", "carol", 403),
    ("GET", "/api/orders", "expired", 403),
    ("GET", "/api/orders", "rogue", 403),
    ("GET", "/api/orders", "wrong_aud", 403),
]

# paths that must never pass as public
TRAVERSAL = ["/public/../api/orders", "/public/%2e%2e/api/orders", "/public/..%2fapi/orders", "/public//x",
             "/public/./x"]


def test_envoy_config():
    """Envoy is not installed here: check the shipped envoy.yaml for what the
    envoy mode of the authorization port relies on."""
    cm = find(load_docs(os.path.join(DEPLOY, "sidecar", "envoy-configmap.yaml")), "ConfigMap")
    conf = yaml.safe_load(cm["data"]["envoy.yaml"])
    listeners = {l["name"]: l for l in conf["static_resources"]["listeners"]}
    hcm = listeners["api"]["filter_chains"][0]["filters"][0]["typed_config"]
    check(hcm.get("use_remote_address") is True, "envoy appends the client address (use_remote_address)")
    check(hcm.get("normalize_path") is True and hcm.get("merge_slashes") is True
          and hcm.get("path_with_escaped_slashes_action") == "REJECT_REQUEST", "envoy normalizes paths")
    filters = [f["name"] for f in hcm["http_filters"]]
    check(filters[0] == "envoy.filters.http.ext_authz" and filters[-1] == "envoy.filters.http.router",
          "ext_authz runs before the router", f"{filters}")
    authz = hcm["http_filters"][0]["typed_config"]
    check(authz["failure_mode_allow"] is False, "envoy fails closed when wartburg is down")
    check(authz["http_service"]["server_uri"]["uri"] == "http://127.0.0.1:9191", "ext_authz calls wartburg's port")
    allowed = {p["exact"] for p in authz["allowed_headers"]["patterns"]}
    check({"authorization", "x-forwarded-for", "x-forwarded-proto"} <= allowed, "envoy sends what the policy reads",
          f"{allowed}")
    clusters = {c["name"]: c for c in conf["static_resources"]["clusters"]}
    ep = clusters["wartburg_authz"]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]
    check(ep["socket_address"]["port_value"] == 9191, "the wartburg_authz cluster is port 9191")


def test_envoy_grpc_and_istio():
    """The gRPC variants (Envoy is not installed here): the shipped envoy.yaml
    calls wartburg's --authz-grpc-addr over HTTP/2 and fails closed; the Istio
    provider, ServiceEntry, AuthorizationPolicy and Deployment agree on the
    name and the port."""
    docs = load_docs(os.path.join(DEPLOY, "sidecar", "envoy-grpc.yaml"))
    conf = yaml.safe_load(find(docs, "ConfigMap")["data"]["envoy.yaml"])
    hcm = {l["name"]: l for l in conf["static_resources"]["listeners"]}["api"]["filter_chains"][0]["filters"][0][
        "typed_config"]
    authz = hcm["http_filters"][0]["typed_config"]
    check(authz["failure_mode_allow"] is False and authz["transport_api_version"] == "V3",
          "envoy gRPC: v3, fails closed")
    cluster_name = authz["grpc_service"]["envoy_grpc"]["cluster_name"]
    clusters = {c["name"]: c for c in conf["static_resources"]["clusters"]}
    c = clusters[cluster_name]
    opts = c["typed_extension_protocol_options"]["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]
    check("http2_protocol_options" in opts["explicit_http_config"], "envoy gRPC: HTTP/2 to wartburg")
    port = c["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]["socket_address"]["port_value"]
    args = [x for x in find(docs, "Deployment")["spec"]["template"]["spec"]["containers"] if x["name"] == "wartburg"][0][
        "args"]
    check(args[args.index("--authz-grpc-addr") + 1] == f"127.0.0.1:{port}", "envoy gRPC: cluster port is wartburg's")

    istio = os.path.join(DEPLOY, "istio")
    mesh = yaml.safe_load(find(load_docs(os.path.join(istio, "mesh-config.yaml")), "ConfigMap")["data"]["mesh"])
    provider = mesh["extensionProviders"][0]
    se = find(load_docs(os.path.join(istio, "service-entry.yaml")), "ServiceEntry")["spec"]
    ap = find(load_docs(os.path.join(istio, "authorization-policy.yaml")), "AuthorizationPolicy")["spec"]
    dep = find(load_docs(os.path.join(istio, "app-deployment.yaml")), "Deployment")
    wargs = [x for x in dep["spec"]["template"]["spec"]["containers"] if x["name"] == "wartburg"][0]["args"]
    check(ap["action"] == "CUSTOM" and ap["provider"]["name"] == provider["name"], "istio: CUSTOM policy names the provider")
    check(provider["envoyExtAuthzGrpc"]["service"] in se["hosts"] and se["endpoints"][0]["address"] == "127.0.0.1",
          "istio: the provider's service is the loopback ServiceEntry")
    check(int(provider["envoyExtAuthzGrpc"]["port"]) == se["ports"][0]["number"] == 9191 and
          wargs[wargs.index("--authz-grpc-addr") + 1] == "127.0.0.1:9191", "istio: provider, ServiceEntry and wartburg agree on 9191")
    labels = dep["spec"]["template"]["metadata"]["labels"]
    check(all(labels.get(k) == v for k, v in ap["selector"]["matchLabels"].items()),
          "istio: the policy selects the deployment's pods")


def test_sidecar_envoy(work):
    test_envoy_config()
    srv, data, keys = sidecar_setup(work, "envoy")
    toks = tokens(data, keys)
    try:
        # Envoy's ext_authz HTTP service: the check request has the original
        # method and path, the allowed headers, and X-Forwarded-For ending with
        # the client address Envoy appended.
        for method, path, tok, want in CASES:
            headers = {"Host": "api.example.com", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
            if tok:
                headers["Authorization"] = f"Bearer {toks[tok]}"
            status, _, _ = srv.request(method, path, headers=headers, port=srv.authz_port)
            check(status == want, f"envoy: {method} {path} as {tok or 'anonymous'} -> {want}", f"{status}")
        for path in TRAVERSAL:
            status, _, _ = srv.request("GET", path, port=srv.authz_port)
            check(status == 403, f"envoy: non-canonical {path} denied", f"{status}")
        # forwarding headers a client adds mean nothing to the envoy setup
        status, _, _ = srv.request("DELETE", "/api/orders/7", port=srv.authz_port,
                                   headers={"X-Original-Method": "GET", "X-Original-URI": "/healthz",
                                            "X-Forwarded-Method": "GET", "X-Forwarded-Uri": "/healthz"})
        check(status == 403, "envoy: spoofed forwarding headers ignored", f"{status}")
    finally:
        srv.stop()


class Upstream(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self._answer()

    def do_POST(self):  # noqa: N802
        self._answer()

    def do_PUT(self):  # noqa: N802
        self._answer()

    def do_DELETE(self):  # noqa: N802
        self._answer()

    def _answer(self):
        body = b"hello from the echo API\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def front_request(port, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_sidecar_nginx(work):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        check(False, "nginx is installed (scripts/install-deps.sh installs nginx-light)")
        return
    srv, data, keys = sidecar_setup(work, "nginx")
    toks = tokens(data, keys)
    cm = find(load_docs(os.path.join(DEPLOY, "sidecar", "nginx-configmap.yaml")), "ConfigMap")
    conf = cm["data"]["nginx.conf"]
    ndir = os.path.join(work, "nginx")
    os.makedirs(ndir, exist_ok=True)
    front, health, upstream = free_port(), free_port(), free_port()
    for a, b in (("listen 8080;", f"listen 127.0.0.1:{front};"), ("listen 8081;", f"listen 127.0.0.1:{health};"),
                 ("127.0.0.1:5678", f"127.0.0.1:{upstream}"), ("127.0.0.1:9191", f"127.0.0.1:{srv.authz_port}"),
                 ("127.0.0.1:8181", f"127.0.0.1:{srv.port}"), ("/tmp/", ndir + "/"),
                 ("access_log /dev/stdout;", "access_log off;")):
        check(a in conf, f"nginx.conf has {a!r}")
        conf = conf.replace(a, b)
    with open(os.path.join(ndir, "nginx.conf"), "w") as f:
        f.write(conf)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", upstream), Upstream)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    proc = subprocess.Popen([nginx, "-p", ndir, "-c", os.path.join(ndir, "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                front_request(health, "GET", "/health")
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("nginx exited: " + proc.stderr.read().decode())
                time.sleep(0.05)
        status, _ = front_request(health, "GET", "/health")
        check(status == 200, "nginx health port answers wartburg's /health", f"{status}")
        for method, path, tok, want in CASES:
            headers = {"Authorization": f"Bearer {toks[tok]}"} if tok else {}
            status, body = front_request(front, method, path, headers)
            ok = status == want and (want != 200 or body.startswith("hello from the echo API"))
            check(ok, f"nginx: {method} {path} as {tok or 'anonymous'} -> {want}", f"{status} {body[:80]!r}")
        for path in TRAVERSAL:
            status, _ = front_request(front, "GET", path)
            check(status in (400, 403, 404), f"nginx: non-canonical {path} not passed", f"{status}")
        # the bypass: a client's X-Original-* cannot rename a denied request
        status, _ = front_request(front, "DELETE", "/api/orders/7",
                                  {"Authorization": f"Bearer {toks['bob']}", "X-Original-Method": "GET",
                                   "X-Original-URI": "/healthz", "X-Forwarded-Method": "GET",
                                   "X-Forwarded-Uri": "/healthz"})
        check(status == 403, "nginx: spoofed X-Original-*/X-Forwarded-* headers do not bypass", f"{status}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        httpd.shutdown()
        srv.stop()


def main():
    work = tempfile.mkdtemp(prefix="wartburg-deploy-")
    try:
        certs = make_certs(work)
        test_webhook(work, certs)
        test_sidecar_envoy(work)
        test_envoy_grpc_and_istio()
        test_sidecar_nginx(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    start = time.time()
    main()
    print(f"took {time.time() - start:.1f}s")
