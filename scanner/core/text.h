#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// The one text module: every folder that walks UTF-8, escapes text for an output, compares
/// case-insensitively, joins, hex-encodes or fingerprints uses these, so each job has one
/// definition and one test. Strings handled here often come from servers (banners, headers,
/// certificate fields) and may hold anything: NUL, escape sequences, invalid UTF-8.
/// Case helpers are ASCII only on purpose: protocol keywords and DNS names, never locale text.
namespace pp::text {

// ---- UTF-8 ----

/// Walks `s` as strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). Calls
/// on_char(code_point, bytes) for each valid character and on_bad(byte) for each byte that
/// is not part of a valid sequence.
template <class OnChar, class OnBad>
void walk_utf8(std::string_view s, OnChar on_char, OnBad on_bad);

/// Replaces every invalid UTF-8 byte by U+FFFD; everything else is kept as is.
std::string valid_utf8(std::string_view s);

/// Appends the code point `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
void append_utf8(std::string& out, uint32_t cp);

/// UTF-16 code units (little-endian unless `big_endian`) as UTF-8: a pair of surrogates is one
/// character, an unpaired surrogate becomes U+FFFD, an odd last byte is left out (callers that
/// care check the length).
std::string utf16_to_utf8(std::string_view bytes, bool big_endian = false);

// ---- escaping for an output ----

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

/// How `printable` treats what is not plain printable ASCII.
struct Printable {
  bool keep_utf8 = true;         ///< valid multi-byte UTF-8 kept verbatim; false: \xNN per byte
  bool escape_backslash = true;  ///< "\" becomes "\\", so the text cannot forge an escape
  size_t max_bytes = std::string_view::npos;  ///< input bytes shown; "..." marks a cut
};

/// Bytes made safe to store in a fact and to print while staying readable: printable ASCII is
/// kept, C0 controls, DEL and every byte of an invalid UTF-8 sequence become \xNN. Reports
/// still escape the result for their format. `escape_backslash` false is for text whose
/// backslashes already are escapes (RFC 2253 DNs).
std::string printable(std::string_view s, const Printable& how = {});

/// Percent-encoding with upper-case hex: ASCII letters and digits and the bytes in `keep`
/// stay, every other byte becomes %XX.
std::string percent_encode(std::string_view s, std::string_view keep);

// ---- small string helpers (ASCII) ----

char ascii_lower(char c);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
/// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);
/// `s` without the spaces and tabs at either end (a line's value in a text export).
std::string_view trim_blanks(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// ---- hex and fingerprints ----

/// Lower-case hex of every byte: "\x0a\xff" -> "0aff".
std::string hex(std::string_view bytes);
/// One byte as two lower-case hex digits: 0x2a -> "2a".
std::string hex_byte(uint8_t b);
/// A 16-bit code as protocol documents write it: 0x13 -> "0x0013" (upper-case digits).
std::string hex16(unsigned v);

/// The 64-bit FNV-1a offset basis.
inline constexpr uint64_t kFnv1aBasis = 14695981039346656037ull;
/// 64-bit FNV-1a: stable across runs and machines, unlike std::hash (not a security hash).
uint64_t fnv1a(std::string_view s, uint64_t basis = kFnv1aBasis);
/// fnv1a as 16 hex digits: a stable, dependency-free fingerprint.
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

}  // namespace pp::text
