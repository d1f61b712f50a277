// Small drawing helpers shared by the panels: dashed outlines, badges, tooltips, arrowheads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "draw_context.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {

void DashedLine(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness, float dash) {
    const float dx = b.x - a.x;
    const float dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (length <= 0.0f || dash <= 0.0f) return;
    const float ux = dx / length;
    const float uy = dy / length;
    for (float t = 0.0f; t < length; t += 2.0f * dash) {
        const float end = std::min(t + dash, length);
        draw->AddLine(ImVec2(a.x + ux * t, a.y + uy * t), ImVec2(a.x + ux * end, a.y + uy * end),
                      colour, thickness);
    }
}

void DashedRect(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness, float dash) {
    DashedLine(draw, a, ImVec2(b.x, a.y), colour, thickness, dash);
    DashedLine(draw, ImVec2(b.x, a.y), b, colour, thickness, dash);
    DashedLine(draw, b, ImVec2(a.x, b.y), colour, thickness, dash);
    DashedLine(draw, ImVec2(a.x, b.y), a, colour, thickness, dash);
}

ImVec2 BadgeSize(ImFont* font, const char* text, float size) {
    const float fs = size > 0 ? size : font->FontSize;
    const ImVec2 t = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, text);
    const float pad = fs * 0.35f;
    return ImVec2(t.x + 2 * pad, t.y + pad * 0.6f);
}

ImVec2 Badge(ImDrawList* draw, ImFont* font, ImVec2 pos, const char* text, ImU32 fill,
             ImU32 text_colour, float size) {
    const float fs = size > 0 ? size : font->FontSize;
    const ImVec2 box = BadgeSize(font, text, fs);
    const float pad = fs * 0.35f;
    draw->AddRectFilled(pos, ImVec2(pos.x + box.x, pos.y + box.y), fill, box.y * 0.3f);
    draw->AddText(font, fs, ImVec2(pos.x + pad, pos.y + pad * 0.3f), text_colour, text);
    return box;
}

ImVec2 StateBadgeSize(ImFont* font, const std::optional<core::TcpState>& s, float size,
                      core::SockType type) {
    return BadgeSize(font, s ? std::string(SocketStateLabel(*s, type)).c_str() : "—", size);
}

ImVec2 StateBadge(ImDrawList* draw, ImFont* font, ImVec2 pos,
                  const std::optional<core::TcpState>& s, float size, core::SockType type) {
    const ImU32 fill = s ? TcpStateColour(*s) : NoStateColour();
    const std::string label = s ? std::string(SocketStateLabel(*s, type)) : std::string("—");
    return Badge(draw, font, pos, label.c_str(), fill, TextOn(fill), size);
}

void WrappedTooltip(const std::string& text) {
    if (!ImGui::IsItemHovered()) return;
    TooltipNow(text);
}

void TooltipNow(const std::string& text) {
    // 28 em, but never wider than the window: at large text on a small window the tooltip
    // would run off its edge.
    const float display = ImGui::GetIO().DisplaySize.x - ImGui::GetStyle().WindowPadding.x * 4;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(
        std::max(ImGui::GetFontSize() * 4.0f, std::min(ImGui::GetFontSize() * 28.0f, display)));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void HelpMarker(const char* text) {
    ImGui::TextDisabled("(?)");
    WrappedTooltip(text);
}

std::string Seconds(double seconds) {
    char buf[32];
    if (seconds < 0) seconds = 0;
    if (seconds >= 10.0) {
        std::snprintf(buf, sizeof buf, "%.0f", std::floor(seconds));
    } else {
        std::snprintf(buf, sizeof buf, "%.1f", seconds);
    }
    return buf;
}

std::string Ellipsize(ImFont* font, const std::string& text, float width) {
    if (font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.c_str()).x <= width) return text;
    std::string out = text;
    while (!out.empty()) {
        // Drop one UTF-8 character from the end.
        do {
            out.pop_back();
        } while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80);
        if (!out.empty()) {
            const unsigned char last = static_cast<unsigned char>(out.back());
            if (last >= 0xC0) out.pop_back();  // a lead byte left alone
        }
        const std::string candidate = out + "…";
        if (font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, candidate.c_str()).x <= width) {
            return candidate;
        }
    }
    return "…";
}

float WholeSize(ImFont* font, float fs, const std::string& text, float width, float min_fs) {
    const float w = font->CalcTextSizeA(fs, FLT_MAX, 0.0f, text.c_str()).x;
    if (w <= width) return fs;
    if (w <= 0 || fs <= 0) return 0.0f;
    // Glyph widths scale with the size; a pixel under for rounding.
    const float size = std::floor(fs * width / w * 10.0f) / 10.0f;
    if (size < min_fs) return 0.0f;
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str()).x <= width ? size : 0.0f;
}

void Arrowhead(ImDrawList* draw, ImVec2 from, ImVec2 tip, ImU32 colour, float size) {
    const float dx = tip.x - from.x;
    const float dy = tip.y - from.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (length <= 0.0f) return;
    const float ux = dx / length;
    const float uy = dy / length;
    const ImVec2 base(tip.x - ux * size, tip.y - uy * size);
    draw->AddTriangleFilled(tip, ImVec2(base.x - uy * size * 0.55f, base.y + ux * size * 0.55f),
                            ImVec2(base.x + uy * size * 0.55f, base.y - ux * size * 0.55f), colour);
}

}  // namespace sockstep::ui

namespace sockstep::ui {
namespace {

struct Word {
    std::string text;  // includes its trailing space
    bool code = false;
};

// Splits on backticks (code spans) and spaces, keeping each word's trailing space.
std::vector<Word> SplitRich(const std::string& text) {
    std::vector<Word> words;
    bool code = false;
    std::string current;
    auto flush = [&] {
        if (!current.empty()) words.push_back({current, code});
        current.clear();
    };
    for (const char ch : text) {
        if (ch == '`') {
            flush();
            code = !code;
            continue;
        }
        current += ch;
        // A code span stays whole (it wraps as one piece unless longer than a line).
        if (!code && (ch == ' ' || ch == '\n')) flush();
    }
    flush();
    return words;
}

size_t Utf8Length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

// Lays `text` out from `origin` across `wrap` pixels and returns its height; draws it only when
// `draw` is given, so that measuring and drawing cannot disagree.
float LayOutRich(const DrawContext& c, const std::string& text, ImU32 colour, ImFont* font,
                 float wrap, ImVec2 origin, ImDrawList* draw) {
    const float fs = font->FontSize;
    const float line_h = fs * 1.3f;
    float x = 0;
    float y = 0;
    auto width_of = [&](ImFont* f, const std::string& s) {
        return f->CalcTextSizeA(fs, FLT_MAX, 0, s.c_str()).x;
    };
    const float code_pad = fs * 0.2f;  // room for the code box between neighbours
    auto put = [&](ImFont* f, const std::string& s, bool code) {
        if (code) x += code_pad;
        const float w = width_of(f, s);
        const ImVec2 at(origin.x + x, origin.y + y);
        if (code) {
            // A faint box behind code, like `code` in a rendered README.
            std::string trimmed = s;
            while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
            const float tw = width_of(f, trimmed);
            if (draw) {
                draw->AddRectFilled(ImVec2(at.x - 2, at.y), ImVec2(at.x + tw + 2, at.y + fs + 1),
                                    c.pal.bar_bg, 3.0f);
                draw->AddText(f, fs, at, c.pal.text, s.c_str());
            }
            x += code_pad;
        } else if (draw) {
            draw->AddText(f, fs, at, colour, s.c_str());
        }
        x += w;
    };
    for (const Word& word : SplitRich(text)) {
        ImFont* f = word.code ? c.code : font;
        std::string trimmed = word.text;
        while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n'))
            trimmed.pop_back();
        const float w = width_of(f, trimmed);
        if (x > 0 && x + w > wrap) {
            x = 0;
            y += line_h;
        }
        if (w > wrap) {
            // Longer than a line (a long Korean phrase without spaces): break between characters.
            size_t i = 0;
            while (i < word.text.size()) {
                const size_t n = Utf8Length(static_cast<unsigned char>(word.text[i]));
                const std::string ch = word.text.substr(i, n);
                if (x + width_of(f, ch) > wrap && x > 0) {
                    x = 0;
                    y += line_h;
                }
                put(f, ch, word.code);
                i += n;
            }
        } else {
            put(f, word.text, word.code);
        }
        if (!word.text.empty() && word.text.back() == '\n') {
            x = 0;
            y += line_h;
        }
    }
    return y + line_h;
}

}  // namespace

void RichText(const DrawContext& c, const std::string& text, ImU32 colour, ImFont* font) {
    if (font == nullptr) font = c.font;
    const float wrap = std::max(font->FontSize * 4, ImGui::GetContentRegionAvail().x);
    const float height = LayOutRich(c, text, colour, font, wrap, ImGui::GetCursorScreenPos(),
                                    ImGui::GetWindowDrawList());
    ImGui::Dummy(ImVec2(wrap, height));
}

float RichTextHeight(const DrawContext& c, const std::string& text, float width, ImFont* font) {
    if (font == nullptr) font = c.font;
    return LayOutRich(c, text, 0, font, std::max(font->FontSize * 4, width), ImVec2(0, 0), nullptr);
}

}  // namespace sockstep::ui
