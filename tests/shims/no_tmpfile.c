// LD_PRELOAD shim for the tests: a file system without O_TMPFILE (NFS, CIFS, vfat). Every open
// that asks for an unnamed file fails with EOPNOTSUPP, as such file systems answer.
//
// With PBLUR_TEST_STALL_FSYNC=PATH set, each fsync first creates the file PATH and then sleeps
// for 2 seconds, so that a test can interrupt pblur while a save is in progress.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int wants_tmpfile(int flags) {
  return (flags & O_TMPFILE) == O_TMPFILE;
}

// The real openat, or EOPNOTSUPP for an unnamed file.
static int open_at(const char* real_name, int folder, const char* path, int flags, mode_t mode) {
  if (wants_tmpfile(flags)) {
    errno = EOPNOTSUPP;
    return -1;
  }
  int (*real)(int, const char*, int, ...) = dlsym(RTLD_NEXT, real_name);
  return real(folder, path, flags, mode);
}

// The mode argument, present only when the flags create a file.
#define MODE_AFTER(flags)                          \
  mode_t mode = 0;                                 \
  if ((flags & O_CREAT) || wants_tmpfile(flags)) { \
    va_list arguments;                             \
    va_start(arguments, flags);                    \
    mode = (mode_t)va_arg(arguments, int);         \
    va_end(arguments);                             \
  }

int open(const char* path, int flags, ...) {
  MODE_AFTER(flags)
  return open_at("openat", AT_FDCWD, path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  MODE_AFTER(flags)
  return open_at("openat64", AT_FDCWD, path, flags, mode);
}

int openat(int folder, const char* path, int flags, ...) {
  MODE_AFTER(flags)
  return open_at("openat", folder, path, flags, mode);
}

int openat64(int folder, const char* path, int flags, ...) {
  MODE_AFTER(flags)
  return open_at("openat64", folder, path, flags, mode);
}

int fsync(int fd) {
  const char* marker = getenv("PBLUR_TEST_STALL_FSYNC");
  if (marker) {
    const int made = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (made >= 0) close(made);
    // The whole 2 seconds, even when a signal lands on this thread and cuts a sleep short.
    struct timespec left = {2, 0};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
  }
  int (*real)(int) = dlsym(RTLD_NEXT, "fsync");
  return real(fd);
}
