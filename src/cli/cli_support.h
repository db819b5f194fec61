#pragma once

#include <atomic>
#include <chrono>
#include <exception>
#include <ostream>
#include <string>
#include <string_view>

namespace pblur::cli {

// pblur's exit codes; README.md lists them for users.
enum ExitCode : int {
  kSuccess = 0,
  kProcessingFailed = 1,  // a strip or image could not be filtered
  kUsageError = 2,        // bad options
  kBadInput = 3,          // the input cannot be read as an image
  kBadOutput = 4,         // the output cannot be written
  kSomeFailed = 5,        // pblur batch: some images failed, the others are done
  kInterruptedBase = 128  // plus the signal number: 130 for SIGINT, 143 for SIGTERM
};

// "pblur 0.1.0 (OpenCV 4.6.0, oneTBB 2021.8.0)"
std::string version_text();

// pblur's own lines for the user: stderr, unbuffered.
std::ostream& messages();

// `text` safe to print as part of one line on a terminal: control characters, C1 controls and
// bytes that are not UTF-8 become escapes ("\n", "\x1b"), so a file name with a newline or an
// escape sequence in it can neither split a line nor command the terminal.
std::string printable(std::string_view text);

// A message of the core worded for pblur's command line: the settings it names in words ("more
// than the pixel limit 1000") become the options that set them ("more than --max-pixels 1000").
std::string with_option_names(std::string message);

// Prints "pblur: error: <message>" on stderr, with_option_names and made printable.
void print_error(std::string_view message);

// The exit code for an exception escaping a command, after printing it as one line.
int report_failure(const std::exception& error);

// SIGINT, SIGTERM and SIGHUP end pblur at once with 128 + the signal. Nothing needs undoing:
// outputs are unnamed until complete, workers die with their parent, shared memory has no name.
// Sent to the whole process group, they reach pblur's fork server and workers too, which ignore
// them: pblur alone decides what they mean (ForkServer).
void exit_on_interrupt_signals();

// SIGINT, SIGTERM and SIGHUP turn stop_requested() true, for a command that stops between files
// and cleans up; a second one ends pblur at once with 128 + the signal.
void stop_on_interrupt_signals();
const std::atomic<bool>& stop_requested();
int interrupt_signal();       // the signal that turned stop_requested() true; 0 if none
int interrupted_exit_code();  // 128 + interrupt_signal()

// "SIGINT"; "signal 99" for a number without a name.
std::string signal_name(int signal);

std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace pblur::cli
