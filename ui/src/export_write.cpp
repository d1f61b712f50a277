// WriteExport: the one function of the export that writes files. Each file goes to a
// temporary name in its own directory and is renamed into place, so a reader never sees half a
// file; without --force the rename refuses to replace a file that appeared meanwhile (renameat2
// RENAME_NOREPLACE).
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sockstep/ui/export.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// Writes `content` to a new temporary file beside `target` and renames it to `target`.
std::optional<std::string> WriteOne(const fs::path& target, const std::string& content,
                                    bool force) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    fs::path temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = dir / ("." + target.filename().string() + ".sockstep-" + std::to_string(getpid()) +
                      "-" + std::to_string(attempt));
        // open(2): EEXIST (try the next name), EACCES, ENOENT, ENOSPC, EROFS …; 0666 & umask.
        fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) {
            return "cannot write in " + Quoted(dir) + ": " + std::strerror(errno);
        }
    }
    if (fd < 0) return "cannot create a temporary file in " + Quoted(dir);
    size_t done = 0;
    while (done < content.size()) {
        // write(2): EINTR (retry), ENOSPC, EDQUOT, EIO.
        const ssize_t n = write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string why = std::strerror(errno);
            close(fd);
            unlink(temp.c_str());
            return "cannot write " + Quoted(target) + ": " + why;
        }
        done += static_cast<size_t>(n);
    }
    // close(2): EIO (a deferred write error).
    if (close(fd) != 0) {
        const std::string why = std::strerror(errno);
        unlink(temp.c_str());
        return "cannot write " + Quoted(target) + ": " + why;
    }
    // rename(2) / renameat2(2): EEXIST (RENAME_NOREPLACE), EISDIR, EACCES, EXDEV cannot happen
    // (same directory).
    const int renamed =
        force ? rename(temp.c_str(), target.c_str())
              : renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE);
    if (renamed != 0) {
        const int err = errno;
        unlink(temp.c_str());
        if (err == EEXIST) return Quoted(target) + " already exists; use --force to replace it";
        return "cannot write " + Quoted(target) + ": " + std::strerror(err);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> WriteExport(const ExportResult& result, const fs::path& path,
                                       bool force) {
    if (path.empty()) return std::string("no output path given");
    std::error_code ec;
    std::vector<std::pair<fs::path, const std::string*>> targets;
    if (result.directory) {
        if (fs::exists(path, ec) && !fs::is_directory(path, ec)) {
            return Quoted(path) +
                   " exists and is not a directory (the C export writes one file "
                   "per program into a directory)";
        }
        for (const ExportedFile& f : result.files) targets.push_back({path / f.name, &f.content});
    } else {
        if (result.files.size() != 1) return std::string("nothing to write");
        if (fs::is_directory(path, ec)) {
            return Quoted(path) + " is a directory; name the file to write, for example " +
                   Quoted(path / result.files.front().name);
        }
        const fs::path parent = path.parent_path();
        if (!parent.empty() && !fs::is_directory(parent, ec)) {
            return "the directory " + Quoted(parent) + " does not exist";
        }
        targets.push_back({path, &result.files.front().content});
    }
    // Every target is checked before anything is written: all or nothing.
    for (const auto& [target, content] : targets) {
        const fs::file_status status = fs::symlink_status(target, ec);
        if (fs::exists(status) && fs::is_directory(status)) {
            return Quoted(target) + " is a directory";
        }
        if (!force && fs::exists(status)) {
            return Quoted(target) + " already exists; use --force to replace it";
        }
    }
    if (result.directory && !fs::is_directory(path, ec)) {
        fs::create_directories(path, ec);
        if (ec) return "cannot create the directory " + Quoted(path) + ": " + ec.message();
    }
    for (const auto& [target, content] : targets) {
        if (auto error = WriteOne(target, *content, force)) return error;
    }
    return std::nullopt;
}

}  // namespace sockstep::ui
