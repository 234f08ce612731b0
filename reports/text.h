#pragma once
#include <string>
#include <string_view>

/// Text hygiene shared by every writer. Strings in a ScanReport come from servers (banners,
/// headers, certificate fields) and may hold anything: NUL, escape sequences, invalid UTF-8.
/// Each output format has its own rules; these helpers implement them in one place.
namespace pp::reports {

/// Walks `s` as strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Calls
/// on_char(code_point, bytes) for each valid character and on_bad(byte) for each byte that
/// is not part of a valid sequence.
template <class OnChar, class OnBad>
void walk_utf8(std::string_view s, OnChar on_char, OnBad on_bad);

/// Replaces every invalid UTF-8 byte by U+FFFD; everything else is kept as is.
std::string valid_utf8(std::string_view s);

/// Text for XML 1.0 / HTML character data: invalid UTF-8 bytes become U+FFFD, and characters
/// XML 1.0 forbids even as references (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF)
/// become the visible text "\xNN" / "\u{FFFE}" so an administrator still sees that they were
/// there. Markup characters are NOT escaped here (pugixml or html_escape does that).
std::string xml_safe(std::string_view s);

/// xml_safe, then & < > " ' as entities: safe in HTML text and in quoted attributes.
std::string html_escape(std::string_view s);

/// One line for a terminal: like xml_safe, and also TAB/CR/LF and DEL become "\t" "\r" "\n"
/// "\x7f", C1 controls, U+2028/2029 and bidi overrides become "\u{..}", so a server cannot move
/// the cursor, recolour the terminal, forge extra lines or reorder the text shown.
std::string terminal_safe(std::string_view s);

/// 64-bit FNV-1a, hex: a stable, dependency-free fingerprint (not a security hash).
std::string fnv1a_hex(std::string_view s);

// ---- implementation of the template ----
template <class OnChar, class OnBad>
void walk_utf8(std::string_view s, OnChar on_char, OnBad on_bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      on_char(static_cast<char32_t>(c), s.substr(i, 1));
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    bool ok = len != 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (!ok) {
      on_bad(c);
      ++i;
      continue;
    }
    on_char(cp, s.substr(i, len));
    i += len;
  }
}

}  // namespace pp::reports
