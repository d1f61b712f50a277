// The main window: client pane on the left, the wire, server pane on the right.
#include "sockstep/ui/main_window.h"

#include <imgui.h>

#include "sockstep/ui/strings.h"

namespace sockstep::ui {
namespace {

void DrawPane(const char* id, const char* title, float width) {
    ImGui::BeginChild(id, ImVec2(width, 0), true);
    ImGui::TextUnformatted(title);
    ImGui::Separator();
    ImGui::EndChild();
}

}  // namespace

void DrawMainWindow(const MainWindowModel& model) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("##main", nullptr, kFlags);
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float pane = (avail - 2 * spacing) * 0.38f;
    const float wire = avail - 2 * pane - 2 * spacing;
    DrawPane("client", Tr(Text::kClient, model.lang), pane);
    ImGui::SameLine();
    DrawPane("wire", Tr(Text::kWire, model.lang), wire);
    ImGui::SameLine();
    DrawPane("server", Tr(Text::kServer, model.lang), pane);
    ImGui::End();
}

}  // namespace sockstep::ui
