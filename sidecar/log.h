// Process log of the server: one line per event, JSON (as OPA's default) or
// text, filtered by level. Thread-safe; writes to stderr.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

namespace wartburg::sidecar {

enum class LogLevel { Debug, Info, Warn, Error };

class Logger {
 public:
  Logger(const std::string& level, const std::string& format);
  bool enabled(LogLevel l) const { return l >= level_; }
  // fields: extra key/value pairs (values are strings)
  void log(LogLevel l, const std::string& msg,
           std::initializer_list<std::pair<std::string, std::string>> fields = {}) const;
  void info(const std::string& msg, std::initializer_list<std::pair<std::string, std::string>> f = {}) const {
    log(LogLevel::Info, msg, f);
  }
  void warn(const std::string& msg, std::initializer_list<std::pair<std::string, std::string>> f = {}) const {
    log(LogLevel::Warn, msg, f);
  }
  void error(const std::string& msg, std::initializer_list<std::pair<std::string, std::string>> f = {}) const {
    log(LogLevel::Error, msg, f);
  }

 private:
  LogLevel level_;
  bool json_;
};

}  // namespace wartburg::sidecar
