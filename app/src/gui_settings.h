// The window's remembered settings: $XDG_CONFIG_HOME/sockstep/settings.json (nlohmann-json).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "sockstep/core/lang.h"
#include "sockstep/ui/theme.h"

namespace sockstep::app {

struct GuiSettings {
    std::optional<int> x;  // window position; unset: let the window manager place it
    std::optional<int> y;
    std::optional<int> width;
    std::optional<int> height;
    std::optional<ui::Theme> theme;
    std::optional<float> font_scale;
    std::optional<core::Lang> lang;
    bool kernel_table = false;
    bool diagrams = true;
    bool python = false;  // the code panel shows Python, not C
    float speed = 1.0f;
    std::string last_folder;  // the file dialog's folder ("": the home folder)
};

// Missing or unreadable file: defaults. Values out of range are dropped, not trusted. A file
// that exists but cannot be read (a directory, a FIFO, no permission) sets `problem` to the
// reason, naming the file; a missing one does not.
GuiSettings LoadGuiSettings(const std::filesystem::path& file, std::string& problem);
// Writes atomically (a temporary file renamed over the old one, never over anything but a
// regular file; every write checked). Returns an error naming the file, or "".
std::string SaveGuiSettings(const std::filesystem::path& file, const GuiSettings& settings);

}  // namespace sockstep::app
