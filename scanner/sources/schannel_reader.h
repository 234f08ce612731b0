#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sources/iis_layers.h"

namespace pp::sources {

/// One value line of a registry export: `"Enabled"=dword:00000000`, `"Functions"="A,B"`,
/// `"Name"=hex(7):...`, `"Name"=-` (a deletion). `at` is the value line's first character.
struct RegValue {
  enum class Type { String, ExpandString, MultiString, Dword, Qword, Binary, Other, Deleted };
  std::string name;                  ///< "" for the default value (@)
  Type type = Type::String;
  std::string text;                  ///< String, ExpandString
  std::vector<std::string> strings;  ///< MultiString
  uint64_t number = 0;               ///< Dword, Qword
  std::vector<uint8_t> bytes;        ///< Binary and Other: the raw bytes
  Position at;
};

/// One `[KEY]` section with its values in file order, or a `[-KEY]` deletion (no values).
struct RegKey {
  std::string path;  ///< as written: "HKEY_LOCAL_MACHINE\SYSTEM\...\SCHANNEL\Protocols\TLS 1.0\Server"
  bool deleted = false;
  std::vector<RegValue> values;
  Position at;
};

/// A `.reg` file as regedit and `reg export` write it: the header line, then sections.
struct RegExport {
  std::string header;  ///< "Windows Registry Editor Version 5.00" or "REGEDIT4"
  std::vector<RegKey> keys;
};

/// Reads a registry export: UTF-16LE (with or without BOM, as regedit and `reg export` write
/// it), UTF-8 with or without BOM, or ASCII. Understands `;` comments, `[KEY]` and `[-KEY]`,
/// `"Name"=` / `@=` with a quoted string (escapes `\\` and `\"`), `dword:`, `hex:` and
/// `hex(N):` data continued over lines ending in `\`, and `=-` deletions. Positions are of the
/// decoded text: 1-based line, column in characters. Returns "" or the one positioned error
/// "file:line:column: reason"; on error `out` is left as it was.
std::string read_reg_export(std::string_view bytes, const std::string& file, RegExport& out);

/// True when the bytes look like a registry export that holds a SCHANNEL key (judged from the
/// first 64 KiB after decoding, without parsing).
bool looks_like_schannel_export(std::string_view bytes);

/// The registry as the export leaves it: sections applied in file order, a later value of the
/// same name replacing an earlier one, `[-KEY]` removing the key and every key below it,
/// `"Name"=-` removing the value. Key paths and value names match case-insensitively, and
/// "HKLM\" stands for "HKEY_LOCAL_MACHINE\".
class RegView {
 public:
  explicit RegView(const RegExport& reg);
  /// The value `name` of key `key`, or null when the export leaves none.
  const RegValue* value(std::string_view key, std::string_view name) const;
  /// The names (as written) of the direct subkeys of `key`.
  std::vector<std::string> subkeys(std::string_view key) const;
  bool has_key(std::string_view key) const;
  /// True when the export holds `key` or a key below it: it was exported, so a value it does
  /// not hold is not set (rather than not exported).
  bool covers(std::string_view key) const;

 private:
  /// lower-cased key path -> (key path as written, lower-cased value name -> value)
  struct Key {
    std::string path;
    std::map<std::string, RegValue> values;
  };
  std::map<std::string, Key> keys_;
};

/// A key path in the form RegView compares: lower case, "HKLM\" spelled out, no trailing '\'.
std::string normal_key(std::string_view path);

}  // namespace pp::sources
