// The glyph-quad walk over a draw list and the atlas lookup behind it (draw_glyphs.h).
#include "sockstep/ui/draw_glyphs.h"

#include <algorithm>
#include <cstring>

namespace sockstep::ui {
namespace {

bool SameUv(ImVec2 a, ImVec2 b) {
    return a.x == b.x && a.y == b.y;
}

// A vertex of the atlas that is not a glyph: the white pixel (every filled shape) or the baked
// anti-aliased lines (ImFontAtlas::TexUvLines, used by thin polylines).
bool IsShapeUv(const ImFontAtlas& atlas, ImVec2 uv) {
    if (SameUv(uv, atlas.TexUvWhitePixel)) return true;
    for (const ImVec4& line : atlas.TexUvLines) {
        if (SameUv(uv, ImVec2(line.x, line.y)) || SameUv(uv, ImVec2(line.z, line.w))) return true;
    }
    return false;
}

// The float bits of both coordinates: the UVs are copied from the atlas, never computed, so
// equal bits are the match.
uint64_t Key(ImVec2 uv) {
    uint32_t x = 0;
    uint32_t y = 0;
    std::memcpy(&x, &uv.x, sizeof x);
    std::memcpy(&y, &uv.y, sizeof y);
    return (static_cast<uint64_t>(x) << 32) | y;
}

}  // namespace

void WalkGlyphQuads(const ImDrawList& list, const ImFontAtlas& atlas,
                    const std::function<void(const GlyphQuad&)>& on_glyph,
                    const std::function<void(const ImDrawVert&, const ImDrawVert&,
                                             const ImDrawVert&, const ImDrawCmd&)>& on_triangle) {
    const auto vertex = [&](const ImDrawCmd& cmd, unsigned k) -> const ImDrawVert* {
        const int v = static_cast<int>(cmd.VtxOffset + list.IdxBuffer[static_cast<int>(k)]);
        return v < list.VtxBuffer.Size ? &list.VtxBuffer[v] : nullptr;
    };
    for (int ci = 0; ci < list.CmdBuffer.Size; ++ci) {
        const ImDrawCmd& cmd = list.CmdBuffer[ci];
        if (cmd.UserCallback != nullptr) continue;
        const bool font_texture = cmd.TextureId == atlas.TexID;
        const unsigned end = cmd.IdxOffset + cmd.ElemCount;
        unsigned k = cmd.IdxOffset;
        while (k + 3 <= end) {
            if (font_texture && k + 6 <= end) {
                const auto at = [&](unsigned j) {
                    return static_cast<unsigned>(list.IdxBuffer[static_cast<int>(k + j)]);
                };
                const unsigned i0 = at(0);
                const int v0 = static_cast<int>(cmd.VtxOffset + i0);
                if (at(1) == i0 + 1 && at(2) == i0 + 2 && at(3) == i0 && at(4) == i0 + 2 &&
                    at(5) == i0 + 3 && v0 + 4 <= list.VtxBuffer.Size) {
                    bool glyph = true;
                    for (int j = 0; j < 4 && glyph; ++j) {
                        glyph = !IsShapeUv(atlas, list.VtxBuffer[v0 + j].uv);
                    }
                    if (glyph) {
                        const ImDrawVert& a = list.VtxBuffer[v0];
                        const ImDrawVert& c = list.VtxBuffer[v0 + 2];
                        on_glyph({ci, v0,
                                  ImVec2(std::min(a.pos.x, c.pos.x), std::min(a.pos.y, c.pos.y)),
                                  ImVec2(std::max(a.pos.x, c.pos.x), std::max(a.pos.y, c.pos.y)),
                                  a.uv, cmd.ClipRect, a.col});
                        k += 6;
                        continue;
                    }
                }
            }
            if (on_triangle) {
                const ImDrawVert* a = vertex(cmd, k);
                const ImDrawVert* b = vertex(cmd, k + 1);
                const ImDrawVert* c = vertex(cmd, k + 2);
                if (a != nullptr && b != nullptr && c != nullptr) on_triangle(*a, *b, *c, cmd);
            }
            k += 3;
        }
    }
}

AtlasGlyphs::AtlasGlyphs(const ImFontAtlas& atlas) {
    for (const ImFont* font : atlas.Fonts) {
        for (const ImFontGlyph& g : font->Glyphs) {
            // A space draws no quad: only visible glyphs can be found from one.
            if (g.Visible) m_by_uv.emplace(Key(ImVec2(g.U0, g.V0)), AtlasGlyph{font, &g});
        }
    }
}

AtlasGlyph AtlasGlyphs::Of(const GlyphQuad& quad) const {
    const auto it = m_by_uv.find(Key(quad.uv));
    return it == m_by_uv.end() ? AtlasGlyph{} : it->second;
}

}  // namespace sockstep::ui
