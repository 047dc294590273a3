// OPA-Envoy's input document for an ext_authz v3 CheckRequest (see
// authz_grpc.h). As OPA-Envoy's current request mapping (protomap): every
// populated field under its JSON (lowerCamelCase) name, unpopulated fields
// left out, integers as numbers, enums as their numbers, bytes as base64,
// google.protobuf.Struct as an object and other messages (Timestamp, Any) as
// their fields. Then parsed_path, parsed_query (Go's url.PathUnescape and
// url.ParseQuery), parsed_body and truncated_body (JSON, form and multipart
// bodies), source_principal and version. A path, query or body that cannot be
// parsed is a GrpcRequestParseError, answered as OPA-Envoy does (denied, 400).
#include <openssl/evp.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "google/protobuf/struct.pb.h"
#include "policy/json.h"
#include "sidecar/authz_grpc.h"

namespace wartburg::sidecar {

namespace pb = google::protobuf;

namespace {

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

Value struct_value(const pb::Value& v);

Value struct_object(const pb::Struct& s) {
  ObjectBuilder o;
  for (const auto& [k, v] : s.fields()) o.add(k, struct_value(v));
  return o.build();
}

Value struct_value(const pb::Value& v) {
  switch (v.kind_case()) {
    case pb::Value::kNullValue: return Value::null();
    case pb::Value::kNumberValue: return Value::number(v.number_value());
    case pb::Value::kStringValue: return Value::string(v.string_value());
    case pb::Value::kBoolValue: return Value::boolean(v.bool_value());
    case pb::Value::kStructValue: return struct_object(v.struct_value());
    case pb::Value::kListValue: {
      std::vector<Value> items;
      for (const auto& e : v.list_value().values()) items.push_back(struct_value(e));
      return Value::array(std::move(items));
    }
    default: return Value::null();
  }
}

Value message_value(const pb::Message& m);

// One value of field `f` (element `i` of a repeated field, or -1).
Value field_value(const pb::Message& m, const pb::FieldDescriptor* f, int i) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = i >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return Value::integer(rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return Value::integer(rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return Value::integer(rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t u = rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f);
      return u <= static_cast<uint64_t>(INT64_MAX) ? Value::integer(static_cast<int64_t>(u))
                                                   : Value::number_from_text(std::to_string(u));
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: return Value::number(rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f));
    case pb::FieldDescriptor::CPPTYPE_FLOAT: return Value::number(rep ? r->GetRepeatedFloat(m, f, i) : r->GetFloat(m, f));
    case pb::FieldDescriptor::CPPTYPE_BOOL: return Value::boolean(rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f));
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return Value::integer(rep ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f));
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      std::string s = rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f);
      return Value::string(f->type() == pb::FieldDescriptor::TYPE_BYTES ? base64(s) : std::move(s));
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return message_value(rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f));
  }
  return Value::null();
}

Value message_value(const pb::Message& m) {
  if (m.GetDescriptor()->full_name() == "google.protobuf.Struct") {
    return struct_object(static_cast<const pb::Struct&>(m));
  }
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);  // the populated ones, by number
  ObjectBuilder o;
  for (const pb::FieldDescriptor* f : fields) {
    if (f->is_map()) {
      const pb::FieldDescriptor* kf = f->message_type()->map_key();
      const pb::FieldDescriptor* vf = f->message_type()->map_value();
      std::vector<std::pair<Value, Value>> entries;
      for (int i = 0, n = r->FieldSize(m, f); i < n; ++i) {
        const pb::Message& e = r->GetRepeatedMessage(m, f, i);
        Value k = field_value(e, kf, -1);
        entries.emplace_back(k.is_string() ? k : Value::string(to_json(k)), field_value(e, vf, -1));
      }
      o.add(f->json_name(), Value::object(std::move(entries)));
    } else if (f->is_repeated()) {
      std::vector<Value> items;
      for (int i = 0, n = r->FieldSize(m, f); i < n; ++i) items.push_back(field_value(m, f, i));
      o.add(f->json_name(), Value::array(std::move(items)));
    } else {
      o.add(f->json_name(), field_value(m, f, -1));
    }
  }
  return o.build();
}

// The same mapping with the generated accessors for the messages of the
// ext_authz API (reflection over map fields costs a copy of each map per
// access; this runs per check). message_value stays the reference: the fuzz
// target checks that both agree (grpc_authz_attributes_reference).
namespace core = envoy::config::core::v3;
namespace auth = envoy::service::auth::v3;

template <class M>
Value string_map(const M& m) {
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(m.size());
  for (const auto& [k, v] : m) entries.emplace_back(Value::string(k), Value::string(v));
  return Value::object(std::move(entries));
}

Value address_value(const core::Address& a) {
  ObjectBuilder o;
  if (a.has_socket_address()) {
    const core::SocketAddress& s = a.socket_address();
    ObjectBuilder so;
    if (s.protocol() != 0) so.add("protocol", Value::integer(s.protocol()));
    if (!s.address().empty()) so.add("address", Value::string(s.address()));
    if (s.has_port_value()) so.add("portValue", Value::integer(s.port_value()));
    if (s.has_named_port()) so.add("namedPort", Value::string(s.named_port()));
    if (!s.resolver_name().empty()) so.add("resolverName", Value::string(s.resolver_name()));
    if (s.ipv4_compat()) so.add("ipv4Compat", Value::boolean(true));
    o.add("socketAddress", so.build());
  } else if (a.has_pipe() || a.has_envoy_internal_address()) {
    return message_value(a);  // rare: the generic mapping
  }
  return o.build();
}

Value peer_value(const auth::AttributeContext::Peer& p) {
  ObjectBuilder o;
  if (p.has_address()) o.add("address", address_value(p.address()));
  if (!p.service().empty()) o.add("service", Value::string(p.service()));
  if (!p.labels().empty()) o.add("labels", string_map(p.labels()));
  if (!p.principal().empty()) o.add("principal", Value::string(p.principal()));
  if (!p.certificate().empty()) o.add("certificate", Value::string(p.certificate()));
  return o.build();
}

Value http_value(const auth::AttributeContext::HttpRequest& h) {
  ObjectBuilder o;
  if (!h.id().empty()) o.add("id", Value::string(h.id()));
  if (!h.method().empty()) o.add("method", Value::string(h.method()));
  if (!h.headers().empty()) o.add("headers", string_map(h.headers()));
  if (h.has_header_map()) o.add("headerMap", message_value(h.header_map()));
  if (!h.path().empty()) o.add("path", Value::string(h.path()));
  if (!h.host().empty()) o.add("host", Value::string(h.host()));
  if (!h.scheme().empty()) o.add("scheme", Value::string(h.scheme()));
  if (!h.query().empty()) o.add("query", Value::string(h.query()));
  if (!h.fragment().empty()) o.add("fragment", Value::string(h.fragment()));
  if (h.size() != 0) o.add("size", Value::integer(h.size()));
  if (!h.protocol().empty()) o.add("protocol", Value::string(h.protocol()));
  if (!h.body().empty()) o.add("body", Value::string(h.body()));
  if (!h.raw_body().empty()) o.add("rawBody", Value::string(base64(h.raw_body())));
  return o.build();
}

Value attributes_value(const auth::AttributeContext& a) {
  ObjectBuilder o;
  if (a.has_source()) o.add("source", peer_value(a.source()));
  if (a.has_destination()) o.add("destination", peer_value(a.destination()));
  if (a.has_request()) {
    ObjectBuilder r;
    if (a.request().has_time()) r.add("time", message_value(a.request().time()));
    if (a.request().has_http()) r.add("http", http_value(a.request().http()));
    o.add("request", r.build());
  }
  if (!a.context_extensions().empty()) o.add("contextExtensions", string_map(a.context_extensions()));
  if (a.has_metadata_context()) o.add("metadataContext", message_value(a.metadata_context()));
  if (a.has_tls_session()) o.add("tlsSession", message_value(a.tls_session()));
  if (a.has_route_metadata_context()) o.add("routeMetadataContext", message_value(a.route_metadata_context()));
  return o.build();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go's url.PathUnescape (plus_is_space false) and url.QueryUnescape (true).
std::string go_unescape(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      int hi = i + 2 < s.size() ? hex_digit(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hex_digit(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        std::string bad(s.substr(i, std::min<size_t>(3, s.size() - i)));
        throw GrpcRequestParseError("invalid URL escape \"" + bad + "\"");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Go's url.ParseQuery: {key: [values]}; the first error is thrown.
std::map<std::string, std::vector<std::string>> go_parse_query(std::string_view q) {
  std::map<std::string, std::vector<std::string>> m;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view kv = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (kv.find(';') != std::string_view::npos) throw GrpcRequestParseError("invalid semicolon separator in query");
    if (kv.empty()) continue;
    size_t eq = kv.find('=');
    std::string key = go_unescape(kv.substr(0, eq), true);
    std::string val = eq == std::string_view::npos ? std::string() : go_unescape(kv.substr(eq + 1), true);
    m[key].push_back(std::move(val));
  }
  return m;
}

Value string_lists(const std::map<std::string, std::vector<std::string>>& m) {
  ObjectBuilder o;
  for (const auto& [k, vs] : m) {
    std::vector<Value> items;
    for (const auto& v : vs) items.push_back(Value::string(v));
    o.add(k, Value::array(std::move(items)));
  }
  return o.build();
}

// content-length (when sent) larger than the body received: Envoy passed a
// truncated body (max_request_bytes with allow_partial_message).
bool truncated(const std::map<std::string, std::string>& headers, const std::string& body) {
  auto it = headers.find("content-length");
  if (it == headers.end()) return false;
  long long cl = 0;
  try {
    size_t used = 0;
    cl = std::stoll(it->second, &used);
    if (used != it->second.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw GrpcRequestParseError("strconv.ParseInt: parsing \"" + it->second + "\": invalid syntax");
  }
  return cl != -1 && cl > static_cast<long long>(body.size());
}

std::string header_param(std::string_view header, std::string_view name) {
  // `name=value` or `name="value"` among the `;`-separated parameters
  size_t pos = 0;
  while ((pos = header.find(';', pos)) != std::string_view::npos) {
    ++pos;
    while (pos < header.size() && header[pos] == ' ') ++pos;
    if (header.substr(pos, name.size()) != name || pos + name.size() >= header.size() || header[pos + name.size()] != '=') {
      continue;
    }
    std::string_view v = header.substr(pos + name.size() + 1);
    if (!v.empty() && v.front() == '"') {
      size_t close = v.find('"', 1);
      return std::string(v.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
    }
    return std::string(v.substr(0, v.find(';')));
  }
  return {};
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// multipart/form-data: {name: [values]}; parts whose Content-Type is JSON are parsed.
Value multipart(const std::string& content_type, const std::string& body) {
  std::string boundary = header_param(content_type, "boundary");
  if (boundary.empty()) return Value::null();
  const std::string delim = "--" + boundary;
  std::map<std::string, std::vector<Value>> parts;
  size_t pos = body.find(delim);
  while (pos != std::string::npos) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // the closing delimiter
    if (body.compare(pos, 2, "\r\n") == 0) pos += 2;
    size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) throw GrpcRequestParseError("multipart: NextPart: EOF");
    size_t next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string::npos) throw GrpcRequestParseError("multipart: NextPart: EOF");
    std::string name, part_type;
    std::string_view head(body.data() + pos, head_end - pos);
    while (!head.empty()) {
      size_t eol = head.find("\r\n");
      std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string key = lower(std::string(line.substr(0, colon)));
      std::string_view val = line.substr(colon + 1);
      if (key == "content-disposition" && lower(std::string(val)).find("form-data") != std::string::npos) {
        name = header_param(val, "name");
      } else if (key == "content-type") {
        part_type = std::string(val);
      }
    }
    std::string content = body.substr(head_end + 4, next - head_end - 4);
    if (!name.empty()) {
      if (part_type.find("application/json") != std::string::npos) {
        try {
          parts[name].push_back(parse_json(content));
        } catch (const std::exception& e) {
          throw GrpcRequestParseError(e.what());
        }
      } else {
        parts[name].push_back(Value::string(content));
      }
    }
    pos = next + 2;
  }
  ObjectBuilder o;
  for (auto& [k, vs] : parts) o.add(k, Value::array(std::move(vs)));
  return o.build();
}

// parsed_body and truncated_body, as OPA-Envoy's getParsedBody.
std::pair<Value, bool> parsed_body(const std::map<std::string, std::string>& headers, const std::string& body) {
  if (auto it = headers.find("x-envoy-auth-partial-body"); it != headers.end() && it->second == "true") {
    return {Value::null(), true};
  }
  auto ct = headers.find("content-type");
  if (ct == headers.end() || body.empty()) return {Value::null(), false};
  const std::string& type = ct->second;
  const bool json = type.find("application/json") != std::string::npos;
  const bool form = type.find("application/x-www-form-urlencoded") != std::string::npos;
  const bool mp = type.find("multipart/form-data") != std::string::npos;
  if (!json && !form && !mp) return {Value::null(), false};  // gRPC bodies need descriptors: not parsed
  if (truncated(headers, body)) return {Value::null(), true};
  if (json) {
    try {
      return {parse_json(body), false};
    } catch (const std::exception& e) {
      throw GrpcRequestParseError(e.what());
    }
  }
  if (form) return {string_lists(go_parse_query(body)), false};
  return {multipart(type, body), false};
}

}  // namespace

Value grpc_authz_input(const envoy::service::auth::v3::CheckRequest& req, bool skip_body_parse) {
  ObjectBuilder in;
  if (req.has_attributes()) in.add("attributes", attributes_value(req.attributes()));
  const auto& http = req.attributes().request().http();
  std::string_view path = http.path();
  size_t q = path.find('?');
  std::string decoded = go_unescape(path.substr(0, q), false);
  std::vector<Value> segs;
  size_t start = decoded.find_first_not_of('/');
  std::string_view rest = start == std::string::npos ? std::string_view() : std::string_view(decoded).substr(start);
  for (;;) {
    size_t slash = rest.find('/');
    segs.push_back(Value::string(rest.substr(0, slash)));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  Value query = string_lists(go_parse_query(q == std::string_view::npos ? std::string_view() : path.substr(q + 1)));

  in.add("parsed_path", Value::array(std::move(segs)));
  in.add("parsed_query", query);
  if (!skip_body_parse) {
    std::map<std::string, std::string> headers(http.headers().begin(), http.headers().end());
    const std::string& body = http.body().empty() ? http.raw_body() : http.body();
    auto [parsed, trunc] = parsed_body(headers, body);
    in.add("parsed_body", parsed);
    in.add("truncated_body", Value::boolean(trunc));
  }
  if (!req.attributes().source().principal().empty()) {
    in.add("source_principal", Value::string(req.attributes().source().principal()));
  }
  ObjectBuilder version;
  version.add("encoding", Value::string("protojson"));
  version.add("ext_authz", Value::string("v3"));
  in.add("version", version.build());
  return in.build();
}

Value grpc_authz_attributes_reference(const envoy::service::auth::v3::CheckRequest& req) {
  return req.has_attributes() ? message_value(req.attributes()) : Value();
}

}  // namespace wartburg::sidecar
