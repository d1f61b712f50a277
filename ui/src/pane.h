// An actor's pane, and a titled group of cards (outside programs, kernel-only sockets).
// Internal to sockstep_ui.
#pragma once

#include <vector>

#include "draw_context.h"

namespace sockstep::ui {

// Draws `actor`'s pane at `pos` and returns its height. The lifecycle diagram goes on the left
// when `diagram_left` (the client column), so cards stay next to the wire; `compact` (several
// panes in one column) shrinks it to a one-line strip.
float DrawPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool diagram_left,
               bool compact);
// A pane the step is not about: its header and one line of counted chips ("2 ESTAB", "1
// LISTEN"), so its sockets are still counted while the stage keeps room for the step's focus.
float DrawFoldedPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width);
float DrawCardGroup(DrawContext& c, const std::vector<int>& cards, const char* title,
                    const char* hint, ImVec2 pos, float width);

}  // namespace sockstep::ui
