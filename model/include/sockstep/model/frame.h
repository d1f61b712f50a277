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
#include "sockstep/model/c_program.h"
#include "sockstep/model/scene.h"
#include "sockstep/model/theme_choice.h"

namespace sockstep::ui {

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
    // "" for a built-in lesson, else the origin and folder it came from
    // ("--lessons /srv/course"): the menu groups lessons under it.
    std::string source;
    // Why it cannot be chosen, "" when it can: a broken file's first `check` error, or the file
    // of the same id that shadows it.
    std::string unusable;
    std::vector<std::string> errors;  // all of a broken file's `check` errors, for the tooltip
    bool broken = false;              // not a lesson (errors), as against shadowed
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

// What the timeline draws of one event: its phase, and whether the call failed.
struct EventMark {
    core::Phase phase = core::Phase::kEnter;
    bool failed = false;  // a Return with an errno
};

struct FrameModel {
    core::Lang lang = core::Lang::kEn;
    Theme theme = Theme::kDark;
    float font_scale = 1.0f;
    bool font_scale_auto = false;  // the size follows the window (the user chose none)
    bool fullscreen = false;

    core::LogView log;
    // One mark per event of `log`, appended as it grows: the strip reads these bytes, not the
    // thousands of events of a kilobyte each that 1,000 clients log.
    std::vector<EventMark> marks;
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
    int marks_generation = -1;  // the Controller's generation `marks` were read in
};

}  // namespace sockstep::ui
