// WriteExport: the one function of the export that writes files, and CheckExportPath, the same
// checks made before a lesson runs (so a bad -o is said at once, not after a real client came).
// Each file is written by core::WriteUserFile: a temporary name in its own directory renamed into
// place, never over anything but a regular file; without --force never over an existing file.
#include "sockstep/core/user_file.h"
#include "sockstep/model/export.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// The checks on `path` itself that come before the files inside or at it; `example` is the
// export's own file name, suggested when `path` is a directory.
std::optional<std::string> CheckPath(const fs::path& path, bool directory,
                                     const std::string& example) {
    if (path.empty()) return std::string("no output path given");
    std::error_code ec;
    if (directory) {
        if (fs::exists(fs::symlink_status(path, ec)) && !fs::is_directory(path, ec)) {
            return Quoted(path) +
                   " exists and is not a directory (the C export writes one file "
                   "per program into a directory)";
        }
        return std::nullopt;
    }
    if (fs::is_directory(path, ec)) {
        return Quoted(path) + " is a directory; name the file to write" +
               (example.empty() ? "" : ", for example " + Quoted(path / example));
    }
    const fs::path parent = path.parent_path();
    if (!parent.empty() && !fs::exists(fs::symlink_status(parent, ec))) {
        return "the directory " + Quoted(parent) + " does not exist";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> CheckExportPath(const fs::path& path, bool directory, bool force) {
    if (auto error = CheckPath(path, directory, "")) return error;
    if (directory) return std::nullopt;  // its files are named by the lesson, checked at writing
    return core::CheckOutputPath(path, force);
}

std::optional<std::string> WriteExport(const ExportResult& result, const fs::path& path, bool force,
                                       std::string_view how_to_replace) {
    const std::string example = result.files.empty() ? "" : result.files.front().name;
    if (auto error = CheckPath(path, result.directory, example)) return error;
    std::vector<std::pair<fs::path, const std::string*>> targets;
    if (result.directory) {
        for (const ExportedFile& f : result.files) targets.push_back({path / f.name, &f.content});
    } else {
        if (result.files.size() != 1) return std::string("nothing to write");
        targets.push_back({path, &result.files.front().content});
    }
    // Every target is checked before anything is written: all or nothing.
    std::error_code ec;
    for (const auto& [target, content] : targets) {
        if (fs::is_directory(fs::symlink_status(target, ec)))
            return Quoted(target) + " is a directory";
        if (!result.directory || fs::is_directory(path, ec)) {
            if (auto error = core::CheckOutputPath(target, force, how_to_replace)) return error;
        }
    }
    if (result.directory && !fs::is_directory(path, ec)) {
        fs::create_directories(path, ec);
        if (ec) return "cannot create the directory " + Quoted(path) + ": " + ec.message();
    }
    for (const auto& [target, content] : targets) {
        if (auto error = core::WriteUserFile(target, *content, force, how_to_replace)) {
            return error;
        }
    }
    return std::nullopt;
}

}  // namespace sockstep::ui
