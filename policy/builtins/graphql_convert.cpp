// GraphQL trees <-> Rego values. to_value() produces the AST objects OPA
// returns from graphql.parse_query / parse_schema / parse: the gqlparser Go
// structs as JSON, with "Position" dropped and null, empty-array and
// empty-object fields left out (strings and booleans are kept even when ""
// or false). query_from_value() / schema_from_value() read such objects back
// (graphql.parse, is_valid, ... accept them in place of strings); unknown
// keys are ignored, a key of the wrong type is an error.
#include <string>
#include <utility>
#include <vector>

#include "policy/builtins/graphql_ast.h"

namespace wartburg::graphql {
namespace {

// Newer gqlparser versions add an ExpectedTypeHasDefault bool to literals
// (false until validation), and current OPA shows it as
// "ExpectedTypeHasDefault": false in every literal object, as its conformance
// cases (made consistent on one OPA version) expect.
constexpr bool kEmitExpectedTypeHasDefault = true;

// ---------------------------------------------------------------- to value

class Obj {
 public:
  Obj& str(const char* k, const std::string& v) { return put(k, Value::string(v)); }
  Obj& boolean(const char* k, bool v) { return put(k, Value::boolean(v)); }
  Obj& num(const char* k, int64_t v) { return put(k, Value::integer(v)); }
  // Arrays and objects are left out when empty (OPA prunes them).
  Obj& sub(const char* k, Value v) {
    if (v.defined() && v.size() > 0) put(k, std::move(v));
    return *this;
  }
  Value build() { return Value::object(std::move(items_)); }

 private:
  Obj& put(const char* k, Value v) {
    items_.emplace_back(Value::string(k), std::move(v));
    return *this;
  }
  std::vector<std::pair<Value, Value>> items_;
};

template <class T, class F>
Value list(const std::vector<T>& xs, F conv) {
  std::vector<Value> out;
  out.reserve(xs.size());
  for (const auto& x : xs) {
    Value v = conv(x);
    if (v.defined() && !(v.is_object() && v.size() == 0)) out.push_back(std::move(v));
  }
  return Value::array(std::move(out));
}

Value strings(const std::vector<std::string>& xs) {
  return list(xs, [](const std::string& s) { return Value::string(s); });
}

Value lit_value(const LitPtr& l) {
  if (!l) return Value();
  Obj o;
  o.str("Raw", l->raw);
  o.sub("Children", list(l->children, [](const ChildLiteral& c) {
          Obj co;
          co.str("Name", c.name);
          co.sub("Value", lit_value(c.value));
          return co.build();
        }));
  o.num("Kind", int64_t(l->kind));
  if (kEmitExpectedTypeHasDefault) o.boolean("ExpectedTypeHasDefault", false);
  return o.build();
}

Value type_value(const TypePtr& t) {
  if (!t) return Value();
  Obj o;
  o.str("NamedType", t->named);
  o.sub("Elem", type_value(t->elem));
  o.boolean("NonNull", t->non_null);
  return o.build();
}

Value args_value(const std::vector<Argument>& args) {
  return list(args, [](const Argument& a) {
    Obj o;
    o.str("Name", a.name);
    o.sub("Value", lit_value(a.value));
    return o.build();
  });
}

Value directives_value(const std::vector<Directive>& dirs) {
  return list(dirs, [](const Directive& d) {
    Obj o;
    o.str("Name", d.name);
    o.sub("Arguments", args_value(d.args));
    o.str("Location", "");
    return o.build();
  });
}

Value vars_value(const std::vector<VariableDef>& vars) {
  return list(vars, [](const VariableDef& v) {
    Obj o;
    o.str("Variable", v.name);
    o.sub("Type", type_value(v.type));
    o.sub("DefaultValue", lit_value(v.default_value));
    o.sub("Directives", directives_value(v.directives));
    o.boolean("Used", false);
    return o.build();
  });
}

Value selections_value(const std::vector<SelPtr>& sels) {
  return list(sels, [](const SelPtr& s) {
    Obj o;
    switch (s->kind) {
      case Selection::Field:
        o.str("Alias", s->alias);
        o.str("Name", s->name);
        o.sub("Arguments", args_value(s->args));
        o.sub("Directives", directives_value(s->directives));
        o.sub("SelectionSet", selections_value(s->selections));
        break;
      case Selection::Spread:
        o.str("Name", s->name);
        o.sub("Directives", directives_value(s->directives));
        break;
      case Selection::Inline:
        o.str("TypeCondition", s->type_condition);
        o.sub("Directives", directives_value(s->directives));
        o.sub("SelectionSet", selections_value(s->selections));
        break;
    }
    return o.build();
  });
}

Value arg_defs_value(const std::vector<ArgumentDef>& args) {
  return list(args, [](const ArgumentDef& a) {
    Obj o;
    o.str("Description", a.description);
    o.str("Name", a.name);
    o.sub("DefaultValue", lit_value(a.default_value));
    o.sub("Type", type_value(a.type));
    o.sub("Directives", directives_value(a.directives));
    return o.build();
  });
}

Value definitions_value(const std::vector<Definition>& defs) {
  return list(defs, [](const Definition& d) {
    Obj o;
    o.str("Kind", d.kind);
    o.str("Description", d.description);
    o.str("Name", d.name);
    o.sub("Directives", directives_value(d.directives));
    o.sub("Interfaces", strings(d.interfaces));
    o.sub("Types", strings(d.types));
    o.sub("Fields", list(d.fields, [](const FieldDef& f) {
            Obj fo;
            fo.str("Description", f.description);
            fo.str("Name", f.name);
            fo.sub("Arguments", arg_defs_value(f.args));
            fo.sub("DefaultValue", lit_value(f.default_value));
            fo.sub("Type", type_value(f.type));
            fo.sub("Directives", directives_value(f.directives));
            return fo.build();
          }));
    o.sub("EnumValues", list(d.enum_values, [](const EnumValueDef& e) {
            Obj eo;
            eo.str("Description", e.description);
            eo.str("Name", e.name);
            eo.sub("Directives", directives_value(e.directives));
            return eo.build();
          }));
    o.boolean("BuiltIn", d.builtin);
    return o.build();
  });
}

Value schema_defs_value(const std::vector<SchemaDef>& defs) {
  return list(defs, [](const SchemaDef& s) {
    Obj o;
    o.str("Description", s.description);
    o.sub("Directives", directives_value(s.directives));
    o.sub("OperationTypes", list(s.operation_types, [](const OperationTypeDef& t) {
            Obj to;
            to.str("Operation", t.operation);
            to.str("Type", t.type);
            return to.build();
          }));
    return o.build();
  });
}

// ---------------------------------------------------------------- from value

[[noreturn]] void bad(const std::string& what) {
  throw Error("malformed GraphQL AST object: " + what, Pos{});
}

const Value* field(const Value& obj, const char* key) {
  const Value* v = obj.find(std::string_view(key));
  return (v && !v->is_null()) ? v : nullptr;
}

const Value& need_obj(const Value& v, const char* what) {
  if (!v.is_object()) bad(std::string(what) + " must be an object");
  return v;
}

std::string get_str(const Value& obj, const char* key) {
  const Value* v = field(obj, key);
  if (!v) return "";
  if (!v->is_string()) bad(std::string("\"") + key + "\" must be a string");
  return v->str();
}

bool get_bool(const Value& obj, const char* key) {
  const Value* v = field(obj, key);
  if (!v) return false;
  if (!v->is_bool()) bad(std::string("\"") + key + "\" must be a boolean");
  return v->as_bool();
}

template <class F>
void each(const Value& obj, const char* key, F f) {
  const Value* v = field(obj, key);
  if (!v) return;
  if (!v->is_array()) bad(std::string("\"") + key + "\" must be an array");
  for (const Value& item : v->items()) f(item);
}

std::vector<std::string> get_strings(const Value& obj, const char* key) {
  std::vector<std::string> out;
  each(obj, key, [&](const Value& s) {
    if (!s.is_string()) bad(std::string("\"") + key + "\" must hold strings");
    out.push_back(s.str());
  });
  return out;
}

struct Depth {
  int& d;
  explicit Depth(int& depth) : d(depth) {
    if (++d > kMaxDepth) bad("nested too deeply");
  }
  ~Depth() { --d; }
};

class Reader {
 public:
  LitPtr literal(const Value* v) {
    if (!v) return nullptr;
    Depth guard(depth_);
    const Value& o = need_obj(*v, "a value");
    auto lit = std::make_shared<Literal>();
    lit->raw = get_str(o, "Raw");
    if (const Value* k = field(o, "Kind")) {
      int64_t n = 0;
      if (!k->to_int64(n) || n < 0 || n > int64_t(LitKind::Object)) bad("\"Kind\" of a value must be 0..9");
      lit->kind = LitKind(n);
    } else {
      lit->kind = LitKind::Variable;
    }
    each(o, "Children", [&](const Value& c) {
      need_obj(c, "a child value");
      ChildLiteral cl;
      cl.name = get_str(c, "Name");
      cl.value = literal(field(c, "Value"));
      if (!cl.value) cl.value = std::make_shared<Literal>();
      lit->children.push_back(std::move(cl));
    });
    return lit;
  }

  TypePtr type(const Value* v) {
    if (!v) return nullptr;
    Depth guard(depth_);
    const Value& o = need_obj(*v, "a type");
    auto t = std::make_shared<TypeRef>();
    t->named = get_str(o, "NamedType");
    t->elem = type(field(o, "Elem"));
    t->non_null = get_bool(o, "NonNull");
    return t;
  }

  TypePtr required_type(const Value* v) {
    TypePtr t = type(v);
    return t ? t : std::make_shared<TypeRef>();
  }

  std::vector<Argument> args(const Value& o) {
    std::vector<Argument> out;
    each(o, "Arguments", [&](const Value& a) {
      need_obj(a, "an argument");
      Argument arg;
      arg.name = get_str(a, "Name");
      arg.value = literal(field(a, "Value"));
      if (!arg.value) arg.value = std::make_shared<Literal>();
      out.push_back(std::move(arg));
    });
    return out;
  }

  std::vector<Directive> directives(const Value& o) {
    std::vector<Directive> out;
    each(o, "Directives", [&](const Value& d) {
      need_obj(d, "a directive");
      Directive dir;
      dir.name = get_str(d, "Name");
      dir.args = args(d);
      out.push_back(std::move(dir));
    });
    return out;
  }

  std::vector<VariableDef> vars(const Value& o, const char* key) {
    std::vector<VariableDef> out;
    each(o, key, [&](const Value& v) {
      need_obj(v, "a variable definition");
      VariableDef d;
      d.name = get_str(v, "Variable");
      d.type = required_type(field(v, "Type"));
      d.default_value = literal(field(v, "DefaultValue"));
      d.directives = directives(v);
      out.push_back(std::move(d));
    });
    return out;
  }

  // A selection's kind is not stored; it follows from its keys: inline
  // fragments have "TypeCondition", fragment spreads a "Name" but no "Alias".
  std::vector<SelPtr> selections(const Value& o) {
    std::vector<SelPtr> out;
    each(o, "SelectionSet", [&](const Value& s) {
      Depth guard(depth_);
      need_obj(s, "a selection");
      auto sel = std::make_shared<Selection>();
      if (s.find(std::string_view("TypeCondition"))) {
        sel->kind = Selection::Inline;
        sel->type_condition = get_str(s, "TypeCondition");
        sel->directives = directives(s);
        sel->selections = selections(s);
      } else if (!s.find(std::string_view("Alias")) && s.find(std::string_view("Name")) &&
                 !s.find(std::string_view("SelectionSet")) && !s.find(std::string_view("Arguments"))) {
        sel->kind = Selection::Spread;
        sel->name = get_str(s, "Name");
        sel->directives = directives(s);
      } else {
        sel->kind = Selection::Field;
        sel->alias = get_str(s, "Alias");
        sel->name = get_str(s, "Name");
        if (sel->alias.empty()) sel->alias = sel->name;
        sel->args = args(s);
        sel->directives = directives(s);
        sel->selections = selections(s);
      }
      out.push_back(std::move(sel));
    });
    return out;
  }

  QueryDoc query(const Value& v) {
    const Value& o = need_obj(v, "a query document");
    QueryDoc doc;
    each(o, "Operations", [&](const Value& op) {
      need_obj(op, "an operation");
      Operation x;
      x.operation = get_str(op, "Operation");
      if (x.operation.empty()) x.operation = "query";
      x.name = get_str(op, "Name");
      x.vars = vars(op, "VariableDefinitions");
      x.directives = directives(op);
      x.selections = selections(op);
      doc.operations.push_back(std::move(x));
    });
    each(o, "Fragments", [&](const Value& f) {
      need_obj(f, "a fragment");
      Fragment x;
      x.name = get_str(f, "Name");
      x.vars = vars(f, "VariableDefinition");
      x.type_condition = get_str(f, "TypeCondition");
      x.directives = directives(f);
      x.selections = selections(f);
      doc.fragments.push_back(std::move(x));
    });
    return doc;
  }

  std::vector<ArgumentDef> arg_defs(const Value& o) {
    std::vector<ArgumentDef> out;
    each(o, "Arguments", [&](const Value& a) {
      need_obj(a, "an argument definition");
      ArgumentDef d;
      d.description = get_str(a, "Description");
      d.name = get_str(a, "Name");
      d.default_value = literal(field(a, "DefaultValue"));
      d.type = required_type(field(a, "Type"));
      d.directives = directives(a);
      out.push_back(std::move(d));
    });
    return out;
  }

  std::vector<Definition> definitions(const Value& o, const char* key) {
    std::vector<Definition> out;
    each(o, key, [&](const Value& dv) {
      need_obj(dv, "a definition");
      Definition d;
      d.kind = get_str(dv, "Kind");
      d.description = get_str(dv, "Description");
      d.name = get_str(dv, "Name");
      d.directives = directives(dv);
      d.interfaces = get_strings(dv, "Interfaces");
      d.types = get_strings(dv, "Types");
      each(dv, "Fields", [&](const Value& fv) {
        need_obj(fv, "a field definition");
        FieldDef f;
        f.description = get_str(fv, "Description");
        f.name = get_str(fv, "Name");
        f.args = arg_defs(fv);
        f.default_value = literal(field(fv, "DefaultValue"));
        f.type = required_type(field(fv, "Type"));
        f.directives = directives(fv);
        d.fields.push_back(std::move(f));
      });
      each(dv, "EnumValues", [&](const Value& ev) {
        need_obj(ev, "an enum value definition");
        EnumValueDef e;
        e.description = get_str(ev, "Description");
        e.name = get_str(ev, "Name");
        e.directives = directives(ev);
        d.enum_values.push_back(std::move(e));
      });
      d.builtin = get_bool(dv, "BuiltIn");
      out.push_back(std::move(d));
    });
    return out;
  }

  std::vector<SchemaDef> schema_defs(const Value& o, const char* key) {
    std::vector<SchemaDef> out;
    each(o, key, [&](const Value& sv) {
      need_obj(sv, "a schema definition");
      SchemaDef s;
      s.description = get_str(sv, "Description");
      s.directives = directives(sv);
      each(sv, "OperationTypes", [&](const Value& tv) {
        need_obj(tv, "an operation type definition");
        OperationTypeDef t;
        t.operation = get_str(tv, "Operation");
        t.type = get_str(tv, "Type");
        s.operation_types.push_back(std::move(t));
      });
      out.push_back(std::move(s));
    });
    return out;
  }

  SchemaDoc schema(const Value& v) {
    const Value& o = need_obj(v, "a schema document");
    SchemaDoc doc;
    doc.schema = schema_defs(o, "Schema");
    doc.schema_extensions = schema_defs(o, "SchemaExtension");
    each(o, "Directives", [&](const Value& dv) {
      need_obj(dv, "a directive definition");
      DirectiveDef d;
      d.description = get_str(dv, "Description");
      d.name = get_str(dv, "Name");
      d.args = arg_defs(dv);
      d.locations = get_strings(dv, "Locations");
      d.repeatable = get_bool(dv, "IsRepeatable");
      doc.directives.push_back(std::move(d));
    });
    doc.definitions = definitions(o, "Definitions");
    doc.extensions = definitions(o, "Extensions");
    return doc;
  }

 private:
  int depth_ = 0;
};

}  // namespace

Value to_value(const QueryDoc& doc) {
  Obj o;
  o.sub("Operations", list(doc.operations, [](const Operation& op) {
          Obj x;
          x.str("Operation", op.operation);
          x.str("Name", op.name);
          x.sub("VariableDefinitions", vars_value(op.vars));
          x.sub("Directives", directives_value(op.directives));
          x.sub("SelectionSet", selections_value(op.selections));
          return x.build();
        }));
  o.sub("Fragments", list(doc.fragments, [](const Fragment& f) {
          Obj x;
          x.str("Name", f.name);
          x.sub("VariableDefinition", vars_value(f.vars));
          x.str("TypeCondition", f.type_condition);
          x.sub("Directives", directives_value(f.directives));
          x.sub("SelectionSet", selections_value(f.selections));
          return x.build();
        }));
  return o.build();
}

Value to_value(const SchemaDoc& doc) {
  Obj o;
  o.sub("Schema", schema_defs_value(doc.schema));
  o.sub("SchemaExtension", schema_defs_value(doc.schema_extensions));
  o.sub("Directives", list(doc.directives, [](const DirectiveDef& d) {
          Obj x;
          x.str("Description", d.description);
          x.str("Name", d.name);
          x.sub("Arguments", arg_defs_value(d.args));
          x.sub("Locations", strings(d.locations));
          x.boolean("IsRepeatable", d.repeatable);
          return x.build();
        }));
  o.sub("Definitions", definitions_value(doc.definitions));
  o.sub("Extensions", definitions_value(doc.extensions));
  return o.build();
}

QueryDoc query_from_value(const Value& v) { return Reader().query(v); }
SchemaDoc schema_from_value(const Value& v) { return Reader().schema(v); }

}  // namespace wartburg::graphql
