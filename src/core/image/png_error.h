#pragma once

#include <string>

#include <png.h>

namespace pblur {

// Where libpng's errors and warnings go instead of stderr (the error_ptr of png_create_*):
// an error, or a warning once warnings_fail is set, ends the libpng call in progress through a
// longjmp back into png_guarded.
struct PngMessages {
  std::string message;
  bool warnings_fail = false;

  static void on_error(png_structp png, png_const_charp text);
  static void on_warning(png_structp png, png_const_charp text);
};

// Runs `call` (libpng calls and nothing that owns resources: the longjmp skips destructors)
// and says whether it returned rather than failed.
template <class Call>
bool png_guarded(png_structp png, Call&& call) {
  if (setjmp(png_jmpbuf(png)) != 0) return false;
  call();
  return true;
}

}  // namespace pblur
