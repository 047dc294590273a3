// Builtins: object.get, object.keys, object.remove, object.filter,
// object.union, object.union_n, object.subset, and the JSON-path based
// json.filter, json.remove and json.patch (RFC 6902 as OPA implements it,
// including paths through sets). JSON paths are "a/b/c" strings (with ~0/~1
// escapes) or arrays of path segments.
#include "policy/builtins/registry.h"

#include <optional>

namespace wartburg::builtins {
namespace {

using Path = std::vector<Value>;

// ---- small object helpers ----

Value with_entry(const Value& obj, const Value& key, Value val) {
  std::vector<std::pair<Value, Value>> e(obj.entries());
  e.emplace_back(key, std::move(val));  // Value::object keeps the last duplicate
  return Value::object(std::move(e));
}

Value without_entry(const Value& obj, const Value& key) {
  std::vector<std::pair<Value, Value>> e;
  for (const auto& kv : obj.entries()) {
    if (kv.first != key) e.push_back(kv);
  }
  return Value::object(std::move(e));
}

// Keys given as an array, set or object (its keys), operand 2.
Value key_set(const Value& v) {
  if (v.is_array() || v.is_set()) return Value::set(v.items());
  if (v.is_object()) {
    std::vector<Value> keys;
    for (const auto& kv : v.entries()) keys.push_back(kv.first);
    return Value::set(std::move(keys));
  }
  operand_error(2, "one of {object, set, array}", v);
}

// ---- object.* ----

const Value* find_path(const Value& root, const Value& path) {
  const Value* cur = &root;
  for (const Value& seg : path.items()) {
    cur = cur->find(seg);
    if (!cur) return nullptr;
  }
  return cur;
}

Value object_get(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  if (!a[1].is_array()) {
    const Value* v = obj.find(a[1]);
    return v ? *v : a[2];
  }
  const Value* v = find_path(obj, a[1]);
  return v ? *v : a[2];
}

Value object_keys(Context&, const Value* a) {
  std::vector<Value> keys;
  for (const auto& kv : need_object(a, 1).entries()) keys.push_back(kv.first);
  return Value::set(std::move(keys));
}

Value select_keys(const Value& obj, const Value& keys, bool keep) {
  std::vector<std::pair<Value, Value>> out;
  for (const auto& kv : obj.entries()) {
    if (keys.contains(kv.first) == keep) out.push_back(kv);
  }
  return Value::object(std::move(out));
}

Value object_remove(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  return select_keys(obj, key_set(a[1]), false);
}

Value object_filter(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  return select_keys(obj, key_set(a[1]), true);
}

Value merge(const Value& x, const Value& y) {
  std::vector<std::pair<Value, Value>> out(x.entries());
  for (const auto& kv : y.entries()) {
    const Value* old = x.find(kv.first);
    if (old && old->is_object() && kv.second.is_object()) {
      out.emplace_back(kv.first, merge(*old, kv.second));
    } else {
      out.push_back(kv);
    }
  }
  return Value::object(std::move(out));
}

Value object_union(Context&, const Value* a) {
  const Value& x = need_object(a, 1);
  const Value& y = need_object(a, 2);
  return merge(x, y);
}

Value object_union_n(Context&, const Value* a) {
  const Value& arr = need_array(a, 1);
  for (const Value& x : arr.items()) {
    if (!x.is_object()) {
      throw TypeError("operand 1 must be array of objects but got array containing " + type_name_for_error(x));
    }
  }
  Value acc = Value::empty_object();
  for (const Value& x : arr.items()) acc = merge(acc, x);
  return acc;
}

// ---- object.subset ----

bool subset(const Value& super, const Value& sub);

bool set_subset(const Value& super, const Value& sub) {
  for (const Value& x : sub.items()) {
    if (!super.contains(x)) return false;
  }
  return true;
}

// The whole `sub` array appears contiguously in `super`.
bool array_subset(const Value& super, const Value& sub) {
  const auto& p = super.items();
  const auto& s = sub.items();
  if (s.size() > p.size()) return false;
  for (size_t start = 0; start + s.size() <= p.size(); ++start) {
    size_t i = 0;
    while (i < s.size() && p[start + i] == s[i]) ++i;
    if (i == s.size()) return true;
  }
  return false;
}

// As OPA: counts the array elements found in the set (duplicates included).
bool array_set_subset(const Value& super, const Value& sub) {
  size_t unmatched = sub.items().size();
  for (const Value& x : super.items()) {
    if (sub.contains(x)) --unmatched;
    if (unmatched == 0) return true;
  }
  return false;
}

bool object_subset(const Value& super, const Value& sub) {
  for (const auto& kv : sub.entries()) {
    const Value* sv = super.find(kv.first);
    if (!sv) return false;
    if (*sv == kv.second) continue;
    bool same_kind = sv->kind() == kv.second.kind();
    if (!same_kind || !(sv->is_object() || sv->is_set() || sv->is_array())) return false;
    if (!subset(*sv, kv.second)) return false;
  }
  return true;
}

bool subset(const Value& super, const Value& sub) {
  if (super.is_object() && sub.is_object()) return object_subset(super, sub);
  if (super.is_set() && sub.is_set()) return set_subset(super, sub);
  if (super.is_array() && sub.is_array()) return array_subset(super, sub);
  return array_set_subset(super, sub);
}

Value object_subset_fn(Context&, const Value* a) {
  const Value& super = a[0];
  const Value& sub = a[1];
  bool ok = (super.kind() == sub.kind() && (super.is_object() || super.is_set() || super.is_array())) ||
            (super.is_array() && sub.is_set());
  if (!ok) throw TypeError("both arguments object.subset must be of the same type or array and set");
  return Value::boolean(subset(super, sub));
}

// ---- JSON paths ----

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

// nullopt when the path is neither a string nor an array.
std::optional<Path> parse_path(const Value& p) {
  if (p.is_array()) return p.items();
  if (!p.is_string()) return std::nullopt;
  Path out;
  if (p.str().empty()) return out;
  std::string s = p.str();
  size_t first = s.find_first_not_of('/');
  s.erase(0, first == std::string::npos ? s.size() : first);  // leading slashes are dropped
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    std::string part = s.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    replace_all(part, "~1", "/");
    replace_all(part, "~0", "~");
    out.push_back(Value::string(part));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

std::vector<Path> json_paths(const Value& v) {
  if (!v.is_array() && !v.is_set()) operand_error(2, "one of {set, array}", v);
  std::vector<Path> out;
  for (const Value& p : v.items()) {
    auto path = parse_path(p);
    if (!path) {
      throw TypeError("operand 2 must be one of {set, array} containing string paths or array of path segments but got " +
                      type_name_for_error(p));
    }
    out.push_back(std::move(*path));
  }
  return out;
}

// Adds one path to a tree of objects whose null leaves mark selected paths.
Value add_path(const Value& node, const Path& path, size_t i) {
  const Value& key = path[i];
  if (i + 1 == path.size()) return with_entry(node, key, Value::null());
  const Value* child = node.find(key);
  if (!child) return with_entry(node, key, add_path(Value::empty_object(), path, i + 1));
  if (child->is_null()) return node;
  return with_entry(node, key, add_path(*child, path, i + 1));
}

Value paths_to_tree(const std::vector<Path>& paths) {
  Value root = Value::empty_object();
  for (const Path& p : paths) {
    if (!p.empty()) root = add_path(root, p, 0);
  }
  return root;
}

Value index_key(size_t i) { return Value::string(std::to_string(i)); }

// Keeps the parts of v selected by the filter tree (null = keep everything).
Value filter_value(const Value& v, const Value& filter) {
  if (filter.is_null()) return v;
  switch (v.kind()) {
    case Kind::Array: {
      std::vector<Value> out;
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (const Value* f = filter.find(index_key(i))) out.push_back(filter_value(v.items()[i], *f));
      }
      return Value::array(std::move(out));
    }
    case Kind::Set: {
      std::vector<Value> out;
      for (const Value& x : v.items()) {
        if (const Value* f = filter.find(x)) out.push_back(filter_value(x, *f));
      }
      return Value::set(std::move(out));
    }
    case Kind::Object: {
      std::vector<std::pair<Value, Value>> out;
      for (const auto& kv : v.entries()) {
        if (const Value* f = filter.find(kv.first)) out.emplace_back(kv.first, filter_value(kv.second, *f));
      }
      return Value::object(std::move(out));
    }
    default: return v;
  }
}

// Drops the parts of v marked by null leaves of the tree; nullopt = removed.
std::optional<Value> remove_value(const Value& v, const Value* tree) {
  if (!tree) return v;
  if (tree->is_null()) return std::nullopt;
  if (!tree->is_object()) return v;
  switch (v.kind()) {
    case Kind::Object: {
      std::vector<std::pair<Value, Value>> out;
      for (const auto& kv : v.entries()) {
        if (auto r = remove_value(kv.second, tree->find(kv.first))) out.emplace_back(kv.first, std::move(*r));
      }
      return Value::object(std::move(out));
    }
    case Kind::Set: {
      std::vector<Value> out;
      for (const Value& x : v.items()) {
        if (auto r = remove_value(x, tree->find(x))) out.push_back(std::move(*r));
      }
      return Value::set(std::move(out));
    }
    case Kind::Array: {
      std::vector<Value> out;
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (auto r = remove_value(v.items()[i], tree->find(index_key(i)))) out.push_back(std::move(*r));
      }
      return Value::array(std::move(out));
    }
    default: return v;
  }
}

Value json_filter(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  return filter_value(obj, paths_to_tree(json_paths(a[1])));
}

Value json_remove(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  Value tree = paths_to_tree(json_paths(a[1]));
  auto r = remove_value(obj, &tree);
  return r ? *r : Value();
}

// ---- json.patch ----

struct PatchFailure {};

[[noreturn]] void fail() { throw PatchFailure{}; }

// Array index from a path segment: an integer, a decimal string without
// leading zeros, or "-" (one past the end).
int64_t to_index(size_t len, const Value& key) {
  int64_t i = 0;
  if (key.is_number()) {
    if (!key.to_int64(i)) fail();
    return i;
  }
  if (!key.is_string()) fail();
  const std::string& s = key.str();
  if (s == "-") return static_cast<int64_t>(len);
  size_t d = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (d == s.size() || s.size() - d > 18) fail();
  for (size_t k = d; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') fail();
  }
  if (s != "0" && s[0] == '0') fail();
  i = std::stoll(s);
  return i;
}

const Value& child_at(const Value& v, const Value& key) {
  if (v.is_array()) {
    int64_t i = to_index(v.items().size(), key);
    if (i < 0 || i >= static_cast<int64_t>(v.items().size())) fail();
    return v.items()[static_cast<size_t>(i)];
  }
  if (!v.is_object() && !v.is_set()) fail();
  const Value* c = v.find(key);
  if (!c) fail();
  return *c;
}

Value get_at(const Value& root, const Path& path) {
  const Value* cur = &root;
  for (const Value& k : path) cur = &child_at(*cur, k);
  return *cur;
}

Value replace_child(const Value& parent, const Value& key, Value child) {
  if (parent.is_object()) return with_entry(parent, key, std::move(child));
  if (parent.is_set()) {
    std::vector<Value> items;
    for (const Value& x : parent.items()) {
      if (x != key) items.push_back(x);
    }
    items.push_back(std::move(child));
    return Value::set(std::move(items));
  }
  std::vector<Value> items(parent.items());
  items[static_cast<size_t>(to_index(items.size(), key))] = std::move(child);
  return Value::array(std::move(items));
}

using Edit = Value (*)(const Value& parent, const Value& key, const Value& value);

// Applies edit to the parent of path's last segment and rebuilds the ancestors.
Value edit_at(const Value& node, const Path& path, size_t i, Edit edit, const Value& value) {
  if (i + 1 == path.size()) return edit(node, path[i], value);
  const Value& child = child_at(node, path[i]);
  return replace_child(node, path[i], edit_at(child, path, i + 1, edit, value));
}

Value insert_edit(const Value& parent, const Value& key, const Value& value) {
  if (parent.is_object()) return with_entry(parent, key, value);
  if (parent.is_set()) {
    if (key != value) fail();
    std::vector<Value> items(parent.items());
    items.push_back(value);
    return Value::set(std::move(items));
  }
  if (!parent.is_array()) fail();
  std::vector<Value> items(parent.items());
  int64_t i = to_index(items.size(), key);
  if (i < 0 || i > static_cast<int64_t>(items.size())) fail();
  items.insert(items.begin() + i, value);
  return Value::array(std::move(items));
}

Value delete_edit(const Value& parent, const Value& key, const Value&) {
  if (parent.is_object()) {
    if (!parent.find(key)) fail();
    return without_entry(parent, key);
  }
  if (parent.is_set()) {
    if (!parent.contains(key)) fail();
    std::vector<Value> items;
    for (const Value& x : parent.items()) {
      if (x != key) items.push_back(x);
    }
    return Value::set(std::move(items));
  }
  if (!parent.is_array()) fail();
  std::vector<Value> items(parent.items());
  int64_t i = to_index(items.size(), key);
  if (i < 0 || i >= static_cast<int64_t>(items.size())) fail();
  items.erase(items.begin() + i);
  return Value::array(std::move(items));
}

// The document being patched; nullopt once the root itself was removed.
using Doc = std::optional<Value>;

void insert_at(Doc& doc, const Path& path, const Value& value) {
  if (path.empty()) {
    doc = value;
    return;
  }
  if (!doc) fail();
  doc = edit_at(*doc, path, 0, insert_edit, value);
}

void delete_at(Doc& doc, const Path& path) {
  if (!doc) fail();
  if (path.empty()) {
    doc.reset();
    return;
  }
  doc = edit_at(*doc, path, 0, delete_edit, Value());
}

Value render_at(const Doc& doc, const Path& path) {
  if (!doc) fail();
  return get_at(*doc, path);
}

const Value& attribute(const Value& op, const char* name) {
  const Value* v = op.find(name);
  if (!v) fail();
  return *v;
}

Path path_attribute(const Value& op, const char* name) {
  auto p = parse_path(attribute(op, name));
  if (!p) fail();
  return *p;
}

void apply_patch(Doc& doc, const Value& op) {
  if (!op.is_object()) fail();
  const Value& kind = attribute(op, "op");
  if (!kind.is_string()) fail();
  const std::string& k = kind.str();
  if (k != "add" && k != "remove" && k != "replace" && k != "move" && k != "copy" && k != "test") fail();
  Path path = path_attribute(op, "path");
  if (k == "add") {
    insert_at(doc, path, attribute(op, "value"));
  } else if (k == "remove") {
    delete_at(doc, path);
  } else if (k == "replace") {
    const Value& v = attribute(op, "value");
    delete_at(doc, path);
    insert_at(doc, path, v);
  } else if (k == "test") {
    const Value& v = attribute(op, "value");
    if (render_at(doc, path) != v) fail();
  } else {
    Path from = path_attribute(op, "from");
    Value chunk = render_at(doc, from);
    if (k == "move") delete_at(doc, from);
    insert_at(doc, path, chunk);
  }
}

Value json_patch(Context&, const Value* a) {
  const Value& ops = need_array(a, 2);
  Doc doc = a[0];
  try {
    for (const Value& op : ops.items()) apply_patch(doc, op);
  } catch (const PatchFailure&) {
    return {};
  }
  return doc ? *doc : Value();
}

}  // namespace

void register_objects(Registry& r) {
  r.add({"object.get", 3, object_get, "(object, any, any) => any"});
  r.add({"object.keys", 1, object_keys, "(object) => set"});
  r.add({"object.remove", 2, object_remove, "(object, array|object|set) => object"});
  r.add({"object.filter", 2, object_filter, "(object, array|object|set) => object"});
  r.add({"object.union", 2, object_union, "(object, object) => object"});
  r.add({"object.union_n", 1, object_union_n, "(array) => object"});
  r.add({"object.subset", 2, object_subset_fn, "(array|object|set, array|object|set) => boolean"});
  r.add({"json.filter", 2, json_filter, "(object, array|set) => any"});
  r.add({"json.remove", 2, json_remove, "(object, array|set) => any"});
  r.add({"json.patch", 2, json_patch, "(any, array) => any"});
}

}  // namespace wartburg::builtins
