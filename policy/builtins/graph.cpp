// Builtins: graph.reachable, graph.reachable_paths (graphs are objects from
// node to an array or set of neighbours) and walk, a relation yielding every
// [path, value] pair of a document in pre-order, root first with path [].
#include <deque>
#include <set>

#include "policy/builtins/registry.h"
#include "policy/limits.h"

namespace wartburg::builtins {
namespace {

const std::vector<Value>& vertices(const Value& v) { return v.items(); }  // empty for non-collections

const Value& need_initial(const Value* a) {
  const Value& v = a[1];
  if (!v.is_array() && !v.is_set()) operand_error(2, "{array, set}", v);
  return v;
}

Value reachable(Context&, const Value* a) {
  const Value& graph = need_object(a, 1);
  const Value& initial = need_initial(a);
  std::deque<const Value*> queue;
  for (const Value& v : initial.items()) queue.push_back(&v);
  std::set<Value> done;
  size_t steps = 0;
  while (!queue.empty()) {
    const Value& node = *queue.front();
    queue.pop_front();
    // a node queued several times is expanded once (expanding it again made
    // dense graphs quadratic)
    if (done.count(node)) continue;
    const Value* edges = graph.find(node);
    if (!edges) continue;
    for (const Value& n : vertices(*edges)) {
      if ((++steps & 4095) == 0) limits::poll();
      if (!done.count(n)) queue.push_back(&n);
    }
    done.insert(node);
  }
  return Value::set(std::vector<Value>(done.begin(), done.end()));
}

// Every path from the initial nodes along the graph's edges until a node
// without edges or a node already on the path, depth first with an explicit
// stack (a chain of a million nodes made a million nested calls, each copying
// the path). Paths can be exponentially many: the deadline is polled and the
// paths built count against the evaluation's limits as they are found.
class PathWalker {
 public:
  explicit PathWalker(const Value& graph) : graph_(graph) {}

  void from(const Value& node, const std::vector<Value>& edges) {
    path_.assign({node});
    on_path_.clear();
    on_path_.insert(node);
    std::vector<Frame> stack{{&edges, 0}};
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == f.edges->size()) {
        on_path_.erase(on_path_.find(path_.back()));
        path_.pop_back();
        stack.pop_back();
        continue;
      }
      const Value& n = (*f.edges)[f.next++];
      if ((++steps_ & 1023) == 0) limits::poll();
      // (the initial node's own neighbours are followed even if on the path)
      if (stack.size() > 1 && on_path_.count(n)) {
        emit(nullptr);
        continue;
      }
      const Value* e = graph_.find(n);
      if (!e) {
        emit(nullptr);
        continue;
      }
      if (vertices(*e).empty()) {
        emit(&n);
        continue;
      }
      path_.push_back(n);
      on_path_.insert(n);
      stack.push_back(Frame{&vertices(*e), 0});
    }
  }
  void emit_single(const Value& node) { out_.insert(Value::array({node})); }
  Value result() { return Value::set(std::vector<Value>(out_.begin(), out_.end())); }

 private:
  struct Frame {
    const std::vector<Value>* edges;
    size_t next;
  };
  // The current path (and `last` after it, if given) is one result.
  void emit(const Value* last) {
    size_t n = path_.size() + (last ? 1 : 0);
    emitted_ += limits::kValueOverhead + n * limits::kItemBytes;
    growth_.check(emitted_);
    std::vector<Value> p;
    p.reserve(n);
    p.insert(p.end(), path_.begin(), path_.end());
    if (last) p.push_back(*last);
    out_.insert(Value::array(std::move(p)));
  }

  const Value& graph_;
  std::vector<Value> path_;
  std::multiset<Value> on_path_;
  std::set<Value> out_;
  uint64_t emitted_ = 0;
  uint64_t steps_ = 0;
  limits::Growth growth_;
};

Value reachable_paths(Context&, const Value* a) {
  const Value& graph = need_object(a, 1);
  const Value& initial = need_initial(a);
  PathWalker w(graph);
  for (const Value& node : initial.items()) {
    const Value* edges = graph.find(node);
    if (!edges) continue;
    if (vertices(*edges).empty()) {
      w.emit_single(node);
      continue;
    }
    w.from(node, vertices(*edges));
  }
  return w.result();
}

void walk_node(const Value& v, std::vector<Value>& path, std::vector<Value>& out) {
  limits::poll();  // the paths built so far count against the memory budget
  out.push_back(Value::array({Value::array(path), v}));
  auto visit = [&](const Value& key, const Value& child) {
    path.push_back(key);
    walk_node(child, path, out);
    path.pop_back();
  };
  if (v.is_array()) {
    for (size_t i = 0; i < v.items().size(); ++i) visit(Value::integer(static_cast<int64_t>(i)), v.items()[i]);
  } else if (v.is_object()) {
    for (const auto& kv : v.entries()) visit(kv.first, kv.second);
  } else if (v.is_set()) {
    for (const Value& x : v.items()) visit(x, x);
  }
}

Value walk(Context&, const Value* a) {
  std::vector<Value> path, out;
  walk_node(a[0], path, out);
  return Value::array(std::move(out));
}

}  // namespace

void register_graph(Registry& r) {
  r.add({"graph.reachable", 2, reachable, "(object, array|set) => set"});
  r.add({"graph.reachable_paths", 2, reachable_paths, "(object, array|set) => set"});
  Builtin w{"walk", 1, walk, "(any) => array", true};
  r.add(std::move(w));
}

}  // namespace wartburg::builtins
