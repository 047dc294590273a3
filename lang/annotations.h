// Metadata annotations: `# METADATA` comment blocks holding YAML (title,
// description, related_resources, authors, organizations, schemas,
// entrypoint, custom, scope) attached to the package or rule that follows
// them. They are parsed and checked when a module is compiled, folded into
// rego.metadata.rule() / rego.metadata.chain() calls as constants, and listed
// by `wartburg inspect -a`.
#pragma once

#include <string>
#include <vector>

#include "lang/ast.h"
#include "policy/error.h"

namespace wartburg::lang {

struct CompileState;

struct AnnotationBlock {
  std::string scope;              // rule, document, package, subpackages
  std::vector<std::string> path;  // below data: the package, or the rule's constant head path
  const Rule* rule = nullptr;     // the annotated rule (rule / document scope)
  Value fields;                   // the annotation object as OPA returns it (normalized, with "scope")
  Location loc;                   // the `# METADATA` line
};

// The annotation blocks of one module, in source order. Errors (YAML that
// does not parse, an unknown scope, a scope on the wrong kind of statement,
// fields of the wrong type) are appended to `errors` as rego_parse_error.
std::vector<AnnotationBlock> module_annotations(const Module& m, std::vector<ErrorInfo>& errors);

// Compiler stage (after resolve_refs): checks every module's annotations and
// replaces calls of rego.metadata.rule() and rego.metadata.chain() in rule
// bodies by the constant they denote for that rule.
void fold_metadata(CompileState& st);

}  // namespace wartburg::lang
