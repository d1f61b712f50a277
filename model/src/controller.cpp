// The Controller: lesson catalog, the Session and its script, a loaded log, play, and the
// session intents applied after each frame.
#include "sockstep/model/controller.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>
#include <utility>

#include "sockstep/core/trace_json.h"
#include "sockstep/core/user_file.h"
#include "sockstep/model/export.h"
#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

// A saved log of a lesson is kilobytes; a file this big is not one, and is not read into memory.
constexpr std::uintmax_t kMaxLogBytes = std::uintmax_t{256} << 20;

bool HasNonAscii(const std::string& text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// The file dialog after its Open, Save or Export ran: closed when it worked, else open with
// the reason.
void Answer(FileDialogState& dialog, const std::string& error) {
    if (dialog.action == FileAction::kNone) return;
    dialog.error = error;
    dialog.done = error.empty();
}

bool EndsCall(core::Phase phase) {
    return phase != core::Phase::kEnter;
}

}  // namespace

namespace {

std::vector<core::LessonFolder> BuiltinFolder(const std::optional<fs::path>& asset_dir) {
    if (!asset_dir) return {};
    return {{*asset_dir / "lessons", core::LessonOrigin::kBuiltin}};
}

}  // namespace

Controller::Controller(std::optional<fs::path> asset_dir, bool free_play)
    : Controller(BuiltinFolder(asset_dir), free_play) {}

Controller::Controller(std::vector<core::LessonFolder> lesson_folders, bool free_play)
    : m_lesson_folders(std::move(lesson_folders)) {
    core::LessonCatalog catalog = core::ReadLessonCatalog(m_lesson_folders);
    for (core::CatalogEntry& e : catalog.entries) {
        LessonEntry entry;
        entry.key = e.file.string();
        entry.path = e.file;
        entry.folder = e.folder;
        entry.shadowed_by = e.shadowed_by;
        if (e.lesson) {
            entry.id = e.lesson->id;
            entry.title = e.lesson->title;
        }
        for (const core::LessonError& error : e.errors) entry.errors.push_back(error.Format());
        m_catalog.push_back(std::move(entry));
    }
    if (free_play) OpenFreePlay();
}

Controller::~Controller() = default;

void Controller::NewSession(const std::vector<ActorInfo>& actors,
                            std::vector<core::ScriptStep> script) {
    // A Session cannot drop actors: a new lesson gets a new Session (the old one's destructor
    // interrupts any blocked call, closes every descriptor and joins its workers).
    m_session.reset();
    m_session = std::make_unique<core::Session>();
    m_actors = actors;
    for (const ActorInfo& a : actors) {
        m_session->AddActor({a.name, a.role, core::Family::kInet});
    }
    m_script = std::move(script);
    m_session->SetScript(m_script);
    m_answers.clear();
    m_skipped.clear();
    m_playing = false;
    m_play_accum = 0;
    m_probe.clear();
    m_probe_us = -1;
    ++m_generation;
    ++m_glyph_generation;
    m_glyph_scanned = 0;
}

void Controller::OpenFreePlay() {
    m_lesson.reset();
    m_lesson_errors.clear();
    m_file_log.reset();
    m_before_log.reset();
    NewSession({{"server", core::Role::kServer}, {"client", core::Role::kClient}}, {});
}

void Controller::UseLesson(core::Lesson lesson) {
    m_file_log.reset();
    m_before_log.reset();
    m_lesson_errors.clear();
    // AddActors knows each actor's address family; NewSession is only used for its reset.
    std::vector<ActorInfo> actors;
    for (const core::LessonActor& a : lesson.actors) actors.push_back({a.name, a.role});
    NewSession({}, {});
    m_actors = actors;
    core::AddActors(*m_session, lesson);
    m_script = core::ToScript(lesson);
    m_session->SetScript(m_script);
    m_lesson = std::move(lesson);
}

bool Controller::OpenLesson(const std::string& key) {
    if (key.empty()) {
        OpenFreePlay();
        return true;
    }
    core::LessonResult result = core::FindLesson(key, m_lesson_folders);
    if (auto* errors = std::get_if<std::vector<core::LessonError>>(&result)) {
        m_lesson_errors.clear();
        for (const core::LessonError& e : *errors) m_lesson_errors.push_back(e.Format());
        return false;
    }
    UseLesson(std::move(std::get<core::Lesson>(result)));
    return true;
}

std::string Controller::ExportLesson(const ExportIntent& intent) const {
    if (!m_lesson) return Tr(Text::kExportNeedsLesson, intent.lang);
    const auto format = static_cast<ExportFormat>(intent.format);
    // The lesson with what ran so far: the same functions as `sockstep export`.
    auto result = Export(format, *m_lesson, CurrentLog(), intent.lang);
    if (const auto* error = std::get_if<ExportError>(&result)) return error->message;
    // The window has no --force: the message names its checkbox.
    const std::string how =
        Fmt(Text::kReplaceHint, intent.lang, {Tr(Text::kOverwrite, intent.lang)});
    const auto written =
        WriteExport(std::get<ExportResult>(result), fs::path(intent.path), intent.overwrite, how);
    return written.value_or("");
}

std::string Controller::OpenLog(const fs::path& path) {
    // Never blocks on a FIFO, never reads what is not a regular file.
    std::string text;
    if (auto problem = core::ReadUserFile(path, kMaxLogBytes, text)) {
        return path.string() + ": cannot read the file: " + *problem;
    }
    std::istringstream in(std::move(text));
    auto result = core::ReadJsonLines(in);
    if (const auto* error = std::get_if<core::TraceError>(&result)) {
        // "file:5: message": the reader's own "line 5: " prefix would say the line twice.
        std::string message = error->message;
        const std::string said = "line " + std::to_string(error->line) + ": ";
        if (message.rfind(said, 0) == 0) message.erase(0, said.size());
        return path.string() + ":" + std::to_string(error->line) + ": " + message;
    }
    auto log = std::make_unique<core::EventLog>();
    for (core::Event& e : std::get<std::vector<core::Event>>(result)) log->Append(std::move(e));
    // A replay opens no socket: the live session is dropped (its sockets closed) first. Closing
    // the log comes back to the lesson that was open (a log over a log keeps the first one's).
    if (!m_file_log) m_before_log = std::move(m_lesson);
    m_session.reset();
    m_lesson.reset();
    m_script.clear();
    m_file_log = std::move(log);
    m_file_name = path.filename().string();
    m_actors = InferActors(m_file_log->View());
    m_answers.clear();
    m_skipped.clear();
    m_playing = false;
    ++m_generation;
    ++m_glyph_generation;
    m_glyph_scanned = 0;
    return {};
}

std::string Controller::SaveLog(const fs::path& path) const {
    std::ostringstream out;
    core::WriteJsonLines(CurrentLog(), out);
    // A temporary file renamed into place: a failed write never leaves half a log.
    return core::WriteUserFile(path, out.str(), /*replace=*/true).value_or("");
}

void Controller::CloseLog() {
    if (!m_file_log) return;
    // The lesson as it was parsed then: a file changed or deleted since cannot take it away.
    if (m_before_log) {
        UseLesson(*std::exchange(m_before_log, std::nullopt));
    } else {
        OpenFreePlay();
    }
}

size_t Controller::SessionSteps() const {
    if (m_file_log || !m_session) return 0;
    const core::LogView log = m_session->Log();
    size_t calls = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].phase == core::Phase::kEnter || log[i].phase == core::Phase::kRefused) ++calls;
    }
    return calls;
}

core::LogView Controller::CurrentLog() const {
    if (m_file_log) return m_file_log->View();
    return m_session ? m_session->Log() : core::LogView();
}

std::vector<ActorInfo> Controller::CurrentActors() const {
    if (m_file_log || !m_session) return m_actors;
    std::vector<ActorInfo> out;
    for (const core::ActorStatus& s : m_session->Actors()) out.push_back({s.name, s.role});
    return out;
}

StepState Controller::ComputeStepState(std::string* busy_actor, core::CallKind* busy_call) const {
    if (m_file_log) return StepState::kFile;
    if (!m_session || m_script.empty()) return StepState::kNoScript;
    const size_t next = m_session->NextStepIndex();
    if (next >= m_script.size()) return StepState::kDone;
    const auto actor = static_cast<size_t>(m_script[next].actor);
    const std::vector<core::ActorStatus> actors = m_session->Actors();
    if (actor < actors.size() && actors[actor].activity != core::ActorActivity::kIdle) {
        if (busy_actor) *busy_actor = actors[actor].name;
        if (busy_call) *busy_call = actors[actor].call;
        return StepState::kBusy;
    }
    if (m_lesson && next < m_lesson->steps.size() && m_lesson->steps[next].question) {
        const int step = static_cast<int>(next);
        if (!m_answers.count(step) && !m_skipped.count(step)) return StepState::kNeedAnswer;
    }
    return StepState::kReady;
}

void Controller::StepFile(SessionView& view) {
    const core::LogView log = m_file_log->View();
    size_t cursor = view.cursor.value_or(log.size());
    if (cursor >= log.size()) {
        cursor = 0;  // at the end: start the replay from the beginning
    }
    // Forward to the end of the next call (its Return, Blocked, … event).
    size_t i = cursor;
    while (i < log.size() && !EndsCall(log[i].phase)) ++i;
    cursor = std::min(i + 1, log.size());
    view.cursor = cursor >= log.size() ? std::nullopt : std::optional<size_t>(cursor);
}

core::StepOutcome Controller::Step(SessionView& view) {
    if (m_file_log) {
        StepFile(view);
        return core::StepOutcome::kReturned;
    }
    if (!m_session) return core::StepOutcome::kNoMoreSteps;
    view.cursor.reset();  // a new call is made now: show it live
    const StepState state = ComputeStepState(nullptr, nullptr);
    if (state == StepState::kNeedAnswer) return core::StepOutcome::kBusy;
    if (state == StepState::kBusy) return core::StepOutcome::kBusy;
    if (state == StepState::kDone || state == StepState::kNoScript) {
        return core::StepOutcome::kNoMoreSteps;
    }
    return m_session->StepNext();
}

size_t Controller::RunSteps(size_t count, SessionView& view, int timeout_ms) {
    if (m_file_log) {
        // A replay: each step shows the next recorded call.
        for (size_t i = 0; i < count; ++i) StepFile(view);
        return count;
    }
    if (!m_session) return 0;
    size_t ran = 0;
    while (ran < count) {
        const StepState state = ComputeStepState(nullptr, nullptr);
        if (state == StepState::kDone || state == StepState::kNoScript) break;
        const size_t next = m_session->NextStepIndex();
        if (state == StepState::kNeedAnswer) {
            m_skipped[static_cast<int>(next)] = true;
            continue;
        }
        if (state == StepState::kBusy) {
            // Wait for the blocked actor the way its program would, but not forever.
            std::atomic<bool> cancel{false};
            const int actor = m_script[next].actor;
            std::thread timer([&cancel, timeout_ms] {
                for (int waited = 0; waited < timeout_ms && !cancel.load(); waited += 5) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
                cancel = true;
            });
            const bool idle = m_session->WaitIdle(actor, &cancel);
            cancel = true;
            timer.join();
            if (!idle) break;
            continue;
        }
        Step(view);
        ++ran;
    }
    return ran;
}

void Controller::ResetSession(SessionView& view) {
    view.cursor.reset();
    view.restart_animations = true;
    view.seen_events = 0;
    m_playing = false;
    m_play_accum = 0;
    m_answers.clear();
    m_skipped.clear();
    m_probe.clear();
    m_probe_us = -1;
    if (m_file_log) return;
    if (m_session) m_session->Reset();
    ++m_generation;
}

void Controller::Apply(const Intents& given, SessionView& view) {
    Intents in = given;
    if (in.discard) {
        // The answer: Discard does what was held back, Keep drops it.
        if (*in.discard) {
            if (m_held.open_log) in.open_log = m_held.open_log;
            if (m_held.lesson) in.lesson = m_held.lesson;
            in.reset = in.reset || m_held.reset;
        }
        m_held = {};
        m_held_reason = DiscardReason::kNone;
    } else if ((in.open_log || in.lesson || in.reset) && SessionSteps() > 0) {
        // A live session with history is not dropped by one click: hold the intent and ask.
        m_held = {};
        m_held.open_log = std::exchange(in.open_log, std::nullopt);
        m_held.lesson = std::exchange(in.lesson, std::nullopt);
        m_held.reset = std::exchange(in.reset, false);
        if (m_held.open_log) Answer(view.file_dialog, "");  // the question replaces the dialog
        m_held_reason = m_held.open_log ? DiscardReason::kOpenLog
                        : m_held.lesson ? DiscardReason::kLesson
                                        : DiscardReason::kReset;
    }
    if (in.open_log) {
        const std::string error = OpenLog(*in.open_log);
        if (error.empty()) {
            view.cursor.reset();
            view.restart_animations = true;
            view.seen_events = CurrentLog().size();  // a replay starts still, not animating
        }
        view.Notify(error.empty() ? *in.open_log : error, !error.empty());
        Answer(view.file_dialog, error);
    }
    if (in.save_log) {
        const std::string error = SaveLog(*in.save_log);
        view.Notify(error.empty() ? *in.save_log : error, !error.empty());
        Answer(view.file_dialog, error);
    }
    if (in.export_lesson) {
        const std::string error = ExportLesson(*in.export_lesson);
        Answer(view.file_dialog, error);
        view.Notify(error.empty()
                        ? Fmt(Text::kWrotePng, in.export_lesson->lang, {in.export_lesson->path})
                        : error,
                    !error.empty());
    }
    if (in.close_log) {
        CloseLog();
        view.cursor.reset();
        view.restart_animations = true;
        view.seen_events = 0;
    }
    if (in.lesson) {
        if (OpenLesson(*in.lesson)) {
            view.cursor.reset();
            view.restart_animations = true;
            view.seen_events = 0;
        }
    }
    if (in.reset) ResetSession(view);
    if (in.speed) m_speed = std::clamp(*in.speed, 0.25f, 4.0f);
    if (in.answer) m_answers[in.answer->first] = in.answer->second;
    if (in.skip_question) m_skipped[*in.skip_question] = true;
    if (in.new_client && m_session && !m_file_log) {
        std::vector<core::ActorStatus> actors = m_session->Actors();
        for (int n = 2;; ++n) {
            const std::string name = "client" + std::to_string(n);
            if (std::none_of(actors.begin(), actors.end(),
                             [&](const core::ActorStatus& a) { return a.name == name; })) {
                m_session->AddActor({name, core::Role::kClient, core::Family::kInet});
                m_actors.push_back({name, core::Role::kClient});
                break;
            }
        }
    }
    if (in.call && m_session && !m_file_log) {
        view.cursor.reset();
        m_session->Call(in.call->actor, in.call->request);
    }
    if (in.step) Step(view);
    if (in.play) {
        m_playing = *in.play;
        // The first step of a play comes at once: pressing Play must visibly do something.
        m_play_accum = kPlayIntervalSeconds;
        if (m_playing && !m_file_log) view.cursor.reset();
    }
    view.speed = m_speed;
}

void Controller::Update(float dt, SessionView& view) {
    view.speed = m_speed;
    if (!m_playing) return;
    m_play_accum += dt * m_speed;
    if (m_play_accum < kPlayIntervalSeconds) return;
    m_play_accum = 0;
    if (m_file_log) {
        StepFile(view);
        if (view.Live()) m_playing = false;  // reached the end of the replay
        return;
    }
    switch (ComputeStepState(nullptr, nullptr)) {
        case StepState::kReady:
            Step(view);
            break;
        case StepState::kBusy:
            break;  // a blocked actor: wait, as its program would
        default:
            m_playing = false;  // a question to answer, or nothing left
            break;
    }
}

void Controller::Fill(FrameModel& f, const SessionView& view, core::Lang lang) {
    f.log = CurrentLog();
    f.actors = CurrentActors();
    const size_t cursor = std::min(view.cursor.value_or(f.log.size()), f.log.size());

    // Probe the kernel while something changes on its own, a few times a second.
    SceneContext context{f.actors, nullptr, -1, {}};
    const bool live = m_session && !m_file_log && cursor == f.log.size();
    if (live && m_ticking) {
        const int64_t now = m_session->NowUs();
        if (m_probe_us < 0 || now - m_probe_us >= kProbeIntervalUs) {
            m_probe = m_session->ProbeNow();
            m_probe_us = now;
        }
    }
    // The lesson step narrated at the cursor (packets and kernel events carry none) names the
    // sockets it is about.
    for (size_t i = cursor; m_lesson && i-- > 0;) {
        const int step = f.log[i].step;
        if (step < 0) continue;
        if (static_cast<size_t>(step) < m_lesson->steps.size()) {
            context.focus = m_lesson->steps[static_cast<size_t>(step)].focus;
        }
        break;
    }
    if (live && m_probe_us >= 0) {
        context.live_probe = &m_probe;
        context.live_probe_us = m_probe_us;
    }
    const BuildStamp scene_stamp{m_generation,          f.log.size(),    cursor,
                                 context.live_probe_us, f.actors.size(), core::Lang::kEn};
    if (f.scene_stamp != scene_stamp) {
        f.scene = BuildScene(f.log, cursor, context, m_scene_scan);
        f.scene_stamp = scene_stamp;
    }
    m_ticking = live && (f.scene.any_blocked || f.scene.any_timer);
    if (!m_ticking) m_probe_us = -1;
    f.now_us = live ? m_session->NowUs() : f.scene.t_us;
    m_tick_fast = false;
    for (const SceneActor& a : f.scene.actors) {
        if (a.blocked && f.now_us - a.blocked->since_us < 10'000'000) m_tick_fast = true;
    }
    for (const SceneCard& card : f.scene.cards) {
        const int64_t left_ms = card.view.timer_ms - (f.now_us - card.timer_ref_us) / 1000;
        if (card.view.timer_ms >= 0 && left_ms < 10'000) m_tick_fast = true;
    }

    if (f.marks_generation != m_generation || f.marks.size() > f.log.size()) {
        f.marks.clear();
        f.marks_generation = m_generation;
    }
    for (size_t i = f.marks.size(); i < f.log.size(); ++i) {
        const core::Event& e = f.log[i];
        f.marks.push_back({e.phase, e.phase == core::Phase::kReturn && e.err != 0});
    }

    // New names or data outside ASCII need glyphs the atlas may lack.
    for (; m_glyph_scanned < f.log.size(); ++m_glyph_scanned) {
        const core::Event& e = f.log[m_glyph_scanned];
        if (HasNonAscii(e.data) || HasNonAscii(e.request.args.data) || HasNonAscii(e.actor_name)) {
            ++m_glyph_generation;
        }
    }

    f.capture = {};
    if (m_session && !m_file_log) {
        const core::CaptureStatus status = m_session->Capture();
        f.capture = {true,           status.active, status.reason,
                     status.command, status.error,  status.dropped};
    }

    f.lesson = lesson();
    f.lessons.clear();
    f.lesson_index = -1;
    for (size_t i = 0; i < m_catalog.size(); ++i) {
        const LessonEntry& e = m_catalog[i];
        LessonChoice choice;
        choice.key = e.key;
        // A broken file by its name; a folder that could not be listed by its path.
        const std::string file_name = e.path.filename().string();
        choice.title = !e.id.empty()       ? e.title.Get(lang)
                       : file_name.empty() ? e.path.string()
                                           : file_name;
        if (e.folder.origin != core::LessonOrigin::kBuiltin) {
            choice.source =
                std::string(core::LessonOriginName(e.folder.origin)) + " " + e.folder.dir.string();
        }
        if (!e.errors.empty()) {
            choice.unusable = Tr(Text::kLessonBroken, lang);
            choice.errors = e.errors;
            choice.broken = true;
        } else if (e.shadowed_by) {
            choice.unusable = Tr(Text::kLessonShadowed, lang);
            choice.errors = {Fmt(Text::kLessonShadowedWhy, lang, {e.id, e.shadowed_by->string()})};
        }
        if (m_lesson && e.Usable() && m_lesson->path == e.path) {
            f.lesson_index = static_cast<int>(i);
        }
        f.lessons.push_back(std::move(choice));
    }
    const BuildStamp programs_stamp{m_generation, f.log.size(),      0, 0, f.actors.size(),
                                    lang,         view.code_language};
    if (f.programs_stamp != programs_stamp) {
        // Only the calls appended since the last frame are written, and only the lines added
        // since the frame's own copy are copied: 2,000 free-mode calls cost one per call.
        m_programs.Update(m_script, f.actors, f.log, lang, m_generation, view.code_language);
        m_programs.CopyTo(f.programs, f.programs_stamp.generation, f.programs_stamp.lang,
                          f.programs_stamp.events, f.programs_stamp.code);
        f.programs_stamp = programs_stamp;
    }
    f.script_size = m_script.size();
    if (m_file_log) {
        // A replay knows its steps only from the log.
        for (size_t i = 0; i < f.log.size(); ++i) {
            const int step = std::clamp(f.log[i].step, -1, core::kMaxEventStep);
            f.script_size = std::max(f.script_size, static_cast<size_t>(step + 1));
        }
    }
    f.next_step = m_session && !m_file_log ? m_session->NextStepIndex() : 0;
    f.step_state = ComputeStepState(&f.busy_actor, &f.busy_call);
    f.answers = &m_answers;
    f.skipped = &m_skipped;
    f.playing = m_playing;
    f.speed = m_speed;
    f.file_mode = m_file_log != nullptr;
    f.file_name = m_file_name;
    f.discard = m_held_reason;
    f.discard_steps = m_held_reason == DiscardReason::kNone ? 0 : SessionSteps();
    f.lesson_errors = m_lesson_errors;
}

std::string Controller::GlyphText(core::Lang lang) const {
    std::string text;
    for (const LessonEntry& e : m_catalog) {
        text += e.title.Get(lang);
        // A folder's path or a broken file's error may hold any text.
        text += e.folder.dir.string() + e.path.string();
        for (const std::string& error : e.errors) text += error;
    }
    if (m_lesson) {
        text += m_lesson->title.Get(lang);
        text += m_lesson->summary.Get(lang);
        for (const core::LessonStep& s : m_lesson->steps) {
            text += s.narration.Get(lang);
            text += s.request.args.data;
            if (s.question) {
                text += s.question->prompt.Get(lang);
                text += s.question->explanation.Get(lang);
                for (const core::LocalizedText& c : s.question->choices) text += c.Get(lang);
            }
        }
    }
    for (const ActorInfo& a : m_actors) text += a.name;
    const core::LogView log = CurrentLog();
    for (size_t i = 0; i < log.size(); ++i) {
        const core::Event& e = log[i];
        if (HasNonAscii(e.data)) text += e.data;
        if (HasNonAscii(e.request.args.data)) text += e.request.args.data;
        if (HasNonAscii(e.actor_name)) text += e.actor_name;
    }
    return text;
}

}  // namespace sockstep::ui
