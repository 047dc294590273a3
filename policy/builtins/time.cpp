// Builtins: time. time.now_ns returns one value per evaluation (the
// evaluation's start), as OPA does. The others follow OPA's topdown/time.go,
// which relies on Go's time package: layouts use Go's reference time
// ("2006-01-02T15:04:05Z07:00"), civil-date normalisation is Go's, and time
// zones come from the system tz database (/usr/share/zoneinfo, read with a
// small TZif reader; instants past the file's last transition keep the last
// transition's offset, which is exact for the usual "fat" files up to 2037).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "policy/builtins/registry.h"

namespace wartburg::builtins {

namespace {
Value now_ns(Context& ctx, const Value*) {
  if (ctx.now_ns == 0) {
    ctx.now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  }
  return Value::integer(ctx.now_ns);
}

// ---- civil calendar (proleptic Gregorian, H. Hinnant's algorithms) ----
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  // Normalise month into [1, 12] the way Go's time.Date does; the day may be
  // out of range and simply counts on from the first of the month.
  int64_t m0 = m - 1;
  y += floor_div(m0, 12);
  m0 -= floor_div(m0, 12) * 12;
  m = m0 + 1;
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + (d - 1);
}

struct Civil {
  int64_t year;
  int month, day, hour, minute, second, yday;  // yday 1-based
  int weekday;                                 // 0 = Sunday
};

bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }
int days_in(int month, int64_t year) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : d[month - 1];
}

Civil civil_from_secs(int64_t secs) {
  const int64_t z0 = floor_div(secs, 86400);
  const int64_t rem = secs - z0 * 86400;
  const int64_t z = z0 + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Civil c{};
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2);
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem / 60 % 60);
  c.second = static_cast<int>(rem % 60);
  c.weekday = static_cast<int>(((z0 % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  c.yday = static_cast<int>(z0 - days_from_civil(c.year, 1, 1) + 1);
  return c;
}

// ---- time zones ----
struct ZoneType {
  int32_t offset;
  std::string abbr;
};
struct Zone {
  std::string name;
  std::vector<int64_t> trans;
  std::vector<uint8_t> idx;
  std::vector<ZoneType> types;

  const ZoneType& lookup(int64_t secs) const {
    if (trans.empty() || secs < trans.front()) {
      for (const auto& t : types) return t;  // first type (Go: first non-DST; close enough)
    }
    auto it = std::upper_bound(trans.begin(), trans.end(), secs);
    return types[idx[static_cast<size_t>(it - trans.begin()) - 1]];
  }
};

uint64_t be(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

std::shared_ptr<const Zone> read_tzif(const std::string& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  auto parse_block = [&](size_t off, int tsz, Zone& z) -> std::optional<size_t> {
    if (off + 44 > n || data.compare(off, 4, "TZif") != 0) return std::nullopt;
    const uint64_t isut = be(u + off + 20, 4), isstd = be(u + off + 24, 4), leap = be(u + off + 28, 4),
                   timecnt = be(u + off + 32, 4), typecnt = be(u + off + 36, 4), charcnt = be(u + off + 40, 4);
    size_t p = off + 44;
    const size_t need = timecnt * tsz + timecnt + typecnt * 6 + charcnt + leap * (tsz + 4) + isstd + isut;
    if (p + need > n || typecnt == 0) return std::nullopt;
    z.trans.clear();
    z.idx.clear();
    z.types.clear();
    for (uint64_t i = 0; i < timecnt; i++, p += tsz) {
      uint64_t v = be(u + p, tsz);
      z.trans.push_back(tsz == 4 ? static_cast<int64_t>(static_cast<int32_t>(v)) : static_cast<int64_t>(v));
    }
    for (uint64_t i = 0; i < timecnt; i++, p++) {
      if (u[p] >= typecnt) return std::nullopt;
      z.idx.push_back(u[p]);
    }
    const size_t chars = p + typecnt * 6;
    for (uint64_t i = 0; i < typecnt; i++, p += 6) {
      ZoneType t;
      t.offset = static_cast<int32_t>(static_cast<uint32_t>(be(u + p, 4)));
      size_t ai = u[p + 5];
      if (ai < charcnt) t.abbr = std::string(data.c_str() + chars + ai);
      z.types.push_back(t);
    }
    return off + 44 + need;
  };
  auto z = std::make_shared<Zone>();
  z->name = name;
  auto end = parse_block(0, 4, *z);
  if (!end) return nullptr;
  if (n > 4 && u[4] >= '2') {
    if (!parse_block(*end, 8, *z)) return nullptr;
  }
  return z;
}

const Zone& utc_zone() {
  static const Zone z{"UTC", {}, {}, {{0, "UTC"}}};
  return z;
}

// Loaded zones, by name (nullptr: no such zone). Shared by all threads.
// Names come from input: only zones that exist are cached, and at most
// kMaxCachedZones of them ("./Europe/Paris", "Europe//Paris", ... are the
// same zone under endless names).
constexpr size_t kMaxCachedZones = 1024;

std::shared_ptr<const Zone> load_zone(const std::string& name) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::shared_ptr<const Zone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  if (name.size() > 255 || name.find('\0') != std::string::npos) return nullptr;
  std::shared_ptr<const Zone> z;
  if (name == "Local") {
    z = read_tzif("/etc/localtime", "Local");
    if (!z) z = std::make_shared<Zone>(Zone{"Local", {}, {}, {{0, "UTC"}}});
  } else {
    // As Go's LoadLocation: reject names that could escape the database.
    bool ok = !name.empty() && name.front() != '/' && name.find("..") == std::string::npos &&
              name.find('\\') == std::string::npos;
    if (ok) z = read_tzif("/usr/share/zoneinfo/" + name, name);
  }
  if (z && cache.size() < kMaxCachedZones) cache.emplace(name, z);
  return z;
}

// A zone-aware instant, as Go's time.Time.
struct Time {
  int64_t secs = 0;  // Unix seconds
  int64_t nsec = 0;  // [0, 1e9)
  std::shared_ptr<const Zone> zone;  // null: UTC
  const Zone& z() const { return zone ? *zone : utc_zone(); }
  const ZoneType& type() const { return z().lookup(secs); }
  Civil civil() const { return civil_from_secs(secs + type().offset); }
};

Time from_ns(int64_t ns) {
  Time t;
  t.secs = floor_div(ns, 1000000000);
  t.nsec = ns - t.secs * 1000000000;
  return t;
}

// Unix nanoseconds, or "time outside of valid range".
Value to_ns_value(int64_t secs, int64_t nsec) {
  const __int128 v = static_cast<__int128>(secs) * 1000000000 + nsec;
  if (v < INT64_MIN || v > INT64_MAX) throw BuiltinError("time outside of valid range");
  return Value::integer(static_cast<int64_t>(v));
}

// Go's time.Date in zone z: local civil fields (possibly out of range) to Unix seconds.
// Dates more than 10^9 days (2.7 million years) from 1970 are out of range
// (of int64 nanoseconds, by far) before their seconds could overflow int64.
int64_t date_to_secs(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s, const Zone& z) {
  const int64_t days = days_from_civil(y, mo, d);
  if (days > 1'000'000'000 || days < -1'000'000'000) throw BuiltinError("time outside of valid range");
  const int64_t local = days * 86400 + h * 3600 + mi * 60 + s;
  int64_t off = z.lookup(local).offset;
  if (off != 0) {
    const int64_t off2 = z.lookup(local - off).offset;
    if (off2 != off) off = off2;
  }
  return local - off;
}

const char* const kOperandWant = "either number (ns) or [number (ns), string (tz)]";

// OPA's tzTime: a number of ns, or [ns, tz] or [ns, tz, layout].
Time tz_time(const Value& a, int pos, std::string* layout) {
  if (layout) *layout = "2006-01-02T15:04:05.999999999Z07:00";
  const Value* n = &a;
  std::shared_ptr<const Zone> zone;
  if (a.is_array()) {
    const auto& it = a.items();
    if (it.empty()) operand_error(pos, kOperandWant, a);
    n = &it[0];
    if (!n->is_number()) operand_error(pos, "number", *n);
    if (it.size() > 1) {
      if (!it[1].is_string()) operand_error(pos, "string", it[1]);
      const std::string& tz = it[1].str();
      if (!tz.empty() && tz != "UTC") {
        zone = load_zone(tz);
        if (!zone) throw BuiltinError("unknown time zone " + tz);
      }
    }
    if (it.size() > 2) {
      if (!it[2].is_string()) operand_error(pos, "string", it[2]);
      if (layout) {
        static const std::pair<const char*, const char*> kNamed[] = {
            {"ANSIC", "Mon Jan _2 15:04:05 2006"},
            {"UnixDate", "Mon Jan _2 15:04:05 MST 2006"},
            {"RubyDate", "Mon Jan 02 15:04:05 -0700 2006"},
            {"RFC822", "02 Jan 06 15:04 MST"},
            {"RFC822Z", "02 Jan 06 15:04 -0700"},
            {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
            {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},
            {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
            {"RFC3339", "2006-01-02T15:04:05Z07:00"},
            {"RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00"},
        };
        *layout = it[2].str();
        for (const auto& [k, v] : kNamed) {
          if (*layout == k) *layout = v;
        }
      }
    }
  } else if (!a.is_number()) {
    operand_error(pos, kOperandWant, a);
  }
  int64_t ns;
  if (!n->to_int64(ns)) throw BuiltinError("timestamp too big");
  Time t = from_ns(ns);
  t.zone = zone;
  return t;
}

// ---- Go layouts ----
enum Std {
  kNone,
  kLongMonth, kMonth, kNumMonth, kZeroMonth, kLongWeekDay, kWeekDay, kDay, kUnderDay, kZeroDay,
  kUnderYearDay, kZeroYearDay, kHour, kHour12, kZeroHour12, kMinute, kZeroMinute, kSecond, kZeroSecond,
  kLongYear, kYear, kPM, kpm, kTZ,
  kISO8601TZ, kISO8601SecondsTZ, kISO8601ShortTZ, kISO8601ColonTZ, kISO8601ColonSecondsTZ,
  kNumTZ, kNumSecondsTz, kNumShortTZ, kNumColonTZ, kNumColonSecondsTZ,
  kFracSecond0, kFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kNone;
  int digits = 0;  // fractional seconds
  std::string_view text;
  std::string_view suffix;
};

bool starts_lower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }
bool is_digit_at(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// Go's nextStdChunk.
Chunk next_chunk(std::string_view l) {
  auto at = [&](size_t i, std::string_view w) { return l.substr(i, w.size()) == w; };
  for (size_t i = 0; i < l.size(); i++) {
    Std s = kNone;
    size_t len = 0;
    int digits = 0;
    switch (l[i]) {
      case 'J':
        if (at(i, "January")) s = kLongMonth, len = 7;
        else if (at(i, "Jan") && !starts_lower(l.substr(i + 3))) s = kMonth, len = 3;
        break;
      case 'M':
        if (at(i, "Monday")) s = kLongWeekDay, len = 6;
        else if (at(i, "Mon") && !starts_lower(l.substr(i + 3))) s = kWeekDay, len = 3;
        else if (at(i, "MST")) s = kTZ, len = 3;
        break;
      case '0':
        if (at(i, "002")) s = kZeroYearDay, len = 3;
        else if (i + 1 < l.size() && l[i + 1] >= '1' && l[i + 1] <= '6') {
          static const Std k[] = {kZeroMonth, kZeroDay, kZeroHour12, kZeroMinute, kZeroSecond, kYear};
          s = k[l[i + 1] - '1'], len = 2;
        }
        break;
      case '1':
        if (at(i, "15")) s = kHour, len = 2;
        else s = kNumMonth, len = 1;
        break;
      case '2':
        if (at(i, "2006")) s = kLongYear, len = 4;
        else s = kDay, len = 1;
        break;
      case '_':
        if (at(i, "_2")) {
          if (at(i, "_2006")) {
            Chunk c{l.substr(0, i + 1), kLongYear, 0, l.substr(i + 1, 4), l.substr(i + 5)};
            return c;
          }
          s = kUnderDay, len = 2;
        } else if (at(i, "__2")) {
          s = kUnderYearDay, len = 3;
        }
        break;
      case '3': s = kHour12, len = 1; break;
      case '4': s = kMinute, len = 1; break;
      case '5': s = kSecond, len = 1; break;
      case 'P':
        if (at(i, "PM")) s = kPM, len = 2;
        break;
      case 'p':
        if (at(i, "pm")) s = kpm, len = 2;
        break;
      case '-':
        if (at(i, "-070000")) s = kNumSecondsTz, len = 7;
        else if (at(i, "-07:00:00")) s = kNumColonSecondsTZ, len = 9;
        else if (at(i, "-0700")) s = kNumTZ, len = 5;
        else if (at(i, "-07:00")) s = kNumColonTZ, len = 6;
        else if (at(i, "-07")) s = kNumShortTZ, len = 3;
        break;
      case 'Z':
        if (at(i, "Z070000")) s = kISO8601SecondsTZ, len = 7;
        else if (at(i, "Z07:00:00")) s = kISO8601ColonSecondsTZ, len = 9;
        else if (at(i, "Z0700")) s = kISO8601TZ, len = 5;
        else if (at(i, "Z07:00")) s = kISO8601ColonTZ, len = 6;
        else if (at(i, "Z07")) s = kISO8601ShortTZ, len = 3;
        break;
      case '.':
      case ',':
        if (i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
          const char ch = l[i + 1];
          size_t j = i + 1;
          while (j < l.size() && l[j] == ch) j++;
          if (!is_digit_at(l, j)) {
            s = ch == '0' ? kFracSecond0 : kFracSecond9;
            len = j - i;
            digits = static_cast<int>(j - i - 1);
          }
        }
        break;
      default: break;
    }
    if (s != kNone) return Chunk{l.substr(0, i), s, digits, l.substr(i, len), l.substr(i + len)};
  }
  return Chunk{l, kNone, 0, {}, {}};
}

const char* const kLongDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kLongMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

void pad(std::string& out, int64_t v, int width, char fill = '0') {
  std::string s = std::to_string(v < 0 ? -v : v);
  if (v < 0) out += '-';
  for (int i = static_cast<int>(s.size()); i < width; i++) out += fill;
  out += s;
}

std::string format_time(const Time& t, std::string_view layout) {
  const ZoneType& zt = t.type();
  const Civil c = civil_from_secs(t.secs + zt.offset);
  std::string out;
  while (!layout.empty()) {
    Chunk ch = next_chunk(layout);
    out += ch.prefix;
    if (ch.std == kNone) break;
    layout = ch.suffix;
    switch (ch.std) {
      case kYear: pad(out, ((c.year % 100) + 100) % 100, 2); break;
      case kLongYear: pad(out, c.year, 4); break;
      case kMonth: out += std::string_view(kLongMonths[c.month - 1]).substr(0, 3); break;
      case kLongMonth: out += kLongMonths[c.month - 1]; break;
      case kNumMonth: pad(out, c.month, 0); break;
      case kZeroMonth: pad(out, c.month, 2); break;
      case kWeekDay: out += std::string_view(kLongDays[c.weekday]).substr(0, 3); break;
      case kLongWeekDay: out += kLongDays[c.weekday]; break;
      case kDay: pad(out, c.day, 0); break;
      case kUnderDay: pad(out, c.day, 2, ' '); break;
      case kZeroDay: pad(out, c.day, 2); break;
      case kUnderYearDay: pad(out, c.yday, 3, ' '); break;
      case kZeroYearDay: pad(out, c.yday, 3); break;
      case kHour: pad(out, c.hour, 2); break;
      case kHour12: pad(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 0); break;
      case kZeroHour12: pad(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 2); break;
      case kMinute: pad(out, c.minute, 0); break;
      case kZeroMinute: pad(out, c.minute, 2); break;
      case kSecond: pad(out, c.second, 0); break;
      case kZeroSecond: pad(out, c.second, 2); break;
      case kPM: out += c.hour >= 12 ? "PM" : "AM"; break;
      case kpm: out += c.hour >= 12 ? "pm" : "am"; break;
      case kISO8601TZ: case kISO8601SecondsTZ: case kISO8601ShortTZ: case kISO8601ColonTZ:
      case kISO8601ColonSecondsTZ: case kNumTZ: case kNumSecondsTz: case kNumShortTZ: case kNumColonTZ:
      case kNumColonSecondsTZ: {
        const bool iso = ch.std >= kISO8601TZ && ch.std <= kISO8601ColonSecondsTZ;
        if (iso && zt.offset == 0) {
          out += 'Z';
          break;
        }
        int zone = zt.offset / 60;
        int absoff = zt.offset;
        if (zone < 0) {
          out += '-';
          zone = -zone;
          absoff = -absoff;
        } else {
          out += '+';
        }
        pad(out, zone / 60, 2);
        const bool colon = ch.std == kISO8601ColonTZ || ch.std == kNumColonTZ ||
                           ch.std == kISO8601ColonSecondsTZ || ch.std == kNumColonSecondsTZ;
        if (colon) out += ':';
        if (ch.std != kNumShortTZ && ch.std != kISO8601ShortTZ) pad(out, zone % 60, 2);
        if (ch.std == kISO8601SecondsTZ || ch.std == kNumSecondsTz || ch.std == kNumColonSecondsTZ ||
            ch.std == kISO8601ColonSecondsTZ) {
          if (ch.std == kNumColonSecondsTZ || ch.std == kISO8601ColonSecondsTZ) out += ':';
          pad(out, absoff % 60, 2);
        }
        break;
      }
      case kTZ:
        if (!zt.abbr.empty()) {
          out += zt.abbr;
        } else {
          int zone = zt.offset / 60;
          if (zone < 0) out += '-', zone = -zone;
          else out += '+';
          pad(out, zone / 60, 2);
          pad(out, zone % 60, 2);
        }
        break;
      case kFracSecond0:
      case kFracSecond9: {
        std::string digits;
        pad(digits, t.nsec, 9);
        digits.resize(static_cast<size_t>(std::min(ch.digits, 9)));  // Go prints at most 9 digits
        if (ch.std == kFracSecond9) {
          while (!digits.empty() && digits.back() == '0') digits.pop_back();
          if (digits.empty()) break;
        }
        out += ch.text[0];
        out += digits;
        break;
      }
      case kNone: break;
    }
  }
  return out;
}


// Go's time.Parse (in UTC): Unix seconds and nanoseconds.
std::pair<int64_t, int64_t> parse_time(std::string_view layout, std::string_view value) {
  const std::string alayout(layout), avalue(value);
  auto bad = [&](std::string_view v, std::string_view elem) -> BuiltinError {
    return BuiltinError("parsing time " + go_quote(avalue) + " as " + go_quote(alayout) + ": cannot parse " +
                        go_quote(v) + " as " + go_quote(elem));
  };
  auto range = [&](const char* what) -> BuiltinError {
    return BuiltinError("parsing time " + go_quote(avalue) + ": " + what + " out of range");
  };
  int64_t year = 0;
  int month = -1, day = -1, yday = -1, hour = 0, minute = 0, second = 0;
  int64_t nsec = 0;
  bool pm_set = false, am_set = false, has_off = false;
  int64_t off = 0;
  // Reads n digits (fixed) or 1..n digits.
  auto getnum = [&](std::string_view& v, int n, bool fixed, int& out) -> bool {
    int i = 0, x = 0;
    while (i < n && is_digit_at(v, static_cast<size_t>(i))) x = x * 10 + (v[static_cast<size_t>(i)] - '0'), i++;
    if (i == 0 || (fixed && i != n)) return false;
    out = x;
    v.remove_prefix(static_cast<size_t>(i));
    return true;
  };
  auto lookup = [&](std::string_view& v, const char* const* names, int count, size_t len, int& out) -> bool {
    for (int i = 0; i < count; i++) {
      std::string_view nm = names[i];
      if (len) nm = nm.substr(0, len);
      if (v.size() >= nm.size()) {
        bool eq = true;
        for (size_t k = 0; k < nm.size(); k++) {
          if (std::tolower(static_cast<unsigned char>(v[k])) != std::tolower(static_cast<unsigned char>(nm[k]))) eq = false;
        }
        if (eq) {
          out = i;
          v.remove_prefix(nm.size());
          return true;
        }
      }
    }
    return false;
  };
  auto parse_frac = [&](std::string_view& v, size_t ndigits) {
    // v starts with '.' or ','; reads ndigits digits (0: as many as there are).
    size_t j = 1;
    while (j < v.size() && is_digit_at(v, j) && (ndigits == 0 || j <= ndigits)) j++;
    int64_t ns = 0;
    for (size_t k = 1; k < j && k <= 9; k++) ns = ns * 10 + (v[k] - '0');
    for (size_t k = j; k <= 9; k++) ns *= 10;
    nsec = ns;
    v.remove_prefix(j);
  };
  std::string_view v = value;
  while (true) {
    Chunk ch = next_chunk(layout);
    // Literal prefix (Go also lets runs of spaces differ; keep it exact apart from that).
    std::string_view p = ch.prefix;
    while (!p.empty()) {
      if (p[0] == ' ') {
        if (v.empty() || v[0] != ' ') throw bad(v, ch.prefix);
        while (!p.empty() && p[0] == ' ') p.remove_prefix(1);
        while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
        continue;
      }
      if (v.empty() || v[0] != p[0]) throw bad(v, ch.prefix);
      p.remove_prefix(1);
      v.remove_prefix(1);
    }
    if (ch.std == kNone) {
      if (!v.empty()) throw BuiltinError("parsing time " + go_quote(avalue) + ": extra text: " + go_quote(v));
      break;
    }
    layout = ch.suffix;
    const std::string_view hold = v;
    int x = 0;
    bool ok = true;
    switch (ch.std) {
      case kYear:
        ok = getnum(v, 2, true, x);
        if (ok) year = x >= 69 ? 1900 + x : 2000 + x;
        break;
      case kLongYear:
        ok = getnum(v, 4, true, x);
        year = x;
        break;
      case kMonth: ok = lookup(v, kLongMonths, 12, 3, x); month = x + 1; break;
      case kLongMonth: ok = lookup(v, kLongMonths, 12, 0, x); month = x + 1; break;
      case kNumMonth:
      case kZeroMonth:
        ok = getnum(v, 2, ch.std == kZeroMonth, month);
        if (ok && (month <= 0 || month > 12)) throw range("month");
        break;
      case kWeekDay: ok = lookup(v, kLongDays, 7, 3, x); break;
      case kLongWeekDay: ok = lookup(v, kLongDays, 7, 0, x); break;
      case kDay:
      case kUnderDay:
      case kZeroDay:
        if (ch.std == kUnderDay && !v.empty() && v[0] == ' ') v.remove_prefix(1);
        ok = getnum(v, 2, ch.std == kZeroDay, day);
        break;
      case kUnderYearDay:
      case kZeroYearDay:
        while (ch.std == kUnderYearDay && !v.empty() && v[0] == ' ') v.remove_prefix(1);
        ok = getnum(v, 3, ch.std == kZeroYearDay, yday);
        if (ok && (yday < 1 || yday > 366)) throw range("day-of-year");
        break;
      case kHour:
        ok = getnum(v, 2, false, hour);
        if (ok && hour >= 24) throw range("hour");
        break;
      case kHour12:
      case kZeroHour12:
        ok = getnum(v, 2, ch.std == kZeroHour12, hour);
        if (ok && hour > 12) throw range("hour");
        break;
      case kMinute:
      case kZeroMinute:
        ok = getnum(v, 2, ch.std == kZeroMinute, minute);
        if (ok && minute >= 60) throw range("minute");
        break;
      case kSecond:
      case kZeroSecond:
        ok = getnum(v, 2, ch.std == kZeroSecond, second);
        if (ok && second >= 60) throw range("second");
        // Fractional seconds in the value though the layout has none.
        if (ok && v.size() >= 2 && (v[0] == '.' || v[0] == ',') && is_digit_at(v, 1)) {
          Chunk nx = next_chunk(layout);
          if (nx.prefix.empty() && (nx.std == kFracSecond0 || nx.std == kFracSecond9)) break;
          parse_frac(v, 0);
        }
        break;
      case kPM:
      case kpm:
        if (v.size() < 2) {
          ok = false;
          break;
        }
        if (v.substr(0, 2) == (ch.std == kPM ? "PM" : "pm")) pm_set = true;
        else if (v.substr(0, 2) == (ch.std == kPM ? "AM" : "am")) am_set = true;
        else ok = false;
        if (ok) v.remove_prefix(2);
        break;
      case kISO8601TZ: case kISO8601SecondsTZ: case kISO8601ShortTZ: case kISO8601ColonTZ:
      case kISO8601ColonSecondsTZ: case kNumTZ: case kNumSecondsTz: case kNumShortTZ: case kNumColonTZ:
      case kNumColonSecondsTZ: {
        const bool iso = ch.std >= kISO8601TZ && ch.std <= kISO8601ColonSecondsTZ;
        if (iso && !v.empty() && v[0] == 'Z') {
          v.remove_prefix(1);
          has_off = true;
          off = 0;
          break;
        }
        if (v.empty() || (v[0] != '+' && v[0] != '-')) {
          ok = false;
          break;
        }
        const int sign = v[0] == '-' ? -1 : 1;
        v.remove_prefix(1);
        int hh = 0, mm = 0, ss = 0;
        const bool colon = ch.std == kISO8601ColonTZ || ch.std == kNumColonTZ ||
                           ch.std == kISO8601ColonSecondsTZ || ch.std == kNumColonSecondsTZ;
        const bool short_tz = ch.std == kNumShortTZ || ch.std == kISO8601ShortTZ;
        const bool secs = ch.std == kISO8601SecondsTZ || ch.std == kNumSecondsTz ||
                          ch.std == kISO8601ColonSecondsTZ || ch.std == kNumColonSecondsTZ;
        ok = getnum(v, 2, true, hh);
        if (ok && !short_tz) {
          if (colon) ok = !v.empty() && v[0] == ':' && (v.remove_prefix(1), true);
          ok = ok && getnum(v, 2, true, mm);
        }
        if (ok && secs) {
          if (colon) ok = !v.empty() && v[0] == ':' && (v.remove_prefix(1), true);
          ok = ok && getnum(v, 2, true, ss);
        }
        if (ok && (hh > 24 || mm > 60 || ss > 60)) throw range("time zone offset");
        has_off = true;
        off = sign * (hh * 3600 + mm * 60 + ss);
        break;
      }
      case kTZ: {
        if (v.size() >= 3 && v.substr(0, 3) == "UTC") {
          v.remove_prefix(3);
          break;
        }
        size_t n = 0;
        while (n < v.size() && v[n] >= 'A' && v[n] <= 'Z') n++;
        ok = n >= 3 && n <= 5;
        if (ok) v.remove_prefix(n);  // unknown abbreviation: offset 0, as Go fabricates
        break;
      }
      case kFracSecond0:
        if (v.size() < static_cast<size_t>(ch.digits) + 1 || v[0] != ch.text[0]) {
          ok = false;
          break;
        }
        for (int k = 1; k <= ch.digits; k++) ok = ok && is_digit_at(v, static_cast<size_t>(k));
        if (ok) parse_frac(v, static_cast<size_t>(ch.digits));
        break;
      case kFracSecond9:
        if (v.size() < 2 || (v[0] != '.' && v[0] != ',') || !is_digit_at(v, 1)) break;
        parse_frac(v, 0);
        break;
      case kNone: break;
    }
    if (!ok) throw bad(hold, ch.text);
  }
  if (pm_set && hour < 12) hour += 12;
  else if (am_set && hour == 12) hour = 0;
  if (yday >= 0) {
    int m = 0, d = yday;
    if (yday > (is_leap(year) ? 366 : 365)) throw range("day-of-year");
    if (month < 0) {
      m = 1;
      while (d > days_in(m, year)) d -= days_in(m, year), m++;
      if (day >= 0 && day != d) throw range("day-of-year");
      month = m;
      day = d;
    }
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > days_in(month, year)) throw range("day");
  int64_t secs = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (has_off) secs -= off;
  return {secs, nsec};
}

// Go's time.ParseDuration.
int64_t parse_duration(const std::string& orig) {
  auto invalid = [&]() { return BuiltinError("time: invalid duration " + go_quote(orig)); };
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) throw invalid();
  unsigned __int128 total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit_at(s, 0))) throw invalid();
    unsigned __int128 whole = 0;
    size_t i = 0;
    while (is_digit_at(s, i)) {
      whole = whole * 10 + static_cast<unsigned>(s[i] - '0');
      if (whole > (static_cast<unsigned __int128>(1) << 63)) throw invalid();
      i++;
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    unsigned __int128 frac = 0, scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      i = 0;
      while (is_digit_at(s, i)) {
        if (scale < static_cast<unsigned __int128>(1) << 62) {
          frac = frac * 10 + static_cast<unsigned>(s[i] - '0');
          scale *= 10;
        }
        i++;
      }
      post = i > 0;
      s.remove_prefix(i);
    }
    if (!pre && !post) throw invalid();
    i = 0;
    while (i < s.size() && s[i] != '.' && !is_digit_at(s, i)) i++;
    if (i == 0) throw BuiltinError("time: missing unit in duration " + go_quote(orig));
    const std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    uint64_t unit;
    if (u == "ns") unit = 1;
    else if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") unit = 1000;
    else if (u == "ms") unit = 1000000;
    else if (u == "s") unit = 1000000000ULL;
    else if (u == "m") unit = 60000000000ULL;
    else if (u == "h") unit = 3600000000000ULL;
    else throw BuiltinError("time: unknown unit " + go_quote(u) + " in duration " + go_quote(orig));
    unsigned __int128 v = whole * unit + frac * unit / scale;
    total += v;
    if (total > (static_cast<unsigned __int128>(1) << 63)) throw invalid();
  }
  if (!neg && total > static_cast<unsigned __int128>(INT64_MAX)) throw invalid();
  return neg ? static_cast<int64_t>(-static_cast<__int128>(total)) : static_cast<int64_t>(total);
}

// ---- builtins ----
Value parse_rfc3339_ns(Context&, const Value* args) {
  auto [s, n] = parse_time("2006-01-02T15:04:05Z07:00", need_string(args, 1));
  return to_ns_value(s, n);
}

Value parse_ns(Context&, const Value* args) {
  const std::string& layout = need_string(args, 1);
  auto [s, n] = parse_time(layout, need_string(args, 2));
  return to_ns_value(s, n);
}

Value parse_duration_ns(Context&, const Value* args) {
  return Value::integer(parse_duration(need_string(args, 1)));
}

Value date(Context&, const Value* args) {
  const Civil c = tz_time(args[0], 1, nullptr).civil();
  return Value::array({Value::integer(c.year), Value::integer(c.month), Value::integer(c.day)});
}

Value clock(Context&, const Value* args) {
  const Civil c = tz_time(args[0], 1, nullptr).civil();
  return Value::array({Value::integer(c.hour), Value::integer(c.minute), Value::integer(c.second)});
}

Value weekday(Context&, const Value* args) {
  return Value::string(kLongDays[tz_time(args[0], 1, nullptr).civil().weekday]);
}

Value format(Context&, const Value* args) {
  std::string layout;
  const Time t = tz_time(args[0], 1, &layout);
  return Value::string(format_time(t, layout));
}

Value add_date(Context&, const Value* args) {
  const Time t = tz_time(args[0], 1, nullptr);
  const int64_t years = need_int(args, 2), months = need_int(args, 3), days = need_int(args, 4);
  const Civil c = t.civil();
  const auto big = [](int64_t v) { return v > (int64_t{1} << 40) || v < -(int64_t{1} << 40); };
  if (big(years) || big(months) || big(days)) throw BuiltinError("time outside of valid range");
  const int64_t secs = date_to_secs(c.year + years, c.month + months, c.day + days, c.hour, c.minute,
                                    c.second, t.z());
  return to_ns_value(secs, t.nsec);
}

Value diff(Context&, const Value* args) {
  Time t1 = tz_time(args[0], 1, nullptr);
  Time t2 = tz_time(args[1], 2, nullptr);
  t2.zone = t1.zone;  // compare in t1's location
  if (t1.secs > t2.secs || (t1.secs == t2.secs && t1.nsec > t2.nsec)) std::swap(t1, t2);
  const Civil a = t1.civil(), b = t2.civil();
  int64_t year = b.year - a.year;
  int64_t month = b.month - a.month, day = b.day - a.day, hour = b.hour - a.hour;
  int64_t min = b.minute - a.minute, sec = b.second - a.second;
  if (sec < 0) sec += 60, min--;
  if (min < 0) min += 60, hour--;
  if (hour < 0) hour += 24, day--;
  if (day < 0) {
    // Go: time.Date(y1, M1, 32, ...).Day() is 32 - days in M1.
    day += days_in(a.month, a.year);
    month--;
  }
  if (month < 0) month += 12, year--;
  return Value::array({Value::integer(year), Value::integer(month), Value::integer(day), Value::integer(hour),
                       Value::integer(min), Value::integer(sec)});
}
}  // namespace

void register_time(Registry& r) {
  r.add({"time.now_ns", 0, now_ns, "() => number"});
  r.add({"time.parse_ns", 2, parse_ns, "(string, string) => number"});
  r.add({"time.parse_rfc3339_ns", 1, parse_rfc3339_ns, "(string) => number"});
  r.add({"time.parse_duration_ns", 1, parse_duration_ns, "(string) => number"});
  r.add({"time.date", 1, date, "(number|array) => array"});
  r.add({"time.clock", 1, clock, "(number|array) => array"});
  r.add({"time.weekday", 1, weekday, "(number|array) => string"});
  r.add({"time.format", 1, format, "(number|array) => string"});
  r.add({"time.add_date", 4, add_date, "(number, number, number, number) => number"});
  r.add({"time.diff", 2, diff, "(number|array, number|array) => array"});
}

}  // namespace wartburg::builtins
