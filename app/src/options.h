// The command line as data: what the user asked for, parsed by CLI11 in cli.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/lang.h"

namespace sockstep::app {

struct GuiOptions {
    std::optional<std::string> screenshot;  // write a PNG of the window after `frames` frames
    // write the layout dump (docs/LAYOUT.md) of the same frame as JSON
    std::optional<std::string> layout_json;
    int frames = 3;
    bool frames_given = false;  // --frames alone: draw that many frames, then exit
    int width = 1280;
    int height = 720;
    bool size_given = false;  // --size was given: it wins over the remembered window size
    float font_scale = 1.0f;
    bool font_scale_given = false;   // --font-scale was given: it wins over the remembered one
    std::optional<core::Lang> lang;  // unset: from the config file, else the locale
    std::string lesson;              // id or path; empty: the first built-in lesson
    std::vector<std::string> lesson_dirs;  // each --lessons DIR, in the order given
    int steps = 0;                         // run this many lesson steps before the first frame
    std::string theme;                    // "dark" or "light"; empty: the remembered one, else dark
    std::optional<std::string> open_log;  // a saved JSON Lines log to replay (no socket opened)
    bool kernel_table = false;            // open the kernel socket table beside the panes
    bool print_state = false;             // a stdout line each time the presenter's state changes
};

}  // namespace sockstep::app
