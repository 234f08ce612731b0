#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sources/json_reader.h"

namespace pp::sources {

/// What PowerShell's `ConvertTo-Json` makes of a cmdlet's output, for the readers of Exchange
/// settings and IPsec rule exports.

/// `v` when it is an array; the array of PowerShell 5.1's {"value": [...], "Count": n}
/// wrapper; else null.
const JsonValue* unwrapped_array(const JsonValue& v);

/// "file:line:column: " of `v`, to start a positioned error about it.
std::string json_position(const std::string& file, const JsonValue& v);

/// Reads an export (UTF-8, or UTF-16 as Windows PowerShell's `>` writes it) into `doc` and
/// lists its objects: the document itself when it is one object, else the items of its
/// (possibly wrapped) array. Returns "" or one positioned error: the JSON's own, or "not <what>:
/// <collect>" when the document is neither.
std::string read_export_objects(std::string_view text, const std::string& file, std::string_view what,
                                std::string_view collect, JsonValue& doc, std::vector<const JsonValue*>& objects);

/// The first 64 KiB of `text` as UTF-8 when, past a byte order mark and white space, it starts
/// like a JSON object or array (what a reader's kind guess then searches); "" otherwise.
std::string json_export_head(std::string_view text);

}  // namespace pp::sources
