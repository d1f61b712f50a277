// WCAG contrast of every glyph a frame drew against what lies beneath it (see contrast_check.h).
#include "sockstep/ui/contrast_check.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "sockstep/core/terminal_text.h"
#include "sockstep/ui/draw_glyphs.h"

namespace sockstep::ui {
namespace {

constexpr float kCellPixels = 32.0f;  // the grid that finds the fills under a glyph quickly

float Channel(unsigned value) {
    const float c = static_cast<float>(value) / 255.0f;
    return c <= 0.03928f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float Luminance(ImU32 c) {
    return 0.2126f * Channel(c & 0xFF) + 0.7152f * Channel((c >> 8) & 0xFF) +
           0.0722f * Channel((c >> 16) & 0xFF);
}

// One single-coloured untextured triangle: a fill that text may lie on.
struct Fill {
    ImVec2 a, b, c;
    ImVec4 clip;
    ImU32 colour;
    int list = 0;
};

// One glyph quad, in drawing order.
struct Glyph {
    size_t fills_before;  // fills drawn before it
    int list;
    ImVec2 min, max;
    ImVec4 clip;
    ImU32 colour;
    AtlasGlyph info;
};

bool InClip(const ImVec4& clip, ImVec2 p) {
    return p.x >= clip.x && p.y >= clip.y && p.x < clip.z && p.y < clip.w;
}

float Cross(ImVec2 o, ImVec2 a, ImVec2 p) {
    return (a.x - o.x) * (p.y - o.y) - (a.y - o.y) * (p.x - o.x);
}

bool Covers(const Fill& f, ImVec2 p) {
    const float d1 = Cross(f.a, f.b, p), d2 = Cross(f.b, f.c, p), d3 = Cross(f.c, f.a, p);
    const bool negative = d1 < 0 || d2 < 0 || d3 < 0;
    const bool positive = d1 > 0 || d2 > 0 || d3 > 0;
    return !(negative && positive);
}

bool SameUv(const ImVec2& a, const ImVec2& b) {
    return a.x == b.x && a.y == b.y;
}

class Grid {
  public:
    Grid(ImVec2 origin, ImVec2 size)
        : m_origin(origin),
          m_columns(std::max(1, static_cast<int>(std::ceil(size.x / kCellPixels)))),
          m_rows(std::max(1, static_cast<int>(std::ceil(size.y / kCellPixels)))),
          m_cells(static_cast<size_t>(m_columns * m_rows)) {}

    void Add(size_t index, const Fill& f) {
        const float x0 = std::min({f.a.x, f.b.x, f.c.x}), x1 = std::max({f.a.x, f.b.x, f.c.x});
        const float y0 = std::min({f.a.y, f.b.y, f.c.y}), y1 = std::max({f.a.y, f.b.y, f.c.y});
        const int c0 = Column(x0), c1 = Column(x1), r0 = Row(y0), r1 = Row(y1);
        for (int r = r0; r <= r1; ++r) {
            for (int c = c0; c <= c1; ++c)
                m_cells[static_cast<size_t>(r * m_columns + c)].push_back(index);
        }
    }
    const std::vector<size_t>& At(ImVec2 p) const {
        return m_cells[static_cast<size_t>(Row(p.y) * m_columns + Column(p.x))];
    }

  private:
    int Column(float x) const {
        return std::clamp(static_cast<int>((x - m_origin.x) / kCellPixels), 0, m_columns - 1);
    }
    int Row(float y) const {
        return std::clamp(static_cast<int>((y - m_origin.y) / kCellPixels), 0, m_rows - 1);
    }
    ImVec2 m_origin;
    int m_columns;
    int m_rows;
    std::vector<std::vector<size_t>> m_cells;
};

bool IsBold(const ImFont* font) {
    return font->ConfigData != nullptr && std::strstr(font->ConfigData->Name, "Bold") != nullptr;
}

}  // namespace

float ContrastRatio(ImU32 a, ImU32 b) {
    const float la = Luminance(a), lb = Luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

ImU32 BlendOver(ImU32 top, ImU32 bottom) {
    const unsigned alpha = (top >> 24) & 0xFF;
    ImU32 out = 0xFF000000u;
    for (int shift = 0; shift < 24; shift += 8) {
        const unsigned t = (top >> shift) & 0xFF, b = (bottom >> shift) & 0xFF;
        out |= ((t * alpha + b * (255 - alpha) + 127) / 255) << shift;
    }
    return out;
}

ContrastReport CheckContrast(const ImDrawData& data, const ImFontAtlas& atlas, ImU32 clear,
                             const std::vector<ImU32>& chip_colours, float chip_min_height) {
    const AtlasGlyphs by_uv(atlas);
    const ImVec2 white = atlas.TexUvWhitePixel;
    std::vector<Fill> fills;
    std::vector<Glyph> glyphs;
    for (int l = 0; l < data.CmdListsCount; ++l) {
        WalkGlyphQuads(
            *data.CmdLists[l], atlas,
            [&](const GlyphQuad& q) {
                const AtlasGlyph found = by_uv.Of(q);
                if (found.glyph == nullptr) return;  // samples no glyph (e.g. an image)
                glyphs.push_back(Glyph{fills.size(), l, q.min, q.max, q.clip, q.colour, found});
            },
            [&](const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c,
                const ImDrawCmd& cmd) {
                // Anti-aliased fringes fade to alpha 0 across the triangle: not a fill.
                const bool one_colour = a.col == b.col && b.col == c.col;
                if (SameUv(a.uv, white) && SameUv(b.uv, white) && SameUv(c.uv, white) &&
                    one_colour && (a.col >> 24) != 0) {
                    fills.push_back(Fill{a.pos, b.pos, c.pos, cmd.ClipRect, a.col, l});
                }
            });
    }

    Grid grid(data.DisplayPos, data.DisplaySize);
    for (size_t i = 0; i < fills.size(); ++i) grid.Add(i, fills[i]);

    ContrastReport report;
    GlyphRun* run = nullptr;
    const Glyph* previous = nullptr;
    float previous_line = 0.0f;
    float next_pen = 0.0f;  // where the previous glyph's advance put the pen
    for (const Glyph& g : glyphs) {
        const ImVec2 centre((g.min.x + g.max.x) * 0.5f, (g.min.y + g.max.y) * 0.5f);
        if (!InClip(g.clip, centre)) continue;  // clipped away: not on screen
        ++report.glyphs;
        ImU32 beneath = clear;
        for (size_t index : grid.At(centre)) {
            if (index >= g.fills_before) break;
            const Fill& f = fills[index];
            if (InClip(f.clip, centre) && Covers(f, centre)) beneath = BlendOver(f.colour, beneath);
        }
        const float ratio = ContrastRatio(BlendOver(g.colour, beneath), beneath);
        const ImFontGlyph& fg = *g.info.glyph;
        const float glyph_h = fg.Y1 - fg.Y0;
        const float scale = glyph_h > 0 ? (g.max.y - g.min.y) / glyph_h : 1.0f;
        const float pixels = g.info.font->FontSize * scale;
        const float line = g.min.y - fg.Y0 * scale;
        const float pen = g.min.x - fg.X0 * scale;
        const bool joins = run != nullptr && previous->list == g.list &&
                           previous->colour == g.colour && previous->info.font == g.info.font &&
                           std::fabs(previous_line - line) < 1.0f && pen >= next_pen - 1.0f &&
                           pen - next_pen < pixels;
        if (!joins) {
            report.runs.push_back(GlyphRun{});
            run = &report.runs.back();
            run->colour = g.colour;
            run->beneath = beneath;
            run->ratio = ratio;
            run->pixels = pixels;
            run->bold = IsBold(g.info.font);
            const bool large =
                pixels >= kLargeTextPixels || (run->bold && pixels >= kLargeBoldTextPixels);
            run->required = large ? kContrastLargeText : kContrastText;
            run->pos = g.min;
        } else if (pen - next_pen > pixels * 0.1f) {
            run->text += ' ';
        }
        if (ratio < run->ratio) {
            run->ratio = ratio;
            run->beneath = beneath;
        }
        core::AppendUtf8(run->text, fg.Codepoint);
        previous = &g;
        previous_line = line;
        next_pen = pen + fg.AdvanceX * scale;
    }
    for (const GlyphRun& r : report.runs) {
        report.lowest = std::min(report.lowest, r.ratio);
        if (r.ratio < r.required) report.failures.push_back(r);
    }

    // Chips: runs of consecutive fills of one chip colour in one list and clip rect (a rounded
    // rectangle is a fan of triangles), measured at their centre against what lies beneath.
    for (size_t i = 0; i < fills.size();) {
        size_t end = i + 1;
        while (end < fills.size() && fills[end].colour == fills[i].colour &&
               fills[end].list == fills[i].list && fills[end].clip.x == fills[i].clip.x &&
               fills[end].clip.y == fills[i].clip.y && fills[end].clip.z == fills[i].clip.z &&
               fills[end].clip.w == fills[i].clip.w) {
            ++end;
        }
        const size_t begin = i;
        i = end;
        if (std::find(chip_colours.begin(), chip_colours.end(), fills[begin].colour) ==
            chip_colours.end()) {
            continue;
        }
        ImVec2 lo(FLT_MAX, FLT_MAX), hi(-FLT_MAX, -FLT_MAX);
        for (size_t k = begin; k < end; ++k) {
            for (const ImVec2& v : {fills[k].a, fills[k].b, fills[k].c}) {
                lo = ImVec2(std::min(lo.x, v.x), std::min(lo.y, v.y));
                hi = ImVec2(std::max(hi.x, v.x), std::max(hi.y, v.y));
            }
        }
        if (hi.x - lo.x < chip_min_height || hi.y - lo.y < chip_min_height) continue;
        // A chip fills its box (a rounded rectangle); a line or curve of the colour does not.
        float area = 0.0f;
        for (size_t k = begin; k < end; ++k) {
            area += std::fabs(Cross(fills[k].a, fills[k].b, fills[k].c)) * 0.5f;
        }
        if (area < (hi.x - lo.x) * (hi.y - lo.y) * 0.7f) continue;
        const ImVec2 centre((lo.x + hi.x) * 0.5f, (lo.y + hi.y) * 0.5f);
        if (!InClip(fills[begin].clip, centre)) continue;  // not on screen
        ImU32 beneath = clear;
        for (size_t index : grid.At(centre)) {
            if (index >= begin) break;
            const Fill& f = fills[index];
            if (InClip(f.clip, centre) && Covers(f, centre)) beneath = BlendOver(f.colour, beneath);
        }
        ChipFill chip{fills[begin].colour, beneath,
                      ContrastRatio(BlendOver(fills[begin].colour, beneath), beneath), lo, hi};
        report.chips.push_back(chip);
        if (chip.ratio < kContrastGraphic) report.chip_failures.push_back(chip);
    }
    return report;
}

namespace {

std::string Hex(ImU32 c, bool alpha) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X", c & 0xFF, (c >> 8) & 0xFF,
                  (c >> 16) & 0xFF);
    std::string out(buffer);
    if (alpha) {
        std::snprintf(buffer, sizeof buffer, "%02X", (c >> 24) & 0xFF);
        out += buffer;
    }
    return out;
}

}  // namespace

std::string Describe(const ChipFill& chip) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, ": %.2f < %.1f (at %.0f,%.0f)", chip.ratio,
                  kContrastGraphic, chip.min.x, chip.min.y);
    return "chip " + Hex(chip.colour, true) + " on " + Hex(chip.beneath, false) + numbers;
}

std::string Describe(const GlyphRun& run) {
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, ": %.2f < %.1f (%.0f px%s at %.0f,%.0f)", run.ratio,
                  run.required, run.pixels, run.bold ? " bold" : "", run.pos.x, run.pos.y);
    return "'" + run.text + "' " + Hex(run.colour, true) + " on " + Hex(run.beneath, false) +
           numbers;
}

}  // namespace sockstep::ui
