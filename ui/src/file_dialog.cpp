// The File menu's dialog: an in-app file browser (folders first, "..", the files of the action's
// kind; ui/file_browser.h lists them) with a path field. The listing is read once when the folder
// changes; opening and writing happen after the frame, through intents, and a failure keeps the
// dialog open with the reason (Controller::Apply). Enter in the path field goes into a folder or
// acts on the file; Escape cancels.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "draw_context.h"
#include "sockstep/core/terminal_text.h"
#include "sockstep/model/export.h"
#include "sockstep/model/file_browser.h"

namespace sockstep::ui {
namespace {

namespace fs = std::filesystem;

// The folder to list when the dialog has none yet: the home folder.
std::string HomeFolder() {
    const char* home = std::getenv("HOME");
    return home && *home ? home : ".";
}

// The kinds each action lists; a C or Python export is a folder of .c or .py files.
std::vector<std::string> KindsOf(FileAction action) {
    switch (action) {
        case FileAction::kOpenLog:
        case FileAction::kSaveLog:
            return {".jsonl"};
        case FileAction::kExportPng:
            return {".png"};
        case FileAction::kExportC:
            return {".c"};
        case FileAction::kExportPython:
            return {".py"};
        case FileAction::kExportSvg:
            return {".svg"};
        case FileAction::kExportMermaid:
            return {".mmd", ".md"};
        case FileAction::kNone:
            break;
    }
    return {};
}

// `typed` as a path: relative to the folder shown, as a shell would take it.
fs::path Resolve(const std::string& folder, const std::string& typed) {
    const fs::path p(typed);
    return p.is_absolute() ? p : fs::path(folder) / p;
}

// Goes into `folder` (".." goes up), normalized so that the path field stays short.
void Enter(FileDialogState& d, const fs::path& folder) {
    d.folder = folder.lexically_normal().string();
    if (d.folder.size() > 1 && d.folder.back() == '/') d.folder.pop_back();
    d.reread = true;
}

Text TitleOf(FileAction action) {
    switch (action) {
        case FileAction::kOpenLog:
            return Text::kMenuOpenLog;
        case FileAction::kSaveLog:
            return Text::kMenuSaveLog;
        case FileAction::kExportC:
            return Text::kMenuExportC;
        case FileAction::kExportPython:
            return Text::kMenuExportPython;
        case FileAction::kExportSvg:
            return Text::kMenuExportSvg;
        case FileAction::kExportMermaid:
            return Text::kMenuExportMermaid;
        default:
            return Text::kMenuExportPng;
    }
}

// The exports that write a folder: a folder typed is where they go, not one to go into.
bool FolderExport(FileAction action) {
    return action == FileAction::kExportC || action == FileAction::kExportPython;
}

Text HintOf(FileAction action) {
    switch (action) {
        case FileAction::kExportC:
            return Text::kExportFolderHint;
        case FileAction::kExportPython:
            return Text::kExportPythonFolderHint;
        default:
            return Text::kExportRunHint;
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
    if (d.folder.empty()) {
        std::error_code ec;
        const fs::path parent = fs::path(d.path).parent_path();
        Enter(d, !parent.empty() && fs::is_directory(parent, ec) ? parent : fs::path(HomeFolder()));
    }
    if (d.reread) {
        d.listing = ListFolder(d.folder, KindsOf(d.action));
        d.reread = false;
    }
    const float em = c.Em();
    const std::string title = std::string(c.T(TitleOf(d.action))) + "###file";
    // Sized in text heights, so it grows with the text size, but never past the window.
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float width = std::min(em * 36, display.x * 0.95f);
    ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
    const float inner = ImGui::GetContentRegionAvail().x;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s %s", c.T(Text::kFilesHere), core::TerminalSafe(d.folder, 1024).c_str());
    if (!d.listing.error.empty()) {
        ImGui::TextColored(ImColor(c.pal.error).Value, "%s",
                           core::TerminalSafe(d.listing.error, 1024).c_str());
    }
    ImGui::PopTextWrapPos();

    bool run = false;
    // The listing: only the rows in view are drawn (5,000 files cost what 20 do).
    const float list_h = std::min(em * 10, display.y * 0.4f);
    d.rows_drawn = 0;
    Child("listing", ImVec2(inner, list_h), true, 0, [&] {
        const std::vector<BrowserEntry>& entries = d.listing.entries;
        if (entries.size() <= 1) ImGui::TextDisabled("%s", c.T(Text::kNoFilesHere));
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(entries.size()));
        std::optional<fs::path> go;
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const BrowserEntry& e = entries[static_cast<size_t>(i)];
                ++d.rows_drawn;
                ImGui::PushID(i);
                const std::string label = e.folder ? e.shown + "/" : e.shown;
                const fs::path full = fs::path(d.folder) / e.name;
                if (ImGui::Selectable(label.c_str(), !e.folder && d.path == full.string(),
                                      ImGuiSelectableFlags_AllowDoubleClick)) {
                    if (e.folder) {
                        go = full;
                    } else {
                        d.path = full.string();
                        d.error.clear();
                        if (ImGui::IsMouseDoubleClicked(0)) run = true;
                    }
                }
                ImGui::PopID();
            }
        }
        if (go) Enter(d, *go);
    });

    ImGui::SetNextItemWidth(inner - ImGui::CalcTextSize(c.T(Text::kPath)).x -
                            ImGui::GetStyle().ItemInnerSpacing.x);
    // The first frames of a popup are hidden: ask for the focus until it lands.
    if (d.focus) ImGui::SetKeyboardFocusHere();
    const bool enter =
        ImGui::InputText(c.T(Text::kPath), &d.path, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemActive()) d.focus = false;
    if (ImGui::IsItemEdited()) d.error.clear();
    if (enter && !d.path.empty()) {
        // A folder typed (or "..") is gone into; anything else is the file to act on.
        const fs::path target = Resolve(d.folder, d.path);
        std::error_code ec;
        if (fs::is_directory(target, ec) && !FolderExport(d.action)) {
            Enter(d, target);
            d.path.clear();
            d.focus = true;
        } else {
            run = true;
        }
    }
    if (!d.error.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImColor(c.pal.error).Value, "%s",
                           core::TerminalSafeMessage(d.error).c_str());
        ImGui::PopTextWrapPos();
    }
    const bool lesson_export = FolderExport(d.action) || d.action == FileAction::kExportSvg ||
                               d.action == FileAction::kExportMermaid;
    if (lesson_export) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", c.T(HintOf(d.action)));
        ImGui::PopTextWrapPos();
        ImGui::Checkbox(c.T(Text::kOverwrite), &d.overwrite);
    }
    run = ImGui::Button(c.T(ButtonOf(d.action))) || run;
    ImGui::SameLine();
    const bool cancel = ImGui::Button(c.T(Text::kCancel)) ||
                        (c.view.keys.escape >= 0 && ImGui::IsKeyPressed(c.view.keys.escape, false));
    if (run && !d.path.empty()) {
        const std::string path = Resolve(d.folder, d.path).string();
        // The Controller closes the dialog when it worked, or puts the reason in `error`.
        switch (d.action) {
            case FileAction::kOpenLog:
                c.out.open_log = path;
                break;
            case FileAction::kSaveLog:
                c.out.save_log = path;
                break;
            case FileAction::kExportPng:
                c.out.export_png = path;
                d.action = FileAction::kNone;  // the app writes it with the next frame
                break;
            case FileAction::kExportC:
            case FileAction::kExportPython:
            case FileAction::kExportSvg:
            case FileAction::kExportMermaid: {
                const ExportFormat format =
                    d.action == FileAction::kExportC        ? ExportFormat::kC
                    : d.action == FileAction::kExportPython ? ExportFormat::kPython
                    : d.action == FileAction::kExportSvg    ? ExportFormat::kSvg
                                                            : ExportFormat::kMermaid;
                c.out.export_lesson =
                    ExportIntent{static_cast<int>(format), path, d.overwrite, c.lang};
                break;
            }
            case FileAction::kNone:
                break;
        }
    }
    if (cancel || d.done) d.action = FileAction::kNone;
    d.done = false;
    if (d.action == FileAction::kNone) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace sockstep::ui
