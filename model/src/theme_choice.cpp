// Theme names, as settings.json and --theme spell them.
#include "sockstep/model/theme_choice.h"

namespace sockstep::ui {

std::optional<Theme> ParseTheme(std::string_view text) {
    if (text == "dark") return Theme::kDark;
    if (text == "light") return Theme::kLight;
    return std::nullopt;
}

std::string_view ThemeName(Theme theme) {
    return theme == Theme::kDark ? "dark" : "light";
}

}  // namespace sockstep::ui
