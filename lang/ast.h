// AST of Rego modules and queries. The parser builds it; the compiler stages
// annotate it in place (variable slots, resolved references, builtin and rule
// targets) before it is frozen into an immutable, evaluable policy.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lang/lexer.h"
#include "policy/value.h"

namespace wartburg::builtins {
struct Builtin;
}

namespace wartburg::lang {

struct Location {
  const std::string* file = nullptr;  // owned by the Module / query
  int row = 0;
  int col = 0;
};

struct Term;
struct Expr;
struct RuleNode;  // rule tree node (compiler.h)
struct Module;
using TermPtr = std::shared_ptr<Term>;
using Body = std::vector<Expr>;
using BodyPtr = std::shared_ptr<Body>;

enum class TermKind : uint8_t {
  Scalar,       // value
  Var,          // name (+ slot after compilation)
  Ref,          // items[0] = head, items[1..] = path operands
  Array,        // items
  Set,          // items
  Object,       // items = k0, v0, k1, v1, ...
  ArrayCompr,   // head, body
  SetCompr,     // head, body
  ObjectCompr,  // head (key), value, body
  Call,         // items[0] = operator (Ref or Var), items[1..] = arguments
};

// Calls the evaluator implements itself rather than through the builtin table.
enum class SpecialCall : uint8_t { None, Print, Member2, Member3 };

// What a resolved reference head or call operator points at.
enum class Target : uint8_t {
  None,
  Local,    // local variable (slot)
  Input,    // the input document
  Data,     // the data document (node = rule tree root or node)
  Builtin,  // builtin function
  Function, // user function (node)
};

struct Term {
  TermKind kind = TermKind::Scalar;
  Location loc;
  Value value;                // Scalar; also constant folded composite values
  std::string name;           // Var name; Call: operator name as written
  std::vector<TermPtr> items;
  TermPtr head;               // comprehension head / object comprehension key
  TermPtr value_term;         // object comprehension value
  BodyPtr body;               // comprehension body
  // ---- filled by the compiler ----
  int slot = -1;              // Var: frame slot
  Target target = Target::None;      // Ref head / Call operator resolution
  const builtins::Builtin* builtin = nullptr;
  SpecialCall special = SpecialCall::None;  // Call: print / membership
  const RuleNode* node = nullptr;    // Data ref root node / function node
  int data_prefix = 0;        // Ref into data: number of constant path items resolved into `node`
  bool ground = false;        // no variables anywhere inside (value holds the constant)
};

enum class ExprKind : uint8_t {
  Term,     // term (a call, a ref, ...)
  Unify,    // lhs = rhs
  Assign,   // lhs := rhs
  SomeDecl, // some x, y
  SomeIn,   // some [key,] val in coll
  Every,    // every [key,] val in coll { body }
  Not,      // not <inner>
};

struct With {
  TermPtr target;  // input..., data..., or a function/builtin ref
  TermPtr value;
  Location loc;
};

struct Expr {
  ExprKind kind = ExprKind::Term;
  Location loc;
  TermPtr term;                 // Term
  TermPtr lhs, rhs;             // Unify / Assign
  std::vector<TermPtr> vars;    // SomeDecl
  TermPtr key, val, coll;       // SomeIn / Every (key may be null)
  BodyPtr body;                 // Every body; Not: a one-expression body
  std::vector<With> withs;
  size_t text_begin = 0, text_end = 0;  // source span (query expression text)
  bool generated = false;               // added by the compiler (lift.cpp): not reported in query results
};

enum class RuleKind : uint8_t { Complete, MultiValue, Function };

// A test `<ref> == <constant>` that every solution of a rule body must pass,
// where <ref> is a constant path into the input or into a function argument.
// The evaluator checks guards before running the body (rule indexing).
struct Guard {
  int arg = -1;             // -1: the input document; else the function argument position
  std::vector<Value> path;  // constant keys below the root
  Value value;              // the constant the path must equal
  Location loc;             // the expression the guard came from (coverage reports)
  bool same_test(const Guard& o) const { return arg == o.arg && path == o.path; }
};

struct Rule {
  Location loc;
  RuleKind kind = RuleKind::Complete;
  std::vector<TermPtr> ref;    // head reference: ref[0] is a Var (the name), then path terms
  std::vector<TermPtr> args;   // Function arguments
  TermPtr key;                 // MultiValue element
  TermPtr value;               // value (true when absent)
  bool is_default = false;
  bool assign = false;         // written with :=
  Body body;                   // empty: always true
  std::shared_ptr<Rule> else_rule;
  int num_slots = 0;           // frame size after compilation
  std::vector<Guard> guards;   // filled by build_indexes
  size_t dyn_from = 0;         // first head ref item that is not a constant string (ref.size() if none)
  const RuleNode* node = nullptr;  // node of the data tree the rule defines
  const Module* module = nullptr;
  std::string path_text;       // "data.pkg.rule" for messages
};
using RulePtr = std::shared_ptr<Rule>;

struct Import {
  Location loc;
  TermPtr path;       // Ref: data.x.y / input.x / future.keywords... / rego.v1
  std::string alias;  // "as" name
};

struct Module {
  std::shared_ptr<std::string> file;
  std::shared_ptr<std::string> source;
  Location package_loc;
  std::vector<std::string> package;  // path below data
  std::vector<Import> imports;
  std::vector<RulePtr> rules;
  std::vector<Comment> comments;  // source comments in order (for the formatter)
  bool v0 = false;
};
using ModulePtr = std::shared_ptr<Module>;

// Helpers to build terms.
TermPtr make_scalar(Value v, Location loc);
TermPtr make_var(std::string name, Location loc);
TermPtr make_term(TermKind kind, Location loc);

// Rego text of a term (for messages and `text` in query results).
std::string term_text(const Term& t);

}  // namespace wartburg::lang
