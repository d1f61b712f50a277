// The layout dump: what a rendered frame really put on screen, read back from ImDrawData after
// ImGui::Render() (no GL). Socket cards and how much of each is visible, the stage's share of
// the window, and every text that was clipped or ran outside the box it was meant for. The
// glyphs come from the draw data itself: each textured quad of the font atlas is one glyph, and
// its vertices are compared with the ClipRect of the command that draws it and with the box the
// drawing code registered for that vertex range (Layout::text_spans). docs/LAYOUT.md.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "sockstep/model/frame.h"
#include "sockstep/ui/layout.h"

namespace sockstep::ui {

struct DumpedCard {
    std::string actor;  // the pane's actor, or "outside" / "kernel"
    std::string socket;
    int socket_id = -1;
    ScreenRect rect;
    // Area inside its window's clip rect and the display, over its area (0..1).
    float visible = 0.0f;
    bool in_focus = false;
};

enum class ClipKind : uint8_t {
    kClipped,    // glyphs cut by the ClipRect of their draw command (the window's edge)
    kOutsideBox  // glyphs outside the box registered for them (a card)
};

struct ClippedText {
    ClipKind kind = ClipKind::kClipped;
    std::string text;    // the glyphs of the run, decoded from the atlas ("?" for an unknown one)
    std::string window;  // the draw list's owner (ImGui window name)
    std::string box;     // "clip" for the ClipRect, else the registered box's name
    ScreenRect where;    // the run's glyphs, united
    ScreenRect box_rect;
};

struct LayoutDump {
    float width = 0;
    float height = 0;
    float text_scale = 1.0f;
    std::vector<DumpedCard> cards;
    ScreenRect stage;
    float stage_share = 0.0f;  // stage area / window area
    // All DrawStage got (panes, wire, legend, packet lane): main_window.cpp gives it more than
    // half the window's height at every size and text size.
    ScreenRect stage_area;
    float stage_height_share = 0.0f;  // its visible height / the window's height
    std::vector<ClippedText> clipped;
    // Runs drawn on the stage (glyphs inside stage_area) with a "…" glued to the glyph before
    // it: the trace Ellipsize leaves ("conn…"). A "…" after a space ("connect() …", a call
    // still waiting) is a word of its own and not listed. `box` is "ellipsis".
    std::vector<ClippedText> ellipsized;
    size_t glyphs = 0;  // glyph quads examined
    // Layout::focus_fits and focus_named: whether every card of the step could be shown at
    // once, and the sockets the stage's "more" mark names when not.
    bool focus_fits = true;
    std::vector<int> focus_named;
};

// Reads `draw_data` (this frame's, after ImGui::Render) with the layout the frame recorded.
LayoutDump AnalyzeLayout(const ImDrawData& draw_data, const Layout& layout,
                         const FrameModel& frame);
// Every run of glyphs the frame drew with its centre inside `within`, decoded from the atlas
// as AnalyzeLayout decodes a clipped one: what a reader sees there, for tests.
std::vector<std::string> TextsDrawn(const ImDrawData& draw_data, const ScreenRect& within);

// The dump as JSON (docs/LAYOUT.md).
std::string LayoutJson(const LayoutDump& dump);

}  // namespace sockstep::ui
