// FrameModel: everything one frame draws, read-only. The front end (Controller + app) fills it;
// the Draw* functions only read it and return intents.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/lesson.h"
#include "sockstep/ui/c_program.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/scene.h"
#include "sockstep/ui/theme.h"

namespace sockstep::ui {

// The key codes the shortcuts use, as indexes into io.KeysDown. The app passes GLFW's codes
// (the GLFW backend fills KeysDown by them), so ui/ needs no GLFW header. -1: no such key.
struct KeyCodes {
    int space = -1;
    int left = -1;
    int right = -1;
    int home = -1;
    int end = -1;
    int r = -1;
    int p = -1;
    int l = -1;
    int k = -1;
    int f1 = -1;
    int f11 = -1;
    int escape = -1;
    int equal = -1;  // '=' and, with shift, '+'
    int minus = -1;
    int kp_add = -1;
    int kp_subtract = -1;
    int slash = -1;    // '/' and, with shift, '?'
    int o = -1;        // Ctrl+O: File → Open log
    int page_up = -1;  // what presenter clickers send for "back"
    int page_down = -1;
    int answer_digit[3] = {-1, -1, -1};   // 1, 2, 3: the question's first three choices
    int answer_keypad[3] = {-1, -1, -1};  // the same on the keypad
    int answer_letter[3] = {-1, -1, -1};  // A, B, C: the choices' own labels
};

// One key press (or typed character) from the window system. The app queues them in its GLFW
// callbacks and hands over one a frame: ImGui 1.86 keeps only key state (io.KeysDown), so a press
// and release between two frames would never be seen as a press.
struct KeyPress {
    int key = -1;          // a KeyCodes code; -1 for a typed character
    unsigned int chr = 0;  // the typed character when key is -1 ('+', '-', '?' on any layout)
    bool repeat = false;   // held down: the system's key repeat
    bool shift = false;
    bool ctrl = false;
    bool alt = false;
    bool super = false;
};

// What waits for the learner's answer before it drops a live session with history.
enum class DiscardReason : uint8_t {
    kNone,
    kReset,
    kLesson,
    kOpenLog,
};

// Why Step can or cannot run now.
enum class StepState : uint8_t {
    kReady,
    kBusy,        // the next step's actor is still blocked in its previous call
    kNeedAnswer,  // the next step asks a question first
    kDone,        // no more steps
    kFile,        // viewing a saved log: Step moves through it
    kNoScript,    // free play: there are no steps
};

struct LessonChoice {
    std::string key;  // what Intents::lesson takes: the lesson id or the file path
    std::string title;
};

// What a frame's scene or code was built from. Controller::Fill rebuilds them only when this
// changes, so a FrameModel kept from frame to frame (as the app does) skips the work: with 1,000
// sockets, building the scene costs more than drawing it.
struct BuildStamp {
    int generation = -1;  // the controller's session/lesson/file generation
    size_t events = static_cast<size_t>(-1);
    size_t cursor = static_cast<size_t>(-1);
    int64_t probe_us = -2;
    size_t actors = static_cast<size_t>(-1);
    core::Lang lang = core::Lang::kEn;
    CodeLanguage code = CodeLanguage::kC;
    bool operator==(const BuildStamp&) const = default;
};

// Whether the packets on the wire are being captured (live), and if not, why not.
struct CaptureInfo {
    bool live = false;    // a live session (not a saved log)
    bool active = false;  // live: capturing on lo
    std::string reason;   // live and inactive: the core's sentence (English)
    std::string command;  // live and inactive for want of CAP_NET_RAW: the setcap command
    int error = 0;
    uint64_t dropped = 0;
};

struct FrameModel {
    core::Lang lang = core::Lang::kEn;
    Theme theme = Theme::kDark;
    float font_scale = 1.0f;
    bool font_scale_auto = false;    // the size follows the window (the user chose none)
    const FontSet* fonts = nullptr;  // null in headless tests: ImGui's default font
    KeyCodes keys;
    std::optional<KeyPress> key_press;  // this frame's queued press, if any
    bool fullscreen = false;

    core::LogView log;
    SceneModel scene;
    int64_t now_us = 0;  // the log's clock now (live durations and countdowns)
    std::vector<ActorInfo> actors;
    const core::Lesson* lesson = nullptr;  // null in free play and for a loaded log
    std::vector<LessonChoice> lessons;
    int lesson_index = -1;  // into `lessons`; -1: free play or a loaded log
    std::vector<ActorProgram> programs;
    size_t script_size = 0;
    size_t next_step = 0;  // the step Step would run
    StepState step_state = StepState::kNoScript;
    std::string busy_actor;  // kBusy: who is blocked, and in what
    core::CallKind busy_call = core::CallKind::kAccept;
    const std::map<int, int>* answers = nullptr;   // script step → chosen answer
    const std::map<int, bool>* skipped = nullptr;  // script step → question skipped
    bool playing = false;
    float speed = 1.0f;
    bool file_mode = false;
    std::string file_name;
    DiscardReason discard = DiscardReason::kNone;  // not kNone: ask before discarding
    size_t discard_steps = 0;                      // the calls the session would lose
    std::vector<std::string> lesson_errors;        // the chosen lesson could not be loaded

    CaptureInfo capture;
    BuildStamp scene_stamp;     // what `scene` was built from
    BuildStamp programs_stamp;  // what `programs` was built from
};

}  // namespace sockstep::ui
