// DecisionLog: one JSON line per decision (decision_id, timestamp, path,
// input, result, bundle revisions, timing, remote address). The request path
// formats (and masks) its line and enqueues it; a background thread writes.
// The queue is bounded in events AND bytes: past either limit, records are
// dropped and counted. Write errors (a full disk, a closed pipe) are counted
// too; both are reported in the process log at most once per interval and
// through stats() (for /metrics and GET /health?plugins). Configured fields
// (JSON pointers such as /input/headers/authorization) are masked.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "policy/value.h"
#include "sidecar/log.h"

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
  // Bytes of formatted lines waiting to be written; a record that would pass
  // this is dropped (and counted). Bounds the memory a slow sink can cost.
  size_t max_queue_bytes = 16 << 20;
  // Drops and write errors are logged at most once per interval.
  std::chrono::milliseconds report_interval{10000};
  const Logger* logger = nullptr;  // where those reports go; null: stderr
};

class DecisionLog {
 public:
  explicit DecisionLog(DecisionLogConfig cfg);
  ~DecisionLog();  // flushes what is queued
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  void log(DecisionRecord r);   // non-blocking
  void flush();                 // waits until everything queued is written (or failed)
  size_t dropped() const;       // records dropped because the queue was full

  struct Stats {
    uint64_t written = 0;              // records written
    uint64_t dropped_queue_full = 0;   // records dropped: queue at max_queue or max_queue_bytes
    uint64_t dropped_write_error = 0;  // records lost because writing them failed
    uint64_t write_errors = 0;         // failed writes (each may lose several records)
    size_t queued = 0, queued_bytes = 0;
    size_t max_queue = 0, max_queue_bytes = 0;
    bool failing = false;              // the last write failed
    bool recently_dropped = false;     // records were dropped (queue full) in the last report interval
    std::string last_error;            // text of the last write error
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wartburg::sidecar
