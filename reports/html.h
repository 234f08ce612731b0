#pragma once
#include <string>

#include "core/result.h"

/// One self-contained HTML page that tells an administrator what to act on, in this order:
/// scan metadata; a summary (statuses, baseline marks — "fixed" means now passes, as in `diff`,
/// "not evaluated" apart — and failures by severity); the endpoints the scanner could not
/// observe at all (PROBE errors) in their own short section; then the failures and errors
/// grouped by rule, most severe first, each rule's remediation once and its affected subjects
/// folded under it with the message and evidence per subject; a per-target table (failures per
/// severity, results per status); every rule with its counts; the certificates by expiry; what
/// each TLS endpoint offers, its suites graded (tls_block.h).
///
/// Passes, skips and blocked results are not rendered as HTML (a fleet has tens of thousands):
/// they are rows of a compact JSON blob, listed by the script when a filter asks for them, with
/// their evidence cloned from an inert <template> of escaped text. The default view (fail and
/// error) reads fully with JavaScript off; the script adds filters (status, baseline, severity,
/// target, rule, text; in location.hash). Printing prints what is shown: filters hold, the
/// active filters are printed, and the folds of every shown finding open for the paper (a
/// reader of paper cannot click), closing again afterwards.
///
/// No external fetches: a Content-Security-Policy forbids them. Every string is HTML-escaped
/// (text and attributes); the script inserts data only with textContent.
namespace pp::reports {

std::string render_html(const ScanReport& report);

/// The stylesheet and script inlined into every page (reports/assets/, embedded at build).
extern const char* const kHtmlCss;
extern const char* const kHtmlJs;

}  // namespace pp::reports
