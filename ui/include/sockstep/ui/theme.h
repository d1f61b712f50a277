// The two themes: a dark one for screens and a light high-contrast one for projectors.
#pragma once

#include <optional>
#include <string_view>

namespace sockstep::ui {

enum class Theme { kDark, kLight };

// Resets the ImGui style to `theme` and scales its sizes (padding, rounding) by `scale`.
void ApplyTheme(Theme theme, float scale);

std::optional<Theme> ParseTheme(std::string_view text);  // "dark" or "light"
std::string_view ThemeName(Theme theme);

}  // namespace sockstep::ui
