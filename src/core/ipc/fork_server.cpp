#include "core/ipc/fork_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <set>
#include <system_error>

#include "core/base/errors.h"

namespace pblur {
namespace {

struct SpawnRequest {
  std::uintptr_t entry;
  std::uintptr_t argument;
};

enum class NoticeKind : std::int32_t { spawned, exited };

struct Notice {
  NoticeKind kind;
  std::int32_t pid;    // spawned: -errno if the fork failed
  std::int32_t value;  // exited: wait status
};

// Exit status of a worker whose entry threw instead of returning.
constexpr int kWorkerThrew = 70;

void die_with_parent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);  // the parent died before the line above took effect
}

[[noreturn]] void run_worker(const SpawnRequest& request, pid_t server) {
  die_with_parent(server);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  std::signal(SIGCHLD, SIG_DFL);
  try {
    reinterpret_cast<ForkServer::Entry>(request.entry)(request.argument);
  } catch (...) {
    _exit(kWorkerThrew);
  }
  _exit(0);
}

void send_notice(int socket, NoticeKind kind, pid_t pid, int value) {
  const Notice notice{kind, pid, value};
  while (send(socket, &notice, sizeof notice, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

void report_exits(int socket, std::set<pid_t>& children) {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    children.erase(pid);
    send_notice(socket, NoticeKind::exited, pid, status);
  }
}

void spawn_for(int socket, int signals, const SpawnRequest& request, std::set<pid_t>& children) {
  const pid_t server = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    close(socket);
    close(signals);
    run_worker(request, server);
  }
  if (pid > 0) children.insert(pid);
  send_notice(socket, NoticeKind::spawned, pid > 0 ? pid : -errno, 0);
}

[[noreturn]] void serve(int socket, pid_t parent) {
  die_with_parent(parent);
  std::signal(SIGINT, SIG_IGN);  // Ctrl-C reaches the whole process group; pblur decides
  sigset_t child_signal;
  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  sigprocmask(SIG_BLOCK, &child_signal, nullptr);
  const int signals = signalfd(-1, &child_signal, SFD_CLOEXEC | SFD_NONBLOCK);
  std::set<pid_t> children;
  pollfd watched[2] = {{socket, POLLIN, 0}, {signals, POLLIN, 0}};
  while (true) {
    if (poll(watched, 2, -1) < 0 && errno != EINTR) break;
    if (watched[1].revents) {
      signalfd_siginfo info;
      while (read(signals, &info, sizeof info) > 0) {
      }
      report_exits(socket, children);
    }
    if (watched[0].revents) {
      SpawnRequest request;
      const ssize_t n = recv(socket, &request, sizeof request, 0);
      if (n != sizeof request) break;  // pblur closed the socket or died
      spawn_for(socket, signals, request, children);
    }
  }
  for (const pid_t child : children) kill(child, SIGKILL);
  while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
  _exit(0);
}

int pidfd_open(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

}  // namespace

ForkServer::ForkServer() {
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
    throw std::system_error(errno, std::generic_category(), "socketpair");
  }
  const pid_t parent = getpid();
  server_pid_ = fork();
  if (server_pid_ < 0) {
    const int error = errno;
    close(sockets[0]);
    close(sockets[1]);
    throw std::system_error(error, std::generic_category(), "forking the worker server");
  }
  if (server_pid_ == 0) {
    close(sockets[0]);
    serve(sockets[1], parent);
  }
  close(sockets[1]);
  socket_ = sockets[0];
}

ForkServer::~ForkServer() {
  close(socket_);  // the server kills and reaps its remaining workers, then exits
  for (auto& [pid, tracked] : workers_) {
    if (tracked.pidfd >= 0) close(tracked.pidfd);
  }
  while (waitpid(server_pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

pid_t ForkServer::spawn(Entry entry, std::uintptr_t argument) {
  const SpawnRequest request{reinterpret_cast<std::uintptr_t>(entry), argument};
  if (send(socket_, &request, sizeof request, MSG_NOSIGNAL) != sizeof request) {
    throw ProcessingError("the worker fork server is gone");
  }
  pid_t pid = 0;
  receive_notices(true, &pid);
  if (pid < 0) throw std::system_error(-pid, std::generic_category(), "forking a worker");
  Tracked& tracked = workers_[pid];
  tracked.pidfd = pidfd_open(pid);  // fails only if the worker is already gone
  return pid;
}

void ForkServer::receive_notices(bool wait_for_spawn_reply, pid_t* spawned) {
  while (true) {
    Notice notice;
    const ssize_t n =
        recv(socket_, &notice, sizeof notice, wait_for_spawn_reply ? 0 : MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n != sizeof notice) throw ProcessingError("the worker fork server died");
    if (notice.kind == NoticeKind::spawned) {
      *spawned = notice.pid;
      return;
    }
    workers_[notice.pid].status = notice.value;
  }
}

std::optional<int> ForkServer::exit_status(pid_t worker) {
  receive_notices(false, nullptr);
  const auto it = workers_.find(worker);
  if (it == workers_.end()) return std::nullopt;
  return it->second.status;
}

void ForkServer::signal(pid_t worker, int signal) {
  const auto it = workers_.find(worker);
  if (it == workers_.end() || it->second.status) return;
  if (it->second.pidfd >= 0) {
    syscall(SYS_pidfd_send_signal, it->second.pidfd, signal, nullptr, 0);
  }
}

void ForkServer::forget(pid_t worker) {
  const auto it = workers_.find(worker);
  if (it == workers_.end()) return;
  if (it->second.pidfd >= 0) close(it->second.pidfd);
  workers_.erase(it);
}

}  // namespace pblur
