// The command line as data: what the user asked for, parsed by CLI11 in cli.cpp.
#pragma once

#include <optional>
#include <string>

#include "sockstep/core/lang.h"

namespace sockstep::app {

struct GuiOptions {
    std::optional<std::string> screenshot;  // write a PNG of the window after `frames` frames
    int frames = 3;
    int width = 1280;
    int height = 720;
    float font_scale = 1.0f;
    std::optional<core::Lang> lang;  // unset: from the config file, else the locale
    std::string lesson;              // id or path; empty: the first built-in lesson
};

}  // namespace sockstep::app
