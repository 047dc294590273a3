// DecisionLog: one JSON line per decision (decision_id, timestamp, path,
// input, result, bundle revisions, timing, remote address), written by a
// background thread so that the request path only enqueues. Configured input
// fields (JSON pointers such as /input/headers/authorization) are masked.
#pragma once

#include <memory>
#include <string>
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
};

struct DecisionLogConfig {
  std::string destination;          // "stdout", or a file path (appended to)
  std::vector<std::string> mask;    // JSON pointers, e.g. "/input/headers/authorization"
  size_t max_queue = 10000;         // records beyond this are dropped (and counted)
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
