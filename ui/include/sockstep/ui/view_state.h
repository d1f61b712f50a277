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
#include "sockstep/ui/animation.h"
#include "sockstep/ui/c_program.h"
#include "sockstep/ui/code_wrap.h"
#include "sockstep/ui/file_browser.h"
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

enum class FileAction : uint8_t {
    kNone,
    kOpenLog,
    kSaveLog,
    kExportPng,
    kExportC,  // the lesson as C programs (a folder)
    kExportMermaid,
    kExportSvg,
};

struct FileDialogState {
    FileAction action = FileAction::kNone;
    bool open = false;   // open the popup next frame
    bool focus = false;  // give the path field the keyboard until it has it
    std::string path;
    bool overwrite = false;  // exports: replace files that exist (sockstep export --force)
    std::string folder;      // the folder shown; kept between dialogs (and in settings.json)
    FolderListing listing;   // `folder` as last read (read again when the folder changes)
    bool reread = true;      // read `folder` again next frame
    std::string error;       // why the last Open/Save/Export failed: the dialog stays open
    bool done = false;       // it worked (or waits for "discard?"): close the dialog
    size_t rows_drawn = 0;   // list rows drawn last frame (the clipper draws only visible ones)
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

struct ViewState {
    std::optional<size_t> cursor;  // events shown; nullopt: live (follows the log)
    bool kernel_table = false;
    // The code panel: open or folded to a one-line bar by the user (its button, View menu);
    // nullopt: folded only while the window leaves it too little room (main_window.cpp).
    std::optional<bool> code_panel;
    bool code_folded = false;  // the last frame drew the code panel as its bar
    bool diagrams = true;
    CodeLanguage code_language = CodeLanguage::kC;  // the code panel's programs (remembered)
    bool help = false;
    bool about = false;
    bool narration_whole = false;  // the narration's whole step, in a window of its own
    CallDialogState call_dialog;
    FileDialogState file_dialog;
    std::string notice;
    bool notice_error = false;
    double notice_until = 0.0;  // ImGui::GetTime() when it disappears
    double time = 0.0;          // ImGui::GetTime() of this frame
    Animator animator;
    size_t seen_events = 0;              // events already animated
    Layout layout;                       // last frame's
    CodeFocus code_focus;                // actor → what its listing was last scrolled for
    std::map<int, CodeWrap> code_wraps;  // actor → its listing's lines wrapped (code_panel.cpp)
    int code_tab_actor = -1;             // narrow windows show one program at a time: whose
    int code_tab_last_follow = -1;       // the actor whose call the panel last switched to
    float speed = 1.0f;                  // animations run at this multiple (the play speed)

    bool Live() const { return !cursor.has_value(); }
    void Notify(std::string text, bool error, double seconds = 6.0) {
        notice = std::move(text);
        notice_error = error;
        notice_until = time + seconds;
    }
};

}  // namespace sockstep::ui
