#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/bench_command.h"
#include "cli/cli_support.h"
#include "cli/filter_command.h"

namespace {

int report_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help, --version
  }
  const char* help = app.got_subcommand("bench") ? "pblur bench --help" : "pblur --help";
  pblur::cli::print_error(std::string(error.what()) + " (see " + help + ")");
  return pblur::cli::kUsageError;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pblur: blur, denoise and filter images in parallel, with forked worker processes "
               "over a shared-memory queue or with oneTBB threads; the output is the same bytes "
               "for every backend, worker count and strip split."};
  app.set_version_flag("--version", pblur::cli::version_text());
  app.footer(
      "Exit codes: 0 done, 1 filtering failed, 2 bad options, 3 unreadable input, "
      "4 unwritable output, 130/143 interrupted by SIGINT/SIGTERM.");
  pblur::cli::FilterCommandOptions filter_options;
  pblur::cli::setup_filter_command(app, filter_options);
  pblur::cli::BenchCommandOptions bench_options;
  const CLI::App* bench = pblur::cli::setup_bench_command(app, bench_options);
  // CLI11 reads a subcommand's name as a positional while a required one is unfilled, so
  // INPUT and OUTPUT are checked here, once it is known that no subcommand was given.
  CLI::Option* const files[] = {app.get_option("INPUT"), app.get_option("OUTPUT")};
  for (CLI::Option* file : files) file->required(false);
  try {
    app.parse(argc, argv);
    for (const CLI::Option* file : files) {
      if (!bench->parsed() && file->count() == 0) throw CLI::RequiredError(file->get_name());
    }
  } catch (const CLI::ParseError& error) {
    return report_parse_error(app, error);
  }
  pblur::cli::exit_on_interrupt_signals();
  try {
    if (bench->parsed()) return pblur::cli::run_bench_command(bench_options);
    return pblur::cli::run_filter_command(filter_options);
  } catch (const std::exception& error) {
    return pblur::cli::report_failure(error);
  }
}
