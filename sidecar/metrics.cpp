// Metrics implementation: counters and histograms keyed by small label sets,
// rendered in the Prometheus text exposition format 0.0.4 for GET /metrics.
//
// Hot path: a label set is found in a fixed-size open-addressing table of
// atomic pointers (lock-free lookup); only the first observation of a new
// label set takes the family's mutex to create it. Counts are relaxed atomics.
// Process metrics (memory, CPU, start time, file descriptors) are read from
// /proc when rendering.
#include "sidecar/metrics.h"

#include <chrono>

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <sstream>
#include <string_view>
#include <vector>

namespace wartburg::sidecar {

namespace {

constexpr std::array<double, 13> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1,     2.5,  5};

// Shortest round-trip text; integral values without exponent, like Go's FormatFloat(v, 'g', -1, 64) mostly.
std::string fmt_double(double d) {
  if (d > -1e15 && d < 1e15 && d == static_cast<double>(static_cast<long long>(d))) {
    return std::to_string(static_cast<long long>(d));
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general);
  return std::string(buf, r.ptr);
}

void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

struct Counter {
  std::atomic<uint64_t> value{0};
  void inc() { value.fetch_add(1, std::memory_order_relaxed); }
};

struct Histogram {
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // non-cumulative; last is +Inf
  std::atomic<double> sum{0};

  void observe(double s) {
    size_t i = 0;
    while (i < kBuckets.size() && s > kBuckets[i]) ++i;
    buckets[i].fetch_add(1, std::memory_order_relaxed);
    sum.fetch_add(s, std::memory_order_relaxed);
  }
};

// A metric family: label names plus a lock-free table from label values to a T.
template <class T>
class Family {
 public:
  static constexpr size_t kSlots = 1024;  // power of two
  static constexpr size_t kMaxSeries = 512;

  struct Series {
    std::string key;  // label values joined by '\x1f'
    std::vector<std::string> values;
    T metric;
  };

  Family(std::string name, std::string help, std::vector<std::string> labels)
      : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {
    for (auto& s : slots_) s.store(nullptr, std::memory_order_relaxed);
  }

  T& get(std::initializer_list<std::string_view> values) {
    std::string key;
    for (auto v : values) {
      key.append(v);
      key.push_back('\x1f');
    }
    size_t h = std::hash<std::string>{}(key);
    for (size_t probe = 0; probe < kSlots; ++probe) {
      Series* s = slots_[(h + probe) & (kSlots - 1)].load(std::memory_order_acquire);
      if (!s) return create(key, values, h);
      if (s->key == key) return s->metric;
    }
    return create(key, values, h);
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& labels() const { return labels_; }

  // Series sorted by label values (stable output).
  std::vector<const Series*> snapshot() const {
    std::vector<const Series*> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& s : owned_) out.push_back(s.get());
    }
    std::sort(out.begin(), out.end(), [](const Series* a, const Series* b) { return a->values < b->values; });
    return out;
  }

 private:
  T& create(const std::string& key, std::initializer_list<std::string_view> values, size_t h) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t free_slot = kSlots;
    for (size_t probe = 0; probe < kSlots; ++probe) {
      size_t i = (h + probe) & (kSlots - 1);
      Series* s = slots_[i].load(std::memory_order_acquire);
      if (!s) {
        free_slot = i;
        break;
      }
      if (s->key == key) return s->metric;
    }
    if (free_slot == kSlots || owned_.size() >= kMaxSeries) {
      // Too many label sets: fold the rest into one series of "other" values.
      if (!overflow_) {
        auto s = std::make_unique<Series>();
        s->values.assign(labels_.size(), "other");
        overflow_ = s.get();
        owned_.push_back(std::move(s));
      }
      return overflow_->metric;
    }
    auto s = std::make_unique<Series>();
    s->key = key;
    for (auto v : values) s->values.emplace_back(v);
    Series* raw = s.get();
    owned_.push_back(std::move(s));
    slots_[free_slot].store(raw, std::memory_order_release);
    return raw->metric;
  }

  std::string name_, help_;
  std::vector<std::string> labels_;
  std::array<std::atomic<Series*>, kSlots> slots_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Series>> owned_;
  Series* overflow_ = nullptr;  // owned by owned_
};

template <class T>
void append_labels(std::string& out, const Family<T>& f, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (values.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (size_t i = 0; i < values.size() && i < f.labels().size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += f.labels()[i];
    out += "=\"";
    append_escaped(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

template <class T>
void append_header(std::string& out, const Family<T>& f, std::string_view type) {
  out += "# HELP " + f.name() + " " + f.help() + "\n";
  out += "# TYPE " + f.name() + " ";
  out += type;
  out += '\n';
}

void render_counters(std::string& out, const Family<Counter>& f) {
  append_header(out, f, "counter");
  for (const auto* s : f.snapshot()) {
    out += f.name();
    append_labels(out, f, s->values);
    out += ' ';
    out += std::to_string(s->metric.value.load(std::memory_order_relaxed));
    out += '\n';
  }
}

void render_histograms(std::string& out, const Family<Histogram>& f) {
  append_header(out, f, "histogram");
  for (const auto* s : f.snapshot()) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += s->metric.buckets[i].load(std::memory_order_relaxed);
      out += f.name() + "_bucket";
      append_labels(out, f, s->values, "le", i < kBuckets.size() ? fmt_double(kBuckets[i]) : "+Inf");
      out += ' ' + std::to_string(cumulative) + '\n';
    }
    out += f.name() + "_sum";
    append_labels(out, f, s->values);
    out += ' ' + fmt_double(s->metric.sum.load(std::memory_order_relaxed)) + '\n';
    out += f.name() + "_count";
    append_labels(out, f, s->values);
    out += ' ' + std::to_string(cumulative) + '\n';
  }
}

// ---- process metrics from /proc ----

struct ProcStat {
  double cpu_seconds = -1;
  double start_seconds = -1;  // since the Unix epoch
  double virtual_bytes = -1;
};

ProcStat read_proc_stat() {
  ProcStat ps;
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return ps;
  size_t paren = line.rfind(')');
  if (paren == std::string::npos) return ps;
  std::istringstream fields(line.substr(paren + 2));
  std::vector<std::string> f;
  std::string tok;
  while (fields >> tok) f.push_back(tok);
  // f[0] is field 3 (state); field N is f[N - 3].
  long ticks = sysconf(_SC_CLK_TCK);
  if (ticks <= 0 || f.size() < 21) return ps;
  ps.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(ticks);  // utime + stime
  ps.virtual_bytes = std::stod(f[20]);
  double start_ticks = std::stod(f[19]);
  std::ifstream st("/proc/stat");
  std::string key;
  while (st >> key) {
    if (key == "btime") {
      double btime = 0;
      st >> btime;
      ps.start_seconds = btime + start_ticks / static_cast<double>(ticks);
      break;
    }
    std::getline(st, line);
  }
  return ps;
}

double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  double size = 0, resident = 0;
  if (!(in >> size >> resident)) return -1;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double open_fds() {
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  double n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') n += 1;
  }
  closedir(d);
  return n - 1;  // the directory stream's own descriptor
}

void gauge(std::string& out, const char* name, const char* help, const char* type, double v) {
  if (v < 0) return;
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += ' ' + fmt_double(v) + '\n';
}

}  // namespace

struct Metrics::Impl {
  Family<Histogram> http_duration{"http_request_duration_seconds",
                                  "A histogram of duration for requests.", {"route", "code"}};
  Family<Counter> http_total{"http_requests_total", "Total number of HTTP requests by route and status code.",
                             {"route", "code"}};
  Family<Counter> decisions{"wartburg_decisions_total", "Decisions made, by kind and outcome.", {"kind", "outcome"}};
  Family<Histogram> eval{"wartburg_eval_duration_seconds", "A histogram of policy evaluation time.", {}};
  Family<Counter> admission_failures{"wartburg_admission_failures_total",
                                     "Admission reviews answered by the failure policy because evaluation failed.",
                                     {"policy"}};
  Family<Counter> reloads{"wartburg_reloads_total", "Policy and data reloads, by result.", {"result"}};
  Family<Counter> overloads{"wartburg_overload_rejections_total",
                            "Requests answered with the overload response because the evaluation queue was full.",
                            {"route"}};
  struct Callback {
    std::string name, help, type, labels;
    std::function<double()> read;
  };
  std::mutex callbacks_mu;
  std::vector<Callback> callbacks;
};

Metrics::Metrics() : impl_(new Impl) {}
Metrics::~Metrics() { delete impl_; }

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::string code = std::to_string(status);
  impl_->http_duration.get({route, code}).observe(seconds);
  impl_->http_total.get({route, code}).inc();
}

void Metrics::count_decision(const std::string& kind, const std::string& outcome) {
  impl_->decisions.get({kind, outcome}).inc();
}

void Metrics::observe_eval(double seconds) { impl_->eval.get({}).observe(seconds); }

void Metrics::count_admission_failure(const std::string& policy) { impl_->admission_failures.get({policy}).inc(); }

void Metrics::count_reload(bool ok) { impl_->reloads.get({ok ? "success" : "error"}).inc(); }

void Metrics::count_overload(const std::string& route) { impl_->overloads.get({route}).inc(); }

void Metrics::add_callback(const std::string& name, const std::string& help, const std::string& type,
                           const std::string& labels, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(impl_->callbacks_mu);
  impl_->callbacks.push_back(Impl::Callback{name, help, type, labels, std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(8192);
  render_histograms(out, impl_->http_duration);
  render_counters(out, impl_->http_total);
  render_counters(out, impl_->decisions);
  render_histograms(out, impl_->eval);
  render_counters(out, impl_->admission_failures);
  render_counters(out, impl_->reloads);
  render_counters(out, impl_->overloads);
  {
    std::lock_guard<std::mutex> lock(impl_->callbacks_mu);
    std::vector<const Impl::Callback*> sorted;
    for (const auto& c : impl_->callbacks) sorted.push_back(&c);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Impl::Callback* a, const Impl::Callback* b) { return a->name < b->name; });
    std::string last;
    for (const auto* c : sorted) {
      if (c->name != last) {
        out += "# HELP " + c->name + " " + c->help + "\n# TYPE " + c->name + " " + c->type + "\n";
        last = c->name;
      }
      double v = 0;
      try {
        v = c->read ? c->read() : 0;
      } catch (...) {
        continue;
      }
      out += c->name + c->labels + " " + fmt_double(v) + "\n";
    }
  }

  ProcStat ps = read_proc_stat();
  gauge(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
        ps.cpu_seconds);
  gauge(out, "process_open_fds", "Number of open file descriptors.", "gauge", open_fds());
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    gauge(out, "process_max_fds", "Maximum number of open file descriptors.", "gauge",
          static_cast<double>(rl.rlim_cur));
  }
  gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", resident_bytes());
  gauge(out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
        ps.start_seconds);
  gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", ps.virtual_bytes);
  return out;
}

Handler observed(Handler inner, Metrics* metrics, std::string route) {
  if (!metrics) return inner;
  return [inner = std::move(inner), metrics, route = std::move(route)](const Request& req) {
    auto t0 = std::chrono::steady_clock::now();
    Response r = inner(req);
    metrics->observe_request(route, r.status,
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return r;
  };
}

}  // namespace wartburg::sidecar
