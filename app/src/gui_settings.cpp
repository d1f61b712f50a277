// Reading and writing settings.json. A damaged file must never stop the program: every field
// is checked and anything odd falls back to its default.
#include "gui_settings.h"

#include <cerrno>
#include <nlohmann/json.hpp>

#include "sockstep/core/terminal_text.h"
#include "sockstep/core/user_file.h"

namespace sockstep::app {
namespace {

using nlohmann::json;

// settings.json is a few hundred bytes; a bigger file is not ours and is not read.
constexpr std::uintmax_t kMaxSettingsBytes = 1 << 20;

template <class T>
std::optional<T> Get(const json& j, const char* key) {
    if (!j.contains(key)) return std::nullopt;
    const json& v = j.at(key);
    if constexpr (std::is_same_v<T, std::string>) {
        if (v.is_string()) return v.get<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
        if (v.is_boolean()) return v.get<bool>();
    } else if constexpr (std::is_floating_point_v<T>) {
        if (v.is_number()) return v.get<T>();
    } else {
        if (v.is_number_integer()) return v.get<T>();
    }
    return std::nullopt;
}

}  // namespace

GuiSettings LoadGuiSettings(const std::filesystem::path& file, std::string& problem) {
    GuiSettings s;
    problem.clear();
    std::string text;
    // Never blocks on a FIFO and never reads a directory: core::ReadUserFile judges by fstat.
    if (auto why = core::ReadUserFile(file, kMaxSettingsBytes, text)) {
        if (*why != core::DescribeFileErrno(ENOENT)) problem = file.string() + ": " + *why;
        return s;
    }
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object()) return s;
    if (j.contains("window") && j["window"].is_object()) {
        const json& w = j["window"];
        const auto x = Get<int>(w, "x");
        const auto y = Get<int>(w, "y");
        const auto width = Get<int>(w, "width");
        const auto height = Get<int>(w, "height");
        if (x && y && *x > -10000 && *x < 20000 && *y > -10000 && *y < 20000) {
            s.x = x;
            s.y = y;
        }
        if (width && height && *width >= 320 && *width <= 7680 && *height >= 240 &&
            *height <= 4320) {
            s.width = width;
            s.height = height;
        }
    }
    if (const auto theme = Get<std::string>(j, "theme")) s.theme = ui::ParseTheme(*theme);
    if (const auto scale = Get<float>(j, "font_scale"); scale && *scale >= 1.0f && *scale <= 3.0f) {
        s.font_scale = scale;
    }
    if (const auto lang = Get<std::string>(j, "lang")) s.lang = core::ParseLang(*lang);
    s.kernel_table = Get<bool>(j, "kernel_table").value_or(false);
    s.diagrams = Get<bool>(j, "diagrams").value_or(true);
    s.python = Get<std::string>(j, "code").value_or("c") == "python";
    if (const auto speed = Get<float>(j, "speed"); speed && *speed >= 0.25f && *speed <= 4.0f) {
        s.speed = *speed;
    }
    // A folder, absolute; anything else (a control byte, a relative path) is not ours.
    if (const auto folder = Get<std::string>(j, "last_folder");
        folder && folder->size() < 4096 && !folder->empty() && folder->front() == '/' &&
        folder->find('\0') == std::string::npos) {
        s.last_folder = *folder;
    }
    return s;
}

std::string SaveGuiSettings(const std::filesystem::path& file, const GuiSettings& s) {
    json j;
    if (s.x && s.y) {
        j["window"]["x"] = *s.x;
        j["window"]["y"] = *s.y;
    }
    if (s.width && s.height) {
        j["window"]["width"] = *s.width;
        j["window"]["height"] = *s.height;
    }
    if (s.theme) j["theme"] = std::string(ui::ThemeName(*s.theme));
    if (s.font_scale) j["font_scale"] = *s.font_scale;
    if (s.lang) j["lang"] = std::string(core::LangCode(*s.lang));
    j["kernel_table"] = s.kernel_table;
    j["diagrams"] = s.diagrams;
    j["code"] = s.python ? "python" : "c";
    j["speed"] = s.speed;
    // Not valid UTF-8 (a folder name may be any bytes): nlohmann-json could not write it.
    if (!s.last_folder.empty() &&
        core::TerminalSafe(s.last_folder, s.last_folder.size()) == s.last_folder) {
        j["last_folder"] = s.last_folder;
    }
    const auto error = core::WriteUserFile(file, j.dump(2) + "\n", /*replace=*/true);
    return error.value_or(std::string());
}

}  // namespace sockstep::app
