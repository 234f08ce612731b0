#include "sources/exchange_json.h"

#include "core/text.h"
#include "sources/json_reader.h"
#include "sources/powershell_json.h"

namespace pp::sources {

namespace {

using Kind = JsonValue::Kind;

constexpr const char* kCollect =
    "expected the output of Get-OwaVirtualDirectory, Get-EcpVirtualDirectory, ..., Get-OutlookAnywhere "
    "piped through ConvertTo-Json";

/// A scalar as text; an object by its AbsoluteUri (System.Uri), OriginalString or Name
/// (ADObjectId); "" for anything else.
std::string text_of(const JsonValue& v) {
  switch (v.kind) {
    case Kind::String:
    case Kind::Number: return v.text;
    case Kind::Bool: return v.boolean ? "true" : "false";
    case Kind::Object:
      for (const char* key : {"AbsoluteUri", "OriginalString", "Name"})
        if (const JsonValue* s = v.get(key); s && s->is(Kind::String)) return s->text;
      return {};
    default: return {};
  }
}

ExchangeSetting setting_of(const std::string& name, const JsonValue& v, const std::string& file) {
  ExchangeSetting s;
  s.name = name;
  s.at = {file, v.line, v.column};
  if (const JsonValue* list = unwrapped_array(v)) {
    s.shape = ExchangeSetting::Shape::List;
    for (const auto& item : list->items) s.list.push_back(text_of(item));
    return s;
  }
  switch (v.kind) {
    case Kind::Null: s.shape = ExchangeSetting::Shape::Null; break;
    case Kind::Object:
      s.value = text_of(v);
      s.shape = s.value.empty() ? ExchangeSetting::Shape::Object : ExchangeSetting::Shape::Scalar;
      break;
    default:
      s.shape = ExchangeSetting::Shape::Scalar;
      s.value = text_of(v);
  }
  return s;
}

/// "EX1\owa (Default Web Site)" -> name "owa", site "Default Web Site".
void split_name(std::string text, std::string& vdir, std::string& site) {
  if (const size_t slash = text.rfind('\\'); slash != std::string::npos) text = text.substr(slash + 1);
  const size_t open = text.find(" (");
  if (open != std::string::npos && text.back() == ')') {
    site = text.substr(open + 2, text.size() - open - 3);
    text = text.substr(0, open);
  }
  vdir = text;
}

/// "IIS://EX1.contoso.com/W3SVC/1/ROOT/owa" -> "owa".
std::string metabase_vdir(const std::string& path) {
  const std::string lower = text::to_lower(path);
  const size_t root = lower.find("/root/");
  if (root == std::string::npos) return {};
  std::string rest = path.substr(root + 6);
  if (const size_t slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  return rest;
}

const ExchangeVdirType* type_named(std::string_view name) {
  for (const auto& t : exchange_vdir_types())
    if (text::iequals(t.name, name)) return &t;
  return nullptr;
}

/// The record of one exported object, or false when it names no Exchange virtual directory.
bool vdir_of(const JsonValue& object, const std::string& file, ExchangeVdir& out) {
  if (!object.is(Kind::Object)) return false;
  std::string vdir, site;
  const JsonValue* name = object.get("Name");
  const JsonValue* identity = object.get("Identity");
  if (name) split_name(text_of(*name), vdir, site);
  if (vdir.empty() && identity) split_name(text_of(*identity), vdir, site);
  const JsonValue* metabase = object.get("MetabasePath");
  const std::string from_metabase = metabase ? metabase_vdir(text_of(*metabase)) : std::string();
  const ExchangeVdirType* type = type_named(from_metabase);
  if (!type) type = type_named(vdir);
  if (!type) return false;
  out.type = type;
  out.name = name ? text_of(*name) : identity ? text_of(*identity) : std::string(type->name);
  out.site = site;
  if (const JsonValue* server = object.get("Server")) out.server = text_of(*server);
  if (out.server.empty() && identity) {
    const std::string id = text_of(*identity);
    if (const size_t slash = id.find('\\'); slash != std::string::npos) out.server = id.substr(0, slash);
  }
  out.at = {file, object.line, object.column};
  for (const auto& [key, value] : object.members) out.settings.push_back(setting_of(key, value, file));
  return true;
}

}  // namespace

const std::vector<ExchangeVdirType>& exchange_vdir_types() {
  using K = ExchangeVdirKind;
  static const std::vector<ExchangeVdirType> table = {
      {K::Owa, "owa", "/owa", "Set-OwaVirtualDirectory"},
      {K::Ecp, "ecp", "/ecp", "Set-EcpVirtualDirectory"},
      {K::ActiveSync, "Microsoft-Server-ActiveSync", "/Microsoft-Server-ActiveSync", "Set-ActiveSyncVirtualDirectory"},
      {K::WebServices, "EWS", "/EWS", "Set-WebServicesVirtualDirectory"},
      {K::Autodiscover, "Autodiscover", "/Autodiscover", "Set-AutodiscoverVirtualDirectory"},
      {K::Oab, "OAB", "/OAB", "Set-OabVirtualDirectory"},
      {K::Mapi, "mapi", "/mapi", "Set-MapiVirtualDirectory"},
      {K::OutlookAnywhere, "Rpc", "/rpc", "Set-OutlookAnywhere"},
      {K::PowerShell, "PowerShell", "/PowerShell", "Set-PowerShellVirtualDirectory"},
  };
  return table;
}

const ExchangeSetting* ExchangeVdir::find(std::string_view name) const {
  for (const auto& s : settings)
    if (text::iequals(s.name, name)) return &s;
  return nullptr;
}

std::string read_exchange_json(std::string_view text, const std::string& file, std::vector<ExchangeVdir>& out) {
  JsonValue doc;
  std::vector<const JsonValue*> objects;
  if (std::string err = read_export_objects(text, file, "an Exchange settings export", kCollect, doc, objects); !err.empty()) return err;
  std::vector<ExchangeVdir> found;
  for (const JsonValue* o : objects) {
    ExchangeVdir v;
    if (vdir_of(*o, file, v)) found.push_back(std::move(v));
  }
  if (found.empty())
    return json_position(file, doc) + "no Exchange virtual directory in this file (no object's MetabasePath, Name or Identity names one): " +
           kCollect;
  for (auto& v : found) out.push_back(std::move(v));
  return {};
}

bool looks_like_exchange_json(std::string_view text) {
  const std::string head = json_export_head(text);
  if (head.empty()) return false;
  return head.find("\"MetabasePath\"") != std::string::npos || head.find("(Default Web Site)") != std::string::npos;
}

}  // namespace pp::sources
