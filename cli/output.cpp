// Output formats of `wartburg eval` (see output.h). JSON documents follow
// Go's json.Encoder with a 2-space indent, field order as OPA declares it.
#include "cli/output.h"

#include <algorithm>
#include <map>

namespace wartburg::cli {

namespace {

constexpr int kIndent = 2;
constexpr size_t kPrettyLimit = 80;  // opa eval --pretty-limit default

// Writes one JSON document with ordered keys, in Go's indented style.
class JsonWriter {
 public:
  void begin(char open) {
    element();
    out_.push_back(open);
    counts_.push_back(0);
  }
  void end(char close) {
    bool empty = counts_.back() == 0;
    counts_.pop_back();
    if (!empty) newline();
    out_.push_back(close);
  }
  void key(const std::string& k) {
    element();
    out_ += to_json(Value::string(k));
    out_ += ": ";
    pending_key_ = true;
  }
  void value(const Value& v) {
    element();
    out_ += indented_json(v, static_cast<int>(counts_.size()));
  }
  void string(const std::string& s) { value(Value::string(s)); }
  void integer(int64_t i) { value(Value::integer(i)); }
  std::string finish() { return out_ + "\n"; }

 private:
  // Separator and indentation before an element (not after a key).
  void element() {
    if (pending_key_) {
      pending_key_ = false;
      return;
    }
    if (counts_.empty()) return;
    if (counts_.back()++ > 0) out_.push_back(',');
    newline();
  }
  void newline() {
    out_.push_back('\n');
    out_.append(counts_.size() * kIndent, ' ');
  }

  std::string out_;
  std::vector<size_t> counts_;
  bool pending_key_ = false;
};

std::vector<std::pair<std::string, Value>> sorted_bindings(const QueryRow& row) {
  auto b = row.bindings;
  std::stable_sort(b.begin(), b.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return b;
}

void write_expression(JsonWriter& w, const ExpressionValue& e) {
  w.begin('{');
  w.key("value");
  w.value(e.value);
  w.key("text");
  w.string(e.text);
  w.key("location");
  w.begin('{');
  w.key("row");
  w.integer(e.row);
  w.key("col");
  w.integer(e.col);
  w.end('}');
  w.end('}');
}

void write_row(JsonWriter& w, const QueryRow& row) {
  w.begin('{');
  w.key("expressions");
  w.begin('[');
  for (const auto& e : row.expressions) write_expression(w, e);
  w.end(']');
  if (!row.bindings.empty()) {
    w.key("bindings");
    w.begin('{');
    for (const auto& [name, v] : sorted_bindings(row)) {
      w.key(name);
      w.value(v);
    }
    w.end('}');
  }
  w.end('}');
}

void write_error(JsonWriter& w, const ErrorInfo& e) {
  w.begin('{');
  w.key("message");
  w.string(e.message);
  if (!e.code.empty()) {
    w.key("code");
    w.string(e.code);
  }
  if (e.row > 0 || !e.file.empty()) {
    w.key("location");
    w.begin('{');
    w.key("file");
    w.string(e.file);
    w.key("row");
    w.integer(e.row);
    w.key("col");
    w.integer(e.col);
    w.end('}');
  }
  w.end('}');
}

void write_errors(JsonWriter& w, const std::vector<ErrorInfo>& errors) {
  w.key("errors");
  w.begin('[');
  for (const auto& e : errors) write_error(w, e);
  w.end(']');
}

void print_json(const EvalOutcome& o, std::ostream& out) {
  JsonWriter w;
  w.begin('{');
  if (!o.errors.empty()) {
    write_errors(w, o.errors);
  } else if (!o.rows.empty()) {
    w.key("result");
    w.begin('[');
    for (const auto& row : o.rows) write_row(w, row);
    w.end(']');
  }
  w.end('}');
  out << w.finish();
}

void print_discard(const EvalOutcome& o, std::ostream& out) {
  JsonWriter w;
  w.begin('{');
  if (!o.errors.empty()) write_errors(w, o.errors);
  if (!o.rows.empty()) {
    w.key("result");
    w.string("discarded");
  }
  w.end('}');
  out << w.finish();
}

Value expression_values(const QueryRow& row) {
  std::vector<Value> vals;
  for (const auto& e : row.expressions) vals.push_back(e.value);
  return Value::array(std::move(vals));
}

Value bindings_object(const QueryRow& row) {
  ObjectBuilder b;
  for (const auto& [name, v] : row.bindings) b.add(name, v);
  return b.build();
}

void print_raw(const EvalOutcome& o, std::ostream& out) {
  for (const auto& row : o.rows) {
    for (size_t i = 0; i < row.expressions.size(); ++i) {
      const Value& v = row.expressions[i].value;
      out << (v.is_string() ? v.str() : to_json(v));
      out << (i + 1 < row.expressions.size() ? " " : "\n");
    }
  }
}

// ---- pretty: a single value as JSON, otherwise a table ----

struct Column {
  std::string header;
  std::string var;  // binding name, or empty for an expression column
  size_t expr = 0;
};

std::vector<Column> table_columns(const QueryRow& first) {
  std::vector<Column> cols;
  for (const auto& [name, v] : sorted_bindings(first)) cols.push_back({name, name, 0});
  for (size_t i = 0; i < first.expressions.size(); ++i) {
    if (!first.expressions[i].value.is_bool() || first.bindings.empty()) {
      cols.push_back({first.expressions[i].text, "", i});
    }
  }
  return cols;
}

std::string cell_text(const Column& c, const QueryRow& row) {
  Value v;
  if (c.var.empty()) {
    if (c.expr < row.expressions.size()) v = row.expressions[c.expr].value;
  } else {
    for (const auto& [name, b] : row.bindings) {
      if (name == c.var) v = b;
    }
  }
  std::string s = v.defined() ? to_json(v) : "null";
  if (s.size() > kPrettyLimit) s = s.substr(0, kPrettyLimit) + "...";
  return s;
}

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t width, bool center) {
  size_t gap = width - display_width(s);
  size_t left = center ? gap / 2 : 0;
  return std::string(left, ' ') + s + std::string(gap - left, ' ');
}

void print_table_line(std::ostream& out, const std::vector<size_t>& widths) {
  for (size_t w : widths) out << '+' << std::string(w + 2, '-');
  out << "+\n";
}

void print_table_row(std::ostream& out, const std::vector<std::string>& cells, const std::vector<size_t>& widths,
                     bool center) {
  for (size_t i = 0; i < cells.size(); ++i) out << "| " << pad(cells[i], widths[i], center) << ' ';
  out << "|\n";
}

void print_table(const std::vector<QueryRow>& rows, std::ostream& out) {
  auto cols = table_columns(rows.front());
  std::vector<std::string> header;
  std::vector<size_t> widths;
  for (const auto& c : cols) {
    header.push_back(c.header);
    widths.push_back(display_width(c.header));
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < cols.size(); ++i) {
      line.push_back(cell_text(cols[i], row));
      widths[i] = std::max(widths[i], display_width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  print_table_line(out, widths);
  print_table_row(out, header, widths, true);
  print_table_line(out, widths);
  for (const auto& line : cells) print_table_row(out, line, widths, false);
  print_table_line(out, widths);
}

bool single_value(const std::vector<QueryRow>& rows) {
  if (rows.size() != 1 || !rows[0].bindings.empty() || rows[0].expressions.empty()) return false;
  const auto& ex = rows[0].expressions;
  return ex.size() == 1 || std::all_of(ex.begin(), ex.end(), [](const auto& e) { return e.value.is_bool(); });
}

void print_pretty(const EvalOutcome& o, std::ostream& out) {
  if (o.rows.empty()) {
    out << "undefined\n";
  } else if (single_value(o.rows)) {
    out << to_json(o.rows[0].expressions[0].value, kIndent) << "\n";
  } else {
    print_table(o.rows, out);
  }
}

std::string error_line(const ErrorInfo& e) {
  std::string prefix;
  if (!e.file.empty()) {
    // file:row:col, so an editor can jump to the place (OPA prints file:row)
    prefix = e.file + ":" + std::to_string(e.row);
    if (e.row > 0) prefix += ":" + std::to_string(e.col);
  } else if (e.row > 0) {
    prefix = std::to_string(e.row) + ":" + std::to_string(e.col);
  }
  std::string msg = e.code.empty() ? e.message : e.code + ": " + e.message;
  return prefix.empty() ? msg : prefix + ": " + msg;
}

}  // namespace

bool parse_output_format(const std::string& name, OutputFormat& out) {
  static const std::map<std::string, OutputFormat> names = {
      {"json", OutputFormat::Json},     {"values", OutputFormat::Values}, {"bindings", OutputFormat::Bindings},
      {"pretty", OutputFormat::Pretty}, {"raw", OutputFormat::Raw},       {"discard", OutputFormat::Discard}};
  auto it = names.find(name);
  if (it == names.end()) return false;
  out = it->second;
  return true;
}

std::string indented_json(const Value& v, int depth) {
  std::string text = to_json(v, kIndent);
  std::string prefix(static_cast<size_t>(depth * kIndent), ' ');
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += prefix;  // strings never hold a raw newline
  }
  return out;
}

std::string errors_text(const std::vector<ErrorInfo>& errors) {
  std::string out = errors.size() == 1 ? "1 error occurred: "
                                       : std::to_string(errors.size()) + " errors occurred:\n";
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i) out += "\n";
    out += error_line(errors[i]);
  }
  return out;
}

void print_outcome(const EvalOutcome& o, OutputFormat format, std::ostream& out, std::ostream& err) {
  if (format == OutputFormat::Json) return print_json(o, out);
  if (format == OutputFormat::Discard) return print_discard(o, out);
  if (!o.errors.empty()) {
    err << errors_text(o.errors) << "\n";
    return;
  }
  switch (format) {
    case OutputFormat::Values:
      for (const auto& row : o.rows) out << to_json(expression_values(row), kIndent) << "\n";
      break;
    case OutputFormat::Bindings:
      for (const auto& row : o.rows) out << to_json(bindings_object(row), kIndent) << "\n";
      break;
    case OutputFormat::Raw: print_raw(o, out); break;
    case OutputFormat::Pretty: print_pretty(o, out); break;
    default: break;
  }
}

}  // namespace wartburg::cli
