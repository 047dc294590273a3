// Loading policy and data files as OPA's loader does for `opa eval -d PATH`
// and `opa run PATH`: files or folders, recursively; .rego files are modules,
// .json/.yaml/.yml files are data merged into the data document at the path
// of their folder relative to the -d root (ROOT/a/b/x.json -> data.a.b).
// An optional "x.y:PATH" prefix roots everything loaded from PATH at data.x.y.
#pragma once

#include <string>
#include <vector>

#include "policy/engine.h"

namespace wartburg {

// Size limits of the loader. A file larger than max_file_bytes, or a load
// whose files together exceed max_total_bytes, is an error naming the file.
// Devices (/dev/zero, /dev/urandom, a terminal) are refused; pipes and
// sockets cannot be sized and are read up to the same limits, never without end.
inline constexpr size_t kDefaultMaxFileBytes = size_t{256} << 20;   // 256 MiB per file
inline constexpr size_t kDefaultMaxTotalBytes = size_t{1} << 30;    // 1 GiB per load
inline constexpr int kMaxFolderDepth = 256;                         // nested folders below a -d root

struct LoadOptions {
  std::vector<std::string> ignore;  // --ignore glob patterns, matched on base names below a root
  // Below a named folder only files named *.rego (opa check): data files
  // there are neither read nor merged. Named files load as usual.
  bool only_rego = false;
  size_t max_file_bytes = kDefaultMaxFileBytes;
  size_t max_total_bytes = kDefaultMaxTotalBytes;
};

struct LoadedFiles {
  std::vector<SourceFile> modules;
  Value data = Value::empty_object();
};

// Loads every path. Collects all problems and throws Error (codes empty,
// except rego parse problems which the engine reports later).
LoadedFiles load_paths(const std::vector<std::string>& paths, const LoadOptions& opts = {});

// Reads a whole file; throws Error "open PATH: no such file or directory",
// or "read PATH: file is larger than the limit of N bytes" when it holds more
// than `max_bytes` (checked before reading for regular files, while reading
// for pipes), or "read PATH: not a regular file (a character device)".
std::string read_file(const std::string& path, size_t max_bytes = kDefaultMaxFileBytes);

// Parses an input document: YAML for .yaml/.yml names, JSON for .json, and
// otherwise JSON, falling back to YAML. Throws Error naming `name` and the
// line/column of the problem.
Value parse_document(const std::string& name, const std::string& text);

}  // namespace wartburg
