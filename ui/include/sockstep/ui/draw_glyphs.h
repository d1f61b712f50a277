// Glyph quads read back from ImDrawData: the one walk the layout dump (layout_dump.h) and the
// contrast check (contrast_check.h) find drawn text with.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace sockstep::ui {

// One glyph as drawn: ImDrawList::PrimRectUV's four vertices, on the font atlas.
struct GlyphQuad {
    int cmd = 0;  // its command in the list's CmdBuffer
    int vtx = 0;  // its first vertex in the list's VtxBuffer
    ImVec2 min;   // its box on screen
    ImVec2 max;
    ImVec2 uv;  // the atlas position of its top-left corner (ImFontGlyph::U0, V0)
    ImVec4 clip;
    ImU32 colour = 0;
};

// Every glyph quad of `list` to `on_glyph`, in drawing order, and every other triangle (of any
// texture) to `on_triangle` if given. A glyph is four vertices with the indices (0,1,2, 0,2,3)
// relative to the first on the atlas texture; a filled rect has the same shape with the white
// pixel's UV (or the baked lines'), so the UVs tell them apart. Triangles are walked three
// indices at a time, which keeps the walk aligned on every primitive.
void WalkGlyphQuads(
    const ImDrawList& list, const ImFontAtlas& atlas,
    const std::function<void(const GlyphQuad&)>& on_glyph,
    const std::function<void(const ImDrawVert&, const ImDrawVert&, const ImDrawVert&,
                             const ImDrawCmd&)>& on_triangle = nullptr);

// A glyph of the atlas, as found from where a quad samples it.
struct AtlasGlyph {
    const ImFont* font = nullptr;
    const ImFontGlyph* glyph = nullptr;
};

// The atlas position of each visible glyph of every font → the glyph and its font.
class AtlasGlyphs {
  public:
    explicit AtlasGlyphs(const ImFontAtlas& atlas);
    // The glyph `quad` draws; {nullptr, nullptr} when it samples none (e.g. an image).
    AtlasGlyph Of(const GlyphQuad& quad) const;

  private:
    std::unordered_map<uint64_t, AtlasGlyph> m_by_uv;
};

}  // namespace sockstep::ui
