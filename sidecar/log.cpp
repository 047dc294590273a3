// Logger implementation.
#include "sidecar/log.h"

#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>

#include "policy/value.h"

namespace wartburg::sidecar {

namespace {
std::mutex g_log_mu;

LogLevel parse_level(const std::string& s) {
  if (s == "debug") return LogLevel::Debug;
  if (s == "warn") return LogLevel::Warn;
  if (s == "error") return LogLevel::Error;
  return LogLevel::Info;
}

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "info";
}

std::string now_rfc3339() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
}  // namespace

Logger::Logger(const std::string& level, const std::string& format)
    : level_(parse_level(level)), json_(format != "text") {}

void Logger::log(LogLevel l, const std::string& msg,
                 std::initializer_list<std::pair<std::string, std::string>> fields) const {
  if (!enabled(l)) return;
  std::string line;
  if (json_) {
    ObjectBuilder o;
    o.add("level", Value::string(level_name(l)));
    o.add("msg", Value::string(msg));
    o.add("time", Value::string(now_rfc3339()));
    for (const auto& [k, v] : fields) o.add(k, Value::string(v));
    line = to_json(o.build());
  } else {
    line = now_rfc3339() + " " + level_name(l) + " " + msg;
    for (const auto& [k, v] : fields) line += " " + k + "=" + v;
  }
  std::lock_guard<std::mutex> lock(g_log_mu);
  std::cerr << line << "\n";
}

}  // namespace wartburg::sidecar
