// Where sockstep keeps its settings and finds its assets.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/lesson_catalog.h"

namespace sockstep::app {

// $XDG_CONFIG_HOME/sockstep, else ~/.config/sockstep. With `create`, created when missing;
// nullopt when it is not there (or cannot be made: no HOME, read-only file system): the program
// then keeps nothing. Scripted runs only read, so they never create it.
std::optional<std::filesystem::path> ConfigDir(bool create = true);

// The folder holding lessons/ and the icon: $SOCKSTEP_ASSETS when set, else `assets/` beside the
// binary (the build tree), else <prefix>/share/sockstep (an installed copy).
std::optional<std::filesystem::path> AssetDir();

// The lesson folders of every front end: each --lessons DIR, the XDG data folders, the built-in
// one (core::LessonFolders).
std::vector<core::LessonFolder> LessonFolders(const std::vector<std::string>& lesson_dirs);

}  // namespace sockstep::app
