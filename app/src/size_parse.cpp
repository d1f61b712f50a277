// Parsing "WxH" window sizes for --size.
#include "size_parse.h"

#include <charconv>

namespace sockstep::app {

std::optional<std::pair<int, int>> ParseSize(std::string_view text) {
    const auto x = text.find_first_of("xX");
    if (x == std::string_view::npos) return std::nullopt;
    auto parse = [](std::string_view s) -> std::optional<int> {
        int v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
        if (v < 320 || v > 7680) return std::nullopt;
        return v;
    };
    const auto w = parse(text.substr(0, x));
    const auto h = parse(text.substr(x + 1));
    if (!w || !h) return std::nullopt;
    return std::pair{*w, *h};
}

}  // namespace sockstep::app
