// JSON text -> Value, using RapidJSON's SAX reader. Numbers are taken as raw
// text and built with Value::number_from_text so large integers stay exact.
// Duplicate object keys: the last one wins. Errors carry line and column.
#include "policy/json.h"

#include "policy/number.h"
#include "policy/utf8.h"

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
      // the reader checked the syntax: a number is refused only for its size
      // (more digits than num::kMaxDigits, written out or through its exponent)
      bad_number_ = "number has more than " + std::to_string(num::kMaxDigits) + " digits";
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

// A strict JSON reader for the documents RapidJSON refuses only because a
// number is beyond float64's range (1e400, 310-digit integers): it emits the
// same events into the same Builder, iteratively, with RapidJSON's error codes.
// (It used to fall back to the YAML reader, which accepted YAML syntax.)
class ExactReader {
 public:
  explicit ExactReader(std::string_view t) : t_(t) {}

  rapidjson::ParseResult parse(Builder& b) {
    using E = rapidjson::ParseErrorCode;
    ws();
    if (i_ >= t_.size()) return {rapidjson::kParseErrorDocumentEmpty, i_};
    // open containers: true = object
    std::vector<bool> open;
    bool expect_value = true;
    while (true) {
      if (expect_value) {
        E e = value(b, open);
        if (e != rapidjson::kParseErrorNone) return {e, err_at_};
        if (!open.empty() && just_opened_) {  // '[' or '{' just consumed: maybe empty
          just_opened_ = false;
          ws();
          bool obj = open.back();
          if (i_ < t_.size() && t_[i_] == (obj ? '}' : ']')) {
            ++i_;
            open.pop_back();
            if (!(obj ? b.EndObject(0) : b.EndArray(0))) return {rapidjson::kParseErrorTermination, i_};
          } else {
            if (obj) {
              E k = key(b);
              if (k != rapidjson::kParseErrorNone) return {k, err_at_};
            }
            continue;  // the first member's value
          }
        }
      }
      // after a value: ',' or the closing bracket, or the end of the document
      ws();
      if (open.empty()) {
        if (i_ < t_.size()) return {rapidjson::kParseErrorDocumentRootNotSingular, i_};
        return {rapidjson::kParseErrorNone, i_};
      }
      bool obj = open.back();
      if (i_ < t_.size() && t_[i_] == ',') {
        ++i_;
        ws();
        if (obj) {
          E k = key(b);
          if (k != rapidjson::kParseErrorNone) return {k, err_at_};
        }
        expect_value = true;
        continue;
      }
      if (i_ < t_.size() && t_[i_] == (obj ? '}' : ']')) {
        ++i_;
        open.pop_back();
        if (!(obj ? b.EndObject(0) : b.EndArray(0))) return {rapidjson::kParseErrorTermination, i_};
        expect_value = false;
        continue;
      }
      return {obj ? rapidjson::kParseErrorObjectMissCommaOrCurlyBracket
                  : rapidjson::kParseErrorArrayMissCommaOrSquareBracket,
              i_};
    }
  }

 private:
  void ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  rapidjson::ParseErrorCode fail(rapidjson::ParseErrorCode e, size_t at) {
    err_at_ = at;
    return e;
  }

  // "name": (the member's value follows)
  rapidjson::ParseErrorCode key(Builder& b) {
    ws();
    if (i_ >= t_.size() || t_[i_] != '"') return fail(rapidjson::kParseErrorObjectMissName, i_);
    std::string k;
    if (auto e = string(k); e != rapidjson::kParseErrorNone) return e;
    b.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()), true);
    ws();
    if (i_ >= t_.size() || t_[i_] != ':') return fail(rapidjson::kParseErrorObjectMissColon, i_);
    ++i_;
    return rapidjson::kParseErrorNone;
  }

  rapidjson::ParseErrorCode value(Builder& b, std::vector<bool>& open) {
    ws();
    if (i_ >= t_.size()) return fail(rapidjson::kParseErrorValueInvalid, i_);
    char c = t_[i_];
    auto word = [&](std::string_view w) { return t_.substr(i_, w.size()) == w; };
    bool ok = true;
    if (c == '{' || c == '[') {
      ++i_;
      open.push_back(c == '{');
      just_opened_ = true;
      ok = c == '{' ? b.StartObject() : b.StartArray();
    } else if (c == '"') {
      std::string v;
      if (auto e = string(v); e != rapidjson::kParseErrorNone) return e;
      ok = b.String(v.data(), static_cast<rapidjson::SizeType>(v.size()), true);
    } else if (word("true")) {
      i_ += 4;
      ok = b.Bool(true);
    } else if (word("false")) {
      i_ += 5;
      ok = b.Bool(false);
    } else if (word("null")) {
      i_ += 4;
      ok = b.Null();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = i_;
      if (auto e = number(); e != rapidjson::kParseErrorNone) return e;
      if (!b.RawNumber(t_.data() + start, static_cast<rapidjson::SizeType>(i_ - start), false)) {
        return fail(rapidjson::kParseErrorTermination, start);
      }
    } else {
      return fail(rapidjson::kParseErrorValueInvalid, i_);
    }
    return ok ? rapidjson::kParseErrorNone : fail(rapidjson::kParseErrorTermination, i_);
  }

  rapidjson::ParseErrorCode number() {
    size_t start = i_;
    auto digits = [&] {
      size_t from = i_;
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
      return i_ > from;
    };
    if (t_[i_] == '-') ++i_;
    if (i_ < t_.size() && t_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return fail(rapidjson::kParseErrorValueInvalid, start);
    }
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (!digits()) return fail(rapidjson::kParseErrorNumberMissFraction, i_);
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (!digits()) return fail(rapidjson::kParseErrorNumberMissExponent, i_);
    }
    return rapidjson::kParseErrorNone;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(unsigned& out) {
    if (i_ + 4 > t_.size()) return false;
    out = 0;
    for (int k = 0; k < 4; ++k) {
      int h = hex(t_[i_ + static_cast<size_t>(k)]);
      if (h < 0) return false;
      out = out * 16 + static_cast<unsigned>(h);
    }
    i_ += 4;
    return true;
  }


  rapidjson::ParseErrorCode string(std::string& out) {
    size_t start = i_;
    ++i_;  // '"'
    while (true) {
      if (i_ >= t_.size()) return fail(rapidjson::kParseErrorStringMissQuotationMark, start);
      char c = t_[i_];
      if (c == '"') {
        ++i_;
        return rapidjson::kParseErrorNone;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return fail(c == '\0' ? rapidjson::kParseErrorStringMissQuotationMark
                              : rapidjson::kParseErrorStringInvalidEncoding,
                    i_);
      }
      if (c != '\\') {
        out += c;
        ++i_;
        continue;
      }
      size_t esc = i_;
      if (++i_ >= t_.size()) return fail(rapidjson::kParseErrorStringEscapeInvalid, esc);
      char e = t_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return fail(rapidjson::kParseErrorStringUnicodeEscapeInvalidHex, esc);
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (i_ + 1 >= t_.size() || t_[i_] != '\\' || t_[i_ + 1] != 'u') {
              return fail(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, esc);
            }
            i_ += 2;
            if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) {
              return fail(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, esc);
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8::append(out, cp);
          break;
        }
        default: return fail(rapidjson::kParseErrorStringEscapeInvalid, esc);
      }
    }
  }

  std::string_view t_;
  size_t i_ = 0;
  size_t err_at_ = 0;
  bool just_opened_ = false;
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
    // A number beyond float64's range (1e400): RapidJSON stops, OPA keeps it
    // as an arbitrary-precision number. This rare path reads the document
    // again with the exact reader; the common one is unchanged.
    builder = Builder();
    ok = ExactReader(text).parse(builder);
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
