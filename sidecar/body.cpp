// Bounded request body decoding (see body.h), with zlib's streaming inflate:
// output is produced in chunks and the inflater stops as soon as the total
// would exceed the limit.
#include "sidecar/body.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace wartburg::sidecar {

namespace {

std::string trim_lower(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  std::string out(s.substr(b, e - b + 1));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string limit_text(size_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

std::string gunzip_limited(std::string_view gz, size_t max_out) {
  std::string out;
  size_t pos = 0;
  // A gzip file may hold several members back to back (RFC 1952 2.2).
  do {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw BodyDecodeError("gzip: cannot initialize the decoder");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + pos));
    size_t in_left = gz.size() - pos;
    char buf[1 << 15];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (zs.avail_in == 0) {
        uInt chunk = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
        zs.avail_in = chunk;
        in_left -= chunk;
      }
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        std::string msg = zs.msg ? zs.msg : "corrupt data";
        inflateEnd(&zs);
        throw BodyDecodeError("gzip: " + msg);
      }
      size_t produced = sizeof buf - zs.avail_out;
      if (produced > max_out - out.size()) {
        inflateEnd(&zs);
        throw BodyTooLarge("decompressed request body exceeds the limit of " + limit_text(max_out));
      }
      out.append(buf, produced);
      if (rc == Z_BUF_ERROR || (rc == Z_OK && zs.avail_in == 0 && in_left == 0 && produced == 0)) {
        inflateEnd(&zs);
        throw BodyDecodeError("gzip: unexpected end of data");
      }
    }
    pos = gz.size() - in_left - zs.avail_in;
    inflateEnd(&zs);
    // Trailing zero padding after the last member is tolerated (as gzip(1) does).
  } while (pos < gz.size() && std::any_of(gz.begin() + static_cast<std::ptrdiff_t>(pos), gz.end(),
                                            [](char c) { return c != 0; }));
  return out;
}

std::string decoded_body(const Request& req, size_t max_decoded) {
  const std::string* ce = req.header("content-encoding");
  std::string enc = ce ? trim_lower(*ce) : std::string();
  if (enc.empty() || enc == "identity") {
    if (req.body.size() > max_decoded) {
      throw BodyTooLarge("request body exceeds the limit of " + limit_text(max_decoded));
    }
    return req.body;
  }
  if (enc == "gzip" || enc == "x-gzip") {
    if (req.body.empty()) return {};
    return gunzip_limited(req.body, max_decoded);
  }
  throw BodyDecodeError("unsupported Content-Encoding \"" + *ce + "\" (supported: gzip)");
}

Response body_too_large_response(const BodyTooLarge& e) {
  return Response::error(413, "invalid_parameter", std::string("request body too large: ") + e.what());
}

}  // namespace wartburg::sidecar
