// HTTP request and response as the sidecar's handlers see them, independent
// of the transport (Boost.Beast lives only in server.cpp). A Handler turns a
// Request into a Response; handlers must be thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wartburg::sidecar {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/v1/data/a/b?pretty=true"
  std::string path;    // percent-decoded path without the query, e.g. "/v1/data/a/b"
  std::vector<std::pair<std::string, std::string>> query;    // decoded parameters, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_addr;      // "127.0.0.1:54321"
  bool tls = false;
  std::string client_subject;   // subject of the verified client certificate (mTLS), else empty

  const std::string* header(std::string_view name) const;  // name in lower case
  const std::string* param(std::string_view name) const;
  bool has_param(std::string_view name) const { return param(name) != nullptr; }
  // "?pretty" and "?pretty=true" are true; "?pretty=false" is false (as OPA's boolean parameters).
  bool flag(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response json(int status, std::string body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  // OPA's error shape: {"code": code, "message": message} (+ "errors" when given as JSON array text)
  static Response error(int status, std::string_view code, std::string_view message,
                        std::string_view errors_json = {});
};

using Handler = std::function<Response(const Request&)>;

// Splits "a=1&b=%20x" into decoded pairs; percent-decoding of paths and queries.
std::vector<std::pair<std::string, std::string>> parse_query_string(std::string_view qs);
std::string percent_decode(std::string_view s, bool plus_is_space);

}  // namespace wartburg::sidecar
