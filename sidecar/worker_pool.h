// WorkerPool: a fixed set of threads that run jobs from a bounded FIFO queue.
// The HTTP server hands every request's handler to a pool so that policy
// evaluation never runs on the I/O threads; when the queue is full, try_submit
// refuses at once and the caller answers "overloaded" instead of waiting.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wartburg::sidecar {

class WorkerPool {
 public:
  using Job = std::function<void()>;

  // `threads` workers (at least 1); at most `max_queue` jobs wait for a worker
  // (0: none wait: a job is accepted only when a worker is idle).
  WorkerPool(std::string name, int threads, size_t max_queue);
  ~WorkerPool();  // stop(): pending jobs are dropped (destroyed unrun)
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `job`; false (and `job` untouched) when the queue is full or the
  // pool is stopped. Never blocks. Jobs must not throw (exceptions are caught
  // and dropped).
  bool try_submit(Job& job);

  // Stops accepting, drops queued jobs, waits for running ones to finish.
  void stop();

  struct Stats {
    size_t workers = 0;
    size_t busy = 0;       // workers running a job now
    size_t queued = 0;     // jobs waiting
    size_t max_queue = 0;
    uint64_t accepted = 0;  // since start
    uint64_t rejected = 0;  // try_submit refused because the queue was full
  };
  Stats stats() const;
  const std::string& name() const { return name_; }

 private:
  void run();

  std::string name_;
  size_t max_queue_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  size_t busy_ = 0;
  size_t idle_ = 0;
  uint64_t accepted_ = 0;
  uint64_t rejected_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace wartburg::sidecar
