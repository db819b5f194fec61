// LD_PRELOAD=libno_pidfd.so: pidfds are missing, as on kernels before 5.3 or under a seccomp
// profile that refuses them. pidfd_open, pidfd_send_signal and pidfd_getfd, called directly or
// through syscall(), fail with ENOSYS; every other system call goes through unchanged.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <sys/types.h>

static int is_pidfd_call(long number) {
  return number == SYS_pidfd_open || number == SYS_pidfd_send_signal || number == SYS_pidfd_getfd;
}

long syscall(long number, ...) {
  typedef long (*syscall_fn)(long, ...);
  static syscall_fn real_syscall;
  if (is_pidfd_call(number)) {
    errno = ENOSYS;
    return -1;
  }
  if (!real_syscall) real_syscall = (syscall_fn)dlsym(RTLD_NEXT, "syscall");
  va_list args;
  va_start(args, number);
  long a[6];
  for (int i = 0; i < 6; ++i) a[i] = va_arg(args, long);
  va_end(args);
  return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int pidfd_open(pid_t pid, unsigned int flags) {
  (void)pid;
  (void)flags;
  errno = ENOSYS;
  return -1;
}

int pidfd_send_signal(int pidfd, int sig, siginfo_t* info, unsigned int flags) {
  (void)pidfd;
  (void)sig;
  (void)info;
  (void)flags;
  errno = ENOSYS;
  return -1;
}
