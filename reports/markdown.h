#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "reports/writer.h"

/// A Markdown summary of one run for a merge-request comment or a CI job summary
/// ($GITHUB_STEP_SUMMARY): the gate's verdict and exit code first, then counts by status and
/// by severity, the new findings (with a baseline), the failing rules with how many subjects
/// fail each (the ones the gate counts first), and what could not be observed (the PROBE
/// errors). Lists are capped so a fleet's summary stays a comment, not a report; the HTML,
/// JUnit and JSON reports hold everything. Without a gate in the options every fail and error
/// counts. Server text goes through markdown_escape.
namespace pp::reports {

std::string render_markdown(const ScanReport& report, const WriteOptions& options = {});

/// One line of server text made inert for GitHub / GitLab Markdown in a table cell: invalid
/// UTF-8, controls, line breaks and bidi overrides as visible escapes (terminal_safe); HTML
/// markup characters as entities; Markdown punctuation (pipes, backticks, emphasis, links,
/// headings, @-mentions) backslash-escaped. At most `max_chars` characters, then "…".
std::string markdown_escape(std::string_view s, size_t max_chars = 300);

}  // namespace pp::reports
