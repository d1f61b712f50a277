// A socket card (internal to sockstep_ui): its height for a width, and drawing it.
#pragma once

#include "draw_context.h"

namespace sockstep::ui {

// `compact`: the card the stage draws when the full ones do not fit: its name, its state chip
// and the one fact that matters now (the accept queue, bytes to read, the timer, the error),
// each whole, wrapped onto further lines where the width needs it. The rest is in the tooltip.
float CardHeight(const DrawContext& c, const SceneCard& card, float width, bool compact = false);
// Draws at `pos` (screen), records its rect in the layout, and handles hover and its menu.
void DrawCard(DrawContext& c, const SceneCard& card, ImVec2 pos, float width, float height,
              bool compact = false);

}  // namespace sockstep::ui
