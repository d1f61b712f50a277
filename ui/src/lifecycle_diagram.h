// The lifecycle diagram of one actor (internal to sockstep_ui).
#pragma once

#include "draw_context.h"
#include "sockstep/model/lifecycle.h"

namespace sockstep::ui {

float LifecycleDiagramHeight(const DrawContext& c, core::SockType type);
// `interactive`: nodes explain themselves on hover (not inside a tooltip).
void DrawLifecycleDiagram(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                          bool interactive = true);
// The same graph in one line, for panes stacked in a column: one dot per state in rank order,
// the current one filled, the transition named beside it; hovering shows the full diagram.
float LifecycleStripHeight(const DrawContext& c);
void DrawLifecycleStrip(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width);

}  // namespace sockstep::ui
