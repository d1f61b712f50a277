// The main window drawn headless: both panes exist, labelled in the chosen language.
#include "sockstep/ui/main_window.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>

#include "headless.h"

namespace sockstep::testing {
namespace {

// Child windows are named "<parent>/<id>_<hash>"; find one whose name contains `id`.
ImGuiWindow* FindChild(const char* id) {
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows) {
        if (std::string_view(w->Name).find(id) != std::string_view::npos) return w;
    }
    return nullptr;
}

TEST(MainWindow, DrawsClientWireAndServerPanesSideBySide) {
    HeadlessImGui imgui(1280, 720);
    ui::MainWindowModel model;
    imgui.Frame([&] { ui::DrawMainWindow(model); });
    ImGuiWindow* client = FindChild("/client");
    ImGuiWindow* wire = FindChild("/wire");
    ImGuiWindow* server = FindChild("/server");
    ASSERT_NE(client, nullptr);
    ASSERT_NE(wire, nullptr);
    ASSERT_NE(server, nullptr);
    EXPECT_LT(client->Pos.x, wire->Pos.x);
    EXPECT_LT(wire->Pos.x, server->Pos.x);
    EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 0);
}

}  // namespace
}  // namespace sockstep::testing
