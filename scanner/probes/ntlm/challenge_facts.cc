#include "probes/ntlm/challenge_facts.h"

#include "probes/ntlm/base64.h"
#include "probes/ntlm/message.h"

namespace pp::ntlm {

namespace {

/// The string facts read from a CHALLENGE, with the words used when the message lacks one.
struct NameFact {
  const char* suffix;
  std::string (*read)(const Challenge&);
  const char* missing;
};

const NameFact kNameFacts[] = {
    {"target_name", [](const Challenge& c) { return c.target_name; }, "no target name"},
    {"netbios_computer", [](const Challenge& c) { return c.netbios_computer; }, "no NetBIOS computer name"},
    {"netbios_domain", [](const Challenge& c) { return c.netbios_domain; }, "no NetBIOS domain name"},
    {"dns_computer", [](const Challenge& c) { return c.dns_computer; }, "no DNS computer name"},
    {"dns_domain", [](const Challenge& c) { return c.dns_domain; }, "no DNS domain name"},
    {"dns_tree", [](const Challenge& c) { return c.dns_tree; }, "no DNS tree (forest) name"},
    {"os_version", [](const Challenge& c) { return c.version ? c.version->text() : std::string(); }, "no version"},
};

std::string name(std::string_view prefix, std::string_view suffix) { return std::string(prefix) + std::string(suffix); }

}  // namespace

const std::vector<std::string>& challenge_fact_suffixes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kNameFacts) v.emplace_back(f.suffix);
    v.emplace_back("internal_names");
    return v;
  }();
  return names;
}

void put_challenge_facts_all(FactSet& out, std::string_view prefix, FactState state, const std::string& reason,
                             bool include_internal_names) {
  for (const auto& s : challenge_fact_suffixes()) {
    if (s == "internal_names" && !include_internal_names) continue;
    out.put(state == FactState::Absent ? Fact::absent(name(prefix, s), reason) : Fact::unknown(name(prefix, s), reason));
  }
}

void put_challenge_facts(FactSet& out, std::string_view prefix, const std::string& token, const std::string& where,
                         const std::string& no_challenge_reason) {
  if (token.empty()) {
    put_challenge_facts_all(out, prefix, FactState::Absent, where + no_challenge_reason, false);
    out.put(Fact::known(name(prefix, "internal_names"), StringList{}, where + no_challenge_reason));
    return;
  }
  const auto raw = base64_decode(token);
  const Decoded d = raw ? decode_challenge(*raw) : Decoded{std::nullopt, "the token is not base64"};
  if (!d.challenge) {
    put_challenge_facts_all(out, prefix, FactState::Unknown, where + "the NTLM CHALLENGE does not decode: " + d.error);
    return;
  }
  const std::string evidence = where + "NTLM " + (token.size() > 60 ? token.substr(0, 60) + "..." : token);
  for (const auto& f : kNameFacts) {
    const std::string v = f.read(*d.challenge);
    out.put(v.empty() ? Fact::absent(name(prefix, f.suffix), std::string("the NTLM CHALLENGE carries ") + f.missing)
                      : Fact::known(name(prefix, f.suffix), v, evidence));
  }
  out.put(Fact::known(name(prefix, "internal_names"), d.challenge->names(), evidence));
}

}  // namespace pp::ntlm
