// `sockstep export`: C and Python need only the lesson; the diagrams and the JSON log need a real
// run, made headless exactly as `sockstep trace` makes it (Session::RunToEnd, blocking calls really
// wait). SIGINT and SIGTERM are blocked before the session's workers start (they inherit the mask,
// so a signal never cuts a lesson's call short); a watcher thread takes them with sigtimedwait()
// and cancels the run, and prints the commands to type while a step waits for an outside client.
#include "export_cli.h"

#include <signal.h>

#include <atomic>
#include <ostream>
#include <thread>
#include <variant>
#include <vector>

#include "cli.h"
#include "interrupted_run.h"
#include "option_checks.h"
#include "paths.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/core/terminal_text.h"
#include "sockstep/model/export.h"

namespace sockstep::app {

CLI::App* AddExportCommand(CLI::App& cli, ExportOptions& options) {
    CLI::App* command = cli.add_subcommand(
        "export",
        "Take a lesson home: C or Python programs, a Mermaid or SVG sequence diagram, or JSON "
        "Lines");
    command
        ->add_option("--lesson", options.lesson,
                     "A lesson id (built-in or from a lesson folder) or a .toml file")
        ->required()
        ->check(NotEmpty("a lesson id or a .toml file"))
        ->type_name("ID|PATH");
    AddLessonsOption(*command, options.lesson_dirs);
    command
        ->add_option("--format", options.format,
                     "c or python (one program per actor), mermaid, svg (diagrams of a real "
                     "run), json")
        ->required()
        ->check(NotEmpty("c, python, mermaid, svg or json"))
        ->check(CLI::IsMember({"c", "python", "mermaid", "svg", "json"}));
    command
        ->add_option("-o,--output", options.output,
                     "Where to write: a directory for c and python (created when missing), else "
                     "a file")
        ->required()
        ->check(NotEmpty("the file or directory to write"))
        ->type_name("PATH");
    command->add_flag("--force", options.force, "Replace files that already exist");
    command->add_option("--lang", options.lang, "Language of the narration and labels: ko or en")
        ->check(NotEmpty("ko or en"))
        ->check(CLI::IsMember({"ko", "en"}));
    return command;
}

namespace {

constexpr int kWatchMs = 20;

// Runs the lesson to its end; 0, or the signal (SIGINT/SIGTERM) that cancelled it. Blocked
// signals are restored (and a pending one dropped) by the caller's SignalMask.
int RunLesson(core::Session& session, const core::Lesson& lesson, const sigset_t& signals,
              std::ostream& err) {
    std::atomic<bool> cancel{false};
    std::atomic<int> signal_number{0};
    std::atomic<bool> done{false};
    std::thread watcher([&] {
        std::vector<bool> invited(lesson.steps.size(), false);
        size_t seen = 0;
        while (!done) {
            const timespec wait{0, kWatchMs * 1000000L};
            if (const int got = sigtimedwait(&signals, nullptr, &wait); got > 0) {
                signal_number = got;
                cancel = true;
                return;
            }
            const core::LogView log = session.Log();
            for (; seen < log.size(); ++seen) {
                const core::Event& e = log[seen];
                if (e.phase != core::Phase::kEnter || e.step < 0) continue;
                const auto step = static_cast<size_t>(e.step);
                if (step >= lesson.steps.size() || !lesson.steps[step].outside_client ||
                    invited[step]) {
                    continue;
                }
                invited[step] = true;
                const core::SocketView* listener =
                    core::FindSocketByName(e.sockets, e.request.socket);
                if (!listener || !listener->local) continue;
                err << "sockstep export: step " << step + 1
                    << " waits for a real client program; from another terminal, try one of:\n";
                for (const std::string& c : core::OutsideClientCommands(*listener->local)) {
                    err << "    " << c << '\n';
                }
                err << std::flush;
            }
        }
    });
    session.RunToEnd(&cancel);
    done = true;
    watcher.join();
    return cancel ? signal_number.load() : 0;
}

// The numbers (1-based) of the steps whose call never returned.
std::vector<int> StepsNotRun(const core::LogView& log, size_t steps) {
    std::vector<bool> ended(steps, false);
    for (size_t i = 0; i < log.size(); ++i) {
        const core::Event& e = log[i];
        if (e.step < 0 || static_cast<size_t>(e.step) >= steps) continue;
        if (e.phase == core::Phase::kReturn || e.phase == core::Phase::kRefused) {
            ended[static_cast<size_t>(e.step)] = true;
        }
    }
    std::vector<int> numbers;
    for (size_t i = 0; i < steps; ++i) {
        if (!ended[i]) numbers.push_back(static_cast<int>(i) + 1);
    }
    return numbers;
}

class SignalMask {
  public:
    SignalMask() {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGINT);
        sigaddset(&m_set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
    }
    ~SignalMask() {
        const timespec zero{0, 0};
        while (sigtimedwait(&m_set, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SignalMask(const SignalMask&) = delete;
    SignalMask& operator=(const SignalMask&) = delete;
    const sigset_t& Set() const { return m_set; }

  private:
    sigset_t m_set{};
    sigset_t m_old{};
};

}  // namespace

int RunExport(const ExportOptions& options, std::optional<core::Lang> lang, std::ostream& out,
              std::ostream& err) {
    const core::Lang language = !options.lang.empty()
                                    ? core::ParseLang(options.lang).value_or(core::Lang::kEn)
                                    : lang.value_or(core::LangFromEnvironment());
    const auto format = ui::ParseExportFormat(options.format);
    if (!format) {
        err << "sockstep export: --format "
            << core::TerminalSafe(options.format, core::kMaxShownBytes)
            << ": not a format; use c, python, mermaid, svg or json\n";
        return kExitUsage;
    }
    core::LessonResult found = core::FindLesson(options.lesson, LessonFolders(options.lesson_dirs));
    if (const auto* errors = std::get_if<std::vector<core::LessonError>>(&found)) {
        for (const core::LessonError& e : *errors) err << e.Format() << '\n';
        err << "sockstep export: the lesson is not valid; nothing was written\n";
        return kExitUsage;
    }
    const core::Lesson lesson = std::get<core::Lesson>(std::move(found));
    // Before the lesson runs (server-alone waits for a real client): a path that cannot be
    // written is said now.
    if (auto error =
            ui::CheckExportPath(options.output, ui::ExportIsDirectory(*format), options.force)) {
        err << "sockstep export: " << *error << '\n';
        return kExitUsage;
    }

    std::variant<ui::ExportResult, ui::ExportError> exported;
    if (!ui::ExportNeedsLog(*format)) {
        exported = ui::Export(*format, lesson, core::LogView(), language);
    } else {
        SignalMask signals;  // before the session starts its workers, so they inherit it
        core::Session session;
        core::AddActors(session, lesson);
        session.SetScript(core::ToScript(lesson));
        err << "sockstep export: running the lesson '" << lesson.id
            << "' (real calls on loopback) ...\n"
            << std::flush;
        const core::CaptureStatus capture = session.Capture();
        if (!capture.active) {
            // The diagrams will say there are no packets; say here why, and how to allow it
            // (the reason names the command).
            err << "sockstep export: " << capture.reason << '\n';
        }
        if (const int signal_number = RunLesson(session, lesson, signals.Set(), err)) {
            err << "sockstep export: interrupted by " << SignalWords(signal_number)
                << "; steps that did not run: "
                << StepRanges(StepsNotRun(session.Log(), lesson.steps.size()))
                << "; nothing was written\n";
            return InterruptedExitCode(signal_number);
        }
        exported = ui::Export(*format, lesson, session.Log(), language);
    }
    if (const auto* error = std::get_if<ui::ExportError>(&exported)) {
        err << "sockstep export: the lesson '" << lesson.id << "' cannot be exported as "
            << options.format << ": " << core::TerminalSafe(error->message, 4096) << '\n';
        return kExitUsage;
    }
    const ui::ExportResult& result = std::get<ui::ExportResult>(exported);
    if (auto error = ui::WriteExport(result, options.output, options.force)) {
        err << "sockstep export: " << core::TerminalSafe(*error, 8192) << '\n';
        return kExitUsage;
    }
    const std::filesystem::path path(options.output);
    for (const ui::ExportedFile& f : result.files) {
        const std::string written = result.directory ? (path / f.name).string() : path.string();
        out << "wrote " << core::TerminalSafe(written, 4096) << '\n';
    }
    return kExitOk;
}

}  // namespace sockstep::app
