// sockstep_ui_bench helper: a window-less ImGui 1.86 context (a copy of tests/ui/headless.h, so the
// benchmarks do not depend on the test tree, which scripts/bench does not configure).
#pragma once

#include <imgui.h>

namespace sockstep::bench {

class HeadlessImGui {
  public:
    explicit HeadlessImGui(float width = 1280, float height = 720);
    ~HeadlessImGui();
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    ImGuiIO& io() { return ImGui::GetIO(); }

  private:
    ImGuiContext* m_context;
};

}  // namespace sockstep::bench
