// The windowed front end: GLFW window, OpenGL 3.3 core, ImGui, the idle-throttled frame loop.
#pragma once

#include <iosfwd>

#include "options.h"

namespace sockstep::app {

// Runs until the window closes (or, with --screenshot, after the requested frames).
// Returns a process exit code; with no display it says so on `err` and returns 2.
int RunGui(const GuiOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sockstep::app
