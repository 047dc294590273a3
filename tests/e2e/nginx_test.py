"""End-to-end test of the authorization endpoint behind a real nginx: nginx
(Debian package) on a loopback port uses `auth_request` to ask Wartburg about
every request and proxies allowed ones to a trivial upstream (another nginx
server block); denied ones get 403 exactly as the policy decides.

usage: nginx_test.py WARTBURG REPO_ROOT"""

import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import Server, check, finish, free_port  # noqa: E402

BIN = sys.argv[1]

POLICY = """package envoy.authz

default allow := false

allow if input.attributes.request.http.method == "GET"

allow if {
	input.attributes.request.http.method == "POST"
	input.parsed_path == ["admin", "reload"]
	input.attributes.request.http.headers["x-role"] == "admin"
}
"""

NGINX_CONF = """
worker_processes 1;
error_log {work}/error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {work}/body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  server {{
    listen 127.0.0.1:{front};
    location / {{
      auth_request /_wartburg;
      proxy_pass http://127.0.0.1:{upstream};
    }}
    location = /_wartburg {{
      internal;
      proxy_pass http://127.0.0.1:{authz};
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Original-URI $request_uri;
    }}
  }}
  server {{
    listen 127.0.0.1:{upstream};
    location / {{ return 200 "upstream ok\\n"; }}
  }}
}}
"""


def request(port, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def main():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        print("FAIL nginx is not installed (scripts/install-deps.sh installs nginx-light)")
        sys.exit(1)
    work = tempfile.mkdtemp(prefix="wartburg-nginx-")
    policy_dir = os.path.join(work, "policies")
    os.makedirs(policy_dir)
    with open(os.path.join(policy_dir, "api.rego"), "w") as f:
        f.write(POLICY)
    srv = Server(BIN, ["--authz-forwarded-headers", "nginx", policy_dir])
    front, upstream = free_port(), free_port()
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF.format(work=work, front=front, upstream=upstream, authz=srv.authz_port))
    proc = subprocess.Popen([nginx, "-p", work, "-c", os.path.join(work, "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                request(front, "GET", "/ready")
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("nginx exited: " + proc.stderr.read().decode())
                time.sleep(0.05)
        status, body = request(front, "GET", "/orders/1")
        check(status == 200 and body == "upstream ok\n", "nginx passes an allowed GET to the upstream",
              f"{status} {body!r}")
        status, _ = request(front, "DELETE", "/orders/1")
        check(status == 403, "nginx answers 403 for a denied DELETE", f"{status}")
        status, body = request(front, "POST", "/admin/reload", {"X-Role": "admin"})
        check(status == 200 and body == "upstream ok\n", "original method and URI reach the policy", f"{status}")
        status, _ = request(front, "POST", "/admin/reload")
        check(status == 403, "denied without the role", f"{status}")
        # a client's own X-Original-* headers are replaced by nginx's proxy_set_header
        status, _ = request(front, "DELETE", "/orders/1", {"X-Original-Method": "GET", "X-Original-URI": "/orders/1"})
        check(status == 403, "client-sent X-Original-Method cannot turn a DELETE into a GET", f"{status}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        srv.stop()
    finish()


if __name__ == "__main__":
    main()
