/// libFuzzer target: the nmap -oX importer (pugixml underneath, then our host/port mapping).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "inventory/nmap_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<pp::Target> out;
  pp::Diagnostics diags;
  bool ok = pp::inventory::parse_nmap_xml(text, "fuzz-nmap.xml", out, diags);
  if (ok != diags.empty()) __builtin_trap();
  for (const auto& d : diags) (void)d.format();
  return 0;
}
