// Test helper: a window-less ImGui context for driving the views frame by frame.
#include "headless.h"

namespace sockstep::testing {

HeadlessImGui::HeadlessImGui(float width, float height) : m_context(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

HeadlessImGui::~HeadlessImGui() {
    ImGui::DestroyContext(m_context);
}

void HeadlessImGui::Frame(const std::function<void()>& draw) {
    ImGui::NewFrame();
    draw();
    ImGui::Render();
}

void HeadlessImGui::Click(ImVec2 pos, const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pos;
    Frame(draw);
    io.MouseDown[0] = true;
    Frame(draw);
    io.MouseDown[0] = false;
    Frame(draw);
}

}  // namespace sockstep::testing
