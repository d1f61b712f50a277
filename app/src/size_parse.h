// Parsing "WxH" window sizes for --size.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace sockstep::app {

// "1280x720" -> {1280, 720}. Each side 320..7680; anything else is nullopt.
std::optional<std::pair<int, int>> ParseSize(std::string_view text);

}  // namespace sockstep::app
