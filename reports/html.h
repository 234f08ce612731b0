#pragma once
#include <string>

#include "core/result.h"

/// One self-contained HTML page for the people who fix things: scan metadata, a summary by
/// status and severity, the findings per host (and a per-rule table), certificate details
/// with an expiry timeline. Everything is rendered server-side, so the page reads fully with
/// JavaScript off; the inline script only filters (status, severity, target, rule, text —
/// initial values from location.hash) over an embedded JSON blob. No external fetches: a
/// Content-Security-Policy forbids them. Every string is HTML-escaped (text and attributes);
/// the script inserts data only with textContent.
namespace pp::reports {

std::string render_html(const ScanReport& report);

/// The stylesheet and script inlined into every page (reports/assets/, embedded at build).
extern const char* const kHtmlCss;
extern const char* const kHtmlJs;

}  // namespace pp::reports
