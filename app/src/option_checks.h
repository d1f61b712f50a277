// CLI11 validators for sockstep's options: numbers are read whole and must be finite (CLI11's
// Range lets "nan" through, and says "not in range" for "2abc"), and no value may be empty (an
// empty --connect or --lesson would otherwise be taken as "not given").
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace sockstep::app {

// A finite decimal number between `min` and `max`: "'2abc' is not a number", "'nan' is not a
// finite number", "'5' is not between 1 and 3".
CLI::Validator NumberIn(double min, double max);

// A whole number between `min` and `max`: "'1.5' is not a whole number" as well.
CLI::Validator WholeNumberIn(long min, long max);

// Any text but the empty one: "the value is empty; give FILE" (`what` names what is wanted).
CLI::Validator NotEmpty(const std::string& what);

// `--lessons DIR` on `app` (the window, --list-lessons, trace, export): a folder of lessons
// listed before the XDG and built-in ones; given more than once, the first wins on an id
// clash. A DIR that is not a folder that can be listed is refused here, before anything runs.
CLI::Option* AddLessonsOption(CLI::App& app, std::vector<std::string>& dirs);

}  // namespace sockstep::app
