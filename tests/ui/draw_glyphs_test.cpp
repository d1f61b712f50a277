// The one glyph-quad walk (draw_glyphs.h) on frames drawn for it: text gives one quad a visible
// glyph, in drawing order, with the glyph it samples; filled shapes and anti-aliased lines on
// the same atlas texture are triangles, never glyphs; a quad that samples no glyph is found but
// names none.
#include "sockstep/ui/draw_glyphs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "headless.h"

namespace sockstep::testing {
namespace {

constexpr ImU32 kFill = IM_COL32(10, 200, 30, 255);
constexpr ImU32 kInk = IM_COL32(250, 250, 250, 255);

struct Walked {
    std::vector<ui::GlyphQuad> glyphs;
    std::vector<ImU32> triangle_colours;
};

// Draws with `draw` in a borderless window and walks the frame's draw lists.
Walked Walk(HeadlessImGui& imgui, const std::function<void(ImDrawList&)>& draw) {
    imgui.Frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 200));
        ImGui::Begin("glyphs", nullptr, ImGuiWindowFlags_NoDecoration);
        draw(*ImGui::GetWindowDrawList());
        ImGui::End();
    });
    Walked out;
    const ImDrawData& data = *ImGui::GetDrawData();
    for (int l = 0; l < data.CmdListsCount; ++l) {
        ui::WalkGlyphQuads(
            *data.CmdLists[l], *ImGui::GetIO().Fonts,
            [&](const ui::GlyphQuad& q) { out.glyphs.push_back(q); },
            [&](const ImDrawVert& a, const ImDrawVert&, const ImDrawVert&, const ImDrawCmd&) {
                out.triangle_colours.push_back(a.col);
            });
    }
    return out;
}

TEST(DrawGlyphs, TextIsOneQuadAGlyphInDrawingOrder) {
    HeadlessImGui imgui{400, 200};
    const Walked w = Walk(imgui, [](ImDrawList& d) { d.AddText(ImVec2(30, 40), kInk, "Ab c"); });
    ASSERT_EQ(w.glyphs.size(), 3u);  // the space draws no quad
    const ui::AtlasGlyphs atlas(*ImGui::GetIO().Fonts);
    const char32_t expected[] = {U'A', U'b', U'c'};
    for (size_t i = 0; i < w.glyphs.size(); ++i) {
        const ui::GlyphQuad& q = w.glyphs[i];
        const ui::AtlasGlyph g = atlas.Of(q);
        ASSERT_NE(g.glyph, nullptr) << i;
        EXPECT_EQ(g.glyph->Codepoint, expected[i]);
        EXPECT_EQ(g.font, ImGui::GetIO().Fonts->Fonts[0]);
        EXPECT_EQ(q.colour, kInk);
        EXPECT_GE(q.min.x, 30.0f);
        EXPECT_GE(q.min.y, 40.0f);
        EXPECT_LT(q.min.x, q.max.x);
        EXPECT_LT(q.min.y, q.max.y);
        if (i > 0) {
            EXPECT_EQ(q.vtx, w.glyphs[i - 1].vtx + 4);
            EXPECT_GT(q.min.x, w.glyphs[i - 1].max.x - 1.0f);
        }
    }
}

TEST(DrawGlyphs, FilledShapesAndLinesAreTrianglesNotGlyphs) {
    HeadlessImGui imgui{400, 200};
    const Walked w = Walk(imgui, [](ImDrawList& d) {
        d.AddRectFilled(ImVec2(20, 20), ImVec2(380, 80), kFill);
        d.AddLine(ImVec2(20, 100), ImVec2(380, 140), kFill, 1.0f);  // the baked-line UVs
        d.AddCircleFilled(ImVec2(200, 160), 20.0f, kFill);
    });
    EXPECT_TRUE(w.glyphs.empty());
    size_t filled = 0;
    for (const ImU32 c : w.triangle_colours) filled += c == kFill ? 1 : 0;
    EXPECT_GE(filled, 2u + 2u + 10u);  // the rect's two, the line's, the circle's fan
}

TEST(DrawGlyphs, AQuadSamplingNoGlyphIsFoundButNamesNone) {
    HeadlessImGui imgui{400, 200};
    const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    const Walked w = Walk(imgui, [&](ImDrawList& d) {
        // The atlas texture, sampled from its far corner: no glyph starts there.
        d.AddImage(ImGui::GetIO().Fonts->TexID, ImVec2(10, 10), ImVec2(50, 50), ImVec2(1, 1),
                   ImVec2(1, 1), kInk);
        // The same shape on the white pixel is a filled rectangle.
        d.AddImage(ImGui::GetIO().Fonts->TexID, ImVec2(60, 10), ImVec2(90, 50), white, white,
                   kFill);
    });
    ASSERT_EQ(w.glyphs.size(), 1u);
    EXPECT_EQ(w.glyphs[0].min.x, 10.0f);
    EXPECT_EQ(ui::AtlasGlyphs(*ImGui::GetIO().Fonts).Of(w.glyphs[0]).glyph, nullptr);
    EXPECT_EQ(std::count(w.triangle_colours.begin(), w.triangle_colours.end(), kFill), 2);
}

}  // namespace
}  // namespace sockstep::testing
