// WCAG 2 contrast measured from what a frame drew: every glyph of ImDrawData against the fills
// composited beneath it, so a colour pair that no list names is still checked.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <vector>

namespace sockstep::ui {

// WCAG 2.x thresholds (level AA): body text, and large text (>= 24 px, or >= 18.66 px bold).
inline constexpr float kContrastText = 4.5f;
inline constexpr float kContrastLargeText = 3.0f;
inline constexpr float kLargeTextPixels = 24.0f;
inline constexpr float kLargeBoldTextPixels = 18.66f;
// Graphical objects (WCAG 1.4.11 non-text contrast): a state chip against what surrounds it.
inline constexpr float kContrastGraphic = 3.0f;

// WCAG relative luminance ratio of two opaque colours (alpha ignored), from 1 to 21.
float ContrastRatio(ImU32 a, ImU32 b);
// `top` (with its alpha) drawn over opaque `bottom`, as the GL blend does; the result is opaque.
ImU32 BlendOver(ImU32 top, ImU32 bottom);

// One run of text: adjacent glyphs of one colour on one line, with what is beneath them.
struct GlyphRun {
    std::string text;    // UTF-8, recovered from the atlas glyphs the quads sample
    ImU32 colour = 0;    // the vertex colour, alpha included
    ImU32 beneath = 0;   // the opaque colour composited beneath the first glyph
    float ratio = 0.0f;  // lowest ratio of any glyph of the run
    float required = kContrastText;
    float pixels = 0.0f;  // text height in pixels
    bool bold = false;
    ImVec2 pos;  // top left of the first glyph
};

// One chip: a filled shape of one of the chip colours, with what is beneath it.
struct ChipFill {
    ImU32 colour = 0;   // its fill, alpha included
    ImU32 beneath = 0;  // the opaque colour composited beneath its centre
    float ratio = 0.0f;
    ImVec2 min, max;  // its bounding box
};

struct ContrastReport {
    size_t glyphs = 0;
    std::vector<GlyphRun> runs;
    std::vector<GlyphRun> failures;  // runs whose ratio is below their threshold
    float lowest = 21.0f;            // lowest ratio of any run
    std::vector<ChipFill> chips;
    std::vector<ChipFill> chip_failures;  // chips below kContrastGraphic against their ground
};

// Walks `data` (after ImGui::Render) with the glyphs of `atlas`: a glyph is a quad sampling the
// atlas away from its white pixel; what lies beneath it is every earlier single-coloured
// untextured triangle (in list, command and index order) covering the glyph's centre inside its
// clip rectangle, composited over `clear` (the window's clear colour). Fonts whose name holds
// "Bold" count as bold.
// `chip_colours`: fills of these colours (the state chips' TcpStateColour), at least
// `chip_min_height` pixels tall and wide (a card's stripe and the wire's lines are thinner),
// are measured as chips against the fills drawn beneath them (kContrastGraphic).
ContrastReport CheckContrast(const ImDrawData& data, const ImFontAtlas& atlas, ImU32 clear,
                             const std::vector<ImU32>& chip_colours = {},
                             float chip_min_height = 0.0f);

// "'text' #RRGGBBAA on #RRGGBB: 2.31 < 4.5 (13 px)", for test failures.
std::string Describe(const GlyphRun& run);
// "chip #16A34AFF on #FFFFFF: 2.31 < 3.0 (at 10,20)".
std::string Describe(const ChipFill& chip);

}  // namespace sockstep::ui
