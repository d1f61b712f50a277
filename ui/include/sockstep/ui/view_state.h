// ViewState: what only the view cares about and keeps between frames: the timeline cursor,
// which panels are open, the dialogs' fields, notices, animations, last frame's layout.
// The draw code may change it directly; anything that touches the session or the window goes
// through Intents instead.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/call.h"
#include "sockstep/model/session_view.h"
#include "sockstep/ui/animation.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/keys.h"
#include "sockstep/ui/layout.h"

namespace sockstep::ui {

struct CallDialogState {
    bool open = false;  // open the popup next frame
    int actor = 0;
    int socket_id = -1;  // -1: socket() (no socket yet)
    std::string socket;  // the socket's name
    core::CallRequest request;
    std::string peer;  // bind/connect/sendto: another socket's address, or empty
    int port = 0;
};

// The view's own part on top of what it shares with the Controller (SessionView): the fonts
// and keys of this frame, the panels, dialogs, animations and last frame's layout.
struct ViewState : SessionView {
    const FontSet* fonts = nullptr;     // null in headless tests: ImGui's default font
    KeyCodes keys;                      // the app's key codes (GLFW's)
    std::optional<KeyPress> key_press;  // this frame's queued press, if any
    bool kernel_table = false;
    bool diagrams = true;
    bool help = false;
    bool about = false;
    CallDialogState call_dialog;
    Animator animator;
    Layout layout;                  // last frame's
    std::map<int, int> code_focus;  // actor → the code line last scrolled to
    int code_tab_actor = -1;        // narrow windows show one program at a time: whose
};

}  // namespace sockstep::ui
