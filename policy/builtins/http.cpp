// Builtins: http.send(request) => response, an HTTP/1.1 client of its own
// (POSIX sockets, OpenSSL for https) with OPA's semantics:
//   - request keys are checked first (unknown / missing keys are type errors
//     worded as OPA words them); other failures are builtin errors, or, with
//     "raise_error": false, a response {"status_code": 0, "error": {...}};
//   - http://, https:// and unix://host/path?socket=<path> URLs; Content-Length,
//     chunked and read-to-close bodies; redirects only with "enable_redirect"
//     (Go's rules: 301/302/303 become GET, credentials dropped across hosts,
//     at most 10); a whole-exchange timeout (default 5s, "timeout" as a Go
//     duration string or nanoseconds); "max_retry_attempts" retries network
//     failures with exponential back-off; response bodies above 64 MiB fail;
//   - TLS: system roots unless CA certificates are given (tls_ca_cert,
//     tls_ca_cert_file, tls_ca_cert_env_variable; tls_use_system_certs adds the
//     system roots back), client certificates, tls_server_name,
//     tls_insecure_skip_verify; host names and IP addresses are verified;
//   - the response: status ("200 OK"), status_code, raw_body, body (decoded
//     JSON / YAML by content type or force_json_decode / force_yaml_decode,
//     null when it does not decode) and headers (lower-case name => values);
//   - caching: within one evaluation identical requests share one answer
//     (Context::memo; errors too, responses only for cacheable status codes);
//     with "cache" / "force_cache" responses are kept across evaluations in a
//     process-wide, mutex-protected cache bounded to 64 MiB (requests and
//     responses) and 10,000 entries (oldest first out)
//     honouring Cache-Control (no-store, max-age with Date) and Expires, or
//     force_cache_duration_seconds, and revalidating stale entries with
//     If-None-Match / If-Modified-Since.
// Socket I/O never raises SIGPIPE (send with MSG_NOSIGNAL; TLS runs over
// memory BIOs fed from the socket by this file).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "policy/builtins/bounds.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"
#include "policy/limits.h"

namespace wartburg::builtins {

// ====================================================================== URLs
// Go's net/url parsing, reduced to what a client request needs. Errors are
// worded as Go's: parse "<url>": <why>.

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// url.shouldEscape(c, encodePath)
bool path_needs_escape(unsigned char c) {
  if (is_alnum(static_cast<char>(c))) return false;
  switch (c) {
    case '-': case '_': case '.': case '~': return false;
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '@': return false;
    default: return true;  // '?' included
  }
}

std::string escape_path(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (path_needs_escape(c)) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; false (with `bad` set to the escape) for an invalid escape.
bool unescape(std::string_view s, std::string& out, std::string& bad, bool plus_is_space = false) {
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) {
        bad = std::string(s.substr(i, 3));
        return false;
      }
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) {
        bad = std::string(s.substr(i, 3));
        return false;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return true;
}

// url.validEncoded(s, encodePath)
bool valid_encoded_path(std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
      case ';': case '=': case ':': case '@': case '[': case ']': case '%':
        continue;
      default:
        if (path_needs_escape(c) && c != '/') return false;
    }
  }
  return true;
}


struct Url {
  std::string scheme;  // lower case; empty for a relative reference
  bool has_authority = false;
  bool has_user = false, has_password = false;
  std::string user, password;  // decoded
  std::string host;            // host[:port] as written ("[::1]:80" keeps brackets)
  std::string path;            // decoded
  std::string raw_path;        // as written when it differs from escape(path)
  std::string raw_query;
  bool force_query = false;
  std::string opaque;
  std::string fragment;

  std::string escaped_path() const {
    if (!raw_path.empty() && valid_encoded_path(raw_path)) {
      std::string dec, bad;
      if (unescape(raw_path, dec, bad) && dec == path) return raw_path;
    }
    if (path == "*") return "*";
    return escape_path(path);
  }
  // Host without port and brackets.
  std::string hostname() const {
    if (!host.empty() && host[0] == '[') {
      size_t e = host.find(']');
      return e == std::string::npos ? host.substr(1) : host.substr(1, e - 1);
    }
    size_t c = host.rfind(':');
    return c == std::string::npos ? host : host.substr(0, c);
  }
  std::string port() const {
    size_t start = 0;
    if (!host.empty() && host[0] == '[') {
      start = host.find(']');
      if (start == std::string::npos) return "";
    }
    size_t c = host.find(':', start);
    return c == std::string::npos ? "" : host.substr(c + 1);
  }
  std::string request_uri() const {
    std::string r = opaque.empty() ? escaped_path() : opaque;
    if (r.empty()) r = "/";
    if (force_query || !raw_query.empty()) r += "?" + raw_query;
    return r;
  }
  // Go's URL.String() with the password shown as *** (as url.Error prints it).
  std::string text() const {
    std::string s;
    if (!scheme.empty()) s += scheme + ":";
    if (!opaque.empty()) {
      s += opaque;
    } else {
      if (!scheme.empty() || has_authority || !host.empty() || has_user) {
        if (has_authority || !host.empty() || has_user || !path.empty()) s += "//";
        if (has_user) s += user + (has_password ? ":***" : "") + "@";
        s += host;
      }
      std::string p = escaped_path();
      if (!p.empty() && p[0] != '/' && !host.empty()) s += '/';
      s += p;
    }
    if (force_query || !raw_query.empty()) s += "?" + raw_query;
    if (!fragment.empty()) s += "#" + fragment;
    return s;
  }
};

bool valid_optional_port(std::string_view p) {
  if (p.empty()) return true;
  if (p[0] != ':') return false;
  for (char c : p.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Go's url.Parse. Returns "" or the reason (without the parse "..." prefix).
std::string parse_url_reason(const std::string& raw, Url& u) {
  u = Url{};
  for (unsigned char c : raw) {
    if (c < 0x20 || c == 0x7f) return "net/url: invalid control character in URL";
  }
  std::string rest = raw;
  size_t hash = rest.find('#');
  if (hash != std::string::npos) {
    std::string bad;
    if (!unescape(std::string_view(rest).substr(hash + 1), u.fragment, bad)) return "invalid URL escape " + go_quote(bad);
    u.fragment = rest.substr(hash + 1);
    rest.resize(hash);
  }
  if (rest == "*") {
    u.path = "*";
    return "";
  }
  // scheme
  for (size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return "missing protocol scheme";
      u.scheme = rest.substr(0, i);
      for (char& ch : u.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      rest = rest.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u.force_query = true;
    rest.pop_back();
  } else if (size_t q = rest.find('?'); q != std::string::npos) {
    u.raw_query = rest.substr(q + 1);
    rest.resize(q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque = rest;
      return "";
    }
    std::string seg = rest.substr(0, rest.find('/'));
    if (seg.find(':') != std::string::npos) return "first path segment in URL cannot contain colon";
  }
  if (rest.rfind("//", 0) == 0 && (!u.scheme.empty() || rest.rfind("///", 0) != 0)) {
    u.has_authority = true;
    size_t slash = rest.find('/', 2);
    std::string authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    rest = slash == std::string::npos ? "" : rest.substr(slash);
    std::string hostpart = authority;
    size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      std::string info = authority.substr(0, at);
      hostpart = authority.substr(at + 1);
      for (unsigned char c : info) {
        if (!is_alnum(static_cast<char>(c)) && !std::strchr("-._:~!$&'()*+,;=%@", c)) return "net/url: invalid userinfo";
      }
      std::string bad;
      size_t colon = info.find(':');
      u.has_user = true;
      if (!unescape(info.substr(0, colon), u.user, bad)) return "invalid URL escape " + go_quote(bad);
      if (colon != std::string::npos) {
        u.has_password = true;
        if (!unescape(info.substr(colon + 1), u.password, bad)) return "invalid URL escape " + go_quote(bad);
      }
    }
    if (!hostpart.empty() && hostpart[0] == '[') {
      size_t close = hostpart.find(']');
      if (close == std::string::npos) return "missing ']' in host";
      std::string port = hostpart.substr(close + 1);
      if (!valid_optional_port(port)) return "invalid port " + go_quote(port) + " after host";
    } else if (size_t colon = hostpart.rfind(':'); colon != std::string::npos) {
      std::string port = hostpart.substr(colon);
      if (!valid_optional_port(port)) return "invalid port " + go_quote(port) + " after host";
    }
    for (unsigned char c : hostpart) {
      if (c < 0x80 && !is_alnum(static_cast<char>(c)) && !std::strchr("-_.~!$&'()*+,;=:[]<>\"%", c)) {
        return "invalid character " + go_quote(std::string(1, static_cast<char>(c))) + " in host name";
      }
    }
    u.host = hostpart;
  }
  std::string bad;
  if (!unescape(rest, u.path, bad)) return "invalid URL escape " + go_quote(bad);
  if (escape_path(u.path) != rest) u.raw_path = rest;
  return "";
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(const std::string& in) {
  std::vector<std::string> out;
  size_t i = 0;
  bool absolute = !in.empty() && in[0] == '/';
  std::string last;
  while (i <= in.size()) {
    size_t j = in.find('/', i);
    if (j == std::string::npos) j = in.size();
    std::string seg = in.substr(i, j - i);
    bool final_seg = j >= in.size();
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      if (final_seg) out.emplace_back("");
    } else if (seg == ".") {
      if (final_seg) out.emplace_back("");
    } else if (!(seg.empty() && i == 0 && absolute)) {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string r = absolute ? "/" : "";
  for (size_t k = 0; k < out.size(); ++k) {
    if (k) r += '/';
    r += out[k];
  }
  return r;
}

// Go's base.ResolveReference(ref) for a redirect's Location.
Url resolve_reference(const Url& base, const Url& ref) {
  Url u = ref;
  if (ref.scheme.empty()) u.scheme = base.scheme;
  if (!ref.scheme.empty() || ref.has_authority) {
    u.path = remove_dot_segments(ref.path);
    u.raw_path.clear();
    return u;
  }
  if (!ref.opaque.empty()) return u;
  u.has_authority = base.has_authority;
  u.host = base.host;
  u.has_user = base.has_user;
  u.has_password = base.has_password;
  u.user = base.user;
  u.password = base.password;
  if (ref.path.empty() && !ref.force_query && ref.raw_query.empty()) {
    u.raw_query = base.raw_query;
    u.force_query = base.force_query;
  }
  if (ref.path.empty()) {
    u.path = base.path;
    u.raw_path = base.raw_path;
    return u;
  }
  std::string merged;
  if (ref.path[0] == '/') {
    merged = ref.path;
  } else {
    size_t slash = base.path.rfind('/');
    merged = (slash == std::string::npos ? std::string() : base.path.substr(0, slash + 1)) + ref.path;
    if (merged.empty() || merged[0] != '/') merged = "/" + merged;
  }
  u.path = remove_dot_segments(merged);
  u.raw_path.clear();
  return u;
}

}  // namespace

// Shared with aws.cpp (declared there): the parts of Go's url.Parse(raw) that
// SigV4 signs. Returns "" or Go's error text (parse "<url>": <why>).
std::string http_url_parts(const std::string& raw, std::string& host, std::string& escaped_path,
                           std::string& raw_query) {
  Url u;
  std::string why = parse_url_reason(raw, u);
  if (!why.empty()) return "parse " + go_quote(raw) + ": " + why;
  host = u.host;
  escaped_path = u.escaped_path();
  raw_query = u.raw_query;
  return "";
}

namespace {

// ====================================================================== errors

// A failure of one request. Network failures correspond to Go's *url.Error
// ("eval_http_send_network_error" with raise_error false); the others are
// internal errors; `type` ones are raised as type errors.
struct SendError : std::runtime_error {
  enum Kind { Network, Internal, Type } kind;
  std::string raised;  // the message when raised (timeouts are reworded), else what()
  SendError(Kind k, const std::string& msg, std::string raised_msg = "")
      : std::runtime_error(msg), kind(k), raised(raised_msg.empty() ? msg : std::move(raised_msg)) {}
};

// A transport failure below the request level (dial, TLS, I/O, protocol).
struct NetError : std::runtime_error {
  bool timeout;
  explicit NetError(const std::string& msg, bool is_timeout = false) : std::runtime_error(msg), timeout(is_timeout) {}
};

std::string errno_text(int e) {
  std::string s = std::strerror(e);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string openssl_error_text() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  const char* reason = ERR_reason_error_string(e);
  return reason ? reason : buf;
}

// ====================================================================== transport

using Clock = std::chrono::steady_clock;

struct Deadline {
  bool none = true;
  Clock::time_point at{};
  static Deadline after(int64_t ns) {
    Deadline d;
    if (ns > 0) {
      d.none = false;
      d.at = Clock::now() + std::chrono::nanoseconds(ns);
    }
    return d;
  }
  int poll_ms() const {
    if (none) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left + 1, INT_MAX));
  }
};

class Conn {
 public:
  explicit Conn(Deadline d) : dl_(d) {}
  ~Conn() {
    if (ssl_) SSL_free(ssl_);  // frees the BIOs too
    if (fd_ >= 0) ::close(fd_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  void dial_tcp(const std::string& host, const std::string& port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (host.find('\0') != std::string::npos) throw NetError("dial tcp: lookup " + host + ": no such host");
    int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
    if (rc != 0) {
      std::string why = (rc == EAI_NONAME || rc == EAI_NODATA) ? "no such host" : gai_strerror(rc);
      if (rc == EAI_SERVICE) why = "unknown port";
      throw NetError("dial tcp: lookup " + host + ": " + why);
    }
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(res, freeaddrinfo);
    std::string first_error;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
      char ip[INET6_ADDRSTRLEN] = "";
      int p = 0;
      if (ai->ai_family == AF_INET) {
        auto* sa = reinterpret_cast<sockaddr_in*>(ai->ai_addr);
        inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof ip);
        p = ntohs(sa->sin_port);
      } else if (ai->ai_family == AF_INET6) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(ai->ai_addr);
        inet_ntop(AF_INET6, &sa->sin6_addr, ip, sizeof ip);
        p = ntohs(sa->sin6_port);
      }
      std::string addr = ai->ai_family == AF_INET6 ? "[" + std::string(ip) + "]:" + std::to_string(p)
                                                   : std::string(ip) + ":" + std::to_string(p);
      int e = try_connect(ai->ai_family, ai->ai_addr, ai->ai_addrlen);
      if (e == 0) {
        int one = 1;
        setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return;
      }
      if (e == ETIMEDOUT && !dl_.none && dl_.poll_ms() == 0) throw NetError("dial tcp " + addr + ": i/o timeout", true);
      if (first_error.empty()) first_error = "dial tcp " + addr + ": connect: " + errno_text(e);
    }
    throw NetError(first_error.empty() ? "dial tcp " + host + ": no address" : first_error);
  }

  void dial_unix(const std::string& path) {
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (path.size() >= sizeof sa.sun_path || path.find('\0') != std::string::npos) {
      throw NetError("dial unix " + path + ": connect: invalid argument");
    }
    std::memcpy(sa.sun_path, path.data(), path.size());
    int e = try_connect(AF_UNIX, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    if (e != 0) {
      if (e == ETIMEDOUT) throw NetError("dial unix " + path + ": i/o timeout", true);
      throw NetError("dial unix " + path + ": connect: " + errno_text(e));
    }
  }

  // TLS handshake; verify_name is checked against the certificate (DNS name or
  // IP address) unless ctx skips verification.
  void handshake(SSL_CTX* ctx, const std::string& verify_name, bool verify) {
    ssl_ = SSL_new(ctx);
    if (!ssl_) throw NetError("tls: " + openssl_error_text());
    rbio_ = BIO_new(BIO_s_mem());
    wbio_ = BIO_new(BIO_s_mem());
    if (!rbio_ || !wbio_) {
      if (rbio_) BIO_free(rbio_);
      if (wbio_) BIO_free(wbio_);
      rbio_ = wbio_ = nullptr;
      throw NetError("tls: out of memory");
    }
    SSL_set_bio(ssl_, rbio_, wbio_);
    SSL_set_connect_state(ssl_);
    unsigned char ipbuf[16];
    bool is_ip = inet_pton(AF_INET, verify_name.c_str(), ipbuf) == 1 || inet_pton(AF_INET6, verify_name.c_str(), ipbuf) == 1;
    if (!is_ip && !verify_name.empty()) SSL_set_tlsext_host_name(ssl_, verify_name.c_str());
    if (verify && !verify_name.empty()) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
      if (is_ip) {
        X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str());
      } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), verify_name.size());
      }
    }
    int err = 0;
    int rc = drive([&] { return SSL_do_handshake(ssl_); }, err);
    if (rc == 1) return;
    long vr = SSL_get_verify_result(ssl_);
    if (verify && vr != X509_V_OK) throw NetError("tls: failed to verify certificate: " + verify_text(vr, verify_name));
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
      ERR_clear_error();
      throw NetError("remote error: tls: handshake failure (connection closed)");
    }
    throw NetError("tls: handshake failed: " + openssl_error_text());
  }

  void write_all(std::string_view data) {
    if (!ssl_) {
      sock_send_all(data.data(), data.size());
      return;
    }
    while (!data.empty()) {
      size_t n = 0;
      int err = 0;
      int rc = drive([&] { return SSL_write_ex(ssl_, data.data(), data.size(), &n); }, err);
      if (rc != 1) throw NetError("write: " + (err == SSL_ERROR_SYSCALL ? std::string("broken pipe") : openssl_error_text()));
      data.remove_prefix(n);
    }
  }

  // Reads up to n bytes; 0 at the end of the stream.
  size_t read_some(char* buf, size_t n) {
    if (!ssl_) return sock_recv(buf, n);
    size_t got = 0;
    int err = 0;
    int rc = drive([&] { return SSL_read_ex(ssl_, buf, n, &got); }, err);
    if (rc == 1) return got;
    if (err == SSL_ERROR_ZERO_RETURN || err == SSL_ERROR_SYSCALL) {
      ERR_clear_error();
      return 0;
    }
    throw NetError("read: tls: " + openssl_error_text());
  }

 private:
  static std::string verify_text(long vr, const std::string& name) {
    switch (vr) {
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return "x509: certificate signed by unknown authority";
      case X509_V_ERR_HOSTNAME_MISMATCH:
      case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "x509: certificate is not valid for " + name;
      case X509_V_ERR_CERT_HAS_EXPIRED:
      case X509_V_ERR_CERT_NOT_YET_VALID:
        return "x509: certificate has expired or is not yet valid";
      default:
        return std::string("x509: ") + X509_verify_cert_error_string(vr);
    }
  }

  int try_connect(int family, const sockaddr* sa, socklen_t len) {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
    fd_ = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return errno;
    if (::connect(fd_, sa, len) == 0) return 0;
    if (errno != EINPROGRESS) return errno;
    pollfd p{fd_, POLLOUT, 0};
    int rc;
    do {
      rc = wait_fd(p);
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) return ETIMEDOUT;
    if (rc < 0) return errno;
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    return soerr;
  }

  // poll(2) until the request's deadline, in slices: between them the
  // evaluation's own deadline is checked (a request's "timeout" comes from
  // the policy or input and may be hours; the evaluation's may be shorter).
  int wait_fd(pollfd& p) {
    for (;;) {
      int left = dl_.poll_ms();
      int slice = left < 0 || left > kPollSliceMs ? kPollSliceMs : left;
      int rc = ::poll(&p, 1, slice);
      if (rc != 0 || slice == left) return rc;
      check_deadline();
    }
  }
  static constexpr int kPollSliceMs = 50;

  void wait(short events) {
    pollfd p{fd_, events, 0};
    for (;;) {
      int rc = wait_fd(p);
      if (rc > 0) return;
      if (rc == 0) throw NetError("i/o timeout", true);
      if (errno != EINTR) throw NetError("poll: " + errno_text(errno));
    }
  }

  void sock_send_all(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (w > 0) {
        p += w;
        n -= static_cast<size_t>(w);
        continue;
      }
      if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        wait(POLLOUT);
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      throw NetError("write: " + errno_text(errno));
    }
  }

  size_t sock_recv(char* buf, size_t n) {
    for (;;) {
      ssize_t r = ::recv(fd_, buf, n, 0);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait(POLLIN);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) throw NetError("read: connection reset by peer");
      throw NetError("read: " + errno_text(errno));
    }
  }

  // Runs an SSL operation over the memory BIOs, moving bytes between them
  // and the socket until it completes. Returns op's result; err gets
  // SSL_get_error on failure.
  template <class Op>
  int drive(Op op, int& err) {
    for (;;) {
      ERR_clear_error();
      int rc = op();
      flush_wbio();
      if (rc == 1) return rc;
      err = SSL_get_error(ssl_, rc);
      if (err == SSL_ERROR_WANT_READ) {
        if (sock_eof_) return rc;
        char buf[16384];
        size_t n = sock_recv(buf, sizeof buf);
        if (n == 0) {
          sock_eof_ = true;
          BIO_set_mem_eof_return(rbio_, 0);
        } else {
          BIO_write(rbio_, buf, static_cast<int>(n));
        }
        continue;
      }
      if (err == SSL_ERROR_WANT_WRITE) continue;
      return rc;
    }
  }

  void flush_wbio() {
    char buf[16384];
    while (BIO_ctrl_pending(wbio_) > 0) {
      int n = BIO_read(wbio_, buf, sizeof buf);
      if (n <= 0) break;
      sock_send_all(buf, static_cast<size_t>(n));
    }
  }

  Deadline dl_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;
  BIO* wbio_ = nullptr;
  bool sock_eof_ = false;
};

// Buffered reading of an HTTP response from a Conn.
class Reader {
 public:
  explicit Reader(Conn& c) : c_(c) {}
  // One line without its CR LF; false at the end of the stream before any byte.
  bool line(std::string& out, size_t limit) {
    for (;;) {
      size_t nl = buf_.find('\n', pos_);
      if (nl != std::string::npos) {
        out.assign(buf_, pos_, nl - pos_);
        if (!out.empty() && out.back() == '\r') out.pop_back();
        pos_ = nl + 1;
        return true;
      }
      if (buf_.size() - pos_ > limit) throw NetError("net/http: server response headers exceeded " + std::to_string(limit) + " bytes; aborted");
      if (!fill()) {
        if (pos_ == buf_.size()) return false;
        throw NetError("unexpected EOF");
      }
    }
  }
  // Appends exactly n bytes to out.
  void exact(size_t n, std::string& out) {
    while (buf_.size() - pos_ < n) {
      if (!fill()) throw NetError("unexpected EOF");
    }
    out.append(buf_, pos_, n);
    pos_ += n;
  }
  // Appends everything up to the end of the stream, failing beyond limit bytes.
  void rest(std::string& out, size_t limit) {
    limits::Growth growth;  // the body becomes a value of the evaluation
    for (;;) {
      out.append(buf_, pos_, std::string::npos);
      buf_.clear();
      pos_ = 0;
      if (out.size() > limit) throw NetError("http: response body too large (limit " + std::to_string(limit) + " bytes)");
      growth.check(out.size());
      if (!fill()) return;
    }
  }

 private:
  bool fill() {
    if (pos_ > 0 && pos_ == buf_.size()) {
      buf_.clear();
      pos_ = 0;
    }
    char tmp[16384];
    size_t n = c_.read_some(tmp, sizeof tmp);
    if (n == 0) return false;
    buf_.append(tmp, n);
    return true;
  }
  Conn& c_;
  std::string buf_;
  size_t pos_ = 0;
};

// ====================================================================== TLS setup

struct TlsOptions {
  bool insecure = false;
  std::optional<bool> use_system;  // tls_use_system_certs
  std::vector<std::string> ca_pems;
  std::string client_cert, client_key;  // PEM
  bool has_client = false;
  std::string server_name;

  bool is_default() const { return !insecure && ca_pems.empty() && !has_client && (!use_system || *use_system); }
};

struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

SSL_CTX* new_base_ctx() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) throw SendError(SendError::Internal, "tls: " + openssl_error_text());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
  return ctx;
}

// The shared context for the common case (system roots, nothing else).
SSL_CTX* default_ctx() {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = new_base_ctx();
    SSL_CTX_set_default_verify_paths(c);
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
    return c;
  }();
  return ctx;
}

// Adds the PEM certificates in pem to store; returns how many.
int add_pem_certs(X509_STORE* store, const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return 0;
  int n = 0;
  while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, x) == 1) ++n;
    X509_free(x);
  }
  BIO_free(bio);
  ERR_clear_error();
  return n;
}

void use_client_pair(SSL_CTX* ctx, const std::string& cert_pem, const std::string& key_pem) {
  BIO* cb = BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size()));
  X509* leaf = cb ? PEM_read_bio_X509(cb, nullptr, nullptr, nullptr) : nullptr;
  if (!leaf) {
    if (cb) BIO_free(cb);
    ERR_clear_error();
    throw SendError(SendError::Internal, "tls: failed to find any PEM data in certificate input");
  }
  SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  while (X509* extra = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add_extra_chain_cert(ctx, extra) != 1) X509_free(extra);
  }
  BIO_free(cb);
  ERR_clear_error();
  BIO* kb = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = kb ? PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr) : nullptr;
  if (kb) BIO_free(kb);
  if (!key) {
    ERR_clear_error();
    throw SendError(SendError::Internal, "tls: failed to find any PEM data in key input");
  }
  int ok = SSL_CTX_use_PrivateKey(ctx, key);
  EVP_PKEY_free(key);
  if (ok != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    throw SendError(SendError::Internal, "tls: private key does not match public key");
  }
}

// The context for these options: the shared default one, or a new one owned by `own`.
SSL_CTX* tls_context(const TlsOptions& o, CtxPtr& own) {
  if (o.is_default()) return default_ctx();
  own.reset(new_base_ctx());
  SSL_CTX* ctx = own.get();
  SSL_CTX_set_verify(ctx, o.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nullptr);
  // Go: the system roots unless CA certificates are given (then only those,
  // plus the system roots when tls_use_system_certs is true).
  bool system = o.ca_pems.empty() || (o.use_system && *o.use_system);
  if (system) SSL_CTX_set_default_verify_paths(ctx);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (const std::string& pem : o.ca_pems) {
    if (add_pem_certs(store, pem) == 0) throw SendError(SendError::Internal, "could not append certificates");
  }
  if (o.has_client) use_client_pair(ctx, o.client_cert, o.client_key);
  return ctx;
}

// ====================================================================== requests

constexpr size_t kMaxBody = size_t{64} << 20;     // response body limit
constexpr size_t kMaxHeaderBytes = size_t{1} << 20;
constexpr int kMaxRedirects = 10;
constexpr int64_t kDefaultTimeoutNs = 5'000'000'000;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Options {
  std::string method = "GET";
  std::string url;
  std::string body;
  Headers headers;  // canonical names
  std::optional<std::string> host_header;
  bool redirect = false;
  int64_t timeout_ns = kDefaultTimeoutNs;
  int max_retries = 0;
  TlsOptions tls;
};

struct RawResponse {
  int status_code = 0;
  std::string status;
  Headers headers;  // names as received, in order
  std::string body;

  const std::string* header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0) return &v;
    }
    return nullptr;
  }
};

// Go's urlErrorOp: "Get", "Post", ...
std::string op_name(const std::string& method) {
  if (method.empty()) return "Get";
  std::string s = method;
  for (size_t i = 1; i < s.size(); ++i) s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  return s;
}

bool is_token_char(unsigned char c) {
  return is_alnum(static_cast<char>(c)) || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

// Go's http.CanonicalHeaderKey.
std::string canonical_header(std::string_view k) {
  for (unsigned char c : k) {
    if (!is_token_char(c)) return std::string(k);
  }
  std::string s(k);
  bool upper = true;
  for (char& c : s) {
    c = upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
              : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return s;
}

bool valid_header_value(std::string_view v) {
  for (unsigned char c : v) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// Is `host` (lower-cased, without port) the same as or a subdomain of `orig`?
bool same_or_subdomain(std::string host, std::string orig) {
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : orig) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (host == orig) return true;
  return host.size() > orig.size() && host.compare(host.size() - orig.size(), orig.size(), orig) == 0 &&
         host[host.size() - orig.size() - 1] == '.';
}

// Where one exchange goes: the URL with a unix socket rewritten to http://.
struct Target {
  Url url;
  bool unix_socket = false;
  std::string socket;  // the unix socket's path
};

Target target_of(const Url& parsed) {
  Target t{parsed, false, ""};
  if (parsed.scheme == "unix" && !parsed.raw_query.empty()) {
    // unix://host/path?socket=<path>[&more]: the first socket value is the
    // socket, the parameter is dropped from the query.
    std::string kept;
    bool found = false;
    size_t i = 0;
    const std::string& q = parsed.raw_query;
    while (i <= q.size()) {
      size_t amp = q.find('&', i);
      if (amp == std::string::npos) amp = q.size();
      std::string pair = q.substr(i, amp - i);
      std::string name = pair.substr(0, pair.find('='));
      std::string dec, bad;
      if (unescape(name, dec, bad, true) && dec == "socket") {
        if (!found) {
          size_t eq = pair.find('=');
          std::string val;
          if (eq != std::string::npos) unescape(pair.substr(eq + 1), val, bad, true);
          t.socket = val;
          found = true;
        }
      } else if (!pair.empty()) {
        if (!kept.empty()) kept += '&';
        kept += pair;
      }
      i = amp + 1;
    }
    t.unix_socket = true;
    t.url.scheme = "http";
    t.url.raw_query = kept;
    t.url.opaque.clear();
  }
  return t;
}

// One request/response exchange on a fresh connection.
RawResponse exchange(const Target& t, const std::string& method, const std::string& body, bool send_length,
                     const Headers& headers, const std::optional<std::string>& host_header, const TlsOptions& tls,
                     SSL_CTX* ctx, Deadline dl) {
  const Url& u = t.url;
  bool unix_socket = t.unix_socket;
  if (!unix_socket && u.scheme != "http" && u.scheme != "https") {
    throw NetError("unsupported protocol scheme " + go_quote(u.scheme));
  }
  if (!unix_socket && u.host.empty()) throw NetError("http: no Host in request URL");
  for (const auto& [k, v] : headers) {
    bool token = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); });
    if (!token) throw NetError("net/http: invalid header field name " + go_quote(k));
    if (!valid_header_value(v)) throw NetError("net/http: invalid header field value for " + go_quote(k));
  }
  if (host_header && (host_header->find_first_of(" \t\r\n/") != std::string::npos)) {
    throw NetError("http: invalid Host header");
  }
  Conn conn(dl);
  bool https = u.scheme == "https";
  if (unix_socket) {
    conn.dial_unix(t.socket);
  } else {
    std::string port = u.port();
    if (port.empty()) port = https ? "443" : "80";
    conn.dial_tcp(u.hostname(), port);
  }
  if (https) {
    std::string name = u.hostname();
    if (host_header) {
      Url h;
      h.host = *host_header;
      name = h.hostname();
    }
    if (!tls.server_name.empty()) name = tls.server_name;
    conn.handshake(ctx, name, !tls.insecure);
  }
  std::string req;
  req.reserve(256 + body.size());
  req += method + " " + u.request_uri() + " HTTP/1.1\r\n";
  req += "Host: " + (host_header ? *host_header : u.host) + "\r\n";
  bool has_ua = false, has_conn = false, has_auth = false;
  for (const auto& [k, v] : headers) {
    has_ua = has_ua || k == "User-Agent";
    has_conn = has_conn || k == "Connection";
    has_auth = has_auth || k == "Authorization";
  }
  if (!has_ua) req += "User-Agent: Open Policy Agent/wartburg (linux)\r\n";
  for (const auto& [k, v] : headers) {
    if (k == "Host" || k == "Content-Length" || k == "Transfer-Encoding" || k == "Trailer") continue;
    req += k + ": " + v + "\r\n";
  }
  if (u.has_user && !has_auth) {
    req += "Authorization: Basic " + encode_base64(u.user + ":" + u.password, false, true) + "\r\n";
  }
  if (send_length || !body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!has_conn) req += "Connection: close\r\n";
  req += "\r\n";
  req += body;
  conn.write_all(req);

  Reader rd(conn);
  RawResponse r;
  std::string line;
  for (;;) {  // skip 1xx interim responses
    if (!rd.line(line, kMaxHeaderBytes)) throw NetError("EOF");
    if (line.rfind("HTTP/", 0) != 0 || line.size() < 12 || line[8] != ' ') {
      throw NetError("net/http: HTTP/1.x transport connection broken: malformed HTTP response " + go_quote(line));
    }
    std::string status = line.substr(9);
    status.erase(0, status.find_first_not_of(' '));
    std::string code = status.substr(0, status.find(' '));
    if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw NetError("net/http: HTTP/1.x transport connection broken: malformed HTTP status code " + go_quote(code));
    }
    r.status = status;
    r.status_code = std::stoi(code);
    r.headers.clear();
    size_t header_bytes = 0;
    for (;;) {
      if (!rd.line(line, kMaxHeaderBytes)) throw NetError("unexpected EOF");
      if (line.empty()) break;
      header_bytes += line.size();
      if (header_bytes > kMaxHeaderBytes) {
        throw NetError("net/http: server response headers exceeded " + std::to_string(kMaxHeaderBytes) + " bytes; aborted");
      }
      if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {  // obsolete line folding
        size_t s = line.find_first_not_of(" \t");
        if (s != std::string::npos) r.headers.back().second += " " + line.substr(s);
        continue;
      }
      size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0) {
        throw NetError("net/http: HTTP/1.x transport connection broken: malformed MIME header line: " + line);
      }
      std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      size_t a = value.find_first_not_of(" \t");
      size_t b = value.find_last_not_of(" \t");
      value = a == std::string::npos ? "" : value.substr(a, b - a + 1);
      r.headers.emplace_back(std::move(name), std::move(value));
    }
    if (r.status_code >= 100 && r.status_code < 200 && r.status_code != 101) continue;
    break;
  }
  bool no_body = method == "HEAD" || r.status_code == 204 || r.status_code == 304 ||
                 (r.status_code >= 100 && r.status_code < 200);
  if (no_body) return r;
  const std::string* te = r.header("Transfer-Encoding");
  if (te && strcasestr(te->c_str(), "chunked")) {
    // chunked: hex size [; extensions] CRLF data CRLF ... 0 CRLF trailers CRLF
    for (;;) {
      if (!rd.line(line, 4096)) throw NetError("unexpected EOF");
      std::string hex = line.substr(0, line.find(';'));
      while (!hex.empty() && (hex.back() == ' ' || hex.back() == '\t')) hex.pop_back();
      if (hex.empty() || hex.size() > 15 ||
          !std::all_of(hex.begin(), hex.end(), [](char c) { return hex_value(c) >= 0; })) {
        throw NetError("malformed chunked encoding");
      }
      size_t n = std::stoull(hex, nullptr, 16);
      if (n == 0) {
        while (rd.line(line, kMaxHeaderBytes) && !line.empty()) {
        }
        break;
      }
      if (r.body.size() + n > kMaxBody) {
        throw NetError("http: response body too large (limit " + std::to_string(kMaxBody) + " bytes)");
      }
      limits::reserve(limits::kValueOverhead + r.body.size() + n);  // within the evaluation's limits
      rd.exact(n, r.body);
      if (!rd.line(line, 4096) || !line.empty()) throw NetError("malformed chunked encoding");
    }
    // Go moves Transfer-Encoding out of the header map.
    r.headers.erase(std::remove_if(r.headers.begin(), r.headers.end(),
                                   [](const auto& h) { return strcasecmp(h.first.c_str(), "Transfer-Encoding") == 0; }),
                    r.headers.end());
  } else if (const std::string* cl = r.header("Content-Length")) {
    if (cl->empty() || cl->size() > 18 || !std::all_of(cl->begin(), cl->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw NetError("bad Content-Length " + go_quote(*cl));
    }
    size_t n = std::stoull(*cl);
    if (n > kMaxBody) throw NetError("http: response body too large (limit " + std::to_string(kMaxBody) + " bytes)");
    limits::reserve(limits::kValueOverhead + n);  // within the evaluation's limits
    rd.exact(n, r.body);
  } else {
    rd.rest(r.body, kMaxBody);
  }
  return r;
}

// client.Do: the exchange plus redirects. Throws SendError(Network) with Go's
// url.Error wording: <Op> "<url>": <why>.
RawResponse execute_once(const Options& o, const Url& first, SSL_CTX* ctx) {
  Deadline dl = Deadline::after(o.timeout_ns);
  Target t = target_of(first);
  std::string method = o.method;
  std::string body = o.body;
  // Go sends Content-Length: 0 only for POST, PUT and PATCH.
  bool send_length = method == "POST" || method == "PUT" || method == "PATCH";
  Headers headers = o.headers;
  std::optional<std::string> host_header = o.host_header;
  std::string orig_host = first.hostname();
  for (int redirects = 0;; ++redirects) {
    RawResponse r;
    try {
      r = exchange(t, method, body, send_length, headers, host_header, o.tls, ctx, dl);
    } catch (const NetError& e) {
      std::string op = op_name(method), url = t.url.text();
      if (e.timeout) {
        throw SendError(SendError::Network,
                        op + " " + go_quote(url) + ": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                        op + " " + url + ": request timed out");
      }
      throw SendError(SendError::Network, op + " " + go_quote(url) + ": " + e.what());
    }
    if (!o.redirect) return r;
    int c = r.status_code;
    if (c != 301 && c != 302 && c != 303 && c != 307 && c != 308) return r;
    const std::string* loc = r.header("Location");
    if (!loc) return r;
    Url ref;
    std::string why = parse_url_reason(*loc, ref);
    if (!why.empty()) {
      throw SendError(SendError::Network, op_name(method) + " " + go_quote(t.url.text()) +
                                              ": failed to parse Location header " + go_quote(*loc) + ": " + why);
    }
    if (redirects + 1 >= kMaxRedirects) {
      throw SendError(SendError::Network, op_name(method) + " " + go_quote(resolve_reference(t.url, ref).text()) +
                                              ": stopped after 10 redirects");
    }
    if (c == 301 || c == 302 || c == 303) {
      if (method != "GET" && method != "HEAD") method = "GET";
      body.clear();
      send_length = false;
    }
    std::string prev_host = t.url.host;
    t.url = resolve_reference(t.url, ref);
    if (t.url.host != prev_host) host_header.reset();  // Go keeps a Host override only on the same host
    if (!same_or_subdomain(t.url.hostname(), orig_host)) {
      headers.erase(std::remove_if(headers.begin(), headers.end(),
                                   [](const auto& h) {
                                     return h.first == "Authorization" || h.first == "Www-Authenticate" ||
                                            h.first == "Cookie" || h.first == "Cookie2";
                                   }),
                    headers.end());
    }
  }
}

// With retries (max_retry_attempts): network failures are retried after
// 100ms, 200ms, ... (capped at 60s, 10% jitter).
RawResponse execute(const Options& o, SSL_CTX* ctx) {
  Url first;
  std::string why = parse_url_reason(o.url, first);
  if (!why.empty()) throw SendError(SendError::Internal, "parse " + go_quote(o.url) + ": " + why);
  for (int attempt = 0;; ++attempt) {
    check_deadline();
    try {
      return execute_once(o, first, ctx);
    } catch (const SendError& e) {
      if (attempt >= o.max_retries) throw;
    }
    double delay_ms = std::min(100.0 * std::pow(2.0, attempt), 60000.0);
    thread_local std::mt19937 rng{std::random_device{}()};
    delay_ms *= std::uniform_real_distribution<double>(0.9, 1.1)(rng);
    // sleep in slices, checking the evaluation's deadline
    auto until = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(delay_ms * 1000));
    while (Clock::now() < until) {
      check_deadline();
      std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50)));
    }
  }
}

// ====================================================================== request options

const std::vector<std::string>& allowed_keys() {
  static const std::vector<std::string> k = {
      "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers",
      "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable",
      "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key",
      "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name",
      "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode",
      "max_retry_attempts", "cache_ignored_headers"};
  return k;
}

bool is_allowed_key(const Value& k) {
  if (!k.is_string()) return false;
  const auto& a = allowed_keys();
  return std::find(a.begin(), a.end(), k.str()) != a.end();
}

// Go's term.String(): the Rego text of a value.
std::string term_text(const Value& v) { return to_rego(v); }

// strconv.ParseBool(term.String())
bool go_parse_bool(const Value& v) {
  std::string s = term_text(v);
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  throw SendError(SendError::Internal, "strconv.ParseBool: parsing " + go_quote(s) + ": invalid syntax");
}

// strconv.ParseInt(term.String(), 10, 32)
int64_t go_parse_int32(const Value& v) {
  std::string s = term_text(v);
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i == s.size() || !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw SendError(SendError::Internal, "strconv.ParseInt: parsing " + go_quote(s) + ": invalid syntax");
  }
  errno = 0;
  long long n = std::strtoll(s.c_str(), nullptr, 10);
  if (errno == ERANGE || n > INT32_MAX || n < INT32_MIN) {
    throw SendError(SendError::Internal, "strconv.ParseInt: parsing " + go_quote(s) + ": value out of range");
  }
  return n;
}

// An optional boolean field: "invalid value for "<key>" field" unless boolean.
bool bool_field(const Value& req, const char* key) {
  const Value* v = req.find(key);
  if (!v) return false;
  if (!v->is_bool()) throw SendError(SendError::Internal, std::string("invalid value for \"") + key + "\" field");
  return v->as_bool();
}

// Go's time.ParseDuration; nullopt with the message in err.
std::optional<int64_t> parse_go_duration(const std::string& s, std::string& err) {
  auto bad = [&](const std::string& m) -> std::optional<int64_t> {
    err = m;
    return std::nullopt;
  };
  std::string_view in = s;
  bool neg = false;
  if (!in.empty() && (in[0] == '-' || in[0] == '+')) {
    neg = in[0] == '-';
    in.remove_prefix(1);
  }
  if (in == "0") return 0;
  if (in.empty()) return bad("time: invalid duration " + go_quote(s));
  long double total = 0;
  while (!in.empty()) {
    size_t i = 0;
    long double num = 0;
    bool digits = false;
    while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
      num = num * 10 + (in[i] - '0');
      ++i;
      digits = true;
    }
    if (i < in.size() && in[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
        num += (in[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return bad("time: invalid duration " + go_quote(s));
    size_t u = i;
    while (u < in.size() && in[u] != '.' && !(in[u] >= '0' && in[u] <= '9')) ++u;
    std::string_view unit = in.substr(i, u - i);
    if (unit.empty()) return bad("time: missing unit in duration " + go_quote(s));
    long double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") mult = 1e3L;
    else if (unit == "ms") mult = 1e6L;
    else if (unit == "s") mult = 1e9L;
    else if (unit == "m") mult = 60e9L;
    else if (unit == "h") mult = 3600e9L;
    else return bad("time: unknown unit " + go_quote(std::string(unit)) + " in duration " + go_quote(s));
    total += num * mult;
    if (total > 9.223372036854775807e18L) return bad("time: invalid duration " + go_quote(s));
    in.remove_prefix(u);
  }
  int64_t ns = static_cast<int64_t>(total);
  return neg ? -ns : ns;
}

int64_t default_timeout_ns() {
  static const int64_t t = [] {
    const char* env = std::getenv("HTTP_SEND_TIMEOUT");
    if (!env || !*env) return kDefaultTimeoutNs;
    std::string err;
    auto d = parse_go_duration(env, err);
    return d ? *d : kDefaultTimeoutNs;
  }();
  return t;
}

int64_t parse_timeout(const Value& v) {
  if (v.is_number()) {
    int64_t n;
    if (!v.is_integral() || !v.to_int64(n)) {
      throw SendError(SendError::Internal, "invalid timeout number value " + number_text(v) + ", must be int64");
    }
    return n;
  }
  if (v.is_string()) {
    const std::string& s = v.str();
    size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i < s.size() && s.size() < 20 && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(s);
    }
    std::string err;
    auto d = parse_go_duration(s, err);
    if (!d) throw SendError(SendError::Internal, "invalid timeout value " + to_rego(v) + ": " + err);
    return *d;
  }
  throw SendError(SendError::Type, "operand 1 'timeout' must be one of {string, number} but got " + type_name_for_error(v));
}

std::string read_file_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw SendError(SendError::Internal, "open " + path + ": " + errno_text(errno ? errno : ENOENT));
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string env_text(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? v : "";
}


// Go's createHTTPRequest: the request object as client options.
Options parse_options(const Value& req) {
  Options o;
  o.timeout_ns = default_timeout_ns();
  std::string raw_body;
  bool has_raw = false;
  std::string ca_file, ca_env, cert_file, key_file, cert_env, key_env;
  for (const auto& [kv, val] : req.entries()) {
    const std::string& key = kv.str();
    static const char* const string_keys[] = {
        "method", "url", "raw_body", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable",
        "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key",
        "tls_client_key_file", "tls_client_key_env_variable", "tls_server_name"};
    bool want_string = std::any_of(std::begin(string_keys), std::end(string_keys), [&](const char* s) { return key == s; });
    if (want_string && !val.is_string()) throw SendError(SendError::Internal, go_quote(key) + " must be a string");
    std::string s = val.is_string() ? val.str() : "";
    if (key == "method") {
      o.method = s;
      for (char& c : o.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (key == "url") {
      o.url = s;
    } else if (key == "enable_redirect") {
      o.redirect = go_parse_bool(val);
    } else if (key == "body") {
      o.body = go_json(val);
    } else if (key == "raw_body") {
      raw_body = s;
      has_raw = true;
    } else if (key == "tls_use_system_certs") {
      o.tls.use_system = go_parse_bool(val);
    } else if (key == "tls_ca_cert") {
      std::string pem = s;
      for (size_t p; (p = pem.find("\\n")) != std::string::npos;) pem.replace(p, 2, "\n");
      if (!pem.empty()) o.tls.ca_pems.push_back(pem);
    } else if (key == "tls_ca_cert_file") {
      ca_file = s;
    } else if (key == "tls_ca_cert_env_variable") {
      ca_env = s;
    } else if (key == "tls_client_cert") {
      o.tls.client_cert = s;
    } else if (key == "tls_client_cert_file") {
      cert_file = s;
    } else if (key == "tls_client_cert_env_variable") {
      cert_env = s;
    } else if (key == "tls_client_key") {
      o.tls.client_key = s;
    } else if (key == "tls_client_key_file") {
      key_file = s;
    } else if (key == "tls_client_key_env_variable") {
      key_env = s;
    } else if (key == "tls_server_name") {
      o.tls.server_name = s;
    } else if (key == "headers") {
      if (!val.is_object()) throw SendError(SendError::Internal, "invalid type for headers key");
      for (const auto& [hk, hv] : val.entries()) {
        if (!hv.is_string()) throw SendError(SendError::Internal, "invalid type for headers value " + go_quote(to_json(hv)));
        std::string name = canonical_header(hk.is_string() ? hk.str() : to_json(hk));
        o.headers.erase(std::remove_if(o.headers.begin(), o.headers.end(), [&](const auto& h) { return h.first == name; }),
                        o.headers.end());
        o.headers.emplace_back(name, hv.str());
        if (name == "Host") o.host_header = hv.str();
      }
    } else if (key == "tls_insecure_skip_verify") {
      o.tls.insecure = go_parse_bool(val);
    } else if (key == "timeout") {
      o.timeout_ns = parse_timeout(val);
    } else if (key == "max_retry_attempts") {
      o.max_retries = static_cast<int>(std::max<int64_t>(0, go_parse_int32(val)));
    }
    // cache, caching_mode, force_cache, force_cache_duration_seconds,
    // force_json_decode, force_yaml_decode, raise_error, cache_ignored_headers:
    // read elsewhere.
  }
  if (has_raw) {
    o.body = raw_body;
  }
  if (o.method.empty()) o.method = "GET";
  if (!std::all_of(o.method.begin(), o.method.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); })) {
    throw SendError(SendError::Internal, "net/http: invalid method " + go_quote(o.method));
  }
  // client certificate pairs: inline, files, environment variables
  if (!o.tls.client_cert.empty() && !o.tls.client_key.empty()) {
    o.tls.has_client = true;
  } else {
    o.tls.client_cert.clear();
    o.tls.client_key.clear();
  }
  if (!cert_file.empty() && !key_file.empty()) {
    o.tls.client_cert = read_file_text(cert_file);
    o.tls.client_key = read_file_text(key_file);
    o.tls.has_client = true;
  }
  if (!cert_env.empty() && !key_env.empty()) {
    o.tls.client_cert = env_text(cert_env);
    o.tls.client_key = env_text(key_env);
    o.tls.has_client = true;
  }
  if (!ca_file.empty()) {
    std::string pem = read_file_text(ca_file);
    X509_STORE* probe = X509_STORE_new();
    int n = add_pem_certs(probe, pem);
    X509_STORE_free(probe);
    if (n == 0) throw SendError(SendError::Internal, "could not append CA certificates from " + go_quote(ca_file));
    o.tls.ca_pems.push_back(pem);
  }
  if (!ca_env.empty()) {
    std::string pem = env_text(ca_env);
    X509_STORE* probe = X509_STORE_new();
    int n = add_pem_certs(probe, pem);
    X509_STORE_free(probe);
    if (n == 0) {
      throw SendError(SendError::Internal,
                      "could not add CA certificates from envvar " + go_quote(ca_env) + ": could not append certificates");
    }
    o.tls.ca_pems.push_back(pem);
  }
  return o;
}

// ====================================================================== responses

int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The evaluation's clock (time.now_ns), taken now if not yet.
int64_t eval_now_ns(Context& ctx) {
  if (ctx.now_ns == 0) ctx.now_ns = wall_now_ns();
  return ctx.now_ns;
}

bool content_type_is(const RawResponse& r, std::initializer_list<const char*> types) {
  const std::string* ct = r.header("Content-Type");
  if (!ct) return false;
  for (const char* t : types) {
    if (ct->find(t) != std::string::npos) return true;
  }
  return false;
}

Value format_response(const RawResponse& r, bool force_json, bool force_yaml) {
  Value body = Value::null();
  try {
    if (force_json || content_type_is(r, {"application/json"})) {
      body = parse_json(r.body);
    } else if (force_yaml || content_type_is(r, {"application/yaml", "application/x-yaml"})) {
      body = parse_yaml(r.body);
    }
  } catch (const std::exception&) {
    body = Value::null();  // as OPA: a body that does not decode is null
  }
  std::map<std::string, std::vector<Value>> hdrs;
  for (const auto& [k, v] : r.headers) {
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    hdrs[name].push_back(Value::string(v));
  }
  ObjectBuilder h;
  for (auto& [k, vs] : hdrs) h.add(k, Value::array(std::move(vs)));
  ObjectBuilder o;
  o.add("status", Value::string(r.status));
  o.add("status_code", Value::integer(r.status_code));
  o.add("body", body);
  o.add("raw_body", Value::string(r.body));
  o.add("headers", h.build());
  return o.build();
}

bool cacheable_status(int c) {
  switch (c) {
    case 200: case 203: case 204: case 206: case 300: case 301: case 404: case 405: case 410: case 414: case 501:
      return true;
    default:
      return false;
  }
}

// ====================================================================== inter-query cache

// Cache-Control directives (Go's parseCacheControlHeader).
std::map<std::string, std::string> cache_control(const RawResponse& r) {
  std::map<std::string, std::string> out;
  const std::string* cc = r.header("Cache-Control");
  if (!cc) return out;
  std::stringstream ss(*cc);
  std::string part;
  while (std::getline(ss, part, ',')) {
    size_t a = part.find_first_not_of(' '), b = part.find_last_not_of(' ');
    if (a == std::string::npos) continue;
    part = part.substr(a, b - a + 1);
    size_t eq = part.find('=');
    if (eq == std::string::npos) {
      out[part] = "";
    } else if (part.find('=', eq + 1) == std::string::npos) {
      std::string k = part.substr(0, eq);
      while (!k.empty() && k.back() == ' ') k.pop_back();
      out[k] = part.substr(eq + 1);
    }
  }
  return out;
}

// http.ParseTime: RFC 1123, RFC 850 and asctime forms; nullopt if none fits.
std::optional<int64_t> parse_http_time(const std::string& s) {
  static const char* const formats[] = {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"};
  for (const char* f : formats) {
    std::tm tm{};
    const char* end = strptime(s.c_str(), f, &tm);
    if (end && *end == '\0') return static_cast<int64_t>(timegm(&tm)) * 1'000'000'000;
  }
  return std::nullopt;
}

// Expiry from the headers (Go's expiryFromHeaders): max-age counts from the
// Date header (required), else Expires, else already stale (0). nullopt: not storable.
std::optional<int64_t> expiry_from_headers(const RawResponse& r) {
  auto cc = cache_control(r);
  auto it = cc.find("max-age");
  if (it != cc.end()) {
    const std::string& m = it->second;
    if (m.empty() || !std::all_of(m.begin(), m.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    int64_t secs = m.size() > 10 ? INT32_MAX : std::min<int64_t>(std::stoll(m), INT32_MAX);
    const std::string* date = r.header("Date");
    if (!date) return std::nullopt;
    auto d = parse_http_time(*date);
    if (!d) return std::nullopt;
    return *d + secs * 1'000'000'000;
  }
  if (const std::string* exp = r.header("Expires")) {
    if (auto e = parse_http_time(*exp)) return *e;
  }
  return 0;
}

struct CacheEntry {
  RawResponse response;
  int64_t expires_ns = 0;
  size_t bytes = 0;
  std::list<Value>::iterator age;  // position in the insertion order
};

// Process-wide cache of responses for "cache"/"force_cache" requests, keyed
// by the request object, bounded in bytes; the oldest entries go first.
class ResponseCache {
 public:
  static ResponseCache& instance() {
    static ResponseCache* c = new ResponseCache();  // never destroyed: used from any thread until exit
    return *c;
  }
  std::optional<CacheEntry> get(const Value& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void put(const Value& key, RawResponse r, int64_t expires_ns) {
    // the key is the request, which may hold a large body: it counts too
    size_t bytes = r.body.size() + r.status.size() + 256 + tree_bytes(key, kLimit + 1);
    for (const auto& [k, v] : r.headers) bytes += k.size() + v.size() + 32;
    if (bytes > kLimit) return;
    std::lock_guard<std::mutex> lock(mu_);
    erase_locked(key);
    while ((bytes_ + bytes > kLimit || map_.size() >= kMaxEntries) && !order_.empty()) {
      erase_locked(Value(order_.front()));
    }
    order_.push_back(key);
    CacheEntry e{std::move(r), expires_ns, bytes, std::prev(order_.end())};
    bytes_ += bytes;
    map_.emplace(key, std::move(e));
  }
  void erase(const Value& key) {
    std::lock_guard<std::mutex> lock(mu_);
    erase_locked(key);
  }

  static constexpr size_t kLimit = size_t{64} << 20;
  static constexpr size_t kMaxEntries = 10000;

 private:
  void erase_locked(const Value& key) {
    auto it = map_.find(key);
    if (it == map_.end()) return;
    bytes_ -= it->second.bytes;
    order_.erase(it->second.age);
    map_.erase(it);
  }
  std::mutex mu_;
  std::map<Value, CacheEntry> map_;
  std::list<Value> order_;
  size_t bytes_ = 0;
};

struct CachePolicy {
  bool inter = false;         // "cache" or "force_cache"
  int64_t force_seconds = 0;  // > 0: force caching for this long
};

// Go's useInterQueryCache / newForceCacheParams.
CachePolicy cache_policy(const Value& req) {
  CachePolicy p;
  bool cache = bool_field(req, "cache");
  bool force = bool_field(req, "force_cache");
  if (force) {
    const Value* d = req.find("force_cache_duration_seconds");
    if (!d) throw SendError(SendError::Internal, "'force_cache' set but 'force_cache_duration_seconds' parameter is missing");
    p.force_seconds = go_parse_int32(*d);
    p.inter = true;
  } else {
    p.inter = cache;
  }
  return p;
}

// Stores a fresh response in the process cache when allowed.
void store_inter(const Value& key, const RawResponse& r, const CachePolicy& p, int64_t now_ns) {
  if (!cacheable_status(r.status_code)) return;
  bool forced = p.force_seconds > 0;
  if (!forced && cache_control(r).count("no-store")) return;
  int64_t expires;
  if (forced) {
    expires = now_ns + p.force_seconds * 1'000'000'000;
  } else {
    auto e = expiry_from_headers(r);
    if (!e) return;
    expires = *e;
  }
  ResponseCache::instance().put(key, r, expires);
}

// The cache key: the request without cache_ignored_headers (and the headers it names).
Value cache_key(const Value& req) {
  const Value* ignored = req.find("cache_ignored_headers");
  if (!ignored) return req;
  std::vector<std::string> names;
  if (ignored->is_array() || ignored->is_set()) {
    for (const Value& n : ignored->items()) {
      if (n.is_string()) names.push_back(canonical_header(n.str()));
    }
  }
  ObjectBuilder out;
  for (const auto& [k, v] : req.entries()) {
    if (k.is_string() && k.str() == "cache_ignored_headers") continue;
    if (k.is_string() && k.str() == "headers" && v.is_object()) {
      ObjectBuilder h;
      for (const auto& [hk, hv] : v.entries()) {
        std::string name = canonical_header(hk.is_string() ? hk.str() : "");
        if (std::find(names.begin(), names.end(), name) == names.end()) h.add(hk, hv);
      }
      out.add(k, h.build());
      continue;
    }
    out.add(k, v);
  }
  return out.build();
}

// A stale entry with validators: ask the server. 304 refreshes the entry and
// returns it, 200 replaces it; otherwise nullopt (and the entry is dropped).
std::optional<RawResponse> revalidate(const Value& key, const Value& req, CacheEntry entry, const CachePolicy& p,
                                      int64_t now_ns) {
  const std::string* etag = entry.response.header("ETag");
  const std::string* modified = entry.response.header("Last-Modified");
  ResponseCache::instance().erase(key);
  if (!etag && !modified) return std::nullopt;
  Options o = parse_options(req);
  auto set_header = [&](const std::string& name, const std::string& value) {
    o.headers.erase(std::remove_if(o.headers.begin(), o.headers.end(), [&](const auto& h) { return h.first == name; }),
                    o.headers.end());
    o.headers.emplace_back(name, value);
  };
  if (etag) set_header("If-None-Match", *etag);
  if (modified) set_header("If-Modified-Since", *modified);
  CtxPtr own;
  SSL_CTX* ctx = tls_context(o.tls, own);
  RawResponse fresh = execute(o, ctx);
  if (fresh.status_code == 200) {
    store_inter(key, fresh, p, now_ns);
    return fresh;
  }
  if (fresh.status_code != 304) return std::nullopt;
  RawResponse& cached = entry.response;
  for (const auto& [k, v] : fresh.headers) {
    cached.headers.erase(std::remove_if(cached.headers.begin(), cached.headers.end(),
                                        [&](const auto& h) { return strcasecmp(h.first.c_str(), k.c_str()) == 0; }),
                         cached.headers.end());
  }
  for (const auto& h : fresh.headers) cached.headers.push_back(h);
  auto e = expiry_from_headers(cached);
  ResponseCache::instance().put(key, cached, e ? *e : 0);
  return cached;
}

// ====================================================================== the builtin

void validate_request(const Value& req) {
  SetBuilder invalid;
  bool any_invalid = false;
  for (const auto& [k, v] : req.entries()) {
    if (!is_allowed_key(k)) {
      invalid.add(k);
      any_invalid = true;
    }
  }
  if (any_invalid) throw TypeError("operand 1 invalid request parameters(s): " + to_rego(invalid.build()));
  SetBuilder missing;
  bool any_missing = false;
  for (const char* k : {"method", "url"}) {
    if (!req.find(k)) {
      missing.add(Value::string(k));
      any_missing = true;
    }
  }
  if (any_missing) throw TypeError("operand 1 missing required request parameters(s): " + to_rego(missing.build()));
}

Value error_response(const SendError& e) {
  ObjectBuilder err;
  err.add("code", Value::string(e.kind == SendError::Network ? "eval_http_send_network_error" : "eval_http_send_internal_error"));
  err.add("message", Value::string(e.what()));
  ObjectBuilder o;
  o.add("status_code", Value::integer(0));
  o.add("error", err.build());
  return o.build();
}

Value get_response(Context& ctx, const Value& req) {
  Value key = cache_key(req);
  Value memo_key = Value::array({Value::string("http.send"), key});
  Value memo_err_key = Value::array({Value::string("http.send error"), key});
  if (ctx.memo) {
    auto it = ctx.memo->find(memo_key);
    if (it != ctx.memo->end()) return it->second;
    auto et = ctx.memo->find(memo_err_key);
    if (et != ctx.memo->end()) {
      const auto& items = et->second.items();
      throw SendError(static_cast<SendError::Kind>(items[0].as_int()), items[1].str(), items[2].str());
    }
  }
  auto remember_error = [&](const SendError& e) {
    if (ctx.memo) {
      (*ctx.memo)[memo_err_key] = Value::array(
          {Value::integer(static_cast<int64_t>(e.kind)), Value::string(e.what()), Value::string(e.raised)});
    }
  };
  CachePolicy policy = cache_policy(req);
  bool force_json = bool_field(req, "force_json_decode");
  bool force_yaml = bool_field(req, "force_yaml_decode");
  if (policy.inter) {
    if (const Value* mode = req.find("caching_mode")) {
      if (!mode->is_string()) throw SendError(SendError::Internal, "invalid value for \"caching_mode\" field");
      if (mode->str() != "serialized" && mode->str() != "deserialized") {
        throw SendError(SendError::Internal, "invalid value specified for \"caching_mode\" field: " + mode->str());
      }
    }
    int64_t now = eval_now_ns(ctx);
    if (auto entry = ResponseCache::instance().get(key)) {
      std::optional<RawResponse> hit;
      if (now < entry->expires_ns) {
        hit = std::move(entry->response);
      } else {
        try {
          hit = revalidate(key, req, std::move(*entry), policy, now);
        } catch (const SendError& e) {
          remember_error(e);
          throw;
        }
      }
      if (hit) {
        Value v = format_response(*hit, force_json, force_yaml);
        if (ctx.memo) (*ctx.memo)[memo_key] = v;
        return v;
      }
    }
  }
  Options o = parse_options(req);
  CtxPtr own;
  SSL_CTX* ssl_ctx = nullptr;
  RawResponse r;
  try {
    ssl_ctx = tls_context(o.tls, own);
    r = execute(o, ssl_ctx);
  } catch (const SendError& e) {
    remember_error(e);
    throw;
  }
  Value v = format_response(r, force_json, force_yaml);
  if (policy.inter) {
    if (ctx.memo) (*ctx.memo)[memo_key] = v;
    store_inter(key, r, policy, eval_now_ns(ctx));
  } else if (cacheable_status(r.status_code) && ctx.memo) {
    (*ctx.memo)[memo_key] = v;
  }
  return v;
}

Value http_send(Context& ctx, const Value* args) {
  const Value& req = need_object(args, 1);
  validate_request(req);
  bool raise = true;
  if (const Value* re = req.find("raise_error")) {
    if (!re->is_bool()) throw BuiltinError("invalid value for raise_error field");
    raise = re->as_bool();
  }
  try {
    return get_response(ctx, req);
  } catch (const SendError& e) {
    if (!raise) return error_response(e);
    if (e.kind == SendError::Type) throw TypeError(e.raised);
    throw BuiltinError(e.raised);
  }
}

}  // namespace

// providers.aws.sign_req (aws.cpp) checks its request with http.send's rules.
void http_validate_request(const Value& req) { validate_request(req); }

void register_http(Registry& r) { r.add({"http.send", 1, http_send, "(object) => object"}); }

}  // namespace wartburg::builtins
