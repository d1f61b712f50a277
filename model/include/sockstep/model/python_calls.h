// What each Python call of the programs makes of the kernel: the one table of the system calls
// behind the socket module's methods (CPython 3.11, measured with strace -f on this machine).
// The Python export's strace test allows exactly these calls and nothing else.
#pragma once

#include <string_view>
#include <vector>

#include "sockstep/core/call.h"

namespace sockstep::ui {

struct PythonSyscalls {
    std::string_view python;   // the Python spelling: "sock.accept()"
    std::string_view syscall;  // the system call carrying the lesson call's result: "accept4"
    // Further system calls made only when that one succeeds, in order, and why.
    std::vector<std::string_view> then;
    std::string_view why;  // "" when the call is the lesson's own, argument for argument
};

// The entry of a lesson call.
const PythonSyscalls& PythonCallOf(core::CallKind call);

}  // namespace sockstep::ui
