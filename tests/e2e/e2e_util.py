"""Helpers for the end-to-end tests of `wartburg run --server`: start the real
binary on loopback ports, wait for it, talk HTTP(S) to it, make throwaway
certificates with the openssl command. Standard library only."""

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

FAILURES = []

# Sanitizer builds run several times slower: `make test-tsan` sets
# WARTBURG_TEST_TIME_FACTOR so that the latency bounds scale with them.
SLOW = float(os.environ.get("WARTBURG_TEST_TIME_FACTOR", "1"))


def check(cond, what, detail=""):
    if cond:
        print(f"ok   {what}")
    else:
        print(f"FAIL {what} {detail}")
        FAILURES.append(what)


def finish():
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed: " + "; ".join(FAILURES))
        sys.exit(1)
    print("all checks passed")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A `wartburg run --server` process on loopback ports."""

    def __init__(self, binary, args, tls_context=None, ready_path="/health", raw_args=False,
                 port=None, authz_port=None):
        """raw_args: `args` is the whole command line after the binary (with
        its own addresses, which must be `port` and `authz_port`)."""
        self.port = port or free_port()
        self.authz_port = authz_port or free_port()
        self.tls_context = tls_context
        self.log = tempfile.NamedTemporaryFile(prefix="wartburg-", suffix=".log", delete=False)
        if raw_args:
            argv = [binary] + args
        else:
            argv = [binary, "run", "--server", "--addr", f"127.0.0.1:{self.port}",
                    "--authz-addr", f"127.0.0.1:{self.authz_port}"] + args
        self.argv = argv
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15 * SLOW
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.output()}")
            try:
                self.request("GET", ready_path, timeout=1)
                return
            except (OSError, http.client.HTTPException, ssl.SSLError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not become ready: " + self.output())

    def output(self):
        with open(self.log.name, "r", errors="replace") as f:
            return f.read()

    def connection(self, port=None, timeout=10, context=None):
        port = port or self.port
        ctx = context if context is not None else self.tls_context
        if ctx is not None:
            return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, port=None, timeout=10, context=None):
        conn = self.connection(port, timeout, context)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
            return resp.status, data, dict(resp.getheaders())
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None, **kw):
        status, data, _ = self.request(method, path, body, headers, **kw)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def make_certs(directory):
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate."""
    def run(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=wartburg-test-ca")
    with open(os.path.join(directory, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name, cn in (("server", "localhost"), ("client", "test-client")):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/CN={cn}")
        extra = ["-extfile", "san.ext"] if name == "server" else []
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", *extra)
    return {k: os.path.join(directory, k) for k in
            ("ca.crt", "server.crt", "server.key", "client.crt", "client.key")}


def tls_client_context(certs, with_client_cert=False):
    ctx = ssl.create_default_context(cafile=certs["ca.crt"])
    if with_client_cert:
        ctx.load_cert_chain(certs["client.crt"], certs["client.key"])
    return ctx
