// Long lines of the code panel wrapped to its width, so no line runs off the edge.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sockstep::ui {

// One row of a wrapped line: bytes [begin, end) of its text, drawn `indent` pixels further in
// than the line's first row.
struct CodeRow {
    size_t begin = 0;
    size_t end = 0;
    float indent = 0;
};

// Appends the rows of `text` drawn with `font` at `size` pixels, each at most `width` wide
// (measured as ImGui draws it: the glyphs' advances). A row ends at the last space that fits
// (the spaces there are dropped); inside a token only when the token alone is wider than the
// row, then after its last '(', '[' or ',' that fits, else between two characters. Continuation
// rows hang `hang` pixels further in than the line's own leading spaces, at most half the width.
// Every line has at least one row; a row has at least one character.
void WrapCodeLine(const ImFont& font, float size, std::string_view text, float width, float hang,
                  std::vector<CodeRow>& out);

// A listing's lines wrapped, kept from frame to frame: a free-mode program of 5,000 lines took
// a millisecond to wrap again on every frame, and after a call only its last lines are new.
struct CodeWrap {
    const ImFont* font = nullptr;
    int glyphs = 0;  // the font's glyph count: a rebuilt atlas may add glyphs under the same font
    float size = 0;
    float width = 0;
    float hang = 0;
    std::vector<std::string> texts;  // the lines wrapped
    std::vector<CodeRow> rows;
    std::vector<size_t> first;  // line i has rows [first[i], first[i + 1])
};

// Wraps `texts` into `wrap` as WrapCodeLine would line by line; the rows of the leading lines
// that are the same text as before, with the same font and widths, are kept.
void WrapCodeLines(const ImFont& font, float size, const std::vector<std::string_view>& texts,
                   float width, float hang, CodeWrap& wrap);

}  // namespace sockstep::ui
