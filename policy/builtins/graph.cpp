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
  std::deque<Value> queue(initial.items().begin(), initial.items().end());
  std::set<Value> done;
  while (!queue.empty()) {
    Value node = std::move(queue.front());
    queue.pop_front();
    const Value* edges = graph.find(node);
    if (!edges) continue;
    for (const Value& n : vertices(*edges)) {
      if (!done.count(n)) queue.push_back(n);
    }
    done.insert(node);
  }
  return Value::set(std::vector<Value>(done.begin(), done.end()));
}

void build_paths(const Value& graph, const Value& root, std::vector<Value> path, std::set<Value> reached,
                 std::set<Value>& out) {
  const Value* edges = graph.find(root);
  if (!edges) {
    out.insert(Value::array(path));
    return;
  }
  path.push_back(root);
  if (vertices(*edges).empty()) {
    out.insert(Value::array(path));
    return;
  }
  reached.insert(root);
  for (const Value& n : vertices(*edges)) {
    if (reached.count(n)) {
      out.insert(Value::array(path));
    } else {
      build_paths(graph, n, path, reached, out);
    }
  }
}

Value reachable_paths(Context&, const Value* a) {
  const Value& graph = need_object(a, 1);
  const Value& initial = need_initial(a);
  std::set<Value> out;
  for (const Value& node : initial.items()) {
    const Value* edges = graph.find(node);
    if (!edges) continue;
    if (vertices(*edges).empty()) {
      out.insert(Value::array({node}));
      continue;
    }
    for (const Value& n : vertices(*edges)) build_paths(graph, n, {node}, {node}, out);
  }
  return Value::set(std::vector<Value>(out.begin(), out.end()));
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
