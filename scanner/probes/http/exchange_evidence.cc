#include "probes/http/exchange_evidence.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace pp::http {

namespace {

/// The internal-name headers of Exchange 2013 and later front and back ends.
constexpr const char* kNameHeaders[] = {"X-FEServer", "X-BEServer", "X-CalculatedBETarget", "X-DiagInfo"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

void add_build(ExchangeSightings& out, const std::string& text, std::string what, const std::string& request) {
  if (auto b = parse_exchange_build(text)) out.builds.push_back({*b, {std::move(what), request}});
}

/// The value of attribute `name="..."` after `from` in `body`, or "".
std::string attribute(const std::string& body, size_t from, std::string_view name) {
  const size_t at = body.find(std::string(name) + "=\"", from);
  if (at == std::string::npos || at > from + 400) return {};
  const size_t start = at + name.size() + 2;
  const size_t end = body.find('"', start);
  return end == std::string::npos ? std::string() : body.substr(start, end - start);
}

/// The internal name a header carries: X-DiagInfo and X-CalculatedBETarget may add a port or
/// more after the name ("EXCH01", "exch01.corp.local:444").
std::string name_of(const std::string& value) {
  std::string v = value.substr(0, value.find_first_of(" ;,"));
  if (auto colon = v.find(':'); colon != std::string::npos) v.resize(colon);
  return v;
}

void collect_response(const HttpResponse& r, ExchangeSightings& out) {
  if (!r.answered()) return;
  out.answered = true;
  const std::string req = r.method + " " + r.url;
  for (const auto& v : r.values("X-OWA-Version")) add_build(out, v, "X-OWA-Version: " + v, req);
  for (const auto& b : resource_path_builds(r.body)) add_build(out, b, "resource path /" + b + "/ in the page", req);
  if (const std::string b = server_version_info_build(r.body); !b.empty())
    add_build(out, b, "EWS ServerVersionInfo " + b, req);
  for (const char* h : kNameHeaders)
    for (const auto& v : r.values(h)) {
      const std::string name = name_of(v);
      if (name.empty()) continue;
      bool seen = false;
      for (const auto& n : out.names) seen = seen || text::iequals(n, name);
      if (!seen) out.names.push_back(name);
      out.name_lines.push_back({std::string(h) + ": " + v, req});
    }
}

}  // namespace

std::vector<std::string> evidence_lines(const std::vector<ExchangeSightings::Seen>& seen) {
  std::vector<std::string> whats;
  std::vector<const std::string*> first;
  std::vector<size_t> count;
  for (const auto& s : seen) {
    auto it = std::find(whats.begin(), whats.end(), s.what);
    if (it == whats.end()) {
      whats.push_back(s.what);
      first.push_back(&s.request);
      count.push_back(1);
    } else {
      ++count[static_cast<size_t>(it - whats.begin())];
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < whats.size(); ++i) {
    std::string more;
    if (count[i] > 1) more = "; and " + std::to_string(count[i] - 1) + (count[i] == 2 ? " more answer" : " more answers");
    out.push_back(whats[i] + " (" + *first[i] + more + ")");
  }
  return out;
}

std::vector<std::string> resource_path_builds(const std::string& body) {
  std::vector<std::string> out;
  const std::string low = lower(body);
  for (const char* prefix : {"/owa/", "/ecp/"}) {
    for (size_t at = low.find(prefix); at != std::string::npos; at = low.find(prefix, at + 1)) {
      size_t p = at + 5;
      if (low.compare(p, 5, "auth/") == 0) p += 5;
      size_t end = p;
      while (end < low.size() && (std::isdigit(static_cast<unsigned char>(low[end])) || low[end] == '.')) ++end;
      if (end == p || end >= low.size() || low[end] != '/') continue;
      const std::string candidate = low.substr(p, end - p);
      if (parse_exchange_build(candidate)) add_unique(out, candidate);
    }
  }
  return out;
}

std::string server_version_info_build(const std::string& body) {
  const size_t at = body.find("ServerVersionInfo");
  if (at == std::string::npos) return {};
  const std::string parts[] = {attribute(body, at, "MajorVersion"), attribute(body, at, "MinorVersion"),
                               attribute(body, at, "MajorBuildNumber"), attribute(body, at, "MinorBuildNumber")};
  for (const auto& p : parts)
    if (p.empty()) return {};
  const std::string b = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
  return parse_exchange_build(b) ? b : std::string();
}

void collect_exchange(const SchemeObservation& obs, ExchangeSightings& out) {
  for (const auto& r : obs.chain) collect_response(r, out);
  for (const auto* r : {&obs.options, &obs.trace, &obs.track, &obs.propfind})
    if (*r) collect_response(**r, out);
}

}  // namespace pp::http
