#include <algorithm>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/base/errors.h"

#include "cli/batch_command.h"
#include "cli/bench_command.h"
#include "cli/cli_support.h"
#include "cli/command_line.h"
#include "cli/filter_command.h"
#include "cli/help_formatter.h"

namespace {

int report_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
    return app.exit(error);  // --help, --version
  }
  pblur::cli::print_error(pblur::cli::explain_parse_error(app, error));
  return pblur::cli::kUsageError;
}

// The words to parse, in the reversed order CLI11 takes them; throws UsageError.
std::vector<std::string> parse_order(int argc, char** argv) {
  const std::vector<std::string> commands = {"batch", "bench"};
  std::vector<std::string> words = pblur::cli::command_words(argc, argv, commands);
  pblur::cli::check_command_name(words, commands);
  std::reverse(words.begin(), words.end());
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  pblur::cli::messages();  // takes its copy of stderr before any image is decoded
  CLI::App app{
      "pblur: blur, denoise and filter images in parallel, with forked worker processes "
      "over a shared-memory queue or with oneTBB threads; the output is the same bytes "
      "for every backend, worker count and strip split.",
      "pblur"};
  pblur::cli::use_wrapping_help(app);
  app.set_version_flag("--version", pblur::cli::version_text());
  app.footer(
      "Examples:\n"
      "  pblur in.jpg out.png --sigma 3\n"
      "  pblur in.jpg -o out.jpg --filter median:ksize=5 --quality 90 -j 4\n"
      "  pblur batch photos/ small/ --filter pil-blur:radius=2\n"
      "  pblur help batch\n"
      "\n"
      "Options go after the command they are for (pblur batch ... --sigma 3).\n"
      "Exit codes: 0 done, 1 filtering failed, 2 bad options, 3 unreadable input, "
      "4 unwritable output, 130/143 interrupted by SIGINT/SIGTERM.");
  pblur::cli::FilterCommandOptions filter_options;
  pblur::cli::setup_filter_command(app, filter_options);
  pblur::cli::BatchCommandOptions batch_options;
  const CLI::App* batch = pblur::cli::setup_batch_command(app, batch_options);
  pblur::cli::BenchCommandOptions bench_options;
  const CLI::App* bench = pblur::cli::setup_bench_command(app, bench_options);
  pblur::cli::require_files_without_subcommand(app);
  for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
    command->set_version_flag("--version", pblur::cli::version_text());
  try {
    std::vector<std::string> words = parse_order(argc, argv);
    app.parse(words);
    pblur::cli::refuse_words_before_command(app);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(app, error);
  } catch (const pblur::UsageError& error) {
    return pblur::cli::report_failure(error);
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
