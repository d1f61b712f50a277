// Where lessons come from: the folders a teacher or a technician fills (--lessons, the XDG data
// folders) besides the built-in one, the lessons listed from them with the clashes between
// their ids decided, and a lesson found by its id among them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/lesson.h"

namespace sockstep::core {

// Where a lesson folder came from. On an id clash the earlier one wins.
enum class LessonOrigin {
    kOption,      // --lessons DIR
    kUserData,    // $XDG_DATA_HOME/sockstep/lessons (~/.local/share when unset)
    kSystemData,  // each of $XDG_DATA_DIRS/sockstep/lessons (/usr/local/share, /usr/share)
    kBuiltin,     // the program's own assets
};

// "--lessons", "XDG_DATA_HOME", "XDG_DATA_DIRS", "built-in": how the terminal and the menu
// name an origin (with the folder's path beside it where it is not built-in).
const char* LessonOriginName(LessonOrigin origin);

struct LessonFolder {
    std::filesystem::path dir;  // the folder holding the .toml files
    LessonOrigin origin = LessonOrigin::kBuiltin;
};

// What the folders are read from: the environment's values ("" when unset) and the options.
struct LessonFolderSources {
    std::vector<std::filesystem::path> option_dirs;  // each --lessons DIR, in the order given
    std::string xdg_data_home;
    std::string xdg_data_dirs;  // ':'-separated
    std::string home;
    std::optional<std::filesystem::path> asset_dir;  // holds the built-in lessons/
};

// The folders, in precedence order: every --lessons DIR, then XDG_DATA_HOME's, then each of
// XDG_DATA_DIRS' in order, then the built-in one. As the XDG Base Directory specification says,
// a relative path in an XDG variable is ignored and an unset or empty one takes its default.
// A folder named twice is kept once, at its first place; the built-in folder is always the
// built-in one, even when XDG_DATA_DIRS names it too (/usr/share/sockstep/lessons once
// installed). XDG folders that do not exist are left out (most accounts have none); an option's
// folder is kept, and ReadLessonCatalog says what is wrong with it.
std::vector<LessonFolder> LessonFolders(const LessonFolderSources& sources);

// The folders with the process's environment: XDG_DATA_HOME, XDG_DATA_DIRS, HOME.
std::vector<LessonFolder> LessonFoldersFromEnvironment(
    const std::vector<std::filesystem::path>& option_dirs,
    const std::optional<std::filesystem::path>& asset_dir);

// An --lessons argument that is not a folder that can be listed: why, else nullopt.
std::optional<std::string> LessonFolderProblem(const std::filesystem::path& dir);

// One .toml file of a lesson folder.
struct CatalogEntry {
    std::filesystem::path file;
    LessonFolder folder;
    std::optional<Lesson> lesson;     // empty when the file is broken
    std::vector<LessonError> errors;  // what `check` says of a broken file
    // A lesson of the same id in a folder that wins over this one: this one is not opened by
    // its id, and is listed as shadowed.
    std::optional<std::filesystem::path> shadowed_by;

    bool Usable() const { return lesson && !shadowed_by; }
};

struct LessonCatalog {
    // Built-in lessons first, in teaching order (their NN- prefixes), then each other folder's
    // in precedence order, each sorted by file name. Broken and shadowed files are listed too,
    // and so is a folder that could not be listed (missing, not a folder, unreadable, too many
    // files): as an entry whose `file` is the folder, with the error.
    std::vector<CatalogEntry> entries;
};

LessonCatalog ReadLessonCatalog(const std::vector<LessonFolder>& folders);

// A path (it has a '/' or ends in .toml), else the id of a lesson in the folders (the winner on
// a clash), else a file of that name. The error for an unknown id lists the ids there are.
LessonResult FindLesson(const std::string& id_or_path, const std::vector<LessonFolder>& folders);

}  // namespace sockstep::core
