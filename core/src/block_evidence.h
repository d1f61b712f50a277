// The kernel's own evidence that a thread sleeps in a system call, read without root from
// /proc/self/task/<tid>/{stat,syscall,wchan}. Internal to sockstep_core.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "sockstep/core/event.h"

namespace sockstep::core::detail {

// The three /proc files of one thread, opened once when the thread starts and read again with
// pread(2) at offset 0 (the kernel regenerates them on every read from the start). Watching a
// call must not take a descriptor while it runs: at the RLIMIT_NOFILE limit that descriptor
// would make the watched socket() or accept() fail with EMFILE when it would not have.
class TaskFiles {
  public:
    explicit TaskFiles(pid_t tid);
    ~TaskFiles();
    TaskFiles(const TaskFiles&) = delete;
    TaskFiles& operator=(const TaskFiles&) = delete;

    // Evidence when the thread is asleep (state S or D) inside a system call other than futex
    // (which is how an idle worker waits); nullopt while it runs, waits on a futex, or when a
    // file could not be opened.
    std::optional<BlockEvidence> ReadBlockEvidence() const;

  private:
    int m_stat = -1;
    int m_syscall = -1;
    int m_wchan = -1;
};

std::string SyscallName(long number);

}  // namespace sockstep::core::detail
