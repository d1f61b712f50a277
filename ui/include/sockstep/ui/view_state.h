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
#include "sockstep/ui/card_height_memo.h"
#include "sockstep/ui/code_wrap.h"
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

// What a code listing was last scrolled for, in rows of the code font: it scrolls again only
// when this changes (another step, size or text size), so the learner may scroll away to read.
struct CodeScroll {
    int first = -1;  // the rows of the highlighted lines (else the next step's), -1: none
    int last = -1;
    int visible = 0;  // rows in view
    int total = 0;
    float row_height = 0;
    bool operator==(const CodeScroll&) const = default;
};
using CodeFocus = std::map<int, CodeScroll>;  // by actor

// The view's own part on top of what it shares with the Controller (SessionView): the fonts
// and keys of this frame, the panels, dialogs, animations and last frame's layout.
// One answer of the stage's form choice (stage.cpp's ChooseForm) for a scene and a rectangle:
// measuring every form lays out every card, so a frame that shows the same scene in the same
// rectangle (the idle frames, and the window's own question "does it fit?" before the stage is
// drawn) takes the answer instead of laying out a thousand cards a dozen times again.
struct StageFormMemo {
    BuildStamp scene;
    float width = 0;
    float height = 0;
    float font_size = 0;
    bool diagrams = true;
    // The answer.
    float scale = 1.0f;
    bool stacked = false;
    uint8_t form = 0;
    uint8_t fit = 0;
};

struct ViewState : SessionView {
    const FontSet* fonts = nullptr;     // null in headless tests: ImGui's default font
    KeyCodes keys;                      // the app's key codes (GLFW's)
    std::optional<KeyPress> key_press;  // this frame's queued press, if any
    bool kernel_table = false;
    // The code panel: open or folded to a one-line bar by the user (its button, View menu);
    // nullopt: folded only while the window leaves it too little room (main_window.cpp).
    std::optional<bool> code_panel;
    bool code_folded = false;  // the last frame drew the code panel as its bar
    bool diagrams = true;
    bool help = false;
    bool about = false;
    bool narration_whole = false;  // the narration's whole step, in a window of its own
    CallDialogState call_dialog;
    Animator animator;
    Layout layout;                       // last frame's
    CodeFocus code_focus;                // actor → what its listing was last scrolled for
    std::map<int, CodeWrap> code_wraps;  // actor → its listing's lines wrapped (code_panel.cpp)
    int code_tab_actor = -1;             // narrow windows show one program at a time: whose
    int code_tab_last_follow = -1;       // the actor whose call the panel last switched to
    std::vector<StageFormMemo> stage_forms;  // ChooseForm's answers for the scene shown
    CardHeightMemo card_heights;             // cards measured on earlier frames
};

}  // namespace sockstep::ui
