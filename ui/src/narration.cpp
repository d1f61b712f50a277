// The narration: what the call at the cursor did (the lesson's text, the result, what the
// kernel did, the prediction against the kernel's answer), then what comes next. A step with a
// prediction question asks it here BEFORE the call runs; after it ran, it says whether the
// kernel agreed. Each step has one verdict (verdict.h): the lesson's, or else the table's.
//
// The panel is whatever rectangle the main window gives it, down to one line. The narration is
// built as blocks that are shown or folded whole, by priority (the step and its result, the
// verdict, the question and its answer, what comes next, then the explanation and the kernel's
// account); what does not fit is folded behind one control that opens the whole step in a window
// of its own. Every height is computed before anything is drawn, so no line is ever cut.
#include <algorithm>
#include <numeric>
#include <vector>

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
                           {ErrnoLineOf(e, why, c.lang)});
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

// What is kept first when the panel is short: a lower value first.
enum Priority : int {
    kCall = -1,        // the call that just ran and its result: kept before all else
    kHeader = 0,       // the step ("Step 4 of 10 · server")
    kVerdict = 1,      // the prediction and the kernel's verdict
    kQuestion = 2,     // the question, its answer buttons, the feedback
    kNext = 3,         // what comes next
    kExplanation = 4,  // the lesson's words
    kDetails = 5,      // sockstep's own account of what the kernel did
};

enum class PieceKind {
    kText,    // wrapped text in one font
    kRich,    // lesson text with `code` spans
    kPair,    // two texts on one line when they fit, else one under the other
    kButton,  // a button whose label wraps
    kGap,     // ImGui::Spacing
};

enum class Action { kNone, kAnswer, kSkip, kWhole };

struct Piece {
    PieceKind kind = PieceKind::kText;
    ImFont* font = nullptr;
    ImU32 colour = 0;
    std::string text;
    // kPair: the second text.
    ImFont* font2 = nullptr;
    ImU32 colour2 = 0;
    std::string text2;
    // kButton: what a click does, and how it looks.
    Action action = Action::kNone;
    int step = -1;
    int choice = -1;
    bool chosen = false;
    bool small = false;  // no vertical frame padding, one text line high
};

struct Block {
    int priority = kHeader;
    bool separated = false;  // a separator above it, unless it comes first
    std::vector<Piece> pieces;
    // The call's block in a panel too short for it: the call's name and the value or errno it
    // gave ("socket() → 3"), whole.
    std::vector<Piece> brief = {};
};

Piece TextPiece(ImFont* font, ImU32 colour, std::string text) {
    Piece p;
    p.font = font;
    p.colour = colour;
    p.text = std::move(text);
    return p;
}

Piece RichPiece(DrawContext& c, ImU32 colour, std::string text) {
    Piece p = TextPiece(c.font, colour, std::move(text));
    p.kind = PieceKind::kRich;
    return p;
}

Piece PairPiece(ImFont* font, ImU32 colour, std::string text, ImFont* font2, ImU32 colour2,
                std::string text2) {
    Piece p = TextPiece(font, colour, std::move(text));
    p.kind = PieceKind::kPair;
    p.font2 = font2;
    p.colour2 = colour2;
    p.text2 = std::move(text2);
    return p;
}

Piece GapPiece() {
    Piece p;
    p.kind = PieceKind::kGap;
    return p;
}

float TextHeight(ImFont* font, const std::string& text, float width) {
    float h = 0;
    WithFont(font, [&] { h = ImGui::CalcTextSize(text.c_str(), nullptr, false, width).y; });
    return h;
}

float TextWidth(ImFont* font, const std::string& text) {
    float w = 0;
    WithFont(font, [&] { w = ImGui::CalcTextSize(text.c_str()).x; });
    return w;
}

bool PairFitsOneLine(const Piece& p, float width) {
    return TextWidth(p.font, p.text) + ImGui::GetStyle().ItemSpacing.x +
               TextWidth(p.font2, p.text2) <=
           width;
}

ImVec2 FramePadding(const Piece& p) {
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    return ImVec2(pad.x, p.small ? 0.0f : pad.y);
}

// A button's size at `width`: its label wraps inside the frame.
ImVec2 ButtonSize(const Piece& p, float width) {
    const ImVec2 pad = FramePadding(p);
    float label_w = 0;
    float label_h = 0;
    WithFont(p.font, [&] {
        const ImVec2 t =
            ImGui::CalcTextSize(p.text.c_str(), nullptr, false, std::max(1.0f, width - 2 * pad.x));
        label_w = t.x;
        label_h = t.y;
    });
    return ImVec2(std::min(width, label_w + 2 * pad.x), label_h + 2 * pad.y);
}

float PieceHeight(DrawContext& c, const Piece& p, float width) {
    switch (p.kind) {
        case PieceKind::kText:
            return TextHeight(p.font, p.text, width);
        case PieceKind::kRich:
            return RichTextHeight(c, p.text, width, p.font);
        case PieceKind::kPair:
            if (PairFitsOneLine(p, width))
                return std::max(TextHeight(p.font, p.text, width),
                                TextHeight(p.font2, p.text2, width));
            return TextHeight(p.font, p.text, width) + ImGui::GetStyle().ItemSpacing.y +
                   TextHeight(p.font2, p.text2, width);
        case PieceKind::kButton:
            return ButtonSize(p, width).y;
        case PieceKind::kGap:
            return 0.0f;
    }
    return 0.0f;
}

// A block's height as ImGui lays it out: its items and the spacing between them, with its
// separator (an item of no height) counted as if it were drawn.
float BlockHeight(DrawContext& c, const Block& b, float width) {
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    float h = b.separated ? spacing : 0.0f;
    for (size_t i = 0; i < b.pieces.size(); ++i) {
        h += PieceHeight(c, b.pieces[i], width) + (i > 0 ? spacing : 0.0f);
    }
    return h;
}

void DrawText(ImFont* font, ImU32 colour, const std::string& text, float width) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    WithFont(font, [&] { ImGui::TextUnformatted(text.c_str()); });
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
}

void DrawButton(DrawContext& c, const Piece& p, float width, bool panel) {
    const ImVec2 size = ButtonSize(p, width);
    const ImVec2 pad = FramePadding(p);
    const std::string id = "##narration_button" + std::to_string(p.choice) +
                           std::to_string(static_cast<int>(p.action));
    if (p.chosen) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(c.pal.accent));
    }
    const bool pressed = ImGui::Button(id.c_str(), size);
    if (p.chosen) ImGui::PopStyleColor();
    const ImVec2 min = ImGui::GetItemRectMin();
    ImGui::GetWindowDrawList()->AddText(
        p.font, p.font->FontSize, ImVec2(min.x + pad.x, min.y + pad.y),
        p.chosen ? c.pal.on_accent : ImGui::GetColorU32(ImGuiCol_Text), p.text.c_str(), nullptr,
        std::max(1.0f, width - 2 * pad.x));
    if (panel && p.action == Action::kAnswer) {
        c.view.layout.answers[p.choice] = {min, ImGui::GetItemRectMax()};
    }
    if (panel && p.action == Action::kWhole) {
        c.view.layout.narration_more = {min, ImGui::GetItemRectMax()};
    }
    if (!pressed) return;
    switch (p.action) {
        case Action::kAnswer:
            c.out.answer = std::make_pair(p.step, p.choice);
            break;
        case Action::kSkip:
            c.out.skip_question = p.step;
            break;
        case Action::kWhole:
            c.view.narration_whole = true;
            break;
        case Action::kNone:
            break;
    }
}

void DrawPiece(DrawContext& c, const Piece& p, float width, bool panel) {
    switch (p.kind) {
        case PieceKind::kText:
            DrawText(p.font, p.colour, p.text, width);
            return;
        case PieceKind::kRich:
            RichText(c, p.text, p.colour, p.font);
            return;
        case PieceKind::kPair:
            DrawText(p.font, p.colour, p.text, width);
            if (PairFitsOneLine(p, width)) ImGui::SameLine();
            DrawText(p.font2, p.colour2, p.text2,
                     width - (ImGui::GetCursorPosX() - ImGui::GetCursorStartPos().x));
            return;
        case PieceKind::kButton:
            DrawButton(c, p, width, panel);
            return;
        case PieceKind::kGap:
            ImGui::Spacing();
            return;
    }
}

// Draws the blocks that `shown` marks, in their order; `panel` is false in the whole-step window.
void DrawBlocks(DrawContext& c, const std::vector<Block>& blocks, const std::vector<bool>& shown,
                float width, bool panel) {
    bool first = true;
    for (size_t i = 0; i < blocks.size(); ++i) {
        if (!shown[i]) continue;
        if (blocks[i].separated && !first) ImGui::Separator();
        first = false;
        for (const Piece& p : blocks[i].pieces) DrawPiece(c, p, width, panel);
    }
}

std::string ResultLine(DrawContext& c, const core::Event& e) {
    return "→ " + ResultText(c, e);
}

// The learner's answer to the question of `step` against the kernel's: the feedback (a
// question block) and the question's explanation (an explanation block).
void AddAnswer(DrawContext& c, std::vector<Block>& blocks, Block& feedback, int step,
               const core::Question& q, bool compact) {
    const FrameModel& f = c.frame;
    if (!f.answers) return;
    auto it = f.answers->find(step);
    if (it == f.answers->end()) return;
    if (!compact) feedback.pieces.push_back(GapPiece());
    const int chosen = it->second;
    const bool right = chosen == q.answer;
    const std::string picked = chosen >= 0 && static_cast<size_t>(chosen) < q.choices.size()
                                   ? Plain(q.choices[static_cast<size_t>(chosen)].Get(c.lang))
                                   : "?";
    feedback.pieces.push_back(TextPiece(c.font, right ? c.pal.ok : c.pal.error,
                                        std::string(c.T(right ? Text::kRight : Text::kNotQuite)) +
                                            "  " + c.F(Text::kYouAnswered, {picked})));
    if (!right && static_cast<size_t>(q.answer) < q.choices.size()) {
        feedback.pieces.push_back(
            TextPiece(c.font, c.pal.text,
                      c.F(Text::kCorrectAnswer,
                          {Plain(q.choices[static_cast<size_t>(q.answer)].Get(c.lang))})));
    }
    blocks.push_back(std::move(feedback));
    feedback = Block{};
    if (!q.explanation.Get(c.lang).empty()) {
        blocks.push_back(
            Block{kExplanation, false, {RichPiece(c, c.pal.text, q.explanation.Get(c.lang))}});
    }
}

void AddCurrent(DrawContext& c, std::vector<Block>& blocks, size_t index, bool separated) {
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
    // The call, in code font, and what it gave: a block of its own, so that a panel too short
    // for both still says which step this is.
    blocks.push_back(Block{kHeader, separated, {TextPiece(c.bold, c.pal.text, header)}});
    const std::string brief_result =
        e.phase == Phase::kReturn
            ? "→ " + (e.err != 0 ? std::string(core::ErrnoName(e.err)) : std::to_string(e.ret))
            : ResultLine(c, e);
    blocks.push_back(
        Block{kCall,
              false,
              {PairPiece(c.code, c.pal.text, core::FormatCall(e.request), c.font,
                         ResultColour(c, e), ResultLine(c, e))},
              {PairPiece(c.code, c.pal.text, std::string(core::CallName(e.request.call)) + "()",
                         c.font, ResultColour(c, e), brief_result)}});

    const core::LessonStep* step = LessonStepAt(f, e.step);
    // A step waiting for a program outside sockstep: say exactly what to type, first: the
    // narration refers to these commands, and the step cannot go on without them.
    if (step && step->outside_client && e.phase == Phase::kBlocked) {
        const SceneCard* listener = f.scene.FindCard(e.socket_id);
        if (listener && listener->view.local) {
            Block commands{kVerdict, false, {}};
            for (const std::string& command : core::OutsideClientCommands(*listener->view.local))
                commands.pieces.push_back(TextPiece(c.code, c.pal.text, "$ " + command));
            blocks.push_back(std::move(commands));
        }
    }
    if (step && !step->narration.Get(c.lang).empty()) {
        blocks.push_back(
            Block{kExplanation,
                  false,
                  {GapPiece(), RichPiece(c, c.pal.text, step->narration.Get(c.lang))}});
    }
    // The Python view: where Python's name or behaviour differs from the system call.
    if (c.view.code_language == CodeLanguage::kPython) {
        const int err = e.phase == Phase::kReturn ? e.err : 0;
        if (const std::string note = PythonNote(e.request, c.lang, err); !note.empty()) {
            blocks.push_back(
                Block{kExplanation,
                      false,
                      {GapPiece(), TextPiece(c.font, c.pal.text_dim, "Python: " + note)}});
        }
    }
    // sockstep's own account of what the kernel did: the narration itself when no lesson
    // narrates this call, else after the lesson's words, so that they are kept first.
    const std::string explained = ExplainEvent(e, c.lang);
    if (!explained.empty()) {
        if (step) {
            blocks.push_back(
                Block{kDetails,
                      false,
                      {GapPiece(), TextPiece(c.bold, c.pal.text_dim, c.T(Text::kWhatKernelDid)),
                       TextPiece(c.font, c.pal.text, explained)}});
        } else {
            blocks.push_back(
                Block{kExplanation, false, {GapPiece(), TextPiece(c.font, c.pal.text, explained)}});
        }
    }
    if (e.phase == Phase::kReturn && !e.data.empty() && e.request.call != core::CallKind::kPoll) {
        std::string shown = e.data.size() > 200 ? e.data.substr(0, 200) + "…" : e.data;
        blocks.push_back(Block{
            kExplanation,
            false,
            {TextPiece(c.font, c.pal.text, c.F(Text::kReceivedData, {"\"" + shown + "\""}))}});
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
        blocks.push_back(Block{
            kVerdict,
            false,
            {TextPiece(c.font, verdict.alarm && !lesson_verdict ? c.pal.error : c.pal.text_dim,
                       line)}});
    }
    // The question asked before this step: the learner's answer against the kernel's.
    if (step && step->question) {
        Block feedback{kQuestion, false, {}};
        if (e.phase == Phase::kReturn) {
            AddAnswer(c, blocks, feedback, e.step, *step->question, false);
        } else if (e.phase == Phase::kBlocked && f.answers && f.answers->count(e.step)) {
            feedback.pieces.push_back(
                TextPiece(c.font, c.pal.text_dim, c.T(Text::kAnswerWhenReturns)));
            blocks.push_back(std::move(feedback));
        }
    }
    // Another questioned call that returned during this one (a blocked accept() woken by this
    // connect()): its answer is settled now too.
    for (size_t i = EnterIndex(f.log, index) + 1; i < f.scene.cursor; ++i) {
        const core::Event& other = f.log[i];
        if (i == index || other.phase != Phase::kReturn || other.step == e.step) continue;
        const core::LessonStep* s = LessonStepAt(f, other.step);
        if (!s || !s->question || !f.answers || !f.answers->count(other.step)) continue;
        Block feedback{kQuestion,
                       true,
                       {PairPiece(c.code, c.pal.text, core::FormatCall(other.request), c.font,
                                  ResultColour(c, other), ResultLine(c, other))}};
        AddAnswer(c, blocks, feedback, other.step, *s->question, true);
    }
    if (lesson_verdict) {
        Block b{
            kVerdict,
            false,
            {GapPiece(), TextPiece(c.font, verdict.alarm ? c.pal.error : c.pal.ok, verdict.text)}};
        if (verdict.peer_closed)
            b.pieces.push_back(TextPiece(c.font, c.pal.text, c.T(Text::kPeerClosedFirst)));
        blocks.push_back(std::move(b));
    }
}

void AddQuestion(DrawContext& c, std::vector<Block>& blocks, int step_index,
                 const core::Question& q) {
    const FrameModel& f = c.frame;
    Block b{kQuestion,
            false,
            {GapPiece(), TextPiece(c.bold, c.pal.accent, c.T(Text::kQuestionBefore)),
             RichPiece(c, c.pal.text, q.prompt.Get(c.lang))}};
    const auto answered =
        f.answers ? f.answers->find(step_index) : std::map<int, int>::const_iterator();
    const bool has_answer = f.answers && answered != f.answers->end();
    for (size_t i = 0; i < q.choices.size(); ++i) {
        Piece choice = TextPiece(
            c.font, c.pal.text,
            std::string(1, static_cast<char>('A' + i)) + ". " + Plain(q.choices[i].Get(c.lang)));
        choice.kind = PieceKind::kButton;
        choice.action = Action::kAnswer;
        choice.step = step_index;
        choice.choice = static_cast<int>(i);
        choice.chosen = has_answer && answered->second == static_cast<int>(i);
        b.pieces.push_back(std::move(choice));
    }
    if (has_answer) {
        b.pieces.push_back(TextPiece(c.font, c.pal.text_dim, c.T(Text::kAnswerToRun)));
    } else {
        Piece skip = TextPiece(c.font, c.pal.text, c.T(Text::kSkipQuestion));
        skip.kind = PieceKind::kButton;
        skip.action = Action::kSkip;
        skip.step = step_index;
        skip.small = true;
        b.pieces.push_back(std::move(skip));
    }
    blocks.push_back(std::move(b));
}

void AddNext(DrawContext& c, std::vector<Block>& blocks) {
    const FrameModel& f = c.frame;
    if (f.file_mode) return;
    const bool separated = !blocks.empty();
    if (f.step_state == StepState::kNoScript) {
        blocks.push_back(
            Block{kNext, separated, {TextPiece(c.font, c.pal.text_dim, c.T(Text::kNextFree))}});
        return;
    }
    if (f.step_state == StepState::kDone) {
        blocks.push_back(
            Block{kNext, separated, {TextPiece(c.font, c.pal.text_dim, c.T(Text::kLessonOver))}});
        return;
    }
    if (f.scene.history || f.next_step >= f.script_size) return;
    const core::LessonStep* step = LessonStepAt(f, static_cast<int>(f.next_step));
    Block next{kNext, separated, {}};
    if (step) {
        std::string actor = step->actor >= 0 && static_cast<size_t>(step->actor) < f.actors.size()
                                ? f.actors[static_cast<size_t>(step->actor)].name
                                : std::string();
        next.pieces.push_back(PairPiece(c.bold, c.pal.text, c.F(Text::kNextStep, {actor}), c.code,
                                        c.pal.text, core::FormatCall(step->request)));
    }
    if (f.step_state == StepState::kBusy) {
        next.pieces.push_back(TextPiece(
            c.font, c.pal.warn, c.F(Text::kStepBusy, {f.busy_actor, core::CallName(f.busy_call)})));
    }
    if (!next.pieces.empty()) blocks.push_back(std::move(next));
    if (step && step->question)
        AddQuestion(c, blocks, static_cast<int>(f.next_step), *step->question);
}

// The whole narration of the frame, in display order.
std::vector<Block> BuildNarration(DrawContext& c) {
    const FrameModel& f = c.frame;
    std::vector<Block> blocks;
    if (!f.lesson_errors.empty()) {
        Block errors{kHeader, false, {TextPiece(c.font, c.pal.error, c.T(Text::kLessonError))}};
        for (const std::string& e : f.lesson_errors)
            errors.pieces.push_back(TextPiece(c.font, c.pal.error, e));
        blocks.push_back(std::move(errors));
    }
    // A question waiting for the learner comes first: it is what they must act on.
    const core::LessonStep* next = LessonStepAt(f, static_cast<int>(f.next_step));
    const bool asking =
        !f.scene.history && !f.file_mode && next && next->question &&
        (f.step_state == StepState::kNeedAnswer || f.step_state == StepState::kReady);
    if (asking) AddNext(c, blocks);
    if (f.scene.current) {
        AddCurrent(c, blocks, *f.scene.current, !blocks.empty());
    } else if (f.lesson) {
        const bool separated = !blocks.empty();
        blocks.push_back(Block{
            kHeader, separated, {TextPiece(c.bold, c.pal.text, f.lesson->title.Get(c.lang))}});
        blocks.push_back(
            Block{kExplanation, false, {RichPiece(c, c.pal.text, f.lesson->summary.Get(c.lang))}});
        blocks.push_back(
            Block{kNext,
                  false,
                  {GapPiece(), TextPiece(c.font, c.pal.text_dim, c.T(Text::kNoEventsYet))}});
    } else if (!f.file_mode) {
        blocks.push_back(Block{
            kHeader, !blocks.empty(), {TextPiece(c.font, c.pal.text, c.T(Text::kFreePlayHint))}});
    }
    if (!asking) AddNext(c, blocks);
    return blocks;
}

float BlocksHeight(DrawContext& c, const std::vector<Block>& blocks, float width) {
    float h = 0;
    for (size_t i = 0; i < blocks.size(); ++i)
        h += BlockHeight(c, blocks[i], width) + (i > 0 ? ImGui::GetStyle().ItemSpacing.y : 0.0f);
    return h;
}

Piece WholeButton(DrawContext& c) {
    Piece more = TextPiece(c.font, c.pal.text, c.T(Text::kNarrationMore));
    more.kind = PieceKind::kButton;
    more.action = Action::kWhole;
    more.small = true;
    return more;
}

// Which blocks the panel shows in `height`: all when they fit; else, by priority, each block
// that still fits whole above the control that opens the whole step. The call that just ran
// stays even when the control then has no row of its own (`control_row` false): every other
// block goes first.
std::vector<bool> Fit(DrawContext& c, std::vector<Block>& blocks, float width, float height,
                      float control_h, bool& folded, bool& control_row) {
    control_row = true;
    std::vector<bool> shown(blocks.size(), true);
    folded = BlocksHeight(c, blocks, width) > height;
    if (!folded) return shown;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    std::vector<size_t> order(blocks.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return blocks[a].priority < blocks[b].priority; });
    float used = control_h;
    std::fill(shown.begin(), shown.end(), false);
    for (const size_t i : order) {
        const float need = BlockHeight(c, blocks[i], width) + spacing;
        if (used + need > height) {
            if (blocks[i].priority != kCall) continue;
            // The call stays: whole with the control, else its brief form with it, else alone.
            if (!blocks[i].brief.empty()) {
                Block brief = blocks[i];
                brief.pieces = brief.brief;
                const float brief_need = BlockHeight(c, brief, width) + spacing;
                if (used + brief_need <= height || used - control_h + need > height) {
                    blocks[i].pieces = brief.pieces;
                    if (used + brief_need <= height) {
                        shown[i] = true;
                        used += brief_need;
                        continue;
                    }
                }
            }
            const float now = BlockHeight(c, blocks[i], width) + spacing;
            if (used - control_h + now <= height) {
                shown[i] = true;
                used += now;
                control_row = false;
            }
            continue;
        }
        shown[i] = true;
        used += need;
    }
    return shown;
}

void DrawWhole(DrawContext& c) {
    if (c.view.narration_whole && !ImGui::IsPopupOpen("###narration_whole"))
        ImGui::OpenPopup("###narration_whole");
    const std::string title = std::string(c.T(Text::kNarrationWhole)) + "###narration_whole";
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0),
                                        ImVec2(vp->WorkSize.x * 0.9f, vp->WorkSize.y * 0.9f));
    if (!ImGui::BeginPopupModal(title.c_str(), &c.view.narration_whole,
                                ImGuiWindowFlags_AlwaysAutoResize))
        return;
    c.view.layout.narration_whole = {ImGui::GetWindowPos(),
                                     ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                            ImGui::GetWindowPos().y + ImGui::GetWindowSize().y)};
    const std::vector<Block> blocks = BuildNarration(c);
    const float width = std::min(c.Em() * 32.0f, vp->WorkSize.x * 0.8f);
    DrawBlocks(c, blocks, std::vector<bool>(blocks.size(), true), width, false);
    ImGui::Spacing();
    if (ImGui::Button(c.T(Text::kClose)) || KeyPressed(c, c.view.keys.escape)) {
        c.view.narration_whole = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace

float NarrationHeight(DrawContext& c, float width) {
    const ImVec2 pad = ImGui::GetStyle().WindowPadding;
    return BlocksHeight(c, BuildNarration(c), std::max(1.0f, width - 2 * pad.x)) + 2 * pad.y;
}

void DrawNarration(DrawContext& c, ImVec2 size) {
    // Nothing overflows (what does not fit is folded), so there is nothing to scroll.
    constexpr ImGuiWindowFlags kFlags =
        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    Child("narration", size, true, kFlags, [&] {
        c.view.layout.narration = {ImGui::GetWindowPos(), ImVec2(ImGui::GetWindowPos().x + size.x,
                                                                 ImGui::GetWindowPos().y + size.y)};
        // What is on screen of the panel: a panel that runs past its parent's edge is cut there.
        const ImVec2 cursor = ImGui::GetCursorScreenPos();
        const ImVec2 clip = ImGui::GetWindowDrawList()->GetClipRectMax();
        const ImVec2 avail(std::min(ImGui::GetContentRegionAvail().x, clip.x - cursor.x),
                           std::min(ImGui::GetContentRegionAvail().y, clip.y - cursor.y));
        const float width = std::max(1.0f, avail.x);
        std::vector<Block> blocks = BuildNarration(c);
        const Piece more = WholeButton(c);
        bool folded = false;
        bool control_row = true;
        const std::vector<bool> shown =
            Fit(c, blocks, width, avail.y, PieceHeight(c, more, width), folded, control_row);
        c.view.layout.narration_folded =
            static_cast<size_t>(std::count(shown.begin(), shown.end(), false));
        DrawBlocks(c, blocks, shown, width, true);
        // The control goes last, under what is shown; in a panel too short even for it, nothing
        // is drawn rather than a line cut in half.
        if (folded && control_row && PieceHeight(c, more, width) <= avail.y) {
            DrawPiece(c, more, width, true);
        } else if (folded && !control_row) {
            // Only the call's line fits: the control follows it on that line when there is room
            // (a call on two lines leaves it out: it would stand over the first).
            const auto call = std::find_if(blocks.begin(), blocks.end(),
                                           [](const Block& b) { return b.priority == kCall; });
            const float gap = ImGui::GetStyle().ItemSpacing.x;
            const float label =
                ImGui::CalcTextSize(more.text.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
            if (call != blocks.end() &&
                BlockHeight(c, *call, width) < ImGui::GetFontSize() * 1.5f) {
                ImGui::SameLine(0, gap * 2);
                const float room = width - (ImGui::GetCursorPosX() - ImGui::GetCursorStartPos().x);
                if (label <= room) DrawPiece(c, more, room, true);
            }
        }
    });
    DrawWhole(c);
}

}  // namespace sockstep::ui
