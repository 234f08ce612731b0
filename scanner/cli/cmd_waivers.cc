#include <cstdio>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/shipped.h"
#include "policy/waiver_list.h"
#include "reports/json.h"

namespace pp::cli {

namespace {

struct WaiversArgs {
  std::string verb;
  std::string waivers;
  std::string report;
  int expiring = 30;
  int fail_on_expiring = -1;
};

std::unique_ptr<CLI::App> waivers_command(WaiversArgs& a) {
  auto app = make_command(
      "waivers", "waivers list --waivers FILE [--report JSON] [--expiring DAYS] [--fail-on-expiring DAYS]",
      "Lists every waiver of a waivers file with its state today (UTC): active, expiring within\n"
      "DAYS, expired, and, with a JSON report of a scan, matching nothing in that scan; then who\n"
      "approved it, the ticket, when it was granted and when it expires. Exit 0; with\n"
      "--fail-on-expiring DAYS, 1 when a waiver has expired or expires within DAYS; 2 on bad input.");
  app->add_option("verb", a.verb)->group("");
  app->add_option("--waivers", a.waivers, "the waivers file (schema 1 or 2)")->type_name("FILE")->required();
  app->add_option("--report", a.report, "a JSON report of a scan: waivers that match none of its results are marked")
      ->type_name("JSON");
  app->add_option("--expiring", a.expiring, "the window that marks a waiver expiring (default 30)")
      ->option_text("DAYS")
      ->check(int_range(0, 36500));
  app->add_option("--fail-on-expiring", a.fail_on_expiring,
                  "exit 1 when any waiver has expired or expires within DAYS (sets the window too)")
      ->option_text("DAYS")
      ->check(int_range(0, 36500));
  return app;
}

}  // namespace

int cmd_waivers(const Args& args) {
  WaiversArgs a;
  auto app = waivers_command(a);
  if (int code = finish_parse(parse_command(*app, args)); code >= 0) return code;
  if (a.verb != "list")
    return usage_error(a.verb.empty() ? "waivers needs a command: list (see 'policyprobe waivers --help')"
                                      : "unknown waivers command '" + a.verb + "' (expected list)");
  policy::SourceFile src;
  Diagnostics diags;
  std::vector<policy::Waiver> loaded;
  std::vector<std::string> warnings;
  if (policy::read_source(a.waivers, src, diags)) {
    Diagnostics d = policy::load_waivers(src, loaded, &warnings);
    diags.insert(diags.end(), d.begin(), d.end());
  }
  print_diagnostics(diags);
  if (!diags.empty()) return kExitUsage;
  for (const auto& w : warnings) std::fprintf(stderr, "policyprobe: warning: %s\n", w.c_str());
  std::vector<bool> unused;
  if (!a.report.empty()) {
    ScanReport report;
    if (auto err = reports::load_json_report(a.report, report); !err.empty()) return usage_error(err);
    unused = policy::unused_waivers(loaded, report.results);
  }
  const int window = a.fail_on_expiring >= 0 ? a.fail_on_expiring : a.expiring;
  const policy::WaiverListing listing =
      policy::list_waivers(loaded, policy::today_utc(), window, a.report.empty() ? nullptr : &unused);
  std::fputs(listing.text.c_str(), stdout);
  if (a.fail_on_expiring < 0 || listing.expired + listing.expiring == 0) return kExitClean;
  std::printf("gate: %zu waiver%s expired or expiring within %d days -> exit %d\n", listing.expired + listing.expiring,
              listing.expired + listing.expiring == 1 ? "" : "s", window, kExitFindings);
  return kExitFindings;
}

}  // namespace pp::cli
