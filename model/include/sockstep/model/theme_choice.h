// Which of the two themes is chosen, and its name in settings and on the command line. No ImGui:
// the frame model and the intents carry the choice; theme.h turns it into colours.
#pragma once

#include <optional>
#include <string_view>

namespace sockstep::ui {

enum class Theme { kDark, kLight };

std::optional<Theme> ParseTheme(std::string_view text);  // "dark" or "light"
std::string_view ThemeName(Theme theme);

}  // namespace sockstep::ui
