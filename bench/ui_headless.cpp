// sockstep_ui_bench helper: a window-less ImGui context (no GLFW, no GL), as DESIGN.md §2 says:
// display size, delta time, no .ini file, and a built font atlas, then NewFrame/Render work.
#include "ui_headless.h"

namespace sockstep::bench {

HeadlessImGui::HeadlessImGui(float width, float height) : m_context(ImGui::CreateContext()) {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;  // never read or write imgui.ini next to the caller
    // As the app's renderer (imgui_impl_opengl3 on GL 3.3) declares: a window's draw list may
    // pass 64K vertices, split by VtxOffset. Without it ImGui asserts on large scenes.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
}

HeadlessImGui::~HeadlessImGui() {
    ImGui::DestroyContext(m_context);
}

}  // namespace sockstep::bench
