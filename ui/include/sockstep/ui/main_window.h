// The main window: menu and toolbar, client pane(s) | connections | server pane(s), the kernel
// socket table beside them, narration and code below, the timeline at the bottom.
#pragma once

#include "sockstep/model/frame.h"
#include "sockstep/model/intents.h"
#include "sockstep/ui/view_state.h"

namespace sockstep::ui {

// Fills the whole viewport. Reads `frame`, keeps view-only state in `view`, and returns what
// the front end should do after the frame.
Intents DrawMainWindow(const FrameModel& frame, ViewState& view);

}  // namespace sockstep::ui
