#include "core/ipc/fork_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <set>
#include <span>
#include <system_error>
#include <thread>

#include "core/base/errors.h"
#include "core/os/file_descriptor.h"

namespace pblur {
namespace fork_protocol {

enum class RequestKind : std::int32_t { spawn, signal };

struct Request {
  RequestKind kind;
  std::int32_t pid;     // signal: the worker
  std::int32_t signal;  // signal: which
  std::uintptr_t entry;
  std::uintptr_t argument;
};

enum class NoticeKind : std::int32_t { spawned, signalled, exited };

struct Notice {
  NoticeKind kind;
  std::int32_t pid;    // spawned: -errno if the fork failed; signalled: the worker
  std::int32_t value;  // exited: wait status
};

}  // namespace fork_protocol

namespace {

using namespace fork_protocol;
using Clock = std::chrono::steady_clock;

// Exit status of a worker whose entry threw instead of returning.
constexpr int kWorkerThrew = 70;

// How long the server may take to answer a request, and to end once asked to.
constexpr auto kServerAnswerLimit = std::chrono::seconds(30);
constexpr auto kServerEndLimit = std::chrono::seconds(5);

// Without a signalfd (no descriptor left), the server looks for exited workers this often.
constexpr int kReapIntervalMs = 10;

void die_with_parent(pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);  // the parent died before the line above took effect
}

[[noreturn]] void run_worker(const Request& request, pid_t server) {
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

void send_notice(const FileDescriptor& socket, NoticeKind kind, pid_t pid, int value) {
  const Notice notice{kind, pid, value};
  retry_on_interrupt([&] { return send(socket.get(), &notice, sizeof notice, MSG_NOSIGNAL); });
}

void report_exits(const FileDescriptor& socket, std::set<pid_t>& children) {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    children.erase(pid);
    send_notice(socket, NoticeKind::exited, pid, status);
  }
}

void spawn_for(FileDescriptor& socket, FileDescriptor& signals, const Request& request,
               std::set<pid_t>& children) {
  const pid_t server = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    socket.reset();
    signals.reset();
    run_worker(request, server);
  }
  if (pid > 0) children.insert(pid);
  send_notice(socket, NoticeKind::spawned, pid > 0 ? pid : -errno, 0);
}

// Only a child not yet reaped is signalled: its pid cannot have been reused.
void signal_for(const FileDescriptor& socket, const Request& request,
                const std::set<pid_t>& children) {
  if (children.contains(request.pid)) kill(request.pid, request.signal);
  send_notice(socket, NoticeKind::signalled, request.pid, 0);
}

// A process group receives these all at once; pblur alone decides what they mean and ends its
// helpers itself. Workers inherit the dispositions.
void ignore_group_signals() {
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, SIG_IGN);
}

[[noreturn]] void serve(FileDescriptor socket, pid_t parent) {
  die_with_parent(parent);
  ignore_group_signals();
  sigset_t child_signal;
  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  sigprocmask(SIG_BLOCK, &child_signal, nullptr);
  FileDescriptor signals(signalfd(-1, &child_signal, SFD_CLOEXEC | SFD_NONBLOCK));
  std::set<pid_t> children;
  pollfd watched[2] = {{socket.get(), POLLIN, 0}, {signals.get(), POLLIN, 0}};  // poll skips -1
  while (true) {
    if (poll(watched, 2, signals.is_open() ? -1 : kReapIntervalMs) < 0 && errno != EINTR) break;
    signalfd_siginfo info;
    while (watched[1].revents && signals.read(std::as_writable_bytes(std::span(&info, 1))) > 0) {
    }
    report_exits(socket, children);
    if (!watched[0].revents) continue;
    Request request;
    const ssize_t n =
        retry_on_interrupt([&] { return recv(socket.get(), &request, sizeof request, 0); });
    if (n != sizeof request) break;  // pblur closed the socket or died
    if (request.kind == RequestKind::spawn) {
      spawn_for(socket, signals, request, children);
    } else {
      signal_for(socket, request, children);
    }
  }
  for (const pid_t child : children) kill(child, SIGKILL);
  while (retry_on_interrupt([] { return waitpid(-1, nullptr, 0); }) > 0) {
  }
  _exit(0);
}

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
}

}  // namespace

ForkServer::ForkServer() {
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
    throw std::system_error(errno, std::generic_category(), "connecting to the worker fork server");
  }
  FileDescriptor ours(sockets[0]);
  FileDescriptor servers(sockets[1]);
  const pid_t parent = getpid();
  server_pid_ = fork();
  if (server_pid_ < 0)
    throw std::system_error(errno, std::generic_category(), "forking the worker server");
  if (server_pid_ == 0) {
    ours.reset();
    serve(std::move(servers), parent);
  }
  socket_ = std::move(ours);
}

ForkServer::~ForkServer() {
  end_server();
}

// Closing the socket asks the server to kill and reap its workers and exit; one that does not
// within the limit is killed, and its workers die with it.
void ForkServer::end_server() noexcept {
  socket_.reset();
  const auto deadline = Clock::now() + kServerEndLimit;
  while (waitpid(server_pid_, nullptr, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(server_pid_, SIGKILL);
      retry_on_interrupt([&] { return waitpid(server_pid_, nullptr, 0); });
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

pid_t ForkServer::spawn(Entry entry, std::uintptr_t argument) {
  const Notice reply =
      ask(Request{RequestKind::spawn, 0, 0, reinterpret_cast<std::uintptr_t>(entry), argument});
  const pid_t pid = reply.pid;
  if (pid < 0) throw std::system_error(-pid, std::generic_category(), "forking a worker");
  workers_[pid] = std::nullopt;
  return pid;
}

Notice ForkServer::ask(const Request& request) {
  if (send(socket_.get(), &request, sizeof request, MSG_NOSIGNAL) != sizeof request) {
    throw ProcessingError("the worker fork server is gone");
  }
  std::optional<Notice> reply;
  const auto deadline = Clock::now() + kServerAnswerLimit;
  while (!reply) {
    if (Clock::now() > deadline) throw ProcessingError("the worker fork server does not answer");
    receive_notices(std::chrono::milliseconds(milliseconds_until(deadline)), &reply);
  }
  return *reply;
}

void ForkServer::receive_notices(std::chrono::milliseconds wait, std::optional<Notice>* reply) {
  pollfd watched{socket_.get(), POLLIN, 0};
  int timeout = static_cast<int>(wait.count());
  while (poll(&watched, 1, timeout) > 0) {
    Notice notice;
    const ssize_t n = recv(socket_.get(), &notice, sizeof notice, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n != sizeof notice) throw ProcessingError("the worker fork server died");
    if (notice.kind != NoticeKind::exited) {
      if (reply) *reply = notice;
      return;
    }
    workers_[notice.pid] = notice.value;
    timeout = 0;
  }
}

std::optional<int> ForkServer::exit_status(pid_t worker) {
  receive_notices(std::chrono::milliseconds(0), nullptr);
  const auto it = workers_.find(worker);
  if (it == workers_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> ForkServer::wait_for_exit(pid_t worker, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (true) {
    if (const auto status = exit_status(worker)) return status;
    if (Clock::now() >= deadline) return std::nullopt;
    receive_notices(std::chrono::milliseconds(milliseconds_until(deadline)), nullptr);
  }
}

void ForkServer::signal(pid_t worker, int signal) {
  const auto it = workers_.find(worker);
  if (it == workers_.end() || it->second) return;
  ask(Request{RequestKind::signal, worker, signal, 0, 0});
}

void ForkServer::forget(pid_t worker) {
  workers_.erase(worker);
}

}  // namespace pblur
