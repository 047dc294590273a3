// Writing OPA-format bundles (`wartburg build`): a gzipped ustar tarball with
// /.manifest (revision, roots, rego_version, metadata), one /data.json at the
// root holding the whole data document, and every module at its path inside
// the bundle. load_bundle reads the result back unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/bundle.h"

namespace wartburg::sidecar {

// The .manifest JSON of a bundle: {"revision", "roots", "rego_version", "metadata"?}.
std::string manifest_json(const Bundle& b);

// The files of a bundle as written (paths with a leading '/'): /data.json,
// /.manifest, then the modules in path order.
std::vector<std::pair<std::string, std::string>> bundle_files(const Bundle& b);

// A tar archive (ustar; long paths use the ustar prefix field or a PAX
// header) of regular files with mode 0644 and modification time `mtime`.
std::string tar(const std::vector<std::pair<std::string, std::string>>& files, int64_t mtime = 0);

// gzip (RFC 1952) of `bytes`. Throws BundleError when zlib fails.
std::string gzip(std::string_view bytes);

// The bundle as .tar.gz bytes.
std::string write_bundle_tarball(const Bundle& b, int64_t mtime = 0);

// Writes the bundle to `path` through a temporary file renamed into place, so
// a failed write never leaves a partial bundle. Throws BundleError.
void write_bundle_file(const Bundle& b, const std::string& path, int64_t mtime = 0);

}  // namespace wartburg::sidecar
