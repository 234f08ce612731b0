#include "reports/tls_block.h"
#include "core/text.h"

namespace pp::reports {

using text::html_escape;

namespace {

/// A block starts open when it holds at most this many (version, suite) rows.
constexpr size_t kOpenSuites = 10;

std::string h(std::string_view s) { return html_escape(s); }

std::string grade_badge(Grade g) {
  const std::string letter(to_string(g));
  return "<b class=\"grade g" + std::string(g == Grade::Unknown ? "U" : letter) + "\">" + h(letter) + "</b>";
}

/// "TLSv1.0–TLSv1.3" when the versions run on, else the list.
std::string versions_span(const TlsEndpoint& e) {
  std::vector<std::string> all;
  for (const auto& o : e.offers) all.insert(all.end(), o.versions.begin(), o.versions.end());
  if (all.empty()) return {};
  if (all.size() <= 2) return all.size() == 1 ? all[0] : all[0] + ", " + all[1];
  return all.front() + "\u2013" + all.back();
}

void offer_html(std::string& o, const TlsVersionOffer& offer) {
  std::string versions;
  for (const auto& v : offer.versions) versions += (versions.empty() ? "" : ", ") + v;
  o += "<h4>" + h(versions) + " <span class=\"muted\">(" + std::to_string(offer.suites.size()) + ")</span></h4>";
  if (!offer.note.empty()) o += "<p class=\"muted\">" + h(offer.note) + "</p>";
  if (offer.suites.empty()) return;
  o += "<ul class=\"suites mono\">";
  // No break between the badge and its suite: a long name wraps within itself instead.
  for (const auto& s : offer.suites) o += "<li>" + grade_badge(s.grade.grade) + "&nbsp;" + h(s.name) + "</li>";
  o += "</ul>";
}

void endpoint_html(std::string& o, const TlsEndpoint& e) {
  o += std::string("<details class=\"tls\"") + (e.suite_count <= kOpenSuites ? " open" : "") + "><summary>" +
       grade_badge(e.grade) + " <span class=\"subject\">" + h(e.subject) + "</span> <span class=\"tgt\">" +
       h(e.target) + "</span> <span class=\"muted\">";
  o += e.unobserved.empty() ? h(versions_span(e)) + " &middot; " + std::to_string(e.suite_count) + " suites"
                            : "not observed";
  if (!e.also.empty()) o += " &middot; " + std::to_string(e.also.size() + 1) + " endpoints";
  o += "</span></summary><div class=\"body\">";
  if (!e.also.empty()) {
    o += "<p class=\"also\">The same on:";
    for (const auto& [subject, target] : e.also)
      o += " <span class=\"subject\">" + h(subject) + "</span> <span class=\"tgt\">" + h(target) + "</span>";
    o += "</p>";
  }
  if (!e.unobserved.empty()) {
    o += "<p class=\"muted\">Not observed: " + h(e.unobserved) + "</p></div></details>\n";
    return;
  }
  o += "<p class=\"kx\">Cipher order: <b>" + h(e.server_order) + "</b>";
  if (!e.groups.empty()) o += " &middot; groups: " + h(e.groups);
  if (!e.dh.empty()) o += " &middot; DH: " + h(e.dh);
  o += "</p>";
  for (const auto& offer : e.offers) offer_html(o, offer);
  if (!e.reasons.empty()) {
    o += "<p class=\"why\">";
    for (const auto& [g, why] : e.reasons) o += grade_badge(g) + " " + h(why) + " ";
    o += "</p>";
  }
  o += "</div></details>\n";
}

}  // namespace

std::string render_tls_html(const std::vector<TlsEndpoint>& endpoints) {
  if (endpoints.empty()) return {};
  std::string o = "<section class=\"card\" id=\"tls\"><h2>TLS endpoints (" + std::to_string(endpoints.size()) +
                  ")</h2>\n<p class=\"muted\">The protocol versions and cipher suites each endpoint accepts, each "
                  "suite graded A (best) to F as nmap's ssl-enum-ciphers does; an endpoint's grade is its weakest "
                  "suite. A: AEAD with forward secrecy (every TLS 1.3 suite). B: CBC mode or no forward secrecy. "
                  "C: RC4, 3DES or IDEA, MD5, or any SSLv3 suite. D: DES and other ciphers under 112 bits. "
                  "E: export grade. F: no encryption, no authentication, or SSLv2.</p>\n";
  for (const auto& e : endpoints) endpoint_html(o, e);
  return o + "</section>\n";
}

}  // namespace pp::reports
