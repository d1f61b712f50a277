// The kernel's own evidence that a thread sleeps in a system call, read without root from
// /proc/self/task/<tid>/{stat,syscall,wchan}. Internal to sockstep_core.
//
// A non-dumpable process (one started from a file with capabilities, `setcap cap_net_raw+ep`)
// cannot open its own `syscall` files: they become root's, mode 0400. main() makes the process
// dumpable again (app/src/proc_access.cpp); where that is not done or not enough, the evidence
// comes from `stat` and `wchan` alone (both stay readable), and when even those say nothing the
// caller must not wait for evidence for ever (SleepUnseen).
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
    // file could not be opened. Without the `syscall` file the evidence is the wait channel
    // alone (syscall_nr -1, syscall "", fd_arg -1).
    std::optional<BlockEvidence> ReadBlockEvidence() const;

    // True when the thread is asleep (or its state cannot be read) and neither `syscall` nor
    // `wchan` tells where: the kernel does not let us see where it sleeps.
    bool SleepUnseen() const;

    // The `syscall` file could be opened (false in a non-dumpable process of another owner).
    bool SeesSyscall() const { return m_syscall >= 0; }

  private:
    int m_stat = -1;
    int m_syscall = -1;
    int m_wchan = -1;
};

std::string SyscallName(long number);

}  // namespace sockstep::core::detail
