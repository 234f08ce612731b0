#include "sources/json_reader.h"

#include <cstdint>
#include <set>

#include "core/text.h"
#include "sources/line_index.h"

namespace pp::sources {

namespace {

bool is_high(uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

/// Recursive descent over the text; the first error stops it (`error` set, position kept).
class Parser {
 public:
  Parser(std::string_view text, size_t start) : text_(text), at_(start), lines_(text) {}

  bool document(JsonValue& out) {
    space();
    if (!value(out, 0)) return false;
    space();
    if (at_ < text_.size()) return fail("unexpected text after the JSON value");
    return true;
  }

  /// Where the error is.
  void locate(int& line, int& column) const { lines_.locate(static_cast<std::ptrdiff_t>(error_at), line, column); }

  std::string error;
  size_t error_at = 0;

 private:
  bool fail(const std::string& why) {
    error = why;
    error_at = at_;
    return false;
  }

  void space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }

  void mark(JsonValue& v) const {
    lines_.locate(static_cast<std::ptrdiff_t>(at_), v.line, v.column);
  }

  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return fail("expected a JSON value");
    at_ += word.size();
    return true;
  }

  bool value(JsonValue& v, int depth) {
    if (at_ >= text_.size()) return fail("unexpected end of the file: expected a JSON value");
    mark(v);
    const char c = text_[at_];
    switch (c) {
      case '{': return object(v, depth + 1);
      case '[': return array(v, depth + 1);
      case '"': v.kind = JsonValue::Kind::String; return string(v.text);
      case 't': v.kind = JsonValue::Kind::Bool; v.boolean = true; return literal("true");
      case 'f': v.kind = JsonValue::Kind::Bool; v.boolean = false; return literal("false");
      case 'n': v.kind = JsonValue::Kind::Null; return literal("null");
      default: break;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    return fail("expected a JSON value");
  }

  bool digits() {
    const size_t from = at_;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > from;
  }

  bool number(JsonValue& v) {
    const size_t from = at_;
    if (text_[at_] == '-') ++at_;
    if (at_ < text_.size() && text_[at_] == '0') {
      ++at_;
    } else if (!digits()) {
      return fail("malformed number");
    }
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (!digits()) return fail("malformed number: no digit after '.'");
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
      if (!digits()) return fail("malformed number: no digit in the exponent");
    }
    v.kind = JsonValue::Kind::Number;
    v.text = std::string(text_.substr(from, at_ - from));
    return true;
  }

  bool hex4(uint32_t& u) {
    if (at_ + 4 > text_.size()) return fail("unexpected end of the file in a \\u escape");
    u = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[at_ + static_cast<size_t>(i)];
      u <<= 4;
      if (h >= '0' && h <= '9') u |= static_cast<uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') u |= static_cast<uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') u |= static_cast<uint32_t>(h - 'A' + 10);
      else return fail("malformed \\u escape");
    }
    at_ += 4;
    return true;
  }

  bool unicode_escape(std::string& out) {
    uint32_t u = 0;
    if (!hex4(u)) return false;
    if (is_high(u) && text_.substr(at_, 2) == "\\u") {
      const size_t back = at_;
      at_ += 2;
      uint32_t low = 0;
      if (!hex4(low)) return false;
      if (is_low(low)) {
        text::append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        return true;
      }
      at_ = back;
    }
    text::append_utf8(out, is_high(u) || is_low(u) ? 0xFFFD : u);
    return true;
  }

  bool escape(std::string& out) {
    if (at_ >= text_.size()) return fail("unexpected end of the file in a string");
    const char e = text_[at_++];
    switch (e) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': return unicode_escape(out);
      default: --at_; return fail("unknown escape in a string");
    }
  }

  bool string(std::string& out) {
    ++at_;  // the opening quote
    out.clear();
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '"') {
        ++at_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string (escape it)");
      ++at_;
      if (c == '\\') {
        if (!escape(out)) return false;
      } else {
        out += c;
      }
    }
    return fail("unexpected end of the file: the string is not closed");
  }

  bool array(JsonValue& v, int depth) {
    if (depth > kMaxJsonDepth) return fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    v.kind = JsonValue::Kind::Array;
    ++at_;
    space();
    if (at_ < text_.size() && text_[at_] == ']') {
      ++at_;
      return true;
    }
    while (true) {
      v.items.emplace_back();
      if (!value(v.items.back(), depth)) return false;
      space();
      if (at_ >= text_.size()) return fail("unexpected end of the file: the array is not closed");
      if (text_[at_] == ']') {
        ++at_;
        return true;
      }
      if (text_[at_] != ',') return fail("expected ',' or ']' in an array");
      ++at_;
      space();
    }
  }

  bool member(JsonValue& v, std::set<std::string>& names, int depth) {
    if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a member name in quotes");
    const size_t name_at = at_;
    std::string name;
    if (!string(name)) return false;
    if (!names.insert(name).second) {
      at_ = name_at;
      return fail("duplicate member name \"" + text::printable(name) + "\"");
    }
    space();
    if (at_ >= text_.size() || text_[at_] != ':') return fail("expected ':' after a member name");
    ++at_;
    space();
    v.members.push_back({std::move(name), JsonValue{}});
    return value(v.members.back().value, depth);
  }

  bool object(JsonValue& v, int depth) {
    if (depth > kMaxJsonDepth) return fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    v.kind = JsonValue::Kind::Object;
    ++at_;
    space();
    if (at_ < text_.size() && text_[at_] == '}') {
      ++at_;
      return true;
    }
    std::set<std::string> names;  // duplicates found in O(log n), whatever the object's size
    while (true) {
      if (!member(v, names, depth)) return false;
      space();
      if (at_ >= text_.size()) return fail("unexpected end of the file: the object is not closed");
      if (text_[at_] == '}') {
        ++at_;
        return true;
      }
      if (text_[at_] != ',') return fail("expected ',' or '}' in an object");
      ++at_;
      space();
    }
  }

  std::string_view text_;
  size_t at_;
  LineIndex lines_;
};

}  // namespace

const JsonValue* JsonValue::get(std::string_view key) const {
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  for (const auto& [k, v] : members)
    if (text::iequals(k, key)) return &v;
  return nullptr;
}

std::string read_json(std::string_view text, const std::string& file, JsonValue& out) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // positions count from after the mark
  Parser p(text, 0);
  JsonValue v;
  if (!p.document(v)) {
    int line = 0, column = 0;
    p.locate(line, column);
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed JSON: " + p.error;
  }
  out = std::move(v);
  return {};
}

std::string to_utf8(std::string_view text) {
  const bool le = text.substr(0, 2) == "\xFF\xFE";
  const bool be = text.substr(0, 2) == "\xFE\xFF";
  if (!le && !be) return std::string(text);
  std::string out = pp::text::utf16_to_utf8(text.substr(2), be);
  if (text.size() % 2) out += "\xEF\xBF\xBD";  // a dangling byte
  return out;
}

}  // namespace pp::sources
