#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pblur::cli {

// The words after the program's name, with `pblur help [COMMAND]` read as `pblur [COMMAND]
// --help`. Throws UsageError for help about a command that does not exist.
std::vector<std::string> command_words(int argc, const char* const* argv,
                                       const std::vector<std::string>& commands);

// Throws UsageError when the first word is not a command, nor an existing file, but is spelled
// like one of `commands` ("bacth"): it would otherwise be read as an input file.
void check_command_name(const std::vector<std::string>& words,
                        const std::vector<std::string>& commands);

// The one rule for where options go: after the command they are for. Throws UsageError naming
// the first option or file given before a command's name (`pblur --sigma 8 batch ...`).
void refuse_words_before_command(const CLI::App& app);

// `error`'s message for the user, with the closest valid option for an unknown one.
std::string explain_parse_error(const CLI::App& app, const CLI::ParseError& error);

}  // namespace pblur::cli
