#include "core/image/jpeg_error.h"

#include <cstddef>

namespace pblur {
JpegErrorManager& JpegErrorManager::owner_of(j_common_ptr common) {
  return *reinterpret_cast<Hook*>(common->err)->owner;
}

JpegErrorManager::JpegErrorManager(jpeg_common_struct& common) {
  hook_.owner = this;
  jpeg_std_error(&hook_.manager);
  hook_.manager.error_exit = on_error;
  hook_.manager.emit_message = on_message;
  hook_.manager.output_message = on_output;
  common.err = &hook_.manager;
}

void JpegErrorManager::fail(j_common_ptr common) {
  char text[JMSG_LENGTH_MAX] = {};
  hook_.manager.format_message(common, text);
  message_ = text;
  std::longjmp(jump, 1);
}

void JpegErrorManager::on_error(j_common_ptr common) {
  owner_of(common).fail(common);
}

void JpegErrorManager::on_message(j_common_ptr common, int level) {
  JpegErrorManager& self = owner_of(common);
  if (level >= 0) return;  // trace messages
  ++self.hook_.manager.num_warnings;
  if (self.warnings_fail_) self.fail(common);
}

void JpegErrorManager::on_output(j_common_ptr) {}

}  // namespace pblur
