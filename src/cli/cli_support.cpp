#include "cli/cli_support.h"

#include <signal.h>
#include <unistd.h>

#include <ext/stdio_filebuf.h>

#include <cstdio>
#include <iostream>

#include <oneapi/tbb/version.h>
#include <opencv2/core/version.hpp>

#include "core/errors.h"

namespace pblur::cli {

std::string version_text() {
  return std::string("pblur ") + PBLUR_VERSION + " (OpenCV " + CV_VERSION + ", oneTBB " +
         TBB_VERSION_STRING + ")";
}

std::ostream& messages() {
  static __gnu_cxx::stdio_filebuf<char> buffer(dup(STDERR_FILENO), std::ios::out);
  static std::ostream stream(&buffer);
  [[maybe_unused]] static const auto flags = stream.setf(std::ios::unitbuf);  // as std::cerr
  return stream;
}

void print_error(std::string_view message) {
  messages() << "pblur: error: " << message << std::endl;
}

int report_failure(const std::exception& error) {
  print_error(error.what());
  if (dynamic_cast<const InputError*>(&error)) return kBadInput;
  if (dynamic_cast<const OutputError*>(&error)) return kBadOutput;
  if (dynamic_cast<const UsageError*>(&error)) return kUsageError;
  return kProcessingFailed;
}

namespace {

extern "C" void exit_for_signal(int signal) {
  _exit(kInterruptedBase + signal);
}

std::atomic<bool> stop_flag{false};
std::atomic<int> stop_signal{0};

extern "C" void request_stop(int signal) {
  if (stop_flag.load()) _exit(kInterruptedBase + signal);  // a second Ctrl-C: at once
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

std::string format_duration(std::chrono::nanoseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%9.1f ms",
                std::chrono::duration<double, std::milli>(duration).count());
  return text;
}

}  // namespace pblur::cli
