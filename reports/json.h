#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

/// The JSON report (schema_version 1): the full result set plus every fact, stable order.
/// It is also the storage format that --baseline, `policyprobe diff` and `merge` read back.
///
/// Text policy: control characters are \u00XX-escaped (lossless); bytes that are not valid
/// UTF-8 are replaced by U+FFFD, so the file is always valid UTF-8 JSON that jq and every
/// parser accept. Reading a report back therefore gives U+FFFD where a server sent bad bytes.
namespace pp::reports {

std::string render_json(const ScanReport& report);

/// The same document, handed to `sink` piece by piece (one result or fact at a time), so a
/// report of a large fleet is never held in memory whole. Stops early when `sink` returns
/// false. render_json is this with a sink that appends to a string.
using Sink = std::function<bool(std::string_view)>;
bool render_json_to(const ScanReport& report, const Sink& sink);

/// Same document, made safe to embed inside an HTML <script> element: '<', '>' and '&' are
/// written as \u003c \u003e \u0026 (so no "</script>" or "<!--" can appear), and U+2028/2029
/// as \u2028/\u2029. Still valid JSON with the same meaning.
std::string json_for_html(std::string_view json);

/// The oldest report schema_version the reader still loads; it reads every version from this
/// one to ScanReport::kSchemaVersion (`history` over a long series meets old reports).
inline constexpr int kOldestReadableSchema = 1;
/// "1" or "1, 2, ...": the versions read, for messages and help.
std::string readable_schema_versions();

/// Loads a report written by render_json. Returns "" on success, else a message saying what
/// and where (JSON pointer or byte offset). Refuses unknown schema versions. Reads the
/// optional top-level `warnings` list (added within schema 1; see README.md).
std::string parse_json_report(std::string_view text, ScanReport& out);

/// read_file (at most kMaxReportInputBytes, refused from its size before reading) +
/// parse_json_report; the error names the path.
std::string load_json_report(const std::string& path, ScanReport& out);

}  // namespace pp::reports
