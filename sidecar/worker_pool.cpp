// WorkerPool implementation (see worker_pool.h): one mutex-protected deque;
// the queue bound counts only jobs no idle worker will pick up at once.
#include "sidecar/worker_pool.h"

#include <algorithm>

namespace wartburg::sidecar {

WorkerPool::WorkerPool(std::string name, int threads, size_t max_queue)
    : name_(std::move(name)), max_queue_(max_queue) {
  int n = std::max(1, threads);
  threads_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::try_submit(Job& job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= idle_ + max_queue_) {
      if (!stopping_) ++rejected_;
      return false;
    }
    queue_.push_back(std::move(job));
    ++accepted_;
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
  dropped.clear();  // outside the lock: a job's captures may run destructors that submit
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  threads_.clear();
}

WorkerPool::Stats WorkerPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.workers = threads_.size();
  s.busy = busy_;
  s.queued = queue_.size();
  s.max_queue = max_queue_;
  s.accepted = accepted_;
  s.rejected = rejected_;
  return s;
}

void WorkerPool::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    ++idle_;
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    try {
      job();
    } catch (...) {
      // a job reports its own failures; nothing may escape a worker
    }
    job = nullptr;  // release captures before taking the lock again
    lock.lock();
    --busy_;
  }
}

}  // namespace wartburg::sidecar
