#include "policy/rule_file.h"

#include <cctype>

#include "core/controls.h"
#include "core/service.h"
#include "policy/each.h"
#include "policy/framework_file.h"
#include "policy/message_template.h"
#include "policy/operators.h"
#include "policy/toml_util.h"

namespace pp::policy {

using config::check_keys;
using config::get_string;
using config::get_string_list;
using config::Reporter;
using config::type_name;

namespace {

/// "${name}" → name; anything else → empty.
std::string param_name(const std::string& s) {
  if (s.size() < 4 || s.compare(0, 2, "${") != 0 || s.back() != '}') return {};
  std::string n = s.substr(2, s.size() - 3);
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return {};
  return n;
}

/// Empty TOML arrays read as string lists; an integer fact's `in` wants an integer list.
void adapt_operand(Op op, ValueType fact_type, Operand& o) {
  if ((op == Op::In || op == Op::NotIn) && fact_type == ValueType::Int && std::holds_alternative<StringList>(o) &&
      std::get<StringList>(o).empty())
    o = IntList{};
}

/// Checks (and for `matches` compiles) a leaf's operand; reports at (line, column).
bool check_leaf(Assertion& a, const std::string& file, int line, int column, Diagnostics& diags) {
  adapt_operand(a.op, a.fact_type, a.operand);
  if (auto why = check_operand(a.op, a.fact_type, a.operand)) {
    std::string msg = "fact '" + a.fact + "': " + *why;
    if (!a.param.empty()) msg += " (via parameter '" + a.param + "')";
    diags.push_back({file, line, column, msg});
    return false;
  }
  if (a.op == Op::Matches) {
    a.pattern = std::get<std::string>(a.operand);
    if (auto why = compile_regex(a.pattern, a.regex)) {
      diags.push_back({file, line, column, *why});
      return false;
    }
  }
  return true;
}

struct RuleCtx {
  const FactCatalogue& facts;
  const Reporter& rep;
  Rule& rule;
  bool kind_set = false;
  bool ok = true;
};

constexpr std::string_view kAssertionShape =
    "an assertion is { fact = \"name\", <operator> = value } or { all|any|none = [ ... ] }";

std::optional<Assertion> parse_assertion(const toml::node& n, RuleCtx& ctx);

std::optional<Assertion> parse_group(Combinator c, const toml::node& n, RuleCtx& ctx) {
  Assertion g;
  g.combinator = c;
  g.line = static_cast<int>(n.source().begin.line);
  g.column = static_cast<int>(n.source().begin.column);
  if (!n.is_array()) {
    ctx.rep.at(n, "'" + std::string(to_string(c)) + "' must be a list of assertions, not " + type_name(n));
    return std::nullopt;
  }
  if (n.as_array()->empty()) {
    ctx.rep.at(n, "'" + std::string(to_string(c)) + "' must hold at least one assertion");
    return std::nullopt;
  }
  bool ok = true;
  for (auto& item : *n.as_array()) {
    auto a = parse_assertion(item, ctx);
    if (a)
      g.children.push_back(std::move(*a));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return g;
}

std::optional<Combinator> combinator_of(std::string_view k) {
  if (k == "all") return Combinator::All;
  if (k == "any") return Combinator::Any;
  if (k == "none") return Combinator::None;
  return std::nullopt;
}

std::optional<Assertion> parse_assertion(const toml::node& n, RuleCtx& ctx) {
  if (!n.is_table()) {
    ctx.rep.at(n, std::string(kAssertionShape) + "; found " + type_name(n));
    return std::nullopt;
  }
  const toml::table& t = *n.as_table();
  // A combinator item: exactly one key, all/any/none.
  for (auto&& [k, v] : t) {
    if (auto c = combinator_of(k.str())) {
      if (t.size() != 1) {
        ctx.rep.at(n, "a combinator item holds only its '" + std::string(k.str()) + "' list; " + std::string(kAssertionShape));
        return std::nullopt;
      }
      return parse_group(*c, v, ctx);
    }
  }
  Assertion a;
  a.leaf = true;
  a.line = static_cast<int>(n.source().begin.line);
  a.column = static_cast<int>(n.source().begin.column);
  bool ok = true;
  const toml::node* op_node = nullptr;
  const toml::key* op_key = nullptr;
  for (auto&& [k, v] : t) {
    if (k.str() == "fact") continue;
    if (auto op = parse_op(k.str())) {
      if (op_node) {
        ctx.rep.at(k.source(), "assertion has a second operator '" + std::string(k.str()) + "' (one operator per item; use all = [...] to combine)");
        ok = false;
        continue;
      }
      a.op = *op;
      op_node = &v;
      op_key = &k;
      continue;
    }
    std::string ops;
    for (const auto& o : operator_table()) ops += (ops.empty() ? "" : ", ") + std::string(o.name);
    ctx.rep.at(k.source(), "unknown key '" + std::string(k.str()) + "' in assertion (expected 'fact' and one of: " + ops + ")");
    ok = false;
  }
  const toml::node* fact_node = t.get("fact");
  const FactSpec* spec = nullptr;
  if (!fact_node) {
    ctx.rep.at(n, "assertion is missing 'fact'; " + std::string(kAssertionShape));
    ok = false;
  } else if (!fact_node->is_string()) {
    ctx.rep.at(*fact_node, "'fact' must be a string, not " + type_name(*fact_node));
    ok = false;
  } else {
    a.fact = fact_node->as_string()->get();
    spec = ctx.facts.find(a.fact);
    if (!spec) {
      ctx.rep.at(*fact_node, "unknown fact '" + a.fact + "' (see `policyprobe facts`)");
      ok = false;
    } else if (!ctx.kind_set) {
      ctx.rule.kind = spec->subject;
      ctx.kind_set = true;
    } else if (ctx.rule.kind != spec->subject) {
      ctx.rep.at(*fact_node, "fact '" + a.fact + "' is about a " + std::string(to_string(spec->subject)) +
                                 " but this rule already reads " + std::string(to_string(ctx.rule.kind)) +
                                 " facts; one rule judges one kind of subject");
      ok = false;
    }
  }
  if (!op_node) {
    if (fact_node) ctx.rep.at(n, "assertion on '" + a.fact + "' has no operator; " + std::string(kAssertionShape));
    return std::nullopt;
  }
  std::string why;
  auto operand = detail::to_operand(*op_node, why);
  if (!operand) {
    ctx.rep.at(*op_node, "'" + std::string(op_key->str()) + "': " + why);
    return std::nullopt;
  }
  a.operand = std::move(*operand);
  if (std::holds_alternative<std::string>(a.operand)) {
    a.param = param_name(std::get<std::string>(a.operand));
    if (!a.param.empty()) {
      auto it = ctx.rule.params.find(a.param);
      if (it == ctx.rule.params.end()) {
        ctx.rep.at(*op_node, "unknown parameter '" + a.param + "' (declare it under [rule.params])");
        return std::nullopt;
      }
      a.operand = it->second;
    }
  }
  if (!ok || !spec) return std::nullopt;
  a.fact_type = spec->type;
  auto pos = op_node->source().begin;
  if (!check_leaf(a, ctx.rep.file, static_cast<int>(pos.line), static_cast<int>(pos.column), *ctx.rep.diags))
    return std::nullopt;
  return a;
}

/// Lints a rule's message template; each problem at its placeholder when the string is written
/// on one line without escapes (so offsets map to columns), else at the string.
void check_message(const FactCatalogue& facts, const toml::node& n, const Rule& r, const Reporter& rep) {
  const auto& src = n.source();
  const bool literal_columns = src.begin.line == src.end.line &&
                               static_cast<size_t>(src.end.column - src.begin.column) == r.message.size() + 2;
  for (const auto& p : check_template(facts, r.message, r)) {
    const int column = static_cast<int>(src.begin.column) + (literal_columns ? 1 + static_cast<int>(p.offset) : 0);
    rep.diags->push_back({rep.file, static_cast<int>(src.begin.line), column, p.message});
  }
}

/// The optional `message` template, checked once the rule's subject kind is known.
void parse_message(const FactCatalogue& facts, const toml::table& t, Rule& r, bool kind_known, const std::string& what,
                   const Reporter& rep) {
  auto s = get_string(t, "message", false, what, rep);
  if (!s || !kind_known) return;
  r.message = *s;
  check_message(facts, *t.get("message"), r, rep);
}

/// The optional `each`: one list fact or several in step, checked once the rule's kind is known.
void parse_each(const FactCatalogue& facts, const toml::table& t, Rule& r, bool kind_known, const Reporter& rep) {
  const toml::node* n = t.get("each");
  if (!n) return;
  auto l = get_string_list(*n, "each", true, rep);
  if (!l || !kind_known) return;
  if (auto why = check_each(facts, *l, r.kind)) {
    rep.at(*n, *why);
    return;
  }
  r.each = *l;
}

/// where.service: schemes or protocol names from the service table. False on any error.
bool parse_where_services(const toml::node& s, Rule& r, const Reporter& rep) {
  auto l = get_string_list(s, "service", true, rep);
  if (!l) return false;
  bool ok = true;
  for (const auto& name : *l) {
    bool known = name == "http";  // protocol names double as scheme names except these
    for (const auto& svc : service_table()) known = known || svc.scheme == name || to_string(svc.protocol) == name;
    if (!known) {
      rep.at(s, "unknown service '" + name + "' (a scheme such as https, smtp, imaps, or a protocol: http, smtp, imap, pop3, ldap, nntp)");
      ok = false;
    }
  }
  r.where.services = *l;
  return ok;
}

/// where.port: one port or a list. False on any error.
bool parse_where_ports(const toml::node& p, Rule& r, const Reporter& rep) {
  bool ok = true;
  auto add = [&](const toml::node& e) {
    if (!e.is_integer() || e.as_integer()->get() < 1 || e.as_integer()->get() > 65535) {
      rep.at(e, "'port' must be an integer 1-65535 or a list of them");
      ok = false;
      return;
    }
    r.where.ports.push_back(e.as_integer()->get());
  };
  if (p.is_array())
    for (auto& e : *p.as_array()) add(e);
  else
    add(p);
  return ok;
}

/// where.tags: key = "value or glob". False on any error.
bool parse_where_tags(const toml::node& tg, Rule& r, const Reporter& rep) {
  if (!tg.is_table()) {
    rep.at(tg, "'tags' must be a table of key = \"value or glob\"");
    return false;
  }
  bool ok = true;
  for (auto&& [k, v] : *tg.as_table()) {
    if (!v.is_string()) {
      rep.at(v, "tag '" + std::string(k.str()) + "' must be a string (a value or glob)");
      ok = false;
      continue;
    }
    r.where.tags[std::string(k.str())] = v.as_string()->get();
  }
  return ok;
}

void parse_where(const toml::node& n, Rule& r, bool& ok, const toml::node*& vdir_node, const Reporter& rep) {
  if (!n.is_table()) {
    rep.at(n, "'where' must be a table, not " + type_name(n));
    ok = false;
    return;
  }
  const toml::table& t = *n.as_table();
  check_keys(t, {"service", "port", "vdir", "tags"}, "where", rep);
  for (auto&& [k, v] : t)
    if (k.str() != "service" && k.str() != "port" && k.str() != "vdir" && k.str() != "tags") ok = false;
  if (auto* s = t.get("service"); s && !parse_where_services(*s, r, rep)) ok = false;
  if (auto* p = t.get("port"); p && !parse_where_ports(*p, r, rep)) ok = false;
  if (auto* v = t.get("vdir")) {
    if (auto l = get_string_list(*v, "vdir", true, rep)) {
      r.where.vdirs = *l;
      vdir_node = v;
    } else {
      ok = false;
    }
  }
  if (auto* tg = t.get("tags"); tg && !parse_where_tags(*tg, r, rep)) ok = false;
}

/// `controls = ["framework:control", ...]`: the shape here; whether each is known is checked
/// against the frameworks once every file is loaded (library.cc).
void parse_controls(const toml::node& n, Rule& r, const Reporter& rep) {
  if (!get_string_list(n, "controls", false, rep)) return;
  for (auto& e : *n.as_array()) {
    const std::string text = e.as_string()->get();
    auto ref = parse_control_ref(text);
    if (!ref) {
      rep.at(e, "control '" + text + "' is not \"framework:control\" (e.g. \"pci-dss-4.0:4.2.1\")");
      continue;
    }
    r.controls.push_back({ref->framework, ref->control, static_cast<int>(e.source().begin.line),
                          static_cast<int>(e.source().begin.column)});
  }
}

std::optional<Rule> parse_rule(const FactCatalogue& facts, const toml::node& n, const std::string& pack_id,
                               const Reporter& rep) {
  if (!n.is_table()) {
    rep.at(n, "each [[rule]] must be a table");
    return std::nullopt;
  }
  const toml::table& t = *n.as_table();
  Rule r;
  r.file = rep.file;
  r.pack = pack_id;
  r.line = static_cast<int>(n.source().begin.line);
  r.column = static_cast<int>(n.source().begin.column);
  const size_t before = rep.diags->size();
  check_keys(t,
             {"id", "title", "severity", "description", "remediation", "references", "controls", "where", "params", "message",
              "each", "all", "any", "none"},
             "rule", rep);
  auto id = get_string(t, "id", true, "rule", rep);
  std::string what = id ? "rule '" + *id + "'" : "rule";
  if (id) {
    r.id = *id;
    if (r.id.empty() || r.id.find_first_of(" \t*?") != std::string::npos)
      rep.at(*t.get("id"), "rule id must be non-empty without spaces or glob characters");
  }
  if (auto s = get_string(t, "title", true, what, rep)) r.title = *s;
  if (auto s = get_string(t, "description", false, what, rep)) r.description = *s;
  if (auto s = get_string(t, "remediation", true, what, rep)) r.remediation = *s;
  if (auto s = get_string(t, "severity", true, what, rep)) {
    if (auto sev = parse_severity(*s))
      r.severity = *sev;
    else
      rep.at(*t.get("severity"), "bad severity '" + *s + "' (expected info, low, medium, high or critical)");
  }
  if (auto* refs = t.get("references")) {
    if (auto l = get_string_list(*refs, "references", false, rep)) r.references = *l;
  }
  if (auto* c = t.get("controls")) parse_controls(*c, r, rep);
  if (auto* p = t.get("params")) {
    if (!p->is_table()) {
      rep.at(*p, "'params' must be a table of name = default value");
    } else {
      for (auto&& [k, v] : *p->as_table()) {
        std::string why;
        if (auto o = detail::to_operand(v, why))
          r.params[std::string(k.str())] = std::move(*o);
        else
          rep.at(v, "parameter '" + std::string(k.str()) + "': " + why);
      }
    }
  }
  RuleCtx ctx{facts, rep, r};
  r.root.combinator = Combinator::All;
  r.root.line = r.line;
  r.root.column = r.column;
  bool any_group = false;
  for (auto c : {Combinator::All, Combinator::Any, Combinator::None}) {
    if (auto* g = t.get(to_string(c))) {
      any_group = true;
      if (auto a = parse_group(c, *g, ctx)) r.root.children.push_back(std::move(*a));
    }
  }
  if (!any_group) rep.at(n, what + " has no assertion (add all = [...], any = [...] or none = [...])");
  parse_message(facts, t, r, ctx.kind_set, what, rep);
  parse_each(facts, t, r, ctx.kind_set, rep);
  bool where_ok = true;
  const toml::node* vdir_node = nullptr;
  if (auto* w = t.get("where")) parse_where(*w, r, where_ok, vdir_node, rep);
  if (vdir_node && ctx.kind_set && r.kind != SubjectKind::Vdir)
    rep.at(*vdir_node, "'where.vdir' selects virtual directories but this rule reads " +
                           std::string(to_string(r.kind)) + " facts");
  if (rep.diags->size() != before) return std::nullopt;
  return r;
}

void parse_pack(const FactCatalogue& facts, const toml::table& root, RuleFile& out, const Reporter& rep) {
  out.kind = RuleFile::Kind::Pack;
  Pack& p = out.pack;
  p.file = rep.file;
  check_keys(root, {"schema", "pack", "rule"}, "a rule pack", rep);
  const toml::node* pk = root.get("pack");
  if (!pk) {
    rep.at(root, "rule pack is missing the [pack] table (id, title, version, description)");
  } else if (!pk->is_table()) {
    rep.at(*pk, "'pack' must be a table");
  } else {
    const toml::table& t = *pk->as_table();
    check_keys(t, {"id", "title", "version", "description"}, "[pack]", rep);
    if (auto s = get_string(t, "id", true, "[pack]", rep)) p.id = *s;
    if (auto s = get_string(t, "title", true, "[pack]", rep)) p.title = *s;
    if (auto s = get_string(t, "version", false, "[pack]", rep)) p.version = *s;
    if (auto s = get_string(t, "description", false, "[pack]", rep)) p.description = *s;
  }
  const toml::node* rules = root.get("rule");
  if (!rules) return;
  if (!rules->is_array()) {
    rep.at(*rules, "'rule' must be an array of tables ([[rule]])");
    return;
  }
  for (auto& n : *rules->as_array())
    if (auto r = parse_rule(facts, n, p.id, rep)) p.rules.push_back(std::move(*r));
}

NameRef ref_of(const toml::node& n, std::string name) {
  return {std::move(name), static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
}

void parse_profile(const toml::table& root, RuleFile& out, const Reporter& rep) {
  out.kind = RuleFile::Kind::Profile;
  Profile& p = out.profile;
  p.file = rep.file;
  check_keys(root, {"schema", "profile"}, "a profile file", rep);
  const toml::node* pn = root.get("profile");
  if (!pn->is_table()) {
    rep.at(*pn, "'profile' must be a table");
    return;
  }
  const toml::table& t = *pn->as_table();
  p.line = static_cast<int>(t.source().begin.line);
  p.column = static_cast<int>(t.source().begin.column);
  check_keys(t, {"name", "description", "packs", "disabled", "overrides"}, "[profile]", rep);
  if (auto s = get_string(t, "name", true, "[profile]", rep)) p.name = *s;
  if (auto s = get_string(t, "description", false, "[profile]", rep)) p.description = *s;
  auto refs = [&](std::string_view key, std::vector<NameRef>& into) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!get_string_list(*n, key, false, rep)) return;
    for (auto& e : *n->as_array()) into.push_back(ref_of(e, e.as_string()->get()));
  };
  refs("packs", p.packs);
  refs("disabled", p.disabled);
  if (!t.get("packs")) rep.at(t, "[profile] is missing required key 'packs' (pack ids, or \"*\" for all)");
  const toml::node* ov = t.get("overrides");
  if (!ov) return;
  if (!ov->is_table()) {
    rep.at(*ov, "'overrides' must be a table of \"RULE-ID\" = { severity = ..., params = { ... } }");
    return;
  }
  for (auto&& [k, v] : *ov->as_table()) {
    RuleOverride o;
    o.rule = {std::string(k.str()), static_cast<int>(k.source().begin.line), static_cast<int>(k.source().begin.column)};
    if (!v.is_table()) {
      rep.at(v, "override for '" + o.rule.name + "' must be a table { severity = ..., params = { ... } }");
      continue;
    }
    const toml::table& ot = *v.as_table();
    check_keys(ot, {"severity", "params"}, "override", rep);
    if (auto s = get_string(ot, "severity", false, "override", rep)) {
      o.severity = parse_severity(*s);
      if (!o.severity) rep.at(*ot.get("severity"), "bad severity '" + *s + "' (expected info, low, medium, high or critical)");
    }
    if (auto* pr = ot.get("params")) {
      if (!pr->is_table()) {
        rep.at(*pr, "'params' must be a table of name = value");
      } else {
        for (auto&& [pk, pv] : *pr->as_table()) {
          std::string why;
          if (auto op = detail::to_operand(pv, why)) {
            o.params[std::string(pk.str())] = *op;
            o.param_refs[std::string(pk.str())] = ref_of(pv, std::string(pk.str()));
          } else {
            rep.at(pv, "parameter '" + std::string(pk.str()) + "': " + why);
          }
        }
      }
    }
    p.overrides.push_back(std::move(o));
  }
}

}  // namespace

RuleFile load_rule_file(const FactCatalogue& facts, const SourceFile& src, Diagnostics& diags) {
  RuleFile out;
  Reporter rep{src.path, &diags};
  auto root = config::parse_toml(src.text, src.path, rep);
  if (!root) return out;
  const toml::node* schema = root->get("schema");
  if (!schema) {
    diags.push_back({src.path, 1, 1, "missing 'schema = 1' (the file format version)"});
  } else if (!schema->is_integer() || schema->as_integer()->get() != 1) {
    rep.at(*schema, "unsupported schema (this version of policyprobe reads schema = 1)");
  }
  if (root->get("profile")) {
    parse_profile(*root, out, rep);
  } else if (root->get("framework")) {
    out.kind = RuleFile::Kind::Frameworks;
    detail::parse_frameworks(*root, out.frameworks, rep);
  } else {
    parse_pack(facts, *root, out, rep);
  }
  return out;
}

bool resolve_params(Rule& rule, const std::string& file, int line, int column, Diagnostics& diags) {
  bool ok = true;
  auto walk = [&](auto& self, Assertion& a) -> void {
    if (!a.leaf) {
      for (auto& c : a.children) self(self, c);
      return;
    }
    if (a.param.empty()) return;
    auto it = rule.params.find(a.param);
    if (it == rule.params.end()) return;
    a.operand = it->second;
    if (!check_leaf(a, file, line, column, diags)) ok = false;
  };
  walk(walk, rule.root);
  return ok;
}

}  // namespace pp::policy
