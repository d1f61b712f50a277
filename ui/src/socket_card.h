// A socket card (internal to sockstep_ui): its height for a width, and drawing it.
#pragma once

#include "draw_context.h"

namespace sockstep::ui {

float CardHeight(const DrawContext& c, const SceneCard& card, float width);
// Draws at `pos` (screen), records its rect in the layout, and handles hover and its menu.
void DrawCard(DrawContext& c, const SceneCard& card, ImVec2 pos, float width, float height);

}  // namespace sockstep::ui
