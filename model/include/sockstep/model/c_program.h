// The C program of each actor, as a learner would write it, generated from the script's calls
// (and the free-mode calls in the log). Pure: no ImGui. Each line knows which step it belongs
// to, so the code panel can highlight the line of the call shown. The same generator writes the
// complete, compilable programs of `sockstep export --format c` (export_c.cpp adds the file
// around them), and, with CodeLanguage::kPython, the same programs with Python's socket module
// (the code panel's Python view, `--format python`: export_python.cpp).
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/session.h"
#include "sockstep/model/scene.h"

namespace sockstep::ui {

inline constexpr size_t kNoEvent = std::numeric_limits<size_t>::max();

// The language the programs are written in: C, or Python with its socket module.
enum class CodeLanguage { kC, kPython };

struct CodeLine {
    std::string text;
    int step = -1;            // script step, -1 for free-mode calls and comments
    size_t event = kNoEvent;  // free-mode calls: index of their Enter event in the log
    bool comment = false;
};

struct ActorProgram {
    int actor = 0;
    std::string name;
    std::vector<CodeLine> lines;
};

// One program per actor. `log` supplies the free-mode calls and the real port of a socket a
// call names by `peer` (so `htons(43211)` shows the port the kernel really picked).
std::vector<ActorProgram> BuildPrograms(const std::vector<core::ScriptStep>& script,
                                        const std::vector<ActorInfo>& actors,
                                        const core::LogView& log, core::Lang lang,
                                        CodeLanguage code = CodeLanguage::kC);

// BuildPrograms kept up to date as the log grows: when only events were appended since the last
// Update (same generation, language, actors and script), only the new calls are written, after
// the lines already there — one call among 2,000 costs one call, not 2,000. Everything else (a
// new generation, language, actor or script, or a socket's port learned that lines already
// written show) writes every program again. The result is always exactly BuildPrograms'.
class ProgramBuilder {
  public:
    ProgramBuilder();
    ~ProgramBuilder();
    ProgramBuilder(ProgramBuilder&&) noexcept;
    ProgramBuilder& operator=(ProgramBuilder&&) noexcept;

    // `generation` names the session the log belongs to: the caller changes it whenever the
    // log may have been cleared or the script replaced.
    const std::vector<ActorProgram>& Update(const std::vector<core::ScriptStep>& script,
                                            const std::vector<ActorInfo>& actors,
                                            const core::LogView& log, core::Lang lang,
                                            int generation, CodeLanguage code = CodeLanguage::kC);
    const std::vector<ActorProgram>& Programs() const;

    // Makes `out` equal to Programs(). `out` is what Programs() was after an Update with
    // `generation`, `lang` and a log of `events` events (a frame's copy); then only the lines
    // added since are copied. Anything else (generation -1, say) is copied whole.
    void CopyTo(std::vector<ActorProgram>& out, int generation, core::Lang lang, size_t events,
                CodeLanguage code = CodeLanguage::kC) const;

    // How many Updates wrote every program again (tests: the incremental path is taken).
    size_t FullBuilds() const;

  private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Where the addresses of complete programs come from: separate programs cannot ask sockstep for
// a kernel-picked port, so each port is a C expression (a command-line parameter such as
// `listener_port`, or a literal).
struct ProgramAddresses {
    std::map<std::string, std::string> peer_port;  // socket name → port expression, for `peer`
    std::map<std::string, std::string> peer_host;  // socket name → its numeric loopback host
    std::map<std::string, std::string> bind_port;  // socket bound with port 0 → port expression
};

// The bodies of complete programs (the statements of main()): every call between
// `before(STEP, "label");` and `after(STEP, "label", result);` (`after_data` for reads), the
// helpers export_c.cpp writes. Lines carry their step; no comments, no narration. In Python
// (export_python.cpp): `before(STEP, "label")`, then the call in `try:` with `after(...)` (or
// `after_data(STEP, "label", data)`), and `except OSError as error: failed(STEP, "label", error)`.
std::vector<ActorProgram> BuildCompletePrograms(const std::vector<core::ScriptStep>& script,
                                                const std::vector<ActorInfo>& actors,
                                                const ProgramAddresses& addresses, core::Lang lang,
                                                CodeLanguage code = CodeLanguage::kC);

// The label the complete programs print for a call: "accept(listener)", "socket()".
std::string CallLabel(const core::CallRequest& request);

// A script name as a C identifier: '-' becomes '_', and a name that is a C keyword, a function
// the programs call or one of the generator's own variables gets a "s_" prefix.
std::string CName(const std::string& name);

// A C string literal for any bytes: escapes as core::QuoteC, bytes above 0x7e as octal escapes,
// "??" written "?\?" (no trigraph warning).
std::string CStringLiteral(std::string_view data);

// A script name as a Python identifier: CName's, with a "s_" prefix for a Python keyword or a
// name the Python programs use themselves.
std::string PythonName(const std::string& name);

// A Python str literal (the text is UTF-8) and a bytes literal (ASCII, \xNN for the rest).
std::string PythonStringLiteral(std::string_view text);
std::string PythonBytesLiteral(std::string_view data);

// The C text of one call, as it would appear on its own (for tooltips and the free-mode dialog);
// with CodeLanguage::kPython, its Python text.
std::string CallAsC(const core::CallRequest& request, CodeLanguage code = CodeLanguage::kC);

}  // namespace sockstep::ui
