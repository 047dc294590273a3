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

struct LoadOptions {
  std::vector<std::string> ignore;  // --ignore glob patterns, matched on base names below a root
};

struct LoadedFiles {
  std::vector<SourceFile> modules;
  Value data = Value::empty_object();
};

// Loads every path. Collects all problems and throws Error (codes empty,
// except rego parse problems which the engine reports later).
LoadedFiles load_paths(const std::vector<std::string>& paths, const LoadOptions& opts = {});

// Reads a whole file; throws Error "open PATH: no such file or directory".
std::string read_file(const std::string& path);

// Parses an input document: YAML for .yaml/.yml names, JSON for .json, and
// otherwise JSON, falling back to YAML. Throws Error naming `name` and the
// line/column of the problem.
Value parse_document(const std::string& name, const std::string& text);

}  // namespace wartburg
