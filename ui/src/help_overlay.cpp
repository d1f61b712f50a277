// The help overlay (every shortcut, F1 or ?), the About box, and the notice that confirms a
// saved file or reports an error for a few seconds.
#include "draw_context.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

struct Shortcut {
    const char* keys;
    Text action;
};

constexpr Shortcut kShortcuts[] = {
    {"Space  PageDown", Text::kKeyStep},
    {"← →  Home End", Text::kKeyTimeline},
    {"PageUp", Text::kKeyBack},
    {"1 2 3  A B C", Text::kKeyAnswer},
    {"R", Text::kKeyReset},
    {"P", Text::kKeyPlay},
    {"+  -", Text::kKeyFont},
    {"F11", Text::kKeyFullScreen},
    {"L", Text::kKeyLanguage},
    {"K", Text::kKeyKernelTable},
    {"F1  ?", Text::kKeyHelp},
    {"Esc", Text::kKeyEscape},
};

}  // namespace

void DrawHelpOverlay(DrawContext& c) {
    if (c.view.help && !ImGui::IsPopupOpen("###help")) ImGui::OpenPopup("###help");
    const std::string title = std::string(c.T(Text::kShortcutsTitle)) + "###help";
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(title.c_str(), &c.view.help, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        for (const Shortcut& s : kShortcuts) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            WithFont(c.bold, [&] { ImGui::TextUnformatted(s.keys); });
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.T(s.action));
        }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::PushTextWrapPos(c.Em() * 30);
    ImGui::TextUnformatted(c.T(Text::kMouseHelp));
    ImGui::Spacing();
    // The full legend: every kernel state, its colour and meaning.
    WithFont(c.bold, [&] { ImGui::TextUnformatted(c.T(Text::kLegendTitle)); });
    using core::TcpState;
    for (TcpState s :
         {TcpState::kListen, TcpState::kSynSent, TcpState::kSynRecv, TcpState::kEstablished,
          TcpState::kFinWait1, TcpState::kFinWait2, TcpState::kCloseWait, TcpState::kClosing,
          TcpState::kLastAck, TcpState::kTimeWait, TcpState::kClose}) {
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const ImVec2 badge = StateBadge(ImGui::GetWindowDrawList(), c.bold, pos, s);
        ImGui::Dummy(ImVec2(c.Em() * 7, badge.y));
        ImGui::SameLine();
        ImGui::TextUnformatted(TcpStateMeaning(s, c.lang));
    }
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (ImGui::Button(c.T(Text::kClose)) || KeyPressed(c, c.view.keys.escape)) {
        c.view.help = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void DrawAbout(DrawContext& c) {
    if (c.view.about && !ImGui::IsPopupOpen("###about")) ImGui::OpenPopup("###about");
    const std::string title = std::string(c.T(Text::kMenuAbout)) + "###about";
    if (!ImGui::BeginPopupModal(title.c_str(), &c.view.about, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ImGui::PushTextWrapPos(c.Em() * 28);
    ImGui::TextUnformatted(c.T(Text::kAboutText));
    ImGui::PopTextWrapPos();
    if (ImGui::Button(c.T(Text::kClose))) {
        c.view.about = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void DrawNotice(DrawContext& c) {
    if (c.view.notice.empty() || c.view.time > c.view.notice_until) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float pad = c.Em();
    ImGui::SetNextWindowPos(
        ImVec2(vp->WorkPos.x + vp->WorkSize.x - pad, vp->WorkPos.y + vp->WorkSize.y - pad * 5),
        ImGuiCond_Always, ImVec2(1.0f, 1.0f));
    ImGui::SetNextWindowBgAlpha(0.95f);
    constexpr ImGuiWindowFlags kFlags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
        ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs;
    if (ImGui::Begin("##notice", nullptr, kFlags)) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                                 c.view.notice_error ? c.pal.error : c.pal.text));
        ImGui::PushTextWrapPos(c.Em() * 30);
        ImGui::TextUnformatted(c.view.notice.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace sockstep::ui
