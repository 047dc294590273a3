// GraphQL schema checks and query validation (see graphql_validate.h).
// Schema rules: no redeclared types or directives, extensions match the kind
// of the type they extend, referenced types exist, interfaces are fully
// implemented (fields, argument and return types, transitive interfaces),
// object/interface/input/enum types are not empty, argument types are input
// types, directives exist and are allowed where used, names do not start
// with "__". Query rules (GraphQL spec section 5): operation and fragment
// names, known root types, fields on correct types, leaf selections,
// arguments (known, unique, required, values of the correct type), directives
// (known, allowed location, unique), fragments (known, used, on composite
// types, possible spreads, no cycles), variables (unique, input types,
// defined, used, allowed positions), single-field subscriptions and fields
// that cannot be merged.
#include "policy/builtins/graphql_validate.h"
#include "policy/limits.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wartburg::graphql {
namespace {

// The implicitly declared definitions every schema includes.
const char* const kPrelude = R"(
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR
type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields: [__InputValue!]
  ofType: __Type
  specifiedBy: String
}
type __Field {
  name: String!
  description: String
  args: [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}
type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
}
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Directive {
  name: String!
  description: String
  locations: [__DirectiveLocation!]!
  args: [__InputValue!]!
  isRepeatable: Boolean!
}
enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT
  VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE
  UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION
}
)";

const SchemaDoc& prelude() {
  static const SchemaDoc doc = parse_schema(kPrelude, true);
  return doc;
}

TypePtr named_type(const std::string& name, bool non_null) {
  auto t = std::make_shared<TypeRef>();
  t->named = name;
  t->non_null = non_null;
  return t;
}

bool one_of(const std::string& s, std::initializer_list<const char*> xs) {
  for (const char* x : xs)
    if (s == x) return true;
  return false;
}

bool is_input_kind(const std::string& k) { return one_of(k, {"SCALAR", "ENUM", "INPUT_OBJECT"}); }
bool is_composite_kind(const std::string& k) { return one_of(k, {"OBJECT", "INTERFACE", "UNION"}); }
bool is_leaf_kind(const std::string& k) { return one_of(k, {"SCALAR", "ENUM"}); }

std::string quote(const std::string& s) { return "\"" + s + "\""; }

std::string join(const std::vector<std::string>& xs, const char* sep) {
  std::string out;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i) out += sep;
    out += xs[i];
  }
  return out;
}

// gqlparser's Type.IsCompatible: `t` (a variable's type) may be used where
// `other` is expected.
bool compatible(const TypeRef& t, const TypeRef& other) {
  if (t.named != other.named) return false;
  if (t.elem && !other.elem) return false;
  if (t.elem && !compatible(*t.elem, *other.elem)) return false;
  if (other.non_null) return t.non_null;
  return true;
}

// ---------------------------------------------------------------- schema

class SchemaBuilder {
 public:
  explicit SchemaBuilder(Schema& s) : s_(s) {}

  void build(const SchemaDoc& user) {
    const SchemaDoc& pre = prelude();
    std::vector<const Definition*> defs, exts;
    std::vector<const DirectiveDef*> dirs;
    std::vector<const SchemaDef*> schemas, schema_exts;
    for (const SchemaDoc* d : {&pre, &user}) {
      for (const auto& x : d->definitions) defs.push_back(&x);
      for (const auto& x : d->extensions) exts.push_back(&x);
      for (const auto& x : d->directives) dirs.push_back(&x);
      for (const auto& x : d->schema) schemas.push_back(&x);
      for (const auto& x : d->schema_extensions) schema_exts.push_back(&x);
    }

    std::vector<std::string> order;
    for (const Definition* d : defs) {
      if (s_.types.count(d->name)) throw Error("Cannot redeclare type " + d->name + ".", d->pos);
      s_.types[d->name] = *d;
      order.push_back(d->name);
    }
    for (const Definition* e : exts) {
      auto it = s_.types.find(e->name);
      if (it == s_.types.end()) {
        Definition created;
        created.kind = e->kind;
        created.name = e->name;
        created.pos = e->pos;
        it = s_.types.emplace(e->name, std::move(created)).first;
        order.push_back(e->name);
      }
      Definition& def = it->second;
      if (def.kind != e->kind) {
        throw Error("Cannot extend type " + e->name + " because the base type is a " + def.kind +
                        ", not " + e->kind + ".",
                    e->pos);
      }
      def.directives.insert(def.directives.end(), e->directives.begin(), e->directives.end());
      def.interfaces.insert(def.interfaces.end(), e->interfaces.begin(), e->interfaces.end());
      def.fields.insert(def.fields.end(), e->fields.begin(), e->fields.end());
      def.types.insert(def.types.end(), e->types.begin(), e->types.end());
      def.enum_values.insert(def.enum_values.end(), e->enum_values.begin(), e->enum_values.end());
    }

    for (const std::string& name : order) {
      const Definition& def = s_.types[name];
      if (def.kind == "UNION") {
        for (const auto& t : def.types) s_.possible[def.name].push_back(t);
      } else if (def.kind == "OBJECT" || def.kind == "INPUT_OBJECT") {
        for (const auto& i : def.interfaces) s_.possible[i].push_back(def.name);
        s_.possible[def.name].push_back(def.name);
      } else if (def.kind == "INTERFACE") {
        for (const auto& i : def.interfaces) s_.possible[i].push_back(def.name);
      }
    }

    for (const DirectiveDef* d : dirs) {
      if (s_.directives.count(d->name) &&
          !one_of(d->name, {"include", "skip", "deprecated", "specifiedBy"})) {
        throw Error("Cannot redeclare directive " + d->name + ".", d->pos);
      }
      s_.directives[d->name] = *d;
    }

    if (schemas.size() > 1) {
      throw Error("Cannot have multiple schema entry points, consider schema extensions instead.",
                  schemas[1]->pos);
    }
    auto set_roots = [&](const SchemaDef& sd) {
      for (const auto& ot : sd.operation_types) {
        if (!s_.type(ot.type)) {
          throw Error("Schema root " + ot.operation + " refers to a type " + ot.type +
                          " that does not exist.",
                      ot.pos);
        }
        if (ot.operation == "query") s_.query = ot.type;
        if (ot.operation == "mutation") s_.mutation = ot.type;
        if (ot.operation == "subscription") s_.subscription = ot.type;
      }
    };
    if (schemas.size() == 1) set_roots(*schemas[0]);
    for (const SchemaDef* e : schema_exts) set_roots(*e);

    for (const auto& [name, def] : s_.types) validate_definition(def);
    for (const auto& [name, dir] : s_.directives) {
      check_name(dir.pos, dir.name);
      validate_args(dir.args, &dir);
    }

    if (schemas.empty()) {
      if (s_.query.empty() && s_.type("Query")) s_.query = "Query";
      if (s_.mutation.empty() && s_.type("Mutation")) s_.mutation = "Mutation";
      if (s_.subscription.empty() && s_.type("Subscription")) s_.subscription = "Subscription";
    }
    if (!s_.query.empty()) {
      Definition& q = s_.types[s_.query];
      FieldDef schema_field;
      schema_field.name = "__schema";
      schema_field.type = named_type("__Schema", true);
      FieldDef type_field;
      type_field.name = "__type";
      type_field.type = named_type("__Type", false);
      ArgumentDef name_arg;
      name_arg.name = "name";
      name_arg.type = named_type("String", true);
      type_field.args.push_back(std::move(name_arg));
      q.fields.push_back(std::move(schema_field));
      q.fields.push_back(std::move(type_field));
    }
  }

 private:
  static void check_name(Pos pos, const std::string& name) {
    if (name.rfind("__", 0) == 0) {
      throw Error("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
                  pos);
    }
  }

  void check_type_ref(const TypeRef& t) {
    if (!s_.type(t.base_name())) throw Error("Undefined type " + t.base_name() + ".", t.pos);
  }

  void validate_args(const std::vector<ArgumentDef>& args, const DirectiveDef* current) {
    for (const auto& a : args) {
      check_name(a.pos, a.name);
      check_type_ref(*a.type);
      const Definition* def = s_.type(a.type->base_name());
      if (!is_input_kind(def->kind)) {
        throw Error("cannot use " + type_string(*a.type) + " as argument " + a.name + " because " +
                        def->kind + " is not a valid input type",
                    a.pos);
      }
      validate_directives(a.directives, "ARGUMENT_DEFINITION", current);
    }
  }

  void validate_directives(const std::vector<Directive>& dirs, const std::string& location,
                           const DirectiveDef* current) {
    for (const auto& d : dirs) {
      check_name(d.pos, d.name);
      if (current && d.name == current->name) {
        throw Error("Directive " + current->name + " cannot refer to itself.", d.pos);
      }
      auto it = s_.directives.find(d.name);
      if (it == s_.directives.end()) throw Error("Undefined directive " + d.name + ".", d.pos);
      const auto& locs = it->second.locations;
      if (std::find(locs.begin(), locs.end(), location) == locs.end()) {
        throw Error("Directive " + d.name + " is not applicable on " + location + ".", d.pos);
      }
    }
  }

  bool covariant(const TypeRef& required, const TypeRef& actual) {
    if (required.non_null && !actual.non_null) return false;
    if (!required.named.empty()) {
      if (required.named == actual.named) return true;
      auto it = s_.possible.find(required.named);
      if (it == s_.possible.end()) return false;
      return std::find(it->second.begin(), it->second.end(), actual.named) != it->second.end();
    }
    if (required.elem && !actual.elem) return false;
    if (!required.elem || !actual.elem) return false;
    return covariant(*required.elem, *actual.elem);
  }

  void validate_implements(const Definition& def, const std::string& intf_name) {
    const Definition* intf = s_.type(intf_name);
    if (!intf) throw Error("Undefined type " + quote(intf_name) + ".", def.pos);
    if (intf->kind != "INTERFACE") {
      throw Error(quote(intf_name) + " is a non interface type " + intf->kind + ".", def.pos);
    }
    for (const auto& req : intf->fields) {
      const FieldDef* found = def.field(req.name);
      if (!found) {
        throw Error("For " + def.name + " to implement " + intf->name + " it must have a field called " +
                        req.name + ".",
                    def.pos);
      }
      if (!covariant(*req.type, *found->type)) {
        throw Error("For " + def.name + " to implement " + intf->name + " the field " + req.name +
                        " must have type " + type_string(*req.type) + ".",
                    found->pos);
      }
      for (const auto& ra : req.args) {
        const ArgumentDef* fa = nullptr;
        for (const auto& a : found->args)
          if (a.name == ra.name) fa = &a;
        if (!fa) {
          throw Error("For " + def.name + " to implement " + intf->name + " the field " + req.name +
                          " must have the same arguments but it is missing " + ra.name + ".",
                      found->pos);
        }
        if (!compatible(*ra.type, *fa->type)) {
          throw Error("For " + def.name + " to implement " + intf->name + " the field " + req.name +
                          " must have the same arguments but " + ra.name + " has the wrong type.",
                      fa->pos);
        }
      }
      for (const auto& fa : found->args) {
        bool in_required = false;
        for (const auto& ra : req.args)
          if (ra.name == fa.name) in_required = true;
        if (!in_required && fa.type->non_null && !fa.default_value) {
          throw Error("For " + def.name + " to implement " + intf->name + " any additional arguments on " +
                          found->name + " must be optional or have a default value but " + fa.name +
                          " is required.",
                      fa.pos);
        }
      }
    }
    for (const auto& transitive : intf->interfaces) {
      if (std::find(def.interfaces.begin(), def.interfaces.end(), transitive) == def.interfaces.end()) {
        if (transitive == def.name) {
          throw Error("Type " + def.name + " cannot implement " + intf_name +
                          " because it would create a circular reference.",
                      def.pos);
        }
        throw Error("Type " + def.name + " must implement " + transitive + " because it is implemented by " +
                        intf_name + ".",
                    def.pos);
      }
    }
  }

  void validate_definition(const Definition& def) {
    for (const auto& f : def.fields) {
      check_name(f.pos, f.name);
      check_type_ref(*f.type);
      validate_args(f.args, nullptr);
      validate_directives(f.directives, def.kind == "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION",
                          nullptr);
    }
    for (const auto& t : def.types) {
      const Definition* td = s_.type(t);
      if (!td) throw Error("Undefined type " + quote(t) + ".", def.pos);
      if (td->kind != "OBJECT") throw Error(def.kind + " type " + quote(t) + " must be OBJECT.", def.pos);
    }
    for (const auto& i : def.interfaces) validate_implements(def, i);

    if (def.kind == "OBJECT" || def.kind == "INTERFACE") {
      if (def.fields.empty()) throw Error(def.kind + " " + def.name + ": must define one or more fields.", def.pos);
      for (const auto& f : def.fields) {
        const Definition* ft = s_.type(f.type->base_name());
        if (ft && ft->kind == "INPUT_OBJECT") {
          throw Error(def.kind + " " + def.name + ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.",
                      f.pos);
        }
      }
    } else if (def.kind == "ENUM") {
      if (def.enum_values.empty()) {
        throw Error(def.kind + " " + def.name + ": must define one or more unique enum values.", def.pos);
      }
      for (const auto& v : def.enum_values) {
        if (one_of(v.name, {"true", "false", "null"})) {
          throw Error(def.kind + " " + def.name + ": non-enum value " + v.name + ".", def.pos);
        }
      }
    } else if (def.kind == "INPUT_OBJECT") {
      if (def.fields.empty()) {
        throw Error(def.kind + " " + def.name + ": must define one or more input fields.", def.pos);
      }
      for (const auto& f : def.fields) {
        const Definition* ft = s_.type(f.type->base_name());
        if (ft && !is_input_kind(ft->kind)) {
          throw Error(ft->kind + " " + f.name + ": field must be one of SCALAR, ENUM, INPUT_OBJECT.", f.pos);
        }
      }
    } else if (!one_of(def.kind, {"SCALAR", "UNION"})) {
      throw Error("Unknown kind " + quote(def.kind) + " of type " + def.name + ".", def.pos);
    }

    for (size_t i = 0; i < def.fields.size(); ++i) {
      for (size_t j = i + 1; j < def.fields.size(); ++j) {
        if (def.fields[i].name == def.fields[j].name) {
          throw Error("Field " + def.name + "." + def.fields[j].name + " can only be defined once.",
                      def.fields[j].pos);
        }
      }
    }
    if (!def.builtin) check_name(def.pos, def.name);
    validate_directives(def.directives, def.kind, nullptr);
  }

  Schema& s_;
};

// ---------------------------------------------------------------- queries

// How a literal prints in messages (gqlparser's Value.String()).
std::string literal_string(const Literal& v) {
  switch (v.kind) {
    case LitKind::Variable: return "$" + v.raw;
    case LitKind::String:
    case LitKind::Block: {
      std::string out = "\"";
      for (char c : v.raw) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
          out += "\\n";
          continue;
        }
        out += c;
      }
      return out + "\"";
    }
    case LitKind::List: {
      std::vector<std::string> parts;
      for (const auto& c : v.children) parts.push_back(c.value ? literal_string(*c.value) : "null");
      return "[" + join(parts, ",") + "]";
    }
    case LitKind::Object: {
      std::vector<std::string> parts;
      for (const auto& c : v.children) parts.push_back(c.name + ":" + (c.value ? literal_string(*c.value) : "null"));
      return "{" + join(parts, ",") + "}";
    }
    default: return v.raw;
  }
}

// Whether an Int literal's text is a 32-bit signed integer.
bool int32_literal(const std::string& raw) {
  size_t i = (!raw.empty() && raw[0] == '-') ? 1 : 0;
  if (i == raw.size() || raw.size() - i > 10) return false;
  long long n = 0;
  for (; i < raw.size(); ++i) {
    if (raw[i] < '0' || raw[i] > '9') return false;
    n = n * 10 + (raw[i] - '0');
  }
  if (raw[0] == '-') n = -n;
  return n >= -2147483648LL && n <= 2147483647LL;
}

// Structural equality of literals (for "differing arguments").
bool same_literal(const Literal* a, const Literal* b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->raw != b->raw || a->children.size() != b->children.size()) return false;
  for (size_t i = 0; i < a->children.size(); ++i) {
    if (a->children[i].name != b->children[i].name) return false;
    if (!same_literal(a->children[i].value.get(), b->children[i].value.get())) return false;
  }
  return true;
}

class QueryValidator {
 public:
  QueryValidator(const Schema& s, const QueryDoc& doc) : s_(s), doc_(doc) {
    typename_field_.name = "__typename";
    typename_field_.type = named_type("String", true);
  }

  // Runs every rule; returns the problems found, in the order found. A
  // field unknown on its type is recorded and validation goes on (the
  // field's arguments and sub-selections are then checked without a
  // schema type, as gqlparser does); any other problem ends the run.
  std::vector<Error> run_all() {
    try {
      run();
    } catch (const Error& e) {
      errors_.push_back(e);
    }
    return std::move(errors_);
  }

 private:
  void run() {
    document_rules();
    for (size_t i = 0; i < doc_.operations.size(); ++i) {
      cur_ = &op_usage_[i];
      operation(doc_.operations[i]);
    }
    for (const auto& f : doc_.fragments) {
      cur_ = &frag_usage_[f.name];
      fragment(f);
    }
    for (size_t i = 0; i < doc_.operations.size(); ++i) variables(doc_.operations[i], op_usage_[i]);
  }

 private:
  struct VarUse {
    std::string name;
    TypePtr expected;  // null when the position's type is unknown
    bool expected_has_default = false;
    Pos pos;
  };
  struct Usage {
    std::vector<VarUse> uses;
    std::vector<std::string> spreads;
  };

  [[noreturn]] static void fail(std::string msg, Pos pos) { throw Error(std::move(msg), pos); }

  struct Depth {
    int& d;
    Pos pos;
    Depth(int& depth, Pos p) : d(depth), pos(p) {
      if (++d > 4 * kMaxDepth) fail("query nested too deeply to validate", pos);
    }
    ~Depth() { --d; }
  };

  // ---- document-wide rules ----
  void document_rules() {
    std::set<std::string> op_names;
    for (const auto& op : doc_.operations) {
      if (op.name.empty() && doc_.operations.size() > 1) {
        fail("This anonymous operation must be the only defined operation.", op.pos);
      }
      if (!op.name.empty() && !op_names.insert(op.name).second) {
        fail("There can be only one operation named " + quote(op.name) + ".", op.pos);
      }
    }
    for (const auto& f : doc_.fragments) {
      if (frags_.count(f.name)) fail("There can be only one fragment named " + quote(f.name) + ".", f.pos);
      frags_[f.name] = &f;
    }
    // Fragment spreads of each fragment and each operation, by walking the
    // selections (unknown fragment names are reported here).
    std::map<std::string, std::vector<std::pair<std::string, Pos>>> spreads;
    for (const auto& f : doc_.fragments) collect_spreads(f.selections, spreads[f.name]);
    std::set<std::string> used;
    std::vector<std::string> todo;
    for (const auto& op : doc_.operations) {
      std::vector<std::pair<std::string, Pos>> s;
      collect_spreads(op.selections, s);
      for (auto& [name, pos] : s) todo.push_back(name);
    }
    while (!todo.empty()) {
      std::string n = std::move(todo.back());
      todo.pop_back();
      if (!used.insert(n).second) continue;
      for (auto& [name, pos] : spreads[n]) todo.push_back(name);
    }
    for (const auto& f : doc_.fragments) {
      if (!used.count(f.name)) fail("Fragment " + quote(f.name) + " is never used.", f.pos);
    }
    fragment_cycles(spreads);
  }

  void collect_spreads(const std::vector<SelPtr>& sels, std::vector<std::pair<std::string, Pos>>& out) {
    for (const auto& sel : sels) {
      if (sel->kind == Selection::Spread) {
        if (!frags_.count(sel->name)) fail("Unknown fragment " + quote(sel->name) + ".", sel->pos);
        out.emplace_back(sel->name, sel->pos);
      } else {
        Depth guard(depth_, sel->pos);
        collect_spreads(sel->selections, out);
      }
    }
  }

  // Depth-first search over the spread graph (iterative: fragment chains may
  // be long).
  void fragment_cycles(std::map<std::string, std::vector<std::pair<std::string, Pos>>>& spreads) {
    std::set<std::string> done;
    for (const auto& f : doc_.fragments) {
      if (done.count(f.name)) continue;
      struct Frame {
        std::string name;
        size_t next = 0;
      };
      std::vector<Frame> stack{{f.name, 0}};
      std::vector<std::string> path;  // spread names leading to the top frame
      std::map<std::string, size_t> on_stack{{f.name, 0}};
      while (!stack.empty()) {
        Frame& top = stack.back();
        auto& edges = spreads[top.name];
        if (top.next == edges.size()) {
          done.insert(top.name);
          on_stack.erase(top.name);
          stack.pop_back();
          if (!path.empty()) path.pop_back();
          continue;
        }
        const auto& [target, pos] = edges[top.next++];
        auto cyc = on_stack.find(target);
        if (cyc != on_stack.end()) {
          std::vector<std::string> via(path.begin() + long(cyc->second), path.end());
          fail("Cannot spread fragment " + quote(target) + " within itself" +
                   (via.empty() ? std::string(".") : " via " + join(via, ", ") + "."),
               pos);
        }
        if (done.count(target)) continue;
        path.push_back(target);
        on_stack[target] = stack.size();
        stack.push_back({target, 0});
      }
    }
  }

  // ---- operations and fragments ----
  void operation(const Operation& op) {
    std::set<std::string> names;
    for (const auto& v : op.vars) {
      if (!names.insert(v.name).second) fail("There can be only one variable named \"$" + v.name + "\".", v.pos);
    }
    for (const auto& v : op.vars) variable_definition(v);

    std::string root = op.operation == "mutation"       ? s_.mutation
                       : op.operation == "subscription" ? s_.subscription
                                                        : s_.query;
    if (root.empty()) fail("Schema does not support operation type " + quote(op.operation), op.pos);
    const Definition* root_def = s_.type(root);
    std::string loc = op.operation == "mutation" ? "MUTATION" : op.operation == "subscription" ? "SUBSCRIPTION" : "QUERY";
    directives(op.directives, loc);
    if (op.operation == "subscription") single_field_subscription(op, root_def);
    selection_set(root_def, op.selections);
  }

  void variable_definition(const VariableDef& v) {
    const Definition* def = s_.type(v.type->base_name());
    if (!def) fail("Unknown type " + quote(v.type->base_name()) + ".", v.type->pos);
    if (!is_input_kind(def->kind)) {
      fail("Variable \"$" + v.name + "\" cannot be non-input type " + quote(type_string(*v.type)) + ".", v.pos);
    }
    if (v.default_value) value(v.default_value, v.type.get(), false);
    directives(v.directives, "VARIABLE_DEFINITION");
  }

  void fragment(const Fragment& f) {
    const Definition* def = s_.type(f.type_condition);
    if (!def) fail("Unknown type " + quote(f.type_condition) + ".", f.pos);
    if (!is_composite_kind(def->kind)) {
      fail("Fragment " + quote(f.name) + " cannot condition on non composite type " + quote(f.type_condition) + ".",
           f.pos);
    }
    for (const auto& v : f.vars) variable_definition(v);
    directives(f.directives, "FRAGMENT_DEFINITION");
    selection_set(def, f.selections);
  }

  void single_field_subscription(const Operation& op, const Definition* root) {
    std::vector<const Selection*> fields;
    std::set<std::string> seen;
    collect_fields(root, op.selections, fields, seen, nullptr);
    std::set<std::string> response_names;
    for (const Selection* f : fields) response_names.insert(f->alias);
    std::string who = op.name.empty() ? "Anonymous Subscription" : "Subscription " + quote(op.name);
    if (response_names.size() > 1) fail(who + " must select only one top level field.", op.pos);
    for (const Selection* f : fields) {
      if (f->name.rfind("__", 0) == 0) fail(who + " must not select an introspection top level field.", f->pos);
    }
  }

  // ---- selections ----
  const FieldDef* field_def(const Definition* parent, const std::string& name) {
    if (!parent) return nullptr;
    if (name == "__typename" && is_composite_kind(parent->kind)) return &typename_field_;
    return parent->field(name);
  }

  bool can_overlap(const Definition* a, const Definition* b) {
    auto possible = [&](const Definition* d) {
      std::set<std::string> out;
      if (d->kind == "OBJECT") {
        out.insert(d->name);
      } else if (auto it = s_.possible.find(d->name); it != s_.possible.end()) {
        out.insert(it->second.begin(), it->second.end());
      }
      return out;
    };
    std::set<std::string> pa = possible(a), pb = possible(b);
    for (const auto& x : pa)
      if (pb.count(x)) return true;
    return false;
  }

  void selection_set(const Definition* parent, const std::vector<SelPtr>& sels) {
    for (const auto& sel : sels) {
      limits::poll();
      Depth guard(depth_, sel->pos);
      switch (sel->kind) {
        case Selection::Field: field(parent, *sel); break;
        case Selection::Spread: spread(parent, *sel); break;
        case Selection::Inline: inline_fragment(parent, *sel); break;
      }
    }
    overlapping_fields(parent, sels);
  }

  void field(const Definition* parent, const Selection& f) {
    const FieldDef* fd = field_def(parent, f.name);
    if (parent && !fd) {
      errors_.emplace_back("Cannot query field " + quote(f.name) + " on type " + quote(parent->name) + ".", f.pos);
    }
    arguments(f.args, fd ? &fd->args : nullptr, [&](const std::string& arg) {
      return "Unknown argument " + quote(arg) + " on field " + quote(parent->name + "." + f.name) + ".";
    });
    if (fd) {
      for (const auto& ad : fd->args) {
        if (!ad.type->non_null || ad.default_value) continue;
        bool given = false;
        for (const auto& a : f.args)
          if (a.name == ad.name) given = true;
        if (!given) {
          fail("Field " + quote(f.name) + " argument " + quote(ad.name) + " of type " +
                   quote(type_string(*ad.type)) + " is required, but it was not provided.",
               f.pos);
        }
      }
    }
    directives(f.directives, "FIELD");
    const Definition* ft = fd ? s_.type(fd->type->base_name()) : nullptr;
    if (ft) {
      if (is_leaf_kind(ft->kind) && !f.selections.empty()) {
        fail("Field " + quote(f.name) + " must not have a selection since type " + quote(type_string(*fd->type)) +
                 " has no subfields.",
             f.pos);
      }
      if (!is_leaf_kind(ft->kind) && f.selections.empty()) {
        fail("Field " + quote(f.name) + " of type " + quote(type_string(*fd->type)) +
                 " must have a selection of subfields. Did you mean \"" + f.name + " { ... }\"?",
             f.pos);
      }
    }
    selection_set(ft, f.selections);
  }

  void spread(const Definition* parent, const Selection& s) {
    directives(s.directives, "FRAGMENT_SPREAD");
    auto it = frags_.find(s.name);
    if (it == frags_.end()) fail("Unknown fragment " + quote(s.name) + ".", s.pos);
    cur_->spreads.push_back(s.name);
    const Definition* ft = s_.type(it->second->type_condition);
    if (parent && ft && is_composite_kind(parent->kind) && is_composite_kind(ft->kind) && !can_overlap(parent, ft)) {
      fail("Fragment " + quote(s.name) + " cannot be spread here as objects of type " + quote(parent->name) +
               " can never be of type " + quote(ft->name) + ".",
           s.pos);
    }
  }

  void inline_fragment(const Definition* parent, const Selection& s) {
    const Definition* ft = parent;
    if (!s.type_condition.empty()) {
      ft = s_.type(s.type_condition);
      if (!ft) fail("Unknown type " + quote(s.type_condition) + ".", s.pos);
      if (!is_composite_kind(ft->kind)) {
        fail("Fragment cannot condition on non composite type " + quote(s.type_condition) + ".", s.pos);
      }
      if (parent && is_composite_kind(parent->kind) && !can_overlap(parent, ft)) {
        fail("Fragment cannot be spread here as objects of type " + quote(parent->name) + " can never be of type " +
                 quote(ft->name) + ".",
             s.pos);
      }
    }
    directives(s.directives, "INLINE_FRAGMENT");
    selection_set(ft, s.selections);
  }

  // The fields a selection set selects, fragments expanded (each named
  // fragment once).
  void collect_fields(const Definition* parent, const std::vector<SelPtr>& sels, std::vector<const Selection*>& out,
                      std::set<std::string>& seen, std::vector<const Definition*>* parents) {
    // every selection set with two or more entries collects its fields with
    // the fragments it spreads expanded: a large fragment spread in many
    // places is walked once per place
    for (const auto& sel : sels) {
      limits::poll();
      if (sel->kind == Selection::Field) {
        out.push_back(sel.get());
        if (parents) parents->push_back(parent);
      } else if (sel->kind == Selection::Inline) {
        const Definition* t = sel->type_condition.empty() ? parent : s_.type(sel->type_condition);
        Depth guard(depth_, sel->pos);
        collect_fields(t, sel->selections, out, seen, parents);
      } else {
        auto it = frags_.find(sel->name);
        if (it == frags_.end() || !seen.insert(sel->name).second) continue;
        Depth guard(depth_, sel->pos);
        collect_fields(s_.type(it->second->type_condition), it->second->selections, out, seen, parents);
      }
    }
  }

  // Fields with the same response name must be the same field with the same
  // arguments and compatible types, unless their parents are distinct object
  // types.
  void overlapping_fields(const Definition* parent, const std::vector<SelPtr>& sels) {
    if (sels.size() < 2) return;
    std::vector<const Selection*> fields;
    std::vector<const Definition*> parents;
    std::set<std::string> seen;
    collect_fields(parent, sels, fields, seen, &parents);
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < fields.size(); ++i) {
      auto [it, inserted] = first.emplace(fields[i]->alias, i);
      if (inserted) continue;
      size_t j = it->second;
      const Selection* a = fields[j];
      const Selection* b = fields[i];
      const Definition* pa = parents[j];
      const Definition* pb = parents[i];
      bool exclusive = pa && pb && pa != pb && pa->kind == "OBJECT" && pb->kind == "OBJECT";
      std::string use = ". Use different aliases on the fields to fetch both if this was intentional.";
      if (!exclusive) {
        if (a->name != b->name) {
          fail("Fields " + quote(a->alias) + " conflict because " + quote(a->name) + " and " + quote(b->name) +
                   " are different fields" + use,
               b->pos);
        }
        bool same_args = a->args.size() == b->args.size();
        for (size_t k = 0; same_args && k < a->args.size(); ++k) {
          const Argument* match = nullptr;
          for (const auto& x : b->args)
            if (x.name == a->args[k].name) match = &x;
          same_args = match && same_literal(a->args[k].value.get(), match->value.get());
        }
        if (!same_args) fail("Fields " + quote(a->alias) + " conflict because they have differing arguments" + use, b->pos);
      }
      const FieldDef* fa = field_def(pa, a->name);
      const FieldDef* fb = field_def(pb, b->name);
      if (fa && fb && type_string(*fa->type) != type_string(*fb->type)) {
        const Definition* ta = s_.type(fa->type->base_name());
        const Definition* tb = s_.type(fb->type->base_name());
        bool leafy = (ta && is_leaf_kind(ta->kind)) || (tb && is_leaf_kind(tb->kind));
        bool shape_differs = bool(fa->type->elem) != bool(fb->type->elem) || fa->type->non_null != fb->type->non_null;
        if (leafy || shape_differs) {
          fail("Fields " + quote(a->alias) + " conflict because they return conflicting types " +
                   quote(type_string(*fa->type)) + " and " + quote(type_string(*fb->type)) + use,
               b->pos);
        }
      }
    }
  }

  // ---- arguments, directives, values ----
  template <class UnknownMsg>
  void arguments(const std::vector<Argument>& args, const std::vector<ArgumentDef>* defs, UnknownMsg unknown) {
    std::set<std::string> names;
    for (const auto& a : args) {
      limits::poll();  // each argument is looked up among all definitions
      if (!names.insert(a.name).second) fail("There can be only one argument named " + quote(a.name) + ".", a.pos);
      const ArgumentDef* ad = nullptr;
      if (defs) {
        for (const auto& d : *defs)
          if (d.name == a.name) ad = &d;
        if (!ad) fail(unknown(a.name), a.pos);
      }
      value(a.value, ad ? ad->type.get() : nullptr, ad && ad->default_value && ad->default_value->kind != LitKind::Null);
    }
  }

  void directives(const std::vector<Directive>& dirs, const std::string& location) {
    std::set<std::string> seen;
    for (const auto& d : dirs) {
      auto it = s_.directives.find(d.name);
      if (it == s_.directives.end()) fail("Unknown directive \"@" + d.name + "\".", d.pos);
      const DirectiveDef& def = it->second;
      if (std::find(def.locations.begin(), def.locations.end(), location) == def.locations.end()) {
        fail("Directive \"@" + d.name + "\" may not be used on " + location + ".", d.pos);
      }
      if (!def.repeatable && !seen.insert(d.name).second) {
        fail("The directive \"@" + d.name + "\" can only be used once at this location.", d.pos);
      }
      arguments(d.args, &def.args, [&](const std::string& arg) {
        return "Unknown argument " + quote(arg) + " on directive \"@" + d.name + "\".";
      });
      for (const auto& ad : def.args) {
        if (!ad.type->non_null || ad.default_value) continue;
        bool given = false;
        for (const auto& a : d.args)
          if (a.name == ad.name) given = true;
        if (!given) {
          fail("Directive \"@" + d.name + "\" argument " + quote(ad.name) + " of type " +
                   quote(type_string(*ad.type)) + " is required, but it was not provided.",
               d.pos);
        }
      }
    }
  }

  [[noreturn]] void wrong_type(const TypeRef& expected, const Literal& v) {
    fail("Expected type " + type_string(expected) + ", found " + literal_string(v) + ".", v.pos);
  }

  // Checks a literal against the expected input type (null: unknown) and
  // records variable uses.
  void value(const LitPtr& lit, const TypeRef* expected, bool expected_has_default) {
    if (!lit) return;
    const Literal& v = *lit;
    Depth guard(depth_, v.pos);
    if (v.kind == LitKind::Variable) {
      VarUse u;
      u.name = v.raw;
      if (expected) u.expected = std::make_shared<TypeRef>(*expected);
      u.expected_has_default = expected_has_default;
      u.pos = v.pos;
      cur_->uses.push_back(std::move(u));
      return;
    }
    const Definition* def = expected ? s_.type(expected->base_name()) : nullptr;
    if (!def) {
      for (const auto& c : v.children) value(c.value, nullptr, false);
      return;
    }
    if (v.kind == LitKind::Null) {
      if (expected->non_null) wrong_type(*expected, v);
      return;
    }
    if (expected->elem) {
      if (v.kind == LitKind::List) {
        for (const auto& c : v.children) value(c.value, expected->elem.get(), false);
      } else {
        value(lit, expected->elem.get(), false);  // a single value coerces to a list
      }
      return;
    }
    bool custom_scalar = def->kind == "SCALAR" && !one_of(def->name, {"Int", "Float", "String", "Boolean", "ID"});
    if (custom_scalar) {
      for (const auto& c : v.children) value(c.value, nullptr, false);
      return;
    }
    switch (v.kind) {
      case LitKind::List:
        wrong_type(*expected, v);
      case LitKind::Int:
        if (!one_of(def->name, {"Int", "Float", "ID"}) || def->kind != "SCALAR") wrong_type(*expected, v);
        if (def->name == "Int") {
          if (!int32_literal(v.raw)) {
            fail("Int cannot represent non 32-bit signed integer value: " + v.raw, v.pos);
          }
        }
        return;
      case LitKind::Float:
        if (def->name != "Float" || def->kind != "SCALAR") wrong_type(*expected, v);
        return;
      case LitKind::String:
      case LitKind::Block:
        if (!one_of(def->name, {"String", "ID"}) || def->kind != "SCALAR") wrong_type(*expected, v);
        return;
      case LitKind::Boolean:
        if (def->name != "Boolean" || def->kind != "SCALAR") wrong_type(*expected, v);
        return;
      case LitKind::Enum: {
        bool ok = def->kind == "ENUM";
        if (ok) {
          ok = false;
          for (const auto& e : def->enum_values)
            if (e.name == v.raw) ok = true;
        }
        if (!ok) wrong_type(*expected, v);
        return;
      }
      case LitKind::Object: {
        if (def->kind != "INPUT_OBJECT") wrong_type(*expected, v);
        std::set<std::string> names;
        for (const auto& c : v.children) {
          if (!names.insert(c.name).second) fail("There can be only one input field named " + quote(c.name) + ".", c.pos);
        }
        for (const auto& f : def->fields) {
          if (f.type->non_null && !f.default_value && !names.count(f.name)) {
            fail("Field " + def->name + "." + f.name + " of required type " + type_string(*f.type) +
                     " was not provided.",
                 v.pos);
          }
        }
        for (const auto& c : v.children) {
          const FieldDef* f = def->field(c.name);
          if (!f) fail("Field " + quote(c.name) + " is not defined by type " + def->name + ".", c.pos);
          value(c.value, f->type.get(), false);
        }
        return;
      }
      default:
        return;
    }
  }

  // ---- variables of one operation ----
  void variables(const Operation& op, const Usage& own) {
    std::vector<const VarUse*> uses;
    for (const auto& u : own.uses) uses.push_back(&u);
    std::set<std::string> visited;
    std::vector<std::string> todo = own.spreads;
    while (!todo.empty()) {
      std::string n = std::move(todo.back());
      todo.pop_back();
      if (!visited.insert(n).second) continue;
      auto it = frag_usage_.find(n);
      if (it == frag_usage_.end()) continue;
      const Fragment* f = frags_[n];
      for (const auto& u : it->second.uses) {
        bool local = false;
        for (const auto& fv : f->vars)
          if (fv.name == u.name) local = true;
        if (!local) uses.push_back(&u);
      }
      for (const auto& s : it->second.spreads) todo.push_back(s);
    }
    std::set<std::string> used;
    for (const VarUse* u : uses) {
      used.insert(u->name);
      const VariableDef* def = nullptr;
      for (const auto& v : op.vars)
        if (v.name == u->name) def = &v;
      if (!def) {
        fail(op.name.empty() ? "Variable \"$" + u->name + "\" is not defined."
                             : "Variable \"$" + u->name + "\" is not defined by operation " + quote(op.name) + ".",
             u->pos);
      }
      if (!u->expected) continue;
      TypeRef want = *u->expected;
      if (def->default_value && def->default_value->kind != LitKind::Null && want.non_null) want.non_null = false;
      if (u->expected_has_default) want.non_null = false;
      if (!compatible(*def->type, want)) {
        fail("Variable \"$" + u->name + "\" of type " + quote(type_string(*def->type)) +
                 " used in position expecting type " + quote(type_string(*u->expected)) + ".",
             u->pos);
      }
    }
    for (const auto& v : op.vars) {
      if (used.count(v.name)) continue;
      fail(op.name.empty() ? "Variable \"$" + v.name + "\" is never used."
                           : "Variable \"$" + v.name + "\" is never used in operation " + quote(op.name) + ".",
           v.pos);
    }
  }

  const Schema& s_;
  const QueryDoc& doc_;
  std::map<std::string, const Fragment*> frags_;
  std::map<size_t, Usage> op_usage_;
  std::map<std::string, Usage> frag_usage_;
  Usage* cur_ = nullptr;
  FieldDef typename_field_;
  int depth_ = 0;
  std::vector<Error> errors_;  // problems recorded without ending the run
};

}  // namespace

std::shared_ptr<const Schema> build_schema(const SchemaDoc& doc) {
  auto s = std::make_shared<Schema>();
  SchemaBuilder(*s).build(doc);
  return s;
}

std::vector<Error> query_errors(const Schema& schema, const QueryDoc& doc) {
  return QueryValidator(schema, doc).run_all();
}

void validate_query(const Schema& schema, const QueryDoc& doc) {
  std::vector<Error> errors = query_errors(schema, doc);
  if (!errors.empty()) throw errors.front();
}

}  // namespace wartburg::graphql
