// Reporting for `wartburg test` (see test_command.h): the pretty text, JSON
// and coverage reports printed exactly as OPA's tester and cover packages
// print them (Go duration text, json.MarshalIndent layout, merged row ranges).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>

#include "cli/test_command.h"
#include "policy/value.h"

namespace wartburg::cli {

namespace {

const std::string kRule(80, '-');

// Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (and
// without the dot when it is zero); v is replaced by the integer part.
std::string frac(uint64_t& v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    int digit = static_cast<int>(v % 10);
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  return print ? "." + digits : "";
}

// Indents every line of `text` by `n` spaces (OPA's indentingWriter).
std::string indent_lines(const std::string& text, int n) {
  std::string out;
  bool at_start = true;
  for (char c : text) {
    if (at_start) out.append(static_cast<size_t>(n), ' ');
    out += c;
    at_start = c == '\n';
  }
  return out;
}

std::string trim_space(const std::string& s) {
  const char* ws = " \t\r\n\v\f";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += tbl[(n >> s) & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += tbl[(n >> 18) & 63];
    out += tbl[(n >> 12) & 63];
    out += i + 1 < in.size() ? tbl[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string quoted(const std::string& s) { return to_json(Value::string(s)); }

// Go's encoding of a float64 in JSON ('f' format, shortest round trip).
std::string go_float(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

// A tiny writer of indented JSON in json.MarshalIndent(v, "", "  ") layout.
class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}
  void open(char c) {
    item();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += c;
  }
  void key(const std::string& k) {
    item();
    out_ += quoted(k) + ": ";
    pending_value_ = true;
  }
  void raw(const std::string& text) {
    item();
    out_ += text;
  }

 private:
  void item() {
    if (pending_value_) {
      pending_value_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
  void newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string& out_;
  std::vector<bool> first_;
  bool pending_value_ = false;
};

void location_json(JsonOut& j, const std::string& file, int row, int col) {
  j.open('{');
  j.key("file");
  j.raw(quoted(file));
  j.key("row");
  j.raw(std::to_string(row));
  j.key("col");
  j.raw(std::to_string(col));
  j.close('}');
}

std::vector<std::pair<int, int>> ranges(const std::vector<int>& sorted_rows) {
  std::vector<std::pair<int, int>> out;
  for (int r : sorted_rows) {
    if (!out.empty() && (r == out.back().second || r == out.back().second + 1)) {
      out.back().second = r;
    } else {
      out.emplace_back(r, r);
    }
  }
  return out;
}

int lines_in(const std::vector<std::pair<int, int>>& rs) {
  int n = 0;
  for (const auto& [a, b] : rs) n += b - a + 1;
  return n;
}

void ranges_json(JsonOut& j, const std::string& key, const std::vector<std::pair<int, int>>& rs) {
  if (rs.empty()) return;
  j.key(key);
  j.open('[');
  for (const auto& [a, b] : rs) {
    j.open('{');
    j.key("start");
    j.open('{');
    j.key("row");
    j.raw(std::to_string(a));
    j.close('}');
    j.key("end");
    j.open('{');
    j.key("row");
    j.raw(std::to_string(b));
    j.close('}');
    j.close('}');
  }
  j.close(']');
}

}  // namespace

std::string go_duration(std::chrono::nanoseconds d) {
  int64_t n = d.count();
  bool neg = n < 0;
  uint64_t u = neg ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  std::string out;
  if (u < 1000000000ULL) {
    if (u == 0) return "0s";
    std::string unit;
    int prec;
    if (u < 1000ULL) {
      prec = 0;
      unit = "ns";
    } else if (u < 1000000ULL) {
      prec = 3;
      unit = "\xC2\xB5s";  // µs
    } else {
      prec = 6;
      unit = "ms";
    }
    std::string f = frac(u, prec);
    out = std::to_string(u) + f + unit;
  } else {
    std::string f = frac(u, 9);
    out = std::to_string(u % 60) + f + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string test_error_text(const ErrorInfo& e) {
  std::string msg = e.code.empty() ? e.message : e.code + ": " + e.message;
  if (!e.file.empty()) return e.file + ":" + std::to_string(e.row) + ": " + msg;
  return msg;
}

std::string result_line(const TestResult& r) {
  std::string head = r.package + "." + r.name + ": ";
  if (r.skip) return head + "SKIPPED";
  std::string outcome = r.pass() ? "PASS" : r.fail ? "FAIL" : "ERROR";
  return head + outcome + " (" + go_duration(r.duration) + ")";
}

void report_pretty(const std::vector<TestResult>& results, bool verbose, std::ostream& out) {
  int pass = 0, fail = 0, skip = 0, errs = 0;
  for (const auto& r : results) {
    if (r.skip) {
      ++skip;
    } else if (r.has_error) {
      ++errs;
    } else if (r.fail) {
      ++fail;
    } else {
      ++pass;
    }
  }
  // -v: the failures first, with where the failing test is (OPA shows its trace there).
  if (fail > 0 && verbose) {
    out << "FAILURES\n" << kRule << "\n";
    for (const auto& r : results) {
      if (!r.fail || r.skip || r.has_error) continue;
      out << result_line(r) << "\n\n";
      out << "  " << r.file << ":" << r.row << ":\n";
      for (const auto& [row, text] : r.failed_exprs) {
        std::string where = r.file + ":" + std::to_string(row);
        if (where.size() < 24) where.resize(24, ' ');
        out << "  " << where << "| Fail " << text << "\n";
      }
      out << "\n";
    }
    out << "SUMMARY\n" << kRule << "\n";
  }
  bool dirty = false;
  std::string last_file;
  for (const auto& r : results) {
    if (verbose || !r.pass()) {
      if (r.file != last_file) {
        if (!last_file.empty()) out << "\n";
        out << r.file << ":\n";
        last_file = r.file;
      }
      dirty = true;
      out << result_line(r) << "\n";
      std::string printed = trim_space(r.output);
      if (!r.output.empty()) out << "\n" << indent_lines(printed + "\n", 2) << "\n";
    }
    if (r.has_error) out << "  " << test_error_text(r.error) << "\n";
  }
  if (dirty) out << kRule << "\n";
  int total = pass + fail + skip + errs;
  auto line = [&](const char* label, int n) {
    if (n != 0) out << label << " " << n << "/" << total << "\n";
  };
  line("PASS:", pass);
  line("FAIL:", fail);
  line("SKIPPED:", skip);
  line("ERROR:", errs);
}

void report_json(const std::vector<TestResult>& results, std::ostream& out) {
  std::string text;
  JsonOut j(text);
  j.open('[');
  for (const auto& r : results) {
    j.open('{');
    j.key("location");
    location_json(j, r.file, r.row, r.col);
    j.key("package");
    j.raw(quoted(r.package));
    j.key("name");
    j.raw(quoted(r.name));
    if (r.fail) {
      j.key("fail");
      j.raw("true");
    }
    if (r.has_error) {
      j.key("error");
      j.open('{');
      j.key("code");
      j.raw(quoted(r.error.code));
      j.key("message");
      j.raw(quoted(r.error.message));
      if (!r.error.file.empty() || r.error.row > 0) {
        j.key("location");
        location_json(j, r.error.file, r.error.row, r.error.col);
      }
      j.close('}');
    }
    if (r.skip) {
      j.key("skip");
      j.raw("true");
    }
    j.key("duration");
    j.raw(std::to_string(r.duration.count()));
    if (!r.output.empty()) {
      j.key("output");
      j.raw(quoted(base64(r.output)));
    }
    j.close('}');
  }
  j.close(']');
  out << text << "\n";
}

CoverageReport make_coverage_report(const SourceLines& hits, const SourceLines& coverable,
                                    const std::vector<std::string>& module_files) {
  std::map<std::string, std::vector<int>> covered, not_covered;
  std::set<std::string> files(module_files.begin(), module_files.end());
  for (const auto& [file, row] : hits) {
    if (file.empty()) continue;
    covered[file].push_back(row);
    files.insert(file);
  }
  for (const auto& line : coverable) {
    if (line.first.empty() || hits.count(line)) continue;
    not_covered[line.first].push_back(line.second);
    files.insert(line.first);
  }
  CoverageReport report;
  for (const auto& file : files) {
    CoverageReport::File fr;
    fr.covered = ranges(covered[file]);  // rows of a std::set: already sorted
    fr.not_covered = ranges(not_covered[file]);
    fr.covered_lines = lines_in(fr.covered);
    fr.not_covered_lines = lines_in(fr.not_covered);
    int total = fr.covered_lines + fr.not_covered_lines;
    fr.coverage = total == 0 ? 0.0 : 100.0 * fr.covered_lines / total;
    report.covered_lines += fr.covered_lines;
    report.not_covered_lines += fr.not_covered_lines;
    report.files.emplace_back(file, std::move(fr));
  }
  int total = report.covered_lines + report.not_covered_lines;
  report.coverage = total == 0 ? 0.0 : 100.0 * report.covered_lines / total;
  return report;
}

std::string coverage_json(const CoverageReport& report) {
  std::string text;
  JsonOut j(text);
  j.open('{');
  j.key("files");
  j.open('{');
  for (const auto& [file, fr] : report.files) {
    j.key(file);
    j.open('{');
    ranges_json(j, "covered", fr.covered);
    ranges_json(j, "not_covered", fr.not_covered);
    if (fr.covered_lines) {
      j.key("covered_lines");
      j.raw(std::to_string(fr.covered_lines));
    }
    if (fr.not_covered_lines) {
      j.key("not_covered_lines");
      j.raw(std::to_string(fr.not_covered_lines));
    }
    if (fr.coverage != 0) {
      j.key("coverage");
      j.raw(go_float(fr.coverage));
    }
    j.close('}');
  }
  j.close('}');
  j.key("covered_lines");
  j.raw(std::to_string(report.covered_lines));
  j.key("not_covered_lines");
  j.raw(std::to_string(report.not_covered_lines));
  j.key("coverage");
  j.raw(go_float(report.coverage));
  j.close('}');
  return text + "\n";
}

std::string threshold_error(const CoverageReport& report, double threshold, bool verbose) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "Code coverage threshold not met: got %.2f instead of %.2f", report.coverage,
                threshold);
  std::string out = buf;
  if (verbose && !report.files.empty()) {
    out += "\nLines not covered:";
    for (const auto& [file, fr] : report.files) {
      for (const auto& [a, b] : fr.not_covered) {
        out += "\n\t" + file + ":" + std::to_string(a);
        if (b != a) out += "-" + std::to_string(b);
      }
    }
  }
  return out;
}

}  // namespace wartburg::cli
