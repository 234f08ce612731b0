/// libFuzzer target: the SCHANNEL registry export reader (UTF-16LE / UTF-8 decoding, sections,
/// values, hex continuations, deletions), the view of the registry it leaves, and the facts
/// under every Windows release and none.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sources/schannel_facts.h"
#include "sources/schannel_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)pp::sources::looks_like_schannel_export(bytes);
  pp::sources::RegExport reg;
  const std::string err = pp::sources::read_reg_export(bytes, "fuzz.reg", reg);
  if (!err.empty() && err.rfind("fuzz.reg:", 0) != 0) __builtin_trap();  // every error is positioned
  if (!err.empty()) return 0;
  const pp::sources::RegView view(reg);
  for (auto w : {pp::WindowsServer::Unknown, pp::WindowsServer::S2012R2, pp::WindowsServer::S2016,
                 pp::WindowsServer::S2022, pp::WindowsServer::S2025})
    (void)pp::sources::schannel_facts(view, w);
  return 0;
}
