// The file dialog's model: a folder's listing through std::filesystem's error_code overloads.
#include "sockstep/model/file_browser.h"

#include <algorithm>

#include "sockstep/core/terminal_text.h"
#include "sockstep/core/user_file.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

// A file name is at most 255 bytes; escaped, four times that.
constexpr size_t kMaxShownBytes = 1024;

bool Fits(const fs::path& name, const std::vector<std::string>& extensions) {
    const std::string ext = name.extension().string();
    return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
}

}  // namespace

FolderListing ListFolder(const fs::path& folder, const std::vector<std::string>& extensions) {
    FolderListing out;
    out.folder = folder;
    std::vector<BrowserEntry> folders;
    std::vector<BrowserEntry> files;
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
        const fs::path name = it->path().filename();
        std::error_code kind_error;
        // Follows symlinks: a link to a folder is a folder. A loop or a dangling link fails.
        const bool is_folder = it->is_directory(kind_error);
        if (!is_folder && !extensions.empty() && !Fits(name, extensions)) continue;
        if (!is_folder && extensions.empty()) continue;
        BrowserEntry e{name.string(), core::TerminalSafe(name.string(), kMaxShownBytes),
                       is_folder && !kind_error};
        (e.folder ? folders : files).push_back(std::move(e));
    }
    if (ec) out.error = core::DescribeFileErrno(ec.value());
    const auto by_name = [](const BrowserEntry& a, const BrowserEntry& b) {
        return a.name < b.name;
    };
    std::sort(folders.begin(), folders.end(), by_name);
    std::sort(files.begin(), files.end(), by_name);
    out.entries.push_back({"..", "..", true});
    out.entries.insert(out.entries.end(), folders.begin(), folders.end());
    out.entries.insert(out.entries.end(), files.begin(), files.end());
    return out;
}

}  // namespace sockstep::ui
