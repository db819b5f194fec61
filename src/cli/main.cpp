#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/batch_command.h"
#include "cli/bench_command.h"
#include "cli/cli_support.h"
#include "cli/filter_command.h"

namespace {

std::string help_command(const CLI::App& app) {
  const auto given = app.get_subcommands();
  return given.empty() ? "pblur --help" : "pblur " + given.front()->get_name() + " --help";
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help, --version
  }
  pblur::cli::print_error(std::string(error.what()) + " (see " + help_command(app) + ")");
  return pblur::cli::kUsageError;
}

}  // namespace

int main(int argc, char** argv) {
  pblur::cli::messages();  // takes its copy of stderr before any image is decoded
  CLI::App app{
      "pblur: blur, denoise and filter images in parallel, with forked worker processes "
      "over a shared-memory queue or with oneTBB threads; the output is the same bytes "
      "for every backend, worker count and strip split."};
  app.set_version_flag("--version", pblur::cli::version_text());
  app.footer(
      "Exit codes: 0 done, 1 filtering failed, 2 bad options, 3 unreadable input, "
      "4 unwritable output, 130/143 interrupted by SIGINT/SIGTERM.");
  pblur::cli::FilterCommandOptions filter_options;
  pblur::cli::setup_filter_command(app, filter_options);
  pblur::cli::BatchCommandOptions batch_options;
  const CLI::App* batch = pblur::cli::setup_batch_command(app, batch_options);
  pblur::cli::BenchCommandOptions bench_options;
  const CLI::App* bench = pblur::cli::setup_bench_command(app, bench_options);
  pblur::cli::require_files_without_subcommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(app, error);
  }
  if (!batch->parsed()) pblur::cli::exit_on_interrupt_signals();
  try {
    if (batch->parsed()) return pblur::cli::run_batch_command(batch_options);
    if (bench->parsed()) return pblur::cli::run_bench_command(bench_options);
    return pblur::cli::run_filter_command(filter_options);
  } catch (const std::exception& error) {
    return pblur::cli::report_failure(error);
  }
}
