// Intents: what the draw code asks for. Drawing never makes a socket call, never touches a file
// and never rebuilds fonts; it records an intent, and after the frame the front end acts on it
// (Controller::Apply for the session, the app for the window, fonts and files).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "sockstep/core/call.h"
#include "sockstep/core/lang.h"
#include "sockstep/model/theme_choice.h"

namespace sockstep::ui {

struct CallIntent {
    int actor = 0;
    core::CallRequest request;
};

// File → Export: the open lesson, with the calls run so far, as `format` at `path`.
struct ExportIntent {
    int format = 0;  // ui::ExportFormat
    std::string path;
    bool overwrite = false;
    core::Lang lang = core::Lang::kEn;
};

struct Intents {
    // The session.
    bool step = false;
    bool reset = false;
    std::optional<bool> play;
    std::optional<float> speed;
    std::optional<std::string> lesson;  // a lesson id or path; "" for free play
    std::optional<CallIntent> call;
    bool new_client = false;
    std::optional<std::pair<int, int>> answer;  // script step, chosen answer
    std::optional<int> skip_question;           // script step
    // Files.
    std::optional<std::string> save_log;
    std::optional<std::string> open_log;
    std::optional<std::string> export_png;
    std::optional<ExportIntent> export_lesson;
    bool close_log = false;
    // The answer to "Discard the N steps of this session?": true discards it and does what was
    // held back (open a log, another lesson, reset), false keeps the session.
    std::optional<bool> discard;
    // The window and its settings.
    std::optional<core::Lang> lang;
    std::optional<float> font_scale;
    bool font_scale_auto = false;  // back to the size that follows the window
    std::optional<Theme> theme;
    bool toggle_fullscreen = false;
    bool quit = false;

    bool Any() const {
        return step || reset || play || speed || lesson || call || new_client || answer ||
               skip_question || save_log || open_log || export_png || export_lesson || close_log ||
               discard || lang || font_scale || font_scale_auto || theme || toggle_fullscreen ||
               quit;
    }
};

// Text sizes the toolbar and the +/- keys step through (the atlas is rebuilt at each).
inline constexpr float kMinFontScale = 1.0f;
inline constexpr float kMaxFontScale = 3.0f;
inline constexpr float kFontScaleStep = 0.25f;

}  // namespace sockstep::ui
