// Building the font atlas from DejaVu (fonts-dejavu-core) for ASCII and NanumGothic (fonts-nanum)
// for the rest, with only the glyphs in use.
#include "sockstep/ui/fonts.h"

#include <imgui_internal.h>
#include <unistd.h>

namespace sockstep::ui {
namespace {

// Adds the characters of `text` a font can draw. The texts come from files and from peers (data
// received): a U+0000 would end the zero-terminated range list and abort the atlas build, and a
// code point above ImWchar's 16 bits would wrap to another one (U+10000 to U+0000). Invalid
// UTF-8 decodes to U+FFFD, which is kept.
void AddDrawableText(ImFontGlyphRangesBuilder& builder, const std::string& text) {
    const char* p = text.c_str();
    const char* const end = p + text.size();
    while (p < end) {
        unsigned int c = 0;
        const int length = ImTextCharFromUtf8(&c, p, end);
        if (length <= 0) break;
        p += length;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c > IM_UNICODE_CODEPOINT_MAX) {
            continue;
        }
        builder.AddChar(static_cast<ImWchar>(c));
    }
}

// One face: `latin` for ASCII first, then `hangul` merged into it for every other glyph in
// `ranges` (ImGui keeps the glyph of the first font that has it). Without `latin`, `hangul` alone.
ImFont* AddFace(ImFontAtlas& atlas, const char* latin, const char* hangul, float pixels,
                const ImWchar* ranges, bool* latin_used) {
    static constexpr ImWchar kAscii[] = {0x0020, 0x007E, 0};
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    ImFont* font = nullptr;
    if (access(latin, R_OK) == 0) {
        font = atlas.AddFontFromFileTTF(latin, pixels, &config, kAscii);
        if (font != nullptr) config.MergeMode = true;
    }
    *latin_used = font != nullptr;
    ImFont* merged = atlas.AddFontFromFileTTF(hangul, pixels, &config, ranges);
    return font != nullptr ? font : merged;
}

}  // namespace

void BuildFonts(ImFontAtlas& atlas, float scale, const std::string& text, FontSet& set) {
    atlas.Clear();
    set.ranges.clear();
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas.GetGlyphRangesDefault());
    // Arrows, bullets, ellipses and box shapes used by the diagrams and buttons (all in
    // NanumGothic).
    static constexpr ImWchar kSymbols[] = {0x00D7, 0x00D7, 0x2022, 0x2026, 0x2190, 0x21FF, 0x22EF,
                                           0x22EF, 0x25A0, 0x25FF, 0x2716, 0x2716, 0};
    builder.AddRanges(kSymbols);
    AddDrawableText(builder, text);
    builder.BuildRanges(&set.ranges);

    const float pixels = kBaseFontPixels * scale;
    set.korean_capable = access(kUiFontPath, R_OK) == 0;
    set.latin_ascii = false;
    if (set.korean_capable) {
        const ImWchar* ranges = set.ranges.Data;
        bool latin = false;
        set.ui = AddFace(atlas, kLatinUiFontPath, kUiFontPath, pixels, ranges, &latin);
        set.latin_ascii = latin;
        set.code = access(kCodeFontPath, R_OK) == 0
                       ? AddFace(atlas, kLatinCodeFontPath, kCodeFontPath, pixels, ranges, &latin)
                       : set.ui;
        set.bold = access(kBoldFontPath, R_OK) == 0
                       ? AddFace(atlas, kLatinBoldFontPath, kBoldFontPath, pixels, ranges, &latin)
                       : set.ui;
    }
    if (set.ui == nullptr) {
        ImFontConfig fallback;
        fallback.SizePixels = pixels;
        set.ui = atlas.AddFontDefault(&fallback);
        set.code = set.ui;
        set.bold = set.ui;
        set.korean_capable = false;
        set.latin_ascii = false;
    }
    atlas.Build();
}

}  // namespace sockstep::ui
