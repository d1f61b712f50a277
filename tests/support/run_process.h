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
};

// `env` entries "NAME=value" are added; "NAME" alone removes NAME from the child's environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& input = {});

}  // namespace sockstep::testing
