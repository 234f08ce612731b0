#include "reports/text.h"

#include <cstdint>
#include <cstdio>

namespace pp::reports {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string hex_escape(unsigned c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c & 0xFFu);
  return buf;
}
}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk_utf8(s, [&](char32_t, std::string_view bytes) { out += bytes; },
            [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string xml_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  walk_utf8(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') out += hex_escape(cp);
        else if (cp == 0xFFFE) out += "\\u{FFFE}";
        else if (cp == 0xFFFF) out += "\\u{FFFF}";
        else out += bytes;
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : xml_safe(s)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string terminal_safe(std::string_view s) {
  std::string out;
  walk_utf8(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (cp == '\t') out += "\\t";
        else if (cp == '\n') out += "\\n";
        else if (cp == '\r') out += "\\r";
        // C0, DEL and C1 controls (0x80-0x9F: CSI is 0x9B) could drive a terminal.
        else if (cp < 0x20 || cp == 0x7F) out += hex_escape(cp);
        else if (cp >= 0x80 && cp <= 0x9F) out += "\\u{" + hex_escape(cp).substr(2) + "}";
        // Line separators and bidi overrides could fake line breaks or reorder what is shown.
        else if (cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
          out += buf;
        }
        else out += bytes;
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string fnv1a_hex(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace pp::reports
