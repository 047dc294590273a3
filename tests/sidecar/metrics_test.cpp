// Tests of Metrics (sidecar/metrics.cpp): the Prometheus text rendering of
// request, decision, evaluation, admission and reload metrics, plus process
// metrics, and concurrent updates.
#include "sidecar/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace wartburg::sidecar {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, RendersRequestCountersAndHistograms) {
  Metrics m;
  m.observe_request("/v1/data", 200, 0.0007);
  m.observe_request("/v1/data", 200, 0.003);
  m.observe_request("/v1/data", 400, 7.0);
  m.observe_request("authz", 200, 0.0001);
  std::string t = m.render();
  EXPECT_TRUE(has_line(t, "# TYPE http_request_duration_seconds histogram")) << t;
  EXPECT_TRUE(has_line(t, "# TYPE http_requests_total counter")) << t;
  EXPECT_NE(t.find("# HELP http_requests_total "), std::string::npos);
  EXPECT_TRUE(has_line(t, "http_requests_total{route=\"/v1/data\",code=\"200\"} 2")) << t;
  EXPECT_TRUE(has_line(t, "http_requests_total{route=\"/v1/data\",code=\"400\"} 1")) << t;
  EXPECT_TRUE(has_line(t, "http_requests_total{route=\"authz\",code=\"200\"} 1")) << t;
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"200\",le=\"0.0005\"} 0"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"200\",le=\"0.001\"} 1"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"200\",le=\"0.005\"} 2"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"200\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"400\",le=\"5\"} 0"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"/v1/data\",code=\"400\",le=\"+Inf\"} 1"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_count{route=\"/v1/data\",code=\"200\"} 2"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_sum{route=\"/v1/data\",code=\"400\"} 7"));
  EXPECT_TRUE(has_line(t, "http_request_duration_seconds_bucket{route=\"authz\",code=\"200\",le=\"0.0005\"} 1"));
}

TEST(Metrics, RendersDecisionsEvalAdmissionAndReloads) {
  Metrics m;
  m.count_decision("authz", "allow");
  m.count_decision("authz", "allow");
  m.count_decision("authz", "deny");
  m.count_decision("admission", "error");
  m.observe_eval(0.002);
  m.count_admission_failure("ignore");
  m.count_reload(true);
  m.count_reload(false);
  m.count_reload(true);
  std::string t = m.render();
  EXPECT_TRUE(has_line(t, "wartburg_decisions_total{kind=\"authz\",outcome=\"allow\"} 2")) << t;
  EXPECT_TRUE(has_line(t, "wartburg_decisions_total{kind=\"authz\",outcome=\"deny\"} 1"));
  EXPECT_TRUE(has_line(t, "wartburg_decisions_total{kind=\"admission\",outcome=\"error\"} 1"));
  EXPECT_TRUE(has_line(t, "# TYPE wartburg_eval_duration_seconds histogram"));
  EXPECT_TRUE(has_line(t, "wartburg_eval_duration_seconds_bucket{le=\"0.001\"} 0"));
  EXPECT_TRUE(has_line(t, "wartburg_eval_duration_seconds_bucket{le=\"0.0025\"} 1"));
  EXPECT_TRUE(has_line(t, "wartburg_eval_duration_seconds_count 1"));
  EXPECT_TRUE(has_line(t, "wartburg_eval_duration_seconds_sum 0.002"));
  EXPECT_TRUE(has_line(t, "wartburg_admission_failures_total{policy=\"ignore\"} 1"));
  EXPECT_TRUE(has_line(t, "wartburg_reloads_total{result=\"success\"} 2"));
  EXPECT_TRUE(has_line(t, "wartburg_reloads_total{result=\"error\"} 1"));
}

TEST(Metrics, ProcessMetricsAndFormat) {
  Metrics m;
  std::string t = m.render();
  EXPECT_TRUE(has_line(t, "# TYPE process_resident_memory_bytes gauge")) << t;
  EXPECT_NE(t.find("\nprocess_resident_memory_bytes "), std::string::npos);
  EXPECT_NE(t.find("\nprocess_start_time_seconds "), std::string::npos);
  EXPECT_NE(t.find("\nprocess_cpu_seconds_total "), std::string::npos);
  // Every line is a comment or "name{labels} value"; text ends with a newline.
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.back(), '\n');
  size_t pos = 0;
  while (pos < t.size()) {
    size_t e = t.find('\n', pos);
    std::string line = t.substr(pos, e - pos);
    pos = e + 1;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    size_t sp = line.rfind(' ');
    ASSERT_NE(sp, std::string::npos) << line;
    EXPECT_NO_THROW((void)std::stod(line.substr(sp + 1))) << line;
  }
}

TEST(Metrics, EscapesLabelValues) {
  Metrics m;
  m.count_decision("a\"b\\c\nd", "allow");
  EXPECT_TRUE(has_line(m.render(), "wartburg_decisions_total{kind=\"a\\\"b\\\\c\\nd\",outcome=\"allow\"} 1"));
}

TEST(Metrics, ConcurrentUpdatesAreCounted) {
  Metrics m;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&m, t] {
      for (int i = 0; i < 5000; ++i) {
        m.observe_request("/r" + std::to_string(i % 3), 200, 0.001);
        m.count_decision("k", t % 2 ? "allow" : "deny");
      }
    });
  }
  for (auto& t : ts) t.join();
  std::string r = m.render();
  EXPECT_TRUE(has_line(r, "wartburg_decisions_total{kind=\"k\",outcome=\"allow\"} 10000")) << r;
  EXPECT_TRUE(has_line(r, "wartburg_decisions_total{kind=\"k\",outcome=\"deny\"} 10000"));
  uint64_t total = 0;
  for (int i = 0; i < 3; ++i) {
    std::string prefix = "http_requests_total{route=\"/r" + std::to_string(i) + "\",code=\"200\"} ";
    size_t p = r.find(prefix);
    ASSERT_NE(p, std::string::npos);
    total += std::stoull(r.substr(p + prefix.size()));
  }
  EXPECT_EQ(total, 20000u);
}

TEST(Metrics, ManyLabelSetsAreCapped) {
  Metrics m;
  for (int i = 0; i < 2000; ++i) m.count_decision("k" + std::to_string(i), "allow");
  std::string r = m.render();
  EXPECT_NE(r.find("wartburg_decisions_total{kind=\"other\",outcome=\"other\"}"), std::string::npos);
}

}  // namespace
}  // namespace wartburg::sidecar
