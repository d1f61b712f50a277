// A socket card (internal to sockstep_ui): its height for a width, and drawing it.
#pragma once

#include <string>

#include "draw_context.h"

namespace sockstep::ui {

// `compact`: the card the stage draws when the full ones do not fit: its name, its state chip
// and the one fact that matters now (the accept queue, bytes to read, the timer, the error),
// each whole, wrapped onto further lines where the width needs it. The rest is in the tooltip.
float CardHeight(const DrawContext& c, const SceneCard& card, float width, bool compact = false);
// Draws at `pos` (screen), records its rect in the layout, and handles hover and its menu.
void DrawCard(DrawContext& c, const SceneCard& card, ImVec2 pos, float width, float height,
              bool compact = false);
// The card's error line after "call(): ": "ECONNREFUSED: " and what the refusal was for this
// socket's type (ErrnoMeaningOf its failed call in `log`), else ErrnoLine with the table's reason.
std::string CardErrnoLine(const SceneCard& card, const core::LogView& log, core::Lang lang);

}  // namespace sockstep::ui
