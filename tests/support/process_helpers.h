#pragma once

#include <sys/types.h>

#include <chrono>
#include <vector>

#include "core/ipc/fork_server.h"

namespace pblur::testing {

// Waits for a worker of the test runtime's fork server to exit and returns its wait status.
// Fails the test (and returns -1) instead of hanging if it has not exited within `limit`.
int wait_for_exit(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(120));

// Processes whose parent is `parent`, read from /proc.
std::vector<pid_t> children_of(pid_t parent);
int count_children_of(pid_t parent);

// Makes orphaned descendants of this process its children, so a test can reap them.
void become_subreaper();

// Children of this process other than the test runtime's fork server, once those that exit
// within `limit` have been reaped: with become_subreaper(), what a finished pblur left running.
std::vector<pid_t> stray_children(std::chrono::seconds limit = std::chrono::seconds(10));

// Waits until `pid`, a child of this process, has exited, and reaps it; false after `limit`.
bool reap_within(pid_t pid, std::chrono::seconds limit);

// Entries of /dev/shm, and this process's open descriptors.
int count_dev_shm_entries();
int count_open_descriptors();

}  // namespace pblur::testing
