/// libFuzzer target: the strict JSON reader and the Exchange settings export on top of it,
/// then the facts of every virtual directory the input names, and the content guess.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sources/exchange_facts.h"
#include "sources/exchange_json.h"
#include "sources/json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  pp::sources::JsonValue value;
  std::string err = pp::sources::read_json(text, "fuzz.json", value);
  if (!err.empty() && err.rfind("fuzz.json:", 0) != 0) __builtin_trap();  // every error is positioned
  std::vector<pp::sources::ExchangeVdir> vdirs;
  err = pp::sources::read_exchange_json(text, "fuzz.json", vdirs);
  if (!err.empty() && (err.rfind("fuzz.json:", 0) != 0 || !vdirs.empty())) __builtin_trap();
  for (const auto& v : vdirs) (void)pp::sources::exchange_facts(v);
  (void)pp::sources::looks_like_exchange_json(text);
  return 0;
}
