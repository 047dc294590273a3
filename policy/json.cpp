// JSON text -> Value, using RapidJSON's SAX reader. Numbers are taken as raw
// text and built with Value::number_from_text so large integers stay exact.
// Duplicate object keys: the last one wins. Errors carry line and column.
#include "policy/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cctype>
#include <utility>
#include <vector>

namespace wartburg {
namespace {

// Builds Values from SAX events with an explicit stack (no recursion).
class Builder {
 public:
  struct Frame {
    bool is_object = false;
    std::vector<Value> items;                       // array elements
    std::vector<std::pair<Value, Value>> entries;   // object members
    Value key;                                      // pending object key
  };

  bool Null() { return put(Value::null()); }
  bool Bool(bool b) { return put(Value::boolean(b)); }
  bool Int(int i) { return put(Value::integer(i)); }
  bool Uint(unsigned u) { return put(Value::integer(u)); }
  bool Int64(int64_t i) { return put(Value::integer(i)); }
  bool Uint64(uint64_t u) { return put(Value::number_from_text(std::to_string(u))); }
  bool Double(double d) { return put(Value::number(d)); }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    Value v = Value::number_from_text(std::string_view(s, len));
    if (!v.defined()) return false;
    return put(std::move(v));
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    return put(Value::string(std::string(s, len)));
  }
  bool StartObject() {
    stack_.emplace_back();
    stack_.back().is_object = true;
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    stack_.back().key = Value::string(std::string(s, len));
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return put(Value::object(std::move(f.entries)));
  }
  bool StartArray() {
    stack_.emplace_back();
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return put(Value::array(std::move(f.items)));
  }

  Value take() { return std::move(result_); }

 private:
  bool put(Value v) {
    if (stack_.empty()) {
      result_ = std::move(v);
      return true;
    }
    Frame& f = stack_.back();
    if (f.is_object) {
      f.entries.emplace_back(std::move(f.key), std::move(v));
    } else {
      f.items.push_back(std::move(v));
    }
    return true;
  }

  std::vector<Frame> stack_;
  Value result_;
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
    std::string what = ok.Code() == rapidjson::kParseErrorTermination ? std::string("invalid number")
                                                                         : describe(ok.Code());
    throw ParseError("line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + what, line,
                     col);
  }
  return builder.take();
}

}  // namespace wartburg
