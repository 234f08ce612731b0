#include "sources/ipsec_json.h"

#include "core/text.h"
#include "sources/json_reader.h"
#include "sources/powershell_json.h"

namespace pp::sources {

namespace {

using Kind = JsonValue::Kind;

constexpr const char* kCollect =
    "expected the output of Get-NetIPsecRule piped through ConvertTo-Json (see the README's IPsec section)";

/// A scalar as text; "" for anything else.
std::string text_of(const JsonValue& v) {
  switch (v.kind) {
    case Kind::String:
    case Kind::Number: return v.text;
    case Kind::Bool: return v.boolean ? "true" : "false";
    default: return {};
  }
}

IpsecProperty property_of(const std::string& name, const JsonValue& v, const std::string& file) {
  IpsecProperty p;
  p.name = name;
  p.at = {file, v.line, v.column};
  if (const JsonValue* list = unwrapped_array(v)) {
    p.shape = IpsecProperty::Shape::List;
    for (const auto& item : list->items) p.list.push_back(text_of(item));
    return p;
  }
  switch (v.kind) {
    case Kind::Null: p.shape = IpsecProperty::Shape::Null; break;
    case Kind::Object: p.shape = IpsecProperty::Shape::Object; break;
    default:
      p.shape = IpsecProperty::Shape::Scalar;
      p.value = text_of(v);
  }
  return p;
}

/// The record of one exported object, or false when it is no IPsec rule.
bool rule_of(const JsonValue& object, const std::string& file, IpsecRule& out) {
  if (!object.is(Kind::Object)) return false;
  if (!object.get("InboundSecurity") && !object.get("OutboundSecurity")) return false;
  const JsonValue* display = object.get("DisplayName");
  const JsonValue* name = object.get("Name");
  out.name = display ? text_of(*display) : std::string();
  if (out.name.empty() && name) out.name = text_of(*name);
  if (out.name.empty()) return false;
  out.at = {file, object.line, object.column};
  for (const auto& [key, value] : object.members) out.properties.push_back(property_of(key, value, file));
  return true;
}

}  // namespace

const IpsecProperty* IpsecRule::find(std::string_view name) const {
  for (const auto& p : properties)
    if (text::iequals(p.name, name)) return &p;
  return nullptr;
}

std::string read_ipsec_json(std::string_view text, const std::string& file, std::vector<IpsecRule>& out) {
  JsonValue doc;
  std::vector<const JsonValue*> objects;
  if (std::string err = read_export_objects(text, file, "an IPsec rule export", kCollect, doc, objects); !err.empty()) return err;
  std::vector<IpsecRule> found;
  for (const JsonValue* o : objects) {
    IpsecRule r;
    if (rule_of(*o, file, r)) found.push_back(std::move(r));
  }
  if (found.empty())
    return json_position(file, doc) + "no IPsec rule in this file (no object has InboundSecurity or OutboundSecurity and a DisplayName or Name): " +
           kCollect;
  for (auto& r : found) out.push_back(std::move(r));
  return {};
}

bool looks_like_ipsec_json(std::string_view text) {
  const std::string head = json_export_head(text);
  if (head.empty()) return false;
  return (head.find("\"InboundSecurity\"") != std::string::npos || head.find("\"OutboundSecurity\"") != std::string::npos) &&
         head.find("\"DisplayName\"") != std::string::npos;
}

}  // namespace pp::sources
