// Builtins: object.get, object.keys, object.remove, object.filter,
// object.union, object.union_n, object.subset, and the JSON-path based
// json.filter, json.remove and json.patch (RFC 6902 as OPA implements it,
// including paths through sets). JSON paths are "a/b/c" strings (with ~0/~1
// escapes) or arrays of path segments.
#include "policy/builtins/registry.h"

#include <map>
#include <optional>

#include "policy/builtins/bounds.h"

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
  reserve_items(x.entries().size() + y.entries().size(), limits::kEntryBytes, limits::kValueOverhead);
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

// The objects merged as merge() would fold them left to right, in one pass
// (folding copies the growing result once per object: quadratic). For each
// key, its values in order: after the last one that is not an object, the
// objects that follow are merged; a trailing non-object wins.
Value merge_all(const std::vector<const Value*>& objs) {
  if (objs.size() == 1) return *objs[0];
  std::map<Value, std::vector<const Value*>> by_key;
  size_t n = 0;
  for (const Value* o : objs) {
    for (const auto& kv : o->entries()) {
      if ((++n & 4095) == 0) limits::poll();
      by_key[kv.first].push_back(&kv.second);
    }
  }
  reserve_items(by_key.size(), limits::kEntryBytes, limits::kValueOverhead);
  std::vector<std::pair<Value, Value>> out;
  out.reserve(by_key.size());
  for (auto& [key, vals] : by_key) {
    size_t start = vals.size() - 1;
    while (start > 0 && vals[start]->is_object() && vals[start - 1]->is_object()) --start;
    if (start + 1 == vals.size()) {
      out.emplace_back(key, *vals.back());
    } else {
      out.emplace_back(key, merge_all(std::vector<const Value*>(vals.begin() + static_cast<std::ptrdiff_t>(start), vals.end())));
    }
  }
  return Value::object(std::move(out));
}

Value object_union_n(Context&, const Value* a) {
  const Value& arr = need_array(a, 1);
  std::vector<const Value*> objs;
  objs.reserve(arr.items().size());
  for (const Value& x : arr.items()) {
    if (!x.is_object()) {
      throw TypeError("operand 1 must be array of objects but got array containing " + type_name_for_error(x));
    }
    objs.push_back(&x);
  }
  if (objs.empty()) return Value::empty_object();
  size_t total = 0;
  for (const Value* o : objs) total += o->size();
  if (total <= 64) {  // small: fold, as merge() does pairwise
    Value acc = Value::empty_object();
    for (const Value* o : objs) acc = merge(acc, *o);
    return acc;
  }
  return merge_all(objs);
}

// ---- object.subset ----

bool subset(const Value& super, const Value& sub);

bool set_subset(const Value& super, const Value& sub) {
  for (const Value& x : sub.items()) {
    if (!super.contains(x)) return false;
  }
  return true;
}

// The whole `sub` array appears contiguously in `super` (KMP: a naive scan
// is O(n*m) comparisons of values).
bool array_subset(const Value& super, const Value& sub) {
  const auto& p = super.items();
  const auto& s = sub.items();
  if (s.size() > p.size()) return false;
  if (s.empty()) return true;
  bool found = false;
  kmp_each(p.data(), p.size(), s.data(), s.size(), [&](size_t) {
    found = true;
    return false;
  });
  return found;
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

// The selected paths as a tree: a node selects everything below it (`all`,
// a path ended there) or the children it has. Nodes live in one vector (no
// recursion to build or free them: a path may have a million segments).
struct PathTree {
  struct Node {
    bool all = false;
    std::map<Value, uint32_t> kids;
  };
  std::vector<Node> nodes{1};

  // Adds the first n segments of path; `whole`: the path ends there (it
  // selects everything below), otherwise it only passes through.
  void add(const Path& path, size_t n, bool whole) {
    if (n == 0) return;
    uint32_t cur = 0;
    for (size_t i = 0; i < n; ++i) {
      if ((i & 4095) == 4095) limits::poll();
      if (nodes[cur].all) return;  // already selected whole
      auto it = nodes[cur].kids.find(path[i]);
      uint32_t next;
      if (it == nodes[cur].kids.end()) {
        next = static_cast<uint32_t>(nodes.size());
        nodes[cur].kids.emplace(path[i], next);
        nodes.emplace_back();
      } else {
        next = it->second;
      }
      cur = next;
    }
    if (!whole) return;
    nodes[cur].all = true;
    nodes[cur].kids.clear();
  }
  const Node* child(const Node& n, const Value& key) const {
    auto it = n.kids.find(key);
    return it == n.kids.end() ? nullptr : &nodes[it->second];
  }
};

// The tree of the paths into `doc`. Segments past the document's depth
// cannot change what is selected (the path met a scalar or nothing before),
// so very long paths are cut there: a path of a million segments would
// otherwise make a million nodes.
PathTree paths_to_tree(const Value& doc, const std::vector<Path>& paths) {
  size_t longest = 0;
  for (const Path& p : paths) longest = std::max(longest, p.size());
  uint64_t limit = longest;
  if (longest > 64) limit = ShapeMemo().of(doc).depth + 1;
  PathTree t;
  for (const Path& p : paths) {
    if (p.empty()) continue;
    t.add(p, static_cast<size_t>(std::min<uint64_t>(p.size(), limit)), p.size() <= limit);
  }
  return t;
}

Value index_key(size_t i) { return Value::string(std::to_string(i)); }

// Keeps the parts of v selected by the tree node. Recursion follows v, whose
// depth is bounded.
Value filter_value(const Value& v, const PathTree& t, const PathTree::Node& n) {
  if (n.all) return v;
  switch (v.kind()) {
    case Kind::Array: {
      std::vector<Value> out;
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (const auto* f = t.child(n, index_key(i))) out.push_back(filter_value(v.items()[i], t, *f));
      }
      return Value::array(std::move(out));
    }
    case Kind::Set: {
      std::vector<Value> out;
      for (const Value& x : v.items()) {
        if (const auto* f = t.child(n, x)) out.push_back(filter_value(x, t, *f));
      }
      return Value::set(std::move(out));
    }
    case Kind::Object: {
      std::vector<std::pair<Value, Value>> out;
      for (const auto& kv : v.entries()) {
        if (const auto* f = t.child(n, kv.first)) out.emplace_back(kv.first, filter_value(kv.second, t, *f));
      }
      return Value::object(std::move(out));
    }
    default: return v;
  }
}

// Drops the parts of v the tree selects; nullopt = removed.
std::optional<Value> remove_value(const Value& v, const PathTree& t, const PathTree::Node* n) {
  if (!n) return v;
  if (n->all) return std::nullopt;
  switch (v.kind()) {
    case Kind::Object: {
      std::vector<std::pair<Value, Value>> out;
      for (const auto& kv : v.entries()) {
        if (auto r = remove_value(kv.second, t, t.child(*n, kv.first))) out.emplace_back(kv.first, std::move(*r));
      }
      return Value::object(std::move(out));
    }
    case Kind::Set: {
      std::vector<Value> out;
      for (const Value& x : v.items()) {
        if (auto r = remove_value(x, t, t.child(*n, x))) out.push_back(std::move(*r));
      }
      return Value::set(std::move(out));
    }
    case Kind::Array: {
      std::vector<Value> out;
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (auto r = remove_value(v.items()[i], t, t.child(*n, index_key(i)))) out.push_back(std::move(*r));
      }
      return Value::array(std::move(out));
    }
    default: return v;
  }
}

Value json_filter(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  PathTree t = paths_to_tree(obj, json_paths(a[1]));
  if (t.nodes[0].kids.empty() && !t.nodes[0].all) return Value::empty_object();
  return filter_value(obj, t, t.nodes[0]);
}

Value json_remove(Context&, const Value* a) {
  const Value& obj = need_object(a, 1);
  PathTree t = paths_to_tree(obj, json_paths(a[1]));
  auto r = remove_value(obj, t, &t.nodes[0]);
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

// Bounds on what a patch may build. Values share their parts, so "copy"
// duplicates nothing in memory, but the tree it makes is what printing,
// comparing or walking the result pays for: n copies of the root make a tree
// 2^n times the document. And each "add"/"copy" at the bottom of a document
// nests it deeper. Copies count against the evaluation's limits as if the
// copied part were built anew; a result may not nest deeper than a JSON
// document may (deeper values overflow the stack of recursive code).
constexpr uint64_t kMaxPatchDepth = 10000;

struct PatchBounds {
  ShapeMemo shapes;
  uint64_t copied = 0;

  void check_nesting(const Path& at, const Value& v) {
    if (at.empty()) return;  // replacing the root nests nothing
    if (at.size() > kMaxPatchDepth || at.size() + shapes.of(v).depth > kMaxPatchDepth) {
      throw LimitError("eval_builtin_error", "result would nest deeper than " + std::to_string(kMaxPatchDepth) + " levels");
    }
  }
  void count_copy(const Value& chunk) {
    uint64_t b = shapes.of(chunk).bytes;
    copied = b > UINT64_MAX - copied ? UINT64_MAX : copied + b;
    limits::reserve(copied);
  }
};

void apply_patch(Doc& doc, const Value& op, PatchBounds& bounds) {
  if (!op.is_object()) fail();
  const Value& kind = attribute(op, "op");
  if (!kind.is_string()) fail();
  const std::string& k = kind.str();
  if (k != "add" && k != "remove" && k != "replace" && k != "move" && k != "copy" && k != "test") fail();
  Path path = path_attribute(op, "path");
  if (k == "add") {
    const Value& v = attribute(op, "value");
    bounds.check_nesting(path, v);
    insert_at(doc, path, v);
  } else if (k == "remove") {
    delete_at(doc, path);
  } else if (k == "replace") {
    const Value& v = attribute(op, "value");
    bounds.check_nesting(path, v);
    delete_at(doc, path);
    insert_at(doc, path, v);
  } else if (k == "test") {
    const Value& v = attribute(op, "value");
    if (render_at(doc, path) != v) fail();
  } else {
    Path from = path_attribute(op, "from");
    Value chunk = render_at(doc, from);
    bounds.check_nesting(path, chunk);
    if (k == "move") {
      delete_at(doc, from);
    } else {
      bounds.count_copy(chunk);
    }
    insert_at(doc, path, chunk);
  }
}

Value json_patch(Context&, const Value* a) {
  const Value& ops = need_array(a, 2);
  Doc doc = a[0];
  PatchBounds bounds;
  try {
    size_t n = 0;
    for (const Value& op : ops.items()) {
      if ((++n & 255) == 0) limits::poll();
      apply_patch(doc, op, bounds);
    }
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
