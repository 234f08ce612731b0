#include "reports/tls_block.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "core/text.h"

namespace pp::reports {

using text::join;
using text::terminal_safe;

namespace {

/// The per-version fact keys, oldest first, with the names tls.protocols uses.
constexpr std::array<std::pair<const char*, const char*>, 6> kVersions = {{{"ssl2", "SSLv2"},
                                                                           {"ssl3", "SSLv3"},
                                                                           {"tls10", "TLSv1.0"},
                                                                           {"tls11", "TLSv1.1"},
                                                                           {"tls12", "TLSv1.2"},
                                                                           {"tls13", "TLSv1.3"}}};

const StringList* known_list(const FactSet& facts, const std::string& name) {
  const Fact* f = facts.find(name);
  if (!f || f->state != FactState::Known || !std::holds_alternative<StringList>(f->value)) return nullptr;
  return &std::get<StringList>(f->value);
}

std::string server_order_text(const FactSet& facts) {
  const Fact* f = facts.find("tls.server_order");
  if (!f || f->state != FactState::Known || !std::holds_alternative<bool>(f->value)) return "not tested";
  return std::get<bool>(f->value) ? "server" : "client";
}

/// The groups accepted, or why they are not known (with the group a handshake used in passing,
/// when the probe names one).
std::string groups_text(const FactSet& facts) {
  const Fact* f = facts.find("tls.groups");
  if (!f || f->state == FactState::Absent) return {};
  if (const StringList* list = known_list(facts, "tls.groups")) return list->empty() ? "none" : join(*list, ", ");
  const std::string marker = "seen in passing: ";
  const size_t at = f->reason.find(marker);
  if (at == std::string::npos) return "not enumerated";
  return "not enumerated (seen: " + f->reason.substr(at + marker.size()) + ")";
}

std::string dh_text(const FactSet& facts) {
  const Fact* f = facts.find("tls.min_dh_bits");
  if (!f || f->state != FactState::Known || !std::holds_alternative<int64_t>(f->value)) return {};
  return std::to_string(std::get<int64_t>(f->value)) + " bits (smallest)";
}

/// The versions tls.protocols lists, each with its suites graded; a version whose suites
/// could not be observed says why. Consecutive versions with the same suites share an offer.
std::vector<TlsVersionOffer> offers_of(const FactSet& facts, const StringList& protocols) {
  std::vector<TlsVersionOffer> out;
  for (const auto& [key, name] : kVersions) {
    if (std::find(protocols.begin(), protocols.end(), name) == protocols.end()) continue;
    TlsVersionOffer offer{{name}, {}, {}};
    const std::string fact = std::string("tls.ciphers.") + key;
    if (const StringList* suites = known_list(facts, fact)) {
      for (const auto& s : *suites) offer.suites.push_back({s, grade_suite(key, s)});
    } else {
      const Fact* f = facts.find(fact);
      offer.note = "suites not observed" + (f && !f->reason.empty() ? ": " + f->reason : std::string());
    }
    const bool same_as_last = !out.empty() && out.back().note.empty() && offer.note.empty() &&
                              std::equal(out.back().suites.begin(), out.back().suites.end(), offer.suites.begin(),
                                         offer.suites.end(), [](const GradedSuite& a, const GradedSuite& b) {
                                           return a.name == b.name && a.grade.grade == b.grade.grade;
                                         });
    if (same_as_last) out.back().versions.push_back(name);
    else out.push_back(std::move(offer));
  }
  return out;
}

/// The endpoint's grade, its pair count and, per grade below A, the distinct reasons.
void summarise(TlsEndpoint& e) {
  std::map<Grade, std::vector<std::string>> why;
  for (const auto& o : e.offers)
    for (const auto& s : o.suites) {
      e.suite_count += o.versions.size();
      e.grade = worse(e.grade, s.grade.grade);
      if (s.grade.grade == Grade::A) continue;
      auto& list = why[s.grade.grade];
      if (std::find(list.begin(), list.end(), s.grade.why) == list.end()) list.emplace_back(s.grade.why);
    }
  for (auto& [g, list] : why) e.reasons.emplace_back(g, join(list, "; "));
}

std::optional<TlsEndpoint> endpoint_of(const SubjectFacts& sf) {
  const Fact* p = sf.facts.find("tls.protocols");
  if (sf.subject.kind != SubjectKind::Endpoint || !p || p->state == FactState::Absent) return std::nullopt;
  TlsEndpoint e;
  e.subject = sf.subject.id();
  e.target = sf.subject.target;
  if (const StringList* protocols = known_list(sf.facts, "tls.protocols")) {
    if (protocols->empty()) e.unobserved = "no protocol version accepted";
    e.offers = offers_of(sf.facts, *protocols);
  } else {
    e.unobserved = p->reason.empty() ? "not observed" : p->reason;
  }
  e.server_order = server_order_text(sf.facts);
  e.groups = groups_text(sf.facts);
  e.dh = dh_text(sf.facts);
  summarise(e);
  return e;
}

/// Everything a block shows except whose it is: endpoints with the same key share a block.
std::string offer_key(const TlsEndpoint& e) {
  std::string k = e.unobserved + '\n' + e.server_order + '\n' + e.groups + '\n' + e.dh + '\n';
  for (const auto& o : e.offers) {
    k += join(o.versions, ",") + ':' + o.note + ':';
    for (const auto& s : o.suites) k += s.name + ',';
    k += '\n';
  }
  return k;
}

}  // namespace

std::vector<TlsEndpoint> tls_endpoints(const ScanReport& report) {
  std::vector<TlsEndpoint> out;
  std::map<std::string, size_t> by_key;
  for (const auto& sf : report.facts) {
    std::optional<TlsEndpoint> e = endpoint_of(sf);
    if (!e) continue;
    auto [it, fresh] = by_key.emplace(offer_key(*e), out.size());
    if (fresh) out.push_back(std::move(*e));
    else out[it->second].also.emplace_back(e->subject, e->target);
  }
  return out;
}

// ---- console ----

namespace {

const char* grade_colour(Grade g) {
  switch (g) {
    case Grade::A: return "\x1b[1;32m";
    case Grade::B: return "\x1b[32m";
    case Grade::C: return "\x1b[33m";
    case Grade::D:
    case Grade::E: return "\x1b[31m";
    case Grade::F: return "\x1b[1;31m";
    case Grade::Unknown: return "\x1b[2m";
  }
  return "";
}

/// Wraps `text` at ", " and spaces to `width` columns, continuation lines indented by `indent`;
/// width 0: one line. The text holds no escapes (only our own plain words and terminal_safe
/// server text), so its length is its width, one column per code point.
std::string wrap_plain(const std::string& text, size_t width, size_t indent) {
  auto cols = [](std::string_view s) {
    size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  };
  if (width == 0 || cols(text) <= width) return text + "\n";
  const size_t lead = std::min(text.find_first_not_of(' '), text.size());
  std::string out, line = text.substr(0, lead);
  bool fresh = true;  // no word on this line yet
  for (size_t start = lead; start < text.size();) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!fresh && cols(line) + 1 + cols(word) > width) {
      out += line + "\n";
      line.assign(indent, ' ');
      fresh = true;
    }
    line += (fresh ? "" : " ") + word;
    fresh = false;
  }
  return out + line + "\n";
}

class ConsoleBlock {
 public:
  ConsoleBlock(size_t width, bool colour) : width_(width), colour_(colour) {}

  std::string grade(Grade g) const {
    const std::string letter(to_string(g));
    return colour_ ? grade_colour(g) + letter + "\x1b[0m" : letter;
  }

  std::string endpoint(const TlsEndpoint& e) const {
    std::string out = "  " + grade(e.grade) + "  " + terminal_safe(e.target) + "  " + terminal_safe(e.subject) + "\n";
    if (!e.also.empty()) {
      std::string names;
      for (const auto& [subject, target] : e.also)
        names += (names.empty() ? "" : ", ") + terminal_safe(target) + " " + terminal_safe(subject);
      out += wrap_plain("     the same on " + names, width_, 7);
    }
    if (!e.unobserved.empty()) return out + wrap_plain("     not observed: " + terminal_safe(e.unobserved), width_, 7);
    std::string kx = "     cipher order: " + e.server_order;
    if (!e.groups.empty()) kx += "; groups: " + terminal_safe(e.groups);
    if (!e.dh.empty()) kx += "; DH: " + e.dh;
    out += wrap_plain(kx, width_, 7);
    for (const auto& o : e.offers) out += offer(o);
    for (const auto& [g, why] : e.reasons) out += wrap_plain("     " + std::string(to_string(g)) + ": " + why, width_, 10);
    return out;
  }

 private:
  /// A version heading, then the suites: one per line without a width, else in columns.
  std::string offer(const TlsVersionOffer& o) const {
    std::string out = "     " + join(o.versions, ", ") + (o.note.empty() ? "" : ": " + terminal_safe(o.note)) + "\n";
    size_t cell = 0;
    for (const auto& s : o.suites) cell = std::max(cell, terminal_safe(s.name).size() + 2);
    constexpr size_t kIndent = 7, kGap = 3;
    const size_t per_line = width_ == 0 || cell == 0 ? 1 : std::max<size_t>(1, (width_ - kIndent + kGap) / (cell + kGap));
    for (size_t i = 0; i < o.suites.size(); ++i) {
      const GradedSuite& s = o.suites[i];
      const bool last_in_line = (i + 1) % per_line == 0 || i + 1 == o.suites.size();
      std::string text = grade(s.grade.grade) + " " + terminal_safe(s.name);
      if (!last_in_line) text += std::string(cell + kGap - terminal_safe(s.name).size() - 2, ' ');
      out += (i % per_line == 0 ? std::string(kIndent, ' ') : std::string()) + text + (last_in_line ? "\n" : "");
    }
    return out;
  }

  size_t width_;
  bool colour_;
};

}  // namespace

std::string render_tls_console(const std::vector<TlsEndpoint>& endpoints, size_t width, bool colour) {
  if (endpoints.empty()) return {};
  const ConsoleBlock block(width, colour);
  const std::string head = "TLS endpoints (" + std::to_string(endpoints.size()) +
                           "): per suite a grade A (best) to F, as nmap ssl-enum-ciphers; the endpoint's grade is its "
                           "weakest suite";
  std::string wrapped = wrap_plain(head, width, 2);
  if (colour) wrapped = "\x1b[1m" + wrapped.substr(0, wrapped.size() - 1) + "\x1b[0m\n";
  std::string out = "\n" + wrapped;
  for (const auto& e : endpoints) out += block.endpoint(e);
  return out;
}

}  // namespace pp::reports
