// Recursive-descent parser over the token list (lexer.cpp). Operator
// precedence follows OPA: in < relation < | < & < + - < * / % < terms.
#include "lang/parser.h"

#include <set>
#include <unordered_map>

#include "policy/number.h"

#include "lang/lexer.h"

namespace wartburg::lang {

namespace {

struct ParseFail {
  std::string message;
  int row, col;
};

// The parser backtracks (comprehension or literal, `if {` body or term,
// `k, v in xs`); on hostile input (deeply nested `[a | b, [a | b, ...`) that
// is exponential. The work is bounded: every token advance counts, and past a
// budget proportional to the input the parse fails. Not a ParseFail, so that
// no alternative is tried after it. The nesting limit (Nest) fails the same
// way: an alternative parse of the same text would nest as deep.
const char* const kWorkExceeded =
    "the parse needs too much backtracking (deeply nested ambiguous literals such as [a | b, [a | b, ...)";

struct ParseWorkExceeded {
  std::string message;
  int row, col;
};

bool is_keyword(const std::string& s) {
  return s == "package" || s == "import" || s == "default" || s == "not" || s == "some" || s == "with" ||
         s == "as" || s == "else" || s == "if" || s == "contains" || s == "in" || s == "every" ||
         s == "true" || s == "false" || s == "null";
}

class Parser {
 public:
  Parser(std::vector<Token> toks, std::shared_ptr<std::string> file, std::shared_ptr<std::string> src,
         const ParseOptions& opts)
      : t_(std::move(toks)), file_(std::move(file)), src_(std::move(src)), v0_(opts.v0), fold_(opts.fold_constants) {}

  ModulePtr module() {
    auto m = std::make_shared<Module>();
    m->file = file_;
    m->source = src_;
    m->v0 = v0_;
    if (!is_ident("package")) fail(cur(), "unexpected " + describe(cur()) + ": expected package");
    m->package_loc = loc(cur());
    next();
    m->package = package_path();
    while (cur().kind != Tok::End) {
      if (is_ident("package")) fail(cur(), "unexpected package keyword: only one package per module");
      if (is_ident("import")) {
        m->imports.push_back(import_decl());
        const std::string path = term_text(*m->imports.back().path);
        if (path == "rego.v2" || path == "future.keywords.not") v2_ = true;
        // a v0 module importing rego.v1 is a v1 module (OPA: the import selects the version)
        if (path == "rego.v1" && v0_) {
          v0_ = false;
          m->v0 = false;
        }
        if (path == "future.keywords" || path == "rego.v1") {
          future_keywords_ = {"in", "if", "contains", "every"};
        } else if (path.rfind("future.keywords.", 0) == 0) {
          future_keywords_.insert(path.substr(16));
          if (path == "future.keywords.every") future_keywords_.insert("in");  // as OPA's scanner
        }
        continue;
      }
      if (is_ident("import")) continue;
      parse_rule_into(*m);
    }
    return m;
  }

  Body query() {
    Body b;
    if (cur().kind == Tok::End) fail(cur(), "empty query");
    while (cur().kind != Tok::End) {
      b.push_back(literal());
      separator(Tok::End);
    }
    return b;
  }

 private:
  std::vector<Token> t_;
  size_t p_ = 0;
  std::shared_ptr<std::string> file_;
  std::shared_ptr<std::string> src_;
  bool v0_;
  bool fold_;
  struct ProbedTerm {
    TermPtr term;
    size_t end;  // token after it
    int depth;   // depth_ where it was parsed: reused only at that depth or above
    bool no_pipe;
  };
  std::unordered_map<size_t, ProbedTerm> probe_cache_;  // by first token (see term_infix)
  uint64_t steps_ = 0;  // token advances, backtracking included (see ParseWorkExceeded)
  uint64_t step_budget_ = uint64_t{16} * t_.size() + 200000;
  int next_template_var_ = 0;  // __tplN__ variables of template-string expressions
  bool v2_ = false;  // the module imports rego.v2 or future.keywords.not (`not { ... }` bodies)
  // v0 modules: `in`, `if`, `contains` and `every` are keywords only once
  // imported (future.keywords, future.keywords.<kw>, rego.v1); otherwise names
  std::set<std::string> future_keywords_;
  bool kw(const std::string& s) const {
    if (s != "in" && s != "if" && s != "contains" && s != "every") return is_keyword(s);
    return !v0_ || future_keywords_.count(s) > 0;
  }
  bool in_kw() const { return kw("in"); }
  bool is_kw(const char* s) const { return is_ident(s) && kw(s); }
  // Depth of the AST built so far on the current path (see kMaxNesting).
  int depth_ = 0;

  // Every level of the AST the parser builds counts against one budget:
  // nested terms, each operator of a left-associative chain (`1 + 1 + ...`
  // nests to the left), each reference suffix and call, nested bodies
  // (`every`, `not`, comprehensions), `with` and `else` chains. So every later
  // recursive stage (compiler, formatter, plan writer, evaluator) walks at
  // most kMaxNesting levels of AST per term, whatever the input.
  class Nest {
   public:
    Nest(Parser& p, int levels, const char* what, int reserve = 0) : p_(p), n_(0) { add(levels, what, reserve); }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;
    ~Nest() { p_.depth_ -= n_; }
    // `reserve`: levels the construct needs below it (an operator's right
    // operand), so that the error names the construct that is too deep.
    void add(int levels, const char* what, int reserve = 0) {
      p_.depth_ += levels;
      n_ += levels;
      if (p_.depth_ + reserve > kMaxNesting) {
        throw ParseWorkExceeded{std::string(what) + " exceeds the maximum depth of " + std::to_string(kMaxNesting),
                                p_.cur().row, p_.cur().col};
      }
    }

   private:
    Parser& p_;
    int n_;
  };

  const Token& cur() const { return t_[p_]; }
  const Token& peek(size_t n = 1) const { return t_[std::min(p_ + n, t_.size() - 1)]; }
  void next() {
    if (++steps_ > step_budget_) throw ParseWorkExceeded{kWorkExceeded, cur().row, cur().col};
    if (p_ + 1 < t_.size()) ++p_;
  }
  bool is(Tok k) const { return cur().kind == k; }
  bool is_ident(const char* s) const { return cur().kind == Tok::Ident && cur().text == s; }
  bool accept(Tok k) {
    if (!is(k)) return false;
    next();
    return true;
  }
  Location loc(const Token& t) const { return Location{file_.get(), t.row, t.col}; }
  size_t prev_end() const { return p_ > 0 ? t_[p_ - 1].end : 0; }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::End: return "eof token";
      case Tok::Ident: return is_keyword(t.text) ? t.text + " keyword" : "ident token";
      case Tok::Number: return "number token";
      case Tok::String:
      case Tok::RawString: return "string token";
      default: return std::string(tok_text(t.kind)) + " token";
    }
  }

  [[noreturn]] void fail(const Token& t, const std::string& msg) { throw ParseFail{msg, t.row, t.col}; }

  void expect(Tok k, const char* what = nullptr) {
    if (!is(k)) {
      fail(cur(), "unexpected " + describe(cur()) + ": expected " + (what ? what : tok_text(k)));
    }
    next();
  }

  // After a literal: ';', a newline, or the closing token.
  void separator(Tok closing) {
    if (accept(Tok::Semicolon)) return;
    if (is(closing) || cur().nl_before) return;
    fail(cur(), "unexpected " + describe(cur()) + ": expected \\n or ; or " + tok_text(closing));
  }

  // ---------------------------------------------------------------- module parts

  std::vector<std::string> package_path() {
    TermPtr r = ref_or_var_path();
    std::vector<std::string> out;
    const auto& items = r->kind == TermKind::Ref ? r->items : std::vector<TermPtr>{r};
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& it = items[i];
      if (i == 0 && it->kind == TermKind::Var) {
        out.push_back(it->name);
      } else if (it->kind == TermKind::Scalar && it->value.is_string()) {
        out.push_back(it->value.str());
      } else {
        throw ParseFail{"package path must contain strings", it->loc.row, it->loc.col};
      }
    }
    if (!out.empty() && out[0] == "data") out.erase(out.begin());
    check_rule_path(out, 0, items.front()->loc, "package path");
    return out;
  }

  // Every package and rule path becomes a chain of nodes in the rule tree,
  // each holding its own path: the length of paths is bounded so that the
  // tree stays linear in the size of the source (see kMaxRulePathSegments).
  void check_rule_path(const std::vector<std::string>& path, size_t extra, const Location& l, const char* what) {
    size_t bytes = 4;  // "data"
    for (const auto& k : path) bytes += k.size() + 1;
    if (path.size() + extra > kMaxRulePathSegments) {
      throw ParseFail{std::string(what) + " has more than " + std::to_string(kMaxRulePathSegments) + " segments",
                      l.row, l.col};
    }
    if (bytes > kMaxRulePathBytes) {
      throw ParseFail{std::string(what) + " is longer than " + std::to_string(kMaxRulePathBytes) + " bytes", l.row,
                      l.col};
    }
  }

  // name(.name | [scalar])*
  TermPtr ref_or_var_path() {
    if (!is(Tok::Ident)) fail(cur(), "unexpected " + describe(cur()) + ": expected ident");
    TermPtr head = make_var(cur().text, loc(cur()));
    next();
    TermPtr r;
    while ((is(Tok::Dot) || is(Tok::LBrack)) && !cur().ws_before) {
      if (!r) {
        r = make_term(TermKind::Ref, head->loc);
        r->items.push_back(head);
      }
      if (accept(Tok::Dot)) {
        if (!is(Tok::Ident)) fail(cur(), "unexpected " + describe(cur()) + ": expected ident");
        r->items.push_back(make_scalar(Value::string(cur().text), loc(cur())));
        next();
      } else {
        next();
        r->items.push_back(term_infix());
        expect(Tok::RBrack);
      }
    }
    return r ? r : head;
  }

  Import import_decl() {
    Import imp;
    imp.loc = loc(cur());
    next();
    const Token& path_tok = cur();
    imp.path = ref_or_var_path();
    {
      const Term& head = imp.path->kind == TermKind::Ref ? *imp.path->items[0] : *imp.path;
      if (head.name != "data" && head.name != "input" && head.name != "future" && head.name != "rego") {
        fail(path_tok, "unexpected import path, must begin with one of: {data, future, input, rego}, got: " + head.name +
                           " (hint: if this is unexpected, try updating OPA)");
      }
    }
    if (is_ident("as")) {
      next();
      if (!is(Tok::Ident)) fail(cur(), "unexpected " + describe(cur()) + ": expected var");
      imp.alias = cur().text;
      next();
    }
    if (!cur().nl_before && !is(Tok::End) && !is(Tok::Semicolon)) {
      fail(cur(), "unexpected " + describe(cur()) + ": expected newline after import");
    }
    accept(Tok::Semicolon);
    return imp;
  }

  void parse_rule_into(Module& m) {
    auto rule = std::make_shared<Rule>();
    const Token& start = cur();
    rule->loc = loc(start);
    if (is_ident("default")) {
      rule->is_default = true;
      next();
    }
    if (!is(Tok::Ident) || kw(cur().text)) {
      fail(cur(), "unexpected " + describe(cur()) + ": expected rule head");
    }
    const size_t head_start = p_;
    rule_head(*rule);
    {
      // the rule's place in the rule tree: package + constant prefix of the head reference
      std::vector<std::string> path = m.package;
      size_t extra = 0;
      for (size_t i = 0; i < rule->ref.size(); ++i) {
        const Term& t = *rule->ref[i];
        if (t.kind == TermKind::Var && i == 0) {
          path.push_back(t.name);
        } else if (t.kind == TermKind::Scalar && t.value.is_string()) {
          path.push_back(t.value.str());
        } else {
          extra = rule->ref.size() - i;  // variable part: data below the node, still part of the head
          break;
        }
      }
      check_rule_path(path, extra, rule->loc, "rule path");
    }
    if (rule->is_default) {
      if (!rule->value) fail(cur(), "default rule must have a value");
      if (const char* what = dynamic_in(*rule->value)) {
        throw ParseFail{std::string("illegal default rule (value cannot contain ") + what + ")", rule->loc.row,
                        rule->loc.col};
      }
      m.rules.push_back(rule);
      return;
    }
    const size_t head_end = p_;
    rule_body(*rule, true);
    // chained bodies `p { a } { b }` / `p if { a } { b }`: p defined once per body
    // (the head is parsed again for each, so that no terms are shared)
    std::vector<RulePtr> chained;
    while (is(Tok::LBrace) && p_ != head_end) {
      const size_t body_start = p_;
      p_ = head_start;
      auto r2 = std::make_shared<Rule>();
      r2->loc = rule->loc;
      rule_head(*r2);
      p_ = body_start;
      Nest nest(*this, 1, "chain of rule bodies", 2);
      r2->body = body_block();
      if (!is(Tok::End) && !cur().nl_before && !is(Tok::Semicolon) && !is(Tok::LBrace)) {
        fail(cur(), "unexpected " + describe(cur()) + ": expected end of rule");
      }
      accept(Tok::Semicolon);
      chained.push_back(std::move(r2));
    }
    if (!chained.empty()) {
      m.rules.push_back(rule);
      for (auto& c : chained) m.rules.push_back(std::move(c));
      return;
    }
    Rule* last = rule.get();
    Nest chain(*this, 0, "else chain");
    while (is_ident("else")) {
      chain.add(1, "else chain", 3);  // room for the value term and a body
      auto e = std::make_shared<Rule>();
      e->loc = loc(cur());
      next();
      e->kind = rule->kind;
      e->ref = rule->ref;
      e->args = rule->args;
      e->assign = is(Tok::Assign);
      if (accept(Tok::Unify) || (is(Tok::Assign) && (next(), true))) {
        e->value = term_infix();
      }
      rule_body(*e, false);
      last->else_rule = e;
      last = e.get();
    }
    m.rules.push_back(rule);
  }

  // What makes a default value not a constant (OPA: var, ref or call outside comprehensions).
  static const char* dynamic_in(const Term& t) {
    switch (t.kind) {
      case TermKind::Var: return "var";
      case TermKind::Ref: return "ref";
      case TermKind::Call: return "call";
      case TermKind::ArrayCompr:
      case TermKind::SetCompr:
      case TermKind::ObjectCompr: return nullptr;
      default:
        for (const auto& i : t.items) {
          if (const char* w = dynamic_in(*i)) return w;
        }
        return nullptr;
    }
  }

  void rule_head(Rule& r) {
    TermPtr name = make_var(cur().text, loc(cur()));
    next();
    r.ref.push_back(name);
    while ((is(Tok::Dot) || is(Tok::LBrack)) && !cur().ws_before) {
      if (accept(Tok::Dot)) {
        if (!is(Tok::Ident)) fail(cur(), "unexpected " + describe(cur()) + ": expected ident");
        r.ref.push_back(make_scalar(Value::string(cur().text), loc(cur())));
        next();
      } else {
        next();
        r.ref.push_back(term_infix());
        expect(Tok::RBrack);
      }
    }
    if (is(Tok::LParen) && !cur().ws_before) {
      next();
      r.kind = RuleKind::Function;
      while (!is(Tok::RParen)) {
        r.args.push_back(term_infix(false, false));
        if (!accept(Tok::Comma)) break;
      }
      expect(Tok::RParen);
    }
    if (is_kw("contains")) {
      if (r.kind == RuleKind::Function) fail(cur(), "unexpected contains keyword: functions cannot use contains");
      next();
      r.kind = RuleKind::MultiValue;
      r.key = term_infix();
      return;
    }
    if (is(Tok::Unify) || is(Tok::Assign)) {
      r.assign = is(Tok::Assign);
      next();
      r.value = term_infix();
      return;
    }
    // v0: p[x] { ... } is a partial set (`p[x] if ...`, with `if` imported,
    // is the single-value rule p[x] := true, as in OPA's parser)
    if (v0_ && r.kind == RuleKind::Complete && r.ref.size() == 2 && !r.is_default && !is_kw("if")) {
      r.kind = RuleKind::MultiValue;
      r.key = r.ref.back();
      r.ref.pop_back();
    }
  }

  void rule_body(Rule& r, bool first) {
    if (is_kw("if")) {
      next();
      if (is(Tok::LBrace)) {
        // As OPA: `if {` is first read as a one-expression body (`if {x | ...}`,
        // `if {"a": 1}.a == 1`); when that is a set literal (`if { x }`) or does
        // not parse, the braces are a body block.
        size_t save = p_;
        int depth = depth_;
        bool literal_body = false;
        // (`if {}` stays "found empty body": OPA would read an empty object,
        // always true; an `else if {` is always a body block, as in OPA)
        if (first && peek().kind != Tok::RBrace) {
          try {
            Expr e = literal();
            const bool set_literal = e.kind == ExprKind::Term && e.withs.empty() &&
                                     (e.term->kind == TermKind::Set ||
                                      (e.term->kind == TermKind::Scalar && e.term->value.is_set()));
            const bool ends = is(Tok::End) || cur().nl_before || is_ident("else") || is(Tok::Semicolon) ||
                              is(Tok::LBrace);
            if (!set_literal && ends) {
              r.body.push_back(std::move(e));
              literal_body = true;
            }
          } catch (const ParseFail&) {
          }
        }
        if (!literal_body) {
          p_ = save;
          depth_ = depth;
          r.body = body_block();
        }
      } else {
        r.body.push_back(literal());
      }
    } else if (is(Tok::LBrace) && !(first && cur().nl_before && false)) {
      if (!v0_) fail(cur(), "`if` keyword is required before rule body");
      r.body = body_block();
    }
    if (!is(Tok::End) && !cur().nl_before && !is_ident("else") && !is(Tok::Semicolon) && !is(Tok::LBrace)) {
      fail(cur(), "unexpected " + describe(cur()) + ": expected end of rule");
    }
    accept(Tok::Semicolon);
  }

  Body body_block() {
    const Token& open = cur();
    expect(Tok::LBrace);
    Body b;
    if (is(Tok::RBrace)) fail(open, "found empty body");
    while (!is(Tok::RBrace)) {
      if (is(Tok::End)) fail(cur(), "unexpected eof token: expected }");
      b.push_back(literal());
      separator(Tok::RBrace);
    }
    next();
    return b;
  }

  // ---------------------------------------------------------------- literals

  Expr literal() {
    Nest nest(*this, 1, "nesting of bodies", 2);  // room for the expression and a term in it
    Expr e;
    const Token& start = cur();
    e.loc = loc(start);
    e.text_begin = start.offset;
    if (is_ident("some")) {
      next();
      some_decl(e);
    } else if (is_kw("every")) {
      next();
      every_expr(e);
    } else if (is_ident("not")) {
      next();
      e.kind = ExprKind::Not;
      if (v2_ && is(Tok::LBrace)) {  // rego.v2 / future.keywords.not: `not { a; b }` negates a whole body
        e.body = std::make_shared<Body>(body_block());
      } else {
        e.body = std::make_shared<Body>();
        Expr inner;
        inner.loc = loc(cur());
        inner.text_begin = cur().offset;
        plain_expr(inner);
        inner.text_end = prev_end();
        e.body->push_back(std::move(inner));
      }
    } else {
      plain_expr(e);
    }
    while (is_ident("with")) {
      nest.add(1, "with chain", 3);  // room for a target reference and the value
      With w;
      w.loc = loc(cur());
      next();
      w.target = term_primary();
      if (!is_ident("as")) fail(cur(), "unexpected " + describe(cur()) + ": expected as");
      next();
      w.value = term_infix();
      e.withs.push_back(std::move(w));
    }
    e.text_end = prev_end();
    return e;
  }

  void plain_expr(Expr& e) {
    TermPtr lhs = term_infix();
    if (is(Tok::Unify) || is(Tok::Assign)) {
      e.kind = is(Tok::Assign) ? ExprKind::Assign : ExprKind::Unify;
      next();
      e.lhs = lhs;
      e.rhs = term_infix();
      return;
    }
    e.kind = ExprKind::Term;
    e.term = lhs;
  }

  void some_decl(Expr& e) {
    std::vector<TermPtr> terms;
    terms.push_back(term_relation());
    while (accept(Tok::Comma)) terms.push_back(term_relation());
    if (is_ident("in")) {
      next();
      if (terms.size() > 2) fail(cur(), "unexpected , token: expected at most key and value");
      e.kind = ExprKind::SomeIn;
      if (terms.size() == 2) e.key = terms[0];
      e.val = terms.back();
      e.coll = term_relation();
      return;
    }
    // `some x in xs` parsed as relation gives Call(internal.member_2): unwrap
    if (terms.size() == 1 && terms[0]->kind == TermKind::Call && terms[0]->name == "internal.member_2") {
      e.kind = ExprKind::SomeIn;
      e.val = terms[0]->items[1];
      e.coll = terms[0]->items[2];
      return;
    }
    e.kind = ExprKind::SomeDecl;
    for (auto& t : terms) {
      if (t->kind != TermKind::Var) {
        throw ParseFail{"expected var in some declaration", t->loc.row, t->loc.col};
      }
    }
    e.vars = std::move(terms);
  }

  void every_expr(Expr& e) {
    e.kind = ExprKind::Every;
    TermPtr a = term_relation_noin();
    if (accept(Tok::Comma)) {
      e.key = a;
      e.val = term_relation_noin();
    } else {
      e.val = a;
    }
    if (!is_ident("in")) fail(cur(), "unexpected " + describe(cur()) + ": expected in");
    next();
    e.coll = term_relation();
    e.body = std::make_shared<Body>(body_block());
  }

  // ---------------------------------------------------------------- terms

  TermPtr call(const char* op, TermPtr a, TermPtr b, Location l) {
    auto c = make_term(TermKind::Call, l);
    c->name = op;
    c->items.push_back(make_var(op, l));
    c->items.push_back(std::move(a));
    c->items.push_back(std::move(b));
    return c;
  }

  // `in` level. With key_val, `k, v in xs` (membership with key) is accepted,
  // as OPA does outside of lists.
  TermPtr term_infix(bool no_pipe = false, bool key_val = true) {
    TermPtr lhs = term_relation(no_pipe);
    Nest chain(*this, 0, "operator chain");
    while (true) {
      if (key_val && is(Tok::Comma)) {
        size_t save = p_;
        const int depth = depth_;
        next();
        const size_t mid_start = p_;
        TermPtr mid;
        try {
          mid = term_relation(no_pipe);
        } catch (const ParseFail&) {  // not `k, v in xs`: the comma belongs to the caller
          p_ = save;
          depth_ = depth;
          return lhs;
        }
        if (is_ident("in") && in_kw()) {
          Location l = loc(cur());
          chain.add(1, "operator chain", 1);
          next();
          TermPtr rhs = term_relation(no_pipe);
          auto c = make_term(TermKind::Call, l);
          c->name = "internal.member_3";
          c->items = {make_var(c->name, l), lhs, mid, rhs};
          lhs = c;
          continue;
        }
        // the term after the comma is parsed again by the caller: keep it
        probe_cache_[mid_start] = ProbedTerm{mid, p_, depth_, no_pipe};
        p_ = save;
        return lhs;
      }
      if (!is_ident("in") || !in_kw()) return lhs;
      Location l = loc(cur());
      chain.add(1, "operator chain", 1);
      next();
      TermPtr rhs = term_relation(no_pipe);
      lhs = call("internal.member_2", lhs, rhs, l);
    }
  }

  TermPtr term_relation_noin() { return term_relation(false); }

  TermPtr term_relation(bool no_pipe = false) {
    // a term the `k, v in xs` probe parsed here already (at most once reused):
    // without this, nested literals like `[a | b, [a | b, ...` parse in
    // exponential time
    if (auto it = probe_cache_.find(p_);
        it != probe_cache_.end() && it->second.no_pipe == no_pipe && depth_ <= it->second.depth) {
      ProbedTerm hit = std::move(it->second);
      probe_cache_.erase(it);
      p_ = hit.end;
      return hit.term;
    }
    TermPtr lhs = term_or(no_pipe);
    Nest chain(*this, 0, "operator chain");
    while (true) {
      const char* op = nullptr;
      switch (cur().kind) {
        case Tok::Eq: op = "equal"; break;
        case Tok::Neq: op = "neq"; break;
        case Tok::Lt: op = "lt"; break;
        case Tok::Lte: op = "lte"; break;
        case Tok::Gt: op = "gt"; break;
        case Tok::Gte: op = "gte"; break;
        default: return lhs;
      }
      Location l = lhs->loc;
      chain.add(1, "operator chain", 1);
      next();
      lhs = call(op, lhs, term_or(no_pipe), l);
    }
  }

  TermPtr term_or(bool no_pipe) {
    TermPtr lhs = term_and();
    Nest chain(*this, 0, "operator chain");
    while (!no_pipe && is(Tok::Pipe)) {
      Location l = lhs->loc;
      chain.add(1, "operator chain", 1);
      next();
      lhs = call("or", lhs, term_and(), l);
    }
    return lhs;
  }

  TermPtr term_and() {
    TermPtr lhs = term_arith();
    Nest chain(*this, 0, "operator chain");
    while (is(Tok::Amp)) {
      Location l = lhs->loc;
      chain.add(1, "operator chain", 1);
      next();
      lhs = call("and", lhs, term_arith(), l);
    }
    return lhs;
  }

  TermPtr term_arith() {
    TermPtr lhs = term_factor();
    Nest chain(*this, 0, "operator chain");
    while (is(Tok::Plus) || is(Tok::Minus)) {
      const char* op = is(Tok::Plus) ? "plus" : "minus";
      Location l = lhs->loc;
      chain.add(1, "operator chain", 1);
      next();
      lhs = call(op, lhs, term_factor(), l);
    }
    return lhs;
  }

  TermPtr term_factor() {
    TermPtr lhs = term_primary();
    Nest chain(*this, 0, "operator chain");
    while (is(Tok::Star) || is(Tok::Slash) || is(Tok::Percent)) {
      const char* op = is(Tok::Star) ? "mul" : (is(Tok::Slash) ? "div" : "rem");
      Location l = lhs->loc;
      chain.add(1, "operator chain", 1);
      next();
      lhs = call(op, lhs, term_primary(), l);
    }
    return lhs;
  }

  TermPtr term_primary() {
    Nest nest(*this, 1, "nesting of terms");
    TermPtr t = term_atom();
    if (t->kind == TermKind::Scalar) {
      // scalars are not references: `1.a` is not a ref (OPA: expected fraction)
      if ((is(Tok::Dot) || is(Tok::LBrack)) && !cur().ws_before) {
        throw ParseFail{t->value.is_number() ? "expected fraction" : "unexpected " + describe(cur()) + " after a scalar",
                        t->loc.row, t->loc.col};
      }
      return t;
    }
    return suffixes(t);
  }

  Value number(const Token& tk, const std::string& text) {
    Value v = Value::number_from_text(text);
    if (v.defined()) return v;
    size_t digits = 0;
    for (char c : text) digits += c >= '0' && c <= '9';
    if (digits > static_cast<size_t>(num::kMaxDigits)) {
      fail(tk, "number has more than " + std::to_string(num::kMaxDigits) + " digits");
    }
    fail(tk, "invalid number");
  }

  TermPtr term_atom() {
    const Token& tk = cur();
    Location l = loc(tk);
    switch (tk.kind) {
      case Tok::Number: {
        Value v = number(tk, tk.text);
        next();
        return make_scalar(v, l);
      }
      case Tok::String:
      case Tok::RawString: {
        auto t = make_scalar(Value::string(tk.text), l);
        next();
        return t;
      }
      case Tok::Minus: {
        const Token& n = peek();
        if (n.kind == Tok::Number && !n.ws_before) {
          next();
          Value v = number(cur(), "-" + cur().text);
          next();
          return make_scalar(v, l);
        }
        fail(tk, "unexpected - token: expected term");
      }
      case Tok::TemplateStart:
      case Tok::TemplateWhole: return template_string();
      case Tok::LBrack: return array_or_compr();
      case Tok::LBrace: return object_set_or_compr();
      case Tok::LParen: {
        next();
        TermPtr inner = term_infix();
        expect(Tok::RParen);
        return inner;
      }
      case Tok::Ident: {
        if (tk.text == "true" || tk.text == "false") {
          next();
          return make_scalar(Value::boolean(tk.text == "true"), l);
        }
        if (tk.text == "null") {
          next();
          return make_scalar(Value::null(), l);
        }
        if (tk.text == "set" && peek().kind == Tok::LParen && !peek().ws_before && peek(2).kind == Tok::RParen) {
          next();
          next();
          next();
          return make_term(TermKind::Set, l);
        }
        if ((tk.text == "in" || tk.text == "if" || tk.text == "contains" || tk.text == "every") && !kw(tk.text)) {
          // v0 without the future keyword's import: an ordinary name
          next();
          return make_var(tk.text, l);
        }
        if (is_keyword(tk.text) && tk.text != "in" && tk.text != "contains" && tk.text != "if" &&
            tk.text != "every") {
          fail(tk, "unexpected " + tk.text + " keyword");
        }
        if (tk.text == "in" || tk.text == "if" || tk.text == "every") fail(tk, "unexpected " + tk.text + " keyword");
        next();
        return make_var(tk.text, l);
      }
      default: fail(tk, "unexpected " + describe(tk) + ": expected term");
    }
  }

  // A template string $"a{x}b" is the call internal.template_string([parts]),
  // each expression part wrapped as {__tplN__ | __tplN__ = x}: undefined gives
  // an empty set ("<undefined>"), several values an error (OPA's lowering).
  // The array term's name records the quoting (`"` or "`") for the formatter.
  TermPtr template_string() {
    Nest nest(*this, 2, "template string", 2);
    const Token& start = cur();
    Location l = loc(start);
    auto parts = make_term(TermKind::Array, l);
    parts->name = start.raw ? "`" : "\"";
    auto literal = [&](const Token& tk) {
      if (!tk.text.empty()) parts->items.push_back(make_scalar(Value::string(tk.text), loc(tk)));
    };
    literal(start);
    bool more = start.kind == Tok::TemplateStart;
    next();
    while (more) {
      TermPtr e = term_infix();
      auto var = make_var("__tpl" + std::to_string(next_template_var_++) + "__", e->loc);
      auto compr = make_term(TermKind::SetCompr, e->loc);
      compr->head = var;
      Expr bind;
      bind.kind = ExprKind::Unify;
      bind.loc = e->loc;
      bind.lhs = make_var(var->name, e->loc);
      bind.rhs = e;
      compr->body = std::make_shared<Body>();
      compr->body->push_back(std::move(bind));
      parts->items.push_back(compr);
      if (!is(Tok::TemplateMid) && !is(Tok::TemplateEnd)) {
        fail(cur(), "unexpected " + describe(cur()) + ": expected } to end the template expression");
      }
      literal(cur());
      more = is(Tok::TemplateMid);
      next();
    }
    auto call = make_term(TermKind::Call, l);
    call->name = "internal.template_string";
    call->items.push_back(make_var(call->name, l));
    call->items.push_back(parts);
    return call;
  }

  TermPtr suffixes(TermPtr t) {
    Nest chain(*this, 0, "reference");
    while (!cur().ws_before) {
      if (is(Tok::Dot) || is(Tok::LBrack) || (is(Tok::LParen) && is_name(*t))) chain.add(1, "reference", 1);
      if (is(Tok::Dot)) {
        next();
        if (!is(Tok::Ident)) fail(cur(), "unexpected " + describe(cur()) + ": expected ident");
        t = append_ref(t, make_scalar(Value::string(cur().text), loc(cur())));
        next();
      } else if (is(Tok::LBrack)) {
        next();
        TermPtr key = term_infix();
        expect(Tok::RBrack);
        t = append_ref(t, key);
      } else if (is(Tok::LParen) && is_name(*t)) {
        t = call_args(t);
      } else {
        break;
      }
    }
    return t;
  }

  static bool is_name(const Term& t) {
    if (t.kind == TermKind::Var) return true;
    if (t.kind != TermKind::Ref) return false;
    for (size_t i = 1; i < t.items.size(); ++i) {
      if (t.items[i]->kind != TermKind::Scalar || !t.items[i]->value.is_string()) return false;
    }
    return t.items[0]->kind == TermKind::Var;
  }

  TermPtr append_ref(TermPtr base, TermPtr key) {
    if (base->kind == TermKind::Ref) {
      base->items.push_back(std::move(key));
      return base;
    }
    auto r = make_term(TermKind::Ref, base->loc);
    r->items.push_back(std::move(base));
    r->items.push_back(std::move(key));
    return r;
  }

  TermPtr call_args(TermPtr op) {
    auto c = make_term(TermKind::Call, op->loc);
    c->name = term_text(*op);
    c->items.push_back(op);
    next();  // (
    while (!is(Tok::RParen)) {
      c->items.push_back(term_infix(false, false));
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen);
    return c;
  }

  // A plain constant element (number, string, true/false/null, negative number)
  // followed by ',' or `closing`: consumed into `out`.
  bool constant_element(Tok closing, Value& out) {
    const Token& tk = cur();
    size_t n = 1;
    if (tk.kind == Tok::Minus) {
      if (peek().kind != Tok::Number || peek().ws_before) return false;
      n = 2;
    } else if (tk.kind == Tok::Ident) {
      if (tk.text != "true" && tk.text != "false" && tk.text != "null") return false;
    } else if (tk.kind != Tok::Number && tk.kind != Tok::String && tk.kind != Tok::RawString) {
      return false;
    }
    Tok after = peek(n).kind;
    if (after != Tok::Comma && after != closing) return false;
    switch (tk.kind) {
      case Tok::Minus: out = number(peek(), "-" + peek().text); break;
      case Tok::Number: out = number(tk, tk.text); break;
      case Tok::Ident: out = tk.text == "null" ? Value::null() : Value::boolean(tk.text == "true"); break;
      default: out = Value::string(tk.text);
    }
    for (size_t i = 0; i < n; ++i) next();
    return true;
  }

  // Elements of an array or set literal up to `closing` (consumed), the first
  // one (non-constant) already parsed into `first` unless null. Leading
  // constants are kept as values while folding; returns true when the whole
  // literal was constants and should become one constant term.
  bool collection_items(TermPtr first, Tok closing, std::vector<TermPtr>& items, std::vector<Value>& consts) {
    std::vector<Location> const_locs;
    bool folding = fold_ && !first;
    auto flush = [&] {
      for (size_t i = 0; i < consts.size(); ++i) items.push_back(make_scalar(std::move(consts[i]), const_locs[i]));
      consts.clear();
      folding = false;
    };
    if (first) items.push_back(std::move(first));
    bool more = !first || accept(Tok::Comma);
    while (more && !is(closing)) {
      Location el = loc(cur());
      Value v;
      if (folding && constant_element(closing, v)) {
        consts.push_back(std::move(v));
        const_locs.push_back(el);
      } else {
        if (folding) flush();
        items.push_back(term_infix(false, false));
      }
      more = accept(Tok::Comma);
    }
    expect(closing);
    if (folding && consts.size() >= kFoldMinElements) return true;
    flush();
    return false;
  }

  TermPtr array_or_compr() {
    Location l = loc(cur());
    next();
    auto t = make_term(TermKind::Array, l);
    if (accept(Tok::RBrack)) return t;
    if (fold_) {
      Value v;
      size_t save = p_;
      if (constant_element(Tok::RBrack, v)) {
        p_ = save;  // re-read by collection_items
        std::vector<Value> consts;
        if (collection_items(nullptr, Tok::RBrack, t->items, consts)) return make_scalar(Value::array(std::move(consts)), l);
        return t;
      }
    }
    // As OPA: a comprehension's head is one term (references and calls
    // included); anything else starts a literal, where `|` is set union. A
    // comprehension whose body does not parse and stops at a comma is a
    // literal too (`[a | b, 4]`).
    const size_t start = p_;
    const int depth = depth_;
    auto reread_element = [&] {
      p_ = start;
      depth_ = depth;
      return term_infix(false, false);
    };
    TermPtr first = term_primary();
    if (accept(Tok::Pipe)) {
      try {
        t->body = std::make_shared<Body>(compr_body(Tok::RBrack));
        t->kind = TermKind::ArrayCompr;
        t->head = first;
        return t;
      } catch (const ParseFail&) {
        if (!is(Tok::Comma)) throw;
        first = reread_element();
      }
    } else if (!is(Tok::Comma) && !is(Tok::RBrack)) {
      first = reread_element();
    }
    t->items.push_back(first);
    while (accept(Tok::Comma)) {
      if (is(Tok::RBrack)) break;
      t->items.push_back(term_infix(false, false));
    }
    expect(Tok::RBrack);
    return t;
  }

  Body compr_body(Tok closing) {
    Body b;
    while (!is(closing)) {
      if (is(Tok::End)) fail(cur(), std::string("unexpected eof token: expected ") + tok_text(closing));
      b.push_back(literal());
      separator(closing);
    }
    next();
    if (b.empty()) fail(cur(), "found empty body");
    return b;
  }

  TermPtr object_set_or_compr() {
    Location l = loc(cur());
    next();
    if (accept(Tok::RBrace)) return make_term(TermKind::Object, l);
    if (fold_) {
      Value v;
      size_t save = p_;
      if (constant_element(Tok::RBrace, v)) {  // followed by ',' or '}': a set
        p_ = save;
        auto t = make_term(TermKind::Set, l);
        std::vector<Value> consts;
        if (collection_items(nullptr, Tok::RBrace, t->items, consts)) return make_scalar(Value::set(std::move(consts)), l);
        return t;
      }
    }
    // the head of a comprehension is one term, as for arrays
    const size_t start = p_;
    const int depth = depth_;
    auto reread = [&](size_t from) {
      p_ = from;
      depth_ = depth;
      return term_infix(false, false);
    };
    TermPtr first = term_primary();
    if (accept(Tok::Pipe)) {
      try {  // `{a | b, c}` is a set
        auto t = make_term(TermKind::SetCompr, l);
        t->body = std::make_shared<Body>(compr_body(Tok::RBrace));
        t->head = first;
        return t;
      } catch (const ParseFail&) {
        if (!is(Tok::Comma)) throw;
        first = reread(start);
      }
    } else if (!is(Tok::Comma) && !is(Tok::RBrace) && !is(Tok::Colon)) {
      first = reread(start);  // e.g. `{input.c == input.a | input.b}`: a set of one element
    }
    if (accept(Tok::Colon)) {
      const size_t val_start = p_;
      TermPtr val = term_primary();
      if (accept(Tok::Pipe)) {
        try {  // `{"k": a | b, "n": 1}` is an object
          auto t = make_term(TermKind::ObjectCompr, l);
          t->body = std::make_shared<Body>(compr_body(Tok::RBrace));
          t->head = first;
          t->value_term = val;
          return t;
        } catch (const ParseFail&) {
          if (!is(Tok::Comma)) throw;
          val = reread(val_start);
        }
      } else if (!is(Tok::Comma) && !is(Tok::RBrace)) {
        val = reread(val_start);
      }
      auto t = make_term(TermKind::Object, l);
      t->items.push_back(first);
      t->items.push_back(val);
      while (accept(Tok::Comma)) {
        if (is(Tok::RBrace)) break;
        t->items.push_back(term_infix(false, false));
        expect(Tok::Colon);
        t->items.push_back(term_infix(false, false));
      }
      expect(Tok::RBrace);
      return t;
    }
    auto t = make_term(TermKind::Set, l);
    t->items.push_back(first);
    while (accept(Tok::Comma)) {
      if (is(Tok::RBrace)) break;
      t->items.push_back(term_infix(false, false));
    }
    expect(Tok::RBrace);
    return t;
  }
};

std::vector<Token> lex_or_throw(const std::string& file, const std::string& src,
                                std::vector<Comment>* comments = nullptr) {
  std::vector<Token> toks;
  LexError err;
  if (!tokenize(src, toks, err, comments)) {
    throw Error(ErrorInfo{"rego_parse_error", err.message, file, err.row, err.col});
  }
  return toks;
}

}  // namespace

ModulePtr parse_module(const std::string& file, const std::string& source, const ParseOptions& opts) {
  auto f = std::make_shared<std::string>(file);
  auto s = std::make_shared<std::string>(source);
  std::vector<Comment> comments;
  Parser p(lex_or_throw(file, source, &comments), f, s, opts);
  try {
    ModulePtr m = p.module();
    m->comments = std::move(comments);
    return m;
  } catch (const ParseFail& e) {
    throw Error(ErrorInfo{"rego_parse_error", e.message, file, e.row, e.col});
  } catch (const ParseWorkExceeded& e) {
    throw Error(ErrorInfo{"rego_parse_error", e.message, file, e.row, e.col});
  }
}

Query parse_query(const std::string& source, const ParseOptions& opts) {
  Query q;
  q.file = std::make_shared<std::string>("");
  q.source = std::make_shared<std::string>(source);
  Parser p(lex_or_throw("", source), q.file, q.source, opts);
  try {
    q.body = p.query();
  } catch (const ParseFail& e) {
    throw Error(ErrorInfo{"rego_parse_error", e.message, "", e.row, e.col});
  } catch (const ParseWorkExceeded& e) {
    throw Error(ErrorInfo{"rego_parse_error", e.message, "", e.row, e.col});
  }
  return q;
}

}  // namespace wartburg::lang
