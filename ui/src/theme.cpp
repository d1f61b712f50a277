// The dark and light (projector) themes.
#include "sockstep/ui/theme.h"

#include <imgui.h>

namespace sockstep::ui {

void ApplyTheme(Theme theme, float scale) {
    ImGuiStyle style;
    if (theme == Theme::kDark) {
        ImGui::StyleColorsDark(&style);
    } else {
        // Projectors wash out pale greys: black text on white, strong borders.
        ImGui::StyleColorsLight(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
        c[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.97f, 0.97f, 0.97f, 1);
        c[ImGuiCol_Border] = ImVec4(0.25f, 0.25f, 0.25f, 1);
        c[ImGuiCol_FrameBg] = ImVec4(0.90f, 0.90f, 0.90f, 1);
        c[ImGuiCol_Button] = ImVec4(0.80f, 0.86f, 0.96f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.62f, 0.74f, 0.95f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.45f, 0.60f, 0.92f, 1);
        style.FrameBorderSize = 1.0f;
    }
    style.WindowRounding = 0.0f;
    style.ChildRounding = 4.0f;
    style.FrameRounding = 3.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

std::optional<Theme> ParseTheme(std::string_view text) {
    if (text == "dark") return Theme::kDark;
    if (text == "light") return Theme::kLight;
    return std::nullopt;
}

std::string_view ThemeName(Theme theme) { return theme == Theme::kDark ? "dark" : "light"; }

}  // namespace sockstep::ui
