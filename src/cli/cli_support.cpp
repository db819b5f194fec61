#include "cli/cli_support.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include <oneapi/tbb/version.h>
#include <opencv2/core/version.hpp>

#include "core/base/errors.h"
#include "core/ipc/shared_arena.h"
#include "core/os/temporary_files.h"

namespace pblur::cli {

std::string version_text() {
  return std::string("pblur ") + PBLUR_VERSION + " (OpenCV " + CV_VERSION + ", oneTBB " +
         TBB_VERSION_STRING + ")";
}

std::ostream& messages() {
  return std::cerr;
}

namespace {

// The length of the UTF-8 sequence at the start of `text` that is a printable character; 0 if
// it is a control character or not UTF-8.
std::size_t printable_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char first = byte(0);
  if (first >= 0x20 && first < 0x7f) return 1;
  const std::size_t length = first >= 0xc2 && first <= 0xdf   ? 2
                             : first >= 0xe0 && first <= 0xef ? 3
                             : first >= 0xf0 && first <= 0xf4 ? 4
                                                              : 0;
  if (length == 0 || text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
  }
  if (first == 0xc2 && byte(1) < 0xa0) return 0;  // C1 controls
  if ((first == 0xe0 && byte(1) < 0xa0) || (first == 0xf0 && byte(1) < 0x90)) return 0;
  if ((first == 0xed && byte(1) >= 0xa0) || (first == 0xf4 && byte(1) >= 0x90)) return 0;
  return length;
}

std::string escape(unsigned char byte) {
  switch (byte) {
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
  }
  char text[8];
  std::snprintf(text, sizeof text, "\\x%02x", byte);
  return text;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  while (!text.empty()) {
    const std::size_t length = printable_sequence(text);
    if (length == 0) {
      result += escape(static_cast<unsigned char>(text.front()));
      text.remove_prefix(1);
    } else {
      result.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return result;
}

namespace {

// How the core names a setting, and the option that sets it.
struct SettingWords {
  std::string_view core;
  std::string_view option;
};

constexpr SettingWords kSettingWords[] = {
    {"the pixel limit ", "--max-pixels "},
    {"converting to 8 bits", "--depth 8"},
    {"flattening the alpha", "--flatten"},
};

}  // namespace

std::string with_option_names(std::string message) {
  for (const auto& [core, option] : kSettingWords) {
    for (std::size_t at = message.find(core); at != std::string::npos;
         at = message.find(core, at + option.size()))
      message.replace(at, core.size(), option);
  }
  return message;
}

void print_error(std::string_view message) {
  messages() << "pblur: error: " << printable(with_option_names(std::string(message))) << std::endl;
}

namespace {

// What the user can do about `error` with pblur's options, to follow its message; "" if nothing.
std::string_view remedy(const std::exception& error) {
  const auto* shortage = dynamic_cast<const SharedMemoryShortage*>(&error);
  if (!shortage) return "";
  switch (shortage->cause()) {
    case SharedMemoryShortage::Cause::address_space_limit:
      return ": raise it, or use --threads";
    case SharedMemoryShortage::Cause::full_under_limit:
      return ": use --threads";
    case SharedMemoryShortage::Cause::full:
      return "";
  }
  return "";
}

}  // namespace

int report_failure(const std::exception& error) {
  print_error(std::string(error.what()) + std::string(remedy(error)));
  if (dynamic_cast<const InputError*>(&error)) return kBadInput;
  if (dynamic_cast<const OutputError*>(&error)) return kBadOutput;
  if (dynamic_cast<const UsageError*>(&error)) return kUsageError;
  return kProcessingFailed;
}

namespace {

extern "C" void exit_for_signal(int signal) {
  remove_temporaries_in_flight();
  _exit(kInterruptedBase + signal);
}

std::atomic<bool> stop_flag{false};
std::atomic<int> stop_signal{0};

extern "C" void request_stop(int signal) {
  if (stop_flag.load()) exit_for_signal(signal);  // a second Ctrl-C: at once
  stop_signal.store(signal);
  stop_flag.store(true);
}

}  // namespace

void exit_on_interrupt_signals() {
  struct sigaction action {};
  action.sa_handler = exit_for_signal;
  sigemptyset(&action.sa_mask);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

void stop_on_interrupt_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal, &action, nullptr);
}

const std::atomic<bool>& stop_requested() {
  return stop_flag;
}

int interrupt_signal() {
  return stop_signal.load();
}

int interrupted_exit_code() {
  return kInterruptedBase + interrupt_signal();
}

std::string signal_name(int signal) {
  const char* name = sigabbrev_np(signal);
  return name ? std::string("SIG") + name : "signal " + std::to_string(signal);
}

std::string format_duration(std::chrono::nanoseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%9.1f ms",
                std::chrono::duration<double, std::milli>(duration).count());
  return text;
}

}  // namespace pblur::cli
