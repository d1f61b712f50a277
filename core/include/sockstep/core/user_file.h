// Files a user names (lessons, logs, settings, exports, screenshots): read without ever
// blocking, write without ever replacing anything but a regular file and without leaving half a
// file behind. Every message says what went wrong in words plus the errno name (ELOOP, EACCES …),
// so "does not exist" is said only when it is true. One place for these rules: every reader and
// writer of a user's file goes through here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sockstep::core {

// How a front end tells its user to replace a file that exists, ending "'x' already exists; …":
// the command line's flag by default; the window names its checkbox instead.
inline constexpr std::string_view kReplaceWithForce = "use --force to replace it";

// "ELOOP (too many levels of symbolic links)"; "it does not exist" for ENOENT.
std::string DescribeFileErrno(int error);

// Opens `path` with O_NONBLOCK (a FIFO or a device cannot make it wait), checks with fstat on
// that descriptor that it is a regular file of at most `max_bytes`, and reads all of it into
// `content`. Returns the reason when it cannot, without the path (the caller names it): "it
// is a FIFO (named pipe), not a regular file", "it does not exist". The descriptor is closed on
// every path.
std::optional<std::string> ReadUserFile(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                        std::string& content);

// Can `path` be written as a regular file? The parent must be a directory that accepts a new
// file (proven by creating and removing a temporary file there); an existing `path` must be a
// regular file (never a symlink, device, FIFO, socket or directory), and without `replace` it
// must not exist. Returns the reason, naming the path, or nullopt.
std::optional<std::string> CheckOutputPath(const std::filesystem::path& path, bool replace,
                                           std::string_view how_to_replace = kReplaceWithForce);

// Writes `content` to a new temporary file in the directory of `path`, checks every write and
// the close, and renames it to `path`. Without `replace` an existing `path` is never replaced
// (renameat2 RENAME_NOREPLACE); with it, only a regular file is. On failure the temporary file
// is removed and `path` is untouched. Returns the reason, naming the path, or nullopt.
std::optional<std::string> WriteUserFile(const std::filesystem::path& path,
                                         std::string_view content, bool replace,
                                         std::string_view how_to_replace = kReplaceWithForce);

}  // namespace sockstep::core
