// What an interrupted lesson run says and how it exits, shared by `trace` and `export`: the
// signal by name, the steps that did not run as ranges ("4-8"), and the shells' exit code
// 128 + signal (130 for SIGINT, 143 for SIGTERM).
#pragma once

#include <string>
#include <vector>

namespace sockstep::app {

// "SIGINT (Ctrl-C)", "SIGTERM".
std::string SignalWords(int signal_number);

// 128 + the signal's number, as a shell reports a program the signal ended.
int InterruptedExitCode(int signal_number);

// Sorted step numbers as ranges: {4, 5, 6, 8} -> "4-6, 8".
std::string StepRanges(const std::vector<int>& numbers);

}  // namespace sockstep::app
