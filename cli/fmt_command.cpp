// `wartburg fmt`: formats Rego files with lang/formatter.h. Paths may be files
// or directories (searched recursively for *.rego); no path formats stdin to
// stdout. Exit status: 0, 1 on usage/read/parse errors (file:row:col), 2 with
// --fail when a file would change.
#include "cli/fmt_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "lang/formatter.h"
#include "policy/error.h"
#include "policy/loader.h"

namespace wartburg::cli {

std::string fmt_usage() {
  return "Format Rego source files.\n\n"
         "The 'fmt' command takes Rego source files (or directories, searched for\n"
         "*.rego files) and outputs them in the canonical Rego v1 format. Without a\n"
         "path, the source is read from stdin and the result written to stdout.\n\n"
         "Usage:\n  wartburg fmt [path [...]] [flags]\n\n"
         "Flags:\n"
         "  -d, --diff            only display a diff of the changes\n"
         "      --fail            non zero exit code (2) on reformat\n"
         "  -l, --list            list all files who would change when formatted\n"
         "      --v0-compatible   Rego v0 input, formatted as Rego v0 (as opa fmt --v0-compatible)\n"
         "      --v0-v1           format Rego v0 input to be compatible with both Rego v0 and v1\n"
         "                        (if/contains, import rego.v1; with --v1-compatible: v1 input)\n"
         "      --v1-compatible   Rego v1 input (the default)\n"
         "      --drop-v0-imports drop import rego.v1 and future.keywords imports (v1 output)\n"
         "      --check-result    check that the result parses (default true; =false to skip)\n"
         "  -w, --write           overwrite the original source file\n"
         "  -h, --help            help for fmt\n";
}

namespace {

struct FmtFlags {
  bool write = false, list = false, diff = false, fail = false, v0 = false, v0v1 = false, v1 = false;
  bool drop_v0_imports = false, check_result = true;
  std::vector<std::string> paths;
};

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Reads a source file, at most kDefaultMaxFileBytes (pipes and devices too);
// on failure writes the error and returns false.
bool read_source(const std::string& path, std::string& out, std::ostream& err) {
  try {
    out = wartburg::read_file(path, kDefaultMaxFileBytes);
    return true;
  } catch (const Error& e) {
    err << "error: " << (e.errors.empty() ? "failed to open file: " + path : e.errors.front().message) << "\n";
    return false;
  }
}

// Reads stdin up to `limit` bytes; false when there is more.
bool read_stream(std::istream& in, std::string& out, size_t limit) {
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    size_t n = static_cast<size_t>(in.gcount());
    if (n > limit - out.size()) return false;
    out.append(buf, n);
  }
  return true;
}

// Formats one source; on a parse error prints it and returns false.
bool format_one(const std::string& name, const std::string& src, const FmtFlags& f, std::string& out,
                std::ostream& err) {
  try {
    // as opa fmt: --v0-v1 takes precedence over --v0-compatible for the
    // output; the input is v0 with either, unless --v1-compatible without
    // --v0-compatible
    lang::FormatOptions o;
    o.output = f.v0v1 ? lang::FormatOutput::V0V1 : f.v0 ? lang::FormatOutput::V0 : lang::FormatOutput::V1;
    o.v0 = f.v0 || (f.v0v1 && !f.v1);
    o.drop_v0_imports = f.drop_v0_imports;
    o.check_result = f.check_result;
    out = lang::format_source(name, src, o);
    return true;
  } catch (const Error& e) {
    for (const auto& i : e.errors) err << i.to_string() << "\n";
    return false;
  }
}

}  // namespace

std::string unified_diff(const std::string& a, const std::string& b, const std::string& a_name,
                         const std::string& b_name) {
  if (a == b) return "";
  std::vector<std::string> x = split_lines(a), y = split_lines(b);
  // common prefix and suffix, then an LCS table over the middle
  size_t pre = 0;
  while (pre < x.size() && pre < y.size() && x[pre] == y[pre]) ++pre;
  size_t suf = 0;
  while (suf < x.size() - pre && suf < y.size() - pre && x[x.size() - 1 - suf] == y[y.size() - 1 - suf]) ++suf;
  size_t n = x.size() - pre - suf, m = y.size() - pre - suf;
  // the LCS table is n*m: beyond kMaxDiffCells (huge files, all lines changed)
  // the middle is shown as removed then added, a valid if not minimal diff
  constexpr size_t kMaxDiffCells = size_t{1} << 24;
  bool exact = n == 0 || m <= kMaxDiffCells / n;
  std::vector<std::vector<uint32_t>> lcs(exact ? n + 1 : 0, std::vector<uint32_t>(exact ? m + 1 : 0, 0));
  for (size_t i = exact ? n : 0; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = x[pre + i] == y[pre + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  // edit script: ' ', '-', '+' with line indices
  struct Op {
    char kind;
    size_t ai, bi;  // line index in a / b (the one that applies)
  };
  std::vector<Op> ops;
  for (size_t i = 0; i < pre; ++i) ops.push_back({' ', i, i});
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (exact && i < n && j < m && x[pre + i] == y[pre + j]) {
      ops.push_back({' ', pre + i, pre + j});
      ++i, ++j;
    } else if (i < n && (j == m || !exact || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push_back({'-', pre + i, pre + j});
      ++i;
    } else {
      ops.push_back({'+', pre + i, pre + j});
      ++j;
    }
  }
  for (size_t k = 0; k < suf; ++k) ops.push_back({' ', pre + n + k, pre + m + k});
  // hunks with 3 lines of context
  std::ostringstream out;
  out << "--- " << a_name << "\n+++ " << b_name << "\n";
  const size_t ctx = 3;
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k == ops.size()) break;
    size_t start = k >= ctx ? k - ctx : 0;
    size_t end = k;  // one past the last change of the hunk
    while (end < ops.size()) {
      size_t next = end;
      while (next < ops.size() && ops[next].kind != ' ') ++next;
      size_t eq = next;
      while (eq < ops.size() && ops[eq].kind == ' ') ++eq;
      end = next;
      if (eq == ops.size() || eq - next > 2 * ctx) break;
      end = eq;
    }
    size_t stop = std::min(ops.size(), end + ctx);
    size_t a_start = ops[start].ai, b_start = ops[start].bi, a_len = 0, b_len = 0;
    for (size_t q = start; q < stop; ++q) {
      if (ops[q].kind != '+') ++a_len;
      if (ops[q].kind != '-') ++b_len;
    }
    out << "@@ -" << (a_len ? a_start + 1 : a_start) << "," << a_len << " +" << (b_len ? b_start + 1 : b_start) << ","
        << b_len << " @@\n";
    for (size_t q = start; q < stop; ++q) {
      const std::string& line = ops[q].kind == '+' ? y[ops[q].bi] : x[ops[q].ai];
      out << ops[q].kind << line << "\n";
    }
    k = stop;
  }
  return out.str();
}

int run_fmt(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  FmtFlags f;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      out << fmt_usage();
      return 0;
    } else if (a == "-w" || a == "--write") {
      f.write = true;
    } else if (a == "-l" || a == "--list") {
      f.list = true;
    } else if (a == "-d" || a == "--diff") {
      f.diff = true;
    } else if (a == "--fail") {
      f.fail = true;
    } else if (a == "--v0-compatible") {
      f.v0 = true;
    } else if (a == "--v0-v1" || a == "--rego-v1") {  // --rego-v1: its name before OPA 1.0
      f.v0v1 = true;
    } else if (a == "--v1-compatible") {
      f.v1 = true;
    } else if (a == "--drop-v0-imports") {
      f.drop_v0_imports = true;
    } else if (a == "--check-result" || a == "--check-result=true") {
      f.check_result = true;
    } else if (a == "--check-result=false") {
      f.check_result = false;
    } else if (a.size() > 1 && a[0] == '-') {
      err << "Error: unknown flag: " << a << "\nRun 'wartburg fmt --help' for usage.\n";
      return 1;
    } else {
      f.paths.push_back(a);
    }
  }

  if (f.paths.empty()) {
    std::string src;
    if (!read_stream(in, src, kDefaultMaxFileBytes)) {
      err << "error: stdin: input is larger than the limit of " << kDefaultMaxFileBytes << " bytes\n";
      return 1;
    }
    std::string formatted;
    if (!format_one("stdin", src, f, formatted, err)) return 1;
    out << formatted;
    return 0;
  }

  // expand directories into their .rego files (sorted, for a stable order)
  std::vector<std::string> files;
  for (const auto& p : f.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rego") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(p, ec)) {
      files.push_back(p);
    } else {
      err << "error: " << p << ": no such file or directory\n";
      return 1;
    }
  }

  bool changed_any = false;
  for (const auto& file : files) {
    std::string src, formatted;
    if (!read_source(file, src, err)) return 1;
    if (!format_one(file, src, f, formatted, err)) return 1;
    bool changed = formatted != src;
    changed_any |= changed;
    if (f.list) {
      if (changed) out << file << "\n";
      continue;
    }
    if (f.diff) {
      if (changed) out << unified_diff(src, formatted, file + " (original)", file + " (formatted)");
      continue;
    }
    if (f.write) {
      if (changed) {
        std::ofstream o(file, std::ios::binary | std::ios::trunc);
        o << formatted;
        if (!o) {
          err << "error: failed to write " << file << "\n";
          return 1;
        }
      }
      continue;
    }
    out << formatted;
  }
  if (f.fail && changed_any) {
    if (!f.list && !f.diff) err << "unexpected diff\n";
    return 2;
  }
  return 0;
}

}  // namespace wartburg::cli
