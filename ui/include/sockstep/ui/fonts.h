// Building the font atlas: NanumGothic with only the glyphs the texts need, at the chosen scale.
#pragma once

#include <imgui.h>

#include <string>

namespace sockstep::ui {

inline constexpr float kBaseFontPixels = 17.0f;
inline constexpr const char* kUiFontPath = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";
inline constexpr const char* kCodeFontPath =
    "/usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf";
inline constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf";

// Owned by the caller: the glyph ranges must outlive the atlas build.
struct FontSet {
    ImVector<ImWchar> ranges;
    ImFont* ui = nullptr;
    ImFont* code = nullptr;
    ImFont* bold = nullptr;       // headers and state badges: legible from the back of a room
    bool korean_capable = false;  // false when fonts-nanum is missing: Korean would show as '?'
};

// Clears `atlas` and adds the UI, bold and code fonts at kBaseFontPixels * scale with the Latin
// range plus every character of `text` (building the whole Hangul range costs ~126 ms and ~73 MB;
// only the glyphs in use cost ~4 ms). The caller uploads the texture afterwards.
void BuildFonts(ImFontAtlas& atlas, float scale, const std::string& text, FontSet& set);

}  // namespace sockstep::ui
