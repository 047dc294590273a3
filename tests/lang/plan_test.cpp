// Precompiled plans (lang/plan.h): compiled modules survive write_plan /
// read_plan unchanged (byte-identical re-serialization, relinked rule nodes and
// builtins, rebuilt indexes, values with non-string keys), for the policies in
// policies/ and for tricky constructs; truncated, corrupted, foreign-version
// and crafted plans are rejected with plan_error, never a crash.
// (Evaluation equivalence is tested in tests/policy/eval_plan_test.cpp.)
#include "tests/policy/plan_fixture.h"
#include "lang/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "lang/parser.h"
#include "policy/builtins/registry.h"
#include "policy/json.h"

namespace wartburg::lang {
namespace {

namespace fs = std::filesystem;

const std::string kTricky = std::string(wartburg::testing_fixtures::kTrickyPolicyHead) + R"(
consts := {1: "one", [1, 2]: {"a": {3, 4}}, {"x"}: null, 1.5: 12345678901234567890123, "f": 0.1,
  "exact": [0.1234567890123456789, 1e-400, 1e400]}

route := "a" if input.method == "GET"
route := "b" if input.method == "POST"
route := "c" if input.method == "PUT"
route := "d" if input.method == "DELETE"

kind(x) := 1 if x.type == "a"
kind(x) := 2 if x.type == "b"
)";

const char* kHelpers = R"(package lib.helpers

double(x) := x * 2
)";

std::shared_ptr<CompiledModules> compile_sources(const std::vector<std::pair<std::string, std::string>>& sources,
                                                 bool v0 = false) {
  std::vector<ModulePtr> mods;
  ParseOptions po;
  po.v0 = v0;
  for (const auto& [name, text] : sources) mods.push_back(parse_module(name, text, po));
  CompileSettings cs;
  cs.v0 = v0;
  return compile_modules(std::move(mods), cs);
}

std::shared_ptr<CompiledModules> tricky() {
  return compile_sources({{"tricky.rego", kTricky}, {"lib/helpers.rego", kHelpers}});
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path policies_dir() { return fs::path(__FILE__).parent_path() / "../../policies"; }

std::string plan_error(std::string_view bytes) {
  try {
    read_plan(bytes);
  } catch (const Error& e) {
    EXPECT_EQ(e.errors.front().code, "plan_error");
    return e.errors.front().message;
  }
  return "";
}

// write -> read -> write gives the same bytes: nothing the writer records is lost.
void expect_round_trip(const CompiledModules& c) {
  std::string first = write_plan(c);
  auto loaded = read_plan(first);
  std::string second = write_plan(*loaded, read_plan_info(first).sources_digest);
  EXPECT_EQ(first, second);
  EXPECT_EQ(loaded->num_nodes, c.num_nodes);
}

const Rule* first_rule(const CompiledModules& c, const std::vector<std::string>& path) {
  const RuleNode* n = find_node(*c.root, path);
  if (!n) return nullptr;
  return n->rules.empty() ? n->default_rule : n->rules.front();
}

// Finds the first term in a body (depth first) that satisfies `pred`.
const Term* find_term(const Term& t, const std::function<bool(const Term&)>& pred);
const Term* find_term(const Body& b, const std::function<bool(const Term&)>& pred) {
  for (const auto& e : b) {
    for (const auto* tp : {&e.term, &e.lhs, &e.rhs, &e.key, &e.val, &e.coll}) {
      if (*tp) {
        if (const Term* r = find_term(**tp, pred)) return r;
      }
    }
    if (e.body) {
      if (const Term* r = find_term(*e.body, pred)) return r;
    }
    for (const auto& w : e.withs) {
      if (const Term* r = find_term(*w.target, pred)) return r;
      if (const Term* r = find_term(*w.value, pred)) return r;
    }
  }
  return nullptr;
}
const Term* find_term(const Term& t, const std::function<bool(const Term&)>& pred) {
  if (pred(t)) return &t;
  for (const auto& i : t.items) {
    if (const Term* r = find_term(*i, pred)) return r;
  }
  for (const auto* tp : {&t.head, &t.value_term}) {
    if (*tp) {
      if (const Term* r = find_term(**tp, pred)) return r;
    }
  }
  if (t.body) return find_term(*t.body, pred);
  return nullptr;
}

TEST(Plan, PolicyLibraryRoundTrips) {
  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& e : fs::recursive_directory_iterator(policies_dir())) {
    if (e.path().extension() == ".rego") {
      sources.emplace_back(fs::relative(e.path(), policies_dir()).generic_string(), read_text(e.path()));
    }
  }
  ASSERT_GE(sources.size(), 10u);
  auto c = compile_sources(sources);
  expect_round_trip(*c);
  auto loaded = read_plan(write_plan(*c));
  ASSERT_EQ(loaded->modules.size(), c->modules.size());
  for (size_t i = 0; i < c->modules.size(); ++i) {
    EXPECT_EQ(*loaded->modules[i]->file, *c->modules[i]->file);
    EXPECT_EQ(loaded->modules[i]->package, c->modules[i]->package);
    EXPECT_EQ(loaded->modules[i]->rules.size(), c->modules[i]->rules.size());
    EXPECT_EQ(loaded->modules[i]->imports.size(), c->modules[i]->imports.size());
  }
}

TEST(Plan, TrickyConstructsRoundTrip) { expect_round_trip(*tricky()); }

TEST(Plan, HeaderRecordsVersionsDigestAndPackages) {
  auto c = tricky();
  std::string plan = write_plan(*c);
  PlanInfo info = read_plan_info(plan);
  EXPECT_EQ(info.format_version, kPlanFormatVersion);
  EXPECT_EQ(info.wartburg_version, kWartburgVersion);
  EXPECT_FALSE(info.v0);
  EXPECT_EQ(info.sources_digest, sources_digest({{"lib/helpers.rego", kHelpers}, {"tricky.rego", kTricky}}));
  EXPECT_EQ(info.sources_digest.size(), 64u);
  ASSERT_EQ(info.modules.size(), 2u);
  EXPECT_EQ(info.modules[0].file, "tricky.rego");
  EXPECT_EQ(info.modules[0].package, std::vector<std::string>{"tricky"});
  EXPECT_EQ(info.modules[1].package, (std::vector<std::string>{"lib", "helpers"}));
  EXPECT_EQ(write_plan(*c, "explicit").find("explicit") != std::string::npos, true);
}

TEST(Plan, SourcesDigestDependsOnNamesAndTextsNotOrder) {
  std::string d = sources_digest({{"a.rego", "package a"}, {"b.rego", "package b"}});
  EXPECT_EQ(d, sources_digest({{"b.rego", "package b"}, {"a.rego", "package a"}}));
  EXPECT_NE(d, sources_digest({{"a.rego", "package a"}, {"c.rego", "package b"}}));
  EXPECT_NE(d, sources_digest({{"a.rego", "package a "}, {"b.rego", "package b"}}));
  // lengths are part of the digest: moving bytes between name and text changes it
  EXPECT_NE(sources_digest({{"ab", "c"}}), sources_digest({{"a", "bc"}}));
}

TEST(Plan, PlanOfLoadedModulesHasNoDigest) {
  auto loaded = read_plan(write_plan(*tricky()));
  EXPECT_EQ(loaded->modules[0]->source, nullptr);  // sources are not part of the plan
  EXPECT_EQ(read_plan_info(write_plan(*loaded)).sources_digest, "");
}

TEST(Plan, RuleTreeAndPointersAreRelinked) {
  auto c = tricky();
  auto p = read_plan(write_plan(*c));
  const RuleNode* grade = find_node(*p->root, {"tricky", "grade"});
  ASSERT_NE(grade, nullptr);
  EXPECT_TRUE(grade->is_function);
  EXPECT_EQ(grade->arity, 1);
  ASSERT_EQ(grade->rules.size(), 1u);
  const Rule* g = grade->rules.front();
  ASSERT_NE(g->else_rule, nullptr);
  ASSERT_NE(g->else_rule->else_rule, nullptr);
  EXPECT_EQ(g->node, grade);
  EXPECT_EQ(g->else_rule->node, grade);
  EXPECT_EQ(g->path_text, "data.tricky.grade");
  EXPECT_EQ(*g->loc.file, "tricky.rego");
  EXPECT_EQ(g->loc.file, p->modules[0]->file.get());  // locations point at the module's file name
  EXPECT_EQ(g->loc.row, c->modules[0]->rules[3]->loc.row);

  const RuleNode* allow = find_node(*p->root, {"tricky", "allow"});
  ASSERT_NE(allow, nullptr);
  ASSERT_NE(allow->default_rule, nullptr);
  EXPECT_TRUE(allow->default_rule->is_default);
  EXPECT_EQ(allow->rules.size(), 2u);

  EXPECT_TRUE(find_node(*p->root, {"tricky", "names"})->multi_value);
  EXPECT_TRUE(find_node(*p->root, {"tricky", "servers", "prod"})->dynamic);
  EXPECT_TRUE(find_node(*p->root, {"lib", "helpers"})->package);

  // a call of a user function points at the function's node of the new tree
  const Rule* doubled = first_rule(*p, {"tricky", "doubled"});
  ASSERT_NE(doubled, nullptr);
  const Term* call = find_term(*doubled->value, [](const Term& t) { return t.kind == TermKind::Call; });
  if (!call) call = find_term(doubled->body, [](const Term& t) { return t.kind == TermKind::Call; });
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->target, Target::Function);
  EXPECT_EQ(call->node, find_node(*p->root, {"lib", "helpers", "double"}));

  // builtins are the registry's
  const Rule* total = first_rule(*p, {"tricky", "servers", "total"});
  ASSERT_NE(total, nullptr);
  const Term* count = find_term(*total->value, [](const Term& t) { return t.kind == TermKind::Call; });
  if (!count) count = find_term(total->body, [](const Term& t) { return t.kind == TermKind::Call; });
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->builtin, builtins::registry().find("count"));

  // with mocks keep their function / builtin targets
  const Rule* mocked = first_rule(*p, {"tricky", "mocked_count"});
  ASSERT_NE(mocked, nullptr);
  bool found_with = false;
  for (const Rule* r : {mocked}) {
    for (const auto& e : r->body) {
      for (const auto& w : e.withs) {
        found_with = true;
        EXPECT_EQ(w.target->target, Target::Builtin);
        EXPECT_EQ(w.target->builtin, builtins::registry().find("count"));
        EXPECT_EQ(w.value->target, Target::Function);
        EXPECT_EQ(w.value->node, find_node(*p->root, {"tricky", "mock_count"}));
      }
    }
  }
  EXPECT_TRUE(found_with);
}

TEST(Plan, GuardsAndIndexesAreKept) {
  auto c = tricky();
  auto p = read_plan(write_plan(*c));
  const RuleNode* route = find_node(*p->root, {"tricky", "route"});
  ASSERT_NE(route, nullptr);
  ASSERT_EQ(route->rules.size(), 4u);
  for (const Rule* r : route->rules) {
    ASSERT_EQ(r->guards.size(), 1u);
    EXPECT_EQ(r->guards[0].arg, -1);
    EXPECT_EQ(r->guards[0].path, std::vector<Value>{Value::string("method")});
    EXPECT_TRUE(r->body.empty());  // the guard left the body once, not twice
  }
  ASSERT_NE(route->index, nullptr);
  EXPECT_EQ(route->index->by_value.size(), 4u);
  ASSERT_EQ(route->index->by_value.count(Value::string("POST")), 1u);
  EXPECT_EQ(route->index->by_value.at(Value::string("POST")).front(), route->rules[1]);

  const RuleNode* kind = find_node(*p->root, {"tricky", "kind"});
  ASSERT_NE(kind, nullptr);
  ASSERT_EQ(kind->rules.front()->guards.size(), 1u);
  EXPECT_EQ(kind->rules.front()->guards[0].arg, 0);
  EXPECT_EQ(kind->rules.front()->guards[0].value, Value::string("a"));
}

TEST(Plan, ValuesWithNonStringKeysAndBigNumbersRoundTrip) {
  auto c = tricky();
  auto p = read_plan(write_plan(*c));
  const Rule* orig = first_rule(*c, {"tricky", "consts"});
  const Rule* got = first_rule(*p, {"tricky", "consts"});
  ASSERT_NE(got, nullptr);
  ASSERT_TRUE(got->value->ground);
  EXPECT_EQ(got->value->value, orig->value->value);
  const Value& v = got->value->value;
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(*v.find(Value::integer(1)), Value::string("one"));
  const Value* inner = v.find(Value::array({Value::integer(1), Value::integer(2)}));
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(*inner->find("a"), Value::set({Value::integer(3), Value::integer(4)}));
  EXPECT_NE(v.find(Value::set({Value::string("x")})), nullptr);
  const Value* big = v.find(Value::number(1.5));
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(big->is_bigint());
  EXPECT_EQ(number_text(*big), "12345678901234567890123");
  EXPECT_TRUE(v.find("f")->is_float());
  EXPECT_EQ(v.find("f")->as_double(), 0.1);
  // literals no double denotes stay exact decimals
  const Value& exact = *v.find("exact");
  ASSERT_EQ(exact.items().size(), 3u);
  EXPECT_TRUE(exact.items()[0].is_bigint());
  EXPECT_EQ(number_text(exact.items()[0]), "0.1234567890123456789");
  EXPECT_EQ(exact.items()[0], orig->value->value.find("exact")->items()[0]);
  EXPECT_EQ(exact.items()[1], orig->value->value.find("exact")->items()[1]);
  EXPECT_EQ(number_text(exact.items()[2]), number_text(orig->value->value.find("exact")->items()[2]));
}

TEST(Plan, V0ModulesAreMarked) {
  auto c = compile_sources({{"v0.rego", "package v0\n\np[x] { x := input.xs[_] }\n"}}, true);
  std::string plan = write_plan(*c);
  EXPECT_TRUE(read_plan_info(plan).v0);
  auto p = read_plan(plan);
  EXPECT_TRUE(p->modules[0]->v0);
  EXPECT_TRUE(find_node(*p->root, {"v0", "p"})->multi_value);
  expect_round_trip(*c);
}

TEST(Plan, EmptyPolicyRoundTrips) {
  CompiledModules empty;
  empty.root = std::make_unique<RuleNode>();
  auto p = read_plan(write_plan(empty));
  EXPECT_TRUE(p->modules.empty());
  ASSERT_NE(p->root, nullptr);
  EXPECT_EQ(p->num_nodes, 1);
}

TEST(Plan, CalledBuiltins) {
  auto names = called_builtins(*tricky());
  EXPECT_NE(std::find(names.begin(), names.end(), "count"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "upper"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "http.send"), names.end());
}

// ---- rejected plans ----

TEST(Plan, RejectsNonPlans) {
  EXPECT_EQ(plan_error(""), "not a wartburg plan (bad magic bytes)");
  EXPECT_EQ(plan_error("{\"json\": true}"), "not a wartburg plan (bad magic bytes)");
  EXPECT_EQ(plan_error(std::string("WBGPLAN\0", 8)), "truncated plan (no header)");
}

TEST(Plan, RejectsEveryTruncation) {
  std::string plan = write_plan(*compile_sources({{"t.rego", "package t\n\nallow if input.x == 1\n"}}));
  for (size_t n = 0; n < plan.size(); ++n) {
    std::string msg = plan_error(std::string_view(plan).substr(0, n));
    EXPECT_FALSE(msg.empty()) << "prefix of " << n << " bytes was accepted";
  }
  EXPECT_EQ(plan_error(std::string_view(plan).substr(0, plan.size() - 1)),
            "corrupt or truncated plan (checksum mismatch)");
}

TEST(Plan, RejectsFlippedBytes) {
  std::string plan = write_plan(*compile_sources({{"t.rego", "package t\n\nallow if input.x == 1\n"}}));
  for (size_t i = 0; i < plan.size(); ++i) {
    std::string bad = plan;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    EXPECT_FALSE(plan_error(bad).empty()) << "flipped byte " << i << " was accepted";
  }
}

TEST(Plan, RejectsOtherVersions) {
  std::string plan = write_plan(*tricky());
  size_t at = plan.find(std::string(kWartburgVersion));
  ASSERT_NE(at, std::string::npos);
  std::string other = plan;
  other[at] = '9';  // "9.1.0-dev"
  seal_plan(other);
  EXPECT_EQ(plan_error(other), "plan was built by wartburg 9" + std::string(kWartburgVersion.substr(1)) +
                                   ", this is wartburg " + std::string(kWartburgVersion) + ": rebuild the bundle");
  EXPECT_THROW(read_plan_info(other), Error);

  std::string format = plan;
  format[8] = static_cast<char>(kPlanFormatVersion + 1);
  seal_plan(format);
  EXPECT_EQ(plan_error(format), "plan format version " + std::to_string(kPlanFormatVersion + 1) +
                                    " is not supported (this wartburg reads version " +
                                    std::to_string(kPlanFormatVersion) + "): rebuild the bundle");
}

TEST(Plan, RejectsUnknownBuiltins) {
  auto c = compile_sources({{"b.rego", "package b\n\nx := base64url.encode_no_pad(input.s)\n"}});
  std::string plan = write_plan(*c);
  size_t at = plan.find("base64url.encode_no_pad");
  ASSERT_NE(at, std::string::npos);
  plan[at + 22] = 'x';  // base64url.encode_no_pax
  seal_plan(plan);
  EXPECT_EQ(plan_error(plan),
            "plan calls builtin base64url.encode_no_pax, which this wartburg does not have: rebuild the bundle");
}

// Crafted plans (valid checksum, edited contents) are rejected or load into a
// structure that passed validation; either way nothing crashes.
TEST(Plan, SurvivesEditedContents) {
  auto c = tricky();
  std::string plan = write_plan(*c);
  size_t header = plan.find("lib/helpers.rego");  // edits start after the header's file names
  ASSERT_NE(header, std::string::npos);
  int rejected = 0, loaded = 0;
  const uint8_t edits[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff};
  for (size_t i = header; i + 8 < plan.size(); i += 3) {
    for (uint8_t e : edits) {
      std::string bad = plan;
      bad[i] = static_cast<char>(e);
      seal_plan(bad);
      try {
        read_plan(bad);
        ++loaded;
      } catch (const Error& err) {
        EXPECT_EQ(err.errors.front().code, "plan_error");
        ++rejected;
      }
    }
  }
  EXPECT_GT(rejected, 0);
  EXPECT_GT(loaded + rejected, 1000);
}

TEST(Plan, RejectsSlotsOutsideTheFrame) {
  // a rule whose frame is too small for its variables
  auto c = compile_sources({{"s.rego", "package s\n\nx := y if { y := input.a; z := y }\n"}});
  const_cast<Rule&>(*c->modules[0]->rules[0]).num_slots = 1;
  EXPECT_EQ(plan_error(write_plan(*c)), "corrupt plan: variable slot outside its frame");
}

TEST(Plan, RejectsCallsWithTheWrongArity) {
  auto c = compile_sources({{"a.rego", "package a\n\nx := count(input.a)\n"}});
  const Rule& r = *c->modules[0]->rules[0];
  Term* call = const_cast<Term*>(find_term(*r.value, [](const Term& t) { return t.kind == TermKind::Call; }));
  if (!call) call = const_cast<Term*>(find_term(r.body, [](const Term& t) { return t.kind == TermKind::Call; }));
  ASSERT_NE(call, nullptr);
  call->items.push_back(make_scalar(Value::integer(1), call->loc));
  call->items.push_back(make_scalar(Value::integer(2), call->loc));
  EXPECT_EQ(plan_error(write_plan(*c)), "corrupt plan: call of count with the wrong number of operands");
}

TEST(Plan, RejectsReferencesToUnknownRules) {
  auto c = compile_sources({{"a.rego", "package a\n\nx := data.a.y\ny := 1\n"}});
  const Rule& r = *c->modules[0]->rules[0];
  auto is_data_ref = [](const Term& t) { return t.kind == TermKind::Ref && t.target == Target::Data; };
  Term* ref = const_cast<Term*>(find_term(*r.value, is_data_ref));
  if (!ref) ref = const_cast<Term*>(find_term(r.body, is_data_ref));
  ASSERT_NE(ref, nullptr);
  RuleNode elsewhere;
  elsewhere.path = {"nowhere"};
  ref->node = &elsewhere;
  EXPECT_EQ(plan_error(write_plan(*c)), "corrupt plan: reference to data.nowhere, which no rule defines");
}

}  // namespace
}  // namespace wartburg::lang
