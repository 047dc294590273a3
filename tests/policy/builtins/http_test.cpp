// Tests for the builtins that touch the network: http.send against small
// HTTP/HTTPS servers started on 127.0.0.1 (ephemeral ports) and a unix socket
// inside the test (plain sockets; a self-signed certificate made with OpenSSL),
// and net.lookup_ip_addr (IP literals and localhost only).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "tests/policy/builtins/builtin_test_util.h"
#include "tests/policy/builtins/limits_util.h"

namespace {

using wartburg::Value;
using wartburg::builtins::BuiltinError;
using wartburg::builtins::Context;
using wartburg::builtins::registry;
using wartburg::builtins::TypeError;
using namespace wartburg::builtins::test_util::tagged;

// ---------------------------------------------------------------- test server

struct Request {
  std::string method, target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

std::string response(int code, const std::string& reason, const std::vector<std::string>& headers,
                     const std::string& body) {
  std::string r = "HTTP/1.1 " + std::to_string(code) + " " + reason + "\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  return r;
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 (or a unix socket),
// optionally over TLS. The handler returns the raw response bytes.
class TestServer {
 public:
  using Handler = std::function<std::string(const Request&)>;

  explicit TestServer(Handler h, SSL_CTX* tls = nullptr, std::string unix_path = "")
      : handler_(std::move(h)), tls_(tls), unix_path_(std::move(unix_path)) {
    if (unix_path_.empty()) {
      fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      int one = 1;
      setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      sa.sin_port = 0;
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) throw std::runtime_error("bind");
      socklen_t len = sizeof sa;
      getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
      port_ = ntohs(sa.sin_port);
    } else {
      fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un sa{};
      sa.sun_family = AF_UNIX;
      ::unlink(unix_path_.c_str());
      std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", unix_path_.c_str());
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) throw std::runtime_error("bind unix");
    }
    ::listen(fd_, 16);
    thread_ = std::thread([this] { run(); });
  }
  ~TestServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
    if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
  }

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  int hits() const { return hits_.load(); }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }

 private:
  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      serve(c);
      ::close(c);
    }
  }

  void serve(int c) {
    timeval tv{5, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SSL* ssl = nullptr;
    if (tls_) {
      ssl = SSL_new(tls_);
      SSL_set_fd(ssl, c);
      if (SSL_accept(ssl) != 1) {  // e.g. the client refused our certificate
        ERR_clear_error();
        SSL_free(ssl);
        return;
      }
    }
    auto rd = [&](char* b, size_t n) -> ssize_t {
      if (ssl) {
        int r = SSL_read(ssl, b, static_cast<int>(n));
        return r > 0 ? r : 0;
      }
      return ::recv(c, b, n, 0);
    };
    auto wr = [&](const std::string& s) {
      if (ssl) {
        SSL_write(ssl, s.data(), static_cast<int>(s.size()));
      } else {
        ::send(c, s.data(), s.size(), MSG_NOSIGNAL);
      }
    };
    std::string buf;
    char tmp[4096];
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = rd(tmp, sizeof tmp);
      if (n <= 0) break;
      buf.append(tmp, static_cast<size_t>(n));
    }
    if (end != std::string::npos) {
      Request req;
      std::string head = buf.substr(0, end);
      req.body = buf.substr(end + 4);
      size_t eol = head.find("\r\n");
      std::string line = head.substr(0, eol);
      req.method = line.substr(0, line.find(' '));
      req.target = line.substr(line.find(' ') + 1);
      req.target = req.target.substr(0, req.target.rfind(' '));
      size_t pos = eol == std::string::npos ? head.size() : eol + 2;
      while (pos < head.size()) {
        size_t e = head.find("\r\n", pos);
        if (e == std::string::npos) e = head.size();
        std::string h = head.substr(pos, e - pos);
        size_t colon = h.find(':');
        std::string name = h.substr(0, colon);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string value = h.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[name] = value;
        pos = e + 2;
      }
      size_t want = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
      while (req.body.size() < want) {
        ssize_t n = rd(tmp, sizeof tmp);
        if (n <= 0) break;
        req.body.append(tmp, static_cast<size_t>(n));
      }
      ++hits_;
      {
        std::lock_guard<std::mutex> l(mu_);
        requests_.push_back(req);
      }
      wr(handler_(req));
    }
    if (ssl) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
  }

  Handler handler_;
  SSL_CTX* tls_;
  std::string unix_path_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> hits_{0};
  std::mutex mu_;
  std::vector<Request> requests_;
  std::thread thread_;
};

// The usual routes.
std::string routes(const Request& r) {
  std::string path = r.target.substr(0, r.target.find('?'));
  if (path == "/json") return response(200, "OK", {"Content-Type: application/json"}, R"({"a":1,"b":[true,null]})");
  if (path == "/text") return response(200, "OK", {"Content-Type: text/plain"}, R"({"not":"decoded"})");
  if (path == "/yaml") return response(200, "OK", {"Content-Type: application/yaml"}, "x: 1\nlist: [a, b]\n");
  if (path == "/missing") return response(404, "Not Found", {"Content-Type: application/json"}, R"({"error":"nope"})");
  if (path == "/fail") return response(500, "Internal Server Error", {}, "boom");
  if (path == "/echo") {
    std::vector<std::pair<Value, Value>> h;
    for (const auto& [k, v] : r.headers) h.emplace_back(Value::string(k), Value::string(v));
    std::string body = wartburg::to_json(Value::object({{Value::string("method"), Value::string(r.method)},
                                                          {Value::string("target"), Value::string(r.target)},
                                                          {Value::string("headers"), Value::object(h)},
                                                          {Value::string("body"), Value::string(r.body)}}));
    return response(200, "OK", {"Content-Type: application/json; charset=utf-8"}, body);
  }
  if (path == "/chunked") {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\n{\"x\":\r\n4;ext=1\r\n[1,2\r\n2\r\n]}\r\n0\r\nTrailer: t\r\n\r\n";
  }
  if (path == "/close-delimited") return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end";
  if (path == "/multi") return response(200, "OK", {"Set-Cookie: a=1", "Set-Cookie: b=2", "X-One: 1"}, "");
  if (path == "/slow") {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    return response(200, "OK", {}, "late");
  }
  if (path == "/redirect") return response(302, "Found", {"Location: /json"}, "");
  if (path == "/redirect-abs") return response(307, "Temporary Redirect", {"Location: " + std::string("/echo")}, "");
  if (path == "/see-other") return response(303, "See Other", {"Location: echo?from=303"}, "");
  if (path == "/loop") return response(302, "Found", {"Location: /loop"}, "");
  if (path == "/garbage") return "SPDY/9 what\r\n\r\n";
  return response(404, "Not Found", {}, "");
}

// ---------------------------------------------------------------- TLS material

struct Pki {
  std::string cert_pem, key_pem;
  SSL_CTX* server = nullptr;
  ~Pki() { SSL_CTX_free(server); }
};

std::string pem_of(X509* x) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, x);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<size_t>(n));
  BIO_free(b);
  return s;
}

// A self-signed certificate for 127.0.0.1 / localhost and a server context using it.
Pki& pki() {
  static Pki* p = [] {
    auto* out = new Pki();
    EVP_PKEY* key = EVP_EC_gen("prime256v1");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 42);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("wartburg test"), -1,
                               -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    X509_add_ext(x, san, -1);
    X509_EXTENSION_free(san);
    X509_sign(x, key, EVP_sha256());
    out->cert_pem = pem_of(x);
    BIO* kb = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(kb, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data;
    long n = BIO_get_mem_data(kb, &data);
    out->key_pem.assign(data, static_cast<size_t>(n));
    BIO_free(kb);
    out->server = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(out->server, x);
    SSL_CTX_use_PrivateKey(out->server, key);
    X509_free(x);
    EVP_PKEY_free(key);
    return out;
  }();
  return *p;
}

// ---------------------------------------------------------------- calling http.send

// One evaluation: calls share the Context (and its memo).
struct Eval {
  Context ctx;
  std::map<Value, Value> memo;
  Eval() { ctx.memo = &memo; }
  Value send(const Value& req) {
    Value args[1] = {req};
    return registry().find("http.send")->fn(ctx, args);
  }
  std::string error(const Value& req) {
    try {
      send(req);
    } catch (const TypeError& e) {
      return std::string("type: ") + e.what();
    } catch (const BuiltinError& e) {
      return std::string("builtin: ") + e.what();
    }
    return "no error";
  }
};

Value send(const Value& req) { return Eval().send(req); }
std::string send_error(const Value& req) { return Eval().error(req); }

// {"method": m, "url": u} plus the entries of the JSON object `extra`.
Value request(const std::string& method, const std::string& url, const std::string& extra = "{}") {
  Value e = J(extra);
  std::vector<std::pair<Value, Value>> items(e.entries().begin(), e.entries().end());
  items.emplace_back(Value::string("method"), Value::string(method));
  items.emplace_back(Value::string("url"), Value::string(url));
  return Value::object(items);
}

const Value& field(const Value& v, const char* k) {
  static const Value undefined;
  const Value* f = v.find(k);
  return f ? *f : undefined;
}

// A port nothing listens on.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

}  // namespace

// ---------------------------------------------------------------- requests and responses

TEST(HttpSend, GetJson) {
  TestServer s(routes);
  Value r = send(request("GET", s.url("/json")));
  EXPECT_EQ(field(r, "status"), Str("200 OK"));
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(field(r, "body"), J(R"({"a":1,"b":[true,null]})"));
  EXPECT_EQ(field(r, "raw_body"), Str(R"({"a":1,"b":[true,null]})"));
  EXPECT_EQ(field(field(r, "headers"), "content-type"), J(R"(["application/json"])"));
  EXPECT_EQ(field(field(r, "headers"), "content-length"), J(R"(["23"])"));
  EXPECT_EQ(r.size(), 5u);  // status, status_code, body, raw_body, headers
}

TEST(HttpSend, PostJsonBodyAndHeaders) {
  TestServer s(routes);
  Value r = send(request("post", s.url("/echo?q=1"),
                         R"({"body": {"x": [1, 2], "s": "<&>"}, "headers": {"x-custom": "yes", "content-type": "application/json"}})"));
  const Value& echo = field(r, "body");
  EXPECT_EQ(field(echo, "method"), Str("POST"));  // upper-cased
  EXPECT_EQ(field(echo, "target"), Str("/echo?q=1"));
  EXPECT_EQ(field(echo, "body"), Str(R"({"s":"\u003c\u0026\u003e","x":[1,2]})"));  // as Go's json.Marshal
  const Value& h = field(echo, "headers");
  EXPECT_EQ(field(h, "x-custom"), Str("yes"));
  EXPECT_EQ(field(h, "content-type"), Str("application/json"));
  EXPECT_EQ(field(h, "content-length"), Str("36"));
  EXPECT_EQ(field(h, "host"), Value::string("127.0.0.1:" + std::to_string(s.port())));
  EXPECT_TRUE(field(h, "user-agent").defined());
  // the sent header names are canonical
  bool canonical = false;
  for (const auto& q : s.requests()) canonical = q.headers.count("x-custom") > 0;
  EXPECT_TRUE(canonical);
}

TEST(HttpSend, RawBodyWinsOverBody) {
  TestServer s(routes);
  Value r = send(request("PUT", s.url("/echo"), R"({"body": {"a": 1}, "raw_body": "plain text"})"));
  EXPECT_EQ(field(field(r, "body"), "body"), Str("plain text"));
  EXPECT_EQ(field(field(r, "body"), "method"), Str("PUT"));
}

TEST(HttpSend, HostHeaderOverride) {
  TestServer s(routes);
  Value r = send(request("GET", s.url("/echo"), R"({"headers": {"Host": "example.com"}})"));
  EXPECT_EQ(field(field(field(r, "body"), "headers"), "host"), Str("example.com"));
}

TEST(HttpSend, BasicAuthFromUserinfo) {
  TestServer s(routes);
  std::string url = "http://alice:s3cret@127.0.0.1:" + std::to_string(s.port()) + "/echo";
  Value r = send(request("GET", url));
  EXPECT_EQ(field(field(field(r, "body"), "headers"), "authorization"), Str("Basic YWxpY2U6czNjcmV0"));
}

TEST(HttpSend, StatusCodesAndUndecodedBodies) {
  TestServer s(routes);
  Value nf = send(request("GET", s.url("/missing")));
  EXPECT_EQ(field(nf, "status_code"), I(404));
  EXPECT_EQ(field(nf, "status"), Str("404 Not Found"));
  EXPECT_EQ(field(nf, "body"), J(R"({"error":"nope"})"));
  Value fail = send(request("GET", s.url("/fail")));
  EXPECT_EQ(field(fail, "status_code"), I(500));
  EXPECT_EQ(field(fail, "body"), Value::null());
  EXPECT_EQ(field(fail, "raw_body"), Str("boom"));
  // text/plain is not decoded unless asked
  EXPECT_EQ(field(send(request("GET", s.url("/text"))), "body"), Value::null());
  EXPECT_EQ(field(send(request("GET", s.url("/text"), R"({"force_json_decode": true})")), "body"),
            J(R"({"not":"decoded"})"));
  // force_json_decode on something that is not JSON: null
  EXPECT_EQ(field(send(request("GET", s.url("/fail"), R"({"force_json_decode": true})")), "body"), Value::null());
}

TEST(HttpSend, YamlBodies) {
  TestServer s(routes);
  EXPECT_EQ(field(send(request("GET", s.url("/yaml"))), "body"), J(R"({"x":1,"list":["a","b"]})"));
  EXPECT_EQ(field(send(request("GET", s.url("/text"), R"({"force_yaml_decode": true})")), "body"),
            J(R"({"not":"decoded"})"));
}

TEST(HttpSend, ChunkedAndCloseDelimitedBodies) {
  TestServer s(routes);
  Value r = send(request("GET", s.url("/chunked")));
  EXPECT_EQ(field(r, "raw_body"), Str(R"({"x":[1,2]})"));
  EXPECT_EQ(field(r, "body"), J(R"({"x":[1,2]})"));
  EXPECT_FALSE(field(r, "headers").find("transfer-encoding"));  // as Go: not a header
  EXPECT_EQ(field(send(request("GET", s.url("/close-delimited"))), "raw_body"), Str("until the end"));
}

TEST(HttpSend, RepeatedHeadersAreArrays) {
  TestServer s(routes);
  Value h = field(send(request("GET", s.url("/multi"))), "headers");
  EXPECT_EQ(field(h, "set-cookie"), J(R"(["a=1","b=2"])"));
  EXPECT_EQ(field(h, "x-one"), J(R"(["1"])"));
}

TEST(HttpSend, HeadHasNoBody) {
  TestServer s([](const Request&) { return std::string("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"); });
  Value r = send(request("HEAD", s.url("/")));
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(field(r, "raw_body"), Str(""));
}

TEST(HttpSend, UnixSocket) {
  std::string path = "/tmp/wartburg-http-test-" + std::to_string(::getpid()) + ".sock";
  TestServer s(routes, nullptr, path);
  std::string url = "unix://localhost/echo?socket=" + std::string("%2Ftmp%2Fwartburg-http-test-") +
                    std::to_string(::getpid()) + ".sock&k=v";
  Value r = send(request("GET", url));
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(field(field(r, "body"), "target"), Str("/echo?k=v"));  // the socket parameter is not sent
}

// ---------------------------------------------------------------- redirects

TEST(HttpSend, RedirectsOnlyWhenEnabled) {
  TestServer s(routes);
  Value r = send(request("GET", s.url("/redirect")));
  EXPECT_EQ(field(r, "status_code"), I(302));
  EXPECT_EQ(field(field(r, "headers"), "location"), J(R"(["/json"])"));
  Value f = send(request("GET", s.url("/redirect"), R"({"enable_redirect": true})"));
  EXPECT_EQ(field(f, "status_code"), I(200));
  EXPECT_EQ(field(f, "body"), J(R"({"a":1,"b":[true,null]})"));
}

TEST(HttpSend, RedirectMethods) {
  TestServer s(routes);
  // 303: POST becomes GET, the body is dropped; relative Location resolved
  Value r = send(request("POST", s.url("/see-other"), R"({"enable_redirect": true, "raw_body": "data"})"));
  EXPECT_EQ(field(field(r, "body"), "method"), Str("GET"));
  EXPECT_EQ(field(field(r, "body"), "target"), Str("/echo?from=303"));
  EXPECT_EQ(field(field(r, "body"), "body"), Str(""));
  // 307 keeps method and body
  Value t = send(request("POST", s.url("/redirect-abs"), R"({"enable_redirect": true, "raw_body": "data"})"));
  EXPECT_EQ(field(field(t, "body"), "method"), Str("POST"));
  EXPECT_EQ(field(field(t, "body"), "body"), Str("data"));
}

TEST(HttpSend, RedirectLoopStops) {
  TestServer s(routes);
  EXPECT_EQ(send_error(request("GET", s.url("/loop"), R"({"enable_redirect": true})")),
            "builtin: Get \"" + s.url("/loop") + "\": stopped after 10 redirects");
  EXPECT_EQ(s.hits(), 10);
}

// ---------------------------------------------------------------- errors

TEST(HttpSend, RequestKeyErrors) {
  EXPECT_EQ(send_error(J(R"({"method": "get"})")), R"(type: operand 1 missing required request parameters(s): {"url"})");
  EXPECT_EQ(send_error(J(R"({})")), R"(type: operand 1 missing required request parameters(s): {"method", "url"})");
  EXPECT_EQ(send_error(J(R"({"method": "get", "url": "http://x", "foo": 1, "bar": 2})")),
            R"(type: operand 1 invalid request parameters(s): {"bar", "foo"})");
  EXPECT_EQ(send_error(Str("http://x")), "type: operand 1 must be object but got string");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"raise_error": "no"})")),
            "builtin: invalid value for raise_error field");
}

TEST(HttpSend, ParameterErrors) {
  EXPECT_EQ(send_error(J(R"({"method": 1, "url": "http://127.0.0.1:1/"})")), R"(builtin: "method" must be a string)");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"headers": ["a"]})")),
            "builtin: invalid type for headers key");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"timeout": "abc"})")),
            R"(builtin: invalid timeout value "abc": time: invalid duration "abc")");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"timeout": "5x"})")),
            R"(builtin: invalid timeout value "5x": time: unknown unit "x" in duration "5x")");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"timeout": true})")),
            "type: operand 1 'timeout' must be one of {string, number} but got boolean");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"enable_redirect": "yes"})")),
            R"(builtin: strconv.ParseBool: parsing "\"yes\"": invalid syntax)");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"cache": "yes"})")),
            R"(builtin: invalid value for "cache" field)");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"force_cache": true})")),
            "builtin: 'force_cache' set but 'force_cache_duration_seconds' parameter is missing");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"tls_ca_cert": "not a pem", "url": "https://127.0.0.1:1/"})")),
            "builtin: could not append certificates");
  EXPECT_EQ(send_error(request("GET", "http://[::1/")), R"(builtin: parse "http://[::1/": missing ']' in host)");
  EXPECT_EQ(send_error(request("GET", "http://h:port/")), R"(builtin: parse "http://h:port/": invalid port ":port" after host)");
  EXPECT_EQ(send_error(request("GET", "ftp://127.0.0.1/")), R"(builtin: Get "ftp://127.0.0.1/": unsupported protocol scheme "ftp")");
  EXPECT_EQ(send_error(request("GET", "http:///path")), R"(builtin: Get "http:///path": http: no Host in request URL)");
  EXPECT_EQ(send_error(request("GE T", "http://127.0.0.1:1/")), R"(builtin: net/http: invalid method "GE T")");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"headers": {"X-A": "a\r\nX-Injected: 1"}})")),
            R"(builtin: Get "http://127.0.0.1:1/": net/http: invalid header field value for "X-A")");
  EXPECT_EQ(send_error(request("GET", "http://127.0.0.1:1/", R"({"headers": {"a b": "c"}})")),
            R"(builtin: Get "http://127.0.0.1:1/": net/http: invalid header field name "a b")");
}

TEST(HttpSend, NetworkErrors) {
  int port = closed_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  EXPECT_EQ(send_error(request("GET", url)),
            "builtin: Get \"" + url + "\": dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused");
  // (without a reachable DNS server the lookup fails as temporary instead)
  std::string lookup = send_error(request("POST", "http://nonexistent.invalid/"));
  if (lookup.find("emporary failure") == std::string::npos) {
    EXPECT_EQ(lookup, R"(builtin: Post "http://nonexistent.invalid/": dial tcp: lookup nonexistent.invalid: no such host)");
  }
  TestServer s(routes);
  EXPECT_EQ(send_error(request("GET", s.url("/garbage"))),
            "builtin: Get \"" + s.url("/garbage") +
                "\": net/http: HTTP/1.x transport connection broken: malformed HTTP response \"SPDY/9 what\"");
}

TEST(HttpSend, RaiseErrorFalse) {
  int port = closed_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  Value r = send(request("GET", url, R"({"raise_error": false})"));
  EXPECT_EQ(field(r, "status_code"), I(0));
  EXPECT_EQ(field(field(r, "error"), "code"), Str("eval_http_send_network_error"));
  EXPECT_EQ(field(field(r, "error"), "message"),
            Value::string("Get \"" + url + "\": dial tcp 127.0.0.1:" + std::to_string(port) + ": connect: connection refused"));
  EXPECT_EQ(r.size(), 2u);
  Value bad = send(request("GET", url, R"({"raise_error": false, "timeout": "x"})"));
  EXPECT_EQ(field(field(bad, "error"), "code"), Str("eval_http_send_internal_error"));
  EXPECT_EQ(field(field(bad, "error"), "message"), Str(R"(invalid timeout value "x": time: invalid duration "x")"));
  // key errors are raised regardless
  EXPECT_EQ(send_error(J(R"({"method": "get", "raise_error": false})")),
            R"(type: operand 1 missing required request parameters(s): {"url"})");
}

TEST(HttpSend, Timeouts) {
  TestServer s(routes);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(send_error(request("GET", s.url("/slow"), R"({"timeout": "150ms"})")),
            "builtin: Get " + s.url("/slow") + ": request timed out");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(600));
  Value r = send(request("GET", s.url("/slow"), R"({"timeout": 100000000, "raise_error": false})"));
  EXPECT_EQ(field(field(r, "error"), "code"), Str("eval_http_send_network_error"));
  EXPECT_EQ(field(field(r, "error"), "message"),
            Value::string("Get \"" + s.url("/slow") + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
  // a generous timeout, as a duration string and as nanoseconds in a string
  EXPECT_EQ(field(send(request("GET", s.url("/slow"), R"({"timeout": "5s"})")), "raw_body"), Str("late"));
  EXPECT_EQ(field(send(request("GET", s.url("/slow"), R"({"timeout": "5000000000"})")), "raw_body"), Str("late"));
}

TEST(HttpSend, RetriesNetworkFailures) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) { return ++n == 1 ? std::string("garbage\r\n\r\n") : routes(r); });
  Value r = send(request("GET", s.url("/json"), R"({"max_retry_attempts": 2})"));
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(s.hits(), 2);
}

// ---------------------------------------------------------------- caching

// A server counting its hits and answering with the count and the given headers.
std::string counting(const Request&, int n, const std::vector<std::string>& headers) {
  return response(200, "OK", headers, std::to_string(n));
}

TEST(HttpSend, SameRequestOncePerEvaluation) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) { return counting(r, ++n, {}); });
  Eval e;
  Value a = e.send(request("GET", s.url("/count")));
  Value b = e.send(request("GET", s.url("/count")));
  EXPECT_EQ(a, b);
  EXPECT_EQ(s.hits(), 1);
  // a different request is sent; another evaluation sends again
  e.send(request("GET", s.url("/count"), R"({"headers": {"x": "1"}})"));
  EXPECT_EQ(s.hits(), 2);
  EXPECT_EQ(field(Eval().send(request("GET", s.url("/count"))), "raw_body"), Str("3"));
}

TEST(HttpSend, UncacheableStatusIsSentAgain) {
  TestServer s(routes);
  Eval e;
  e.send(request("GET", s.url("/fail")));
  e.send(request("GET", s.url("/fail")));
  EXPECT_EQ(s.hits(), 2);
}

TEST(HttpSend, ErrorsAreRememberedPerEvaluation) {
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  Eval e;
  std::string first = e.error(request("GET", url));
  EXPECT_NE(first, "no error");
  EXPECT_EQ(e.error(request("GET", url)), first);
}

TEST(HttpSend, CacheAcrossEvaluationsWithMaxAge) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) {
    return counting(r, ++n, {"Cache-Control: public, max-age=60", "Date: " + http_date(std::time(nullptr))});
  });
  Value req = request("GET", s.url("/max-age"), R"({"cache": true})");
  EXPECT_EQ(field(Eval().send(req), "raw_body"), Str("1"));
  EXPECT_EQ(field(Eval().send(req), "raw_body"), Str("1"));
  EXPECT_EQ(s.hits(), 1);
  // without "cache" every evaluation asks
  EXPECT_EQ(field(Eval().send(request("GET", s.url("/max-age"))), "raw_body"), Str("2"));
}

TEST(HttpSend, CacheHonoursExpiresAndNoStore) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) {
    if (r.target == "/expires") return counting(r, ++n, {"Expires: " + http_date(std::time(nullptr) + 3600)});
    if (r.target == "/expired") return counting(r, ++n, {"Expires: " + http_date(std::time(nullptr) - 3600)});
    if (r.target == "/no-store") {
      return counting(r, ++n, {"Cache-Control: no-store, max-age=60", "Date: " + http_date(std::time(nullptr))});
    }
    return counting(r, ++n, {});
  });
  for (const char* path : {"/expires", "/expired", "/no-store", "/plain"}) {
    Value req = request("GET", s.url(path), R"({"cache": true})");
    int before = s.hits();
    Eval().send(req);
    Eval().send(req);
    int sent = s.hits() - before;
    EXPECT_EQ(sent, std::string(path) == "/expires" ? 1 : 2) << path;
  }
}

TEST(HttpSend, ForceCache) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) { return counting(r, ++n, {"Cache-Control: no-store"}); });
  Value req = request("GET", s.url("/forced"), R"({"force_cache": true, "force_cache_duration_seconds": 60})");
  EXPECT_EQ(field(Eval().send(req), "raw_body"), Str("1"));
  EXPECT_EQ(field(Eval().send(req), "raw_body"), Str("1"));
  EXPECT_EQ(s.hits(), 1);
  // the decoding options apply to the cached response
  Value json = request("GET", s.url("/forced"),
                       R"({"force_cache": true, "force_cache_duration_seconds": 60, "force_json_decode": true})");
  EXPECT_EQ(field(Eval().send(json), "body"), I(2));
  EXPECT_EQ(field(Eval().send(json), "body"), I(2));
  EXPECT_EQ(s.hits(), 2);
}

TEST(HttpSend, StaleEntriesAreRevalidated) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) {
    ++n;
    std::vector<std::string> h = {"Cache-Control: max-age=0", "Date: " + http_date(std::time(nullptr)), "ETag: \"v1\""};
    if (r.headers.count("if-none-match") && r.headers.at("if-none-match") == "\"v1\"") {
      return std::string("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nX-Revalidated: yes\r\nConnection: close\r\n\r\n");
    }
    return response(200, "OK", h, "original");
  });
  Value req = request("GET", s.url("/etag"), R"({"cache": true})");
  EXPECT_EQ(field(Eval().send(req), "raw_body"), Str("original"));
  Value again = Eval().send(req);
  EXPECT_EQ(s.hits(), 2);
  EXPECT_EQ(field(again, "raw_body"), Str("original"));
  EXPECT_EQ(field(again, "status_code"), I(200));
  EXPECT_EQ(field(field(again, "headers"), "x-revalidated"), J(R"(["yes"])"));
}

TEST(HttpSend, CacheIgnoredHeaders) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) { return counting(r, ++n, {}); });
  Eval e;
  e.send(request("GET", s.url("/ign"), R"({"headers": {"X-Request-Id": "1"}, "cache_ignored_headers": ["X-Request-Id"]})"));
  e.send(request("GET", s.url("/ign"), R"({"headers": {"X-Request-Id": "2"}, "cache_ignored_headers": ["X-Request-Id"]})"));
  EXPECT_EQ(s.hits(), 1);
}

// ---------------------------------------------------------------- TLS

TEST(HttpSend, TlsWithCaCert) {
  TestServer s(routes, pki().server);
  Value ca = Value::string(pki().cert_pem);
  Value req = Value::object({{Str("method"), Str("GET")}, {Str("url"), Value::string(s.url("/json"))}, {Str("tls_ca_cert"), ca}});
  Value r = send(req);
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(field(r, "body"), J(R"({"a":1,"b":[true,null]})"));
  // the name checked can be set; a wrong one fails verification
  Value wrong = Value::object({{Str("method"), Str("GET")}, {Str("url"), Value::string(s.url("/json"))},
                               {Str("tls_ca_cert"), ca}, {Str("tls_server_name"), Str("other.example")}});
  EXPECT_EQ(send_error(wrong), "builtin: Get \"" + s.url("/json") +
                                   "\": tls: failed to verify certificate: x509: certificate is not valid for other.example");
  Value dns = Value::object({{Str("method"), Str("GET")}, {Str("url"), Value::string(s.url("/json"))},
                             {Str("tls_ca_cert"), ca}, {Str("tls_server_name"), Str("localhost")}});
  EXPECT_EQ(field(send(dns), "status_code"), I(200));
}

TEST(HttpSend, TlsUnknownAuthorityAndSkipVerify) {
  TestServer s(routes, pki().server);
  EXPECT_EQ(send_error(request("GET", s.url("/json"))),
            "builtin: Get \"" + s.url("/json") + "\": tls: failed to verify certificate: x509: certificate signed by unknown authority");
  Value r = send(request("GET", s.url("/echo"), R"({"tls_insecure_skip_verify": true, "raw_body": "over tls"})"));
  EXPECT_EQ(field(r, "status_code"), I(200));
  EXPECT_EQ(field(field(r, "body"), "body"), Str("over tls"));
}

TEST(HttpSend, TlsCaCertFile) {
  std::string path = "/tmp/wartburg-http-test-ca-" + std::to_string(::getpid()) + ".pem";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(pki().cert_pem.c_str(), f);
    std::fclose(f);
  }
  TestServer s(routes, pki().server);
  Value r = send(request("GET", s.url("/json"), R"({"tls_ca_cert_file": ")" + path + R"("})"));
  EXPECT_EQ(field(r, "status_code"), I(200));
  std::remove(path.c_str());
  EXPECT_EQ(send_error(request("GET", s.url("/json"), R"({"tls_ca_cert_file": "/nonexistent/ca.pem"})")),
            "builtin: open /nonexistent/ca.pem: no such file or directory");
}

TEST(HttpSend, TlsClientCertificate) {
  // The server asks for (and checks) a client certificate: the test's own.
  SSL_CTX* server = SSL_CTX_new(TLS_server_method());
  BIO* cb = BIO_new_mem_buf(pki().cert_pem.data(), static_cast<int>(pki().cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
  BIO* kb = BIO_new_mem_buf(pki().key_pem.data(), static_cast<int>(pki().key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
  SSL_CTX_use_certificate(server, cert);
  SSL_CTX_use_PrivateKey(server, key);
  X509_STORE_add_cert(SSL_CTX_get_cert_store(server), cert);
  SSL_CTX_set_verify(server, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  X509_free(cert);
  EVP_PKEY_free(key);
  BIO_free(cb);
  BIO_free(kb);
  {
    TestServer s(routes, server);
    Value req = Value::object({{Str("method"), Str("GET")},
                               {Str("url"), Value::string(s.url("/json"))},
                               {Str("tls_ca_cert"), Value::string(pki().cert_pem)},
                               {Str("tls_client_cert"), Value::string(pki().cert_pem)},
                               {Str("tls_client_key"), Value::string(pki().key_pem)}});
    EXPECT_EQ(field(send(req), "status_code"), I(200));
    Value bad = Value::object({{Str("method"), Str("GET")},
                               {Str("url"), Value::string(s.url("/json"))},
                               {Str("tls_client_cert"), Str("junk")},
                               {Str("tls_client_key"), Value::string(pki().key_pem)}});
    EXPECT_EQ(send_error(bad), "builtin: tls: failed to find any PEM data in certificate input");
  }
  SSL_CTX_free(server);
}

// ---------------------------------------------------------------- net.lookup_ip_addr

TEST(NetLookupIpAddr, LiteralsAreTheirOwnAnswer) {
  EXPECT_EQ(call("net.lookup_ip_addr", {Str("10.0.0.0")}), S({Str("10.0.0.0")}));
  EXPECT_EQ(call("net.lookup_ip_addr", {Str("::")}), S({Str("::")}));
  EXPECT_EQ(call("net.lookup_ip_addr", {Str("2001:db8:0:0:0:0:0:1")}), S({Str("2001:db8::1")}));
  EXPECT_EQ(call("net.lookup_ip_addr", {Str("::ffff:1.2.3.4")}), S({Str("1.2.3.4")}));
}

TEST(NetLookupIpAddr, Localhost) {
  Value r = call("net.lookup_ip_addr", {Str("localhost")});
  ASSERT_TRUE(r.is_set());
  EXPECT_GE(r.size(), 1u);
  for (const Value& ip : r.items()) EXPECT_TRUE(ip == Str("127.0.0.1") || ip == Str("::1")) << wartburg::to_json(ip);
}

TEST(NetLookupIpAddr, Errors) {
  std::string e = error_of("net.lookup_ip_addr", {Str("nonexistent.invalid")});
  if (e.find("temporary failure") == std::string::npos) {  // no reachable DNS server
    EXPECT_EQ(e, "builtin: lookup nonexistent.invalid: no such host");
  }
  EXPECT_EQ(error_of("net.lookup_ip_addr", {I(1)}), "type: operand 1 must be string but got number");
}

// ---------------------------------------------------------------- hostile requests and responses

namespace {
namespace tu = wartburg::builtins::test_util;
using namespace std::chrono_literals;
}  // namespace

// A request's "timeout" may be hours (from the policy or input); the I/O
// waits used to ignore the evaluation's deadline, and so did the back-off
// between retries.
TEST(HttpSendHostile, EvaluationDeadlineStopsTheRequest) {
  TestServer s(routes);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(150ms), [&] { send(request("GET", s.url("/slow"), R"({"timeout": "1h"})")); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  // retries with back-off against a port nothing listens on
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(tu::under_limits(tu::test_limits(300ms), [&] { send(request("GET", url, R"({"max_retry_attempts": 100})")); }),
            "limit eval_cancel_error: context deadline exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 800ms);
}

// A response body is bounded at 64 MiB by http.send, but also by the
// evaluation's limits: it becomes a value of the evaluation.
TEST(HttpSendHostile, ResponseBodiesCountAgainstTheLimits) {
  std::string big(2 << 20, 'x');
  TestServer s([&](const Request& r) {
    if (r.target == "/chunked") {
      std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      for (int i = 0; i < 64; ++i) out += "8000\r\n" + std::string(0x8000, 'y') + "\r\n";
      return out + "0\r\n\r\n";
    }
    if (r.target == "/close") return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big;
    return response(200, "OK", {}, big);
  });
  auto limits = tu::test_limits(0ms, 512 << 20, 1 << 20);
  for (const char* path : {"/length", "/chunked", "/close"}) {
    EXPECT_EQ(tu::under_limits(limits, [&] { send(request("GET", s.url(path))); }),
              "limit eval_builtin_error: result would exceed the maximum value size of 1 MiB (--max-value-size)")
        << path;
  }
  EXPECT_EQ(field(send(request("GET", s.url("/length"))), "raw_body").str().size(), big.size());
}

// The cross-evaluation cache counted responses but not their keys (the
// requests): 200 requests with 500 KB URLs were all kept (100 MB over the
// 64 MiB bound). Now the oldest go first.
TEST(HttpSendHostile, CacheCountsRequestsToo) {
  std::atomic<int> n{0};
  TestServer s([&](const Request& r) {
    return counting(r, ++n, {"Cache-Control: public, max-age=600", "Date: " + http_date(std::time(nullptr))});
  });
  std::string pad(500000, 'q');
  auto req = [&](int i) { return request("GET", s.url("/c" + std::to_string(i) + "?" + pad), R"({"cache": true})"); };
  for (int i = 0; i < 200; ++i) Eval().send(req(i));
  EXPECT_EQ(s.hits(), 200);
  Eval().send(req(199));  // recent: still cached
  EXPECT_EQ(s.hits(), 200);
  Eval().send(req(0));  // the oldest was dropped
  EXPECT_EQ(s.hits(), 201);
}
