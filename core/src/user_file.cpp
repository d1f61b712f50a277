// Reading and writing the files a user names. Reads open with O_NONBLOCK and judge the file by
// fstat on that descriptor (stat then open would race, and open alone blocks on a FIFO until a
// writer comes). Writes go to a temporary file in the same directory, renamed over the target,
// so a failed write never leaves half a file, and a rename never replaces a device node or a
// symlink (as root, `-o /dev/full` would otherwise replace the system's node).
#include "sockstep/core/user_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

std::string Quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// What a file that is not a regular one is, in words.
std::string KindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
    return "not a regular file";
}

// 1048576 -> "1 MiB": limits read as they are written in the docs.
std::string Bytes(std::uintmax_t n) {
    constexpr std::uintmax_t kMiB = 1 << 20;
    if (n >= kMiB && n % kMiB == 0) return std::to_string(n / kMiB) + " MiB";
    return std::to_string(n) + " bytes";
}

fs::path DirectoryOf(const fs::path& path) {
    return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// Closes a descriptor when it goes out of scope, so no early return leaks it.
class Fd {
  public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0) close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }
    // close(2): EIO, ENOSPC, EDQUOT (a deferred write error, e.g. on NFS). Returns errno or 0.
    int Close() {
        const int fd = m_fd;
        m_fd = -1;
        return close(fd) == 0 ? 0 : errno;
    }

  private:
    int m_fd;
};

// A new, empty temporary file beside `path`; its name in `temp`. Returns the fd or -errno.
int CreateTemporary(const fs::path& path, fs::path& temp) {
    const fs::path dir = DirectoryOf(path);
    for (int attempt = 0; attempt < 100; ++attempt) {
        temp = dir / ("." + path.filename().string() + ".sockstep-" + std::to_string(getpid()) +
                      "-" + std::to_string(attempt));
        // open(2): EEXIST (try the next name), EACCES, ENOENT, ENOTDIR, ELOOP, ENOSPC, EROFS;
        // mode 0666 & umask, as any program's new file.
        const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd >= 0) return fd;
        if (errno != EEXIST) return -errno;
    }
    return -EEXIST;
}

std::string AlreadyExists(const fs::path& path, std::string_view how_to_replace) {
    return Quoted(path) + " already exists; " + std::string(how_to_replace);
}

// An existing `path` that may not be replaced: the reason, naming it; nullopt when it is absent
// or a regular file that may be.
std::optional<std::string> CheckTarget(const fs::path& path, bool replace,
                                       std::string_view how_to_replace) {
    struct stat st {};
    // lstat(2): ENOENT (fine: a new file), ELOOP, EACCES, ENOTDIR, ENAMETOOLONG.
    if (lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        return "cannot write " + Quoted(path) + ": " + DescribeFileErrno(errno);
    }
    if (!S_ISREG(st.st_mode)) {
        return Quoted(path) + " is " + KindOf(st.st_mode) +
               "; sockstep writes only regular files and never replaces anything else";
    }
    if (!replace) return AlreadyExists(path, how_to_replace);
    return std::nullopt;
}

std::string CannotWriteIn(const fs::path& path, int error) {
    const fs::path dir = DirectoryOf(path);
    if (error == ENOENT)
        return "cannot write " + Quoted(path) + ": the directory " + Quoted(dir) +
               " does not exist";
    return "cannot write " + Quoted(path) + ": " + DescribeFileErrno(error);
}

}  // namespace

std::string DescribeFileErrno(int error) {
    if (error == ENOENT) return "it does not exist";
    std::string words = std::strerror(error);
    if (!words.empty())
        words[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(words[0])));
    const char* name = strerrorname_np(error);
    return words + " (" + (name ? name : "E" + std::to_string(error)) + ")";
}

std::optional<std::string> ReadUserFile(const fs::path& path, std::uintmax_t max_bytes,
                                        std::string& content) {
    content.clear();
    // open(2): ENOENT, EACCES, ELOOP, ENOTDIR, ENAMETOOLONG, EMFILE. O_NONBLOCK: a FIFO opens at
    // once (no waiting for a writer); O_NOCTTY: a terminal never becomes ours.
    Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) return DescribeFileErrno(errno);
    struct stat st {};
    // fstat(2) on the descriptor just opened: the file judged is the file read.
    if (fstat(fd.get(), &st) != 0) return DescribeFileErrno(errno);
    if (!S_ISREG(st.st_mode)) return "it is " + KindOf(st.st_mode) + ", not a regular file";
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes) {
        return "it has " + std::to_string(size) + " bytes; at most " + Bytes(max_bytes) +
               " are allowed";
    }
    content.reserve(static_cast<size_t>(size));
    char buffer[65536];
    for (;;) {
        // read(2): EINTR (retry), EIO, EISDIR cannot happen (checked above).
        const ssize_t n = read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            content.clear();
            return DescribeFileErrno(errno);
        }
        if (n == 0) break;
        content.append(buffer, static_cast<size_t>(n));
        if (content.size() > max_bytes) {  // it grew while being read
            content.clear();
            return "it grew past " + Bytes(max_bytes) + " while it was read";
        }
    }
    return std::nullopt;
}

std::optional<std::string> CheckOutputPath(const fs::path& path, bool replace,
                                           std::string_view how_to_replace) {
    if (path.empty()) return std::string("no output path given");
    if (auto refused = CheckTarget(path, replace, how_to_replace)) return refused;
    const fs::path dir = DirectoryOf(path);
    struct stat st {};
    // stat(2) of the directory: ENOENT, ENOTDIR, ELOOP, EACCES.
    if (stat(dir.c_str(), &st) != 0) return CannotWriteIn(path, errno);
    if (!S_ISDIR(st.st_mode)) {
        return "cannot write " + Quoted(path) + ": " + Quoted(dir) + " is not a directory";
    }
    // The one proof that a file can be made there (permissions, a read-only file system, a full
    // inode table): make one, then remove it.
    fs::path temp;
    const int fd = CreateTemporary(path, temp);
    if (fd < 0) return CannotWriteIn(path, -fd);
    close(fd);
    unlink(temp.c_str());
    return std::nullopt;
}

std::optional<std::string> WriteUserFile(const fs::path& path, std::string_view content,
                                         bool replace, std::string_view how_to_replace) {
    if (path.empty()) return std::string("no output path given");
    if (auto refused = CheckTarget(path, replace, how_to_replace)) return refused;
    fs::path temp;
    const int created = CreateTemporary(path, temp);
    if (created < 0) return CannotWriteIn(path, -created);
    Fd fd(created);
    auto fail = [&](int error) -> std::optional<std::string> {
        unlink(temp.c_str());
        return "cannot write " + Quoted(path) + ": " + DescribeFileErrno(error);
    };
    size_t done = 0;
    while (done < content.size()) {
        // write(2): EINTR (retry), ENOSPC, EDQUOT, EFBIG (RLIMIT_FSIZE), EIO.
        const ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(errno);
        if (n == 0) return fail(EIO);
        done += static_cast<size_t>(n);
    }
    if (const int error = fd.Close(); error != 0) return fail(error);
    // rename(2) / renameat2(2): EEXIST (RENAME_NOREPLACE), EISDIR, EACCES, EBUSY; EXDEV cannot
    // happen (same directory). The target is checked again right before: it may have changed.
    if (auto refused = CheckTarget(path, replace, how_to_replace)) {
        unlink(temp.c_str());
        return refused;
    }
    const int renamed =
        replace ? rename(temp.c_str(), path.c_str())
                : renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (renamed != 0) {
        const int error = errno;
        unlink(temp.c_str());
        if (error == EEXIST) return AlreadyExists(path, how_to_replace);
        return "cannot write " + Quoted(path) + ": " + DescribeFileErrno(error);
    }
    return std::nullopt;
}

}  // namespace sockstep::core
