// Tests of PolicyStore and Snapshot: policy and data writes, compile errors
// keeping the old snapshot, JSON Patch, prepared-query caching and snapshot
// swap atomicity (a reader holding an old snapshot keeps evaluating it).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "policy/json.h"
#include "sidecar/store.h"

namespace wartburg::sidecar {
namespace {

Value eval_one(const Snapshot& s, const std::string& query, const Value& input = {}) {
  auto rows = s.prepare(query)->eval(input, s.data);
  if (rows.empty()) return {};
  return rows[0].expressions[0].value;
}

TEST(Store, StartsEmpty) {
  PolicyStore store;
  auto s = store.current();
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->modules.empty());
  EXPECT_EQ(to_json(s->data), "{}");
}

TEST(Store, PutPolicyAndEvaluate) {
  PolicyStore store;
  EXPECT_TRUE(store.put_policy("p", "package p\nallow if input.x == 1\n").empty());
  auto s = store.current();
  EXPECT_EQ(to_json(eval_one(*s, "data.p.allow", parse_json(R"({"x":1})"))), "true");
  EXPECT_FALSE(eval_one(*s, "data.p.allow", parse_json(R"({"x":2})")).defined());
}

TEST(Store, CompileErrorKeepsOldSnapshot) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nx := 1\n").empty());
  auto before = store.current();
  auto errors = store.put_policy("p", "package p\nx := y\n");
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].file, "p");
  EXPECT_EQ(store.current(), before);
  EXPECT_EQ(to_json(eval_one(*store.current(), "data.p.x")), "1");
}

TEST(Store, DeletePolicy) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("a", "package a\nx := 1\n").empty());
  EXPECT_TRUE(store.delete_policy("a"));
  EXPECT_FALSE(store.delete_policy("a"));
  EXPECT_FALSE(eval_one(*store.current(), "data.a.x").defined());
}

TEST(Store, DeletePolicyThatOthersNeedIsRefused) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("a", "package a\nf(x) := x\n").empty());
  ASSERT_TRUE(store.put_policy("b", "package b\ny := data.a.f(1)\n").empty());
  bool found = false;
  auto errors = store.remove_policy("a", found);
  EXPECT_TRUE(found);
  EXPECT_FALSE(errors.empty());
  EXPECT_EQ(store.current()->modules.size(), 2u);
}

TEST(Store, PutDataCreatesParents) {
  PolicyStore store;
  store.put_data({"a", "b", "c"}, Value::integer(1));
  EXPECT_EQ(to_json(store.current()->data), R"({"a":{"b":{"c":1}}})");
  store.put_data({"a", "d"}, Value::string("x"));
  EXPECT_EQ(to_json(store.current()->data), R"({"a":{"b":{"c":1},"d":"x"}})");
  store.put_data({}, parse_json(R"({"z":true})"));
  EXPECT_EQ(to_json(store.current()->data), R"({"z":true})");
}

TEST(Store, PutDataThroughScalarIsConflict) {
  PolicyStore store;
  store.put_data({"a"}, Value::integer(1));
  EXPECT_THROW(store.put_data({"a", "b"}, Value::integer(2)), StoreError);
  EXPECT_THROW(store.put_data({}, Value::integer(2)), StoreError);
}

TEST(Store, PutDataIntoArrayIndex) {
  PolicyStore store;
  store.put_data({"xs"}, parse_json("[1,2,3]"));
  store.put_data({"xs", "1"}, Value::integer(20));
  EXPECT_EQ(to_json(store.current()->data), R"({"xs":[1,20,3]})");
}

TEST(Store, DeleteData) {
  PolicyStore store;
  store.put_data({"a"}, parse_json(R"({"b":1,"c":2})"));
  EXPECT_TRUE(store.delete_data({"a", "b"}));
  EXPECT_EQ(to_json(store.current()->data), R"({"a":{"c":2}})");
  EXPECT_FALSE(store.delete_data({"a", "b"}));
  EXPECT_FALSE(store.delete_data({"nope", "x"}));
}

TEST(Store, PatchData) {
  PolicyStore store;
  store.put_data({"a"}, parse_json(R"({"b":1,"list":[1]})"));
  EXPECT_EQ(store.patch_data({"a"}, parse_json(R"([
      {"op":"add","path":"/c","value":3},
      {"op":"replace","path":"/b","value":10},
      {"op":"add","path":"/list/-","value":2}])")),
            "");
  EXPECT_EQ(to_json(store.current()->data), R"({"a":{"b":10,"c":3,"list":[1,2]}})");
  EXPECT_EQ(store.patch_data({"a"}, parse_json(R"([{"op":"remove","path":"/c"}])")), "");
  EXPECT_EQ(to_json(store.current()->data), R"({"a":{"b":10,"list":[1,2]}})");
}

TEST(Store, PatchErrors) {
  PolicyStore store;
  store.put_data({"a"}, parse_json(R"({"b":1})"));
  auto before = store.current();
  EXPECT_NE(store.patch_data({"a"}, parse_json(R"([{"op":"remove","path":"/zzz"}])")), "");
  EXPECT_NE(store.patch_data({"a"}, parse_json(R"([{"op":"frobnicate","path":"/b"}])")), "");
  EXPECT_NE(store.patch_data({"missing"}, parse_json(R"([{"op":"add","path":"/b","value":1}])")), "");
  EXPECT_EQ(store.current(), before);
  try {
    store.patch_data_checked({"missing"}, parse_json("[]"));
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind, StoreError::NotFound);
  }
}

TEST(Store, PrepareCachesPerQuery) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nx := 1\n").empty());
  auto s = store.current();
  auto a = s->prepare("data.p.x");
  auto b = s->prepare("data.p.x");
  EXPECT_EQ(a, b);
  EXPECT_EQ(s->prepared_count(), 1u);
  EXPECT_THROW(s->prepare("data.p.x +"), Error);
  // A data write keeps the policy and carries prepared queries over.
  store.put_data({"d"}, Value::integer(1));
  EXPECT_EQ(store.current()->policy, s->policy);
  EXPECT_EQ(store.current()->prepare("data.p.x"), a);
}

TEST(Store, DataIsVisibleToRules) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nn := count(data.users)\n").empty());
  store.put_data({"users"}, parse_json(R"(["a","b"])"));
  EXPECT_EQ(to_json(eval_one(*store.current(), "data.p.n")), "2");
}

TEST(Store, ReaderKeepsOldSnapshot) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nv := 1\n").empty());
  auto old = store.current();
  ASSERT_TRUE(store.put_policy("p", "package p\nv := 2\n").empty());
  EXPECT_EQ(to_json(eval_one(*old, "data.p.v")), "1");
  EXPECT_EQ(to_json(eval_one(*store.current(), "data.p.v")), "2");
}

TEST(Store, ReplaceAll) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("old", "package old\nx := 1\n").empty());
  std::map<std::string, SourceFile> mods{{"new", {"new", "package n\ny := data.cfg.v\n"}}};
  EXPECT_TRUE(store.replace_all(mods, parse_json(R"({"cfg":{"v":7}})"), {{"b", "r1"}}).empty());
  auto s = store.current();
  EXPECT_EQ(s->modules.count("old"), 0u);
  EXPECT_EQ(s->revisions.at("b"), "r1");
  EXPECT_EQ(to_json(eval_one(*s, "data.n.y")), "7");
  std::map<std::string, SourceFile> bad{{"bad", {"bad", "package b\nz := q\n"}}};
  EXPECT_FALSE(store.replace_all(bad, Value::empty_object(), {}).empty());
  EXPECT_EQ(store.current(), s);
}

// --watch reloads go through replace_files: what the API wrote survives (OPA keeps it).
TEST(Store, FileReloadKeepsApiPoliciesAndData) {
  PolicyStore store;
  std::map<std::string, SourceFile> files{{"/p/a.rego", {"/p/a.rego", "package a\nv := data.cfg.v\n"}},
                                          {"/p/gone.rego", {"/p/gone.rego", "package gone\nx := 1\n"}}};
  ASSERT_TRUE(store.replace_files(files, parse_json(R"({"cfg":{"v":1,"w":1},"fixed":{"k":1},"old":1})"), {}).empty());
  // written through the API
  ASSERT_TRUE(store.put_policy("api-policy", "package api\ny := data.users.alice\n").empty());
  store.put_data({"users", "alice"}, parse_json(R"("admin")"));
  store.patch_data({"cfg"}, parse_json(R"([{"op":"add","path":"/extra","value":true}])"));
  ASSERT_TRUE(store.delete_data({"fixed"}));
  // the files change: a.rego changes, gone.rego is removed, data changes
  std::map<std::string, SourceFile> next{{"/p/a.rego", {"/p/a.rego", "package a\nv := data.cfg.v * 10\n"}}};
  ASSERT_TRUE(store.replace_files(next, parse_json(R"({"cfg":{"v":2},"fixed":{"k":2},"new":true,"users":{"bob":"dev"}})"),
                                  {})
                  .empty());
  auto s = store.current();
  EXPECT_EQ(s->modules.count("api-policy"), 1u);
  EXPECT_EQ(s->modules.count("/p/gone.rego"), 0u);
  EXPECT_EQ(to_json(eval_one(*s, "data.api.y")), R"("admin")");
  EXPECT_EQ(to_json(eval_one(*s, "data.users")), R"({"alice":"admin","bob":"dev"})");
  // cfg was patched through the API: the API's version of it stays
  EXPECT_EQ(to_json(eval_one(*s, "data.cfg")), R"({"extra":true,"v":1,"w":1})");
  EXPECT_EQ(to_json(eval_one(*s, "data.a.v")), "10");
  EXPECT_FALSE(eval_one(*s, "data.fixed").defined());  // deleted through the API: stays deleted
  EXPECT_EQ(to_json(eval_one(*s, "data.new")), "true");
  EXPECT_FALSE(eval_one(*s, "data.old").defined());  // gone from the files

  // a policy deleted through the API is gone; a file policy deleted so comes back on reload
  bool found = false;
  EXPECT_TRUE(store.remove_policy("api-policy", found).empty());
  EXPECT_TRUE(found);
  EXPECT_TRUE(store.remove_policy("/p/a.rego", found).empty());
  ASSERT_TRUE(store.replace_files(next, parse_json(R"({"cfg":{"v":3}})"), {}).empty());
  s = store.current();
  EXPECT_EQ(s->modules.count("api-policy"), 0u);
  EXPECT_EQ(s->modules.count("/p/a.rego"), 1u);

  // replace_all forgets the API's writes
  ASSERT_TRUE(store.replace_all(next, parse_json(R"({"cfg":{"v":4}})"), {}).empty());
  ASSERT_TRUE(store.replace_files(next, parse_json(R"({"cfg":{"v":5}})"), {}).empty());
  EXPECT_EQ(to_json(eval_one(*store.current(), "data.cfg")), R"({"v":5})");
}

TEST(Store, FileReloadWithCompileErrorsKeepsEverything) {
  PolicyStore store;
  ASSERT_TRUE(store.replace_files({{"f", {"f", "package f\nx := 1\n"}}}, Value::empty_object(), {}).empty());
  ASSERT_TRUE(store.put_policy("api", "package api\ny := data.f.x\n").empty());
  auto before = store.current();
  EXPECT_FALSE(store.replace_files({{"f", {"f", "package f\nx := \n"}}}, Value::empty_object(), {}).empty());
  EXPECT_EQ(store.current(), before);
  EXPECT_EQ(store.current()->modules.count("api"), 1u);
}

TEST(Store, ConcurrentReadersAndWriters) {
  PolicyStore store;
  ASSERT_TRUE(store.put_policy("p", "package p\nv := data.n\n").empty());
  store.put_data({"n"}, Value::integer(0));
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto s = store.current();
        // Within one snapshot, the rule and the base document always agree.
        Value v = eval_one(*s, "data.p.v");
        if (!v.defined() || !equal(v, *s->data.find("n"))) ++bad;
      }
    });
  }
  for (int i = 1; i <= 200; ++i) store.put_data({"n"}, Value::integer(i));
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(to_json(eval_one(*store.current(), "data.p.v")), "200");
}

}  // namespace
}  // namespace wartburg::sidecar
