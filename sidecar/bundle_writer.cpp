// Bundle writer (see bundle_writer.h): the manifest text, a ustar tar writer
// (ustar prefix split or PAX "path" records for long names) and gzip via zlib.
#include "sidecar/bundle_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "policy/json.h"

namespace wartburg::sidecar {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 512;

// Writes `v` as zero-padded octal into a field of `n` bytes (n-1 digits and a NUL).
void put_octal(char* field, size_t n, uint64_t v) {
  std::memset(field, '0', n - 1);
  field[n - 1] = '\0';
  for (size_t i = n - 1; i-- > 0 && v != 0;) {
    field[i] = static_cast<char>('0' + (v & 7));
    v >>= 3;
  }
}

void put_string(char* field, size_t n, std::string_view s) { std::memcpy(field, s.data(), std::min(n, s.size())); }

// Splits `path` into a ustar prefix (<= 155 bytes) and name (<= 100 bytes) at a
// '/'; false when that is impossible.
bool split_ustar(const std::string& path, std::string& prefix, std::string& name) {
  if (path.size() <= 100) {
    prefix.clear();
    name = path;
    return true;
  }
  if (path.size() > 256) return false;
  for (size_t i = std::min<size_t>(155, path.size() - 1); i > 0; --i) {
    if (path[i] != '/') continue;
    size_t rest = path.size() - i - 1;
    if (rest == 0 || rest > 100) return false;  // shorter prefixes only make the name longer
    prefix = path.substr(0, i);
    name = path.substr(i + 1);
    return true;
  }
  return false;
}

void append_header(std::string& out, const std::string& prefix, const std::string& name, uint64_t size,
                   char type, int64_t mtime) {
  char h[kBlock];
  std::memset(h, 0, sizeof h);
  put_string(h, 100, name);
  put_octal(h + 100, 8, 0644);
  put_octal(h + 108, 8, 0);
  put_octal(h + 116, 8, 0);
  put_octal(h + 124, 12, size);
  put_octal(h + 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime, 0)));
  h[156] = type;
  std::memcpy(h + 257, "ustar", 6);  // magic "ustar\0"
  std::memcpy(h + 263, "00", 2);     // version
  put_string(h + 345, 155, prefix);
  std::memset(h + 148, ' ', 8);
  uint64_t sum = 0;
  for (unsigned char c : h) sum += c;
  put_octal(h + 148, 7, sum);  // six digits and a NUL, then the space already there
  out.append(h, sizeof h);
}

void append_body(std::string& out, std::string_view body) {
  out.append(body);
  out.append((kBlock - body.size() % kBlock) % kBlock, '\0');
}

// One PAX extended header record: "LEN path=VALUE\n" where LEN counts itself.
std::string pax_record(const std::string& key, const std::string& value) {
  size_t base = 1 + key.size() + 1 + value.size() + 1;  // ' ' key '=' value '\n'
  size_t len = base + std::to_string(base).size();
  if (std::to_string(len).size() != std::to_string(base).size()) len = base + std::to_string(len).size();
  return std::to_string(len) + " " + key + "=" + value + "\n";
}

}  // namespace

std::string manifest_json(const Bundle& b) {
  std::string s = "{\"revision\":" + to_json(Value::string(b.revision)) + ",\"roots\":[";
  std::vector<std::string> roots = b.roots.empty() ? std::vector<std::string>{""} : b.roots;
  for (size_t i = 0; i < roots.size(); ++i) s += (i ? "," : "") + to_json(Value::string(roots[i]));
  s += "],\"rego_version\":" + std::to_string(b.rego_version);
  if (b.metadata.defined()) s += ",\"metadata\":" + to_json(b.metadata);
  return s + "}";
}

std::vector<std::pair<std::string, std::string>> bundle_files(const Bundle& b) {
  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back("/data.json", to_json(b.data.defined() ? b.data : Value::empty_object()));
  files.emplace_back("/.manifest", manifest_json(b));
  for (const auto& [id, src] : b.modules) {
    std::string_view p = id;
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
    files.emplace_back("/" + std::string(p), src.text);
  }
  return files;
}

std::string tar(const std::vector<std::pair<std::string, std::string>>& files, int64_t mtime) {
  std::string out;
  for (const auto& [path, body] : files) {
    std::string prefix, name;
    if (!split_ustar(path, prefix, name)) {
      std::string records = pax_record("path", path);
      std::string base = fs::path(path).filename().string().substr(0, 80);
      append_header(out, "", "PaxHeaders/" + base, records.size(), 'x', mtime);
      append_body(out, records);
      prefix.clear();
      name = path.substr(0, 100);
    }
    append_header(out, prefix, name, body.size(), '0', mtime);
    append_body(out, body);
  }
  out.append(2 * kBlock, '\0');  // end-of-archive marker
  return out;
}

std::string gzip(std::string_view bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw BundleError("gzip: cannot initialize zlib");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(bytes.size())) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.total_out == out.size()) out.resize(out.size() * 2);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = deflate(&zs, Z_FINISH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&zs);
      throw BundleError("gzip: compression failed");
    }
  }
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string write_bundle_tarball(const Bundle& b, int64_t mtime) { return gzip(tar(bundle_files(b), mtime)); }

void write_bundle_file(const Bundle& b, const std::string& path, int64_t mtime) {
  std::string bytes = write_bundle_tarball(b, mtime);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw BundleError("open " + path + ": cannot create file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw BundleError("write " + path + ": cannot write file");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw BundleError("rename " + path + ": " + ec.message());
  }
}

}  // namespace wartburg::sidecar
