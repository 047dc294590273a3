// DecisionLog implementation: the caller formats each record into a line; a
// queue bounded in lines and bytes is drained by one background thread that
// writes them, counts failures and reports drops once per interval. Lines are
// OPA-style decision log events (fields in
// the order of OPA's EventV1: labels, decision_id, revision/bundles, path,
// input, result, erased, error, requested_by, timestamp, metrics). Masking
// follows OPA's "erase" rules: each configured JSON pointer under /input or
// /result removes that field and is listed in "erased".
#include "sidecar/decision_log.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "policy/json.h"

namespace wartburg::sidecar {

std::string new_decision_id() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                   // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

namespace {

// Go's time.RFC3339Nano in UTC: fraction without trailing zeros, "Z".
std::string rfc3339_nano(std::chrono::system_clock::time_point tp) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(tp.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(ns / 1000000000);
  long frac = static_cast<long>(ns % 1000000000);
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09ld", frac);
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  out += 'Z';
  return out;
}

// "data.envoy.authz.allow" -> "envoy/authz/allow"; "/v1/data/x/y" -> "x/y" (OPA's event path).
std::string event_path(const std::string& p) {
  if (p == "data") return "";
  if (p.rfind("data.", 0) == 0) {
    std::string out = p.substr(5);
    for (char& c : out) {
      if (c == '.') c = '/';
    }
    return out;
  }
  if (p == "/v1/data" || p == "/v0/data") return "";
  if (p.rfind("/v1/data/", 0) == 0 || p.rfind("/v0/data/", 0) == 0) return p.substr(9);
  return p;
}

struct Mask {
  std::string pointer;            // as configured, listed in "erased"
  std::vector<std::string> segs;  // decoded; segs[0] is "input" or "result"
};

bool parse_pointer(const std::string& ptr, Mask& m) {
  if (ptr.size() < 2 || ptr[0] != '/') return false;
  m.pointer = ptr;
  size_t start = 1;
  while (true) {
    size_t slash = ptr.find('/', start);
    std::string raw = ptr.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string seg;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        seg += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        seg += raw[i];
      }
    }
    m.segs.push_back(std::move(seg));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return m.segs[0] == "input" || m.segs[0] == "result";
}

// Removes the object field at segs[i..] from v; false when the path is absent.
bool erase_at(const Value& v, const std::vector<std::string>& segs, size_t i, Value& out) {
  if (!v.is_object()) return false;
  const Value* child = v.find(segs[i]);
  if (!child) return false;
  std::vector<std::pair<Value, Value>> entries;
  entries.reserve(v.size());
  bool last = i + 1 == segs.size();
  for (const auto& [k, val] : v.entries()) {
    if (k.is_string() && k.str() == segs[i]) {
      if (last) continue;
      Value replaced;
      if (!erase_at(val, segs, i + 1, replaced)) return false;
      entries.emplace_back(k, std::move(replaced));
    } else {
      entries.emplace_back(k, val);
    }
  }
  out = Value::object(std::move(entries));
  return true;
}

void append_string(std::string& out, std::string_view s) { append_json(out, Value::string(s)); }

struct Pending {
  DecisionRecord rec;
  std::chrono::system_clock::time_point at;
};

using SteadyClock = std::chrono::steady_clock;

}  // namespace

struct DecisionLog::Impl {
  DecisionLogConfig cfg;
  std::vector<Mask> masks;
  FILE* out = nullptr;
  bool owns_out = false;

  mutable std::mutex mu;
  std::condition_variable work_cv;
  std::condition_variable done_cv;
  std::deque<std::string> queue;  // formatted lines
  size_t queued_bytes = 0;
  uint64_t enqueued = 0;
  uint64_t finished = 0;          // written or lost to a write error
  bool stopping = false;
  std::atomic<size_t> dropped{0};
  // Under mu:
  uint64_t written = 0, lost_write = 0, write_errors = 0;
  bool failing = false;
  std::string last_error;
  SteadyClock::time_point last_drop{};
  // Reported by the writer once per interval (the values at the last report).
  uint64_t reported_dropped = 0, reported_lost = 0, reported_errors = 0;
  SteadyClock::time_point last_report{};
  std::thread writer;

  std::string format(Pending& p) const;
  void run();
  void report(std::unique_lock<std::mutex>& lock, bool force);
  bool write_batch(const std::string& text, std::string& error);
};

std::string DecisionLog::Impl::format(Pending& p) const {
  DecisionRecord& r = p.rec;
  Value input = r.input, result = r.result;
  std::vector<std::string> erased;
  for (const auto& m : masks) {
    Value& target = m.segs[0] == "input" ? input : result;
    if (!target.defined()) continue;
    if (m.segs.size() == 1) {
      target = Value();
      erased.push_back(m.pointer);
      continue;
    }
    Value replaced;
    if (erase_at(target, m.segs, 1, replaced)) {
      target = std::move(replaced);
      erased.push_back(m.pointer);
    }
  }

  std::string line;
  line.reserve(256);
  line += '{';
  if (!cfg.labels.empty()) {
    line += "\"labels\":{";
    for (size_t i = 0; i < cfg.labels.size(); ++i) {
      if (i) line += ',';
      append_string(line, cfg.labels[i].first);
      line += ':';
      append_string(line, cfg.labels[i].second);
    }
    line += "},";
  }
  line += "\"decision_id\":";
  append_string(line, r.decision_id.empty() ? new_decision_id() : r.decision_id);
  if (!r.bundles.empty()) {
    line += ",\"bundles\":{";
    for (size_t i = 0; i < r.bundles.size(); ++i) {
      if (i) line += ',';
      append_string(line, r.bundles[i].first);
      line += ":{\"revision\":";
      append_string(line, r.bundles[i].second);
      line += '}';
    }
    line += '}';
  } else if (!r.revision.empty()) {
    line += ",\"revision\":";
    append_string(line, r.revision);
  }
  line += ",\"path\":";
  append_string(line, event_path(r.path));
  if (input.defined()) {
    line += ",\"input\":";
    append_json(line, input);
  }
  if (result.defined()) {
    line += ",\"result\":";
    append_json(line, result);
  }
  if (!erased.empty()) {
    line += ",\"erased\":[";
    for (size_t i = 0; i < erased.size(); ++i) {
      if (i) line += ',';
      append_string(line, erased[i]);
    }
    line += ']';
  }
  if (!r.error.empty()) {
    // OPA logs the error object ({"code":..., "message":...}); a JSON object
    // passed as text is embedded, anything else becomes a string.
    line += ",\"error\":";
    bool embedded = false;
    if (r.error.front() == '{') {
      try {
        Value e = parse_json(r.error);
        if (e.is_object()) {
          append_json(line, e);
          embedded = true;
        }
      } catch (const std::exception&) {
      }
    }
    if (!embedded) append_string(line, r.error);
  }
  if (!r.remote_addr.empty()) {
    line += ",\"requested_by\":";
    append_string(line, r.remote_addr);
  }
  line += ",\"timestamp\":";
  append_string(line, rfc3339_nano(p.at));
  line += ",\"metrics\":{\"timer_rego_query_eval_ns\":";
  line += std::to_string(static_cast<long long>(r.eval_seconds * 1e9 + 0.5));
  line += "}}\n";
  return line;
}

// Writes one batch; false with the error text when any of it may be lost.
bool DecisionLog::Impl::write_batch(const std::string& text, std::string& error) {
  errno = 0;
  size_t n = std::fwrite(text.data(), 1, text.size(), out);
  int rc = std::fflush(out);
  if (n == text.size() && rc == 0 && !std::ferror(out)) return true;
  error = errno != 0 ? std::strerror(errno) : "write failed";
  std::clearerr(out);
  return false;
}

// Logs what was dropped or lost since the last report, at most once per
// report_interval (force: now, e.g. when stopping). Called with `lock` held.
void DecisionLog::Impl::report(std::unique_lock<std::mutex>& lock, bool force) {
  auto now = SteadyClock::now();
  if (!force && last_report != SteadyClock::time_point{} && now - last_report < cfg.report_interval) return;
  uint64_t d = dropped.load(std::memory_order_relaxed);
  uint64_t new_dropped = d - reported_dropped, new_lost = lost_write - reported_lost,
           new_errors = write_errors - reported_errors;
  if (new_dropped == 0 && new_lost == 0 && new_errors == 0) return;
  reported_dropped = d;
  reported_lost = lost_write;
  reported_errors = write_errors;
  last_report = now;
  std::string err = last_error;
  std::string dest = cfg.destination;
  lock.unlock();
  std::string secs = std::to_string(cfg.report_interval.count() / 1000.0);
  secs.erase(secs.find_last_not_of('0') + 1);
  if (!secs.empty() && secs.back() == '.') secs.pop_back();
  if (cfg.logger) {
    cfg.logger->error("decision log records lost",
                      {{"destination", dest},
                       {"dropped_queue_full", std::to_string(new_dropped)},
                       {"dropped_write_error", std::to_string(new_lost)},
                       {"write_errors", std::to_string(new_errors)},
                       {"last_error", err},
                       {"interval", secs + "s"}});
  } else {
    std::fprintf(stderr, "decision log records lost: destination=%s dropped_queue_full=%llu dropped_write_error=%llu write_errors=%llu last_error=%s\n",
                 dest.c_str(), static_cast<unsigned long long>(new_dropped), static_cast<unsigned long long>(new_lost),
                 static_cast<unsigned long long>(new_errors), err.c_str());
  }
  lock.lock();
}

void DecisionLog::Impl::run() {
  std::unique_lock<std::mutex> lock(mu);
  while (true) {
    work_cv.wait_for(lock, cfg.report_interval, [&] { return stopping || !queue.empty(); });
    report(lock, false);
    if (queue.empty()) {
      if (stopping) break;
      continue;
    }
    std::deque<std::string> batch;
    batch.swap(queue);
    queued_bytes = 0;
    lock.unlock();
    std::string text;
    for (auto& line : batch) text += line;
    std::string error;
    bool ok = write_batch(text, error);
    lock.lock();
    if (ok) {
      written += batch.size();
      failing = false;
    } else {
      ++write_errors;
      lost_write += batch.size();
      failing = true;
      last_error = error;
      report(lock, false);
    }
    finished += batch.size();
    done_cv.notify_all();
  }
  report(lock, true);
}

DecisionLog::DecisionLog(DecisionLogConfig cfg) : impl_(std::make_unique<Impl>()) {
  impl_->cfg = std::move(cfg);
  if (impl_->cfg.report_interval <= std::chrono::milliseconds(0)) impl_->cfg.report_interval = std::chrono::seconds(10);
  if (impl_->cfg.max_queue_bytes == 0) impl_->cfg.max_queue_bytes = 1;
  for (const auto& p : impl_->cfg.mask) {
    Mask m;
    if (!parse_pointer(p, m)) {
      throw std::runtime_error("decision log mask \"" + p + "\": must be a JSON pointer under /input or /result");
    }
    impl_->masks.push_back(std::move(m));
  }
  const std::string& dest = impl_->cfg.destination;
  if (dest.empty() || dest == "stdout" || dest == "console" || dest == "-") {
    impl_->out = stdout;
  } else if (dest == "stderr") {
    impl_->out = stderr;
  } else {
    impl_->out = std::fopen(dest.c_str(), "a");
    if (!impl_->out) throw std::runtime_error("cannot open decision log " + dest);
    impl_->owns_out = true;
  }
  impl_->writer = std::thread([impl = impl_.get()] { impl->run(); });
}

DecisionLog::~DecisionLog() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->writer.join();
  if (impl_->owns_out) std::fclose(impl_->out);
}

void DecisionLog::log(DecisionRecord r) {
  auto now = std::chrono::system_clock::now();
  Impl& im = *impl_;
  auto drop = [&] {
    im.dropped.fetch_add(1, std::memory_order_relaxed);
    im.last_drop = SteadyClock::now();
  };
  {
    // Cheap check first: no formatting work for a record that cannot be queued.
    std::lock_guard<std::mutex> lock(im.mu);
    if (im.queue.size() >= im.cfg.max_queue || im.queued_bytes >= im.cfg.max_queue_bytes) {
      drop();
      return;
    }
  }
  Pending p{std::move(r), now};
  std::string line = im.format(p);
  {
    std::lock_guard<std::mutex> lock(im.mu);
    if (im.stopping || im.queue.size() >= im.cfg.max_queue || line.size() > im.cfg.max_queue_bytes - im.queued_bytes) {
      drop();
      return;
    }
    im.queued_bytes += line.size();
    im.queue.push_back(std::move(line));
    ++im.enqueued;
  }
  im.work_cv.notify_one();
}

void DecisionLog::flush() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  uint64_t target = impl_->enqueued;
  impl_->done_cv.wait(lock, [&] { return impl_->finished >= target; });
}

size_t DecisionLog::dropped() const { return impl_->dropped.load(std::memory_order_relaxed); }

DecisionLog::Stats DecisionLog::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Stats s;
  s.written = impl_->written;
  s.dropped_queue_full = impl_->dropped.load(std::memory_order_relaxed);
  s.dropped_write_error = impl_->lost_write;
  s.write_errors = impl_->write_errors;
  s.queued = impl_->queue.size();
  s.queued_bytes = impl_->queued_bytes;
  s.max_queue = impl_->cfg.max_queue;
  s.max_queue_bytes = impl_->cfg.max_queue_bytes;
  s.failing = impl_->failing;
  s.last_error = impl_->last_error;
  s.recently_dropped = impl_->last_drop != SteadyClock::time_point{} &&
                       SteadyClock::now() - impl_->last_drop < impl_->cfg.report_interval;
  return s;
}

}  // namespace wartburg::sidecar
