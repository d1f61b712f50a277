// The dark and light (projector) themes, the palette, and the TCP state colours.
#include "sockstep/ui/theme.h"

#include "sockstep/ui/contrast_check.h"

namespace sockstep::ui {
namespace {

constexpr ImU32 Rgb(unsigned rgb, unsigned alpha = 255) {
    // ImGui packs colours as ABGR.
    return (alpha << 24) | ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | ((rgb >> 16) & 0xFF);
}

// Every text colour here meets WCAG AA (4.5:1) on every fill it is drawn on, highlighted cards
// and faded legend badges included, as measured from the drawn frames (docs/ACCESSIBILITY.md).
constexpr Palette kDark{
    Rgb(0xECEFF4), Rgb(0xB4BCC8),     Rgb(0xF5B942), Rgb(0xF5B942, 40), Rgb(0x1B1B1B),
    Rgb(0xFF9090), Rgb(0xFF6B6B, 50), Rgb(0x4ADE80), Rgb(0xFBBF24),     Rgb(0xFBBF24, 45),
    Rgb(0x262B35), Rgb(0x5B6578),     Rgb(0x1D2129), Rgb(0x8A93A6),     Rgb(0x323846),
    Rgb(0xF5B942), Rgb(0x1B1B1B),     Rgb(0x4ADE80), Rgb(0xB8C1D1),     Rgb(0x8A93A6),
    Rgb(0x3A4150), Rgb(0x1A1D24),
};

// High contrast for projectors: near-black text, saturated but dark accents, strong borders.
constexpr Palette kLight{
    Rgb(0x000000), Rgb(0x3D4654),     Rgb(0x9A3412), Rgb(0xF59E0B, 70), Rgb(0xFFFFFF),
    Rgb(0xB91C1C), Rgb(0xDC2626, 40), Rgb(0x15803D), Rgb(0x92400E),     Rgb(0xF59E0B, 60),
    Rgb(0xFFFFFF), Rgb(0x2B2B2B),     Rgb(0xF2F2F2), Rgb(0x4B4B4B),     Rgb(0xDDE3EC),
    Rgb(0x9A3412), Rgb(0xFFFFFF),     Rgb(0x15803D), Rgb(0x333333),     Rgb(0xC9CED6),
    Rgb(0xD9DEE5), Rgb(0xF7F7F2),
};

}  // namespace

void ApplyTheme(Theme theme, float scale) {
    ImGuiStyle style;
    if (theme == Theme::kDark) {
        ImGui::StyleColorsDark(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.17f, 1);
        c[ImGuiCol_Text] = ImVec4(0.93f, 0.94f, 0.96f, 1);
        c[ImGuiCol_Border] = ImVec4(0.33f, 0.36f, 0.42f, 1);
    } else {
        // Projectors wash out pale greys: black text on white, strong borders.
        ImGui::StyleColorsLight(&style);
        ImVec4* c = style.Colors;
        c[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
        c[ImGuiCol_TextDisabled] = ImVec4(0.35f, 0.35f, 0.35f, 1);
        c[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_ChildBg] = ImVec4(0.97f, 0.97f, 0.97f, 1);
        c[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 1);
        c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.92f, 0.95f, 1);
        c[ImGuiCol_Border] = ImVec4(0.25f, 0.25f, 0.25f, 1);
        c[ImGuiCol_FrameBg] = ImVec4(0.90f, 0.90f, 0.90f, 1);
        c[ImGuiCol_Button] = ImVec4(0.80f, 0.86f, 0.96f, 1);
        c[ImGuiCol_ButtonHovered] = ImVec4(0.62f, 0.74f, 0.95f, 1);
        c[ImGuiCol_ButtonActive] = ImVec4(0.45f, 0.60f, 0.92f, 1);
        c[ImGuiCol_Header] = ImVec4(0.80f, 0.86f, 0.96f, 1);
        c[ImGuiCol_TableHeaderBg] = ImVec4(0.86f, 0.89f, 0.94f, 1);
        style.FrameBorderSize = 1.0f;
    }
    style.WindowRounding = 0.0f;
    style.ChildRounding = 4.0f;
    style.FrameRounding = 3.0f;
    style.PopupRounding = 4.0f;
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

const Palette& PaletteFor(Theme theme) {
    return theme == Theme::kDark ? kDark : kLight;
}

namespace {

// The theme in use, read from the style ApplyTheme set: a light window is the light theme.
bool LightStyle() {
    return ImGui::GetCurrentContext() != nullptr &&
           ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.5f;
}

}  // namespace

ImU32 TcpStateColour(core::TcpState state) {
    // Per theme, each 3:1 or more against every card, pane and highlighted card beneath it
    // (WCAG 1.4.11, measured from the drawn frames): lighter on dark, darker on light.
    using core::TcpState;
    const bool light = LightStyle();
    switch (state) {
        case TcpState::kListen:
            return light ? Rgb(0x2563EB) : Rgb(0x60A5FA);
        case TcpState::kSynSent:
            return light ? Rgb(0xC2410C) : Rgb(0xFB923C);
        case TcpState::kSynRecv:
        case TcpState::kNewSynRecv:
            return light ? Rgb(0xA16207) : Rgb(0xEAB308);
        case TcpState::kEstablished:
            return light ? Rgb(0x15803D) : Rgb(0x22C55E);
        case TcpState::kFinWait1:
            return light ? Rgb(0x9333EA) : Rgb(0xC084FC);
        case TcpState::kFinWait2:
            return light ? Rgb(0x6D28D9) : Rgb(0xA78BFA);
        case TcpState::kCloseWait:
            return light ? Rgb(0xDB2777) : Rgb(0xF472B6);
        case TcpState::kClosing:
            return light ? Rgb(0x9D174D) : Rgb(0xE879F9);
        case TcpState::kLastAck:
            return light ? Rgb(0xDC2626) : Rgb(0xF87171);
        case TcpState::kTimeWait:
            return light ? Rgb(0x0E7490) : Rgb(0x22D3EE);
        case TcpState::kClose:
            return light ? Rgb(0x6B7280) : Rgb(0xA1A1AA);
    }
    return NoStateColour();
}

ImU32 NoStateColour() {
    return LightStyle() ? Rgb(0x6B7280) : Rgb(0x9CA3AF);
}

ImU32 TextOn(ImU32 background) {
    // The WCAG contrast ratio decides, not a luma guess: white on #3B82F6 is only 3.7:1.
    const ImU32 black = Rgb(0x000000), white = Rgb(0xFFFFFF);
    return ContrastRatio(black, background) >= ContrastRatio(white, background) ? black : white;
}

}  // namespace sockstep::ui
