// Tests of DecisionLog (sidecar/decision_log.cpp): JSON lines with OPA's
// decision log event fields, masking ("erased"), bounded queue, flush.
#include "sidecar/decision_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <thread>
#include <chrono>
#include <algorithm>

#include "policy/json.h"

namespace wartburg::sidecar {
namespace {

class DecisionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("wartburg-dl-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".jsonl"))
                .string();
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::vector<Value> lines() {
    std::ifstream in(path_);
    std::vector<Value> out;
    std::string line;
    while (std::getline(in, line)) out.push_back(parse_json(line));
    return out;
  }

  std::string path_;
};

const Value* field(const Value& v, const char* name) { return v.find(std::string_view(name)); }

TEST_F(DecisionLogTest, WritesOpaEventFields) {
  {
    DecisionLog log({.destination = path_, .mask = {}, .max_queue = 100, .labels = {{"id", "node-1"}}});
    DecisionRecord r;
    r.path = "data.envoy.authz.allow";
    r.input = parse_json(R"({"method": "GET", "path": "/salary/bob"})");
    r.result = Value::boolean(true);
    r.remote_addr = "127.0.0.1:5555";
    r.revision = "rev-7";
    r.eval_seconds = 0.000123;
    log.log(r);
    DecisionRecord u;
    u.path = "/v1/data/x/y";
    u.error = "something failed";
    u.decision_id = "fixed-id";
    u.bundles = {{"authz", "abc"}};
    log.log(u);
  }  // destructor flushes
  auto ls = lines();
  ASSERT_EQ(ls.size(), 2u);
  const Value& e = ls[0];
  ASSERT_TRUE(field(e, "decision_id"));
  EXPECT_TRUE(std::regex_match(field(e, "decision_id")->str(),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(field(e, "path")->str(), "envoy/authz/allow");
  EXPECT_EQ(to_json(*field(e, "input")), R"({"method":"GET","path":"/salary/bob"})");
  EXPECT_TRUE(field(e, "result")->is_true());
  EXPECT_EQ(field(e, "requested_by")->str(), "127.0.0.1:5555");
  EXPECT_EQ(field(e, "revision")->str(), "rev-7");
  EXPECT_EQ(to_json(*field(e, "labels")), R"({"id":"node-1"})");
  EXPECT_TRUE(std::regex_match(field(e, "timestamp")->str(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z)")));
  EXPECT_EQ(to_json(*field(e, "metrics")), R"({"timer_rego_query_eval_ns":123000})");
  EXPECT_FALSE(field(e, "error"));
  EXPECT_FALSE(field(e, "erased"));

  const Value& f = ls[1];
  EXPECT_EQ(field(f, "decision_id")->str(), "fixed-id");
  EXPECT_EQ(field(f, "path")->str(), "x/y");
  EXPECT_EQ(field(f, "error")->str(), "something failed");
  EXPECT_FALSE(field(f, "input"));
  EXPECT_FALSE(field(f, "result"));
  EXPECT_FALSE(field(f, "revision"));
  EXPECT_EQ(to_json(*field(f, "bundles")), R"({"authz":{"revision":"abc"}})");
}

TEST_F(DecisionLogTest, MasksErasedFields) {
  DecisionLog log({.destination = path_,
                   .mask = {"/input/headers/authorization", "/input/password", "/input/missing/x",
                            "/result/secret", "/input/a~1b"},
                   .max_queue = 100,
                   .labels = {}});
  DecisionRecord r;
  r.path = "data.x";
  r.input = parse_json(R"({"headers": {"authorization": "Bearer t", "host": "h"}, "password": "p", "a/b": 1, "keep": 2})");
  r.result = parse_json(R"({"allow": true, "secret": "s"})");
  log.log(r);
  log.flush();
  auto ls = lines();
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_EQ(to_json(*field(ls[0], "input")), R"({"headers":{"host":"h"},"keep":2})");
  EXPECT_EQ(to_json(*field(ls[0], "result")), R"({"allow":true})");
  EXPECT_EQ(to_json(*field(ls[0], "erased")),
            R"(["/input/headers/authorization","/input/password","/result/secret","/input/a~1b"])");
}

TEST_F(DecisionLogTest, MaskingWholeInput) {
  DecisionLog log({.destination = path_, .mask = {"/input"}, .max_queue = 100, .labels = {}});
  DecisionRecord r;
  r.path = "data.x";
  r.input = parse_json(R"({"a": 1})");
  log.log(r);
  log.flush();
  auto ls = lines();
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_FALSE(field(ls[0], "input"));
  EXPECT_EQ(to_json(*field(ls[0], "erased")), R"(["/input"])");
}

TEST_F(DecisionLogTest, BadMaskThrows) {
  EXPECT_THROW(DecisionLog({.destination = path_, .mask = {"/data/x"}, .max_queue = 1, .labels = {}}),
               std::runtime_error);
  EXPECT_THROW(DecisionLog({.destination = "/nonexistent-dir/x.log", .mask = {}, .max_queue = 1, .labels = {}}),
               std::runtime_error);
}

TEST_F(DecisionLogTest, ManyRecordsFlushAndUniqueIds) {
  DecisionLog log({.destination = path_, .mask = {}, .max_queue = 100000, .labels = {}});
  for (int i = 0; i < 2000; ++i) {
    DecisionRecord r;
    r.path = "data.p";
    r.input = Value::integer(i);
    log.log(std::move(r));
  }
  log.flush();
  auto ls = lines();
  ASSERT_EQ(ls.size(), 2000u);
  std::set<std::string> ids;
  for (size_t i = 0; i < ls.size(); ++i) {
    EXPECT_EQ(field(ls[i], "input")->as_int(), static_cast<int64_t>(i));
    ids.insert(field(ls[i], "decision_id")->str());
  }
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_EQ(log.dropped(), 0u);
}

TEST_F(DecisionLogTest, BoundedQueueDropsAndCounts) {
  DecisionLog log({.destination = path_, .mask = {}, .max_queue = 5, .labels = {}});
  for (int i = 0; i < 5000; ++i) {
    DecisionRecord r;
    r.path = "data.p";
    log.log(std::move(r));
  }
  log.flush();
  size_t written = lines().size();
  EXPECT_EQ(written + log.dropped(), 5000u);
  EXPECT_GT(log.dropped(), 0u);
}

TEST_F(DecisionLogTest, QueueIsBoundedInBytes) {
  DecisionLogConfig cfg;
  cfg.destination = "/dev/null";
  cfg.max_queue = 1000000;
  cfg.max_queue_bytes = 64 << 10;  // 64 KiB
  DecisionLog log(cfg);
  std::string big(100 << 10, 'x');  // one record alone is larger than the buffer
  DecisionRecord r;
  r.path = "data.p";
  r.input = Value::string(big);
  log.log(r);
  EXPECT_EQ(log.dropped(), 1u);
  // many medium records: the queued bytes never pass the limit
  size_t peak = 0;
  for (int i = 0; i < 2000; ++i) {
    DecisionRecord m;
    m.path = "data.p";
    m.input = Value::string(std::string(4 << 10, 'y'));
    log.log(std::move(m));
    peak = std::max(peak, log.stats().queued_bytes);
  }
  EXPECT_LE(peak, cfg.max_queue_bytes);
  log.flush();
  auto st = log.stats();
  EXPECT_EQ(st.written + st.dropped_queue_full, 2001u);
  EXPECT_EQ(st.max_queue_bytes, 64u << 10);
}

TEST_F(DecisionLogTest, WriteErrorsAreCountedAndReportedOncePerInterval) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  DecisionLogConfig cfg;
  cfg.destination = "/dev/full";
  cfg.report_interval = std::chrono::milliseconds(300);
  DecisionLog log(cfg);
  testing::internal::CaptureStderr();
  for (int i = 0; i < 50; ++i) {
    DecisionRecord r;
    r.path = "data.p";
    r.input = Value::integer(i);
    log.log(std::move(r));
    if (i % 10 == 0) log.flush();
  }
  log.flush();
  auto st = log.stats();
  EXPECT_TRUE(st.failing);
  EXPECT_GT(st.write_errors, 0u);
  EXPECT_EQ(st.dropped_write_error, 50u);
  EXPECT_EQ(st.written, 0u);
  EXPECT_NE(st.last_error.find("No space"), std::string::npos) << st.last_error;
  std::this_thread::sleep_for(std::chrono::milliseconds(450));  // one more interval: the rest is reported
  std::string err = testing::internal::GetCapturedStderr();
  size_t reports = 0;
  for (size_t pos = 0; (pos = err.find("decision log records lost", pos)) != std::string::npos; ++pos) ++reports;
  // 50 failing records, several failed writes: logged per interval, not per record
  EXPECT_GE(reports, 1u) << err;
  EXPECT_LE(reports, 3u) << err;
  EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
}

TEST(DecisionId, IsUuidV4) {
  std::string id = new_decision_id();
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_NE(id, new_decision_id());
}

}  // namespace
}  // namespace wartburg::sidecar
