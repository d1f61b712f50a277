// The Controller: owns what the UI shows (a Session running a lesson or free play, or a saved
// log opened for replay) and turns the session intents into Session calls after each frame.
// No ImGui here: the headless tests and the app drive it the same way.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/lesson_catalog.h"
#include "sockstep/core/session.h"
#include "sockstep/model/c_program.h"
#include "sockstep/model/frame.h"
#include "sockstep/model/intents.h"
#include "sockstep/model/session_view.h"

namespace sockstep::ui {

// A lesson of the menu: one .toml file of a lesson folder (core::CatalogEntry).
struct LessonEntry {
    std::string key;  // what OpenLesson takes: the file's path
    std::filesystem::path path;
    core::LocalizedText title;                         // empty for a broken file
    std::string id;                                    // empty for a broken file
    core::LessonFolder folder;                         // where it came from
    std::vector<std::string> errors;                   // a broken file's `check` errors, formatted
    std::optional<std::filesystem::path> shadowed_by;  // a lesson of its id that wins
    bool Usable() const { return errors.empty() && !shadowed_by; }
};

// Seconds between two steps while playing, at speed 1.
inline constexpr float kPlayIntervalSeconds = 1.6f;
// How often the kernel is probed while something live changes on its own (a blocked call, a
// TIME-WAIT timer): a few times a second.
inline constexpr int64_t kProbeIntervalUs = 250'000;

class Controller {
  public:
    // Starts in free play, unless `free_play` is false: then there is no session until a
    // lesson, free play or a log is opened (the app, which opens one at once: every Session
    // opens a packet socket, and closing one waits for the kernel, 10-20 ms).
    explicit Controller(std::optional<std::filesystem::path> asset_dir, bool free_play = true);
    // The lessons of these folders (core::LessonFolders) instead of the built-in ones only.
    Controller(std::vector<core::LessonFolder> lesson_folders, bool free_play);
    ~Controller();
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    const std::vector<LessonEntry>& Catalog() const { return m_catalog; }
    // Opens a lesson by id or path ("" = free play). On failure the current one stays and
    // LessonErrors() says why.
    bool OpenLesson(const std::string& key);
    // Uses an already-parsed lesson (tests, or a lesson built in code).
    void UseLesson(core::Lesson lesson);
    void OpenFreePlay();
    // Opens a JSON Lines log for replay: no socket is opened. Returns an error, empty on success.
    std::string OpenLog(const std::filesystem::path& path);
    std::string SaveLog(const std::filesystem::path& path) const;
    // File → Export: the open lesson and the log so far, as `sockstep export` writes them.
    // Returns an error, empty on success.
    std::string ExportLesson(const ExportIntent& intent) const;
    // Back to what was open before the log: the same lesson (or free play), a fresh session.
    void CloseLog();
    // The calls of the live session (0 for a replay): what Reset, another lesson or opening a
    // log would discard. Apply holds those intents back and asks while this is not 0.
    size_t SessionSteps() const;

    // Acts on the session parts of `intents` (step, reset, play, calls, files …).
    void Apply(const Intents& intents, SessionView& view);
    // Advances playing by dt seconds (steps when the interval is up).
    void Update(float dt, SessionView& view);
    // Runs the next step now, as the Step button does. Returns what the session said.
    core::StepOutcome Step(SessionView& view);

    // Runs the next `count` steps headless (--steps, tests): a question is skipped, and a step
    // whose actor is still blocked waits for it, up to `timeout_ms` per step. Returns the steps
    // that ran.
    size_t RunSteps(size_t count, SessionView& view, int timeout_ms = 5000);

    // Fills the session parts of a frame (log, scene at the view's cursor, lesson, code …).
    void Fill(FrameModel& frame, const SessionView& view, core::Lang lang);

    // True while something live changes without any input: a blocked call, a kernel timer.
    bool NeedsTicking() const { return m_ticking; }
    // How often to redraw while ticking: tenths of a second show under 10 s, whole seconds after.
    double TickSeconds() const { return m_tick_fast ? 0.25 : 1.0; }
    bool Playing() const { return m_playing; }
    size_t LogSize() const { return CurrentLog().size(); }
    bool FileMode() const { return m_file_log != nullptr; }
    core::Session* session() { return m_session.get(); }
    const core::Lesson* lesson() const { return m_lesson ? &*m_lesson : nullptr; }
    const std::vector<std::string>& LessonErrors() const { return m_lesson_errors; }
    // Texts the font atlas needs besides the UI strings, in `lang`: the lesson's, the catalog's
    // titles, names and data in the log. GlyphGeneration() changes when they may have changed.
    std::string GlyphText(core::Lang lang) const;
    int GlyphGeneration() const { return m_glyph_generation; }

  private:
    StepState ComputeStepState(std::string* busy_actor, core::CallKind* busy_call) const;
    void NewSession(const std::vector<ActorInfo>& actors, std::vector<core::ScriptStep> script);
    void StepFile(SessionView& view);
    void ResetSession(SessionView& view);
    std::vector<ActorInfo> CurrentActors() const;
    core::LogView CurrentLog() const;

    std::vector<core::LessonFolder> m_lesson_folders;
    std::vector<LessonEntry> m_catalog;
    std::optional<core::Lesson> m_lesson;
    std::vector<core::ScriptStep> m_script;
    std::vector<ActorInfo> m_actors;
    std::unique_ptr<core::Session> m_session;
    std::unique_ptr<core::EventLog> m_file_log;
    std::string m_file_name;
    std::optional<core::Lesson> m_before_log;  // the lesson open before the log (none: free play)
    Intents m_held;                            // reset, lesson or open_log waiting for "discard?"
    DiscardReason m_held_reason = DiscardReason::kNone;
    std::vector<std::string> m_lesson_errors;
    std::map<int, int> m_answers;
    std::map<int, bool> m_skipped;
    bool m_playing = false;
    float m_speed = 1.0f;
    float m_play_accum = 0.0f;
    bool m_ticking = false;
    bool m_tick_fast = false;
    core::Snapshot m_probe;
    int64_t m_probe_us = -1;
    int m_generation = 0;  // bumped when the session, lesson or file changes
    int m_glyph_generation = 0;
    size_t m_glyph_scanned = 0;
    ProgramBuilder m_programs;  // the code panel's programs, written as the log grows
    SceneScan m_scene_scan;     // what the scene has read of the log, read on as it grows
};

}  // namespace sockstep::ui
