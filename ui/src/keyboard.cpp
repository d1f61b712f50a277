// Keyboard shortcuts for the classroom: Space step, ←/→ timeline, R reset, P play, +/- text
// size, F11 full screen, L language, K kernel table, F1 or ? help, Esc back. Key codes come
// from the app (GLFW's, which index io.KeysDown in ImGui 1.86), so ui/ needs no GLFW header.
// Nothing fires while a text field has the keyboard.
#include <algorithm>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

bool Pressed(int key, bool repeat = false) {
    return key >= 0 && key < IM_ARRAYSIZE(ImGuiIO::KeysDown) && ImGui::IsKeyPressed(key, repeat);
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

void HandleShortcuts(DrawContext& c) {
    const ImGuiIO& io = ImGui::GetIO();
    const KeyCodes& k = c.frame.keys;
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
    const bool question = io.KeyShift && Pressed(k.slash);
    // While a dialog is up only its own keys count; help toggles itself.
    if (c.view.help) {
        if (Pressed(k.f1) || question) c.view.help = false;
        return;
    }
    if (ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;

    if (Pressed(k.f1) || question) c.view.help = true;
    if (Pressed(k.space)) StepOrSay(c);
    const size_t total = c.frame.log.size();
    const size_t cursor = c.frame.scene.cursor;
    if (Pressed(k.left, true) && total > 0) SeekTo(c, cursor > 1 ? cursor - 1 : 1);
    if (Pressed(k.right, true) && total > 0) SeekTo(c, cursor + 1);
    if (Pressed(k.home) && total > 0) SeekTo(c, 1);
    if (Pressed(k.end)) c.view.cursor.reset();
    if (Pressed(k.escape)) c.view.cursor.reset();
    if (Pressed(k.r)) c.out.reset = true;
    if (Pressed(k.p)) c.out.play = !c.frame.playing;
    if (Pressed(k.k)) c.view.kernel_table = !c.view.kernel_table;
    if (Pressed(k.l)) c.out.lang = c.lang == core::Lang::kKo ? core::Lang::kEn : core::Lang::kKo;
    if (Pressed(k.f11)) c.out.toggle_fullscreen = true;
    const float scale = c.frame.font_scale;
    if (Pressed(k.equal) || Pressed(k.kp_add)) {
        c.out.font_scale = std::min(kMaxFontScale, scale + kFontScaleStep);
    }
    if ((Pressed(k.minus) && !io.KeyShift) || Pressed(k.kp_subtract)) {
        c.out.font_scale = std::max(kMinFontScale, scale - kFontScaleStep);
    }
}

}  // namespace sockstep::ui
