// The File menu's dialog: a path to save the log to, to export a PNG to, or to open a log
// from (with the .jsonl files of that folder listed). The listing is read once when the folder
// changes; opening and writing happen after the frame, through intents.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>

#include "draw_context.h"
#include "sockstep/ui/export.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

std::string FolderOf(const std::string& path) {
    if (path.empty()) {
        const char* home = std::getenv("HOME");
        return home && *home ? home : ".";
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) return path;
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? "." : parent.string();
}

std::vector<std::string> ListLogs(const std::string& folder) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".jsonl" && it->is_regular_file(ec)) {
            out.push_back(it->path().string());
        }
        if (out.size() >= 200) break;
    }
    std::sort(out.begin(), out.end());
    return out;
}

Text TitleOf(FileAction action) {
    switch (action) {
        case FileAction::kOpenLog:
            return Text::kMenuOpenLog;
        case FileAction::kSaveLog:
            return Text::kMenuSaveLog;
        case FileAction::kExportC:
            return Text::kMenuExportC;
        case FileAction::kExportSvg:
            return Text::kMenuExportSvg;
        case FileAction::kExportMermaid:
            return Text::kMenuExportMermaid;
        default:
            return Text::kMenuExportPng;
    }
}

Text ButtonOf(FileAction action) {
    switch (action) {
        case FileAction::kOpenLog:
            return Text::kOpen;
        case FileAction::kSaveLog:
            return Text::kSave;
        default:
            return Text::kExport;
    }
}

}  // namespace

void DrawFileDialog(DrawContext& c) {
    FileDialogState& d = c.view.file_dialog;
    if (d.action == FileAction::kNone) return;
    if (d.open) {
        ImGui::OpenPopup("###file");
        d.open = false;
        d.focus = true;
    }
    const std::string title = std::string(c.T(TitleOf(d.action))) + "###file";
    ImGui::SetNextWindowSize(ImVec2(c.Em() * 34, 0), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::SetNextItemWidth(c.Em() * 30);
    // The first frames of an auto-sized popup are hidden: ask for the focus until it lands.
    if (d.focus) ImGui::SetKeyboardFocusHere();
    const bool enter =
        ImGui::InputText(c.T(Text::kPath), &d.path, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemActive()) d.focus = false;
    if (d.action == FileAction::kOpenLog) {
        const std::string folder = FolderOf(d.path);
        if (folder != d.folder) {
            d.folder = folder;
            d.listing = ListLogs(folder);
        }
        ImGui::TextDisabled("%s %s", c.T(Text::kFilesHere), d.folder.c_str());
        Child("listing", ImVec2(c.Em() * 30, c.Em() * 8), true, 0, [&] {
            if (d.listing.empty()) ImGui::TextDisabled("%s", c.T(Text::kNoFilesHere));
            for (const std::string& file : d.listing) {
                const std::string name = fs::path(file).filename().string();
                if (ImGui::Selectable(name.c_str(), d.path == file,
                                      ImGuiSelectableFlags_AllowDoubleClick)) {
                    d.path = file;
                    if (ImGui::IsMouseDoubleClicked(0)) c.out.open_log = file;
                }
            }
        });
    }
    const bool lesson_export = d.action == FileAction::kExportC ||
                               d.action == FileAction::kExportSvg ||
                               d.action == FileAction::kExportMermaid;
    if (lesson_export) {
        ImGui::TextDisabled("%s", c.T(d.action == FileAction::kExportC ? Text::kExportFolderHint
                                                                       : Text::kExportRunHint));
        ImGui::Checkbox(c.T(Text::kOverwrite), &d.overwrite);
    }
    const bool run = ImGui::Button(c.T(ButtonOf(d.action))) || enter;
    ImGui::SameLine();
    const bool cancel =
        ImGui::Button(c.T(Text::kCancel)) ||
        (c.frame.keys.escape >= 0 && ImGui::IsKeyPressed(c.frame.keys.escape, false));
    if (run && !d.path.empty()) {
        switch (d.action) {
            case FileAction::kOpenLog:
                c.out.open_log = d.path;
                break;
            case FileAction::kSaveLog:
                c.out.save_log = d.path;
                break;
            case FileAction::kExportPng:
                c.out.export_png = d.path;
                break;
            case FileAction::kExportC:
            case FileAction::kExportSvg:
            case FileAction::kExportMermaid: {
                const ExportFormat format = d.action == FileAction::kExportC ? ExportFormat::kC
                                            : d.action == FileAction::kExportSvg
                                                ? ExportFormat::kSvg
                                                : ExportFormat::kMermaid;
                c.out.export_lesson =
                    ExportIntent{static_cast<int>(format), d.path, d.overwrite, c.lang};
                break;
            }
            case FileAction::kNone:
                break;
        }
    }
    if ((run && !d.path.empty()) || cancel || c.out.open_log) {
        d.action = FileAction::kNone;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace sockstep::ui
