// Keeping sockstep's own /proc/self/task/<tid>/syscall files readable when it was started from
// a file with capabilities (`setcap cap_net_raw+ep`, for packet capture).
#pragma once

namespace sockstep::app {

// A file capability makes the kernel mark the process non-dumpable at exec: its /proc files
// then belong to root (mode 0400 for `syscall`), and the evidence of a blocked call cannot be
// read. prctl(2) PR_SET_DUMPABLE 1 gives them back to the user and keeps the capability; ptrace
// by the same user is still refused, since the tracer lacks the capability (ptrace(2),
// "Ptrace access mode checking"). Call it first thing in main, before any thread starts.
void KeepTaskFilesReadable();

}  // namespace sockstep::app
