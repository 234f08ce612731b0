#include "cli/command_line.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "reports/writer.h"

namespace pp::cli {

namespace {

/// Our help layout: "usage: policyprobe ..." first, then the description, the options by
/// group, the sub-commands and the footer. The usage text lives in the app's own formatter.
class Layout : public CLI::Formatter {
 public:
  Layout(std::string usage, std::string path) : usage_(std::move(usage)), path_(std::move(path)) {
    column_width(25);
    label("REQUIRED", "");
  }

  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode mode) const override {
    std::stringstream out;
    std::istringstream lines(usage_);
    std::string line;
    for (bool first = true; std::getline(lines, line); first = false)
      out << (first ? "usage: policyprobe " : "       policyprobe ") << line << "\n";
    out << "\n";
    if (!app->get_description().empty()) out << app->get_description() << "\n\n";
    out << make_positionals(app) << make_groups(app, mode) << make_subcommands(app, mode);
    if (!app->get_footer().empty()) out << "\n" << app->get_footer() << "\n";
    std::string text = out.str();
    for (auto at = text.find("\n\n\n"); at != std::string::npos; at = text.find("\n\n\n")) text.erase(at, 1);
    return text;
  }

  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_name(), sub->get_description(), column_width_);
    return out.str();
  }

  std::string make_group(std::string group, bool is_positional, std::vector<const CLI::Option*> opts) const override {
    std::string out = CLI::Formatter::make_group(group, is_positional, std::move(opts));
    if (auto note = notes_.find(group); note != notes_.end())
      out.insert(group.size() + 3, "  " + note->second + "\n");  // after "\n<group>:\n"
    return out;
  }

  const std::string& path() const { return path_; }
  void note(const std::string& group, const std::string& text) { notes_[group] = text; }

 private:
  std::map<std::string, std::string> notes_;  ///< group -> a line printed under its heading
  std::string usage_;
  std::string path_;  ///< "scan", "rules lint": for the hint after an error
};

std::string command_path(const CLI::App& app) {
  auto layout = std::dynamic_pointer_cast<Layout>(app.get_formatter());
  return layout ? layout->path() : app.get_name();
}

std::string hint(const CLI::App& app) { return " (see 'policyprobe " + command_path(app) + " --help')"; }

void apply_layout(CLI::App& app, const std::string& path, const std::string& usage) {
  app.formatter(std::make_shared<Layout>(usage, path));
  app.set_help_flag("-h,--help", "print this help and exit");
  app.allow_extras();  // unknown options are reported in our words after the parse
  app.positionals_at_end(false);
}

/// The innermost sub-command that was given, or `app` itself.
CLI::App& innermost(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands())
    if (sub->parsed()) return innermost(*sub);
  return app;
}

/// CLI11's exception, in our words.
std::string reword(const CLI::ParseError& e, CLI::App& app) {
  std::string what = e.what();
  const std::string flag_override = " was given a disallowed flag override";
  if (auto at = what.find(flag_override); at != std::string::npos) {
    const std::string name = what.substr(0, at);
    return std::string("option ") + (name[0] == '-' ? "" : name.size() == 1 ? "-" : "--") + name + " takes no value" + hint(app);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && what.find(" required ") != std::string::npos) {
    const std::string name = what.substr(0, what.find(':'));
    const CLI::Option* opt = app.get_option_no_throw(name);
    const std::string type = opt ? opt->get_option_text().substr(opt->get_option_text().find_first_not_of(' ')) : "value";
    return "option " + name + " needs " + (type == "SECONDS" || type == "K/N" ? "" : "a ") + type + hint(app);
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e)) return what;
  return what + hint(app);
}

}  // namespace

std::unique_ptr<CLI::App> make_command(const std::string& name, const std::string& usage,
                                       const std::string& description, const std::string& footer) {
  auto app = std::make_unique<CLI::App>(description, name);
  apply_layout(*app, name, usage);
  if (!footer.empty()) app->footer(footer);
  return app;
}

void note_group(CLI::App& app, const std::string& group, const std::string& note) {
  if (auto layout = std::dynamic_pointer_cast<Layout>(app.get_formatter())) layout->note(group, note);
}

CLI::App* add_subcommand(CLI::App& parent, const std::string& name, const std::string& usage,
                         const std::string& description) {
  CLI::App* sub = parent.add_subcommand(name, description);
  apply_layout(*sub, command_path(parent) + " " + name, usage);
  return sub;
}

CLI::Option* add_flag(CLI::App& app, const std::string& names, bool& out, const std::string& description) {
  return app.add_flag(names, out, description)->disable_flag_override();
}

void add_report_options(CLI::App& app, std::vector<ReportSpec>& out, const std::string& group) {
  std::vector<std::pair<CLI::Option*, std::string>> options;
  for (const auto& w : reports::report_writers()) {
    const std::string name(w.name);
    const std::string description(w.description);
    CLI::Option* opt = app.add_option("--" + name, description)
                           ->option_text("FILE")
                           ->group(group)
                           ->expected(1)
                           ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                           ->check(CLI::Validator(
                               [](std::string& v) { return v.empty() ? std::string("needs a FILE, got ''") : std::string(); },
                               "FILE"));
    options.emplace_back(opt, name);
  }
  // Command-line order, whatever the order of the table: parse_order() lists each occurrence.
  app.final_callback([&app, &out, options] {
    std::map<const CLI::Option*, size_t> used;
    for (const CLI::Option* opt : app.parse_order()) {
      for (const auto& [report_opt, format] : options) {
        if (report_opt != opt) continue;
        const auto& values = opt->results();
        size_t& i = used[opt];
        if (i < values.size()) out.push_back({format, values[i++]});
      }
    }
  });
}

ParseOutcome parse_command(CLI::App& app, const Args& args) {
  ParseOutcome outcome;
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    outcome.help = true;
  } catch (const CLI::CallForAllHelp&) {
    outcome.help = true;
  } catch (const CLI::ParseError& e) {
    outcome.error = reword(e, innermost(app));
  }
  CLI::App& cmd = innermost(app);
  outcome.command = &cmd;
  if (!outcome.help && outcome.error.empty()) {
    for (const auto& extra : cmd.remaining()) {
      if (extra.size() > 1 && extra[0] == '-')
        outcome.error = "unknown option '" + extra.substr(0, extra.find('=')) + "'" + hint(cmd);
      else
        outcome.error = "unexpected argument '" + extra + "'" + hint(cmd);
      break;
    }
  }
  return outcome;
}

int finish_parse(const ParseOutcome& outcome) {
  if (outcome.help) {
    std::fputs(help_text(*outcome.command).c_str(), stdout);
    return kExitClean;
  }
  if (!outcome.error.empty()) return usage_error(outcome.error);
  return -1;
}

std::string help_text(const CLI::App& app) { return app.help(); }

CLI::Validator int_range(int lo, int hi) {
  return CLI::Validator(
      [lo, hi](std::string& v) {
        bool digits = !v.empty() && v.size() <= 9 && v.find_first_not_of("0123456789") == std::string::npos;
        long n = digits ? std::stol(v) : -1;
        if (digits && n >= lo && n <= hi) return std::string();
        return "expected " + std::to_string(lo) + "-" + std::to_string(hi) + ", got '" + v + "'";
      },
      "N");
}

}  // namespace pp::cli
