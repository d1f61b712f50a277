// The two themes (a dark one for screens and a light high-contrast one for projectors), the
// palette the custom drawing uses, and one colour per kernel TCP state, the same everywhere.
#pragma once

#include <imgui.h>

#include "sockstep/core/tcp_state.h"
#include "sockstep/model/theme_choice.h"

namespace sockstep::ui {

// Resets the ImGui style to `theme` and scales its sizes (padding, rounding) by `scale`.
void ApplyTheme(Theme theme, float scale);

// Colours of everything drawn by hand (cards, wire, diagram, timeline).
struct Palette {
    ImU32 text;
    ImU32 text_dim;
    ImU32 accent;       // the current call, highlighted lines and nodes
    ImU32 accent_soft;  // backgrounds of highlighted things
    ImU32 on_accent;    // text on accent
    ImU32 error;
    ImU32 error_soft;
    ImU32 ok;
    ImU32 warn;
    ImU32 warn_soft;
    ImU32 card_bg;
    ImU32 card_border;
    ImU32 kernel_bg;  // fd-less sockets (dashed cards)
    ImU32 kernel_border;
    ImU32 pane_header;
    ImU32 history;  // the HISTORY banner
    ImU32 on_history;
    ImU32 live;
    ImU32 wire;
    ImU32 slot_empty;
    ImU32 bar_bg;
    ImU32 code_bg;
};

const Palette& PaletteFor(Theme theme);

// One colour per state, used by cards, wire, kernel table and legend alike.
ImU32 TcpStateColour(core::TcpState state);
ImU32 NoStateColour();
// Black or white, whichever reads better on `background`.
ImU32 TextOn(ImU32 background);

}  // namespace sockstep::ui
