/// libFuzzer target: the IIS configuration reader (pugixml underneath), then inheritance and
/// facts at every virtual directory the input declares, as applicationHost.config and as a
/// web.config layered under it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sources/iis_effective.h"
#include "sources/iis_facts.h"
#include "sources/iis_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  pp::sources::IisConfig config;
  std::string err = pp::sources::read_application_host(text, "fuzz.config", config);
  if (!err.empty() && err.rfind("fuzz.config:", 0) != 0) __builtin_trap();  // every error is positioned
  (void)pp::sources::read_web_config(text, "web.config", "Default Web Site/owa", config);
  (void)pp::sources::guess_iis_kind(text);
  for (const auto& site : config.sites)
    for (const auto& vd : site.vdirs)
      (void)pp::sources::iis_facts(pp::sources::resolve(config, vd.config_path), site.bindings);
  (void)pp::sources::iis_facts(pp::sources::resolve(config, "Default Web Site/owa"), {});
  return 0;
}
