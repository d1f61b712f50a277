// The narration: what the call at the cursor did (the lesson's text, the result, what the
// kernel did, the prediction against the kernel's answer), then what comes next. A step with a
// prediction question asks it here BEFORE the call runs; after it ran, it says whether the
// kernel agreed. Each step has one verdict (verdict.h): the lesson's, or else the table's.
#include <algorithm>

#include "draw_context.h"
#include "sockstep/core/address.h"
#include "sockstep/model/explain.h"
#include "sockstep/model/verdict.h"

namespace sockstep::ui {
namespace {

using core::Phase;

const core::LessonStep* LessonStepAt(const FrameModel& f, int step) {
    if (!f.lesson || step < 0 || static_cast<size_t>(step) >= f.lesson->steps.size()) {
        return nullptr;
    }
    return &f.lesson->steps[static_cast<size_t>(step)];
}

// Lesson text without its `backticks`, for places that take one font (buttons).
std::string Plain(const std::string& text) {
    std::string out;
    for (const char ch : text) {
        if (ch != '`') out += ch;
    }
    return out;
}

void Wrapped(ImU32 colour, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

std::string ResultText(DrawContext& c, const core::Event& e) {
    switch (e.phase) {
        case Phase::kEnter:
            return c.T(Text::kResultEntered);
        case Phase::kBlocked:
            return c.T(Text::kResultBlocked);
        case Phase::kInterrupted:
            return c.T(Text::kResultInterrupted);
        case Phase::kRefused:
            return c.F(Text::kResultRefused, {e.message});
        case Phase::kPacket:
            return c.T(Text::kPhasePacket);
        case Phase::kKernel:
            return c.T(Text::kPhaseKernel);
        case Phase::kReturn:
            if (e.err != 0) {
                const std::string why = e.predicted.known && e.predicted.result == e.err
                                            ? std::string(e.predicted.why)
                                            : std::string();
                return c.F(IsSoftErrno(e.err) ? Text::kResultSoft : Text::kResultFailed,
                           {ErrnoLine(e.err, why, c.lang)});
            }
            if (e.result_socket_id >= 0) {
                return c.F(Text::kResultNewSocket, {std::to_string(e.ret), e.request.result});
            }
            return c.F(Text::kResultReturned, {std::to_string(e.ret)});
    }
    return {};
}

ImU32 ResultColour(DrawContext& c, const core::Event& e) {
    switch (e.phase) {
        case Phase::kReturn:
            return e.err == 0 ? c.pal.ok : c.pal.error;
        case Phase::kBlocked:
            return c.pal.warn;
        case Phase::kRefused:
            return c.pal.error;
        default:
            return c.pal.text_dim;
    }
}

// The Enter event of the call that `index` ends.
size_t EnterIndex(const core::LogView& log, size_t index) {
    for (size_t i = index + 1; i-- > 0;) {
        if (log[i].actor == log[index].actor && log[i].phase == Phase::kEnter) return i;
    }
    return index;
}

void DrawAnswer(DrawContext& c, int step, const core::Question& q, bool compact) {
    const FrameModel& f = c.frame;
    if (!f.answers) return;
    auto it = f.answers->find(step);
    if (it == f.answers->end()) return;
    if (!compact) ImGui::Spacing();
    const int chosen = it->second;
    const bool right = chosen == q.answer;
    const std::string picked = chosen >= 0 && static_cast<size_t>(chosen) < q.choices.size()
                                   ? Plain(q.choices[static_cast<size_t>(chosen)].Get(c.lang))
                                   : "?";
    Wrapped(right ? c.pal.ok : c.pal.error,
            std::string(c.T(right ? Text::kRight : Text::kNotQuite)) + "  " +
                c.F(Text::kYouAnswered, {picked}));
    if (!right && static_cast<size_t>(q.answer) < q.choices.size()) {
        Wrapped(c.pal.text, c.F(Text::kCorrectAnswer,
                                {Plain(q.choices[static_cast<size_t>(q.answer)].Get(c.lang))}));
    }
    if (!q.explanation.Get(c.lang).empty()) RichText(c, q.explanation.Get(c.lang), c.pal.text);
}

void DrawCurrent(DrawContext& c, size_t index) {
    const core::Event& e = c.frame.log[index];
    const FrameModel& f = c.frame;
    // Header: "Step 4 of 10 · server" or "Free-mode call · client".
    std::string header =
        e.step >= 0
            ? c.F(Text::kStepOf,
                  {std::to_string(e.step + 1),
                   std::to_string(std::max(f.script_size, static_cast<size_t>(e.step + 1)))})
            : std::string(c.T(Text::kFreeCall));
    header += "  ·  " + e.actor_name;
    WithFont(c.bold, [&] { ImGui::TextUnformatted(header.c_str()); });

    // The call, in code font, and what it gave.
    WithFont(c.code, [&] { ImGui::TextUnformatted(core::FormatCall(e.request).c_str()); });
    ImGui::SameLine();
    Wrapped(ResultColour(c, e), "→ " + ResultText(c, e));

    const core::LessonStep* step = LessonStepAt(f, e.step);
    // A step waiting for a program outside sockstep: say exactly what to type,
    // first: the narration refers to these commands.
    if (step && step->outside_client && e.phase == Phase::kBlocked) {
        const SceneCard* listener = f.scene.FindCard(e.socket_id);
        if (listener && listener->view.local) {
            for (const std::string& command : core::OutsideClientCommands(*listener->view.local)) {
                WithFont(c.code, [&] { ImGui::TextUnformatted(("$ " + command).c_str()); });
            }
        }
    }
    if (step && !step->narration.Get(c.lang).empty()) {
        ImGui::Spacing();
        RichText(c, step->narration.Get(c.lang), c.pal.text);
    }
    // sockstep's own account of what the kernel did: the narration itself when no lesson
    // narrates this call, else one click away, so the lesson's words stay in view.
    const std::string explained = ExplainEvent(e, c.lang);
    if (!explained.empty()) {
        if (step) {
            ImGui::Spacing();
            if (ImGui::TreeNode(c.T(Text::kWhatKernelDid))) {
                Wrapped(c.pal.text, explained);
                ImGui::TreePop();
            }
        } else {
            ImGui::Spacing();
            Wrapped(c.pal.text, explained);
        }
    }
    if (e.phase == Phase::kReturn && !e.data.empty() && e.request.call != core::CallKind::kPoll) {
        std::string shown = e.data.size() > 200 ? e.data.substr(0, 200) + "…" : e.data;
        Wrapped(c.pal.text, c.F(Text::kReceivedData, {"\"" + shown + "\""}));
    }

    // The prediction from the transition table, then the step's one verdict (verdict.h).
    const Verdict verdict = StepVerdict(e, step, f.log, c.lang);
    const bool lesson_verdict =
        verdict.kind == VerdictKind::kLessonHeld || verdict.kind == VerdictKind::kLessonFailed;
    if (e.phase == Phase::kReturn && e.predicted.known) {
        std::string line = std::string(c.T(Text::kPrediction)) + ": " +
                           DescribePrediction(e.predicted, c.lang) + ".";
        if (!verdict.table_note.empty()) line += "  " + verdict.table_note;
        // Without a lesson expectation the table's verdict ends this line, in one colour.
        if (!lesson_verdict && verdict.kind != VerdictKind::kNone) line += "  " + verdict.text;
        Wrapped(verdict.alarm && !lesson_verdict ? c.pal.error : c.pal.text_dim, line);
    }
    // The question asked before this step: the learner's answer against the kernel's.
    if (step && step->question) {
        if (e.phase == Phase::kReturn) {
            DrawAnswer(c, e.step, *step->question, false);
        } else if (e.phase == Phase::kBlocked && f.answers && f.answers->count(e.step)) {
            Wrapped(c.pal.text_dim, c.T(Text::kAnswerWhenReturns));
        }
    }
    // Another questioned call that returned during this one (a blocked accept() woken by this
    // connect()): its answer is settled now too.
    for (size_t i = EnterIndex(f.log, index) + 1; i < f.scene.cursor; ++i) {
        const core::Event& other = f.log[i];
        if (i == index || other.phase != Phase::kReturn || other.step == e.step) continue;
        const core::LessonStep* s = LessonStepAt(f, other.step);
        if (!s || !s->question || !f.answers || !f.answers->count(other.step)) continue;
        ImGui::Separator();
        WithFont(c.code, [&] { ImGui::TextUnformatted(core::FormatCall(other.request).c_str()); });
        ImGui::SameLine();
        Wrapped(ResultColour(c, other), "→ " + ResultText(c, other));
        DrawAnswer(c, other.step, *s->question, true);
    }
    if (lesson_verdict) {
        ImGui::Spacing();
        Wrapped(verdict.alarm ? c.pal.error : c.pal.ok, verdict.text);
        if (verdict.peer_closed) Wrapped(c.pal.text, c.T(Text::kPeerClosedFirst));
    }
}

void DrawQuestion(DrawContext& c, int step_index, const core::Question& q) {
    const FrameModel& f = c.frame;
    ImGui::Spacing();
    WithFont(c.bold, [&] { Wrapped(c.pal.accent, c.T(Text::kQuestionBefore)); });
    RichText(c, q.prompt.Get(c.lang), c.pal.text);
    const auto answered =
        f.answers ? f.answers->find(step_index) : std::map<int, int>::const_iterator();
    const bool has_answer = f.answers && answered != f.answers->end();
    for (size_t i = 0; i < q.choices.size(); ++i) {
        const bool chosen = has_answer && answered->second == static_cast<int>(i);
        const std::string label = std::string(1, static_cast<char>('A' + i)) + ". " +
                                  Plain(q.choices[i].Get(c.lang)) + "##answer" + std::to_string(i);
        if (chosen)
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(c.pal.accent));
        if (chosen)
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(c.pal.on_accent));
        if (ImGui::Button(label.c_str()))
            c.out.answer = std::make_pair(step_index, static_cast<int>(i));
        if (chosen) ImGui::PopStyleColor(2);
        c.view.layout.answers[static_cast<int>(i)] = {ImGui::GetItemRectMin(),
                                                      ImGui::GetItemRectMax()};
    }
    if (has_answer) {
        Wrapped(c.pal.text_dim, c.T(Text::kAnswerToRun));
    } else {
        if (ImGui::SmallButton(c.T(Text::kSkipQuestion))) c.out.skip_question = step_index;
    }
}

void DrawNext(DrawContext& c) {
    const FrameModel& f = c.frame;
    if (f.file_mode) return;
    if (ImGui::GetCursorPosY() > ImGui::GetStyle().WindowPadding.y + 1) ImGui::Separator();
    if (f.step_state == StepState::kNoScript) {
        Wrapped(c.pal.text_dim, c.T(Text::kNextFree));
        return;
    }
    if (f.step_state == StepState::kDone) {
        Wrapped(c.pal.text_dim, c.T(Text::kLessonOver));
        return;
    }
    if (f.scene.history || f.next_step >= f.script_size) return;
    const core::LessonStep* step = LessonStepAt(f, static_cast<int>(f.next_step));
    std::string call;
    if (step) {
        call = core::FormatCall(step->request);
        std::string actor = step->actor >= 0 && static_cast<size_t>(step->actor) < f.actors.size()
                                ? f.actors[static_cast<size_t>(step->actor)].name
                                : std::string();
        WithFont(c.bold, [&] { ImGui::TextUnformatted(c.F(Text::kNextStep, {actor}).c_str()); });
        ImGui::SameLine();
        WithFont(c.code, [&] { ImGui::TextUnformatted(call.c_str()); });
    }
    if (f.step_state == StepState::kBusy) {
        Wrapped(c.pal.warn, c.F(Text::kStepBusy, {f.busy_actor, core::CallName(f.busy_call)}));
    }
    if (step && step->question) DrawQuestion(c, static_cast<int>(f.next_step), *step->question);
}

}  // namespace

void DrawNarration(DrawContext& c, ImVec2 size) {
    Child("narration", size, true, 0, [&] {
        c.view.layout.narration = {ImGui::GetWindowPos(), ImVec2(ImGui::GetWindowPos().x + size.x,
                                                                 ImGui::GetWindowPos().y + size.y)};
        const FrameModel& f = c.frame;
        if (!f.lesson_errors.empty()) {
            Wrapped(c.pal.error, c.T(Text::kLessonError));
            for (const std::string& e : f.lesson_errors) Wrapped(c.pal.error, e);
            ImGui::Separator();
        }
        // A question waiting for the learner comes first: it is what they must act on.
        const core::LessonStep* next = LessonStepAt(f, static_cast<int>(f.next_step));
        const bool asking =
            !f.scene.history && !f.file_mode && next && next->question &&
            (f.step_state == StepState::kNeedAnswer || f.step_state == StepState::kReady);
        if (asking) DrawNext(c);
        if (f.scene.current) {
            if (asking) ImGui::Separator();
            DrawCurrent(c, *f.scene.current);
        } else if (f.lesson) {
            if (asking) ImGui::Separator();
            WithFont(c.bold,
                     [&] { ImGui::TextWrapped("%s", f.lesson->title.Get(c.lang).c_str()); });
            RichText(c, f.lesson->summary.Get(c.lang), c.pal.text);
            ImGui::Spacing();
            Wrapped(c.pal.text_dim, c.T(Text::kNoEventsYet));
        } else if (!f.file_mode) {
            Wrapped(c.pal.text, c.T(Text::kFreePlayHint));
        }
        if (!asking) DrawNext(c);
    });
}

}  // namespace sockstep::ui
