// The command line front door: parses options and subcommands and runs the chosen front end.
#pragma once

#include <iosfwd>

namespace sockstep::app {

// Exit codes shared by every front end.
inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectFailed = 1;  // a lesson ran but the kernel disagreed with it
inline constexpr int kExitUsage = 2;         // bad input: options, files, no display

int Main(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace sockstep::app
