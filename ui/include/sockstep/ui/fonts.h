// Building the font atlas: DejaVu for ASCII merged with NanumGothic for everything else, with only
// the glyphs the texts need, at the chosen scale.
#pragma once

#include <imgui.h>

#include <string>

namespace sockstep::ui {

inline constexpr float kBaseFontPixels = 17.0f;
inline constexpr const char* kUiFontPath = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";
inline constexpr const char* kCodeFontPath =
    "/usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf";
inline constexpr const char* kBoldFontPath = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf";
// ASCII comes from these (fonts-dejavu-core): the Korean fonts draw U+005C as a won sign and
// NanumGothicCoding draws U+007C as a broken bar, so a path, a C string or a shell pipe would not
// look like itself.
inline constexpr const char* kLatinUiFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* kLatinCodeFontPath =
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
inline constexpr const char* kLatinBoldFontPath =
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Owned by the caller: the glyph ranges must outlive the atlas build.
struct FontSet {
    ImVector<ImWchar> ranges;
    ImFont* ui = nullptr;
    ImFont* code = nullptr;
    ImFont* bold = nullptr;       // headers and state badges: legible from the back of a room
    bool korean_capable = false;  // false when fonts-nanum is missing: Korean would show as '?'
    bool latin_ascii = false;     // ASCII is drawn from DejaVu (false when it is missing)
};

// Clears `atlas` and adds the UI, bold and code fonts at kBaseFontPixels * scale with the Latin
// range plus every character of `text`, each one DejaVu for ASCII with NanumGothic merged into it
// (the first font to have a glyph wins, so ASCII is DejaVu's) (building the whole Hangul range
// costs ~126 ms and ~73 MB; only the glyphs in use cost ~4 ms). The caller uploads the texture
// afterwards.
void BuildFonts(ImFontAtlas& atlas, float scale, const std::string& text, FontSet& set);

}  // namespace sockstep::ui
