// Taking a lesson home: its programs as C, its run as a Mermaid or SVG sequence diagram, or its
// event log as JSON Lines. Pure functions of a lesson and a log (no ImGui); WriteExport is the
// only function here that touches the file system. Used by `sockstep export` and by the
// window's File → Export. Formats and choices: docs/EXPORT.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/user_file.h"

namespace sockstep::ui {

enum class ExportFormat { kC, kMermaid, kSvg, kJson, kPython };
// "c", "mermaid", "svg", "json", "python"
std::string_view ExportFormatName(ExportFormat format);
std::optional<ExportFormat> ParseExportFormat(std::string_view name);
// Does the format need a run of the lesson (a log)? C and Python need only the lesson.
bool ExportIsDirectory(ExportFormat format);  // C and Python: a file per actor and a README
bool ExportNeedsLog(ExportFormat format);

struct ExportedFile {
    std::string name;  // a plain file name: "server.c", "README.txt", "handshake.svg"
    std::string content;
};

// What an export produced. `directory`: the files go into a directory (C, one file per actor
// and a README.txt); otherwise there is exactly one file and it is written at the path asked.
struct ExportResult {
    bool directory = false;
    std::vector<ExportedFile> files;
};

struct ExportError {
    std::string message;  // what cannot be exported and why, in English
};

// One C program per actor ("<actor>.c", compiled with cc -Wall -Wextra -Werror) making the
// lesson's calls in the same order with the same arguments, the narration in `lang` as comments,
// plus README.txt. Ports the lesson lets the kernel pick and another program needs become
// command-line parameters. An error when a program would need a port only the kernel knows.
std::variant<ExportResult, ExportError> ExportC(const core::Lesson& lesson, core::Lang lang);

// The same programs in Python ("<actor>.py", for python3 and its standard library alone): the
// socket module's calls, each failure the lesson expects caught as OSError and its errno
// printed, the same step mode, ports and README.txt (which also lists the system calls behind
// each Python call, python_calls.h).
std::variant<ExportResult, ExportError> ExportPython(const core::Lesson& lesson, core::Lang lang);

// The run as a Mermaid sequenceDiagram: a participant per actor and "kernel"; calls go to the
// kernel, results come back, captured packets (Phase::kPacket) go between the actors.
std::string ExportMermaid(const core::Lesson& lesson, const core::LogView& log, core::Lang lang);

// The run as a self-contained SVG sequence diagram for handouts: white background, one lifeline
// (class "lifeline") per actor, calls with their results and the TCP states after them, captured
// packets as arrows with flags, seq, ack and length.
std::string ExportSvg(const core::Lesson& lesson, const core::LogView& log, core::Lang lang);

// The log as JSON Lines (core::WriteJsonLines; docs/TRACE_FORMAT.md).
std::string ExportJson(const core::LogView& log);

// Any format: C and Python ignore `log`. The single file of mermaid/svg/json is named after the
// lesson.
std::variant<ExportResult, ExportError> Export(ExportFormat format, const core::Lesson& lesson,
                                               const core::LogView& log, core::Lang lang);

// Writes an export at `path`: the single file at `path` itself, or (directory) each file inside
// the directory `path`, created when missing. Without `force` an existing file is never
// replaced: nothing is written and the message names the file. Only regular files are ever
// replaced (never a device node, FIFO or symlink). Each file is written to a temporary name in
// its own directory, every write and the close checked, and renamed into place. Returns an error
// message, or nullopt when everything was written. `how_to_replace` ends the "already exists"
// message: the command line's --force, or the window's checkbox.
std::optional<std::string> WriteExport(const ExportResult& result,
                                       const std::filesystem::path& path, bool force,
                                       std::string_view how_to_replace = core::kReplaceWithForce);

// The checks WriteExport makes on `path` (a file, or the directory of a C export), made before
// a lesson runs: an unusable path, a device node or symlink, an existing file without `force`,
// a directory that does not take a new file. Returns the reason, or nullopt.
std::optional<std::string> CheckExportPath(const std::filesystem::path& path, bool directory,
                                           bool force);

}  // namespace sockstep::ui
