// The layout dump (layout_dump.h): glyph quads read back from ImDrawData and checked against
// the ClipRect of their command and against the boxes the drawing code registered.
#include "sockstep/ui/layout_dump.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "sockstep/core/terminal_text.h"
#include "sockstep/ui/draw_glyphs.h"

namespace sockstep::ui {
namespace {

// ImGui leaves out every glyph that starts past the ClipRect, so a cut text shows as the one
// glyph that crosses it, however little: no slack there. Against a registered box, half a
// pixel of subpixel placement is forgiven.
constexpr float kBoxSlack = 0.5f;

using Glyph = GlyphQuad;

// Every glyph quad of `list`, in drawing order (draw_glyphs.h).
std::vector<Glyph> GlyphsOf(const ImDrawList& list, const ImFontAtlas& atlas) {
    std::vector<Glyph> glyphs;
    WalkGlyphQuads(list, atlas, [&](const GlyphQuad& q) { glyphs.push_back(q); });
    return glyphs;
}

// Runs of glyphs that belong to one line of text: consecutive quads of one command, left to
// right. A new text, a new line or a new command starts a new run.
std::vector<std::pair<size_t, size_t>> Runs(const std::vector<const Glyph*>& glyphs) {
    std::vector<std::pair<size_t, size_t>> runs;
    size_t start = 0;
    for (size_t i = 1; i <= glyphs.size(); ++i) {
        const bool split = i == glyphs.size() || glyphs[i]->cmd != glyphs[i - 1]->cmd ||
                           glyphs[i]->vtx != glyphs[i - 1]->vtx + 4 ||
                           glyphs[i]->min.x < glyphs[i - 1]->min.x;
        if (split && i > start) {
            runs.emplace_back(start, i);
            start = i;
        }
    }
    return runs;
}

bool Outside(const Glyph& g, ImVec2 min, ImVec2 max, float slack) {
    return g.min.x < min.x - slack || g.min.y < min.y - slack || g.max.x > max.x + slack ||
           g.max.y > max.y + slack;
}

// The atlas position of each glyph → its code point, built on first use (only frames with a
// clipped text pay for it).
class Decoder {
  public:
    explicit Decoder(const ImFontAtlas& atlas) : m_atlas(atlas) {}
    char32_t Codepoint(const Glyph& g) {
        if (!m_glyphs) m_glyphs.emplace(m_atlas);
        const ImFontGlyph* glyph = m_glyphs->Of(g).glyph;
        return glyph ? static_cast<char32_t>(glyph->Codepoint) : U'?';
    }
    std::string Text(const std::vector<const Glyph*>& glyphs, size_t begin, size_t end) {
        if (!m_glyphs) m_glyphs.emplace(m_atlas);
        std::string out;
        const ImFontGlyph* last = nullptr;
        for (size_t i = begin; i < end; ++i) {
            const ImFontGlyph* glyph = m_glyphs->Of(*glyphs[i]).glyph;
            // Spaces draw no quad: where the pen went further than the last glyph's advance
            // (scaled as drawn), a space stood.
            if (last != nullptr && last->X1 > last->X0) {
                const float scale =
                    (glyphs[i - 1]->max.x - glyphs[i - 1]->min.x) / (last->X1 - last->X0);
                const float pen = glyphs[i - 1]->min.x - last->X0 * scale + last->AdvanceX * scale;
                const float start = glyph ? glyphs[i]->min.x - glyph->X0 * scale : glyphs[i]->min.x;
                if (start - pen > last->AdvanceX * scale * 0.2f) out += ' ';
            }
            core::AppendUtf8(out, glyph ? glyph->Codepoint : U'?');
            last = glyph;
        }
        return out;
    }

  private:
    const ImFontAtlas& m_atlas;
    std::optional<AtlasGlyphs> m_glyphs;
};

ScreenRect Union(const std::vector<const Glyph*>& glyphs, size_t begin, size_t end) {
    ScreenRect r{glyphs[begin]->min, glyphs[begin]->max};
    for (size_t i = begin + 1; i < end; ++i) {
        r.min = ImVec2(std::min(r.min.x, glyphs[i]->min.x), std::min(r.min.y, glyphs[i]->min.y));
        r.max = ImVec2(std::max(r.max.x, glyphs[i]->max.x), std::max(r.max.y, glyphs[i]->max.y));
    }
    return r;
}

float Area(const ScreenRect& r) {
    return r.Empty() ? 0.0f : (r.max.x - r.min.x) * (r.max.y - r.min.y);
}

ScreenRect Intersect(const ScreenRect& a, const ScreenRect& b) {
    return {ImVec2(std::max(a.min.x, b.min.x), std::max(a.min.y, b.min.y)),
            ImVec2(std::min(a.max.x, b.max.x), std::min(a.max.y, b.max.y))};
}

nlohmann::json Rect(const ScreenRect& r) {
    return {{"x", r.min.x}, {"y", r.min.y}, {"w", r.max.x - r.min.x}, {"h", r.max.y - r.min.y}};
}

}  // namespace

LayoutDump AnalyzeLayout(const ImDrawData& draw_data, const Layout& layout,
                         const FrameModel& frame) {
    LayoutDump dump;
    dump.width = draw_data.DisplaySize.x;
    dump.height = draw_data.DisplaySize.y;
    dump.text_scale = frame.font_scale;
    const ScreenRect display{draw_data.DisplayPos,
                             ImVec2(draw_data.DisplayPos.x + draw_data.DisplaySize.x,
                                    draw_data.DisplayPos.y + draw_data.DisplaySize.y)};
    const float window_area = Area(display);

    for (const CardDrawn& drawn : layout.cards_drawn) {
        DumpedCard card;
        card.socket_id = drawn.socket_id;
        card.rect = drawn.rect;
        const float area = Area(drawn.rect);
        card.visible =
            area > 0 ? Area(Intersect(Intersect(drawn.rect, drawn.clip), display)) / area : 0.0f;
        if (const SceneCard* scene_card = frame.scene.FindCard(drawn.socket_id)) {
            card.socket = scene_card->view.name;
            card.in_focus = scene_card->in_focus;
            const int pane = scene_card->pane;
            if (pane >= 0 && pane < static_cast<int>(frame.scene.actors.size())) {
                card.actor = frame.scene.actors[static_cast<size_t>(pane)].name;
            } else {
                card.actor = scene_card->placement == Placement::kExternal ? "outside" : "kernel";
            }
        }
        dump.cards.push_back(std::move(card));
    }
    dump.stage = layout.stage;
    dump.focus_fits = layout.focus_fits;
    dump.focus_named = layout.focus_named;
    dump.stage_share = window_area > 0 ? Area(Intersect(layout.stage, display)) / window_area : 0;
    dump.stage_area = layout.stage_area;
    const ScreenRect area_shown = Intersect(layout.stage_area, display);
    dump.stage_height_share =
        dump.height > 0 ? std::max(0.0f, area_shown.max.y - area_shown.min.y) / dump.height : 0;

    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    if (atlas == nullptr) return dump;
    Decoder decoder(*atlas);
    for (int li = 0; li < draw_data.CmdListsCount; ++li) {
        const ImDrawList& list = *draw_data.CmdLists[li];
        const std::vector<Glyph> glyphs = GlyphsOf(list, *atlas);
        dump.glyphs += glyphs.size();
        const std::string window = list._OwnerName ? list._OwnerName : "";
        std::vector<const Glyph*> all;
        all.reserve(glyphs.size());
        for (const Glyph& g : glyphs) all.push_back(&g);
        // Against the command's ClipRect: what the GPU's scissor cuts.
        for (const auto& [begin, end] : Runs(all)) {
            const ImVec4& clip = all[begin]->clip;
            const ImVec2 cmin(clip.x, clip.y);
            const ImVec2 cmax(clip.z, clip.w);
            if (std::none_of(all.begin() + static_cast<long>(begin),
                             all.begin() + static_cast<long>(end),
                             [&](const Glyph* g) { return Outside(*g, cmin, cmax, 0.0f); })) {
                continue;
            }
            dump.clipped.push_back({ClipKind::kClipped,
                                    decoder.Text(all, begin, end),
                                    window,
                                    "clip",
                                    Union(all, begin, end),
                                    {cmin, cmax}});
        }
        // A "…" glued to the glyph before it, on the stage.
        const ScreenRect& stage = layout.stage_area;
        for (const auto& [begin, end] : Runs(all)) {
            for (size_t i = begin + 1; i < end; ++i) {
                const ImVec2 centre((all[i]->min.x + all[i]->max.x) * 0.5f,
                                    (all[i]->min.y + all[i]->max.y) * 0.5f);
                if (centre.x < stage.min.x || centre.x > stage.max.x || centre.y < stage.min.y ||
                    centre.y > stage.max.y || decoder.Codepoint(*all[i]) != U'\u2026') {
                    continue;
                }
                // The pair decodes with a space between when the pen moved past one.
                if (decoder.Text(all, i - 1, i + 1).find(' ') != std::string::npos) continue;
                dump.ellipsized.push_back({ClipKind::kClipped, decoder.Text(all, begin, end),
                                           window, "ellipsis", Union(all, begin, end), stage});
                break;
            }
        }
        // Against the boxes registered for vertex ranges of this list.
        for (const TextSpan& span : layout.text_spans) {
            if (span.list != &list) continue;
            std::vector<const Glyph*> inside;
            for (const Glyph& g : glyphs) {
                if (g.vtx >= span.vtx_begin && g.vtx + 4 <= span.vtx_end) inside.push_back(&g);
            }
            for (const auto& [begin, end] : Runs(inside)) {
                if (std::none_of(inside.begin() + static_cast<long>(begin),
                                 inside.begin() + static_cast<long>(end), [&](const Glyph* g) {
                                     return Outside(*g, span.box.min, span.box.max, kBoxSlack);
                                 })) {
                    continue;
                }
                dump.clipped.push_back({ClipKind::kOutsideBox, decoder.Text(inside, begin, end),
                                        window, span.what, Union(inside, begin, end), span.box});
            }
        }
    }
    return dump;
}

std::vector<std::string> TextsDrawn(const ImDrawData& draw_data, const ScreenRect& within) {
    std::vector<std::string> texts;
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    if (atlas == nullptr) return texts;
    Decoder decoder(*atlas);
    for (int li = 0; li < draw_data.CmdListsCount; ++li) {
        const std::vector<Glyph> glyphs = GlyphsOf(*draw_data.CmdLists[li], *atlas);
        std::vector<const Glyph*> all;
        for (const Glyph& g : glyphs) {
            const ImVec2 centre((g.min.x + g.max.x) * 0.5f, (g.min.y + g.max.y) * 0.5f);
            if (centre.x >= within.min.x && centre.x <= within.max.x && centre.y >= within.min.y &&
                centre.y <= within.max.y) {
                all.push_back(&g);
            }
        }
        for (const auto& [begin, end] : Runs(all)) texts.push_back(decoder.Text(all, begin, end));
    }
    return texts;
}

std::string LayoutJson(const LayoutDump& dump) {
    nlohmann::json j;
    j["window"] = {{"width", dump.width}, {"height", dump.height}};
    j["text_scale"] = dump.text_scale;
    j["cards"] = nlohmann::json::array();
    for (const DumpedCard& c : dump.cards) {
        j["cards"].push_back({{"actor", c.actor},
                              {"socket", c.socket},
                              {"socket_id", c.socket_id},
                              {"rect", Rect(c.rect)},
                              {"visible", c.visible},
                              {"in_focus", c.in_focus}});
    }
    j["stage"] = {{"rect", Rect(dump.stage)}, {"share", dump.stage_share}};
    j["stage_area"] = {{"rect", Rect(dump.stage_area)}, {"height_share", dump.stage_height_share}};
    j["focus_fits"] = dump.focus_fits;
    j["focus_named"] = nlohmann::json::array();
    for (const int id : dump.focus_named) {
        // A named card is drawn, only not wholly in view: its name is among the cards'.
        auto drawn = std::find_if(dump.cards.begin(), dump.cards.end(),
                                  [&](const DumpedCard& c) { return c.socket_id == id; });
        j["focus_named"].push_back(drawn != dump.cards.end() ? nlohmann::json(drawn->socket)
                                                             : nlohmann::json(id));
    }
    j["glyphs"] = dump.glyphs;
    j["clipped_texts"] = nlohmann::json::array();
    for (const ClippedText& t : dump.clipped) {
        j["clipped_texts"].push_back(
            {{"kind", t.kind == ClipKind::kClipped ? "clipped" : "outside_box"},
             {"text", t.text},
             {"window", t.window},
             {"box", t.box},
             {"where", Rect(t.where)},
             {"box_rect", Rect(t.box_rect)}});
    }
    j["ellipsized_texts"] = nlohmann::json::array();
    for (const ClippedText& t : dump.ellipsized) {
        j["ellipsized_texts"].push_back(
            {{"text", t.text}, {"window", t.window}, {"where", Rect(t.where)}});
    }
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace sockstep::ui
