// `sockstep export`: a lesson taken home as C or Python programs (one per actor), a Mermaid or
// SVG sequence diagram of a real run, or the run's JSON Lines log. The export itself lives in
// the ui library (sockstep/ui/export.h), so the window's File → Export makes the same files.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sockstep/core/lang.h"

namespace sockstep::app {

struct ExportOptions {
    std::string lesson;                    // built-in id or path to a .toml file
    std::vector<std::string> lesson_dirs;  // each --lessons DIR
    std::string format;                    // c, mermaid, svg, json
    std::string output;                    // -o: a directory for c, a file otherwise
    bool force = false;                    // replace existing files
    std::string lang;  // "ko", "en" or empty: from --lang before it, or the locale
};

// Registers `sockstep export` on `cli`; its options land in `options`.
CLI::App* AddExportCommand(CLI::App& cli, ExportOptions& options);

// Exit codes: 0 written; 2 bad input: an invalid or unknown lesson, a lesson that cannot be C
// programs (the reason is printed), an existing file without --force, a path that cannot be
// written (checked before the lesson runs) or a write that failed; 130/143 (128 + signal)
// interrupted by SIGINT/SIGTERM while the lesson ran: the steps that did not run are named and
// nothing is written.
int RunExport(const ExportOptions& options, std::optional<core::Lang> lang, std::ostream& out,
              std::ostream& err);

}  // namespace sockstep::app
