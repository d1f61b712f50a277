// `sockstep trace`: runs a lesson in the terminal, one real call after another, and prints a
// readable strace-like trace (or the core's JSON Lines events with --json).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/lang.h"

namespace sockstep::app {

struct TraceOptions {
    std::string lesson;                    // built-in id or path to a .toml file
    std::vector<std::string> lesson_dirs;  // each --lessons DIR
    std::optional<core::Lang> lang;        // unset: from the locale
    bool json = false;        // JSON Lines events on stdout instead of the readable trace
    int until = 0;            // stop after this step (1-based); 0: run every step
    double hold_seconds = 0;  // keep every socket open this long at the end
    std::string connect;      // HOST:PORT of an outside listener for the clients
};

// Exit codes: 0 every expectation that was checked held, 1 one did not (or a step was refused),
// 2 invalid input (lesson, options, a non-loopback --connect), before any socket exists;
// 130/143 (128 + signal) when SIGINT/SIGTERM cut the run short before its last step (the steps
// that did not run are named). A signal during --hold only ends the hold: 0 or 1 as above.
int RunTrace(const TraceOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sockstep::app
