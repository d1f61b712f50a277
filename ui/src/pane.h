// An actor's pane, and a titled group of cards (outside programs, kernel-only sockets).
// Internal to sockstep_ui.
#pragma once

#include <cstdint>
#include <vector>

#include "draw_context.h"

namespace sockstep::ui {

// How much a pane shows, from the fullest to the most compact: the stage takes the first form
// in which the step's sockets fit its rectangle.
enum class PaneForm : uint8_t {
    kFull,     // the lifecycle diagram beside the cards when there is room; every card whole
    kStrip,    // the diagram as a one-line "call() → state" strip
    kFolded,   // strip; the cards the step is not about fold into counted chips ("+2 ESTAB")
    kCompact,  // as kFolded, and the step's cards are compact (name, state, one fact), side by
               // side where the pane is wide enough for several
    kMinimal,  // as kCompact, without the diagram's strip
};

// Draws `actor`'s pane at `pos` and returns its height. The lifecycle diagram goes on the left
// when `diagram_left` (the client column), so cards stay next to the wire.
float DrawPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool diagram_left,
               PaneForm form);
// The height DrawPane would return, without drawing; the step's cards are noted
// (DrawContext::NoteFocus) as if the pane stood at `pos`.
float PaneHeight(DrawContext& c, const SceneActor& actor, float width, PaneForm form,
                 ImVec2 pos = ImVec2(0, 0));
// A pane the step is not about: its header and one line of counted chips ("2 ESTAB", "1
// LISTEN"), so its sockets are still counted while the stage keeps room for the step's focus.
float DrawFoldedPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width);
float FoldedPaneHeight(DrawContext& c, const SceneActor& actor, float width);
// The folded panes of one column on a single bar, in the compact forms.
float DrawFoldedPanes(DrawContext& c, const std::vector<const SceneActor*>& actors, ImVec2 pos,
                      float width);
float FoldedPanesHeight(DrawContext& c, const std::vector<const SceneActor*>& actors, float width);
// A titled group; `form` folds and compacts its cards as in a pane.
float DrawCardGroup(DrawContext& c, const std::vector<int>& cards, const char* title,
                    const char* hint, ImVec2 pos, float width, PaneForm form);
float CardGroupHeight(DrawContext& c, const std::vector<int>& cards, const char* hint, float width,
                      PaneForm form, ImVec2 pos = ImVec2(0, 0));

}  // namespace sockstep::ui
