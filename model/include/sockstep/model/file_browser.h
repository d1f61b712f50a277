// The file dialog's model: one folder's listing, ".." first, then its folders, then the files of
// the kinds asked for, each group sorted by name. Read through std::filesystem with error codes
// only (nothing throws), never opening a file, so a FIFO cannot make it wait. No ImGui: the
// tests list real folders with it and file_dialog.cpp draws it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sockstep::ui {

struct BrowserEntry {
    std::string name;   // the file name's bytes, as the kernel gave them
    std::string shown;  // printable: invalid UTF-8 and control bytes escaped (TerminalSafe)
    bool folder = false;
};

struct FolderListing {
    std::filesystem::path folder;
    std::vector<BrowserEntry> entries;
    std::string error;  // why the folder could not be read (then only ".." is listed)
};

// Lists `folder`. `extensions` (".jsonl") choose the files; empty lists folders only. An entry
// whose kind cannot be read (a symlink loop, a dangling link) is listed as a file when its name
// fits, so that opening it says why it cannot be opened.
FolderListing ListFolder(const std::filesystem::path& folder,
                         const std::vector<std::string>& extensions);

}  // namespace sockstep::ui
