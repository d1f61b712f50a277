// Where sockstep keeps its settings and finds its assets.
#include "paths.h"

#include <cstdlib>
#include <system_error>

namespace sockstep::app {
namespace fs = std::filesystem;

std::optional<fs::path> ConfigDir(bool create) {
    fs::path base;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/') {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = fs::path(home) / ".config";
    } else {
        return std::nullopt;
    }
    fs::path dir = base / "sockstep";
    std::error_code ec;
    if (create) fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec)) return std::nullopt;
    return dir;
}

std::optional<fs::path> AssetDir() {
    if (const char* env = std::getenv("SOCKSTEP_ASSETS"); env && *env) {
        if (fs::is_directory(fs::path(env) / "lessons")) return fs::path(env);
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return std::nullopt;
    const fs::path dir = exe.parent_path();
    for (const fs::path& candidate :
         {dir / "assets", dir.parent_path() / SOCKSTEP_INSTALL_DATADIR / "sockstep"}) {
        if (fs::is_directory(candidate / "lessons", ec)) return candidate;
    }
    return std::nullopt;
}

std::vector<core::LessonFolder> LessonFolders(const std::vector<std::string>& lesson_dirs) {
    return core::LessonFoldersFromEnvironment({lesson_dirs.begin(), lesson_dirs.end()}, AssetDir());
}

}  // namespace sockstep::app
