// Shared by the sidecar handler tests: a Request as the HTTP server builds it
// (path percent-decoded, query parsed) from a method and a target, and gzip
// bodies.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

#include "sidecar/http.h"

namespace wartburg::sidecar::test_util {

inline Request make(std::string method, std::string target, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request r;
  r.method = std::move(method);
  r.target = target;
  auto q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q != std::string::npos) r.query = parse_query_string(target.substr(q + 1));
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.remote_addr = "127.0.0.1:1234";
  return r;
}

inline std::string gzip(const std::string& in, int level = Z_DEFAULT_COMPRESSION) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace wartburg::sidecar::test_util
