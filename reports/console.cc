#include "reports/console.h"

#include <algorithm>
#include <map>
#include <optional>

#include "core/text.h"
#include "reports/controls.h"
#include "reports/summary.h"
#include "reports/tls_block.h"

namespace pp::reports {

using text::terminal_safe;

namespace {

const char* colour_of(Severity s) {
  switch (s) {
    case Severity::Critical: return "\x1b[1;31m";
    case Severity::High: return "\x1b[31m";
    case Severity::Medium: return "\x1b[33m";
    case Severity::Low: return "\x1b[34m";
    case Severity::Info: return "\x1b[2m";
  }
  return "";
}

/// Display width of terminal-safe text: one column per code point; our own colour escapes
/// (ESC [ ... m) take none. Server text never holds ESC (terminal_safe shows it as "\x1b").
size_t columns(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      while (i < s.size() && s[i] != 'm') ++i;
      continue;
    }
    n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  }
  return n;
}

/// Wraps one logical line at spaces to `width` columns, continuation lines indented by
/// `indent`; a word longer than a line stays whole. width 0: no wrapping.
std::string wrap(const std::string& text, size_t width, size_t indent) {
  if (width == 0 || columns(text) <= width) return text + "\n";
  const size_t lead = std::min(text.find_first_not_of(' '), text.size());
  std::string out, line = text.substr(0, lead);
  size_t col = lead;
  bool fresh = true;  // no word on this line yet
  for (size_t start = lead; start < text.size();) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) {  // a run of spaces (the padded severity label) is kept as it is
      if (!fresh) {
        line += ' ';
        ++col;
      }
      continue;
    }
    const size_t w = columns(word);
    if (!fresh && col + 1 + w > width) {
      out += line + "\n";
      line.assign(indent, ' ');
      col = indent;
      fresh = true;
    }
    if (!fresh) {
      line += ' ';
      ++col;
    }
    line += word;
    col += w;
    fresh = false;
  }
  return out + line + "\n";
}

struct Group {
  const Result* first = nullptr;
  std::vector<const Result*> results;
  size_t fresh = 0;  ///< with a baseline: results marked new
};

/// The first sentence of the first line: what to do, in brief (the reports hold the rest).
std::string first_step(const std::string& s) {
  auto start = s.find_first_not_of(" \n");
  if (start == std::string::npos) return {};
  auto end = s.find('\n', start);
  std::string line = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
  for (size_t at = line.find(". "); at != std::string::npos; at = line.find(". ", at + 1)) {
    // "e.g. " and "i.e. " do not end a sentence.
    if (at >= 3 && (line.compare(at - 3, 3, "e.g") == 0 || line.compare(at - 3, 3, "i.e") == 0)) continue;
    line.resize(at);
    break;
  }
  if (!line.empty() && line.back() == '.') line.pop_back();
  constexpr size_t kMax = 160;
  if (line.size() > kMax) {
    size_t cut = line.rfind(' ', kMax);
    line = line.substr(0, cut == std::string::npos ? kMax : cut) + " …";
  }
  return line;
}

class Writer {
 public:
  explicit Writer(const ConsoleOptions& o) : o_(o) {}

  std::string severity(Severity s) const {
    std::string label = text::to_upper(to_string(s));
    label.resize(std::max<size_t>(label.size(), 8), ' ');
    return o_.colour ? colour_of(s) + label + "\x1b[0m" : label;
  }
  std::string heading(const std::string& s) const { return o_.colour ? "\x1b[1m" + s + "\x1b[0m" : s; }

  /// "a, b, c and 9 more" over the subjects of `rs` (the new ones first when a baseline marked
  /// them, the unchanged ones only counted).
  std::string subjects(const Group& g, bool baseline) const {
    std::vector<const Result*> named;
    for (const Result* r : g.results)
      if (!baseline || r->baseline == "new") named.push_back(r);
    std::string out;
    const size_t shown = std::min(named.size(), o_.max_subjects);
    for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + terminal_safe(named[i]->subject);
    if (named.size() > shown) out += " and " + std::to_string(named.size() - shown) + " more";
    if (baseline) {
      const size_t unchanged = g.results.size() - named.size();
      std::string head = std::to_string(named.size()) + " new";
      if (!named.empty()) head += " (" + out + ")";
      return head + (unchanged ? "; " + std::to_string(unchanged) + " unchanged" : "");
    }
    return std::to_string(g.results.size()) + (g.results.size() == 1 ? " subject: " : " subjects: ") + out;
  }

  std::string rule_line(const Group& g, bool baseline, bool with_fix) const {
    const Result& r = *g.first;
    // The label is padded to 8 columns; the text after it starts at column 11.
    std::string text = "  " + severity(r.severity) + " " + terminal_safe(r.rule_id) + " " + terminal_safe(r.title()) +
                       " — " + subjects(g, baseline);
    const std::string fix = first_step(r.remediation());
    if (with_fix && !fix.empty()) text += ". Fix: " + terminal_safe(fix);
    return wrap(text, o_.width, 11);
  }

  std::string details(const Group& g) const {
    std::string out;
    for (const Result* r : g.results) {
      out += wrap("      " + terminal_safe(r->subject) + ": " + terminal_safe(r->message) +
                      (r->baseline.empty() ? "" : "  [" + r->baseline + "]"),
                  o_.width, 8);
      for (const auto& e : r->evidence) out += "      | " + terminal_safe(e) + "\n";
    }
    return out;
  }

  const ConsoleOptions& o_;
};

std::vector<Group> group_by_rule(const std::vector<const Result*>& rs) {
  std::map<std::string, Group> by_rule;
  for (const Result* r : rs) {
    Group& g = by_rule[r->rule_id];
    if (!g.first) g.first = r;
    g.results.push_back(r);
    if (r->baseline == "new") ++g.fresh;
  }
  std::vector<Group> out;
  for (auto& [id, g] : by_rule) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    if ((a.fresh > 0) != (b.fresh > 0)) return a.fresh > 0;
    if (a.first->severity != b.first->severity) return a.first->severity > b.first->severity;
    return a.results.size() > b.results.size();
  });
  return out;
}

}  // namespace

namespace {

std::string counts_block(const ScanReport& report, const Counts& c) {
  std::string out = "policyprobe " + terminal_safe(report.tool_version) + ": " + std::to_string(c.total) +
                    " results on " + std::to_string(report.targets.size()) +
                    (report.targets.size() == 1 ? " target" : " targets") + "\n";
  out += "  status:";
  for (Status s : kAllStatuses)
    if (s != Status::Blocked || c.of(s)) out += "  " + std::string(to_string(s)) + " " + std::to_string(c.of(s));
  out += "\n  failed by severity:";
  for (Severity s : kSeveritiesDesc) out += "  " + std::string(to_string(s)) + " " + std::to_string(c.failed(s));
  return out + "\n";
}

std::string fails_block(const Writer& w, const std::vector<const Result*>& fails, bool baseline, bool evidence) {
  auto groups = group_by_rule(fails);
  std::string out = "\n" +
                    w.heading("Failed: " + std::to_string(groups.size()) + (groups.size() == 1 ? " rule" : " rules") +
                              " on " + std::to_string(fails.size()) + " subjects" +
                              (baseline ? " (new findings first)" : "")) +
                    "\n";
  for (const auto& g : groups) {
    // With a baseline, a rule with nothing new is one short line: counted, not listed.
    const bool quiet = baseline && g.fresh == 0 && !evidence;
    out += w.rule_line(g, baseline, !quiet);
    if (evidence) out += w.details(g);
  }
  return out;
}

std::string probe_errors_block(const Writer& w, const std::vector<const Result*>& errors, size_t blocked,
                               const ConsoleOptions& options) {
  std::string out = "\n" +
                    w.heading("Could not observe (" + std::to_string(errors.size()) + "; " + std::to_string(blocked) +
                              " results blocked by these):") +
                    "\n";
  for (const Result* r : errors) {
    // The message names its endpoint first when it can; otherwise the subject leads.
    const bool named = r->message.rfind(r->subject, 0) == 0;
    out += wrap("  " + (named ? "" : terminal_safe(r->subject) + ": ") + terminal_safe(r->message), options.width, 4);
    if (options.evidence)
      for (const auto& e : r->evidence) out += "      | " + terminal_safe(e) + "\n";
  }
  return out;
}

std::string errors_block(const Writer& w, const std::vector<const Result*>& errors, const ConsoleOptions& options) {
  auto groups = group_by_rule(errors);
  std::string out = "\n" +
                    w.heading("Could not judge: " + std::to_string(groups.size()) +
                              (groups.size() == 1 ? " rule" : " rules") + " on " + std::to_string(errors.size()) +
                              " subjects") +
                    "\n";
  for (const auto& g : groups) {
    out += w.rule_line(g, false, false);
    out += options.evidence ? w.details(g) : wrap("      " + terminal_safe(g.first->message), options.width, 8);
  }
  return out;
}

/// "TLS-001 on a, b and 3 more; TLS-002 on c" over the findings of one control.
std::string control_findings(const std::vector<ControlFinding>& list, size_t max_subjects) {
  std::map<std::string, std::vector<std::string>> by_rule;
  for (const auto& f : list) by_rule[f.rule_id].push_back(f.subject);
  std::vector<std::string> parts;
  for (const auto& [rule, subjects] : by_rule) {
    const size_t shown = std::min(subjects.size(), max_subjects);
    std::vector<std::string> named;
    for (size_t i = 0; i < shown; ++i) named.push_back(terminal_safe(subjects[i]));
    std::string part = terminal_safe(rule) + " on " + text::join(named, ", ");
    if (subjects.size() > shown) part += " and " + std::to_string(subjects.size() - shown) + " more";
    parts.push_back(part);
  }
  return text::join(parts, "; ");
}

std::string control_line(const ControlVerdict& v, const ConsoleOptions& options) {
  std::string label = text::to_upper(to_string(v.status));
  label.resize(std::max<size_t>(label.size(), 13), ' ');
  std::string line = "  " + label + " " + terminal_safe(v.id) + " " + terminal_safe(v.title);
  if (v.status == ControlStatus::Fail) line += " — failed: " + control_findings(v.failing, options.max_subjects);
  if (v.status == ControlStatus::Undecided)
    line += " — not judged: " + control_findings(v.undecided, options.max_subjects);
  if (v.status == ControlStatus::Pass)
    line += " — " + text::join(v.rules, ", ") + ": " + std::to_string(v.passed) + " passed" +
            (v.waived ? " (" + std::to_string(v.waived) + " waived)" : "");
  if (v.status == ControlStatus::NotEvidenced)
    line += v.rules.empty() ? " — no rule of this scan evidences it"
                            : " — " + text::join(v.rules, ", ") + " applied to no subject";
  return wrap(line, options.width, 18);
}

/// scan --controls: per framework its counts, then one line per control, failures first.
std::string controls_block(const Writer& w, const ScanReport& report, const ConsoleOptions& options) {
  std::string out;
  for (const auto& fv : judge_controls(report)) {
    std::string head = "Controls of " + terminal_safe(fv.id) + " (" + terminal_safe(fv.title) + "):";
    for (ControlStatus st : kControlStatuses) head += "  " + std::string(to_string(st)) + " " + std::to_string(fv.count(st));
    out += "\n" + w.heading(head) + "\n";
    for (ControlStatus st :
         {ControlStatus::Fail, ControlStatus::Undecided, ControlStatus::Pass, ControlStatus::NotEvidenced})
      for (const auto& v : fv.controls)
        if (v.status == st) out += control_line(v, options);
  }
  return out;
}

}  // namespace

std::string render_console(const ScanReport& input, const ConsoleOptions& options) {
  // No copy when the report is already in order (a scan's is): on a fleet the facts in it are
  // most of the memory, and only the results are read here.
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  const Writer w(options);
  const Counts c = count(report.results);
  std::string out = counts_block(report, c);
  bool baseline = false;
  std::vector<const Result*> fails, probe_errors, errors;
  for (const auto& r : report.results) {
    baseline = baseline || !r.baseline.empty();
    if (r.status == Status::Fail) fails.push_back(&r);
    if (r.status == Status::Error) (r.pack() == "probe" ? probe_errors : errors).push_back(&r);
  }
  if (!fails.empty()) out += fails_block(w, fails, baseline, options.evidence);
  if (options.tls) out += render_tls_console(tls_endpoints(report), options.width, options.colour);
  if (!probe_errors.empty()) out += probe_errors_block(w, probe_errors, c.of(Status::Blocked), options);
  if (!errors.empty()) out += errors_block(w, errors, options);
  if (options.controls) out += controls_block(w, report, options);
  if (fails.empty() && errors.empty() && probe_errors.empty()) out += "\nNo failed or undecided checks.\n";
  return out;
}

}  // namespace pp::reports
