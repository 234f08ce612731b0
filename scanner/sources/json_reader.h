#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace pp::sources {

struct JsonMember;

/// One JSON value and where it starts (1-based line and column of its first character, in the
/// UTF-8 text read). Numbers keep their literal text: a reader of settings compares them as
/// written, and no value is rounded.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  ///< a string's value, a number's literal
  std::vector<JsonValue> items;
  std::vector<JsonMember> members;  ///< in document order
  int line = 0;
  int column = 0;

  /// The member named `key`, matched exactly and then case-insensitively (PowerShell
  /// property names are case-insensitive); null when there is none or this is no object.
  const JsonValue* get(std::string_view key) const;
  bool is(Kind k) const { return kind == k; }
};

/// One member of an object: its name and its value.
struct JsonMember {
  std::string name;
  JsonValue value;
};

/// The deepest nesting of arrays and objects read; deeper input is an error, not a stack
/// overflow.
inline constexpr int kMaxJsonDepth = 64;

/// Reads one JSON document (RFC 8259, strict: no comments, no trailing commas, no duplicate
/// keys in an object, no control characters in strings, nothing after the value). The text
/// may start with a UTF-8 byte order mark. Returns "" or the one positioned error
/// "file:line:column: reason"; on error `out` is left as it was.
std::string read_json(std::string_view text, const std::string& file, JsonValue& out);

/// Text as PowerShell writes it to UTF-8: UTF-16 (little or big endian, with its byte order
/// mark, as Windows PowerShell's `>` writes) is converted; anything else is returned as it
/// is. An unpaired surrogate becomes U+FFFD.
std::string to_utf8(std::string_view text);

}  // namespace pp::sources
