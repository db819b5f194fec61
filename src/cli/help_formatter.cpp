#include "cli/help_formatter.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <sstream>

namespace pblur::cli {
namespace {

constexpr std::size_t kDescriptionColumn = 30;

class WrappingFormatter : public CLI::Formatter {
 public:
  WrappingFormatter() { column_width(kDescriptionColumn); }

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override {
    return wrap_help(CLI::Formatter::make_help(app, std::move(name), mode), help_width(),
                     kDescriptionColumn);
  }

  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_parent() != nullptr) return CLI::Formatter::make_usage(app, std::move(name));
    return "Usage: pblur [OPTIONS] INPUT OUTPUT\n"
           "       pblur [OPTIONS] INPUT... OUTPUT_DIR/\n"
           "       pblur COMMAND [OPTIONS] ...   (COMMAND: batch, bench, help)\n";
  }
};

std::size_t leading_spaces(const std::string& line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? 0 : first;
}

// The column a broken line goes on at: an option line's description, or its own indent.
std::size_t continuation(const std::string& line, std::size_t description_column) {
  const std::size_t indent = leading_spaces(line);
  const bool option_line = indent == 2 && line.size() > description_column &&
                           line[description_column - 1] == ' ' && line[description_column] != ' ';
  return option_line ? description_column : indent;
}

void wrap_line(const std::string& line, std::size_t width, std::size_t description_column,
               std::ostringstream& out) {
  const std::size_t indent = continuation(line, description_column);
  std::string rest = line;
  while (rest.size() > width) {
    std::size_t cut = rest.rfind(' ', width);
    if (cut == std::string::npos || cut <= indent) cut = rest.find(' ', width);
    if (cut == std::string::npos) break;
    const std::size_t next = rest.find_first_not_of(' ', cut);
    if (next == std::string::npos) break;
    out << rest.substr(0, rest.find_last_not_of(' ', cut) + 1) << "\n";
    rest = std::string(indent, ' ') + rest.substr(next);
  }
  out << rest << "\n";
}

}  // namespace

std::size_t help_width() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 40)
    return size.ws_col;
  return 80;
}

std::string wrap_help(const std::string& text, std::size_t width, std::size_t description_column) {
  std::ostringstream out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) wrap_line(line, width, description_column, out);
  std::string wrapped = out.str();
  if (!text.empty() && text.back() != '\n') wrapped.pop_back();
  return wrapped;
}

void use_wrapping_help(CLI::App& app) {
  app.formatter(std::make_shared<WrappingFormatter>());
}

}  // namespace pblur::cli
