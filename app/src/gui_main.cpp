// The windowed front end: GLFW window, glad GL 3.3 core, ImGui (GLFW + OpenGL3 backends) and the
// frame loop. Each frame: the Controller fills a FrameModel, the UI draws it and returns intents,
// and after the frame the intents become Session calls (Controller::Apply) or window changes
// (fonts, theme, full screen, PNG export). Idle means idle: glfwSwapInterval does not throttle
// under Xvfb, so the loop sleeps in glfwWaitEventsTimeout unless something animates or plays,
// and wakes a few times a second only while an actor is blocked or a kernel timer runs.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <thread>

#include "gui_keys.h"
#include "gui_main.h"
#include "gui_screenshot.h"
#include "gui_settings.h"
#include "paths.h"
#include "sockstep/core/user_file.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/text_size.h"
#include "sockstep/ui/theme.h"

namespace sockstep::app {
namespace {

// GLFW reports errors through a C callback; keep the last one to say it once, plainly.
// The app layer is the one place allowed a mutable global.
std::string g_glfw_error;

void OnGlfwError(int code, const char* description) {
    g_glfw_error = "GLFW error " + std::to_string(code) + ": " + description;
}

bool HaveDisplay() {
    const char* x11 = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return (x11 && *x11) || (wayland && *wayland);
}

// imgui.ini holds a few window rectangles; a bigger file is not ImGui's and is not read.
constexpr std::uintmax_t kMaxIniBytes = 1 << 20;

// Frames still to draw after an input event: ImGui settles hover and layout over a couple of
// frames, then the loop sleeps again.
constexpr int kFramesAfterEvent = 3;
// Fully idle: wake now and then anyway (a wake-up with nothing new draws nothing), so that
// Ctrl-C or a TERM signal ends the program within a second.
constexpr double kIdleWaitSeconds = 1.0;

// SIGINT/SIGTERM ask the loop to end normally, so sockets are closed and settings saved.
volatile std::sig_atomic_t g_stop_signal = 0;

void OnStopSignal(int) {
    g_stop_signal = 1;
}
// Animating or playing: at most this many frames a second (vsync does not throttle Xvfb).
constexpr double kMaxFps = 60.0;

// The font atlas and theme, rebuilt between frames when the language, the text size or the
// texts in use change. Never stretched: a bigger size is a new atlas.
class FontState {
  public:
    void Build(core::Lang lang, float scale, ui::Theme theme, const ui::Controller& controller,
               bool uploaded) {
        if (uploaded) ImGui_ImplOpenGL3_DestroyFontsTexture();
        ui::BuildFonts(*ImGui::GetIO().Fonts, scale,
                       ui::AllUiText(lang) + controller.GlyphText(lang), m_fonts);
        if (uploaded) ImGui_ImplOpenGL3_CreateFontsTexture();
        ui::ApplyTheme(theme, scale);
        m_lang = lang;
        m_scale = scale;
        m_theme = theme;
        m_generation = controller.GlyphGeneration();
    }
    bool Stale(core::Lang lang, float scale, const ui::Controller& controller) const {
        return lang != m_lang || scale != m_scale || controller.GlyphGeneration() != m_generation;
    }
    const ui::FontSet& fonts() const { return m_fonts; }
    ui::Theme theme() const { return m_theme; }

  private:
    ui::FontSet m_fonts;
    core::Lang m_lang = core::Lang::kEn;
    float m_scale = 1.0f;
    ui::Theme m_theme = ui::Theme::kDark;
    int m_generation = -1;
};

// Set by GLFW callbacks when the user did something (ImGui's backend chains to ours): only then
// does a wake-up need the few frames ImGui takes to settle hover and layout. Key presses and
// typed characters are queued too: the backend only sets io.KeysDown, so a tap whose press and
// release both arrive between two frames would be lost to the shortcuts.
struct WindowEvents {
    bool input = false;
    KeyQueue keys;
};

WindowEvents& EventsOf(GLFWwindow* window) {
    return *static_cast<WindowEvents*>(glfwGetWindowUserPointer(window));
}

void InstallInputCallbacks(GLFWwindow* window, WindowEvents& events) {
    glfwSetWindowUserPointer(window, &events);
    glfwSetCursorPosCallback(window,
                             [](GLFWwindow* w, double, double) { EventsOf(w).input = true; });
    glfwSetMouseButtonCallback(window,
                               [](GLFWwindow* w, int, int, int) { EventsOf(w).input = true; });
    glfwSetScrollCallback(window, [](GLFWwindow* w, double, double) { EventsOf(w).input = true; });
    glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int mods) {
        EventsOf(w).input = true;
        if (action == GLFW_PRESS || action == GLFW_REPEAT) {
            EventsOf(w).keys.Push(GlfwKeyPress(key, action, mods));
        }
    });
    glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int codepoint) {
        EventsOf(w).input = true;
        EventsOf(w).keys.Push(GlfwCharPress(codepoint));
    });
    glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int) { EventsOf(w).input = true; });
    glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int) { EventsOf(w).input = true; });
    glfwSetFramebufferSizeCallback(window,
                                   [](GLFWwindow* w, int, int) { EventsOf(w).input = true; });
    glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { EventsOf(w).input = true; });
}

// --print-state: what the keyboard and the buttons change, as one line a test can wait for.
std::string StateLine(const ui::FrameModel& m, float scale) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(scale));
    std::string line = std::string("sockstep: state font_scale=") + text +
                       " next_step=" + std::to_string(m.next_step) +
                       " log=" + std::to_string(m.log.size()) +
                       " cursor=" + std::to_string(m.scene.cursor) +
                       " history=" + (m.scene.history ? "yes" : "no") + " answers=";
    bool first = true;
    if (m.answers) {
        for (const auto& [step, choice] : *m.answers) {
            line += (first ? "" : ",") + std::to_string(step) + ":" + std::to_string(choice);
            first = false;
        }
    }
    return line;
}

struct WindowGeometry {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};

void ToggleFullScreen(GLFWwindow* window, bool& fullscreen, WindowGeometry& windowed) {
    if (!fullscreen) {
        GLFWmonitor* monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (!mode) return;
        glfwGetWindowPos(window, &windowed.x, &windowed.y);
        glfwGetWindowSize(window, &windowed.width, &windowed.height);
        glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
        fullscreen = true;
    } else {
        glfwSetWindowMonitor(window, nullptr, windowed.x, windowed.y, windowed.width,
                             windowed.height, 0);
        fullscreen = false;
    }
}

}  // namespace

int RunGui(const GuiOptions& options, std::ostream& out, std::ostream& err) {
    // A PNG that could not be written is known before any window, lesson or step.
    if (options.screenshot) {
        if (const auto error = core::CheckOutputPath(*options.screenshot, /*replace=*/true)) {
            err << "sockstep: --screenshot: " << *error << '\n';
            return 2;
        }
    }
    if (options.layout_json) {
        if (const auto error = core::CheckOutputPath(*options.layout_json, /*replace=*/true)) {
            err << "sockstep: --layout-json: " << *error << '\n';
            return 2;
        }
    }
    if (!HaveDisplay()) {
        err << "sockstep: no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Start it in a "
               "desktop session or under xvfb-run, or use the terminal front end.\n";
        return 2;
    }
    // From the start: a Ctrl-C, kill or closed terminal during start-up (fonts, --steps, the
    // window) still ends the program through the normal exit path.
    g_stop_signal = 0;
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    std::signal(SIGHUP, OnStopSignal);
    const bool screenshot_mode = options.screenshot.has_value();
    // A scripted run (--screenshot, --layout-json or --frames) draws its frames without waiting
    // for input and leaves the remembered settings alone.
    const bool scripted = screenshot_mode || options.layout_json || options.frames_given;
    const auto config = ConfigDir(/*create=*/!scripted);
    std::filesystem::path settings_file =
        config ? *config / "settings.json" : std::filesystem::path();
    std::string settings_problem;
    GuiSettings settings =
        config ? LoadGuiSettings(settings_file, settings_problem) : GuiSettings{};
    if (!settings_problem.empty()) {
        // Unusable (a directory, a FIFO, unreadable): start with defaults, and leave it alone.
        err << "sockstep: " << settings_problem
            << "; starting with the default settings, which will not be saved\n";
        settings_file.clear();
    }

    // The command line wins, then what was remembered, then the locale and defaults.
    core::Lang lang = options.lang.value_or(settings.lang.value_or(core::LangFromEnvironment()));
    const bool scale_given = options.font_scale_given || options.font_scale != 1.0f;
    float scale = scale_given ? options.font_scale : settings.font_scale.value_or(1.0f);
    // No size chosen (on the command line, or with +/- before): it follows the window.
    bool auto_scale = !scale_given && !settings.font_scale;
    ui::Theme theme =
        ui::ParseTheme(options.theme).value_or(settings.theme.value_or(ui::Theme::kDark));
    const bool size_given = options.size_given || options.width != 1280 || options.height != 720;
    const bool use_saved_geometry = !scripted && !size_given;
    const int width = use_saved_geometry && settings.width ? *settings.width : options.width;
    const int height = use_saved_geometry && settings.height ? *settings.height : options.height;

    // The lesson (or log) is checked before any window opens: a bad one is a usage error.
    ui::Controller controller(LessonFolders(options.lesson_dirs), /*free_play=*/false);
    if (options.open_log) {
        if (const std::string error = controller.OpenLog(*options.open_log); !error.empty()) {
            err << "sockstep: " << error << '\n';
            return 2;
        }
    } else if (!options.lesson.empty()) {
        if (!controller.OpenLesson(options.lesson)) {
            for (const std::string& e : controller.LessonErrors()) err << e << '\n';
            return 2;
        }
    } else {
        // The first lesson (the handshake), or the one of its id that shadows it.
        const auto& catalog = controller.Catalog();
        const auto first = std::find_if(catalog.begin(), catalog.end(),
                                        [](const ui::LessonEntry& e) { return !e.id.empty(); });
        if (first != catalog.end()) {
            controller.OpenLesson(first->shadowed_by ? first->shadowed_by->string() : first->key);
        }
    }
    if (!controller.session() && !controller.FileMode()) controller.OpenFreePlay();

    glfwSetErrorCallback(OnGlfwError);
    if (!glfwInit()) {
        err << "sockstep: cannot open the display (" << g_glfw_error << ")\n";
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // ImGui draws flat, back to front, with scissors: no depth or stencil buffer (llvmpipe would
    // keep one of 4 bytes a pixel, 3.7 MB at 1280x720).
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(width, height, "sockstep", nullptr, nullptr);
    if (window == nullptr) {
        err << "sockstep: cannot create an OpenGL 3.3 window (" << g_glfw_error << ")\n";
        glfwTerminate();
        return 2;
    }
    if (use_saved_geometry && settings.x && settings.y)
        glfwSetWindowPos(window, *settings.x, *settings.y);
    glfwMakeContextCurrent(window);
    if (gladLoadGL(glfwGetProcAddress) == 0) {
        err << "sockstep: cannot load OpenGL 3.3 functions\n";
        glfwDestroyWindow(window);
        glfwTerminate();
        return 2;
    }
    glfwSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    // ImGui's ini file lives in the config dir, never in the working directory. ImGui's own
    // loader would fopen() it (blocking on a FIFO) and write it unchecked: it is read and
    // written here instead, and never written by a scripted run.
    io.IniFilename = nullptr;
    std::filesystem::path ini_file = config ? *config / "imgui.ini" : std::filesystem::path();
    if (!ini_file.empty()) {
        std::string ini;
        if (const auto why = core::ReadUserFile(ini_file, kMaxIniBytes, ini)) {
            if (*why != core::DescribeFileErrno(ENOENT)) {
                err << "sockstep: " << ini_file.string() << ": " << *why
                    << "; the window layout will not be kept\n";
                ini_file.clear();
            }
        } else {
            ImGui::LoadIniSettingsFromMemory(ini.data(), ini.size());
        }
    }

    // The automatic text size, from the window's height in pixels and the monitor's scale.
    auto window_scale = [&] {
        int fb_w = 0;
        int fb_h = 0;
        float xscale = 1.0f;
        float yscale = 1.0f;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glfwGetWindowContentScale(window, &xscale, &yscale);
        return ui::AutoFontScale(fb_h, yscale);
    };
    if (auto_scale) scale = window_scale();
    FontState fonts;
    fonts.Build(lang, scale, theme, controller, false);
    if (!fonts.fonts().korean_capable && lang == core::Lang::kKo) {
        err << "sockstep: " << ui::kUiFontPath
            << " is missing (Debian package fonts-nanum): Korean text cannot be shown\n";
    }
    // Ours first: ImGui 1.86's backend keeps the key, char, mouse button, scroll, focus and
    // cursor-enter ones as its "previous" callbacks and calls them before its own.
    WindowEvents events;
    InstallInputCallbacks(window, events);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    ui::ViewState view;
    view.kernel_table = options.kernel_table || settings.kernel_table;
    view.diagrams = settings.diagrams;
    view.code_language = settings.python ? ui::CodeLanguage::kPython : ui::CodeLanguage::kC;
    view.file_dialog.folder = settings.last_folder;
    if (settings.speed != 1.0f) {
        ui::Intents speed;
        speed.speed = settings.speed;
        controller.Apply(speed, view);
    }
    if (options.steps > 0) controller.RunSteps(static_cast<size_t>(options.steps), view);
    // What is already in the log when the window opens is shown still, not animated.
    {
        ui::FrameModel first;
        controller.Fill(first, view, lang);
        view.seen_events = first.log.size();
    }
    const ui::KeyCodes keys = GlfwKeyCodes();

    bool fullscreen = false;
    WindowGeometry windowed;
    glfwGetWindowPos(window, &windowed.x, &windowed.y);
    glfwGetWindowSize(window, &windowed.width, &windowed.height);
    // The window and the classroom settings are remembered when they change and at the end
    // (never for scripted screenshots, which must not overwrite a teacher's choices).
    auto save_settings = [&] {
        if (settings_file.empty() || scripted) return;
        if (!fullscreen) {
            glfwGetWindowPos(window, &windowed.x, &windowed.y);
            glfwGetWindowSize(window, &windowed.width, &windowed.height);
        }
        settings.x = windowed.x;
        settings.y = windowed.y;
        settings.width = windowed.width;
        settings.height = windowed.height;
        settings.theme = theme;
        // An automatic size is not a choice: it is not remembered as one.
        settings.font_scale = auto_scale ? std::nullopt : std::optional<float>(scale);
        settings.lang = lang;
        settings.kernel_table = view.kernel_table;
        settings.diagrams = view.diagrams;
        settings.python = view.code_language == ui::CodeLanguage::kPython;
        settings.speed = view.speed;
        settings.last_folder = view.file_dialog.folder;
        if (const std::string error = SaveGuiSettings(settings_file, settings); !error.empty()) {
            err << "sockstep: " << error << '\n';
        }
    };
    std::optional<std::string> export_png;
    int exit_code = 0;
    int frame = 0;
    int frames_to_draw = kFramesAfterEvent;
    bool continuous = false;
    size_t drawn_events = 0;
    auto last_frame = std::chrono::steady_clock::now();
    // Kept from frame to frame: Fill rebuilds its scene and code only when they changed.
    ui::FrameModel model;
    std::string printed_state;
    while (!glfwWindowShouldClose(window) && !g_stop_signal) {
        if (scripted || frames_to_draw > 0 || continuous) {
            glfwPollEvents();
        } else {
            // Sleep until input, or until a blocked call or a kernel timer needs its clock
            // redrawn. A wake-up with nothing new draws nothing: idle means idle.
            events.input = false;
            const bool ticking = controller.NeedsTicking();
            const bool notice = !view.notice.empty() && view.time < view.notice_until;
            double wait = ticking ? controller.TickSeconds() : kIdleWaitSeconds;
            if (notice) wait = std::min(wait, std::max(0.05, view.notice_until - view.time));
            glfwWaitEventsTimeout(wait);
            const bool log_changed = controller.LogSize() != drawn_events;
            if (events.input) {
                frames_to_draw = kFramesAfterEvent;
            } else if (ticking || log_changed || notice) {
                frames_to_draw = 1;
            } else {
                continue;
            }
        }
        if (continuous && !scripted) {
            // Cap the frame rate while animating: Xvfb and some drivers ignore vsync.
            const auto next = last_frame + std::chrono::duration<double>(1.0 / kMaxFps);
            std::this_thread::sleep_until(next);
        }
        last_frame = std::chrono::steady_clock::now();

        if (auto_scale) scale = window_scale();  // the window may have been resized
        if (fonts.Stale(lang, scale, controller)) fonts.Build(lang, scale, theme, controller, true);
        ImGui_ImplOpenGL3_NewFrame();  // uploads the atlas if it is new
        // The GL texture holds the glyphs now: drop the CPU copies (tens of MB for Korean at 3×)
        // and the TTF files read to make them (11.6 MB for the three NanumGothic faces, held by
        // the atlas until its next Clear(); a new atlas reads them again).
        if (io.Fonts->TexPixelsAlpha8 || io.Fonts->TexPixelsRGBA32) {
            io.Fonts->ClearTexData();
            io.Fonts->ClearInputData();
        }
        ImGui_ImplGlfw_NewFrame();
        // A scripted run shows the window as the lesson left it: wherever the X server's pointer
        // happens to be (the middle of a fresh Xvfb screen), it hovers nothing and opens no
        // tooltip over the stage.
        if (scripted) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        controller.Update(io.DeltaTime, view);
        controller.Fill(model, view, lang);
        drawn_events = model.log.size();
        model.lang = lang;
        model.theme = theme;
        model.font_scale = scale;
        model.font_scale_auto = auto_scale;
        view.fonts = &fonts.fonts();
        view.keys = keys;
        // One queued press a frame; the loop keeps drawing while more wait.
        view.key_press = events.keys.Pop();
        model.fullscreen = fullscreen;
        if (options.print_state) {
            if (std::string line = StateLine(model, scale); line != printed_state) {
                out << line << std::endl;  // flushed: a test waits for it
                printed_state = std::move(line);
            }
        }
        ImGui::NewFrame();
        const ui::Intents intents = ui::DrawMainWindow(model, view);
        ImGui::Render();
        int fb_width = 0;
        int fb_height = 0;
        glfwGetFramebufferSize(window, &fb_width, &fb_height);
        glViewport(0, 0, fb_width, fb_height);
        const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(clear.x, clear.y, clear.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        ++frame;
        if (frames_to_draw > 0) --frames_to_draw;

        // An export asked for last frame captures this one (the dialog is gone by now).
        if (export_png) {
            const std::string error = WriteBackBufferPng(*export_png, fb_width, fb_height);
            view.Notify(error.empty() ? ui::Fmt(ui::Text::kWrotePng, lang, {*export_png})
                                      : ui::Fmt(ui::Text::kError, lang, {error}),
                        !error.empty());
            export_png.reset();
        }
        if (options.layout_json && frame >= options.frames) {
            const std::string json =
                ui::LayoutJson(ui::AnalyzeLayout(*ImGui::GetDrawData(), view.layout, model));
            if (const auto error = core::WriteUserFile(*options.layout_json, json, true)) {
                err << "sockstep: " << *error << '\n';
                exit_code = 2;
            } else {
                out << "sockstep: wrote " << *options.layout_json << '\n';
            }
        }
        if (screenshot_mode && frame >= options.frames) {
            const std::string error = WriteBackBufferPng(*options.screenshot, fb_width, fb_height);
            if (error.empty()) {
                out << "sockstep: wrote " << *options.screenshot << " (" << fb_width << "x"
                    << fb_height << ")\n";
            } else {
                err << "sockstep: " << error << '\n';
                exit_code = 2;  // as every front end's unwritable output (README)
            }
            break;
        }
        glfwSwapBuffers(window);
        if (scripted && frame >= options.frames) {
            glFinish();  // the frame is on the screen before the program says it is done
            break;
        }

        // After the frame: intents become Session calls and window changes.
        controller.Apply(intents, view);
        if (intents.lang) lang = *intents.lang;
        if (intents.font_scale) {
            scale = std::clamp(*intents.font_scale, ui::kMinFontScale, ui::kMaxFontScale);
            auto_scale = false;
        }
        if (intents.font_scale_auto) {
            auto_scale = true;
            scale = window_scale();
        }
        if (intents.theme && *intents.theme != theme) {
            theme = *intents.theme;
            ui::ApplyTheme(theme, scale);
        }
        if (intents.font_scale || intents.font_scale_auto || intents.lang) {
            fonts.Build(lang, scale, theme, controller, true);
        }
        if (intents.toggle_fullscreen) ToggleFullScreen(window, fullscreen, windowed);
        if (intents.export_png) export_png = intents.export_png;
        if (intents.quit) glfwSetWindowShouldClose(window, GLFW_TRUE);
        if (intents.Any()) frames_to_draw = kFramesAfterEvent;
        if (!events.keys.Empty()) frames_to_draw = std::max(frames_to_draw, 1);
        if (intents.lang || intents.font_scale || intents.font_scale_auto || intents.theme ||
            intents.speed || view.kernel_table != settings.kernel_table ||
            view.diagrams != settings.diagrams ||
            (view.code_language == ui::CodeLanguage::kPython) != settings.python) {
            save_settings();
        }
        continuous = view.animator.Active() || controller.Playing() || export_png.has_value();
    }

    save_settings();
    if (!ini_file.empty() && !scripted) {
        size_t size = 0;
        const char* ini = ImGui::SaveIniSettingsToMemory(&size);
        if (const auto error =
                core::WriteUserFile(ini_file, std::string_view(ini, size), /*replace=*/true)) {
            err << "sockstep: " << *error << '\n';
        }
    }

    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

}  // namespace sockstep::app
