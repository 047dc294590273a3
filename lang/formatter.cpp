// Formatter implementation. It mirrors the layout rules of OPA's format
// package: the AST is printed canonically, while source rows decide where
// comments go (own-line comments before the node that follows them, a comment
// on a node's row at the end of the output line) and which layout choices to
// keep (multi-line collections, one-line rule bodies, blank lines in bodies).
// The source is re-tokenized to recover literal texts (numbers, strings, raw
// strings) and bracket positions, which the AST does not record.
#include "lang/formatter.h"

#include <algorithm>
#include <deque>
#include <set>

#include "lang/lexer.h"
#include "lang/parser.h"
#include "lang/strict.h"
#include "policy/error.h"

namespace wartburg::lang {

namespace {

const char* infix_text(const std::string& name) {
  static const std::pair<const char*, const char*> kOps[] = {
      {"equal", "=="}, {"neq", "!="}, {"lt", "<"},   {"lte", "<="}, {"gt", ">"},  {"gte", ">="}, {"plus", "+"},
      {"minus", "-"},  {"mul", "*"},  {"div", "/"}, {"rem", "%"},  {"and", "&"}, {"or", "|"},
  };
  for (const auto& [n, t] : kOps) {
    if (name == n) return t;
  }
  return nullptr;
}

// Binding strength of infix operators (higher binds tighter).
int infix_level(const std::string& name) {
  if (name == "internal.member_2" || name == "internal.member_3") return 0;
  if (name == "or") return 2;
  if (name == "and") return 3;
  if (name == "plus" || name == "minus") return 4;
  if (name == "mul" || name == "div" || name == "rem") return 5;
  return 1;  // relations
}

bool is_ident_text(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool is_keyword(const std::string& s) {
  static const char* kKeywords[] = {"not",   "package", "import", "as",   "default", "else",     "with", "null",
                                    "true",  "false",   "some",   "if",   "contains", "in",     "every"};
  return std::any_of(std::begin(kKeywords), std::end(kKeywords), [&](const char* k) { return s == k; });
}

bool is_member(const Term& t) {
  return t.kind == TermKind::Call && (t.name == "internal.member_2" || t.name == "internal.member_3");
}

bool is_union(const Term& t) { return t.kind == TermKind::Call && t.name == "or" && t.items.size() == 3; }

// Renders starting with `{` (read as a body after `if`/`not`).
bool brace_lead(const Term& t);

class Formatter {
 public:
  Formatter(const Module& m, FormatOutput output, bool drop_v0_imports)
      : m_(m), src_(m.source ? *m.source : empty_) {
    LexError err;
    tokenize(src_, toks_, err);  // the module parsed, so the source tokenizes
    line_starts_.push_back(0);
    for (size_t i = 0; i < src_.size(); ++i) {
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
    }
    match_.assign(toks_.size(), -1);
    std::vector<int> stack;
    for (size_t i = 0; i < toks_.size(); ++i) {
      Tok k = toks_[i].kind;
      if (k == Tok::LBrace || k == Tok::LBrack || k == Tok::LParen) {
        stack.push_back(static_cast<int>(i));
      } else if ((k == Tok::RBrace || k == Tok::RBrack || k == Tok::RParen) && !stack.empty()) {
        match_[static_cast<size_t>(stack.back())] = static_cast<int>(i);
        stack.pop_back();
      }
    }
    for (const auto& r : m.rules) {
      if (r->ref.size() > 2 || (r->ref.size() == 2 && r->kind == RuleKind::MultiValue)) ref_heads_ = true;
    }
    comments_ = m.comments;
    used_.assign(comments_.size(), false);
    // as OPA's fmtOpts: v1 output writes `if`/`contains` and `:=`; v0 output
    // writes `if`/`contains` where they are imported, `:=` where written
    v1_ = output != FormatOutput::V0;
    ifs_ = contains_ = v1_;
    bool rego_v1 = false;
    int last_import_row = 0;
    for (const auto& imp : m.imports) {
      std::string t = term_text(*imp.path);
      last_import_row = std::max(last_import_row, imp.loc.row);
      if (t == "rego.v1" || t == "future.keywords") {
        ifs_ = contains_ = true;
        rego_v1 |= t == "rego.v1";
      }
      ifs_ |= t == "future.keywords.if";
      contains_ |= t == "future.keywords.contains";
    }
    if (output == FormatOutput::V0V1 && !rego_v1) {
      // `import rego.v1` added after the last import (or first, without any)
      auto root = std::make_shared<Term>();
      root->kind = TermKind::Var;
      root->name = "rego";
      auto v1 = std::make_shared<Term>();
      v1->value = Value::string("v1");
      added_import_.path = std::make_shared<Term>();
      added_import_.path->kind = TermKind::Ref;
      added_import_.path->items = {root, v1};
      added_import_.loc.row = last_import_row > 0 ? last_import_row + 1 : 1;
      added_import_.loc.col = 1;
      rego_v1 = true;
    }
    rego_v1_imported_ = rego_v1;
    drop_v0_imports_ = drop_v0_imports && output == FormatOutput::V1;
  }

  std::string run() {
    insert_comments(m_.package_loc.row);
    start_line();
    write("package ");
    std::vector<bool> quoted = package_quoted();
    for (size_t i = 0; i < m_.package.size(); ++i) {
      const std::string& p = m_.package[i];
      if (i == 0) {
        write(p);
      } else if (is_ident_text(p) && !(is_keyword(p) && quoted[i])) {
        write("." + p);  // keywords too (`package a.default`), unless written quoted
      } else {
        write("[" + to_rego(Value::string(p)) + "]");
      }
    }
    blank_line();

    struct Item {
      int row, col;
      const Import* imp;
      const Rule* rule;
    };
    std::vector<Item> items;
    for (const auto& imp : m_.imports) {
      if (dropped_import(imp)) continue;
      items.push_back({imp.loc.row, imp.loc.col, &imp, nullptr});
    }
    for (const auto& r : m_.rules) items.push_back({r->loc.row, r->loc.col, nullptr, r.get()});
    if (added_import_.path) {
      // as OPA: an added import that would land at or after the first rule is
      // written right after the package
      int first_rule = kNoRow;
      for (const auto& r : m_.rules) first_rule = std::min(first_rule, r->loc.row);
      if (added_import_.loc.row >= first_rule) {
        write_imports({&added_import_});
      } else {
        items.push_back({added_import_.loc.row, 0, &added_import_, nullptr});
      }
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; });
    for (size_t i = 0; i < items.size();) {
      std::vector<const Import*> imps;
      for (; i < items.size() && items[i].imp; ++i) imps.push_back(items[i].imp);
      if (!imps.empty()) write_imports(imps);
      std::vector<const Rule*> rules;
      for (; i < items.size() && items[i].rule; ++i) rules.push_back(items[i].rule);
      if (!rules.empty()) write_rules(rules);
    }
    size_t first = ci_;
    for (; ci_ < comments_.size(); ++ci_) {
      if (used_[ci_]) continue;
      if (ci_ > first && comments_[ci_].row - comments_[ci_ - 1].row > 1) blank_line();
      write_line("#" + comments_[ci_].text);
    }
    if (inline_) end_line();
    while (buf_.size() > 1 && buf_[buf_.size() - 1] == '\n' && buf_[buf_.size() - 2] == '\n') buf_.pop_back();
    return buf_;
  }

 private:
  static inline const std::string empty_;
  static constexpr int kNoRow = 1 << 30;
  const Module& m_;
  const std::string& src_;
  std::vector<Token> toks_;
  std::vector<size_t> line_starts_;
  std::vector<int> match_;
  std::vector<Comment> comments_;
  std::vector<bool> used_;
  size_t ci_ = 0;
  bool ref_heads_ = false;  // some rule head needs a general ref (a.b.c, a.b contains)
  bool v1_ = true;          // v1 output: `:=` heads
  bool ifs_ = true;         // `if` before rule bodies
  bool contains_ = true;    // `contains` for multi-value rules
  bool rego_v1_imported_ = false;  // `import rego.v1` is (or is added) in the output
  Import added_import_;     // `import rego.v1` added (V0V1), if its path is set
  bool drop_v0_imports_ = false;
  bool skip_comments_once_ = false;  // the next write_term places no comments
  bool delay_ = false;  // the next end_line keeps the line-end comment for the line after
  // output state
  std::string buf_;
  int level_ = 0;
  bool inline_ = false;
  const Comment* before_end_ = nullptr;
  std::deque<Comment> joined_;  // comments joined for one line end (stable addresses)
  std::vector<const Comment*> overflow_;
  const Term* paren_union_ = nullptr;  // written in parentheses (see leading_union)
  // comment fallback (see write_term)
  struct UnexpectedComment {};
  int term_depth_ = 0;     // write_term calls in progress that can fall back
  bool no_throw_ = false;  // place comments as usual, no fallback
  bool nl_pending_ = false;  // a comment ends the output line: what follows goes on the next

  // ------------------------------------------------------------ source positions

  int tok_at(const Location& l) const {
    if (l.row <= 0 || static_cast<size_t>(l.row) > line_starts_.size()) return -1;
    size_t off = line_starts_[static_cast<size_t>(l.row - 1)] + static_cast<size_t>(l.col - 1);
    auto it = std::lower_bound(toks_.begin(), toks_.end(), off, [](const Token& t, size_t o) { return t.offset < o; });
    if (it == toks_.end() || it->offset != off) return -1;
    return static_cast<int>(it - toks_.begin());
  }
  int first_tok_from(size_t off) const {
    auto it = std::lower_bound(toks_.begin(), toks_.end(), off, [](const Token& t, size_t o) { return t.offset < o; });
    return static_cast<int>(it - toks_.begin());
  }
  int row_of(size_t off) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
    return static_cast<int>(it - line_starts_.begin());
  }
  std::string tok_text(int i) const {
    const Token& t = toks_[static_cast<size_t>(i)];
    return src_.substr(t.offset, t.end - t.offset);
  }
  // Row where an element starts: that of its opening parenthesis, if it is
  // written in (grouping) parentheses.
  int elem_row(const Term& t) const {
    int i = tok_at(t.loc);
    int row = t.loc.row;
    while (i > 1 && toks_[static_cast<size_t>(i - 1)].kind == Tok::LParen &&
           toks_[static_cast<size_t>(i - 2)].kind != Tok::Ident) {
      row = toks_[static_cast<size_t>(--i)].row;
    }
    return row;
  }
  // A term written in grouping parentheses in the source: `(1 + 2)`.
  bool paren_written(const Term& t) const {
    int i = tok_at(t.loc);
    if (i < 0) return false;
    if (toks_[static_cast<size_t>(i)].kind == Tok::LParen) return true;
    return i > 0 && toks_[static_cast<size_t>(i - 1)].kind == Tok::LParen &&
           (i < 2 || toks_[static_cast<size_t>(i - 2)].kind != Tok::Ident);
  }
  // Row of the bracket closing the one at token `open` (-1 if unknown).
  int close_row(int open) const {
    if (open < 0 || match_[static_cast<size_t>(open)] < 0) return -1;
    return toks_[static_cast<size_t>(match_[static_cast<size_t>(open)])].row;
  }
  // Row of the `}` after the last expression of a block body (-1 if none).
  int block_close_row(const Body& body) const {
    if (body.empty()) return -1;
    int i = first_tok_from(body.back().text_end);
    while (i < static_cast<int>(toks_.size()) && toks_[static_cast<size_t>(i)].kind == Tok::Semicolon) ++i;
    if (i < static_cast<int>(toks_.size()) && toks_[static_cast<size_t>(i)].kind == Tok::RBrace) {
      return toks_[static_cast<size_t>(i)].row;
    }
    return -1;
  }
  int expr_end_row(const Expr& e) const { return e.text_end > e.text_begin ? row_of(e.text_end - 1) : e.loc.row; }
  // Row of the last token of an expression without its `with` modifiers.
  int expr_terms_end_row(const Expr& e) const {
    if (e.withs.empty()) return expr_end_row(e);
    int w = tok_at(e.withs[0].loc);
    if (w <= 0) return e.loc.row;
    const Token& t = toks_[static_cast<size_t>(w - 1)];
    return row_of(t.end - 1);
  }
  // Row where a rule head ends (the token before `if` / `{` of the body).
  int head_end_row(const Rule& r) const {
    if (r.body.empty()) return r.loc.row;
    int i = tok_at(r.body[0].loc) - 1;
    if (i >= 0 && toks_[static_cast<size_t>(i)].kind == Tok::LBrace) --i;
    if (i >= 0 && toks_[static_cast<size_t>(i)].kind == Tok::Ident && toks_[static_cast<size_t>(i)].text == "if") --i;
    if (i < 0) return r.loc.row;
    return row_of(toks_[static_cast<size_t>(i)].end - 1);
  }

  static bool is_rego_v1(const Import& imp) { return term_text(*imp.path) == "rego.v1"; }
  static bool is_future_keywords(const Import& imp) {
    std::string t = term_text(*imp.path);
    return t == "future.keywords" || t.rfind("future.keywords.", 0) == 0;
  }
  // As `opa fmt` (Rego v1): `import rego.v1` is kept; `future.keywords`
  // imports are dropped where rego.v1 is imported (it implies them), kept
  // otherwise. Converted v0 input drops them: v1 output needs none.
  bool dropped_import(const Import& imp) const {
    if (drop_v0_imports_ && (is_future_keywords(imp) || is_rego_v1(imp))) return true;
    return is_future_keywords(imp) && rego_v1_imported_;
  }

  // Per package path segment: written as a quoted string in brackets.
  std::vector<bool> package_quoted() const {
    std::vector<bool> quoted(m_.package.size(), false);
    int i = tok_at(m_.package_loc);
    if (i < 0) return quoted;
    auto tk = [&](int k) -> const Token* {
      return k >= 0 && k < static_cast<int>(toks_.size()) ? &toks_[static_cast<size_t>(k)] : nullptr;
    };
    if (tk(i)->kind == Tok::Ident && tk(i)->text == "package") ++i;
    ++i;  // the first segment
    for (size_t seg = 1; seg < quoted.size(); ++seg) {
      const Token* t = tk(i);
      if (!t) break;
      if (t->kind == Tok::Dot) {
        i += 2;
      } else if (t->kind == Tok::LBrack) {
        const Token* v = tk(i + 1);
        quoted[seg] = v && (v->kind == Tok::String || v->kind == Tok::RawString);
        i += 3;
      } else {
        break;
      }
    }
    return quoted;
  }

  // ------------------------------------------------------------ output

  void write(const std::string& s) {
    if (nl_pending_ && !s.empty()) {
      buf_ += '\n';
      nl_pending_ = false;
    }
    buf_ += s;
  }
  // Something other than indentation has been written on the current line.
  bool mid_line() const {
    if (!inline_) return false;
    size_t nl = buf_.rfind('\n');
    return buf_.find_first_not_of('\t', nl == std::string::npos ? 0 : nl + 1) != std::string::npos;
  }
  void start_line() {
    inline_ = true;
    buf_.append(static_cast<size_t>(level_), '\t');
  }
  void end_line() {
    inline_ = false;
    nl_pending_ = false;
    bool delay = delay_;
    delay_ = false;
    if (before_end_ && !delay) {
      buf_ += " #" + before_end_->text;
      before_end_ = nullptr;
    }
    buf_ += '\n';
    if (delay) return;
    auto extra = std::move(overflow_);
    overflow_.clear();
    for (const Comment* c : extra) write_line("#" + c->text);
  }
  void blank_line() {
    if (inline_) end_line();
    if (buf_.size() >= 2 && buf_.compare(buf_.size() - 2, 2, "\n\n") == 0) return;
    buf_ += '\n';
  }
  void write_line(const std::string& s) {
    if (!inline_) start_line();
    write(s);
    end_line();
  }

  // Writes the comments above `row` on their own lines and keeps a comment on
  // `row` for the end of the current output line.
  void insert_comments(int row) {
    if (row <= 0) return;
    int last_row = -1;
    bool in_metadata = false;  // the comments written last are a METADATA block
    for (; ci_ < comments_.size() && comments_[ci_].row < row; ++ci_) {
      if (used_[ci_]) continue;
      if (mid_line()) {
        // a comment inside an expression (`x := # c` + newline + `1`) goes
        // to the end of the line the expression starts on: written here it
        // would split the expression, and a second pass would move it (not
        // idempotent; a fuzzing finding)
        keep_for_line_end(comments_[ci_]);
        continue;
      }
      // as OPA's writeComments: a METADATA header right below another
      // METADATA block gets a blank line between them
      const bool metadata = is_metadata_header(comments_[ci_]);
      if (last_row > 0 && comments_[ci_].row - last_row > 1) {
        blank_line();
        in_metadata = false;
      } else if (last_row > 0 && in_metadata && metadata) {
        blank_line();
      }
      in_metadata |= metadata;
      write_line("#" + comments_[ci_].text);
      last_row = comments_[ci_].row;
    }
    if (last_row > 0 && row - last_row > 1) blank_line();
    while (ci_ < comments_.size() && used_[ci_]) ++ci_;
    if (ci_ < comments_.size() && comments_[ci_].row == row) {
      if (before_end_ && term_depth_ > 0 && !no_throw_) throw UnexpectedComment{};
      if (before_end_ && mid_line()) {
        keep_for_line_end(comments_[ci_]);
      } else if (before_end_) {
        overflow_.push_back(&comments_[ci_]);
      } else {
        before_end_ = &comments_[ci_];
      }
      ++ci_;
    }
  }
  // The comments above `row`, each on a line of its own.
  void write_own_line_comments(int row) {
    int last = -1;
    while (next_comment_row() < row) {
      const Comment& c = comments_[ci_++];
      if (last > 0 && c.row - last > 1) blank_line();
      write_line("#" + c.text);
      last = c.row;
    }
  }
  static bool is_metadata_header(const Comment& c) {
    size_t b = c.text.find_first_not_of(" \t");
    return b != std::string::npos && c.text.compare(b, 8, "METADATA") == 0 &&
           c.text.find_first_not_of(" \t\r", b + 8) == std::string::npos;
  }
  // `c` goes to the end of the current output line, after (joined to) the
  // comment already kept there: "# a # b" reads back as one comment.
  void keep_for_line_end(const Comment& c) {
    if (!before_end_) {
      before_end_ = &c;
      return;
    }
    joined_.push_back(*before_end_);
    joined_.back().text += " #" + c.text;
    before_end_ = &joined_.back();
  }
  // Row of the next comment still to be written (INT_MAX if none).
  int next_comment_row() {
    while (ci_ < comments_.size() && used_[ci_]) ++ci_;
    return ci_ < comments_.size() ? comments_[ci_].row : 1 << 30;
  }

  // ------------------------------------------------------------ module parts

  void write_imports(std::vector<const Import*> imps) {
    // a comment on an import's row stays with that import
    std::vector<const Comment*> trailing(imps.size(), nullptr);
    for (size_t c = ci_; c < comments_.size(); ++c) {
      for (size_t i = 0; i < imps.size(); ++i) {
        if (!used_[c] && comments_[c].row == imps[i]->loc.row) {
          trailing[i] = &comments_[c];
          used_[c] = true;
        }
      }
    }
    auto key = [](const Import* imp) {
      std::vector<std::string> k;
      const Term& p = *imp->path;
      if (p.kind == TermKind::Ref) {
        for (const auto& it : p.items) k.push_back(it->kind == TermKind::Var ? it->name : term_text(*it));
      } else {
        k.push_back(term_text(p));
      }
      k.push_back(imp->alias);
      return k;
    };
    size_t i = 0;
    while (i < imps.size()) {
      size_t j = i + 1;
      while (j < imps.size() && imps[j]->loc.row - imps[j - 1]->loc.row <= 1) ++j;
      insert_comments(imps[i]->loc.row);
      std::vector<size_t> order;
      for (size_t k = i; k < j; ++k) order.push_back(k);
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(imps[a]) < key(imps[b]); });
      for (size_t k : order) {
        start_line();
        write("import ");
        write_term(*imps[k]->path);
        if (!imps[k]->alias.empty()) write(" as " + imps[k]->alias);
        if (trailing[k]) write(" #" + trailing[k]->text);
        end_line();
      }
      blank_line();
      i = j;
    }
  }

  // `if` is written before the body (as OPA: where it is available, and not
  // for v0 partial set rules `p[x] { ... }` without `contains`).
  bool uses_if(const Rule& r) const { return ifs_ && (contains_ || r.kind != RuleKind::MultiValue); }
  bool groupable(const Rule& r) const { return r.body.size() <= 1 && !r.is_default && uses_if(r); }

  // Adjacent one-line rules stay together; a blank line separates the others.
  void write_rules(const std::vector<const Rule*>& rules) {
    bool grouped = false;  // no blank line was written after the previous rule
    for (size_t i = 0; i < rules.size(); ++i) {
      size_t start = buf_.size();
      insert_comments(rules[i]->loc.row);
      size_t begin = buf_.size();
      write_rule(*rules[i], false);
      bool one_line = buf_.find('\n', begin) == std::string::npos || buf_.find('\n', begin) + 1 == buf_.size();
      if (grouped && !one_line) buf_.insert(start, "\n");  // grouped only when both are one line
      grouped = i + 1 < rules.size() && one_line && groupable(*rules[i]) && groupable(*rules[i + 1]) &&
                rules[i + 1]->loc.row == rules[i]->loc.row + 1;
      if (grouped) {
        if (inline_) end_line();
        continue;
      }
      blank_line();
    }
  }

  bool not_bodies() const {
    return std::any_of(m_.imports.begin(), m_.imports.end(), [](const Import& i) {
      std::string p = term_text(*i.path);
      return p == "future.keywords.not" || p == "rego.v2";
    });
  }

  // An expression that reads back as a rule body when written after `if {`
  // on one line: a set literal (`p if {x}`); other brace-led terms
  // (`p if {x | input.a[x]}`) are read as the expression, as OPA does.
  static bool set_literal_expr(const Expr& e) {
    if (e.kind != ExprKind::Term || !e.withs.empty()) return false;
    const Term& t = *e.term;
    return t.kind == TermKind::Set || (t.kind == TermKind::Scalar && t.value.is_set());
  }

  static bool expr_brace_lead(const Expr& e) {
    if (e.kind == ExprKind::Term) return brace_lead(*e.term);
    if (e.kind == ExprKind::Unify || e.kind == ExprKind::Assign) return brace_lead(*e.lhs);
    return false;
  }

  // A body that is just `true` (`p if true`, `p if { true }`) is the body
  // OPA gives a rule written without one: it is not written.
  static bool const_body(const Rule& r) {
    if (r.else_rule || r.body.size() != 1) return false;
    const Expr& e = r.body[0];
    return e.kind == ExprKind::Term && e.withs.empty() && e.term->kind == TermKind::Scalar &&
           e.term->value.is_bool() && e.term->value.as_bool();
  }

  void write_rule(const Rule& r, bool is_else) {
    if (!is_else) start_line();
    if (r.is_default) write("default ");
    write_head(r, is_else);
    if (r.body.empty() || const_body(r)) {
      if (r.else_rule) {
        write_else(r);
      } else {
        end_line();
      }
      return;
    }
    if (!uses_if(r)) {
      // v0 output without `if`: `p {` and the body below
      write(" {");
      end_line();
      ++level_;
      write_body(r.body);
      insert_comments(block_close_row(r.body));
      --level_;
      start_line();
      write("}");
      if (r.else_rule) write_else(r);
      return;
    }
    write(" if");
    if (r.body.size() == 1 && r.body[0].loc.row == head_end_row(r) && !set_literal_expr(r.body[0])) {
      write(" ");
      write_expr(r.body[0]);
      end_line();
      if (r.else_rule) write_else(r);
      return;
    }
    write(" {");
    end_line();
    ++level_;
    // a union leading the body would turn `{` into a set comprehension
    if (!is_else) paren_union_ = leading_union(r.body[0]);
    write_body(r.body);
    paren_union_ = nullptr;
    insert_comments(block_close_row(r.body));
    --level_;
    start_line();
    write("}");
    if (r.else_rule) write_else(r);
  }

  // `else` written after something else on its line (`} else := 2`), below
  // the line the rule (or the previous `else`) starts on. On that first line
  // (`p := 1 if { x } else := 2`), OPA puts the `else` on a line of its own.
  bool else_inline(const Rule& r) const {
    int i = tok_at(r.else_rule->loc);
    if (i <= 0 || r.else_rule->loc.row <= r.loc.row) return false;
    return toks_[static_cast<size_t>(i - 1)].row == toks_[static_cast<size_t>(i)].row;
  }

  void write_else(const Rule& r) {
    const Rule& e = *r.else_rule;
    bool comment_above = next_comment_row() < e.loc.row || before_end_;
    if (!comment_above && else_inline(r)) {
      if (!inline_) start_line();
      write(" ");
    } else {
      blank_line();
      insert_comments(e.loc.row);
      start_line();
    }
    write_rule(e, true);
  }

  void write_head(const Rule& r, bool is_else) {
    if (is_else) {
      write("else");
    } else {
      // as OPA: a comment on the key's row keeps `p[k] := v` as written
      if (r.ref.size() == 2 && !ref_heads_ && next_comment_row() == r.ref[1]->loc.row && write_raw_head(r)) return;
      write(r.ref[0]->name);
      if (r.ref.size() == 2 && !ref_heads_) {
        // as OPA: `p["a"]`, `p[x]` when no head needs a longer ref
        write("[");
        const Term& k = *r.ref[1];
        if (k.kind == TermKind::Scalar && k.value.is_string() && tok_at(k.loc) >= 0 &&
            toks_[static_cast<size_t>(tok_at(k.loc))].kind == Tok::Ident) {
          write(to_rego(k.value));
        } else {
          write_term(k);
        }
        write("]");
      } else {
        for (size_t i = 1; i < r.ref.size(); ++i) write_ref_item(*r.ref[i]);
      }
      if (r.kind == RuleKind::Function) {
        int open = tok_at(r.ref.back()->loc);
        while (open >= 0 && open < static_cast<int>(toks_.size()) &&
               toks_[static_cast<size_t>(open)].kind != Tok::LParen) {
          ++open;
        }
        write("(");
        std::vector<const Term*> args;
        for (const auto& a : r.args) args.push_back(a.get());
        write_list(args, r.loc.row, close_row(open), false);
        write(")");
      }
      if (r.kind == RuleKind::MultiValue && r.key) {
        if (contains_) {
          write(" contains ");
          write_term(*r.key);
        } else {
          write("[");  // v0 output: `p[x]`
          write_term(*r.key);
          write("]");
        }
      }
    }
    // As OPA: a value `true` is implied, except in a rule without a body
    // (`p := true`; `p if true` too); a default keeps it.
    if (r.kind == RuleKind::MultiValue) return;
    bool bodiless = r.body.empty() || const_body(r);
    bool is_true = !r.value || (r.value->kind == TermKind::Scalar && r.value->value.is_bool() &&
                                r.value->value.as_bool());
    // (v0 output: a key and a value `p["k"] = true { ... }` keeps the value, as
    // OPA's v0 parser gives such heads a key)
    bool keyed = !v1_ && r.ref.size() == 2 && r.value && !is_else && r.kind != RuleKind::Function;
    if (is_true && !bodiless && !r.is_default && !keyed) return;
    if (!r.value && !is_else && r.kind == RuleKind::Function) return;  // `f(x) if true`: f(x)
    write(v1_ || r.assign ? " := " : " = ");  // v0 output keeps `=`
    if (r.value) {
      // as OPA: an else value is placed at the `else` (comments between
      // them go into the body)
      if (is_else) skip_comments_once_ = true;
      write_term(*r.value);
    } else {
      write("true");
    }
  }

  // `p[k] := v` as written in the source (false if its extent is unknown).
  bool write_raw_head(const Rule& r) {
    int i = tok_at(r.loc);
    if (i < 0) return false;
    size_t b = toks_[static_cast<size_t>(i)].offset, e = 0;
    if (r.value) {
      size_t vb = 0;
      if (!raw_span(*r.value, vb, e) || vb < b) return false;
    } else {
      int k = i + 1;
      if (k >= static_cast<int>(toks_.size()) || toks_[static_cast<size_t>(k)].kind != Tok::LBrack ||
          match_[static_cast<size_t>(k)] < 0) {
        return false;
      }
      e = toks_[static_cast<size_t>(match_[static_cast<size_t>(k)])].end;
    }
    write_raw(b, e, r.loc.row);
    return true;
  }

  // ------------------------------------------------------------ bodies and expressions

  void write_body(const Body& body) {
    if (body.empty()) return;
    insert_comments(body[0].loc.row);
    for (size_t i = 0; i < body.size(); ++i) {
      if (i > 0) {
        // as OPA's writeBody: a gap of rows before the expression (a blank
        // line, or comments) is a blank line, written before its comments
        if (body[i].loc.row > expr_end_row(body[i - 1]) + 1) blank_line();
      }
      start_line();
      write_expr(body[i]);
      end_line();
    }
  }

  void write_expr(const Expr& e) {
    insert_comments(e.loc.row);
    if (!inline_) start_line();
    if (e.kind == ExprKind::Not && not_body(e)) {
      write_not_body(e);
    } else if (e.kind == ExprKind::Not) {
      write("not ");
      const Expr& inner = (*e.body)[0];
      // `not {` starts a negated body where future.keywords.not or rego.v2 is imported
      bool parens = not_bodies() && expr_brace_lead(inner);
      if (parens) write("(");
      write_expr_core(inner);
      if (parens) write(")");
    } else {
      write_expr_core(e);
    }
    if (e.withs.empty()) return;
    int last_row = expr_terms_end_row(e);
    size_t wi = 0;
    if (e.withs[0].loc.row == last_row) {
      write(" ");
      write_with(e.withs[0]);
      wi = 1;
    }
    bool indented = false;
    for (; wi < e.withs.size(); ++wi) {
      const With& w = e.withs[wi];
      if (w.loc.row > last_row) {
        if (!indented) {
          ++level_;
          indented = true;
        }
        end_line();
        insert_comments(w.loc.row);
        start_line();
        last_row = w.loc.row;
      } else {
        write(" ");
      }
      write_with(w);
    }
    if (indented) --level_;
  }

  // `not { a; b }`: a negated body (future.keywords.not, rego.v2), as
  // opposed to `not {a}`, the negation of a set, without those imports.
  bool not_body(const Expr& e) const {
    int i = tok_at(e.loc);
    return not_bodies() && i >= 0 && static_cast<size_t>(i) + 1 < toks_.size() &&
           toks_[static_cast<size_t>(i) + 1].kind == Tok::LBrace;
  }
  // Written as a block: `not { a; b }` on one row, else one expression per
  // row; a union leading the body keeps its parentheses (`not { (x | y) }`).
  void write_not_body(const Expr& e) {
    const Body& body = *e.body;
    write("not {");
    const Term* saved = paren_union_;
    paren_union_ = leading_union(body[0]);
    bool multi_rows = body[0].loc.row > e.loc.row;
    for (size_t i = 1; i < body.size(); ++i) multi_rows |= body[i].loc.row > body[i - 1].loc.row;
    write_compr_body(body, e.loc.row, block_close_row(body));
    paren_union_ = saved;
    if (!multi_rows) write(" ");
    write("}");
  }

  void write_with(const With& w) {
    write("with ");
    write_term(*w.target);
    write(" as ");
    write_term(*w.value);
  }

  void write_expr_core(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Term:
        if (infix_form(*e.term) && !is_member(*e.term)) {
          bool parens = e.term.get() == paren_union_;
          if (parens) write("(");
          write_infix(*e.term, true);
          if (parens) write(")");
        } else if (e.term->kind == TermKind::Call && e.term->name == "internal.member_3") {
          write_member(*e.term);
        } else if (e.term->kind == TermKind::Call && e.term->items.size() == 4 && infix_text(e.term->name) &&
                   e.term->items[0]->kind == TermKind::Var) {
          // an operator call with its output argument: `plus(x, 1, y)` is `y = x + 1` (as OPA)
          const Term& t = *e.term;
          write_term(*t.items[3]);
          write(" = ");
          write_term(*t.items[1]);
          write(std::string(" ") + infix_text(t.name) + " ");
          write_term(*t.items[2]);
        } else {
          write_term(*e.term);
        }
        break;
      case ExprKind::Unify:
      case ExprKind::Assign:
        write_term(*e.lhs, e.lhs.get() == paren_union_);
        write(e.kind == ExprKind::Assign ? " := " : " = ");
        write_term(*e.rhs);
        break;
      case ExprKind::SomeDecl: {
        write("some ");
        int row = e.loc.row;
        for (size_t i = 0; i < e.vars.size(); ++i) {
          if (e.vars[i]->loc.row > row) {  // a variable on a further row: there too, indented once more
            end_line();
            start_line();
            write("\t");
            row = e.vars[i]->loc.row;
          } else if (i) {
            write(" ");
          }
          write_term(*e.vars[i]);
          if (i + 1 < e.vars.size()) write(",");
        }
        break;
      }
      case ExprKind::SomeIn:
      case ExprKind::Every:
        write(e.kind == ExprKind::Every ? "every " : "some ");
        if (e.key) {
          write_term(*e.key, true);
          write(", ");
        }
        write_term(*e.val, true);
        write(" in ");
        write_term(*e.coll, true);
        if (e.kind == ExprKind::Every) {
          write(" {");
          write_compr_body(*e.body, e.loc.row, block_close_row(*e.body));
          if (e.body->size() == 1 && (*e.body)[0].loc.row == e.loc.row) write(" ");
          write("}");
        }
        break;
      case ExprKind::Not: write_expr_core((*e.body)[0]); break;
    }
  }

  // ------------------------------------------------------------ terms

  // A call printed as an infix operator: `a + b`, and `plus(a, b)` too (as
  // OPA, which prints every builtin call with an infix form that way).
  static bool infix_form(const Term& t) {
    if (t.kind != TermKind::Call) return false;
    if (is_member(t)) return true;
    return t.items.size() == 3 && infix_text(t.name) && t.items[0]->kind == TermKind::Var;
  }

  // The union written bare at the start of expression `e` (`a | b == c`), if any.
  const Term* leading_union(const Expr& e) const {
    if (e.kind == ExprKind::Unify || e.kind == ExprKind::Assign) {
      return is_union(*e.lhs) && infix_form(*e.lhs) ? e.lhs.get() : nullptr;
    }
    if (e.kind != ExprKind::Term || !infix_form(*e.term) || e.term->name == "internal.member_3") return nullptr;
    const Term& t = *e.term;
    if (is_union(t)) return &t;
    const Term& op = *t.items[1];
    bool bare = infix_form(op) && op.name != "internal.member_3" && infix_level(op.name) >= infix_level(t.name);
    return bare && is_union(op) ? &op : nullptr;
  }

  // `top`: the call is an expression of its own; operands get parentheses only
  // where precedence needs them. Nested operator calls are parenthesized.
  void write_infix(const Term& t, bool top) {
    if (is_member(t)) {
      if (t.name == "internal.member_3") {
        write_member(t);
        return;
      }
      write_operand(*t.items[1], t, false, top);
      write(" in ");
      write_operand(*t.items[2], t, true, top);
      return;
    }
    write_operand(*t.items[1], t, false, top);
    write(std::string(" ") + infix_text(t.name) + " ");
    write_operand(*t.items[2], t, true, top);
  }
  void write_member(const Term& t) {
    write_term(*t.items[1], true);
    write(", ");
    write_term(*t.items[2], true);
    write(" in ");
    write_term(*t.items[3], true);
  }
  void write_operand(const Term& op, const Term& parent, bool right, bool top) {
    bool parens = true;
    if (top && infix_form(op)) {
      int lo = infix_level(op.name), lp = infix_level(parent.name);
      parens = right ? lo <= lp : lo < lp;
      if (op.name == "internal.member_3") parens = true;
    }
    write_term(op, parens || &op == paren_union_);
  }

  // `paren_infix`: parenthesize the term if it is an operator call.
  //
  // A comment that cannot be placed without moving it (an interior comment of
  // a collection kept on one line, or a second comment for the same output
  // line) makes the term fall back to its source text, as OPA's writeTerm
  // does (unexpectedCommentError): the outermost term of the expression that
  // holds such a comment is written as it stands in the source.
  void write_term(const Term& t, bool paren_infix = false) {
    if (skip_comments_once_) {
      skip_comments_once_ = false;
    } else {
      insert_comments(t.loc.row);
    }
    if (!inline_) start_line();
    if (no_throw_ || next_comment_row() == kNoRow) {
      write_term_body(t, paren_infix);
      return;
    }
    const size_t len = buf_.size(), ci = ci_, ov = overflow_.size();
    const int level = level_;
    const bool inl = inline_;
    const Comment* be1 = before_end_;
    const Term* pu = paren_union_;
    ++term_depth_;
    try {
      write_term_body(t, paren_infix);
      --term_depth_;
      return;
    } catch (const UnexpectedComment&) {
      --term_depth_;
      buf_.resize(len);
      level_ = level;
      inline_ = inl;
      ci_ = ci;
      overflow_.resize(ov);
      before_end_ = be1;
      paren_union_ = pu;
      size_t b = 0, e = 0;
      if (!raw_span(t, b, e)) {
        if (term_depth_ > 0) throw;
        no_throw_ = true;  // nothing to fall back to: place the comments as usual
        write_term_body(t, paren_infix);
        no_throw_ = false;
        return;
      }
      write_raw(b, e, t.loc.row);
      if (term_depth_ > 0) throw;
    }
  }

  // Writes source bytes [b, e) (starting on row `row`) as they stand. The
  // comments inside go with them; a comment on their last row is written right
  // after them, and whatever follows on the output line goes to the next line
  // (as OPA's writeUnformatted).
  void write_raw(size_t b, size_t e, int row) {
    int end_row = row_of(e - 1);
    // a comment kept for this row's end inside the source text is written with it
    if (before_end_ && before_end_->row >= row && before_end_->row < end_row) before_end_ = nullptr;
    buf_.append(src_, b, e - b);
    inline_ = true;
    while (ci_ < comments_.size() && (used_[ci_] || comments_[ci_].row < end_row)) ++ci_;
    if (ci_ < comments_.size() && comments_[ci_].row == end_row && comments_[ci_].offset >= e) {
      buf_ += " #" + comments_[ci_].text;
      nl_pending_ = true;
      ++ci_;
    }
  }

  // Source byte range [b, e) of a term that is one bracketed unit or one
  // token (collections, comprehensions, plain calls, template strings,
  // scalars, variables); false for others.
  bool raw_span(const Term& t, size_t& b, size_t& e) const {
    const Location& loc = t.kind == TermKind::Call ? t.items[0]->loc : t.loc;
    int i = tok_at(loc);
    if (i < 0) return false;
    const auto n = static_cast<int>(toks_.size());
    auto tk = [&](int k) -> const Token& { return toks_[static_cast<size_t>(k)]; };
    b = tk(i).offset;
    switch (t.kind) {
      case TermKind::Scalar:
        if (tk(i).kind == Tok::Minus && i + 1 < n) ++i;
        e = tk(i).end;
        return true;
      case TermKind::Var: e = tk(i).end; return tk(i).kind == Tok::Ident;
      case TermKind::Array:
      case TermKind::Set:
      case TermKind::Object:
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr:
        if ((tk(i).kind != Tok::LBrace && tk(i).kind != Tok::LBrack) || match_[static_cast<size_t>(i)] < 0) return false;
        e = tk(match_[static_cast<size_t>(i)]).end;
        return true;
      case TermKind::Call: {
        if (tk(i).kind == Tok::TemplateWhole) {
          e = tk(i).end;
          return true;
        }
        if (tk(i).kind == Tok::TemplateStart) {
          for (int j = i + 1, depth = 0; j < n; ++j) {
            if (tk(j).kind == Tok::TemplateStart) ++depth;
            if (tk(j).kind == Tok::TemplateEnd && depth-- == 0) {
              e = tk(j).end;
              return true;
            }
          }
          return false;
        }
        if (infix_form(t)) return false;
        while (i < n && (tk(i).kind == Tok::Ident || tk(i).kind == Tok::Dot)) ++i;
        if (i >= n || tk(i).kind != Tok::LParen || match_[static_cast<size_t>(i)] < 0) return false;
        e = tk(match_[static_cast<size_t>(i)]).end;
        return true;
      }
      default: return false;
    }
  }

  void write_term_body(const Term& t, bool paren_infix) {
    switch (t.kind) {
      case TermKind::Scalar: write(scalar_text(t)); break;
      case TermKind::Var: write(t.name); break;
      case TermKind::Ref: {
        const Term& head = *t.items[0];
        write_term(head, true);
        for (size_t i = 1; i < t.items.size(); ++i) write_ref_item(*t.items[i]);
        break;
      }
      case TermKind::Array: {
        write("[");
        std::vector<const Term*> items;
        for (const auto& it : t.items) items.push_back(it.get());
        write_list(items, t.loc.row, close_row(tok_at(t.loc)), true);
        write("]");
        break;
      }
      case TermKind::Set: {
        if (t.items.empty()) {
          write("set()");
          break;
        }
        write("{");
        std::vector<const Term*> items;
        for (const auto& it : t.items) items.push_back(it.get());
        write_list(items, t.loc.row, close_row(tok_at(t.loc)), true);
        write("}");
        break;
      }
      case TermKind::Object: write_object(t); break;
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
        write(t.kind == TermKind::ArrayCompr ? "[" : "{");
        write_compr(*t.head, t.head->loc.row, *t.body, t.loc.row, close_row(tok_at(t.loc)));
        write(t.kind == TermKind::ArrayCompr ? "]" : "}");
        break;
      case TermKind::ObjectCompr: {
        // the key stays after `{`; a body below the `{` is written one
        // expression per line
        write("{");
        write_term(*t.head, is_union(*t.head));
        write(": ");
        write_compr(*t.value_term, t.loc.row, *t.body, kNoRow, close_row(tok_at(t.loc)));
        write("}");
        break;
      }
      case TermKind::Call:
        if (write_template_string(t)) break;
        if (infix_form(t)) {
          bool parens = paren_infix || t.name == "internal.member_3";
          if (parens) write("(");
          write_infix(t, false);
          if (parens) write(")");
        } else {
          write_call(t);
        }
        break;
    }
  }

  // A template string (parsed into internal.template_string, see the parser):
  // its literal parts as written, each expression formatted.
  bool write_template_string(const Term& t) {
    if (t.name != "internal.template_string" || t.items.size() != 2) return false;
    const Term& parts = *t.items[1];
    if (parts.kind != TermKind::Array || (parts.name != "\"" && parts.name != "`")) return false;
    int i = tok_at(t.loc);
    if (i < 0) return false;
    Tok k = toks_[static_cast<size_t>(i)].kind;
    if (k != Tok::TemplateStart && k != Tok::TemplateWhole) return false;
    bool raw = parts.name == "`";
    // the Mid/End token after each expression
    std::vector<int> after;
    for (int j = i + 1, depth = 0; j < static_cast<int>(toks_.size()); ++j) {
      Tok tk = toks_[static_cast<size_t>(j)].kind;
      if (tk == Tok::TemplateStart) {
        ++depth;
      } else if ((tk == Tok::TemplateMid || tk == Tok::TemplateEnd) && depth == 0) {
        after.push_back(j);
        if (tk == Tok::TemplateEnd) break;
      } else if (tk == Tok::TemplateEnd) {
        --depth;
      }
    }
    // per expression: its text where a literal on the row of its braces, else empty
    std::vector<std::string> folded;
    for (const auto& p : parts.items) {
      if (p->kind != TermKind::SetCompr) continue;
      size_t x = folded.size();
      int open = x == 0 ? i : (x - 1 < after.size() ? after[x - 1] : -1);
      bool one_row = open >= 0 && x < after.size() &&
                     toks_[static_cast<size_t>(open)].row == toks_[static_cast<size_t>(after[x])].row;
      folded.push_back(one_row ? template_literal(*p->body->front().rhs, raw) : "");
    }
    // the text of the token before expression `x`, without the `{` of a folded expression
    auto open_text = [&](int tok, size_t x) {
      std::string s = tok_text(tok);
      if (x < folded.size() && !folded[x].empty() && !s.empty() && s.back() == '{') s.pop_back();
      return s;
    };
    write(open_text(i, 0));
    bool saved = inline_;
    inline_ = true;
    size_t x = 0;
    for (const auto& p : parts.items) {
      if (p->kind != TermKind::SetCompr) continue;  // literal parts are in the tokens
      bool fold = !folded[x].empty();
      if (fold) {
        write(folded[x]);
      } else {
        ++level_;  // rows of a multi-line expression are indented once more
        const Term& expr = *p->body->front().rhs;
        // comments as OPA's writeTemplateString places them: one kept for
        // the line's end ends it before the expression; the first comments
        // above the expression follow the `{`; those after it go on lines
        // of their own before the `}`
        if (before_end_) {
          end_line();
          start_line();
        } else if (next_comment_row() < expr.loc.row) {
          write(" ");
          write_own_line_comments(expr.loc.row);
        }
        write_term(expr);
        int next_row = x < after.size() ? toks_[static_cast<size_t>(after[x])].row : kNoRow;
        if (next_comment_row() < next_row) {
          end_line();
          write_own_line_comments(next_row);
          start_line();
        }
        --level_;
      }
      ++x;
      // the part after the expression: the next Mid/End token of this template
      int depth = 0;
      for (++i; i < static_cast<int>(toks_.size()); ++i) {
        Tok tk = toks_[static_cast<size_t>(i)].kind;
        if (tk == Tok::TemplateStart) {
          ++depth;
        } else if ((tk == Tok::TemplateMid || tk == Tok::TemplateEnd) && depth == 0) {
          break;
        } else if (tk == Tok::TemplateEnd) {
          --depth;
        }
      }
      if (i >= static_cast<int>(toks_.size())) break;
      std::string text = open_text(i, x);
      if (fold && !text.empty() && text[0] == '}') text.erase(0, 1);
      write(text);
    }
    inline_ = saved;
    return true;
  }
  // A scalar written into a template string as literal text, as OPA does
  // (`$"{42} {"a"}"` is `$"42 a"`); empty where it is kept an expression
  // (strings that would need escaping in the template).
  std::string template_literal(const Term& t, bool raw) const {
    if (t.kind != TermKind::Scalar) return "";
    if (!t.value.is_string()) return scalar_text(t);
    const std::string& v = t.value.str();
    if (v.empty()) return "";
    for (char c : v) {
      if (c == '{' || c == '}' || c == '\\' || c == (raw ? '`' : '"') || (!raw && static_cast<unsigned char>(c) < 0x20)) return "";
    }
    return v;
  }

  std::string scalar_text(const Term& t) const {
    int i = tok_at(t.loc);
    if (i >= 0) {
      const Token& tk = toks_[static_cast<size_t>(i)];
      if (t.value.is_string() && tk.kind == Tok::RawString) return tok_text(i);
      if (t.value.is_string() && tk.kind == Tok::String) return tok_text(i);  // as written (OPA keeps escapes)
      if (t.value.is_number()) {
        if (tk.kind == Tok::Number) return tok_text(i);
        if (tk.kind == Tok::Minus && i + 1 < static_cast<int>(toks_.size()) &&
            toks_[static_cast<size_t>(i + 1)].kind == Tok::Number) {
          return "-" + tok_text(i + 1);
        }
      }
    }
    return to_rego(t.value);
  }

  void write_ref_item(const Term& k) {
    if (k.kind == TermKind::Scalar && k.value.is_string()) {
      const std::string& s = k.value.str();
      int i = tok_at(k.loc);
      bool written_dot = i >= 0 && toks_[static_cast<size_t>(i)].kind == Tok::Ident;
      if (is_ident_text(s) && (!is_keyword(s) || written_dot)) {
        write("." + s);
      } else {
        write("[" + scalar_text(k) + "]");
      }
      return;
    }
    write("[");
    write_term(k);
    write("]");
  }

  void write_call(const Term& t) {
    const Term& op = *t.items[0];
    if (op.kind == TermKind::Ref) {
      write_term(op);
    } else {
      write(op.kind == TermKind::Var ? op.name : t.name);
    }
    int open = tok_at(op.loc);
    while (open >= 0 && open < static_cast<int>(toks_.size()) && toks_[static_cast<size_t>(open)].kind != Tok::LParen) {
      ++open;
    }
    if (open >= static_cast<int>(toks_.size())) open = -1;
    write("(");
    std::vector<const Term*> args;
    for (size_t i = 1; i < t.items.size(); ++i) args.push_back(t.items[i].get());
    // arguments all on one row stay on one line, even below the `(` (as OPA)
    write_list(args, kNoRow, close_row(open), false);
    write(")");
  }

  void write_object(const Term& t) {
    write("{");
    std::vector<int> rows;
    for (size_t i = 0; i + 1 < t.items.size(); i += 2) rows.push_back(elem_row(*t.items[i]));
    write_iterable(rows, t.loc.row, close_row(tok_at(t.loc)), [&](size_t i) {
      const Term& k = *t.items[2 * i];
      const Term& v = *t.items[2 * i + 1];
      bool pk = is_union(k) && infix_form(k);
      write_term(k, pk);
      write(": ");
      write_term(v, is_union(v) && infix_form(v));
    });
    write("}");
  }

  // `collection`: elements of an array or set (a union there needs parens).
  void write_list(const std::vector<const Term*>& items, int open_row, int close, bool collection) {
    std::vector<int> rows;
    for (const Term* t : items) rows.push_back(elem_row(*t));
    write_iterable(rows, open_row, close, [&](size_t i) {
      const Term& t = *items[i];
      write_term(t, collection && is_union(t) && infix_form(t));
    });
  }

  // Elements on one source row stay on one line; a collection whose elements
  // span rows (or start below the opening bracket) is written one row per line
  // with a trailing comma.
  template <class F>
  void write_iterable(const std::vector<int>& rows, int open_row, int close, F&& write_elem) {
    if (rows.empty()) {
      if (close > 0) insert_comments(close);
      return;
    }
    std::vector<std::pair<size_t, size_t>> lines;
    size_t start = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
      if (rows[i] > rows[i - 1]) {
        lines.emplace_back(start, i);
        start = i;
      }
    }
    lines.emplace_back(start, rows.size());
    if (lines.size() == 1 && term_depth_ > 0 && !no_throw_) {
      // a comment between the rows of a collection kept on one line has no
      // place: the term is written as in the source (OPA's writeIterable;
      // not for call arguments, whose open row is kNoRow here, as OPA's
      // formatter test files show)
      for (size_t c = ci_; c < comments_.size() && comments_[c].row < close; ++c) {
        if (!used_[c] && comments_[c].row > open_row) throw UnexpectedComment{};
      }
    }
    bool multiline = lines.size() > 1 || rows[0] > open_row;
    if (multiline) {
      // a comment on the opening row goes after the first row of elements (OPA's delayBeforeEnd)
      delay_ = true;
      end_line();
      ++level_;
      start_line();
    }
    for (size_t l = 0; l < lines.size(); ++l) {
      for (size_t i = lines[l].first; i < lines[l].second; ++i) {
        if (i > lines[l].first) write(", ");
        write_elem(i);
      }
      if (l + 1 < lines.size()) {
        write(",");
        end_line();
        start_line();
      }
    }
    if (multiline) {
      write(",");
      end_line();
      insert_comments(close);
      --level_;
      start_line();
    }
  }

  void write_compr(const Term& head, int head_row, const Body& body, int open_row, int close) {
    if (head.loc.row - open_row >= 1) {
      end_line();
      start_line();
    }
    if (head.kind == TermKind::Call && paren_written(head) && !infix_form(head)) {
      write("(");  // OPA keeps a call's parentheses in a comprehension head
      write_term(head);
      write(")");
    } else {
      bool parens = infix_form(head) && (is_union(head) || head.name == "internal.member_3" || paren_written(head));
      write_term(head, parens);
    }
    write(" |");
    write_compr_body(body, head_row, close);
  }

  void write_compr_body(const Body& body, int term_row, int close) {
    if (body.empty()) return;
    bool multi_rows = false;
    for (size_t i = 1; i < body.size(); ++i) multi_rows |= body[i].loc.row > body[i - 1].loc.row;
    if (body[0].loc.row > term_row || multi_rows) {
      end_line();
      ++level_;
      write_body(body);
      insert_comments(close);
      --level_;
      start_line();
      return;
    }
    write(" ");
    for (size_t i = 0; i < body.size(); ++i) {
      if (i) write("; ");
      write_expr(body[i]);
    }
    insert_comments(close);
  }
};

bool brace_lead(const Term& t) {
  switch (t.kind) {
    case TermKind::Set: return !t.items.empty();
    case TermKind::Object:
    case TermKind::SetCompr:
    case TermKind::ObjectCompr: return true;
    case TermKind::Ref: return brace_lead(*t.items[0]);
    case TermKind::Call:
      if (infix_text(t.name) || is_member(t)) return t.items.size() > 1 && brace_lead(*t.items[1]);
      return false;
    default: return false;
  }
}

}  // namespace

std::string format_module(const Module& m, FormatOutput output, bool drop_v0_imports) {
  return Formatter(m, output, drop_v0_imports).run();
}

std::string format_source(const std::string& file, const std::string& source, const FormatOptions& opts) {
  ParseOptions po;
  po.v0 = opts.v0;
  ModulePtr m = parse_module(file, source, po);
  if (opts.output == FormatOutput::V0V1) {
    // as opa fmt --v0-v1: v0 modules that v1 would reject are errors
    std::vector<ErrorInfo> errs = rego_v1_checks(*m);
    if (!errs.empty()) throw Error(errs);
  }
  std::string out = format_module(*m, opts.output, opts.drop_v0_imports);
  if (!opts.check_result) return out;
  try {
    ParseOptions back;
    back.v0 = opts.output == FormatOutput::V0;
    parse_module(file, out, back);
  } catch (const Error& e) {
    ErrorInfo info = e.errors.empty() ? ErrorInfo{} : e.errors[0];
    info.code = "rego_format_error";
    info.message = "formatted module does not parse: " + info.message;
    throw Error(info);
  }
  return out;
}

}  // namespace wartburg::lang
