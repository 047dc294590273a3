// Metrics: counters and latency histograms exposed at GET /metrics in the
// Prometheus text format. Updates are lock-free on the hot path.
#pragma once

#include <functional>
#include <string>

#include "sidecar/http.h"

namespace wartburg::sidecar {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One HTTP request: route is a template ("/v1/data", "/v1/admit", "authz", ...).
  void observe_request(const std::string& route, int status, double seconds);
  // One decision: outcome is "allow", "deny", "undefined" or "error".
  void count_decision(const std::string& kind, const std::string& outcome);
  void observe_eval(double seconds);
  // Admission evaluations that failed and were answered by the failure policy.
  void count_admission_failure(const std::string& policy /* "fail" or "ignore" */);
  void count_reload(bool ok);
  // A request answered with the overload response (the evaluation queue was full).
  void count_overload(const std::string& route);

  // A metric read when /metrics is rendered (state kept elsewhere: queue
  // lengths, decision log counters). type: "counter" or "gauge"; labels: a
  // preformatted label set such as {reason="queue_full"} or "". Series of one
  // name share its HELP/TYPE lines. Register before serving.
  void add_callback(const std::string& name, const std::string& help, const std::string& type,
                    const std::string& labels, std::function<double()> read);

  std::string render() const;  // Prometheus text exposition format 0.0.4

 private:
  struct Impl;
  Impl* impl_;
};

// Wraps a handler so that every request it answers is observed under `route`
// (count and latency by status). `metrics` may be null: then `inner` is returned.
Handler observed(Handler inner, Metrics* metrics, std::string route);

}  // namespace wartburg::sidecar
