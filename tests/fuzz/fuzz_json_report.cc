// libFuzzer target (POLICYPROBE_FUZZ=ON, clang): baseline and merge inputs are files a user
// hands us, and every string in them ends up in the writers. Checks that the reader never
// crashes, that whatever it accepts round-trips exactly, that every writer renders it, and the
// escaping invariants of core/text.h on arbitrary bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/text.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/junit.h"
#include "reports/sarif.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pp::reports;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string x = pp::text::xml_safe(input);
  if (pp::text::valid_utf8(x) != x) std::abort();
  for (unsigned char c : x)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') std::abort();
  for (unsigned char c : pp::text::terminal_safe(input))
    if (c < 0x20 || c == 0x7F) std::abort();
  if (pp::text::html_escape(input).find('<') != std::string::npos) std::abort();

  pp::ScanReport report;
  if (!parse_json_report(input, report).empty()) return 0;
  const std::string once = render_json(report);
  pp::ScanReport back;
  if (!parse_json_report(once, back).empty() || render_json(back) != once) std::abort();
  if (json_for_html(once).find('<') != std::string::npos) std::abort();
  (void)render_junit(report);
  (void)render_sarif(report);
  (void)render_html(report);
  return 0;
}
