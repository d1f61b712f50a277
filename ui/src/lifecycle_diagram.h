// The lifecycle diagram of one actor (internal to sockstep_ui).
#pragma once

#include "draw_context.h"
#include "sockstep/model/lifecycle.h"

namespace sockstep::ui {

float LifecycleDiagramHeight(const DrawContext& c, core::SockType type);
// `interactive`: nodes explain themselves on hover (not inside a tooltip).
void DrawLifecycleDiagram(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                          bool interactive = true);
// The diagram's stand-in where it has no room: one line, the transition the latest call took
// ("listen() → Listening", wrapped when narrow); hovering shows the full diagram.
float LifecycleStripHeight(const DrawContext& c, const SceneActor& actor, float width);
void DrawLifecycleStrip(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width);

}  // namespace sockstep::ui
