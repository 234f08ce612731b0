#include "core/text.h"

#include <cstdio>

namespace pp::text {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

/// "\xNN" with lower-case digits.
std::string hex_escape(unsigned c) { return "\\x" + hex_byte(static_cast<uint8_t>(c & 0xFFu)); }

bool bidi_or_line_separator(char32_t cp) {
  return cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}
}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string utf16_to_utf8(std::string_view b, bool big_endian) {
  std::string out;
  out.reserve(b.size() / 2);
  auto unit = [&](size_t i) -> uint32_t {
    const auto first = static_cast<uint32_t>(static_cast<unsigned char>(b[i]));
    const auto second = static_cast<uint32_t>(static_cast<unsigned char>(b[i + 1]));
    return big_endian ? (first << 8) | second : first | (second << 8);
  };
  auto is_high = [](uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; };
  auto is_low = [](uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; };
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    const uint32_t u = unit(i);
    if (is_high(u) && i + 3 < b.size() && is_low(unit(i + 2))) {
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00));
      i += 2;
      continue;
    }
    append_utf8(out, is_high(u) || is_low(u) ? 0xFFFD : u);
  }
  return out;
}

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
        else if (bidi_or_line_separator(cp)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
          out += buf;
        }
        else out += bytes;
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string printable(std::string_view s, const Printable& how) {
  const bool cut = s.size() > how.max_bytes;
  if (cut) s = s.substr(0, how.max_bytes);
  std::string out;
  out.reserve(s.size());
  walk_utf8(
      s,
      [&](char32_t cp, std::string_view bytes) {
        if (cp == '\\' && how.escape_backslash) out += "\\\\";
        else if (cp < 0x20 || cp == 0x7F) out += hex_escape(cp);
        else if (cp < 0x80 || how.keep_utf8) out += bytes;
        else
          for (char b : bytes) out += hex_escape(static_cast<unsigned char>(b));
      },
      [&](unsigned char b) { out += hex_escape(b); });
  if (cut) out += "...";
  return out;
}

std::string percent_encode(std::string_view s, std::string_view keep) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += kUpperHex[c >> 4];
      out += kUpperHex[c & 15];
    }
  }
  return out;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string_view trim_blanks(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char b : bytes) out += hex_byte(static_cast<uint8_t>(b));
  return out;
}

std::string hex_byte(uint8_t b) { return {kLowerHex[b >> 4], kLowerHex[b & 15]}; }

std::string hex16(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04X", v & 0xFFFF);
  return b;
}

uint64_t fnv1a(std::string_view s, uint64_t basis) {
  uint64_t h = basis;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string fnv1a_hex(std::string_view s) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(s)));
  return buf;
}

}  // namespace pp::text
