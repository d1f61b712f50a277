// `sockstep trace`: runs a lesson in the terminal as a real program would, one call after
// another; blocking calls really wait. Ctrl-C (SIGINT) or SIGTERM end it cleanly: both signals
// are blocked in every thread (the session's workers inherit the mask, so a signal never cuts a
// lesson's call short with EINTR) and the main thread takes them with sigtimedwait() while it
// waits; the session's destructor then wakes every blocked call and closes every socket.
#include "trace_run.h"

#include <signal.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <ostream>
#include <set>

#include "cli.h"
#include "interrupted_run.h"
#include "paths.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/core/terminal_text.h"
#include "sockstep/core/trace_json.h"
#include "sockstep/model/explain.h"
#include "sockstep/model/strings.h"
#include "trace_connect.h"
#include "trace_format.h"

namespace sockstep::app {
namespace {

using core::Lang;
using core::Phase;

constexpr int kPollMs = 5;
// After --until's last step: how long calls that are running (not sleeping) get to finish, and
// how long a call that was just woken by that step gets to report its return.
constexpr int kUntilSettleMs = 2000;
constexpr int kUntilGraceMs = 50;
constexpr const char* kIndent = "       ";

// Blocks SIGINT and SIGTERM for the lifetime of the object; restores the old mask after.
class SignalBlock {
  public:
    SignalBlock() {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGINT);
        sigaddset(&m_set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
    }
    ~SignalBlock() {
        // Drop a signal that arrived while we were closing, so it does not kill us now.
        timespec zero{0, 0};
        while (sigtimedwait(&m_set, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SignalBlock(const SignalBlock&) = delete;
    SignalBlock& operator=(const SignalBlock&) = delete;

    // Sleeps up to `ms`; the signal (SIGINT or SIGTERM) that arrived, or 0.
    int Wait(int ms) const {
        timespec ts{ms / 1000, static_cast<long>(ms % 1000) * 1000000L};
        const int signal_number = sigtimedwait(&m_set, nullptr, &ts);
        return signal_number > 0 ? signal_number : 0;
    }

  private:
    sigset_t m_set{};
    sigset_t m_old{};
};

class TraceRun {
  public:
    TraceRun(const core::Lesson& lesson, std::vector<int> numbers, const TraceOptions& options,
             Lang lang, const SignalBlock& signals, std::ostream& out, std::ostream& err)
        : m_signals(signals),
          m_lesson(lesson),
          m_numbers(std::move(numbers)),
          m_options(options),
          m_lang(lang),
          m_out(out),
          m_err(err),
          m_narrated(lesson.steps.size(), false) {
        for (const core::LessonActor& a : lesson.actors) {
            m_actor_width = std::max(m_actor_width, a.name.size());
            m_actor_names.push_back(a.name);
        }
    }

    int Run(const std::string& connect_note) {
        core::Session session;
        core::AddActors(session, m_lesson);
        session.SetScript(core::ToScript(m_lesson));
        m_session = &session;

        if (!m_options.json) {
            // Lesson texts are a file's text: escaped (the parser refuses controls already;
            // this also catches bidirectional overrides) before the terminal sees them.
            m_out << ui::Tr(ui::Text::kLesson, m_lang) << ": " << m_lesson.id << " - "
                  << core::TerminalSafe(m_lesson.title.Get(m_lang), std::string::npos) << '\n'
                  << core::TerminalSafe(m_lesson.summary.Get(m_lang), std::string::npos, true)
                  << "\n\n";
        }
        if (!connect_note.empty()) Info(connect_note);
        ReportCapture(session.Capture());
        m_out.flush();

        size_t last = m_lesson.steps.size();
        if (m_options.until > 0) {
            last = 0;
            while (last < m_numbers.size() && m_numbers[last] <= m_options.until) ++last;
        }
        for (size_t i = 0; i < last && !m_cancelled; ++i) RunStep(i);

        if (!m_cancelled) {
            if (m_options.until > 0) {
                Settle();
            } else {
                for (size_t a = 0; a < m_lesson.actors.size() && !m_cancelled; ++a) {
                    WaitActor(static_cast<int>(a));
                }
            }
        }
        Drain();
        FlushPackets();
        JudgeDeferred();
        if (const uint64_t dropped = session.Capture().dropped; dropped > 0) {
            Info(ui::FormatPositional(ui::Tr(ui::Text::kTraceCaptureDropped, m_lang),
                                      {std::to_string(dropped)}));
        }
        if (!m_cancelled && m_options.until > 0) {
            Info(ui::FormatPositional(ui::Tr(ui::Text::kTraceUntilNote, m_lang),
                                      {std::to_string(m_options.until)}));
            ReportStillBlocked();
        }
        if (!m_cancelled && m_options.hold_seconds > 0) Hold();
        if (m_cancelled) {
            m_err << ui::FormatPositional(ui::Tr(ui::Text::kTraceCtrlC, m_lang),
                                          {SignalWords(m_signal)})
                  << '\n';
        }
        // Cut short before its last step: say which steps never ran, never "all held".
        const int code = m_cancelled ? ReportInterrupted(last) : Summary();
        m_out.flush();
        m_session = nullptr;
        return code;  // the session's destructor interrupts blocked calls and closes everything
    }

  private:
    // Readable lines go to stdout; with --json stdout carries only events, so they go to stderr.
    std::ostream& InfoStream() { return m_options.json ? m_err : m_out; }
    void Info(const std::string& line) { InfoStream() << line << '\n' << std::flush; }

    // Without CAP_NET_RAW the trace says so once, with the command that grants it on its own
    // line; everything else runs as usual.
    void ReportCapture(const core::CaptureStatus& status) {
        if (status.active) return;
        if (!status.command.empty()) {
            Info(std::string(ui::Tr(ui::Text::kTraceCaptureOff, m_lang)));
            Info(std::string(kIndent) + status.command);
        } else {
            Info(ui::FormatPositional(ui::Tr(ui::Text::kTraceCaptureFailed, m_lang),
                                      {core::ErrnoName(status.error) + " (" +
                                       ui::ErrnoMeaning(status.error, m_lang) + ")"}));
        }
        Info("");
    }

    // A packet line goes under the line of the call that sent it: a call's packets are logged
    // before its Return (they were captured while it ran), so they wait until that line is out.
    void PrintPacket(const core::Event& e) {
        if (m_options.json) {
            m_out << core::EventToJsonLine(e) << '\n';
            return;
        }
        if (e.cause_seq >= 0 && !m_cause_shown.count(e.cause_seq)) {
            // Named when printed: by then the call's Return has shown the sockets it made.
            m_pending_packets[e.cause_seq].push_back(e);
        } else {
            PrintPacketLine(e);
        }
    }

    // A change the kernel made with no call running, against the event before it.
    void PrintKernel(const core::Event& e, const core::LogView& log) {
        if (m_options.json) {
            m_out << core::EventToJsonLine(e) << '\n';
        } else {
            const core::Snapshot before =
                m_printed > 0 ? log[m_printed - 1].sockets : core::Snapshot();
            m_out << kIndent << FormatKernelLine(before, e, m_lang) << '\n';
        }
        for (const core::SocketView& v : e.sockets) m_last_seen[v.id] = v;
    }

    void PrintPacketLine(const core::Event& e) {
        m_out << kIndent << FormatPacketLine(e, m_lang, m_actor_names, &m_last_seen) << '\n';
    }

    void CauseShown(size_t index) {
        const auto enter = m_enter_seq.find(index);
        if (enter == m_enter_seq.end()) return;
        const auto cause = static_cast<int64_t>(enter->second);
        m_cause_shown.insert(cause);
        const auto pending = m_pending_packets.find(cause);
        if (pending == m_pending_packets.end()) return;
        for (const core::Event& e : pending->second) PrintPacketLine(e);
        m_pending_packets.erase(pending);
    }

    // Packets of a call whose line never came (it is still running at the end).
    void FlushPackets() {
        for (const auto& [cause, events] : m_pending_packets) {
            for (const core::Event& e : events) PrintPacketLine(e);
        }
        m_pending_packets.clear();
        m_out.flush();
    }

    bool Sleep(int ms) {
        if (const int signal_number = m_signals.Wait(ms)) {
            m_cancelled = true;
            m_signal = signal_number;
        }
        return !m_cancelled;
    }

    // The run was interrupted before step `last` (exclusive) was done: the step still in the
    // kernel, the steps that never started, the failures so far, and 128 + the signal.
    int ReportInterrupted(size_t last) {
        std::vector<int> not_run;
        for (size_t i = 0; i < last; ++i) {
            if (m_returned.count(i)) continue;
            if (m_enter_seq.count(i)) {
                m_err << ui::FormatPositional(
                             ui::Tr(ui::Text::kTraceCutShort, m_lang),
                             {std::to_string(m_numbers[i]),
                              std::string(core::CallName(m_lesson.steps[i].request.call)) + "()"})
                      << '\n';
            } else {
                not_run.push_back(m_numbers[i]);
            }
        }
        if (!not_run.empty()) {
            m_err << ui::FormatPositional(ui::Tr(ui::Text::kTraceNotRun, m_lang),
                                          {StepRanges(not_run)})
                  << '\n';
        }
        if (m_failed > 0) {
            m_err << ui::FormatPositional(ui::Tr(ui::Text::kTraceSummaryFailed, m_lang),
                                          {std::to_string(m_failed), std::to_string(m_checked)})
                  << '\n';
            for (const std::string& f : m_failures) m_err << "  " << f << '\n';
        }
        InfoStream().flush();
        return InterruptedExitCode(m_signal);
    }

    void RunStep(size_t index) {
        const core::LessonStep& step = m_lesson.steps[index];
        if (!m_options.json && step.question) PrintQuestion(*step.question);
        if (step.outside_client) Invite(step);
        for (;;) {
            const core::StepOutcome outcome = m_session->StepNext();
            Drain();
            if (outcome != core::StepOutcome::kBusy) break;
            // The actor is still in an earlier call: wait for it, as the program would.
            WaitActor(step.actor);
            if (m_cancelled) return;
        }
    }

    bool ActorIdle(int actor) const {
        const auto actors = m_session->Actors();
        return actors[static_cast<size_t>(actor)].activity == core::ActorActivity::kIdle;
    }

    void WaitActor(int actor) {
        while (!m_cancelled) {
            Drain();
            if (ActorIdle(actor)) break;
            Sleep(kPollMs);
        }
        Drain();
    }

    // --until: let calls that are running finish, and give a call that the last step woke up a
    // moment to report its return; calls still asleep stay asleep.
    void Settle() {
        for (int waited = 0; waited < kUntilSettleMs && !m_cancelled; waited += kPollMs) {
            const auto actors = m_session->Actors();
            const bool running = std::any_of(actors.begin(), actors.end(), [](const auto& a) {
                return a.activity == core::ActorActivity::kRunning;
            });
            if (!running) break;
            Sleep(kPollMs);
        }
        Sleep(kUntilGraceMs);
        Drain();
    }

    void ReportStillBlocked() {
        const auto actors = m_session->Actors();
        for (const core::ActorStatus& a : actors) {
            if (a.activity != core::ActorActivity::kBlocked) continue;
            Info(std::string(kIndent) + a.name + " " +
                 std::string(ui::Tr(ui::Text::kTraceStillBlocked, m_lang)) + " " +
                 std::string(core::CallName(a.call)) + "()");
        }
    }

    void Invite(const core::LessonStep& step) {
        const core::Snapshot now = m_session->ProbeNow();
        const core::SocketView* listener = core::FindSocketByName(now, step.request.socket);
        if (!listener || !listener->local || listener->local->port == 0) return;
        std::ostream& o = InfoStream();
        o << kIndent << ui::Tr(ui::Text::kTraceWaitingForClient, m_lang) << '\n';
        for (const std::string& command : core::OutsideClientCommands(*listener->local)) {
            o << kIndent << "    " << command << '\n';
        }
        o << std::flush;
    }

    void PrintQuestion(const core::Question& q) {
        m_out << kIndent << "? " << ui::Tr(ui::Text::kTraceQuestion, m_lang) << ": "
              << q.prompt.Get(m_lang) << '\n';
        for (size_t c = 0; c < q.choices.size(); ++c) {
            m_out << kIndent << "    " << c + 1 << ") " << q.choices[c].Get(m_lang) << '\n';
        }
        m_out.flush();
    }

    void PrintAnswer(const core::Question& q) {
        const size_t a = static_cast<size_t>(q.answer);
        m_out << kIndent << "! " << ui::Tr(ui::Text::kTraceAnswer, m_lang) << ": " << a + 1 << ") "
              << q.choices[a].Get(m_lang) << " - " << q.explanation.Get(m_lang) << '\n';
    }

    void Narrate(size_t index) {
        if (m_options.json || m_narrated[index]) return;
        m_narrated[index] = true;
        std::string text = core::TerminalSafe(m_lesson.steps[index].narration.Get(m_lang),
                                              std::string::npos, true);
        while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
        // Continuation lines keep the indent, so the narration reads as one block.
        std::string indented;
        for (char c : text) {
            indented += c;
            if (c == '\n') indented += kIndent;
        }
        m_out << kIndent << indented << '\n';
    }

    void Drain() {
        const core::LogView log = m_session->Log();
        for (; m_printed < log.size(); ++m_printed) Print(log[m_printed], log);
        m_out.flush();
    }

    void Print(const core::Event& e, const core::LogView& log) {
        if (e.phase == Phase::kPacket) {
            PrintPacket(e);  // also the packets no call caused (step -1)
            return;
        }
        if (e.phase == Phase::kKernel) {
            PrintKernel(e, log);
            return;
        }
        if (e.step < 0 || static_cast<size_t>(e.step) >= m_lesson.steps.size()) return;
        const size_t index = static_cast<size_t>(e.step);
        const core::LessonStep& step = m_lesson.steps[index];
        const int number = m_numbers[index];
        if (m_options.json) {
            m_out << core::EventToJsonLine(e) << '\n';
        } else if (e.phase != Phase::kEnter) {
            const bool resumed = e.phase == Phase::kReturn && m_blocked.count(index);
            m_out << FormatEventLine(e, m_lang, resumed, m_actor_width, number, &m_last_seen)
                  << '\n';
        }
        for (const core::SocketView& v : e.sockets) m_last_seen[v.id] = v;
        if (e.phase == Phase::kEnter) {
            m_enter_seq[index] = e.seq;
        } else if (!m_options.json) {
            CauseShown(index);
        }
        switch (e.phase) {
            case Phase::kEnter:
                break;
            case Phase::kBlocked:
                m_blocked.insert(index);
                Narrate(index);
                break;
            case Phase::kReturn:
                m_returned.insert(index);
                Narrate(index);
                if (step.outside_client && e.peer && !m_options.json) {
                    m_out << kIndent << ui::Tr(ui::Text::kTraceClientArrived, m_lang) << " "
                          << core::FormatEndpoint(*e.peer) << '\n';
                }
                if (step.expect) {
                    const core::ExpectCheck check = core::CheckExpect(*step.expect, e, log);
                    if (!check.held && NamesUnknownSocket(*step.expect, e, log) &&
                        AnotherCallIsPending(index)) {
                        // A socket named here is being created by a call that is returning
                        // right now (an accept() woken by this very step): judge at the end,
                        // when the log knows its name.
                        m_deferred.push_back({index, e.seq});
                    } else {
                        Judge(number, step, check);
                    }
                }
                if (step.question && !m_options.json) PrintAnswer(*step.question);
                break;
            case Phase::kInterrupted:
                m_returned.insert(index);
                break;
            case Phase::kPacket:
            case Phase::kKernel:
                break;
            case Phase::kRefused:
                m_returned.insert(index);
                Narrate(index);
                // The step did not happen as written: that is a failure even without an expect.
                Judge(number, step,
                      core::ExpectCheck{
                          false,
                          step.expect ? core::DescribeExpect(*step.expect)
                                      : std::string(core::FormatCall(step.request)),
                          std::string(ui::Tr(ui::Text::kTraceRefusedBySockstep, m_lang)) + ": " +
                              e.message});
                break;
        }
    }

    // Does the expectation name a socket that this event's snapshot cannot resolve yet?
    static bool NamesUnknownSocket(const core::Expect& expect, const core::Event& e,
                                   const core::LogView& log) {
        for (const core::StateExpect& s : expect.states) {
            core::Expect one;
            one.states = {s};
            if (core::CheckExpect(one, e, log).actual.find("no such socket") != std::string::npos) {
                return true;
            }
        }
        return false;
    }

    bool AnotherCallIsPending(size_t index) const {
        for (size_t blocked : m_blocked) {
            if (blocked != index && !m_returned.count(blocked)) return true;
        }
        return false;
    }

    void JudgeDeferred() {
        const core::LogView log = m_session->Log();
        for (const auto& [index, seq] : m_deferred) {
            for (size_t i = 0; i < log.size(); ++i) {
                if (log[i].seq != seq) continue;
                const core::LessonStep& step = m_lesson.steps[index];
                Judge(m_numbers[index], step, core::CheckExpect(*step.expect, log[i], log));
            }
        }
        m_deferred.clear();
    }

    void Judge(int number, const core::LessonStep& step, const core::ExpectCheck& check) {
        ++m_checked;
        if (check.held) {
            if (!m_options.json) {
                m_out << kIndent << "ok " << ui::Tr(ui::Text::kTraceExpectHeld, m_lang) << ": "
                      << check.expected << '\n';
                if (check.peer_closed) {
                    // The peer is the other role: a server's client, or --connect's server.
                    const bool server = m_lesson.actors[static_cast<size_t>(step.actor)].role ==
                                        core::Role::kServer;
                    m_out << kIndent
                          << ui::Tr(server ? ui::Text::kTraceClientClosedFirst
                                           : ui::Text::kTraceServerClosedFirst,
                                    m_lang)
                          << '\n';
                }
            }
            return;
        }
        ++m_failed;
        std::string line = "step " + std::to_string(number) + " (" + m_lesson.path.string() + ":" +
                           std::to_string(step.line) + ", " + core::FormatCall(step.request) +
                           "): " + std::string(ui::Tr(ui::Text::kTraceExpected, m_lang)) + ": " +
                           check.expected + "; " +
                           std::string(ui::Tr(ui::Text::kTraceGot, m_lang)) + ": " + check.actual;
        m_failures.push_back(line);
        if (!m_options.json) {
            m_out << kIndent << "FAILED " << ui::Tr(ui::Text::kTraceExpectFailed, m_lang) << ": "
                  << line << '\n';
        }
    }

    void Hold() {
        const core::Snapshot now = m_session->ProbeNow();
        std::set<uint16_t> ports;
        bool udp = false;
        for (const core::SocketView& s : now) {
            if (s.local && s.local->port) ports.insert(s.local->port);
            udp = udp || s.type == core::SockType::kDgram;
        }
        std::string seconds = std::to_string(m_options.hold_seconds);
        seconds.erase(seconds.find_last_not_of('0') + 1);
        if (!seconds.empty() && seconds.back() == '.') seconds.pop_back();
        Info("");
        Info(ui::FormatPositional(ui::Tr(ui::Text::kTraceHolding, m_lang), {seconds}));
        if (!ports.empty()) {
            std::string filter;
            for (uint16_t p : ports) {
                filter +=
                    (filter.empty() ? "" : " or ") + std::string("sport = :") + std::to_string(p);
            }
            Info(std::string(kIndent) + "ss -" + (udp ? "tu" : "t") + "ano '( " + filter + " )'");
        }
        const auto total_ms = static_cast<long>(std::llround(m_options.hold_seconds * 1000.0));
        for (long waited = 0; waited < total_ms && !m_cancelled; waited += 50) {
            Sleep(static_cast<int>(std::min<long>(50, total_ms - waited)));
            Drain();  // a call may still return meanwhile (ETIMEDOUT of a waiting connect)
        }
        if (m_cancelled) {
            // Every step ran and was judged: a signal during --hold only ends the hold early
            // (the documented way to stop holding), so the lesson's own result stands.
            m_cancelled = false;
            Info(ui::FormatPositional(ui::Tr(ui::Text::kTraceHoldCut, m_lang),
                                      {SignalWords(m_signal)}));
        }
        Info(std::string(ui::Tr(ui::Text::kTraceHoldingDone, m_lang)));
    }

    int Summary() {
        std::ostream& o = InfoStream();
        o << '\n';
        if (m_checked == 0) {
            o << ui::Tr(ui::Text::kTraceSummaryNone, m_lang) << '\n';
        } else if (m_failed == 0) {
            o << ui::FormatPositional(ui::Tr(ui::Text::kTraceSummaryOk, m_lang),
                                      {std::to_string(m_checked)})
              << '\n';
        } else {
            m_err << ui::FormatPositional(ui::Tr(ui::Text::kTraceSummaryFailed, m_lang),
                                          {std::to_string(m_failed), std::to_string(m_checked)})
                  << '\n';
            for (const std::string& f : m_failures) m_err << "  " << f << '\n';
        }
        o.flush();
        return m_failed == 0 ? kExitOk : kExitExpectFailed;
    }

    const SignalBlock& m_signals;
    const core::Lesson& m_lesson;
    std::vector<int> m_numbers;
    const TraceOptions& m_options;
    Lang m_lang;
    std::ostream& m_out;
    std::ostream& m_err;
    core::Session* m_session = nullptr;
    size_t m_actor_width = 0;
    size_t m_printed = 0;
    std::vector<bool> m_narrated;
    std::set<size_t> m_blocked;
    std::set<size_t> m_returned;
    std::vector<std::pair<size_t, uint64_t>> m_deferred;  // step index, event seq
    std::vector<std::string> m_actor_names;
    std::map<size_t, uint64_t> m_enter_seq;  // step index -> seq of its (latest) Enter event
    std::set<int64_t> m_cause_shown;         // Enter seqs whose call line has been printed
    std::map<int64_t, std::vector<core::Event>> m_pending_packets;  // by cause_seq
    LastSeen m_last_seen;
    bool m_cancelled = false;
    int m_signal = 0;  // the signal that cancelled the run
    int m_checked = 0;
    int m_failed = 0;
    std::vector<std::string> m_failures;
};

}  // namespace

int RunTrace(const TraceOptions& options, std::ostream& out, std::ostream& err) {
    const Lang lang = options.lang.value_or(core::LangFromEnvironment());
    if (options.hold_seconds < 0 || options.hold_seconds > 3600 ||
        std::isnan(options.hold_seconds)) {
        err << "sockstep trace: --hold must be between 0 and 3600 seconds\n";
        return kExitUsage;
    }
    core::LessonResult found = core::FindLesson(options.lesson, LessonFolders(options.lesson_dirs));
    if (const auto* errors = std::get_if<std::vector<core::LessonError>>(&found)) {
        for (const core::LessonError& e : *errors) err << e.Format() << '\n';
        err << "sockstep trace: the lesson is not valid; nothing was run\n";
        return kExitUsage;
    }
    core::Lesson lesson = std::get<core::Lesson>(std::move(found));
    std::vector<int> numbers;
    for (size_t i = 0; i < lesson.steps.size(); ++i) numbers.push_back(static_cast<int>(i) + 1);

    std::string connect_note;
    if (!options.connect.empty()) {
        // Checked before the session exists: a refused address never gets near a socket.
        const auto target = ParseConnectTarget(options.connect);
        if (const auto* message = std::get_if<std::string>(&target)) {
            err << "sockstep trace: --connect " << options.connect << ": " << *message << '\n';
            return kExitUsage;
        }
        const core::Endpoint endpoint = std::get<core::Endpoint>(target);
        auto retargeted = PointClientsAt(lesson, endpoint);
        if (const auto* message = std::get_if<std::string>(&retargeted)) {
            err << "sockstep trace: --connect " << options.connect << ": " << *message << '\n';
            return kExitUsage;
        }
        auto& r = std::get<RetargetedLesson>(retargeted);
        lesson = std::move(r.lesson);
        numbers = std::move(r.numbers);
        connect_note = ui::FormatPositional(ui::Tr(ui::Text::kTraceConnectNote, lang),
                                            {core::FormatEndpoint(endpoint)});
    }
    if (options.until < 0 || options.until > numbers.back()) {
        err << "sockstep trace: --until " << options.until << ": the lesson '" << lesson.id
            << "' has " << numbers.back() << " steps\n";
        return kExitUsage;
    }

    // Before the session starts its workers, so they inherit the blocked signals.
    SignalBlock signals;
    TraceRun run(lesson, numbers, options, lang, signals, out, err);
    return run.Run(connect_note);
}

}  // namespace sockstep::app
