// DecisionLog: one JSON line per decision (decision_id, timestamp, path,
// input, result, bundle revisions, timing, remote address), written by a
// background thread so that the request path only enqueues. Configured input
// fields (JSON pointers such as /input/headers/authorization) are masked.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "policy/value.h"

namespace wartburg::sidecar {

struct DecisionRecord {
  std::string path;           // "data.envoy.authz.allow" or "/v1/data/x"
  Value input;                // Undefined when there was none
  Value result;               // Undefined when the decision was undefined
  std::string error;          // set when evaluation failed
  std::string remote_addr;
  std::string revision;       // bundle revision(s), "" when none
  double eval_seconds = 0;
  // Added: the id returned to the client (OPA's "decision_id"); generated when empty.
  std::string decision_id;
  // Added: bundle name -> revision; logged as OPA's "bundles" {name: {"revision": r}}.
  // When empty and `revision` is set, the legacy top-level "revision" is logged.
  std::vector<std::pair<std::string, std::string>> bundles;
};

// Added: a random UUID v4 such as "4ca636c1-55e4-417a-b1d8-4aceb67960d1".
std::string new_decision_id();

struct DecisionLogConfig {
  std::string destination;          // "stdout", or a file path (appended to)
  std::vector<std::string> mask;    // JSON pointers, e.g. "/input/headers/authorization"
  size_t max_queue = 10000;         // records beyond this are dropped (and counted)
  // Added: OPA's "labels" object (e.g. {"id": ..., "version": ...}); omitted when empty.
  std::vector<std::pair<std::string, std::string>> labels;
};

class DecisionLog {
 public:
  explicit DecisionLog(DecisionLogConfig cfg);
  ~DecisionLog();  // flushes what is queued
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  void log(DecisionRecord r);   // non-blocking
  void flush();                 // waits until everything queued is written
  size_t dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wartburg::sidecar
