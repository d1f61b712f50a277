// The main window: client pane(s), the wire, the server pane.
#pragma once

#include "sockstep/core/lang.h"

namespace sockstep::ui {

struct MainWindowModel {
    core::Lang lang = core::Lang::kEn;
};

// Fills the whole viewport. Draw code only reads the model.
void DrawMainWindow(const MainWindowModel& model);

}  // namespace sockstep::ui
