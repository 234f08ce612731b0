/// libFuzzer target: the rule / profile loader (toml++ then our checks against the fact
/// catalogue) and the waiver loader, on the same text. Whatever the text, the loader must
/// return diagnostics, never crash, and every diagnostic must carry the file name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/catalogue.h"
#include "policy/rule_file.h"
#include "policy/waiver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pp::policy::SourceFile src{"fuzz.toml", std::string(reinterpret_cast<const char*>(data), size)};
  pp::Diagnostics diags;
  auto rf = pp::policy::load_rule_file(pp::engine::fact_catalogue(), src, diags);
  (void)rf;
  for (const auto& d : diags) {
    if (d.file != "fuzz.toml") __builtin_trap();
    (void)d.format();
  }
  std::vector<pp::policy::Waiver> waivers;
  auto wd = pp::policy::load_waivers(src, waivers);
  for (const auto& d : wd) (void)d.format();
  return 0;
}
