// "Discard the 14 steps of this session?": asked before Reset, another lesson or opening a log
// drops a live session with history (the Controller holds the intent back until the answer).
// Enter discards, Escape keeps the session.
#include <imgui.h>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

Text WhyOf(DiscardReason reason) {
    switch (reason) {
        case DiscardReason::kLesson:
            return Text::kDiscardLesson;
        case DiscardReason::kOpenLog:
            return Text::kDiscardOpenLog;
        default:
            return Text::kDiscardReset;
    }
}

// The app's queued press (a short tap between two frames counts, keyboard.cpp), or ImGui's own
// key state where no queue feeds the frame.
bool Pressed(const DrawContext& c, int key) {
    return KeyPressed(c, key) ||
           (key >= 0 && key < IM_ARRAYSIZE(ImGuiIO::KeysDown) && ImGui::IsKeyPressed(key, false));
}

}  // namespace

void DrawDiscardDialog(DrawContext& c) {
    const FrameModel& f = c.frame;
    if (f.discard == DiscardReason::kNone) return;
    constexpr const char* kId = "###discard";
    if (!ImGui::IsPopupOpen(kId)) ImGui::OpenPopup(kId);
    const std::string title =
        (f.discard_steps == 1 ? std::string(c.T(Text::kDiscardTitleOne))
                              : c.F(Text::kDiscardTitle, {std::to_string(f.discard_steps)})) +
        kId;
    ImGui::SetNextWindowSize(ImVec2(c.Em() * 30, 0), ImGuiCond_Always);
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(c.T(WhyOf(f.discard)));
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const ImGuiIO& io = ImGui::GetIO();
    const bool enter =
        Pressed(c, io.KeyMap[ImGuiKey_Enter]) || Pressed(c, io.KeyMap[ImGuiKey_KeyPadEnter]);
    const bool escape = Pressed(c, c.view.keys.escape) || Pressed(c, io.KeyMap[ImGuiKey_Escape]);
    const bool discard = ImGui::Button(c.T(Text::kDiscard)) || enter;
    c.view.layout.discard_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    const bool keep = ImGui::Button(c.T(Text::kKeepSession)) || escape;
    c.view.layout.keep_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    if (discard || keep) {
        c.out.discard = discard;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace sockstep::ui
