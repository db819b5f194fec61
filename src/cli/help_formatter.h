#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace pblur::cli {

// The columns help is wrapped to: the terminal's width on a terminal, else 80.
std::size_t help_width();

// `text` with every line longer than `width` broken at spaces; a broken option line goes on
// under its description, any other line under its own indent.
std::string wrap_help(const std::string& text, std::size_t width, std::size_t description_column);

// Help for `app` and its subcommands (made after this call) wrapped to help_width(), with the
// usage line `pblur [OPTIONS] INPUT... OUTPUT` or `pblur COMMAND [OPTIONS] ...`.
void use_wrapping_help(CLI::App& app);

}  // namespace pblur::cli
