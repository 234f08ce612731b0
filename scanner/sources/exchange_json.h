#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "sources/iis_layers.h"

namespace pp::sources {

/// Which Exchange virtual directory an exported object describes: by the cmdlets that show
/// and change it.
enum class ExchangeVdirKind { Owa, Ecp, ActiveSync, WebServices, Autodiscover, Oab, Mapi, OutlookAnywhere, PowerShell };

/// The vdir name IIS knows ("owa"), the path clients reach ("/owa"), and the cmdlet that
/// changes its settings ("Set-OwaVirtualDirectory").
struct ExchangeVdirType {
  ExchangeVdirKind kind;
  std::string_view name;
  std::string_view path;
  std::string_view set_cmdlet;
};
const std::vector<ExchangeVdirType>& exchange_vdir_types();

/// One property of an exported object as ConvertTo-Json wrote it. A scalar keeps its text
/// ("true", "2", "Require"); a URI object (System.Uri) becomes its AbsoluteUri; an array of
/// scalars is a list (also when PowerShell wrapped it as {"value": [...], "Count": n}).
struct ExchangeSetting {
  enum class Shape { Null, Scalar, List, Object };
  std::string name;  ///< as written: "BasicAuthentication"
  Shape shape = Shape::Null;
  std::string value;
  std::vector<std::string> list;
  Position at;  ///< the value's line and column
};

/// One virtual directory of the export: one object of Get-OwaVirtualDirectory,
/// Get-EcpVirtualDirectory, ..., Get-OutlookAnywhere output.
struct ExchangeVdir {
  const ExchangeVdirType* type = nullptr;
  std::string name;    ///< "owa (Default Web Site)"
  std::string server;  ///< "EX1"; empty when the export does not name it
  std::string site;    ///< "Default Web Site"; empty when the name does not say
  Position at;         ///< the object's opening brace
  std::vector<ExchangeSetting> settings;

  /// The property named `name` (case-insensitively), null when the export lacks it.
  const ExchangeSetting* find(std::string_view name) const;
};

/// Reads an export (`file` names it in positions): a JSON object or an array of objects, in
/// UTF-8 or UTF-16 with its byte order mark. Each object whose MetabasePath, Name or Identity
/// names an Exchange virtual directory becomes one record; other objects are left out.
/// Returns "" or the one positioned error "file:line:column: reason" (malformed JSON, or no
/// Exchange virtual directory at all); on error `out` is left as it was.
std::string read_exchange_json(std::string_view text, const std::string& file, std::vector<ExchangeVdir>& out);

/// True when the text looks like such an export: JSON (an object or array first) whose first
/// 64 KiB carry "MetabasePath" or a "... (Default Web Site)" identity. Judged without parsing.
bool looks_like_exchange_json(std::string_view text);

}  // namespace pp::sources
