// Precompiled plans (see plan.h): the binary writer and the bounds-checked
// reader of compiled modules, the plan header, the sources digest and the
// validation of a loaded plan's structure.
#include "lang/plan.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <unordered_map>

#include "policy/builtins/registry.h"

namespace wartburg::lang {

namespace {

constexpr std::string_view kMagic{"WBGPLAN\0", 8};
// Terms nest at most 1000 deep (the parser's limit); bodies and values add levels.
constexpr int kMaxDepth = 3000;
// Longest package path or rule head ref (the rule tree is as deep as these).
constexpr size_t kMaxPathLength = 1000;

[[noreturn]] void fail(const std::string& msg) { throw Error(ErrorInfo{"plan_error", msg, "", 0, 0}); }
[[noreturn]] void corrupt(const std::string& what) { fail("corrupt plan: " + what); }

// Changes whenever the AST structures change shape: a plan written by a build
// with other structures is rejected even when the version strings agree.
uint64_t layout_fingerprint() {
  const uint64_t parts[] = {sizeof(Location),
                            sizeof(Term),
                            sizeof(Expr),
                            sizeof(With),
                            sizeof(Guard),
                            sizeof(Rule),
                            sizeof(Import),
                            sizeof(Module),
                            static_cast<uint64_t>(TermKind::Call),
                            static_cast<uint64_t>(ExprKind::Not),
                            static_cast<uint64_t>(Target::Function),
                            static_cast<uint64_t>(SpecialCall::Member3),
                            static_cast<uint64_t>(RuleKind::Function)};
  uint64_t h = 1469598103934665603ull;
  for (uint64_t p : parts) h = (h ^ p) * 1099511628211ull;
  return h;
}

uint64_t load_le64(const unsigned char* p, size_t n) {
  uint64_t w = 0;
  for (size_t i = 0; i < n; ++i) w |= static_cast<uint64_t>(p[i]) << (8 * i);
  return w;
}

// A fast 64-bit checksum (corruption check, not a cryptographic hash).
uint64_t checksum(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(s.size()) * 0xC2B2AE3D27D4EB4Full);
  auto mix = [&h](uint64_t w) {
    h ^= w * 0xC2B2AE3D27D4EB4Full;
    h = (h << 31) | (h >> 33);
    h *= 0x9E3779B97F4A7C15ull;
  };
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) mix(load_le64(p + i, 8));
  mix(load_le64(p + i, s.size() - i) ^ 0xA5A5A5A5A5A5A5A5ull);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

// ---------------------------------------------------------------- bytes out

class Out {
 public:
  std::string buf;
  void u8(uint8_t v) { buf.push_back(static_cast<char>(v)); }
  void fixed(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
  }
  void uv(uint64_t v) {
    while (v >= 0x80) {
      u8(static_cast<uint8_t>(v) | 0x80);
      v >>= 7;
    }
    u8(static_cast<uint8_t>(v));
  }
  void sv(int64_t v) { uv((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void bytes(std::string_view s) {
    uv(s.size());
    buf.append(s);
  }
};

// ---------------------------------------------------------------- bytes in

class In {
 public:
  explicit In(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}
  size_t left() const { return static_cast<size_t>(end_ - p_); }
  void need(uint64_t n) const {
    if (n > left()) corrupt("unexpected end of data");
  }
  uint8_t u8() {
    need(1);
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t fixed(int n) {
    need(static_cast<uint64_t>(n));
    uint64_t v = load_le64(reinterpret_cast<const unsigned char*>(p_), static_cast<size_t>(n));
    p_ += n;
    return v;
  }
  uint64_t uv() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = u8();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    corrupt("malformed number");
  }
  int64_t sv() {
    uint64_t u = uv();
    return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  }
  // An int in [lo, hi].
  int integer(int64_t lo, int64_t hi, const char* what) {
    int64_t v = sv();
    if (v < lo || v > hi) corrupt(std::string(what) + " out of range");
    return static_cast<int>(v);
  }
  // An element count: every element takes at least one byte.
  size_t count() {
    uint64_t n = uv();
    if (n > left()) corrupt("element count exceeds the data");
    return static_cast<size_t>(n);
  }
  std::string_view bytes() {
    uint64_t n = uv();
    need(n);
    std::string_view s(p_, static_cast<size_t>(n));
    p_ += n;
    return s;
  }
  template <class E>
  E enumeration(E max, const char* what) {
    uint8_t v = u8();
    if (v > static_cast<uint8_t>(max)) corrupt(std::string("unknown ") + what);
    return static_cast<E>(v);
  }

 private:
  const char* p_;
  const char* end_;
};

// Value tags.
enum : uint8_t { kUndef, kNull, kFalse, kTrue, kInt, kFloat, kBig, kString, kArray, kObject, kSet };

// Which optional fields of a term follow its kind and location.
constexpr unsigned kHasValue = 1u << 0;
constexpr unsigned kHasName = 1u << 1;
constexpr unsigned kHasItems = 1u << 2;
constexpr unsigned kHasHead = 1u << 3;
constexpr unsigned kHasValueTerm = 1u << 4;
constexpr unsigned kHasBody = 1u << 5;
constexpr unsigned kHasSlot = 1u << 6;
constexpr unsigned kHasTarget = 1u << 7;
constexpr unsigned kHasBuiltin = 1u << 8;
constexpr unsigned kHasSpecial = 1u << 9;
constexpr unsigned kHasNode = 1u << 10;
constexpr unsigned kHasDataPrefix = 1u << 11;
constexpr unsigned kGround = 1u << 12;
constexpr unsigned kTermFlags = (1u << 13) - 1;

// ---------------------------------------------------------------- header

void write_header(Out& o, const CompiledModules& c, std::string_view digest) {
  o.buf.append(kMagic);
  o.fixed(kPlanFormatVersion, 4);
  o.bytes(kWartburgVersion);
  o.fixed(layout_fingerprint(), 8);
  o.bytes(digest);
  bool v0 = std::any_of(c.modules.begin(), c.modules.end(), [](const ModulePtr& m) { return m->v0; });
  o.u8(v0 ? 1 : 0);
  o.uv(c.modules.size());
  for (const auto& m : c.modules) {
    o.bytes(m->file ? *m->file : std::string());
    o.uv(m->package.size());
    for (const auto& p : m->package) o.bytes(p);
  }
}

// A version string from the bytes as shown in messages (it may be garbage).
std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 40)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return s.size() > 40 ? out + "..." : out;
}

// Checks magic, versions and checksum; returns the header and leaves `in` at the modules.
PlanInfo read_header(std::string_view bytes, In& in) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    fail("not a wartburg plan (bad magic bytes)");
  }
  In head(bytes.substr(kMagic.size()));
  PlanInfo info;
  try {
    info.format_version = static_cast<uint32_t>(head.fixed(4));
  } catch (const Error&) {
    fail("truncated plan (no header)");
  }
  if (info.format_version != kPlanFormatVersion) {
    fail("plan format version " + std::to_string(info.format_version) + " is not supported (this wartburg reads version " +
         std::to_string(kPlanFormatVersion) + "): rebuild the bundle");
  }
  try {
    info.wartburg_version = std::string(head.bytes());
  } catch (const Error&) {
    fail("truncated plan (no header)");
  }
  if (info.wartburg_version != kWartburgVersion) {
    fail("plan was built by wartburg " + printable(info.wartburg_version) + ", this is wartburg " +
         std::string(kWartburgVersion) + ": rebuild the bundle");
  }
  if (bytes.size() < kMagic.size() + 8) fail("truncated plan");
  std::string_view content = bytes.substr(0, bytes.size() - 8);
  In tail(bytes.substr(bytes.size() - 8));
  if (checksum(content) != tail.fixed(8)) fail("corrupt or truncated plan (checksum mismatch)");
  in = In(content.substr(kMagic.size()));
  in.fixed(4);
  in.bytes();
  if (in.fixed(8) != layout_fingerprint()) {
    fail("plan was built by a wartburg " + info.wartburg_version + " with other AST structures: rebuild the bundle");
  }
  info.sources_digest = std::string(in.bytes());
  uint8_t flags = in.u8();
  if (flags > 1) corrupt("unknown flags");
  info.v0 = flags & 1;
  size_t n = in.count();
  info.modules.resize(n);
  for (auto& m : info.modules) {
    m.file = std::string(in.bytes());
    size_t k = in.count();
    if (k > kMaxPathLength) corrupt("package path too long");
    m.package.reserve(k);
    for (size_t i = 0; i < k; ++i) m.package.emplace_back(in.bytes());
  }
  return info;
}

// ---------------------------------------------------------------- writer

class PlanWriter {
 public:
  explicit PlanWriter(const CompiledModules& c) : c_(c) {
    for (size_t i = 0; i < c.modules.size(); ++i) {
      const auto& f = c.modules[i]->file;
      if (!f) continue;
      file_ptrs_.emplace(f.get(), static_cast<uint32_t>(i));
      file_names_.emplace(*f, static_cast<uint32_t>(i));
    }
  }

  std::string run(std::string_view digest) {
    write_header(o_, c_, digest);
    for (const auto& m : c_.modules) module(*m);
    o_.fixed(checksum(o_.buf), 8);
    return std::move(o_.buf);
  }

 private:
  const CompiledModules& c_;
  Out o_;
  std::unordered_map<std::string, uint32_t> strings_;
  std::unordered_map<const Term*, uint32_t> terms_;
  std::unordered_map<const RuleNode*, uint32_t> nodes_;
  std::unordered_map<const std::string*, uint32_t> file_ptrs_;
  std::unordered_map<std::string, uint32_t> file_names_;
  int64_t prev_row_ = 0;
  uint64_t prev_file_ = 0;

  // Strings are interned: 0 + bytes the first time, index + 1 after.
  void str(const std::string& s) {
    auto it = strings_.find(s);
    if (it != strings_.end()) {
      o_.uv(it->second + 1ull);
      return;
    }
    strings_.emplace(s, static_cast<uint32_t>(strings_.size()));
    o_.uv(0);
    o_.bytes(s);
  }

  // Locations are written relative to the previous one: (row delta, file
  // changed?) in one number, the file index only when it changed, the column.
  void loc(const Location& l) {
    uint64_t f = 0;
    if (l.file) {
      auto it = file_ptrs_.find(l.file);
      if (it != file_ptrs_.end()) {
        f = it->second + 1ull;
      } else if (auto jt = file_names_.find(*l.file); jt != file_names_.end()) {
        f = jt->second + 1ull;
      }
    }
    int64_t delta = static_cast<int64_t>(l.row) - prev_row_;
    uint64_t zz = (static_cast<uint64_t>(delta) << 1) ^ static_cast<uint64_t>(delta >> 63);
    o_.uv((zz << 1) | (f != prev_file_ ? 1 : 0));
    if (f != prev_file_) o_.uv(f);
    o_.uv(static_cast<uint64_t>(l.col));
    prev_row_ = l.row;
    prev_file_ = f;
  }

  void value(const Value& v) {
    switch (v.kind()) {
      case Kind::Undefined: o_.u8(kUndef); return;
      case Kind::Null: o_.u8(kNull); return;
      case Kind::Bool: o_.u8(v.as_bool() ? kTrue : kFalse); return;
      case Kind::Number:
        if (v.is_int()) {
          o_.u8(kInt);
          o_.sv(v.as_int());
        } else if (v.is_float()) {
          double d = v.as_double();
          uint64_t bits;
          std::memcpy(&bits, &d, sizeof bits);
          o_.u8(kFloat);
          o_.fixed(bits, 8);
        } else {
          o_.u8(kBig);
          o_.bytes(number_text(v));
        }
        return;
      case Kind::String:
        o_.u8(kString);
        str(v.str());
        return;
      case Kind::Array:
      case Kind::Set:
        o_.u8(v.is_array() ? kArray : kSet);
        o_.uv(v.items().size());
        for (const auto& x : v.items()) value(x);
        return;
      case Kind::Object:
        o_.u8(kObject);
        o_.uv(v.entries().size());
        for (const auto& [k, x] : v.entries()) {
          value(k);
          value(x);
        }
        return;
    }
  }

  void node(const RuleNode* n) {
    if (!n) {
      o_.uv(0);
      return;
    }
    auto it = nodes_.find(n);
    if (it != nodes_.end()) {
      o_.uv(it->second + 2ull);
      return;
    }
    nodes_.emplace(n, static_cast<uint32_t>(nodes_.size()));
    o_.uv(1);
    o_.uv(n->path.size());
    for (const auto& p : n->path) str(p);
  }

  // Terms shared by several parents are written once and referenced after.
  void term(const TermPtr& tp) {
    if (!tp) {
      o_.uv(0);
      return;
    }
    auto it = terms_.find(tp.get());
    if (it != terms_.end()) {
      o_.uv(it->second + 2ull);
      return;
    }
    terms_.emplace(tp.get(), static_cast<uint32_t>(terms_.size()));
    o_.uv(1);
    const Term& t = *tp;
    unsigned flags = (t.value.defined() ? kHasValue : 0) | (t.name.empty() ? 0 : kHasName) |
                     (t.items.empty() ? 0 : kHasItems) | (t.head ? kHasHead : 0) |
                     (t.value_term ? kHasValueTerm : 0) | (t.body ? kHasBody : 0) | (t.slot != -1 ? kHasSlot : 0) |
                     (t.target != Target::None ? kHasTarget : 0) | (t.builtin ? kHasBuiltin : 0) |
                     (t.special != SpecialCall::None ? kHasSpecial : 0) | (t.node ? kHasNode : 0) |
                     (t.data_prefix != 0 ? kHasDataPrefix : 0) | (t.ground ? kGround : 0);
    o_.u8(static_cast<uint8_t>(t.kind));
    o_.uv(flags);
    loc(t.loc);
    if (flags & kHasValue) value(t.value);
    if (flags & kHasName) str(t.name);
    if (flags & kHasItems) {
      o_.uv(t.items.size());
      for (const auto& i : t.items) term(i);
    }
    if (flags & kHasHead) term(t.head);
    if (flags & kHasValueTerm) term(t.value_term);
    if (flags & kHasBody) body(*t.body);
    if (flags & kHasSlot) o_.sv(t.slot);
    if (flags & kHasTarget) o_.u8(static_cast<uint8_t>(t.target));
    if (flags & kHasBuiltin) str(t.builtin->name);
    if (flags & kHasSpecial) o_.u8(static_cast<uint8_t>(t.special));
    if (flags & kHasNode) node(t.node);
    if (flags & kHasDataPrefix) o_.sv(t.data_prefix);
  }

  void body_ptr(const BodyPtr& b) {
    o_.u8(b ? 1 : 0);
    if (b) body(*b);
  }

  void body(const Body& b) {
    o_.uv(b.size());
    for (const auto& e : b) expr(e);
  }

  void expr(const Expr& e) {
    o_.u8(static_cast<uint8_t>(e.kind));
    loc(e.loc);
    term(e.term);
    term(e.lhs);
    term(e.rhs);
    o_.uv(e.vars.size());
    for (const auto& v : e.vars) term(v);
    term(e.key);
    term(e.val);
    term(e.coll);
    body_ptr(e.body);
    o_.uv(e.withs.size());
    for (const auto& w : e.withs) {
      term(w.target);
      term(w.value);
      loc(w.loc);
    }
    o_.uv(e.text_begin);
    o_.uv(e.text_end);
  }

  void rule(const Rule& r) {
    loc(r.loc);
    o_.u8(static_cast<uint8_t>(r.kind));
    o_.sv(r.num_slots);
    o_.uv(r.ref.size());
    for (const auto& t : r.ref) term(t);
    o_.uv(r.args.size());
    for (const auto& t : r.args) term(t);
    term(r.key);
    term(r.value);
    o_.u8(static_cast<uint8_t>((r.is_default ? 1 : 0) | (r.assign ? 2 : 0)));
    body(r.body);
    o_.uv(r.guards.size());
    for (const auto& g : r.guards) {
      o_.sv(g.arg);
      o_.uv(g.path.size());
      for (const auto& p : g.path) value(p);
      value(g.value);
      loc(g.loc);
    }
    o_.uv(r.dyn_from);
    o_.u8(r.else_rule ? 1 : 0);
    if (r.else_rule) rule(*r.else_rule);
  }

  void module(const Module& m) {
    loc(m.package_loc);
    o_.u8(m.v0 ? 1 : 0);
    o_.uv(m.imports.size());
    for (const auto& imp : m.imports) {
      loc(imp.loc);
      term(imp.path);
      str(imp.alias);
    }
    o_.uv(m.rules.size());
    for (const auto& r : m.rules) rule(*r);
  }
};

// ---------------------------------------------------------------- reader

void validate(const CompiledModules& c);

class PlanReader {
 public:
  explicit PlanReader(std::string_view bytes) : in_(std::string_view()), plan_size_(bytes.size()) {
    info_ = read_header(bytes, in_);
  }

  std::shared_ptr<CompiledModules> run() {
    auto out = std::make_shared<CompiledModules>();
    for (const auto& entry : info_.modules) {
      auto m = std::make_shared<Module>();
      m->file = std::make_shared<std::string>(entry.file);
      m->package = entry.package;
      out->modules.push_back(std::move(m));
    }
    modules_ = &out->modules;
    for (auto& m : out->modules) module(*m);
    if (in_.left() != 0) corrupt("trailing bytes after the modules");

    // The rule tree and indexes are rebuilt; the rest of the compilation is in the plan.
    CompileState st;
    st.out = out.get();
    build_rule_tree(st);
    if (!st.errors.empty()) corrupt("rule tree: " + st.errors.front().message);
    for (const auto& [rule, dyn_from] : dyn_from_) {
      if (rule->dyn_from != dyn_from) corrupt("rule " + rule->path_text + " head does not match the rule tree");
    }
    std::vector<const RuleNode*> nodes(node_paths_.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
      nodes[i] = find_node(*out->root, node_paths_[i]);
      if (!nodes[i]) {
        std::string p = "data";
        for (const auto& k : node_paths_[i]) p += "." + k;
        corrupt("reference to " + p + ", which no rule defines");
      }
    }
    for (const auto& [t, idx] : node_fixups_) t->node = nodes[idx];
    validate(*out);  // before build_indexes, which reads the bodies
    build_indexes(st);
    if (!st.errors.empty()) corrupt("indexes: " + st.errors.front().message);
    return out;
  }

 private:
  PlanInfo info_;
  In in_;
  size_t plan_size_;
  const std::vector<ModulePtr>* modules_ = nullptr;
  std::vector<Value> strings_;
  std::vector<TermPtr> terms_;
  std::vector<bool> term_done_;
  std::vector<std::vector<std::string>> node_paths_;
  std::vector<std::pair<Term*, size_t>> node_fixups_;
  std::unordered_map<std::string, const builtins::Builtin*> builtins_;
  std::vector<std::pair<Rule*, size_t>> dyn_from_;
  int depth_ = 0;
  int64_t prev_row_ = 0;
  const std::string* prev_file_ = nullptr;

  struct Deeper {
    int& d;
    explicit Deeper(int& depth) : d(depth) {
      if (++d > kMaxDepth) corrupt("nesting too deep");
    }
    ~Deeper() { --d; }
    Deeper(const Deeper&) = delete;
    Deeper& operator=(const Deeper&) = delete;
  };

  const Value& str_value() {
    uint64_t tag = in_.uv();
    if (tag == 0) {
      strings_.push_back(Value::string(in_.bytes()));
      return strings_.back();
    }
    if (tag - 1 >= strings_.size()) corrupt("string reference out of range");
    return strings_[tag - 1];
  }
  std::string str() { return str_value().str(); }

  Location loc() {
    Location l;
    uint64_t head = in_.uv();
    if (head & 1) {
      uint64_t f = in_.uv();
      if (f > modules_->size()) corrupt("file reference out of range");
      prev_file_ = f ? (*modules_)[f - 1]->file.get() : nullptr;
    }
    uint64_t zz = head >> 1;
    int64_t row = prev_row_ + (static_cast<int64_t>(zz >> 1) ^ -static_cast<int64_t>(zz & 1));
    uint64_t col = in_.uv();
    if (row < 0 || row > std::numeric_limits<int>::max() || col > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
      corrupt("location out of range");
    }
    prev_row_ = row;
    l.file = prev_file_;
    l.row = static_cast<int>(row);
    l.col = static_cast<int>(col);
    return l;
  }

  Value value() {
    Deeper guard(depth_);
    uint8_t tag = in_.u8();
    switch (tag) {
      case kUndef: return Value();
      case kNull: return Value::null();
      case kFalse: return Value::boolean(false);
      case kTrue: return Value::boolean(true);
      case kInt: return Value::integer(in_.sv());
      case kFloat: {
        uint64_t bits = in_.fixed(8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return Value::number(d);
      }
      case kBig: {
        Value v = Value::number_from_text(in_.bytes());
        if (!v.is_number()) corrupt("malformed number");
        return v;
      }
      case kString: return str_value();
      case kArray:
      case kSet: {
        size_t n = in_.count();
        std::vector<Value> items;
        items.reserve(n);
        for (size_t i = 0; i < n; ++i) items.push_back(value());
        for (const auto& x : items) {
          if (!x.defined()) corrupt("undefined element in a collection");
        }
        return tag == kArray ? Value::array(std::move(items)) : Value::set(std::move(items));
      }
      case kObject: {
        size_t n = in_.count();
        std::vector<std::pair<Value, Value>> items;
        items.reserve(n);
        for (size_t i = 0; i < n; ++i) {
          Value k = value();
          Value v = value();
          if (!k.defined() || !v.defined()) corrupt("undefined object key or value");
          items.emplace_back(std::move(k), std::move(v));
        }
        return Value::object(std::move(items));
      }
      default: corrupt("unknown value tag");
    }
  }

  size_t node_ref() {
    uint64_t tag = in_.uv();
    if (tag == 0) corrupt("missing rule node");
    if (tag == 1) {
      size_t n = in_.count();
      std::vector<std::string> path;
      path.reserve(n);
      for (size_t i = 0; i < n; ++i) path.push_back(str());
      node_paths_.push_back(std::move(path));
      return node_paths_.size() - 1;
    }
    if (tag - 2 >= node_paths_.size()) corrupt("rule node reference out of range");
    return static_cast<size_t>(tag - 2);
  }

  TermPtr term() {
    Deeper guard(depth_);
    uint64_t tag = in_.uv();
    if (tag == 0) return nullptr;
    if (tag >= 2) {
      if (tag - 2 >= terms_.size() || !term_done_[tag - 2]) corrupt("term reference out of range");
      return terms_[tag - 2];
    }
    auto tp = std::make_shared<Term>();
    size_t index = terms_.size();
    terms_.push_back(tp);
    term_done_.push_back(false);
    Term& t = *tp;
    t.kind = in_.enumeration(TermKind::Call, "term kind");
    uint64_t flags = in_.uv();
    if (flags & ~static_cast<uint64_t>(kTermFlags)) corrupt("unknown term flags");
    t.loc = loc();
    if (flags & kHasValue) t.value = value();
    if (flags & kHasName) t.name = str();
    if (flags & kHasItems) {
      size_t n = in_.count();
      t.items.reserve(n);
      for (size_t i = 0; i < n; ++i) t.items.push_back(need(term(), "term item"));
    }
    if (flags & kHasHead) t.head = need(term(), "comprehension head");
    if (flags & kHasValueTerm) t.value_term = need(term(), "comprehension value");
    if (flags & kHasBody) {
      t.body = std::make_shared<Body>();
      body(*t.body);
    }
    if (flags & kHasSlot) t.slot = in_.integer(0, std::numeric_limits<int>::max(), "slot");
    if (flags & kHasTarget) t.target = in_.enumeration(Target::Function, "reference target");
    if (flags & kHasBuiltin) {
      const Value& name = str_value();
      t.builtin = builtin(name.str());
    }
    if (flags & kHasSpecial) t.special = in_.enumeration(SpecialCall::Member3, "special call");
    if (flags & kHasNode) node_fixups_.emplace_back(&t, node_ref());
    if (flags & kHasDataPrefix) t.data_prefix = in_.integer(0, std::numeric_limits<int>::max(), "data prefix");
    t.ground = flags & kGround;
    term_done_[index] = true;
    return tp;
  }

  // Builtins are looked up once per name.
  const builtins::Builtin* builtin(const std::string& name) {
    auto it = builtins_.find(name);
    if (it != builtins_.end()) return it->second;
    const builtins::Builtin* b = builtins::registry().find(name);
    if (!b) fail("plan calls builtin " + name + ", which this wartburg does not have: rebuild the bundle");
    builtins_.emplace(name, b);
    return b;
  }

  static TermPtr need(TermPtr t, const char* what) {
    if (!t) corrupt(std::string("missing ") + what);
    return t;
  }

  BodyPtr body_ptr() {
    uint8_t has = in_.u8();
    if (has > 1) corrupt("bad flag");
    if (!has) return nullptr;
    auto b = std::make_shared<Body>();
    body(*b);
    return b;
  }

  void body(Body& b) {
    Deeper guard(depth_);
    size_t n = in_.count();
    b.resize(n);
    for (auto& e : b) expr(e);
  }

  void expr(Expr& e) {
    e.kind = in_.enumeration(ExprKind::Not, "expression kind");
    e.loc = loc();
    e.term = term();
    e.lhs = term();
    e.rhs = term();
    size_t n = in_.count();
    e.vars.reserve(n);
    for (size_t i = 0; i < n; ++i) e.vars.push_back(need(term(), "declared variable"));
    e.key = term();
    e.val = term();
    e.coll = term();
    e.body = body_ptr();
    size_t nw = in_.count();
    e.withs.resize(nw);
    for (auto& w : e.withs) {
      w.target = need(term(), "with target");
      w.value = need(term(), "with value");
      w.loc = loc();
    }
    e.text_begin = static_cast<size_t>(in_.uv());
    e.text_end = static_cast<size_t>(in_.uv());
  }

  void rule(Rule& r) {
    Deeper guard(depth_);
    r.loc = loc();
    r.kind = in_.enumeration(RuleKind::Function, "rule kind");
    r.num_slots = in_.integer(0, static_cast<int64_t>(std::min<size_t>(plan_size_, 1 << 24)), "frame size");  // a slot per variable written
    size_t n = in_.count();
    if (n == 0) corrupt("rule without a name");
    if (n > kMaxPathLength) corrupt("rule head too long");
    for (size_t i = 0; i < n; ++i) r.ref.push_back(need(term(), "rule head"));
    if (r.ref[0]->kind != TermKind::Var) corrupt("rule name is not a variable");
    n = in_.count();
    for (size_t i = 0; i < n; ++i) r.args.push_back(need(term(), "function argument"));
    r.key = term();
    r.value = term();
    uint8_t flags = in_.u8();
    if (flags > 3) corrupt("bad rule flags");
    r.is_default = flags & 1;
    r.assign = flags & 2;
    body(r.body);
    size_t ng = in_.count();
    r.guards.resize(ng);
    for (auto& g : r.guards) {
      g.arg = in_.integer(-1, static_cast<int64_t>(r.args.size()) - 1, "guard argument");
      size_t np = in_.count();
      g.path.reserve(np);
      for (size_t i = 0; i < np; ++i) g.path.push_back(value());
      g.value = value();
      g.loc = loc();
    }
    dyn_from_.emplace_back(&r, static_cast<size_t>(in_.uv()));
    uint8_t has_else = in_.u8();
    if (has_else > 1) corrupt("bad flag");
    if (has_else) {
      r.else_rule = std::make_shared<Rule>();
      rule(*r.else_rule);
      if (r.else_rule->kind != r.kind) corrupt("else rule of another kind");
    }
  }

  void module(Module& m) {
    m.package_loc = loc();
    uint8_t v0 = in_.u8();
    if (v0 > 1) corrupt("bad flag");
    m.v0 = v0;
    size_t n = in_.count();
    m.imports.resize(n);
    for (auto& imp : m.imports) {
      imp.loc = loc();
      imp.path = need(term(), "import path");
      imp.alias = str();
    }
    n = in_.count();
    for (size_t i = 0; i < n; ++i) {
      auto r = std::make_shared<Rule>();
      rule(*r);
      m.rules.push_back(std::move(r));
    }
  }
};

// ---------------------------------------------------------------- validation

// Checks the invariants the evaluator relies on (operands present, slots inside
// the frame, calls with the arity of their target), so that a crafted plan is
// rejected instead of crashing an evaluation.
class Validator {
 public:
  void rule(const Rule& r) {
    for (const Rule* e = &r; e; e = e->else_rule.get()) {
      slots_ = e->num_slots;
      for (size_t i = 1; i < e->ref.size(); ++i) term(*e->ref[i]);
      for (const auto& a : e->args) term(*a);
      if (e->kind == RuleKind::MultiValue && !e->key) bad("partial set rule without an element");
      if (e->kind != RuleKind::MultiValue && !e->value) bad("rule without a value");
      if (e->key) term(*e->key);
      if (e->value) term(*e->value);
      body(e->body);
    }
  }

 private:
  int slots_ = 0;
  int depth_ = 0;

  [[noreturn]] static void bad(const std::string& what) { corrupt(what); }

  // Every variable the evaluator reads has a slot in the frame; only the head
  // of an input/data reference does not (function mocks are checked in expr).
  void var(const Term& t, bool global_head) {
    if (t.slot >= slots_) bad("variable slot outside its frame");
    if (t.slot < 0 && !global_head) bad("variable " + t.name + " without a slot");
  }

  void call(const Term& t) {
    if (t.items.empty()) bad("call without an operator");
    int arity = -1;
    if (t.target == Target::Function) {
      if (!t.node || !t.node->is_function) bad("call of " + t.name + ", which is not a function");
      arity = t.node->arity;
    } else if (t.target == Target::Builtin) {
      if (t.special == SpecialCall::Member2) arity = 2;
      else if (t.special == SpecialCall::Member3) arity = 3;
      else if (t.builtin) arity = t.builtin->arity;
      else if (t.special != SpecialCall::Print) bad("call of " + t.name + " without a target");
    } else {
      bad("call of " + t.name + " without a target");
    }
    int n = static_cast<int>(t.items.size()) - 1;
    if (arity >= 0 && n != arity && n != arity + 1) bad("call of " + t.name + " with the wrong number of operands");
  }

  void term(const Term& t, bool global_head = false) {
    if (++depth_ > kMaxDepth) bad("nesting too deep");
    if ((t.ground || t.kind == TermKind::Scalar) && !t.value.defined()) bad("constant term without a value");
    if (t.ground && t.kind != TermKind::Scalar && t.kind != TermKind::Array && t.kind != TermKind::Set &&
        t.kind != TermKind::Object) {
      bad("constant term of a non-constant kind");
    }
    switch (t.kind) {
      case TermKind::Scalar: break;
      case TermKind::Var: var(t, global_head); break;
      case TermKind::Ref:
        if (t.items.empty()) bad("reference without a head");
        if (t.target == Target::Data) {
          // the constant prefix names the node (as resolve_refs found it)
          if (!t.node) bad("data reference without a rule node");
          size_t prefix = static_cast<size_t>(t.data_prefix);
          if (prefix >= t.items.size() || prefix != t.node->path.size()) bad("data reference prefix mismatch");
          for (size_t i = 1; i <= prefix; ++i) {
            const Term& k = *t.items[i];
            if (k.kind != TermKind::Scalar || !k.value.is_string() || k.value.str() != t.node->path[i - 1]) {
              bad("data reference prefix mismatch");
            }
          }
        }
        if ((t.target == Target::Data || t.target == Target::Input) && t.items[0]->kind != TermKind::Var) {
          bad("global reference without a variable head");
        }
        if (t.target == Target::Function && !t.node) bad("function reference without a rule node");
        break;
      case TermKind::Object:
        if (t.items.size() % 2) bad("object with a key without a value");
        break;
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr:
        if (!t.head || !t.body) bad("comprehension without head or body");
        if (t.kind == TermKind::ObjectCompr && !t.value_term) bad("object comprehension without a value");
        break;
      case TermKind::Call: call(t); break;
      default: break;
    }
    bool globals = t.kind == TermKind::Ref && (t.target == Target::Data || t.target == Target::Input);
    size_t first = t.kind == TermKind::Call ? 1 : 0;
    for (size_t i = first; i < t.items.size(); ++i) term(*t.items[i], globals && i == 0);
    if (t.head) term(*t.head);
    if (t.value_term) term(*t.value_term);
    if (t.body) body(*t.body);
    --depth_;
  }

  void body(const Body& b) {
    for (const auto& e : b) expr(e);
  }

  void expr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Term:
        if (!e.term) bad("expression without a term");
        break;
      case ExprKind::Unify:
      case ExprKind::Assign:
        if (!e.lhs || !e.rhs) bad("unification without two sides");
        break;
      case ExprKind::SomeDecl: break;
      case ExprKind::SomeIn:
        if (!e.val || !e.coll) bad("some ... in without value or collection");
        break;
      case ExprKind::Every:
        if (!e.val || !e.coll || !e.body) bad("every without value, collection or body");
        break;
      case ExprKind::Not:
        if (!e.body) bad("not without a body");
        break;
    }
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*t) term(**t);
    }
    for (const auto& v : e.vars) term(*v);
    if (e.body) body(*e.body);
    for (const auto& w : e.withs) {
      const Term& target = *w.target;
      if (target.target == Target::Input || target.target == Target::Data) {
        term(target);
      } else if (target.target == Target::Function) {
        if (!target.node) bad("with target function without a rule node");
      } else if (target.target != Target::Builtin) {
        bad("with target that is not input, data or a function");
      }
      const Term& v = *w.value;
      if (v.kind == TermKind::Var && v.target == Target::Function) {
        if (!v.node || !v.node->is_function) bad("with value function without a rule node");
      } else if (!(v.kind == TermKind::Var && v.target == Target::Builtin && v.builtin)) {
        term(v);
      }
    }
  }
};

void validate(const CompiledModules& c) {
  Validator v;
  for (const auto& m : c.modules) {
    for (const auto& r : m->rules) v.rule(*r);
  }
}

void collect_builtins(const Term& t, std::set<std::string>& out);

void collect_builtins(const Body& b, std::set<std::string>& out) {
  for (const auto& e : b) {
    for (const auto* t : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*t) collect_builtins(**t, out);
    }
    for (const auto& v : e.vars) collect_builtins(*v, out);
    if (e.body) collect_builtins(*e.body, out);
    for (const auto& w : e.withs) {
      collect_builtins(*w.target, out);
      collect_builtins(*w.value, out);
    }
  }
}

void collect_builtins(const Term& t, std::set<std::string>& out) {
  if (t.builtin) out.insert(t.builtin->name);
  for (const auto& i : t.items) collect_builtins(*i, out);
  if (t.head) collect_builtins(*t.head, out);
  if (t.value_term) collect_builtins(*t.value_term, out);
  if (t.body) collect_builtins(*t.body, out);
}

}  // namespace

std::string sources_digest(std::vector<std::pair<std::string_view, std::string_view>> files) {
  std::sort(files.begin(), files.end());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("sha256: cannot initialize");
  }
  auto feed = [ctx](std::string_view s) {
    unsigned char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(static_cast<uint64_t>(s.size()) >> (8 * i));
    EVP_DigestUpdate(ctx, len, sizeof len);
    EVP_DigestUpdate(ctx, s.data(), s.size());
  };
  for (const auto& [name, text] : files) {
    feed(name);
    feed(text);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::string write_plan(const CompiledModules& compiled, std::string_view digest) {
  std::string computed;
  if (digest.empty()) {
    std::vector<std::pair<std::string_view, std::string_view>> files;
    bool complete = true;
    for (const auto& m : compiled.modules) {
      if (!m->source) complete = false;
      else files.emplace_back(m->file ? std::string_view(*m->file) : std::string_view(), *m->source);
    }
    if (complete) computed = sources_digest(std::move(files));
    digest = computed;
  }
  return PlanWriter(compiled).run(digest);
}

PlanInfo read_plan_info(std::string_view bytes) {
  In in{std::string_view()};
  return read_header(bytes, in);
}

std::shared_ptr<CompiledModules> read_plan(std::string_view bytes) { return PlanReader(bytes).run(); }

void seal_plan(std::string& bytes) {
  if (bytes.size() < 8) return;
  Out o;
  o.fixed(checksum(std::string_view(bytes).substr(0, bytes.size() - 8)), 8);
  bytes.replace(bytes.size() - 8, 8, o.buf);
}

std::vector<std::string> called_builtins(const CompiledModules& compiled) {
  std::set<std::string> names;
  for (const auto& m : compiled.modules) {
    for (const auto& r : m->rules) {
      for (const Rule* e = r.get(); e; e = e->else_rule.get()) {
        for (const auto& t : e->ref) collect_builtins(*t, names);
        for (const auto& t : e->args) collect_builtins(*t, names);
        if (e->key) collect_builtins(*e->key, names);
        if (e->value) collect_builtins(*e->value, names);
        collect_builtins(e->body, names);
      }
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace wartburg::lang
