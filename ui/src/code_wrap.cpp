#include "sockstep/ui/code_wrap.h"

#include <imgui_internal.h>

#include <algorithm>

namespace sockstep::ui {

void WrapCodeLine(const ImFont& font, float size, std::string_view text, float width, float hang,
                  std::vector<CodeRow>& out) {
    const float scale = size / font.FontSize;
    const char* const base = text.data();
    const char* const end = base + text.size();
    size_t lead = 0;
    while (lead < text.size() && text[lead] == ' ') ++lead;
    const float indent = std::clamp(
        font.GetCharAdvance(' ') * scale * static_cast<float>(lead) + hang, 0.0f, width * 0.5f);
    size_t begin = 0;
    bool first = true;
    for (;;) {
        const float room = first ? width : width - indent;
        float x = 0;
        size_t i = begin;
        size_t space = std::string_view::npos;  // the last space after some text of the row
        size_t after = std::string_view::npos;  // just after the last '(', '[' or ','
        bool over = false;
        while (i < text.size()) {
            unsigned int c = 0;
            const int n = std::max(1, ImTextCharFromUtf8(&c, base + i, end));
            if (c == ' ' && i > begin && i > lead) space = i;
            const float advance = font.GetCharAdvance(static_cast<ImWchar>(c)) * scale;
            if (x + advance > room && i > begin) {
                over = true;
                break;
            }
            x += advance;
            i += static_cast<size_t>(n);
            if (c == '(' || c == '[' || c == ',') after = i;
        }
        const float row_indent = first ? 0.0f : indent;
        if (!over) {
            out.push_back({begin, text.size(), row_indent});
            return;
        }
        const size_t row_end = space != std::string_view::npos   ? space
                               : after != std::string_view::npos ? after
                                                                 : i;
        out.push_back({begin, row_end, row_indent});
        begin = row_end;
        while (begin < text.size() && text[begin] == ' ') ++begin;
        if (begin >= text.size()) return;
        first = false;
    }
}

void WrapCodeLines(const ImFont& font, float size, const std::vector<std::string_view>& texts,
                   float width, float hang, CodeWrap& wrap) {
    const bool same_font = wrap.font == &font && wrap.glyphs == font.Glyphs.Size &&
                           wrap.size == size && wrap.width == width && wrap.hang == hang;
    size_t kept = 0;
    if (same_font) {
        const size_t most = std::min(texts.size(), wrap.texts.size());
        while (kept < most && wrap.texts[kept] == texts[kept]) ++kept;
    }
    wrap.font = &font;
    wrap.glyphs = font.Glyphs.Size;
    wrap.size = size;
    wrap.width = width;
    wrap.hang = hang;
    // first[] ends with one past the last line's rows: line `kept` starts where the kept rows end.
    const size_t kept_rows = kept < wrap.first.size() ? wrap.first[kept] : 0;
    wrap.texts.resize(kept);
    wrap.first.resize(kept);
    wrap.rows.resize(kept_rows);
    for (size_t i = kept; i < texts.size(); ++i) {
        wrap.texts.emplace_back(texts[i]);
        wrap.first.push_back(wrap.rows.size());
        WrapCodeLine(font, size, texts[i], width, hang, wrap.rows);
    }
    wrap.first.push_back(wrap.rows.size());
}

}  // namespace sockstep::ui
