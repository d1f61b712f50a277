// The kernel's own evidence that a thread sleeps in a system call, read without root from
// /proc/self/task/<tid>/{stat,syscall,wchan}. Internal to sockstep_core.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "sockstep/core/event.h"

namespace sockstep::core::detail {

// Evidence when thread `tid` is asleep (state S or D) inside a system call other than futex
// (which is how an idle worker waits); nullopt while it runs, or waits on a futex.
std::optional<BlockEvidence> ReadBlockEvidence(pid_t tid);

// The current kernel wait channel of `tid` ("inet_csk_accept", "wait_woken", …), "" if none.
std::string ReadWchan(pid_t tid);

std::string SyscallName(long number);

}  // namespace sockstep::core::detail
