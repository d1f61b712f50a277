// Keyboard shortcuts for the classroom: Space step, ←/→ timeline, PageDown/PageUp (a presenter's
// clicker) forward and back, 1/2/3 or A/B/C answer the question, R reset, P play, +/- text size,
// F11 full screen, L language, K kernel table, F1 or ? help, Esc back. The presses come from the
// app's queue (ViewState::key_press, GLFW's codes), not from ImGui's key state, which loses a
// tap shorter than a frame; ui/ needs no GLFW header. Nothing fires while a text field has the
// keyboard.
#include <algorithm>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

// A typed character: '+', '-' and '?' sit on different keys on different layouts.
bool Typed(const DrawContext& c, unsigned int chr) {
    const std::optional<KeyPress>& p = c.view.key_press;
    return p && p->key < 0 && p->chr == chr;
}

// The question before the next step, if the learner can answer it now.
const core::Question* OpenQuestion(const FrameModel& f) {
    if (!f.lesson || f.scene.history || f.file_mode || f.next_step >= f.lesson->steps.size())
        return nullptr;
    if (f.step_state != StepState::kNeedAnswer && f.step_state != StepState::kReady) return nullptr;
    const core::LessonStep& step = f.lesson->steps[f.next_step];
    return step.question ? &*step.question : nullptr;
}

// 1/2/3 (row or keypad) and A/B/C pick the question's choice of that number.
void Answer(DrawContext& c) {
    const core::Question* q = OpenQuestion(c.frame);
    if (!q) return;
    const KeyCodes& k = c.view.keys;
    for (size_t i = 0; i < 3 && i < q->choices.size(); ++i) {
        if (KeyPressed(c, k.answer_digit[i]) || KeyPressed(c, k.answer_keypad[i]) ||
            KeyPressed(c, k.answer_letter[i])) {
            c.out.answer = std::make_pair(static_cast<int>(c.frame.next_step), static_cast<int>(i));
        }
    }
}

void StepOrSay(DrawContext& c) {
    const FrameModel& f = c.frame;
    switch (f.step_state) {
        case StepState::kReady:
        case StepState::kFile:
            c.out.step = true;
            break;
        case StepState::kNeedAnswer:
            c.view.Notify(c.T(Text::kStepAnswerFirst), false, 3.0);
            break;
        case StepState::kBusy:
            c.view.Notify(c.F(Text::kStepBusy, {f.busy_actor, core::CallName(f.busy_call)}), false,
                          3.0);
            break;
        case StepState::kDone:
            c.view.Notify(c.T(Text::kStepDone), false, 3.0);
            break;
        case StepState::kNoScript:
            c.view.Notify(c.T(Text::kNextFree), false, 3.0);
            break;
    }
}

}  // namespace

bool KeyPressed(const DrawContext& c, int key, bool repeat) {
    const std::optional<KeyPress>& p = c.view.key_press;
    return key >= 0 && p && p->key == key && (repeat || !p->repeat) && !p->ctrl && !p->alt &&
           !p->super;
}

void HandleShortcuts(DrawContext& c) {
    const ImGuiIO& io = ImGui::GetIO();
    const KeyCodes& k = c.view.keys;
    if (io.WantTextInput || !c.view.key_press) return;
    // Shortcuts are plain keys: Ctrl, Alt or Super with one of them means something else.
    const KeyPress& press = *c.view.key_press;
    if (press.ctrl || press.alt || press.super) return;
    const auto Pressed = [&](int key, bool repeat = false) { return KeyPressed(c, key, repeat); };
    const bool question = Typed(c, '?');
    // While a dialog is up only its own keys count; help toggles itself.
    if (c.view.help) {
        if (Pressed(k.f1) || question) c.view.help = false;
        return;
    }
    if (ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;

    if (Pressed(k.f1) || question) c.view.help = true;
    if (Pressed(k.space)) StepOrSay(c);
    Answer(c);
    const size_t total = c.frame.log.size();
    const size_t cursor = c.frame.scene.cursor;
    const bool back = Pressed(k.left, true) || Pressed(k.page_up, true);
    if (back && total > 0) SeekTo(c, cursor > 1 ? cursor - 1 : 1);
    if (Pressed(k.right, true) && total > 0) SeekTo(c, cursor + 1);
    // A clicker's "next": forward through the history while viewing it, else the next step.
    if (Pressed(k.page_down)) {
        if (c.frame.scene.history && total > 0) {
            SeekTo(c, cursor + 1);
        } else {
            StepOrSay(c);
        }
    }
    if (Pressed(k.home) && total > 0) SeekTo(c, 1);
    if (Pressed(k.end)) c.view.cursor.reset();
    if (Pressed(k.escape)) c.view.cursor.reset();
    if (Pressed(k.r)) c.out.reset = true;
    if (Pressed(k.p)) c.out.play = !c.frame.playing;
    if (Pressed(k.k)) c.view.kernel_table = !c.view.kernel_table;
    if (Pressed(k.l)) c.out.lang = c.lang == core::Lang::kKo ? core::Lang::kEn : core::Lang::kKo;
    if (Pressed(k.f11)) c.out.toggle_fullscreen = true;
    const float scale = c.frame.font_scale;
    // By character, so '+' works on every layout and on the keypad ('=' is '+' unshifted).
    if (Typed(c, '+') || Typed(c, '=')) {
        c.out.font_scale = std::min(kMaxFontScale, scale + kFontScaleStep);
    }
    if (Typed(c, '-')) c.out.font_scale = std::max(kMinFontScale, scale - kFontScaleStep);
}

}  // namespace sockstep::ui
