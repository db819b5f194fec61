#include "cli/command_line.h"

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "core/base/errors.h"
#include "core/filters/filter_syntax.h"

namespace pblur::cli {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& word) {
  return std::find(names.begin(), names.end(), word) != names.end();
}

std::string closest(const std::string& given, const std::vector<std::string>& names) {
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  return closest_name(given, candidates);
}

std::string suggestion(const std::string& closest_word) {
  return closest_word.empty() ? "" : " (did you mean '" + closest_word + "'?)";
}

// "--name" for every option of `app` that has a long name.
std::vector<std::string> long_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

// The command that read the words: the subcommand given, or `app`.
const CLI::App& reading_command(const CLI::App& app) {
  const auto given = app.get_subcommands();
  return given.empty() ? app : *given.front();
}

std::string help_command(const CLI::App& app) {
  const CLI::App& command = reading_command(app);
  return &command == &app ? "pblur --help" : "pblur " + command.get_name() + " --help";
}

// "--sigm" of "--sigm=3" when the command has no such option; empty if every option is known.
std::string unknown_option(const CLI::App& command, const std::vector<std::string>& extras) {
  const std::vector<std::string> names = long_names(command);
  for (const std::string& extra : extras) {
    if (!extra.starts_with("--")) continue;
    const std::string name = extra.substr(0, extra.find('='));
    if (!contains(names, name)) return name;
  }
  return "";
}

}  // namespace

std::vector<std::string> command_words(int argc, const char* const* argv,
                                       const std::vector<std::string>& commands) {
  std::vector<std::string> words(argv + std::min(argc, 1), argv + argc);
  if (words.empty() || words.front() != "help" || words.size() > 2) return words;
  if (words.size() == 1) return {"--help"};
  if (!contains(commands, words[1])) {
    throw UsageError("help: unknown command '" + words[1] + "'" +
                     suggestion(closest(words[1], commands)) + "; the commands are batch, bench");
  }
  return {words[1], "--help"};
}

void check_command_name(const std::vector<std::string>& words,
                        const std::vector<std::string>& commands) {
  if (words.empty() || words.front().starts_with("-") || contains(commands, words.front())) return;
  const std::string& word = words.front();
  std::error_code error;
  if (std::filesystem::symlink_status(word, error).type() != std::filesystem::file_type::not_found)
    return;
  const std::string command = closest(word, commands);
  if (command.empty() || word.find_first_of("./") != std::string::npos) return;
  throw UsageError("unknown command '" + word + "' (did you mean '" + command +
                   "'?); as an input file, it does not exist");
}

void refuse_words_before_command(const CLI::App& app) {
  const auto given = app.get_subcommands();
  if (given.empty()) return;
  for (const CLI::Option* option : app.get_options()) {
    if (option->count() == 0) continue;
    const std::string name = option->get_name();
    throw UsageError(name + " is given before '" + given.front()->get_name() +
                     "': options go after the command they are for (pblur " +
                     given.front()->get_name() + " ... " + name + ")");
  }
}

std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& error) {
  std::string message = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    const CLI::App& command = reading_command(app);
    const std::string unknown = unknown_option(command, command.remaining());
    if (!unknown.empty()) {
      message = "unknown option " + unknown + suggestion(closest(unknown, long_names(command)));
    }
  }
  return message + " (see " + help_command(app) + ")";
}

}  // namespace pblur::cli
