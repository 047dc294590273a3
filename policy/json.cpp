// JSON text -> Value, using RapidJSON's SAX reader. Numbers are taken as raw
// text and built with Value::number_from_text so large integers stay exact.
// Duplicate object keys: the last one wins. Errors carry line and column.
#include "policy/json.h"

#include "policy/number.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cctype>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

namespace wartburg {
namespace {

// Builds Values from SAX events with an explicit stack (no recursion).
class Builder {
 public:
  bool Null() { return put(Value::null()); }
  bool Bool(bool b) { return put(Value::boolean(b)); }
  bool Int(int i) { return put(Value::integer(i)); }
  bool Uint(unsigned u) { return put(Value::integer(u)); }
  bool Int64(int64_t i) { return put(Value::integer(i)); }
  bool Uint64(uint64_t u) { return put(Value::number_from_text(std::to_string(u))); }
  bool Double(double d) { return put(Value::number(d)); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    Value v = Value::number_from_text(std::string_view(s, len));
    if (!v.defined()) {
      bad_number_ = len > num::kMaxDigits ? "number has more than " + std::to_string(num::kMaxDigits) + " digits"
                                          : std::string("invalid number");
      return false;
    }
    return put(std::move(v));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) { return put(Value::string(std::string_view(s, len))); }
  bool StartObject() {
    if (frames_.size() >= kMaxDepth) return false;
    frames_.push_back(Frame{true, entries_.size()});
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    entries_.emplace_back(Value::string(std::string_view(s, len)), Value());
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    size_t from = frames_.back().start;
    frames_.pop_back();
    std::vector<std::pair<Value, Value>> members(std::make_move_iterator(entries_.begin() + static_cast<std::ptrdiff_t>(from)),
                                                 std::make_move_iterator(entries_.end()));
    entries_.resize(from);
    return put(Value::object(std::move(members)));
  }
  bool StartArray() {
    if (frames_.size() >= kMaxDepth) return false;
    frames_.push_back(Frame{false, items_.size()});
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    size_t from = frames_.back().start;
    frames_.pop_back();
    std::vector<Value> elems(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(from)),
                             std::make_move_iterator(items_.end()));
    items_.resize(from);
    return put(Value::array(std::move(elems)));
  }

  Value take() { return std::move(result_); }
  const std::string& bad_number() const { return bad_number_; }
  bool too_deep() const { return frames_.size() >= kMaxDepth; }

  // Deeper documents are rejected (as Go's encoding/json does past 10000 levels):
  // values are released and walked recursively.
  static constexpr size_t kMaxDepth = 10000;

 private:
  // Open containers share two scratch stacks; each frame remembers where its members start,
  // so a container's members are allocated once, at their final size.
  struct Frame {
    bool is_object;
    size_t start;
  };

  bool put(Value v) {
    if (frames_.empty()) {
      result_ = std::move(v);
    } else if (frames_.back().is_object) {
      entries_.back().second = std::move(v);
    } else {
      items_.push_back(std::move(v));
    }
    return true;
  }

  std::vector<Frame> frames_;
  std::vector<std::pair<Value, Value>> entries_;
  std::vector<Value> items_;
  Value result_;
  std::string bad_number_;
};

// "Missing a comma or '}' after an object member." -> "missing a comma or '}' after an object member"
std::string describe(rapidjson::ParseErrorCode code) {
  std::string m = rapidjson::GetParseError_En(code);
  if (!m.empty() && m.back() == '.') m.pop_back();
  if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
  return m;
}

}  // namespace

Value parse_json(std::string_view text) {
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseFullPrecisionFlag;
  rapidjson::MemoryStream ms(text.data(), text.size());
  rapidjson::Reader reader;
  Builder builder;
  rapidjson::ParseResult ok = reader.Parse<kFlags>(ms, builder);
  if (!ok && ok.Code() == rapidjson::kParseErrorNumberTooBig) {
    // A number beyond float64's exponent range (1e400): RapidJSON stops, OPA
    // keeps it as an arbitrary-precision number. JSON is YAML, and the YAML
    // reader keeps such numbers exactly; this rare path is slower, the common one unchanged.
    try {
      return parse_yaml(text);
    } catch (const ParseError&) {
      // not YAML-readable either: report RapidJSON's error below
    }
  }
  if (!ok) {
    size_t off = std::min(ok.Offset(), text.size());
    int line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
      if (text[i] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    size_t digits = 0;
    for (size_t i = off; i < text.size() && digits <= static_cast<size_t>(num::kMaxDigits); ++i) {
      if (text[i] >= '0' && text[i] <= '9') ++digits;
      else if (text[i] != '-' && text[i] != '+' && text[i] != '.' && text[i] != 'e' && text[i] != 'E') break;
    }
    std::string what = ok.Code() == rapidjson::kParseErrorNumberTooBig && digits > static_cast<size_t>(num::kMaxDigits)
                           ? "number has more than " + std::to_string(num::kMaxDigits) + " digits"
                       : ok.Code() != rapidjson::kParseErrorTermination ? describe(ok.Code())
                       : builder.too_deep() ? "exceeded max depth of " + std::to_string(Builder::kMaxDepth)
                                            : builder.bad_number();
    throw ParseError("line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + what, line,
                     col);
  }
  return builder.take();
}

}  // namespace wartburg
