#include "core/image/png_error.h"

namespace pblur {

void PngMessages::on_error(png_structp png, png_const_charp text) {
  static_cast<PngMessages*>(png_get_error_ptr(png))->message = text;
  png_longjmp(png, 1);
}

void PngMessages::on_warning(png_structp png, png_const_charp text) {
  auto* messages = static_cast<PngMessages*>(png_get_error_ptr(png));
  if (!messages->warnings_fail) return;
  messages->message = text;
  png_longjmp(png, 1);
}

}  // namespace pblur
