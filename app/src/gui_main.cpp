// The windowed front end: GLFW window, glad GL 3.3 core, ImGui (GLFW + OpenGL3 backends) and an
// idle-throttled frame loop. glfwSwapInterval does not throttle under Xvfb, so the loop sleeps
// in glfwWaitEventsTimeout whenever nothing moves.
#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdlib>
#include <ostream>
#include <string>

#include "gui_main.h"
#include "gui_screenshot.h"
#include "paths.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/strings.h"
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

// Frames still to draw after something changed: ImGui settles hover and layout over a couple
// of frames, so one event buys a few frames, then the loop sleeps again.
constexpr int kFramesAfterEvent = 3;
constexpr double kIdleWaitSeconds = 0.5;

}  // namespace

int RunGui(const GuiOptions& options, std::ostream& out, std::ostream& err) {
    if (!HaveDisplay()) {
        err << "sockstep: no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Start it in a "
               "desktop session or under xvfb-run, or use the terminal front end.\n";
        return 2;
    }
    glfwSetErrorCallback(OnGlfwError);
    if (!glfwInit()) {
        err << "sockstep: cannot open the display (" << g_glfw_error << ")\n";
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, "sockstep", nullptr,
                                          nullptr);
    if (window == nullptr) {
        err << "sockstep: cannot create an OpenGL 3.3 window (" << g_glfw_error << ")\n";
        glfwTerminate();
        return 2;
    }
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
    // ImGui's ini file lives in the config dir, never in the working directory.
    const auto config = ConfigDir();
    const std::string ini_path = config ? (*config / "imgui.ini").string() : std::string();
    io.IniFilename = config ? ini_path.c_str() : nullptr;

    const core::Lang lang = options.lang.value_or(core::LangFromEnvironment());
    ui::FontSet fonts;
    ui::BuildFonts(*io.Fonts, options.font_scale, ui::AllUiText(lang), fonts);
    if (!fonts.korean_capable && lang == core::Lang::kKo) {
        err << "sockstep: " << ui::kUiFontPath
            << " is missing (Debian package fonts-nanum): Korean text cannot be shown\n";
    }
    ui::ApplyTheme(ui::Theme::kDark, options.font_scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    ui::MainWindowModel model;
    model.lang = lang;

    int exit_code = 0;
    int frame = 0;
    int frames_to_draw = kFramesAfterEvent;
    while (!glfwWindowShouldClose(window)) {
        if (options.screenshot || frames_to_draw > 0) {
            glfwPollEvents();
        } else {
            glfwWaitEventsTimeout(kIdleWaitSeconds);
            frames_to_draw = kFramesAfterEvent;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ui::DrawMainWindow(model);
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
        if (options.screenshot && frame >= options.frames) {
            const std::string error = WriteBackBufferPng(*options.screenshot, fb_width, fb_height);
            if (error.empty()) {
                out << "sockstep: wrote " << *options.screenshot << " (" << fb_width << "x"
                    << fb_height << ")\n";
            } else {
                err << "sockstep: " << error << '\n';
                exit_code = 1;
            }
            break;
        }
        glfwSwapBuffers(window);
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

}  // namespace sockstep::app
