// SessionView: what the view and the Controller share between frames: the timeline cursor, the
// file dialog's request and its answer, and what the animations have seen. No ImGui: the
// Controller reads and answers it without a window; ViewState (the view's own) builds on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sockstep/model/c_program.h"
#include "sockstep/model/file_browser.h"

namespace sockstep::ui {

enum class FileAction : uint8_t {
    kNone,
    kOpenLog,
    kSaveLog,
    kExportPng,
    kExportC,       // the lesson as C programs (a folder)
    kExportPython,  // the lesson as Python programs (a folder)
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

struct SessionView {
    std::optional<size_t> cursor;  // events shown; nullopt: live (follows the log)
    FileDialogState file_dialog;
    size_t seen_events = 0;           // events the view has taken in (and animated, if live)
    bool restart_animations = false;  // the log was replaced: the view drops its animations
    float speed = 1.0f;               // animations run at this multiple (the play speed)
    CodeLanguage code_language = CodeLanguage::kC;  // the programs' language (remembered)
    std::string notice;  // a line shown for a while (a file saved, an error)
    bool notice_error = false;
    double notice_until = 0.0;  // `time` when it disappears
    double time = 0.0;          // the view's clock at this frame (ImGui::GetTime())

    bool Live() const { return !cursor.has_value(); }
    void Notify(std::string text, bool error, double seconds = 6.0) {
        notice = std::move(text);
        notice_error = error;
        notice_until = time + seconds;
    }
};

}  // namespace sockstep::ui
