/// libFuzzer target: the inventory TOML loader. It must accept or reject with positioned
/// diagnostics; "accepted" must mean no diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "inventory/inventory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<pp::Target> out;
  pp::Diagnostics diags;
  bool ok = pp::inventory::parse_inventory(text, "fuzz-inventory.toml", out, diags);
  if (ok != diags.empty()) __builtin_trap();
  for (const auto& d : diags) (void)d.format();
  return 0;
}
