#pragma once
#include <string>
#include <string_view>

#include "sources/iis_layers.h"

namespace pp::sources {

/// Reads applicationHost.config text (`file` names it in positions): sites with their
/// bindings and virtual directories, the server's <system.webServer>, every <location>, and
/// the delegation defaults of <configSections>. Never expands entities beyond XML's own
/// five and character references, never reads a DTD or another file. Returns "" or the one
/// positioned error "file:line:column: reason"; on error `out` is left as it was.
std::string read_application_host(std::string_view text, const std::string& file, IisConfig& out);

/// Reads a web.config that applies at the IIS configuration path `at_path` ("Default Web
/// Site/owa"; "" for a web.config judged on its own). Its sections are delegated: a section
/// locked above it does not apply. Same error contract.
std::string read_web_config(std::string_view text, const std::string& file, const std::string& at_path,
                            IisConfig& out);

/// "iis" when the text holds <system.applicationHost>, "iis-web" for another <configuration>
/// document, "" when it is neither (judged from the first 64 KiB, without parsing).
std::string guess_iis_kind(std::string_view text);

}  // namespace pp::sources
