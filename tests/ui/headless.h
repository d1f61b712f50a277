// Test helper: a window-less ImGui context with input injected through the ImGui 1.86 API
// (io.MousePos / io.MouseDown / io.KeysDown are state, not events, in 1.86).
#pragma once

#include <imgui.h>

#include <functional>

namespace sockstep::testing {

class HeadlessImGui {
  public:
    explicit HeadlessImGui(float width = 1280, float height = 720);
    ~HeadlessImGui();
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    // One NewFrame / draw / Render cycle.
    void Frame(const std::function<void()>& draw);
    // Hover, press, release: three frames, as a real click (Button() fires on release).
    void Click(ImVec2 pos, const std::function<void()>& draw);

    ImGuiIO& io() { return ImGui::GetIO(); }

  private:
    ImGuiContext* m_context;
};

}  // namespace sockstep::testing
