// The command line front door. CLI11 parses; each front end lives in its own file.
#include "cli.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "export_cli.h"
#include "gui_main.h"
#include "lesson_cli.h"
#include "option_checks.h"
#include "options.h"
#include "size_parse.h"
#include "sockstep/core/terminal_text.h"
#include "trace_run.h"
#include "version.h"

namespace sockstep::app {

int Main(int argc, char** argv, std::ostream& out, std::ostream& err) {
    CLI::App cli{"sockstep: step through real socket system calls on loopback, one click a call.",
                 "sockstep"};
    cli.set_version_flag("--version", VersionText(),
                         "Print the version and the commit it was built from, and exit");

    GuiOptions gui;
    std::string size_text;
    std::string lang_text;
    cli.add_option("--screenshot", gui.screenshot,
                   "Render --frames frames, write a PNG of the window to FILE and exit")
        ->check(NotEmpty("the PNG file to write"))
        ->type_name("FILE");
    cli.add_option("--layout-json", gui.layout_json,
                   "Render --frames frames, write the last one's layout (cards, clipped texts) as "
                   "JSON to FILE and exit")
        ->check(NotEmpty("the JSON file to write"))
        ->type_name("FILE");
    CLI::Option* frames_option =
        cli.add_option("--frames", gui.frames,
                       "Draw this many frames, then exit (with --screenshot: of the last one; "
                       "default 3), 1-10000")
            ->check(WholeNumberIn(1, 10000));
    cli.add_option("--size", size_text, "Window size, for example 1280x720")
        ->check(NotEmpty("WxH, for example 1280x720"))
        ->type_name("WxH");
    cli.add_option("--font-scale", gui.font_scale, "Text size, 1.0 to 3.0")
        ->check(NumberIn(1.0, 3.0));
    cli.add_option("--lang", lang_text, "Language: ko or en (default: from LC_ALL/LANG)")
        ->check(NotEmpty("ko or en"))
        ->check(CLI::IsMember({"ko", "en"}));
    cli.add_option("--theme", gui.theme, "Colours: dark, or light (high contrast, for projectors)")
        ->check(NotEmpty("dark or light"))
        ->check(CLI::IsMember({"dark", "light"}));
    cli.add_option("--steps", gui.steps, "Run this many lesson steps before the first frame")
        ->check(WholeNumberIn(0, 10000))
        ->type_name("N");
    // The file itself is opened (without blocking, regular files only) before any window.
    cli.add_option("--open-log", gui.open_log,
                   "View a saved JSON Lines log (history only: no socket is opened)")
        ->check(NotEmpty("the log file to open"))
        ->type_name("FILE");
    cli.add_flag("--kernel-table", gui.kernel_table, "Open the kernel socket table (like ss -tan)");
    cli.add_flag("--print-state", gui.print_state,
                 "Print a line on stdout whenever the next step, answers, history cursor or text "
                 "size change (for scripts and tests)");
    bool list_lessons = false;
    cli.add_flag("--list-lessons", list_lessons,
                 "List the lessons (id, title and the folder each comes from) and exit");
    cli.add_option("--lesson", gui.lesson,
                   "Open the window on this lesson: an id (built-in or from a lesson folder) or "
                   "a path to a .toml file")
        ->check(NotEmpty("a lesson id or a .toml file"))
        ->type_name("ID|PATH");
    AddLessonsOption(cli, gui.lesson_dirs);

    // sockstep check FILE...
    std::vector<std::string> check_files;
    CLI::App* check = cli.add_subcommand(
        "check", "Validate lesson files (exit 0 when all are valid, 1 otherwise)");
    check->add_option("files", check_files, "Lesson files (.toml)")
        ->required()
        ->check(NotEmpty("a lesson file"))
        ->type_name("FILE");

    // sockstep trace --lesson ID|PATH [...]
    TraceOptions trace_options;
    std::string trace_lang;
    CLI::App* trace = cli.add_subcommand(
        "trace", "Run a lesson in the terminal: a readable, strace-like trace of real calls");
    trace
        ->add_option("--lesson", trace_options.lesson,
                     "A lesson id (built-in or from a lesson folder) or a .toml file")
        ->required()
        ->check(NotEmpty("a lesson id or a .toml file"))
        ->type_name("ID|PATH");
    AddLessonsOption(*trace, trace_options.lesson_dirs);
    trace->add_option("--lang", trace_lang, "Language of the narration: ko or en")
        ->check(NotEmpty("ko or en"))
        ->check(CLI::IsMember({"ko", "en"}));
    trace->add_flag("--json", trace_options.json,
                    "Print the core's JSON Lines events instead of the readable trace");
    trace->add_option("--until", trace_options.until, "Stop after step N")
        ->type_name("STEP")
        ->check(WholeNumberIn(1, 100000));
    trace
        ->add_option("--hold", trace_options.hold_seconds,
                     "Keep every socket open this long at the end and print the ss command")
        ->type_name("SECONDS")
        ->check(NumberIn(0.0, 3600.0));
    trace
        ->add_option("--connect", trace_options.connect,
                     "Point the lesson's clients at a loopback listener outside sockstep")
        ->check(NotEmpty("HOST:PORT, for example 127.0.0.1:8080"))
        ->type_name("HOST:PORT");
    ExportOptions export_options;
    CLI::App* export_command = AddExportCommand(cli, export_options);
    cli.require_subcommand(0, 1);

    try {
        cli.parse(argc, argv);
        if (!size_text.empty()) {
            const auto size = ParseSize(size_text);
            if (!size) {
                throw CLI::ValidationError(
                    "--size", "'" + size_text + "' is not WxH with each side 320-7680");
            }
            gui.width = size->first;
            gui.height = size->second;
            gui.size_given = true;
        }
        gui.font_scale_given = cli.count("--font-scale") > 0;
        if (!lang_text.empty()) gui.lang = core::ParseLang(lang_text);
    } catch (const CLI::CallForHelp&) {
        out << cli.help();
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << cli.version() << '\n';
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        // CLI11 quotes the argument given, which may hold anything (a file name, an escape).
        err << "sockstep: " << core::TerminalSafeMessage(e.what()) << " (see sockstep --help)\n";
        return kExitUsage;
    }
    if (check->parsed()) return CheckLessonFiles(check_files, out, err);
    // `sockstep --lessons DIR trace …` names the folder before the command: it counts too,
    // after the command's own.
    auto with_main_dirs = [&](std::vector<std::string> dirs) {
        dirs.insert(dirs.end(), gui.lesson_dirs.begin(), gui.lesson_dirs.end());
        return dirs;
    };
    if (trace->parsed()) {
        if (!trace_lang.empty()) {
            trace_options.lang = core::ParseLang(trace_lang);
        } else if (!lang_text.empty()) {
            trace_options.lang = core::ParseLang(lang_text);
        }
        trace_options.lesson_dirs = with_main_dirs(trace_options.lesson_dirs);
        return RunTrace(trace_options, out, err);
    }
    if (export_command->parsed()) {
        export_options.lesson_dirs = with_main_dirs(export_options.lesson_dirs);
        return RunExport(export_options, gui.lang, out, err);
    }
    if (list_lessons) {
        return ListLessons(gui.lang.value_or(core::LangFromEnvironment()), gui.lesson_dirs, out,
                           err);
    }
    if (!gui.lesson.empty()) {
        // An invalid lesson is bad input: say why and open no window.
        if (const int code = ValidateGuiLesson(gui.lesson, gui.lesson_dirs, err); code != kExitOk) {
            return code;
        }
    }
    gui.frames_given = frames_option->count() > 0;
#if SOCKSTEP_HAVE_GUI
    return RunGui(gui, out, err);
#else
    err << "sockstep: this build has no window (built with SOCKSTEP_GUI=OFF); "
           "try sockstep trace --lesson handshake\n";
    return kExitUsage;
#endif
}

}  // namespace sockstep::app
