#pragma once

#include <csetjmp>
#include <cstdio>
#include <string>

#include <jpeglib.h>

namespace pblur {

// libjpeg's error manager as pblur uses it: nothing is ever printed; an error, or a warning
// once warnings_fail is set, ends the libjpeg call in progress through a longjmp back into
// jpeg_guarded, which returns false and leaves the reason in message().
class JpegErrorManager {
 public:
  explicit JpegErrorManager(jpeg_common_struct& common);
  JpegErrorManager(const JpegErrorManager&) = delete;
  JpegErrorManager& operator=(const JpegErrorManager&) = delete;

  // From now on every libjpeg warning (corrupt data, premature end of data segment, bad
  // Huffman code, ...) is an error.
  void fail_on_warnings() { warnings_fail_ = true; }
  const std::string& message() const { return message_; }

  std::jmp_buf jump;

 private:
  static JpegErrorManager& owner_of(j_common_ptr common);
  static void on_error(j_common_ptr common);
  static void on_message(j_common_ptr common, int level);
  static void on_output(j_common_ptr common);
  void fail(j_common_ptr common);

  // libjpeg hands back a pointer to `manager`; `owner` leads from it to this object.
  struct Hook {
    jpeg_error_mgr manager;
    JpegErrorManager* owner;
  };
  Hook hook_{};
  bool warnings_fail_ = false;
  std::string message_;
};

// Runs `call` (libjpeg calls and nothing that owns resources: the longjmp skips destructors)
// and says whether it returned rather than failed.
template <class Call>
bool jpeg_guarded(JpegErrorManager& errors, Call&& call) {
  if (setjmp(errors.jump) != 0) return false;
  call();
  return true;
}

}  // namespace pblur
