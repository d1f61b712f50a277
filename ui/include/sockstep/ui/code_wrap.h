// Long lines of the code panel wrapped to its width, so no line runs off the edge.
#pragma once

#include <imgui.h>

#include <cstddef>
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

}  // namespace sockstep::ui
