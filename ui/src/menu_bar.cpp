// The menu bar: File (open/save the log, export a PNG, quit), View (panels, the code panel,
// language, theme, text size, full screen) and Help (shortcuts, about).
#include <cstdlib>
#include <ctime>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

// A default file name in the last folder used (else the home folder):
// sockstep-20240131-142501<suffix>.<ext> (no "." with no extension: a folder).
std::string DefaultPath(const std::string& folder, const std::string& extension,
                        const std::string& suffix = "") {
    const char* home = std::getenv("HOME");
    std::string dir = !folder.empty() ? folder
                      : home && *home ? std::string(home)
                                      : std::string(".");
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    return dir + "/sockstep-" + stamp + suffix + (extension.empty() ? "" : "." + extension);
}

void OpenFileDialog(DrawContext& c, FileAction action) {
    FileDialogState& d = c.view.file_dialog;
    d.action = action;
    d.open = true;
    d.reread = true;
    d.error.clear();
    d.overwrite = false;
    const std::string lesson = c.frame.lesson ? c.frame.lesson->id : "lesson";
    switch (action) {
        case FileAction::kExportPng:
            d.path = DefaultPath(d.folder, "png");
            break;
        case FileAction::kSaveLog:
            d.path = DefaultPath(d.folder, "jsonl");
            break;
        case FileAction::kExportC:
            d.path = DefaultPath(d.folder, "", "-" + lesson);
            break;
        case FileAction::kExportPython:
            d.path = DefaultPath(d.folder, "", "-" + lesson + "-python");
            break;
        case FileAction::kExportSvg:
            d.path = DefaultPath(d.folder, "svg", "-" + lesson);
            break;
        case FileAction::kExportMermaid:
            d.path = DefaultPath(d.folder, "mmd", "-" + lesson);
            break;
        default:
            d.path.clear();
            break;
    }
}

}  // namespace

void DrawMenuBar(DrawContext& c) {
    const FrameModel& f = c.frame;
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu(c.T(Text::kMenuFile))) {
        if (ImGui::MenuItem(c.T(Text::kMenuOpenLog), "Ctrl+O")) {
            OpenFileDialog(c, FileAction::kOpenLog);
        }
        if (ImGui::MenuItem(c.T(Text::kMenuSaveLog), nullptr, false, !f.log.empty())) {
            OpenFileDialog(c, FileAction::kSaveLog);
        }
        if (ImGui::MenuItem(c.T(Text::kMenuExportPng))) OpenFileDialog(c, FileAction::kExportPng);
        // Handouts of the open lesson, with what has run so far (File → Export lesson).
        if (ImGui::BeginMenu(c.T(Text::kMenuExportLesson), f.lesson != nullptr)) {
            if (ImGui::MenuItem(c.T(Text::kMenuExportC))) OpenFileDialog(c, FileAction::kExportC);
            if (ImGui::MenuItem(c.T(Text::kMenuExportPython))) {
                OpenFileDialog(c, FileAction::kExportPython);
            }
            if (ImGui::MenuItem(c.T(Text::kMenuExportSvg))) {
                OpenFileDialog(c, FileAction::kExportSvg);
            }
            if (ImGui::MenuItem(c.T(Text::kMenuExportMermaid))) {
                OpenFileDialog(c, FileAction::kExportMermaid);
            }
            ImGui::EndMenu();
        }
        if (f.file_mode && ImGui::MenuItem(c.T(Text::kFileCloseLog))) c.out.close_log = true;
        ImGui::Separator();
        if (ImGui::MenuItem(c.T(Text::kMenuQuit))) c.out.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(c.T(Text::kMenuView))) {
        ImGui::MenuItem(c.T(Text::kMenuKernelTable), "K", &c.view.kernel_table);
        ImGui::MenuItem(c.T(Text::kMenuDiagrams), nullptr, &c.view.diagrams);
        // The code panel, or its one-line bar (a small window folds it by itself).
        if (ImGui::MenuItem(c.T(Text::kCode), nullptr, !c.view.code_folded))
            c.view.code_panel = c.view.code_folded;
        ImGui::Separator();
        if (ImGui::MenuItem("English", nullptr, c.lang == core::Lang::kEn))
            c.out.lang = core::Lang::kEn;
        if (ImGui::MenuItem("한국어", nullptr, c.lang == core::Lang::kKo))
            c.out.lang = core::Lang::kKo;
        ImGui::Separator();
        if (ImGui::MenuItem(c.T(Text::kThemeDark), nullptr, f.theme == Theme::kDark))
            c.out.theme = Theme::kDark;
        if (ImGui::MenuItem(c.T(Text::kThemeLight), nullptr, f.theme == Theme::kLight)) {
            c.out.theme = Theme::kLight;
        }
        ImGui::Separator();
        if (ImGui::MenuItem((std::string(c.T(Text::kTextSize)) + " +").c_str(), "+", false,
                            f.font_scale < kMaxFontScale)) {
            c.out.font_scale = std::min(kMaxFontScale, f.font_scale + kFontScaleStep);
        }
        if (ImGui::MenuItem((std::string(c.T(Text::kTextSize)) + " -").c_str(), "-", false,
                            f.font_scale > kMinFontScale)) {
            c.out.font_scale = std::max(kMinFontScale, f.font_scale - kFontScaleStep);
        }
        // Checked while the user has chosen no size: + or - chooses one, this goes back.
        if (ImGui::MenuItem(c.T(Text::kTextSizeAuto), nullptr, f.font_scale_auto) &&
            !f.font_scale_auto) {
            c.out.font_scale_auto = true;
        }
        if (ImGui::MenuItem(c.T(Text::kMenuFullScreen), "F11", f.fullscreen))
            c.out.toggle_fullscreen = true;
        ImGui::EndMenu();
    }
    // Free play: another client program, with its own worker thread, next to the menus.
    if (!f.file_mode && ImGui::MenuItem((std::string("+ ") + c.T(Text::kNewClient)).c_str())) {
        c.out.new_client = true;
    }
    if (ImGui::BeginMenu(c.T(Text::kMenuHelp))) {
        if (ImGui::MenuItem(c.T(Text::kMenuShortcuts), "F1")) c.view.help = true;
        if (ImGui::MenuItem(c.T(Text::kMenuAbout))) c.view.about = true;
        ImGui::EndMenu();
    }
    ImGui::EndMenuBar();
    // Ctrl+O opens a log from anywhere but another dialog or a text field.
    const ImGuiIO& io = ImGui::GetIO();
    const int o = c.view.keys.o;
    if (io.KeyCtrl && !io.WantTextInput && o >= 0 && o < IM_ARRAYSIZE(ImGuiIO::KeysDown) &&
        ImGui::IsKeyPressed(o, false) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
        OpenFileDialog(c, FileAction::kOpenLog);
    }
}

}  // namespace sockstep::ui
