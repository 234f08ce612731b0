#include "sources/schannel_reader.h"

#include <algorithm>

#include "core/text.h"

namespace pp::sources {

namespace {

constexpr std::string_view kHeader5 = "Windows Registry Editor Version 5.00";
constexpr std::string_view kHeader4 = "REGEDIT4";

bool utf16_without_bom(std::string_view b) { return b.size() >= 2 && b[0] != 0 && b[1] == 0; }

/// The text of an export as UTF-8: UTF-16LE (BOM FF FE, or none with a NUL as the second
/// byte), UTF-8 with or without BOM. `odd` is set when UTF-16 text ends in half a unit.
std::string decode(std::string_view b, bool& odd) {
  odd = false;
  if (b.size() >= 2 && static_cast<uint8_t>(b[0]) == 0xFF && static_cast<uint8_t>(b[1]) == 0xFE) {
    odd = (b.size() % 2) != 0;
    return text::utf16_to_utf8(b.substr(2));
  }
  if (utf16_without_bom(b)) {
    odd = (b.size() % 2) != 0;
    return text::utf16_to_utf8(b);
  }
  if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") return std::string(b.substr(3));
  return std::string(b);
}

/// Bytes of a hex(1), hex(2) or hex(7) value as text: UTF-16LE in a version 5 export, single
/// bytes in a REGEDIT4 one.
std::string bytes_text(const std::vector<uint8_t>& bytes, bool wide) {
  std::string raw(bytes.begin(), bytes.end());
  return wide ? text::utf16_to_utf8(raw) : raw;
}

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string::npos) end = s.size();
    if (end == start) break;  // the empty string ends a REG_MULTI_SZ
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string strip_nuls(std::string s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

/// One line of the decoded text, its 1-based number and where it starts.
struct Line {
  std::string_view text;
  int number = 0;
};

/// The reader over the decoded text: lines, positions, the error.
class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : file_(file) {
    size_t start = 0;
    int n = 1;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view l = text.substr(start, end - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines_.push_back({l, n++});
      if (end == text.size()) break;
      start = end + 1;
    }
  }

  std::string parse(RegExport& out);

 private:
  Position at(const Line& l, size_t offset) const {
    Position p;
    p.file = file_;
    p.line = l.number;
    // Columns in characters: UTF-8 continuation bytes do not start one.
    p.column = 1;
    for (size_t i = 0; i < offset && i < l.text.size(); ++i)
      if ((static_cast<uint8_t>(l.text[i]) & 0xC0) != 0x80) ++p.column;
    return p;
  }
  std::string fail(const Line& l, size_t offset, const std::string& why) const {
    const Position p = at(l, offset);
    return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + why;
  }

  std::string header(size_t& i, RegExport& out);
  std::string section(const Line& l, size_t from, RegExport& out);
  std::string value(size_t& i, size_t from, RegExport& out);
  std::string quoted(const Line& l, size_t& pos, std::string& text);
  std::string data(size_t& i, size_t pos, RegValue& v);
  std::string hex_data(size_t& i, size_t pos, int kind, RegValue& v);
  std::string hex_line(const Line& l, size_t pos, RegValue& v, bool& continued);
  void hex_type(int kind, RegValue& v) const;
  std::string after_data(const Line& l, size_t pos, const char* what);

  std::string file_;
  std::vector<Line> lines_;
  bool wide_ = true;
};

std::string Parser::header(size_t& i, RegExport& out) {
  for (; i < lines_.size(); ++i) {
    std::string_view t = lines_[i].text;
    while (!t.empty() && (is_space(t.back()))) t.remove_suffix(1);
    if (t.empty()) continue;
    if (t == kHeader5 || t == kHeader4) {
      out.header = std::string(t);
      wide_ = t == kHeader5;
      ++i;
      return {};
    }
    break;
  }
  const Line& l = i < lines_.size() ? lines_[i] : lines_.back();
  return fail(l, 0, "not a registry export (the first line is not \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\")");
}

std::string Parser::section(const Line& l, size_t from, RegExport& out) {
  const size_t close = l.text.rfind(']');
  if (close == std::string_view::npos || close < from)
    return fail(l, from, "key section without its closing ']'");
  for (size_t k = close + 1; k < l.text.size(); ++k)
    if (!is_space(l.text[k])) return fail(l, k, "unexpected text after the key section's ']'");
  RegKey key;
  size_t name = from + 1;
  if (name < close && l.text[name] == '-') {
    key.deleted = true;
    ++name;
  }
  key.path = std::string(l.text.substr(name, close - name));
  if (key.path.empty() || key.path.find_first_not_of(" \t\\") == std::string::npos)
    return fail(l, from, "key section with an empty key name");
  key.at = at(l, from);
  out.keys.push_back(std::move(key));
  return {};
}

/// A quoted string at `pos` (on the opening quote): `\\` and `\"` are escapes; `pos` ends past
/// the closing quote.
std::string Parser::quoted(const Line& l, size_t& pos, std::string& text) {
  const size_t open = pos;
  for (size_t k = pos + 1; k < l.text.size(); ++k) {
    const char c = l.text[k];
    if (c == '"') {
      pos = k + 1;
      return {};
    }
    if (c == '\\' && k + 1 < l.text.size() && (l.text[k + 1] == '\\' || l.text[k + 1] == '"')) {
      text += l.text[++k];
      continue;
    }
    text += c;
  }
  return fail(l, open, "quoted string without its closing '\"'");
}

/// Past the data only blanks or a `;` comment may follow.
std::string Parser::after_data(const Line& l, size_t pos, const char* what) {
  for (size_t k = pos; k < l.text.size(); ++k) {
    if (l.text[k] == ';') return {};
    if (!is_space(l.text[k])) return fail(l, k, std::string("unexpected text after the ") + what);
  }
  return {};
}

/// The hex bytes of one line from `pos`; `continued` when the line ends in '\'.
std::string Parser::hex_line(const Line& l, size_t pos, RegValue& v, bool& continued) {
  continued = false;
  size_t k = pos;
  while (k < l.text.size()) {
    const char c = l.text[k];
    if (is_space(c) || c == ',') {
      ++k;
      continue;
    }
    if (c == '\\') {
      continued = true;
      return after_data(l, k + 1, "line continuation '\\'");
    }
    if (c == ';') return {};
    const int hi = hex_digit(c);
    if (hi < 0) return fail(l, k, "expected a hex byte (two hex digits) in hex data");
    const int lo = k + 1 < l.text.size() ? hex_digit(l.text[k + 1]) : -1;
    v.bytes.push_back(static_cast<uint8_t>(lo < 0 ? hi : hi * 16 + lo));
    k += lo < 0 ? 1 : 2;
    if (k < l.text.size() && !is_space(l.text[k]) && l.text[k] != ',' && l.text[k] != '\\' && l.text[k] != ';')
      return fail(l, k, "expected ',' between hex bytes");
  }
  return {};
}

/// What hex(N) bytes mean: REG_SZ (1), REG_EXPAND_SZ (2), REG_BINARY (3, and plain hex:),
/// REG_DWORD (4), REG_MULTI_SZ (7), REG_QWORD (b); any other type is kept as bytes.
void Parser::hex_type(int kind, RegValue& v) const {
  switch (kind) {
    case 1: v.type = RegValue::Type::String; v.text = strip_nuls(bytes_text(v.bytes, wide_)); return;
    case 2: v.type = RegValue::Type::ExpandString; v.text = strip_nuls(bytes_text(v.bytes, wide_)); return;
    case 7: v.type = RegValue::Type::MultiString; v.strings = split_nul(bytes_text(v.bytes, wide_)); return;
    case 3: case -1: v.type = RegValue::Type::Binary; return;
    case 4: case 0xb: break;
    default: v.type = RegValue::Type::Other; return;
  }
  const size_t n = kind == 4 ? 4 : 8;
  if (v.bytes.size() != n) {
    v.type = RegValue::Type::Other;
    return;
  }
  v.type = kind == 4 ? RegValue::Type::Dword : RegValue::Type::Qword;
  for (size_t b = n; b-- > 0;) v.number = (v.number << 8) | v.bytes[b];
}

std::string Parser::hex_data(size_t& i, size_t pos, int kind, RegValue& v) {
  // The bytes may continue over lines that end in '\'; each piece is read where it stands.
  for (bool continued = true; continued; pos = 0) {
    if (auto err = hex_line(lines_[i], pos, v, continued); !err.empty()) return err;
    if (!continued) break;
    if (i + 1 >= lines_.size()) return fail(lines_[i], lines_[i].text.size(), "hex data continued past the end of the file");
    ++i;
  }
  hex_type(kind, v);
  return {};
}

std::string Parser::data(size_t& i, size_t pos, RegValue& v) {
  const Line& l = lines_[i];
  while (pos < l.text.size() && is_space(l.text[pos])) ++pos;
  const std::string_view rest = l.text.substr(std::min(pos, l.text.size()));
  if (!rest.empty() && rest[0] == '-') {
    v.type = RegValue::Type::Deleted;
    return after_data(l, pos + 1, "deletion '-'");
  }
  if (!rest.empty() && rest[0] == '"') {
    v.type = RegValue::Type::String;
    if (auto err = quoted(l, pos, v.text); !err.empty()) return err;
    return after_data(l, pos, "quoted string");
  }
  const std::string lower = text::to_lower(rest.substr(0, 12));
  if (lower.rfind("dword:", 0) == 0) {
    size_t k = pos + 6, digits = 0;
    uint64_t n = 0;
    for (; k < l.text.size() && hex_digit(l.text[k]) >= 0; ++k, ++digits) n = n * 16 + static_cast<uint64_t>(hex_digit(l.text[k]));
    if (digits == 0 || digits > 8) return fail(l, pos + 6, "dword data needs 1 to 8 hex digits");
    v.type = RegValue::Type::Dword;
    v.number = n;
    return after_data(l, k, "dword");
  }
  if (lower.rfind("hex:", 0) == 0) return hex_data(i, pos + 4, -1, v);
  if (lower.rfind("hex(", 0) == 0) {
    size_t k = pos + 4, digits = 0;
    int kind = 0;
    for (; k < l.text.size() && hex_digit(l.text[k]) >= 0 && digits < 8; ++k, ++digits) kind = kind * 16 + hex_digit(l.text[k]);
    if (digits == 0 || k + 1 >= l.text.size() || l.text[k] != ')' || l.text[k + 1] != ':')
      return fail(l, pos, "malformed hex(TYPE): data");
    return hex_data(i, k + 2, kind, v);
  }
  return fail(l, pos, "unknown value data (expected \"string\", dword:, hex:, hex(TYPE): or -)");
}

std::string Parser::value(size_t& i, size_t from, RegExport& out) {
  const Line& l = lines_[i];
  if (out.keys.empty()) return fail(l, from, "a value before any [key] section");
  if (out.keys.back().deleted) return fail(l, from, "a value in a deleted [-key] section");
  RegValue v;
  v.at = at(l, from);
  size_t pos = from;
  if (l.text[pos] == '@') {
    ++pos;
  } else if (auto err = quoted(l, pos, v.name); !err.empty()) {
    return err;
  }
  while (pos < l.text.size() && is_space(l.text[pos])) ++pos;
  if (pos >= l.text.size() || l.text[pos] != '=') return fail(l, pos, "expected '=' after the value name");
  if (auto err = data(i, pos + 1, v); !err.empty()) return err;
  out.keys.back().values.push_back(std::move(v));
  return {};
}

std::string Parser::parse(RegExport& out) {
  size_t i = 0;
  if (auto err = header(i, out); !err.empty()) return err;
  for (; i < lines_.size(); ++i) {
    const Line& l = lines_[i];
    size_t from = 0;
    // Exports joined into one file (copy /b a.reg+b.reg) repeat the byte order mark and the
    // header line: both are skipped.
    if (l.text.substr(0, 3) == "\xEF\xBB\xBF") from = 3;
    while (from < l.text.size() && is_space(l.text[from])) ++from;
    if (from == l.text.size() || l.text[from] == ';') continue;
    std::string_view rest = l.text.substr(from);
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    if (rest == kHeader5 || rest == kHeader4) continue;
    const char c = l.text[from];
    std::string err;
    if (c == '[') err = section(l, from, out);
    else if (c == '"' || c == '@') err = value(i, from, out);
    else err = fail(l, from, "unexpected text (expected [KEY], \"Name\"=value or a ; comment)");
    if (!err.empty()) return err;
  }
  return {};
}

}  // namespace

std::string normal_key(std::string_view path) {
  std::string k = text::to_lower(path);
  while (!k.empty() && (k.back() == '\\' || is_space(k.back()))) k.pop_back();
  while (!k.empty() && is_space(k.front())) k.erase(0, 1);
  if (k.rfind("hklm\\", 0) == 0) k = "hkey_local_machine\\" + k.substr(5);
  return k;
}

std::string read_reg_export(std::string_view bytes, const std::string& file, RegExport& out) {
  bool odd = false;
  const std::string text = decode(bytes, odd);
  Parser parser(text, file);
  RegExport read;
  if (std::string err = parser.parse(read); !err.empty()) return err;
  if (odd) {
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    return file + ":" + std::to_string(lines) + ":1: UTF-16 text ends in half a character";
  }
  out = std::move(read);
  return {};
}

bool looks_like_schannel_export(std::string_view bytes) {
  bool odd = false;
  const std::string head = decode(bytes.substr(0, 128 * 1024), odd);
  const size_t eol = head.find('\n');
  std::string first = head.substr(0, eol);
  while (!first.empty() && (first.back() == '\r' || is_space(first.back()))) first.pop_back();
  if (first != kHeader5 && first != kHeader4) return false;
  return text::to_lower(head).find("\\securityproviders\\schannel") != std::string::npos;
}

RegView::RegView(const RegExport& reg) {
  for (const auto& k : reg.keys) {
    const std::string path = normal_key(k.path);
    if (k.deleted) {
      for (auto it = keys_.begin(); it != keys_.end();) {
        if (it->first == path || it->first.rfind(path + "\\", 0) == 0) it = keys_.erase(it);
        else ++it;
      }
      continue;
    }
    Key& key = keys_[path];
    if (key.path.empty()) key.path = k.path;
    for (const auto& v : k.values) {
      const std::string name = text::to_lower(v.name);
      if (v.type == RegValue::Type::Deleted) key.values.erase(name);
      else key.values[name] = v;
    }
  }
}

const RegValue* RegView::value(std::string_view key, std::string_view name) const {
  auto k = keys_.find(normal_key(key));
  if (k == keys_.end()) return nullptr;
  auto v = k->second.values.find(text::to_lower(name));
  return v == k->second.values.end() ? nullptr : &v->second;
}

std::vector<std::string> RegView::subkeys(std::string_view key) const {
  const std::string prefix = normal_key(key) + "\\";
  std::vector<std::string> out;
  for (auto it = keys_.lower_bound(prefix); it != keys_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    if (it->first.find('\\', prefix.size()) != std::string::npos) continue;
    const std::string& written = it->second.path;
    const size_t slash = written.find_last_of('\\');
    out.push_back(slash == std::string::npos ? written : written.substr(slash + 1));
  }
  return out;
}

bool RegView::has_key(std::string_view key) const { return keys_.count(normal_key(key)) != 0; }

bool RegView::covers(std::string_view key) const {
  const std::string k = normal_key(key);
  if (keys_.count(k)) return true;
  auto it = keys_.lower_bound(k + "\\");
  return it != keys_.end() && it->first.rfind(k + "\\", 0) == 0;
}

}  // namespace pp::sources
