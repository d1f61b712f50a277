// Lesson folders: which ones, in which order, the lessons listed from them with their id clashes
// decided, and a lesson found by its id among them.
#include "sockstep/core/lesson_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <system_error>

#include "sockstep/core/terminal_text.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

// A teacher's folder is a few dozen lessons; a folder with more .toml files than this is not one
// to read whole at every start.
constexpr size_t kMaxFolderFiles = 1000;

// "03-accept-queue.toml" → "accept-queue": built-in files are named NN-<id>.toml.
std::string IdFromFileName(const fs::path& path) {
    const std::string stem = path.stem().string();
    const auto dash = stem.find('-');
    if (dash == std::string::npos || dash == 0) return stem;
    const bool numbered = std::all_of(stem.begin(), stem.begin() + static_cast<long>(dash),
                                      [](char c) { return c >= '0' && c <= '9'; });
    return numbered ? stem.substr(dash + 1) : stem;
}

bool LooksLikePath(const std::string& text) {
    return text.find('/') != std::string::npos ||
           (text.size() > 5 && text.compare(text.size() - 5, 5, ".toml") == 0);
}

// "/usr/share/" and "/usr/share", or a symlink and its target, are one folder.
bool SameFolder(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::equivalent(a, b, ec)) return true;
    auto normal = [](const fs::path& p) {
        fs::path n = p.lexically_normal();
        return n.has_filename() || n == n.root_path() ? n : n.parent_path();
    };
    return normal(a) == normal(b);
}

// The absolute paths of a ':'-separated XDG list; relative ones are invalid (XDG Base
// Directory specification) and left out.
std::vector<fs::path> AbsolutePaths(const std::string& list) {
    std::vector<fs::path> out;
    size_t start = 0;
    while (start <= list.size()) {
        const size_t end = std::min(list.find(':', start), list.size());
        const std::string item = list.substr(start, end - start);
        if (!item.empty() && item[0] == '/') out.emplace_back(item);
        start = end + 1;
    }
    return out;
}

// Every .toml entry of a folder, sorted by name. Not only regular files: a FIFO or a directory
// named like a lesson is listed, and loading it says what it is. Names starting with '.' are an
// editor's (".#lesson.toml" lock links, swap files), not lessons.
std::vector<fs::path> TomlEntries(const fs::path& dir, std::string& problem) {
    std::vector<fs::path> files;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() != ".toml" || p.filename().string().front() == '.') continue;
        if (files.size() == kMaxFolderFiles) {
            problem = "more than " + std::to_string(kMaxFolderFiles) +
                      " .toml files; the first ones by name are listed";
            break;
        }
        files.push_back(p);
    }
    if (ec) problem = "cannot list the folder: " + ec.message();
    std::sort(files.begin(), files.end());
    return files;
}

constexpr size_t kMaxPathShown = 512;  // bytes of a folder's path in a message

// A folder as a message names it: its path comes from the environment or the command line, so
// it is escaped like any other text bound for a terminal.
std::string FolderLabel(const LessonFolder& folder) {
    if (folder.origin == LessonOrigin::kBuiltin) return LessonOriginName(folder.origin);
    return TerminalSafe(folder.dir.string(), kMaxPathShown);
}

}  // namespace

const char* LessonOriginName(LessonOrigin origin) {
    switch (origin) {
        case LessonOrigin::kOption:
            return "--lessons";
        case LessonOrigin::kUserData:
            return "XDG_DATA_HOME";
        case LessonOrigin::kSystemData:
            return "XDG_DATA_DIRS";
        case LessonOrigin::kBuiltin:
            break;
    }
    return "built-in";
}

std::vector<LessonFolder> LessonFolders(const LessonFolderSources& sources) {
    std::optional<fs::path> builtin;
    if (sources.asset_dir) builtin = *sources.asset_dir / "lessons";
    std::vector<LessonFolder> out;
    auto add = [&](const fs::path& dir, LessonOrigin origin, bool must_exist) {
        std::error_code ec;
        if (must_exist && !fs::is_directory(dir, ec)) return;
        if (builtin && SameFolder(dir, *builtin)) return;  // listed once, as the built-in one
        for (const LessonFolder& f : out) {
            if (SameFolder(f.dir, dir)) return;
        }
        out.push_back({dir, origin});
    };
    for (const fs::path& dir : sources.option_dirs) add(dir, LessonOrigin::kOption, false);
    fs::path data_home;
    if (!sources.xdg_data_home.empty() && sources.xdg_data_home[0] == '/') {
        data_home = sources.xdg_data_home;
    } else if (!sources.home.empty()) {
        data_home = fs::path(sources.home) / ".local/share";
    }
    if (!data_home.empty()) add(data_home / "sockstep/lessons", LessonOrigin::kUserData, true);
    const std::string dirs =
        sources.xdg_data_dirs.empty() ? "/usr/local/share/:/usr/share/" : sources.xdg_data_dirs;
    for (const fs::path& dir : AbsolutePaths(dirs)) {
        add(dir / "sockstep/lessons", LessonOrigin::kSystemData, true);
    }
    if (builtin) out.push_back({*builtin, LessonOrigin::kBuiltin});
    return out;
}

std::vector<LessonFolder> LessonFoldersFromEnvironment(const std::vector<fs::path>& option_dirs,
                                                       const std::optional<fs::path>& asset_dir) {
    auto env = [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    };
    return LessonFolders(
        {option_dirs, env("XDG_DATA_HOME"), env("XDG_DATA_DIRS"), env("HOME"), asset_dir});
}

std::optional<std::string> LessonFolderProblem(const fs::path& dir) {
    std::error_code ec;
    const fs::file_status status = fs::status(dir, ec);
    if (ec || !fs::exists(status)) {
        return "there is no such folder" + (ec ? " (" + ec.message() + ")" : std::string());
    }
    if (!fs::is_directory(status)) {
        return std::string("this is not a folder but ") +
               (fs::is_fifo(status)           ? "a FIFO"
                : fs::is_regular_file(status) ? "a file"
                : fs::is_socket(status)       ? "a socket"
                                              : "a device or other special file") +
               "; name the folder that holds the .toml lessons";
    }
    fs::directory_iterator it(dir, ec);
    if (ec) return "cannot list the folder: " + ec.message();
    return std::nullopt;
}

LessonCatalog ReadLessonCatalog(const std::vector<LessonFolder>& folders) {
    LessonCatalog catalog;
    std::map<std::string, fs::path> winners;  // id → the file that has it
    std::vector<CatalogEntry> builtin;
    std::vector<CatalogEntry> others;
    for (const LessonFolder& folder : folders) {
        std::vector<CatalogEntry>& listed =
            folder.origin == LessonOrigin::kBuiltin ? builtin : others;
        auto folder_error = [&](const std::string& problem) {
            CatalogEntry entry{folder.dir, folder, std::nullopt, {}, std::nullopt};
            entry.errors.push_back({folder.dir.string(), 0, 0, problem});
            listed.push_back(std::move(entry));
        };
        if (folder.origin == LessonOrigin::kOption) {
            if (auto problem = LessonFolderProblem(folder.dir)) {
                folder_error("--lessons: " + *problem);
                continue;
            }
        }
        std::string problem;
        const std::vector<fs::path> files = TomlEntries(folder.dir, problem);
        if (!problem.empty()) folder_error(problem);
        for (const fs::path& file : files) {
            CatalogEntry entry{file, folder, std::nullopt, {}, std::nullopt};
            LessonResult result = LoadLesson(file);
            if (auto* lesson = std::get_if<Lesson>(&result)) {
                const auto [winner, first] = winners.emplace(lesson->id, file);
                if (!first) entry.shadowed_by = winner->second;
                entry.lesson = std::move(*lesson);
            } else {
                entry.errors = std::move(std::get<std::vector<LessonError>>(result));
            }
            listed.push_back(std::move(entry));
        }
    }
    catalog.entries = std::move(builtin);
    for (CatalogEntry& e : others) catalog.entries.push_back(std::move(e));
    return catalog;
}

LessonResult FindLesson(const std::string& id_or_path, const std::vector<LessonFolder>& folders) {
    if (LooksLikePath(id_or_path)) return LoadLesson(id_or_path);
    LessonCatalog catalog = ReadLessonCatalog(folders);
    for (CatalogEntry& e : catalog.entries) {
        if (e.Usable() && e.lesson->id == id_or_path) return std::move(*e.lesson);
    }
    // A broken file named after the id is most likely the one meant: say what is wrong with it.
    for (const CatalogEntry& e : catalog.entries) {
        if (!e.lesson && IdFromFileName(e.file) == id_or_path) return e.errors;
    }
    // Not an id there: a file of that name (without .toml) in the working directory. Anything
    // there (a FIFO, a symlink loop) is that file, and LoadLesson says what is wrong.
    std::error_code ec;
    if (fs::exists(fs::symlink_status(id_or_path, ec))) return LoadLesson(id_or_path);
    std::string list;
    const LessonFolder* folder = nullptr;
    for (const CatalogEntry& e : catalog.entries) {
        if (!e.Usable()) continue;
        if (folder == nullptr || !SameFolder(folder->dir, e.folder.dir)) {
            if (folder != nullptr) list += "; ";
            folder = &e.folder;
            list += FolderLabel(e.folder) + ": ";
        } else {
            list += ", ";
        }
        list += e.lesson->id;
    }
    if (list.empty()) {
        std::string where;
        for (const LessonFolder& f : folders) {
            where += (where.empty() ? "" : ", ") + TerminalSafe(f.dir.string(), kMaxPathShown);
        }
        return std::vector<LessonError>{{id_or_path, 0, 0,
                                         "no lessons were found" +
                                             (where.empty() ? std::string() : " in " + where) +
                                             "; give the path of a lesson file instead"}};
    }
    return std::vector<LessonError>{{id_or_path, 0, 0,
                                     "there is no lesson with this id (" + list +
                                         "); a lesson file is given by its path, ending in "
                                         ".toml"}};
}

LessonResult FindLesson(const std::string& id_or_path, const fs::path& asset_dir) {
    return FindLesson(id_or_path,
                      std::vector<LessonFolder>{{asset_dir / "lessons", LessonOrigin::kBuiltin}});
}

}  // namespace sockstep::core
