// What an interrupted lesson run says and how it exits (see interrupted_run.h).
#include "interrupted_run.h"

#include <signal.h>
#include <string.h>

namespace sockstep::app {

std::string SignalWords(int signal_number) {
    if (signal_number == SIGINT) return "SIGINT (Ctrl-C)";
    if (signal_number == SIGTERM) return "SIGTERM";
    const char* name = sigabbrev_np(signal_number);
    return name ? std::string("SIG") + name : "signal " + std::to_string(signal_number);
}

int InterruptedExitCode(int signal_number) {
    return 128 + signal_number;
}

std::string StepRanges(const std::vector<int>& numbers) {
    std::string out;
    for (size_t i = 0; i < numbers.size();) {
        size_t j = i;
        while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
        if (!out.empty()) out += ", ";
        out += std::to_string(numbers[i]);
        if (j > i) out += "-" + std::to_string(numbers[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace sockstep::app
