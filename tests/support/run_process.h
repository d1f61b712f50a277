// Test helper: run a program with arguments and extra environment, capture its output and exit.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sockstep::testing {

struct ProcessResult {
    int exit_code = -1;  // -1 when it did not exit normally (signal)
    std::string out;
    std::string err;
    bool hung = false;  // killed by the hang guard (ProcessOptions::hang_guard_seconds)
};

// How the child's standard descriptors and limits are set up.
struct ProcessOptions {
    std::vector<std::string> env;  // as RunProcess's `env`
    std::string stdout_path;       // non-empty: stdout opened (write-only) on this file, no pipe
    std::vector<int> closed;       // descriptors closed in the child before exec (e.g. {0, 1})
    long file_size_limit = -1;     // >= 0: RLIMIT_FSIZE in bytes, SIGXFSZ ignored (EFBIG)
    // The hang guard: the child is killed with SIGKILL after this and `hung` is set. Generous:
    // it catches a program that would wait for ever, it is not a timing bound.
    int hang_guard_seconds = 60;
};

// `env` entries "NAME=value" are added; "NAME" alone removes NAME from the child's environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& input = {});
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options);

}  // namespace sockstep::testing
