// The command line front door. CLI11 parses; each front end lives in its own file.
#include "cli.h"

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "gui_main.h"
#include "options.h"
#include "size_parse.h"

namespace sockstep::app {

int Main(int argc, char** argv, std::ostream& out, std::ostream& err) {
    CLI::App cli{"sockstep: step through real socket system calls on loopback, one click a call.",
                 "sockstep"};
    cli.set_version_flag("--version", std::string("sockstep ") + SOCKSTEP_VERSION);

    GuiOptions gui;
    std::string size_text;
    std::string lang_text;
    cli.add_option("--screenshot", gui.screenshot,
                   "Render --frames frames, write a PNG of the window to FILE and exit")
        ->type_name("FILE");
    cli.add_option("--frames", gui.frames, "Frames to render before --screenshot (1-10000)")
        ->check(CLI::Range(1, 10000));
    cli.add_option("--size", size_text, "Window size, for example 1280x720")->type_name("WxH");
    cli.add_option("--font-scale", gui.font_scale, "Text size, 1.0 to 3.0")
        ->check(CLI::Range(1.0f, 3.0f));
    cli.add_option("--lang", lang_text, "Language: ko or en (default: from LC_ALL/LANG)")
        ->check(CLI::IsMember({"ko", "en"}));

    try {
        cli.parse(argc, argv);
        if (!size_text.empty()) {
            const auto size = ParseSize(size_text);
            if (!size) {
                throw CLI::ValidationError("--size", "'" + size_text +
                                                         "' is not WxH with each side 320-7680");
            }
            gui.width = size->first;
            gui.height = size->second;
        }
        if (!lang_text.empty()) gui.lang = core::ParseLang(lang_text);
    } catch (const CLI::CallForHelp&) {
        out << cli.help();
        return kExitOk;
    } catch (const CLI::CallForVersion&) {
        out << cli.version() << '\n';
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        err << "sockstep: " << e.what() << " (see sockstep --help)\n";
        return kExitUsage;
    }
    return RunGui(gui, out, err);
}

}  // namespace sockstep::app
