#include "sources/powershell_json.h"

namespace pp::sources {

using Kind = JsonValue::Kind;

const JsonValue* unwrapped_array(const JsonValue& v) {
  if (v.is(Kind::Array)) return &v;
  if (!v.is(Kind::Object)) return nullptr;
  const JsonValue* inner = v.get("value");
  return inner && inner->is(Kind::Array) && v.get("Count") ? inner : nullptr;
}

std::string json_position(const std::string& file, const JsonValue& v) {
  return file + ":" + std::to_string(v.line) + ":" + std::to_string(v.column) + ": ";
}

std::string read_export_objects(std::string_view text, const std::string& file, std::string_view what,
                                std::string_view collect, JsonValue& doc, std::vector<const JsonValue*>& objects) {
  if (std::string err = read_json(to_utf8(text), file, doc); !err.empty()) return err;
  if (const JsonValue* list = unwrapped_array(doc)) {
    for (const auto& item : list->items) objects.push_back(&item);
    return {};
  }
  if (doc.is(Kind::Object)) {
    objects.push_back(&doc);
    return {};
  }
  return json_position(file, doc) + "not " + std::string(what) + ": " + std::string(collect);
}

std::string json_export_head(std::string_view text) {
  std::string head = to_utf8(text.substr(0, 64 * 1024));
  size_t i = head.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i >= head.size() || (head[i] != '{' && head[i] != '[')) return {};
  return head;
}

}  // namespace pp::sources
