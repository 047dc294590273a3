"""Hostile requests against the real `wartburg run --server` on loopback
(issue #9): each must get an error answer quickly, and right after it the
server must be alive and serving others (within 1 s). Then the same hostile
requests are sent while wrk measures normal clients, which must keep getting
answers (requests > 0, no errors, no non-2xx).

Covered: gzip bombs, oversized bodies (Content-Length and chunked), corrupt
and unknown encodings, deep nesting, slow evaluations (they hold a worker,
never the I/O threads; eval_timeout ends them), evaluation queue overflow
(503 / the admission failure policy), forwarded-header spoofing on the
authorization port, anonymous and malformed bearer tokens, half-sent
requests, decision log write errors (--decision-log /dev/full) and --watch
reloads that must keep what the REST API wrote.

usage: hostile_test.py WARTBURG REPO_ROOT"""

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import SLOW, Server, check, finish  # noqa: E402

BIN = sys.argv[1]

POLICIES = {
    "example.rego": """package example

default allow := false

allow if input.user == "admin"
""",
    # slow on purpose: n*n iterations, stopped by eval_timeout
    "slow.rego": """package slow

nested if {
	some a in numbers.range(0, input.n)
	some b in numbers.range(0, input.n)
	a * b == -1
}
""",
    "api.rego": """package envoy.authz

default allow := false

allow if {
	input.attributes.request.http.method == "GET"
	input.parsed_path[0] == "public"
}
""",
    "admission.rego": """package kubernetes.admission

deny contains "no privileged containers" if {
	some c in input.object.spec.containers
	c.securityContext.privileged
}
""",
    # builtins and loops whose cost comes from the input (issue #9): every one ends in an
    # error naming the limit, or at eval_timeout, never in a crash or a stalled server
    "limits.rego": """package limits

range_count := count([x | some x in numbers.range(0, input.n)])

f(x) := y if y := g(x) + g(x + 1)
g(x) := y if y := h(x) + h(x + 1)
h(x) := y if y := x + 1
fan := count([f(x) | some x in numbers.range(0, input.n)])

glob_match := glob.match(input.pattern, [], input.s)

sub := substring("abcdef", 2, input.len)

padded := count(sprintf(input.format, [1]))

replaced := count(strings.replace_n({"a": input.s, "b": input.s}, input.s))

doubled := count(d4) if {
	d0 := concat("", [input.s, input.s])
	d1 := concat("", [d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0, d0])
	d2 := concat("", [d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1, d1])
	d3 := concat("", [d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2, d2])
	d4 := concat("", [d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3, d3])
}
""",
    "system_authz.rego": """package system.authz

default allow := false

# anonymous health checks (OPA's documented pattern)
allow if {
	input.method == "GET"
	input.path[0] == "health"
}

allow if input.identity == "s3cret"
""",
}

TOKEN = {"Authorization": "Bearer s3cret"}
NORMAL_BODY = json.dumps({"input": {"user": "admin"}})


def gzip_bomb(size):
    """~size bytes of zeros, gzip-compressed (about 1/1000 of it on the wire)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1 << 20)
    parts = [comp.compress(chunk) for _ in range(size >> 20)]
    parts.append(comp.flush())
    return b"".join(parts)


def raw_request(port, data, timeout=10):
    """Sends raw bytes, returns (status, seconds); status 0 when the server closed without a response."""
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading everything
        buf = b""
        while b"\r\n" not in buf:
            try:
                got = s.recv(4096)
            except OSError:
                break
            if not got:
                break
            buf += got
        m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
        return (int(m.group(1)) if m else 0), time.time() - t0
    finally:
        s.close()


def timed(srv, method, path, body=None, headers=None, port=None, timeout=20):
    t0 = time.time()
    try:
        status, text, _ = srv.request(method, path, body=body, headers=headers, port=port, timeout=timeout)
    except (OSError, http.client.HTTPException) as e:
        return 0, str(e), time.time() - t0
    return status, text, time.time() - t0


def alive_within_1s(srv, what):
    """The server answers a normal client within 1 s after a hostile request."""
    t0 = time.time()
    ok = False
    while time.time() - t0 < 1.0 * SLOW:
        try:
            status, text, _ = srv.request("POST", "/v1/data/example/allow", body=NORMAL_BODY, headers=TOKEN,
                                          timeout=SLOW)
            if status == 200 and json.loads(text).get("result") is True:
                ok = True
                break
        except (OSError, http.client.HTTPException, ValueError):
            time.sleep(0.02)
    check(ok and srv.proc.poll() is None, f"serving others within 1 s after: {what}",
          f"alive={srv.proc.poll() is None} after {time.time() - t0:.2f}s")


def hostile_requests(srv):
    """(name, function returning (status, seconds), allowed statuses, max seconds)."""
    bomb = gzip_bomb(200 << 20)
    huge = b"x" * (5 << 20)
    chunk = b"x" * 65536
    chunked = (b"POST /v1/data/example/allow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" + (b"10000\r\n" + chunk + b"\r\n") * 80 + b"0\r\n\r\n")
    gz_headers = dict(TOKEN, **{"Content-Encoding": "gzip", "Content-Type": "application/json"})

    def post(path, body, headers, port=None):
        def go():
            status, _, secs = timed(srv, "POST", path, body=body, headers=headers, port=port)
            return status, secs
        return go

    def get(path, headers, port=None):
        def go():
            status, _, secs = timed(srv, "GET", path, headers=headers, port=port)
            return status, secs
        return go

    def put(path, body, headers=TOKEN):
        def go():
            status, _, secs = timed(srv, "PUT", path, body=body, headers=dict(headers, **{"Content-Type": "text/plain"}))
            return status, secs
        return go

    def limits(rule, inp, allowed, secs):
        return (f"input-driven cost: data.limits.{rule} with {json.dumps(inp)[:60]}",
                post(f"/v1/data/limits/{rule}", json.dumps({"input": inp}), TOKEN), allowed, secs)

    digits = "7" * 30000
    yaml_headers = dict(TOKEN, **{"Content-Type": "application/x-yaml"})
    laughs = 'input:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghi":
        laughs += f"  {n}: &{n} [" + ",".join(["*" + prev] * 9) + "]\n"
        prev = n
    chain = "package chain\n\nx := " + " + ".join(["1"] * 10000) + "\n"
    every = "package every\n\nx if {\n" + "every a in [1] {\n" * 100000 + "true\n" + "}\n" * 100000 + "}\n"
    unsafe = "package unsafe\n\nq if { l = {s: x | x = data.a[_]; sum(x, 10, s)} }\n"
    # the parser's backtracking: literals with `|` inside, nested (was exponential), and nested template strings
    unions = "package unions\n\nx := " + "[a | b, " * 20000 + "1" + "]" * 20000 + "\n"
    templates = "package templates\n\nx := " + '$"{' * 5000 + "1" + '}"' * 5000 + "\n"
    review_big = ('{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", '
                  '"operation": "CREATE", "object": {"n": ' + digits + '}}}')
    return [
        # numbers are bounded to 5000 digits (conversions are quadratic): a clear 400
        ("30000-digit JSON number to the Data API",
         post("/v1/data/example/allow", '{"input": {"user": ' + digits + '}}', TOKEN), {400}, 1.0),
        ("30000-digit JSON number with a wrong token",
         post("/v1/data/example/allow", '{"input": {"user": ' + digits + '}}', {"Authorization": "Bearer nope"}),
         {400, 401}, 1.0),
        ("30000-digit JSON number to the admission webhook", post("/v1/admit", review_big, TOKEN), {400}, 1.0),
        ("30000-digit JSON number to the authz port",
         post("/public/x", '{"n": ' + digits + '}', {"Content-Type": "application/json"}, srv.authz_port), {403}, 1.0),
        ("self-referencing YAML alias", post("/v1/data/example/allow", "input: &a [*a]\n", yaml_headers), {400}, 1.0),
        ("YAML billion laughs (400 bytes)", post("/v1/data/example/allow", laughs, yaml_headers), {400}, 1.0),
        ("PUT a policy of 10000 chained additions", put("/v1/policies/chain", chain), {400}, 2.0),
        ("query of 10000 chained additions",
         post("/v1/query", json.dumps({"query": " + ".join(["1"] * 10000)}), TOKEN), {400}, 2.0),
        ("PUT a policy of 100000 nested every", put("/v1/policies/every", every), {400}, 3.0),
        ("PUT an unsafe variable in an object comprehension", put("/v1/policies/unsafe", unsafe), {400}, 1.0),
        ("PUT a policy of 20000 nested union literals", put("/v1/policies/unions", unions), {400}, 2.0),
        ("PUT a policy of 5000 nested template strings", put("/v1/policies/templates", templates), {400}, 2.0),
        limits("range_count", {"n": 1000000000}, {500}, 2.0),
        limits("fan", {"n": 100000000}, {500}, 3.0),
        limits("glob_match", {"pattern": "*a" * 5000, "s": "a" * 200000 + "b"}, {500}, 3.0),
        limits("sub", {"len": 9223372036854775807}, {200}, 1.0),
        limits("padded", {"format": "%2000000000d"}, {200}, 1.0),
        limits("replaced", {"s": "ab" * 500000}, {500}, 5.0),
        limits("doubled", {"s": "x" * 4096}, {500}, 5.0),
        ("gzip bomb (200 MiB inflated) to the Data API", post("/v1/data/example/allow", bomb, gz_headers), {413}, 1.0),
        ("gzip bomb to the admission webhook", post("/v1/admit", bomb, gz_headers), {413}, 1.0),
        ("gzip bomb before authorization (no token)",
         post("/v1/data/example/allow", bomb, {"Content-Encoding": "gzip"}), {413, 401}, 1.0),
        ("5 MiB body", post("/v1/data/example/allow", huge, TOKEN), {413}, 2.0),
        ("5 MiB chunked body", lambda: raw_request(srv.port, chunked), {413}, 2.0),
        ("corrupt gzip", post("/v1/data/example/allow", b"\x1f\x8bgarbage", gz_headers), {400}, 1.0),
        ("unknown Content-Encoding",
         post("/v1/data/example/allow", NORMAL_BODY, dict(TOKEN, **{"Content-Encoding": "br"})), {400}, 1.0),
        ("nesting 100000 deep",
         post("/v1/data/example/allow", '{"input":' + "[" * 100000 + "]" * 100000 + "}", TOKEN), {400}, 1.0),
        ("slow evaluation (eval_timeout 1s)", post("/v1/data/slow/nested", json.dumps({"input": {"n": 100000}}), TOKEN),
         {500}, 3.0),
        ("anonymous Data API call", post("/v1/data/example/allow", NORMAL_BODY, {}), {401}, 1.0),
        ("wrong bearer token", post("/v1/data/example/allow", NORMAL_BODY, {"Authorization": "Bearer nope"}), {401}, 1.0),
        ("lower-case bearer scheme", post("/v1/data/example/allow", NORMAL_BODY, {"Authorization": "bearer s3cret"}),
         {401}, 1.0),
        ("9000-byte Authorization header",
         post("/v1/data/example/allow", NORMAL_BODY, {"Authorization": "Bearer " + "a" * 9000}), {401}, 1.0),
        ("malformed body with a wrong token",
         post("/v1/data/example/allow", "{" * 5000, {"Authorization": "Bearer nope"}), {400, 401}, 1.0),
        ("forwarded-header spoofing on the authz port",
         get("/admin", {"X-Original-URI": "/public/x", "X-Original-Method": "GET",
                                  "X-Forwarded-Uri": "/public/x", "X-Forwarded-Method": "GET"}, srv.authz_port),
         {403}, 1.0),
        ("DELETE disguised as GET on the authz port",
         lambda: (lambda r: (r[0], r[2]))(timed(srv, "DELETE", "/public/x", port=srv.authz_port,
                                                headers={"X-Original-Method": "GET", "X-Forwarded-Method": "GET"})),
         {403}, 1.0),
        ("garbage request line", lambda: raw_request(srv.port, b"\x00\x01\x02 NOT HTTP\r\n\r\n"), {400, 0}, 1.0),
        ("oversized header block", lambda: raw_request(srv.port, b"GET /health HTTP/1.1\r\nX: " + b"a" * (2 << 20) +
                                                       b"\r\n\r\n"), {431, 400, 0}, 2.0),
    ]


def test_each_hostile_request(srv):
    for name, fn, allowed, max_secs in hostile_requests(srv):
        status, secs = fn()
        check(status in allowed and secs <= max_secs * SLOW, f"hostile: {name} -> {sorted(allowed)} in <= {max_secs}s",
              f"got {status} in {secs:.2f}s")
        alive_within_1s(srv, name)
    # anonymous health checks reach system.authz and are allowed; bearer variants as OPA
    status, _, _ = timed(srv, "GET", "/health")
    check(status == 200, "anonymous GET /health allowed by system.authz", f"{status}")
    for value in ("Bearer    s3cret", "Bearer\ts3cret"):
        status, _, _ = timed(srv, "POST", "/v1/data/example/allow", body=NORMAL_BODY, headers={"Authorization": value})
        check(status == 200, f"bearer variant {value!r} accepted as OPA does", f"{status}")


def test_slow_evaluations_hold_workers_not_io(srv):
    """Two slow evaluations run; other clients are still answered quickly."""
    results = []

    def slow():
        results.append(timed(srv, "POST", "/v1/data/slow/nested", body=json.dumps({"input": {"n": 100000}}),
                             headers=TOKEN))

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    worst = 0.0
    for _ in range(20):
        status, text, secs = timed(srv, "POST", "/v1/data/example/allow", body=NORMAL_BODY, headers=TOKEN)
        worst = max(worst, secs)
        if status != 200:
            break
    check(status == 200 and worst < 1.0 * SLOW, "normal requests answered (< 1 s) while two slow evaluations run",
          f"status {status}, slowest {worst:.3f}s")
    status, _, secs = timed(srv, "GET", "/health")
    check(status == 200 and secs < 1.0 * SLOW, "health answered while slow evaluations run", f"{status} {secs:.3f}s")
    for t in threads:
        t.join()
    check(all(r[0] == 500 and "eval_cancel_error" in r[1] and r[2] < 3 for r in results),
          "slow evaluations end with eval_cancel_error at eval_timeout", f"{[(r[0], round(r[2], 2)) for r in results]}")


def test_decision_log_errors(srv):
    for _ in range(30):
        timed(srv, "POST", "/v1/data/example/allow", body=NORMAL_BODY, headers=TOKEN)
    time.sleep(0.3)
    status, text, _ = timed(srv, "GET", "/metrics", headers=TOKEN)
    m = re.search(r"^wartburg_decision_logs_write_errors_total (\d+)", text, re.M)
    lost = re.search(r'^wartburg_decision_logs_dropped_total\{reason="write_error"\} (\d+)', text, re.M)
    check(status == 200 and m and int(m.group(1)) > 0 and lost and int(lost.group(1)) >= 30,
          "decision log write errors counted in /metrics", text[-600:] if status == 200 else str(status))
    status, text, _ = timed(srv, "GET", "/health?plugins", headers=TOKEN)
    body = json.loads(text) if text.startswith("{") else {}
    dl = body.get("plugins", {}).get("decision_logs", {})
    check(status == 500 and dl.get("state") == "ERROR" and "No space left" in dl.get("last_error", ""),
          "GET /health?plugins shows the decision log error", f"{status} {text}")
    status, _, _ = timed(srv, "GET", "/health")
    check(status == 200, "plain /health stays 200 (the server is alive)", f"{status}")
    lines = [ln for ln in srv.output().splitlines() if "decision log records lost" in ln]
    check(1 <= len(lines) <= 3, "write errors logged once per interval, not per record", f"{len(lines)} lines")


def test_overload(policy_dir):
    """A full evaluation queue is answered at once: 503, or the admission failure policy."""
    srv = Server(BIN, ["--eval-workers", "1", "--max-queue", "1", "--config-file", CONFIG, policy_dir])
    try:
        slow_body = json.dumps({"input": {"n": 100000}})
        threads = [threading.Thread(target=timed, args=(srv, "POST", "/v1/data/slow/nested", slow_body))
                   for _ in range(2)]
        for t in threads:
            t.start()
            time.sleep(0.1)
        status, text, secs = timed(srv, "POST", "/v1/data/example/allow", body=NORMAL_BODY)
        body = json.loads(text) if text.startswith("{") else {}
        check(status == 503 and secs < 0.5 * SLOW and "code" in body, "full queue: 503 with OPA's error shape at once",
              f"{status} {secs:.3f}s {text}")
        review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                  "request": {"uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                              "operation": "CREATE", "object": {"spec": {"containers": []}}}}
        status, text, secs = timed(srv, "POST", "/v1/admit", body=json.dumps(review))
        resp = json.loads(text).get("response", {}) if text.startswith("{") else {}
        check(status == 200 and resp.get("uid") == "u-1" and resp.get("allowed") is False
              and resp.get("status", {}).get("code") == 503 and secs < 0.5 * SLOW,
              "full queue on the admission webhook: denied by the failure policy (fail)", f"{status} {text}")
        status, _, secs = timed(srv, "GET", "/health")
        check(status == 200 and secs < 0.5 * SLOW, "health answered while the queue is full", f"{status} {secs:.3f}s")
        status, text, _ = timed(srv, "GET", "/metrics")
        m = re.search(r'^wartburg_overload_rejections_total\{route="api"\} (\d+)', text, re.M)
        check(m and int(m.group(1)) >= 1, "overload rejections counted in /metrics", text[-400:])
        for t in threads:
            t.join()
        alive_within_1s_plain(srv)
    finally:
        srv.stop()


def alive_within_1s_plain(srv):
    t0 = time.time()
    while time.time() - t0 < 1.0 * SLOW:
        status, _, _ = timed(srv, "POST", "/v1/data/example/allow", body=NORMAL_BODY, timeout=SLOW)
        if status == 200:
            break
        time.sleep(0.05)
    check(status == 200, "serving again once the slow evaluations ended", f"{status}")


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"input": {"user": "admin"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer s3cret"
"""


def test_wrk_under_attack(srv, work):
    """wrk measures normal clients while a second thread keeps sending hostile requests."""
    script = os.path.join(work, "post.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    stop = threading.Event()
    hostile_results = []
    # slow evaluations two at a time (fewer than the evaluation workers), the rest in a loop
    attacks = [h for h in hostile_requests(srv) if not h[0].startswith("slow")]

    def attacker():
        i = 0
        while not stop.is_set():
            name, fn, allowed, max_secs = attacks[i % len(attacks)]
            status, secs = fn()
            hostile_results.append((name, status in allowed and secs <= (max_secs + 1.0) * SLOW, status, secs))
            i += 1

    def slow_attacker():
        while not stop.is_set():
            status, _, secs = timed(srv, "POST", "/v1/data/slow/nested", body=json.dumps({"input": {"n": 100000}}),
                                    headers=TOKEN)
            hostile_results.append(("slow evaluation", status == 500 and secs < 3, status, secs))

    threads = [threading.Thread(target=attacker), threading.Thread(target=slow_attacker),
               threading.Thread(target=slow_attacker)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    url = f"http://127.0.0.1:{srv.port}/v1/data/example/allow"
    out = subprocess.run(["wrk", "-t2", "-c8", "-d6s", "--timeout", "5s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=60).stdout
    stop.set()
    for t in threads:
        t.join()
    print(out)
    reqs = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    check(reqs and int(reqs.group(1)) > 0, "wrk: normal clients got answers under attack", out[-300:])
    check(not errors, "wrk: no socket errors for normal clients", errors.group(0) if errors else "")
    check(not non2xx, "wrk: no non-2xx answers for normal clients", non2xx.group(0) if non2xx else "")
    bad = [r for r in hostile_results if not r[1]]
    check(len(hostile_results) > 10 and not bad, f"{len(hostile_results)} hostile requests answered with errors quickly",
          f"{bad[:5]}")
    print(f"MEASURED wrk under attack: {reqs.group(1) if reqs else '?'} requests, "
          f"{rps.group(1) if rps else '?'} req/s, p99 {p99.group(1) + p99.group(2) if p99 else '?'}, "
          f"{len(hostile_results)} hostile requests")
    check(srv.proc.poll() is None, "server alive after the attack")


def test_watch_keeps_api_writes(work):
    pdir = os.path.join(work, "watched")
    os.makedirs(pdir)
    with open(os.path.join(pdir, "file.rego"), "w") as f:
        f.write("package file\n\nv := 1\n")
    with open(os.path.join(pdir, "data.json"), "w") as f:
        f.write('{"cfg": {"level": 1}}')
    srv = Server(BIN, ["--watch", pdir])
    try:
        status, _ = srv.json("PUT", "/v1/policies/api-written", "package api\n\nanswer := data.users.alice\n",
                             {"Content-Type": "text/plain"})
        check(status == 200, "PUT a policy through the API", f"{status}")
        status, _ = srv.json("PUT", "/v1/data/users", {"alice": "admin"})
        check(status == 204, "PUT data through the API", f"{status}")
        time.sleep(1.1)  # the file watcher compares modification times
        with open(os.path.join(pdir, "file.rego"), "w") as f:
            f.write("package file\n\nv := 2\n")
        with open(os.path.join(pdir, "data.json"), "w") as f:
            f.write('{"cfg": {"level": 2}}')
        deadline = time.time() + 10
        while time.time() < deadline:
            status, body = srv.json("GET", "/v1/data/file/v")
            if body == {"result": 2}:
                break
            time.sleep(0.1)
        check(body == {"result": 2}, "--watch reloaded the changed file", f"{body}")
        time.sleep(0.3)
        status, body = srv.json("GET", "/v1/data/cfg/level")
        check(body == {"result": 2}, "--watch reloaded the changed data", f"{body}")
        status, body = srv.json("GET", "/v1/data/api/answer")
        check(status == 200 and body == {"result": "admin"}, "API-written policy and data survive the reload",
              f"{status} {body}")
        status, body = srv.json("GET", "/v1/policies/api-written")
        check(status == 200, "the API-written policy is still listed", f"{status}")
    finally:
        srv.stop()


CONFIG = ""


def test_bad_limit_flags(policy_dir):
    for args in (["--max-queue", "-1"], ["--eval-workers", "x"], ["--max-body-bytes", "0"],
                 ["--max-decoded-body-bytes", "1e9"], ["--authz-forwarded-headers", "haproxy"],
                 ["--decision-log-max-bytes", "0"]):
        proc = subprocess.run([BIN, "run", "--server", *args, policy_dir], capture_output=True, text=True, timeout=10)
        check(proc.returncode == 1 and "Error:" in proc.stderr, f"rejected: {' '.join(args)}",
              f"exit {proc.returncode} {proc.stderr[:200]}")


def main():
    global CONFIG
    work = tempfile.mkdtemp(prefix="wartburg-hostile-")
    policy_dir = os.path.join(work, "policies")
    os.makedirs(policy_dir)
    for name, text in POLICIES.items():
        with open(os.path.join(policy_dir, name), "w") as f:
            f.write(text)
    CONFIG = os.path.join(work, "config.yaml")
    with open(CONFIG, "w") as f:
        f.write("eval_timeout: 1s\n")
    try:
        srv = Server(BIN, ["--authentication=token", "--authorization=basic", "--eval-workers", "4",
                           "--config-file", CONFIG, "--decision-log", "/dev/full", policy_dir])
        try:
            test_each_hostile_request(srv)
            test_slow_evaluations_hold_workers_not_io(srv)
            test_decision_log_errors(srv)
            test_wrk_under_attack(srv, work)
            code = srv.stop()
            check(code == 0, "SIGTERM stops the attacked server cleanly", f"exit {code}")
        finally:
            srv.stop()
        test_overload(policy_dir)
        test_watch_keeps_api_writes(work)
        test_bad_limit_flags(policy_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    finish()


if __name__ == "__main__":
    start = time.time()
    main()
    print(f"took {time.time() - start:.1f}s")
