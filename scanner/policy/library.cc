#include "policy/library.h"

#include <algorithm>
#include <map>

#include "core/catalogue.h"
#include "policy/each.h"
#include "policy/exchange_table_file.h"
#include "policy/frameworks.h"
#include "policy/glob.h"
#include "policy/message_template.h"
#include "policy/operators.h"

namespace pp::policy {

const Rule* Library::find_rule(const std::string& id) const {
  for (const auto& p : packs)
    for (const auto& r : p.rules)
      if (r.id == id) return &r;
  return nullptr;
}

const Pack* Library::find_pack(const std::string& id) const {
  for (const auto& p : packs)
    if (p.id == id) return &p;
  return nullptr;
}

const Profile* Library::find_profile(const std::string& name) const {
  for (const auto& p : profiles)
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<const Rule*> Library::all_rules() const {
  std::vector<const Rule*> out;
  for (const auto& p : packs)
    for (const auto& r : p.rules) out.push_back(&r);
  std::sort(out.begin(), out.end(), [](const Rule* a, const Rule* b) { return a->id < b->id; });
  return out;
}

namespace {

struct Layer {
  std::vector<Pack> packs;
  std::vector<Profile> profiles;
  std::vector<Framework> frameworks;
};

/// Loads one layer and reports ids repeated inside it.
Layer load_layer(const FactCatalogue& facts, const std::vector<SourceFile>& files, Diagnostics& diags) {
  Layer l;
  std::map<std::string, std::string> seen;  ///< rule id -> "file:line" of its first definition
  std::map<std::string, std::string> seen_profiles;
  std::map<std::string, std::string> seen_packs;
  for (const auto& f : files) {
    if (is_exchange_table_source(f)) continue;  // knowledge, not rules: `rules lint` checks it
    RuleFile rf = load_rule_file(facts, f, diags);
    if (rf.kind == RuleFile::Kind::Pack) {
      auto it = seen_packs.find(rf.pack.id);
      if (!rf.pack.id.empty() && it != seen_packs.end()) {
        diags.push_back({f.path, 0, 0, "pack id '" + rf.pack.id + "' is already used by " + it->second});
        continue;
      }
      seen_packs[rf.pack.id] = f.path;
      l.packs.push_back(std::move(rf.pack));
    } else if (rf.kind == RuleFile::Kind::Profile) {
      auto it = seen_profiles.find(rf.profile.name);
      if (it != seen_profiles.end()) {
        diags.push_back({f.path, rf.profile.line, rf.profile.column,
                         "profile '" + rf.profile.name + "' is already defined in " + it->second});
        continue;
      }
      seen_profiles[rf.profile.name] = f.path;
      l.profiles.push_back(std::move(rf.profile));
    } else if (rf.kind == RuleFile::Kind::Frameworks) {
      add_frameworks(l.frameworks, std::move(rf.frameworks));
    }
  }
  for (auto& p : l.packs) {
    std::vector<Rule> kept;
    for (auto& r : p.rules) {
      auto it = seen.find(r.id);
      if (it != seen.end()) {
        diags.push_back({r.file, r.line, r.column,
                         "duplicate rule id '" + r.id + "' (first defined at " + it->second + ")"});
        continue;
      }
      seen[r.id] = r.file + ":" + std::to_string(r.line);
      kept.push_back(std::move(r));
    }
    p.rules = std::move(kept);
  }
  return l;
}

/// Checks one profile's references against the library.
void check_profile(const Profile& pr, const Library& lib, Diagnostics& diags) {
  for (const auto& p : pr.packs)
    if (p.name != "*" && !lib.find_pack(p.name))
      diags.push_back({pr.file, p.line, p.column, "profile '" + pr.name + "' names unknown pack '" + p.name + "'"});
  for (const auto& d : pr.disabled) {
    bool hit = false;
    for (const Rule* r : lib.all_rules()) hit = hit || glob_match(d.name, r->id, false);
    if (!hit) diags.push_back({pr.file, d.line, d.column, "profile '" + pr.name + "' disables unknown rule '" + d.name + "'"});
  }
  for (const auto& o : pr.overrides) {
    const Rule* r = lib.find_rule(o.rule.name);
    if (!r) {
      diags.push_back({pr.file, o.rule.line, o.rule.column, "profile '" + pr.name + "' overrides unknown rule '" + o.rule.name + "'"});
      continue;
    }
    Rule copy = *r;
    for (const auto& [name, value] : o.params) {
      const NameRef& ref = o.param_refs.at(name);
      if (!copy.params.count(name)) {
        diags.push_back({pr.file, ref.line, ref.column, "rule '" + r->id + "' has no parameter '" + name + "'"});
        continue;
      }
      copy.params[name] = value;
      // A misfit value (a string for min_days_left) is reported at the profile's value.
      Rule one = copy;
      resolve_params(one, pr.file, ref.line, ref.column, diags);
    }
  }
}

}  // namespace

Diagnostics load_library(const FactCatalogue& facts, const std::vector<SourceFile>& shipped,
                         const std::vector<SourceFile>& user, Library& out) {
  Diagnostics diags;
  Layer base = load_layer(facts, shipped, diags);
  Layer over = load_layer(facts, user, diags);
  out.packs = std::move(base.packs);
  out.profiles = std::move(base.profiles);
  out.frameworks = std::move(base.frameworks);
  add_frameworks(out.frameworks, std::move(over.frameworks));
  for (auto& up : over.packs) {
    // A user rule replaces the shipped rule with the same id, wherever it lived.
    for (const auto& r : up.rules)
      for (auto& p : out.packs)
        std::erase_if(p.rules, [&](const Rule& x) { return x.id == r.id; });
    auto it = std::find_if(out.packs.begin(), out.packs.end(), [&](const Pack& p) { return p.id == up.id; });
    if (it != out.packs.end())
      for (auto& r : up.rules) it->rules.push_back(std::move(r));
    else
      out.packs.push_back(std::move(up));
  }
  for (auto& upr : over.profiles) {
    std::erase_if(out.profiles, [&](const Profile& p) { return p.name == upr.name; });
    out.profiles.push_back(std::move(upr));
  }
  for (const auto& pr : out.profiles) check_profile(pr, out, diags);
  Diagnostics controls = check_rule_controls(out.frameworks, out.packs);
  diags.insert(diags.end(), controls.begin(), controls.end());
  return diags;
}

namespace {

/// The named profiles; an unknown name is a diagnostic that lists the known ones.
std::vector<const Profile*> find_profiles(const Library& lib, const std::vector<std::string>& names, Diagnostics& diags) {
  std::vector<const Profile*> profiles;
  for (const auto& n : names) {
    if (const Profile* p = lib.find_profile(n)) {
      profiles.push_back(p);
      continue;
    }
    std::string known;
    for (const auto& x : lib.profiles) known += (known.empty() ? "" : ", ") + x.name;
    diags.push_back({"--profile", 0, 0, "unknown profile '" + n + "' (known: " + known + ")"});
  }
  return profiles;
}

/// Every rule of the packs the profiles name, less the ones they disable (globs).
std::vector<Rule> rules_of(const Library& lib, const std::vector<const Profile*>& profiles) {
  std::set<std::string> packs;
  std::vector<std::string> disabled;
  for (const Profile* p : profiles) {
    for (const auto& ref : p->packs) {
      if (ref.name != "*") packs.insert(ref.name);
      else
        for (const auto& pk : lib.packs) packs.insert(pk.id);
    }
    for (const auto& d : p->disabled) disabled.push_back(d.name);
  }
  std::vector<Rule> out;
  for (const auto& pk : lib.packs) {
    if (!packs.count(pk.id)) continue;
    for (const auto& r : pk.rules) {
      bool off = std::any_of(disabled.begin(), disabled.end(), [&](const std::string& g) { return glob_match(g, r.id, false); });
      if (!off) out.push_back(r);
    }
  }
  return out;
}

/// Severity and parameter overrides of the profiles, on the rules they select.
void apply_overrides(const std::vector<const Profile*>& profiles, std::vector<Rule>& out, Diagnostics& diags) {
  for (const Profile* p : profiles) {
    for (const auto& o : p->overrides) {
      auto it = std::find_if(out.begin(), out.end(), [&](const Rule& r) { return r.id == o.rule.name; });
      if (it == out.end()) continue;  // not selected (unknown ids were reported at load)
      if (o.severity) it->severity = *o.severity;
      Rule trial = *it;
      for (const auto& [name, value] : o.params)
        if (trial.params.count(name)) trial.params[name] = value;
      if (resolve_params(trial, p->file, o.rule.line, o.rule.column, diags)) *it = std::move(trial);
    }
  }
}

}  // namespace

Diagnostics select_rules(const Library& lib, const std::vector<std::string>& names_in, std::vector<Rule>& out) {
  Diagnostics diags;
  const std::vector<std::string> names = names_in.empty() ? std::vector<std::string>{"default"} : names_in;
  const std::vector<const Profile*> profiles = find_profiles(lib, names, diags);
  out = rules_of(lib, profiles);
  apply_overrides(profiles, out, diags);
  std::sort(out.begin(), out.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  return diags;
}

std::set<std::string> facts_read(const std::vector<Rule>& rules) {
  std::set<std::string> out;
  for (const auto& r : rules) {
    std::vector<std::string> f;
    collect_facts(r.root, f);
    out.insert(f.begin(), f.end());
    out.insert(r.each.begin(), r.each.end());
    for (const auto& t : template_facts(r.message)) out.insert(t);
  }
  return out;
}

std::string render_assertion(const Assertion& a) {
  if (a.leaf) {
    std::string v = a.op == Op::Matches ? "/" + a.pattern + "/" : render(a.operand);
    if (a.op == Op::Exists || a.op == Op::Absent) return a.fact + " " + std::string(to_string(a.op));
    std::string s = a.fact + " " + std::string(to_string(a.op)) + " " + v;
    if (!a.param.empty()) s += " (parameter " + a.param + ")";
    return s;
  }
  std::string s = std::string(to_string(a.combinator)) + "(";
  for (size_t i = 0; i < a.children.size(); ++i) s += (i ? "; " : "") + render_assertion(a.children[i]);
  return s + ")";
}

std::string explain_rule(const Rule& r, const FactCatalogue& catalogue) {
  std::string s;
  s += r.id + "  " + r.title + "\n";
  s += "  severity: " + std::string(to_string(r.severity)) + "   pack: " + r.pack + "   subject: " +
       std::string(to_string(r.kind)) + "\n";
  s += "  defined at: " + r.file + ":" + std::to_string(r.line) + "\n";
  if (!r.description.empty()) s += "\nWhy:\n  " + r.description + "\n";
  std::string where;
  if (!r.where.services.empty()) where += " service=" + render(Operand(r.where.services));
  if (!r.where.ports.empty()) where += " port=" + render(Operand(IntList(r.where.ports)));
  if (!r.where.vdirs.empty()) where += " vdir=" + render(Operand(r.where.vdirs));
  for (const auto& [k, v] : r.where.tags) where += " tags." + k + "=" + v;
  s += "\nApplies to: every " + std::string(to_string(r.kind)) + (where.empty() ? "" : " with" + where) + "\n";
  s += "\nChecks:\n";
  for (const auto& g : r.root.children) s += "  " + render_assertion(g) + "\n";
  s += explain_each(r);
  if (!r.message.empty()) s += "\nFailure message:\n  " + r.message + "\n";
  if (!r.params.empty()) {
    s += "\nParameters (profiles may override):\n";
    for (const auto& [k, v] : r.params) s += "  " + k + " = " + render(v) + "\n";
  }
  s += "\nFacts read:\n";
  std::vector<std::string> facts;
  collect_facts(r.root, facts);
  for (const auto& t : template_facts(r.message))
    if (std::find(facts.begin(), facts.end(), t) == facts.end()) facts.push_back(t);
  for (const auto& t : r.each)
    if (std::find(facts.begin(), facts.end(), t) == facts.end()) facts.push_back(t);
  for (const auto& f : facts) {
    const FactSpec* spec = catalogue.find(f);
    s += "  " + f;
    if (spec)
      s += " (" + std::string(to_string(spec->type)) + ", probe " + std::string(spec->probe) + "): " + std::string(spec->meaning);
    s += "\n";
  }
  s += "\nRemediation:\n  " + r.remediation + "\n";
  if (!r.references.empty()) {
    s += "\nReferences:\n";
    for (const auto& ref : r.references) s += "  - " + ref + "\n";
  }
  if (!r.controls.empty()) {
    s += "\nEvidences:\n";
    for (const auto& c : r.controls) s += "  - " + c.text() + "\n";
  }
  return s;
}

}  // namespace pp::policy
