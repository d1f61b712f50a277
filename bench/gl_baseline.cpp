// The resident-memory floor of the GL stack sockstep draws with, measured by scripts/bench in
// the same run as sockstep itself: the same GLFW window (GL 3.3 core, no depth or stencil, the
// same size) on the same Mesa driver, and nothing of sockstep.
//   gl_baseline window   the window, one glClear and swap, then waits
//   gl_baseline imgui    the window plus Dear ImGui with the same backends, one small window
//                        with one line of text in its default font, redrawn each frame
// Both wait for input between frames, as sockstep does when idle. With --fps N they draw N
// frames a second without waiting (Dear ImGui's example loop, capped as sockstep caps its
// animations): the idle-CPU baseline of scripts/bench, what a window costs that redraws while
// nothing changes. It draws until SIGTERM (scripts/bench reads /proc/PID/status meanwhile), or
// for --frames N.
#include <glad/gl.h>
// GLFW after glad: glad provides the GL declarations.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

volatile std::sig_atomic_t g_stop = 0;  // a signal handler can only set a flag
void OnStop(int) {
    g_stop = 1;
}

int Usage() {
    std::fprintf(stderr, "usage: gl_baseline window|imgui [--size WxH] [--frames N] [--fps N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return Usage();
    const std::string mode = argv[1];
    if (mode != "window" && mode != "imgui") return Usage();
    int width = 1280;
    int height = 720;
    int frames = -1;
    int fps = 0;  // 0: wait for input between frames
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--size") == 0 &&
            std::sscanf(argv[i + 1], "%dx%d", &width, &height) == 2) {
            continue;
        }
        if (std::strcmp(argv[i], "--frames") == 0) {
            frames = std::atoi(argv[i + 1]);
            continue;
        }
        if (std::strcmp(argv[i], "--fps") == 0 && std::sscanf(argv[i + 1], "%d", &fps) == 1 &&
            fps > 0 && fps <= 1000) {
            continue;
        }
        return Usage();
    }
    std::signal(SIGTERM, OnStop);
    std::signal(SIGINT, OnStop);

    if (!glfwInit()) {
        std::fprintf(stderr, "gl_baseline: cannot open the display\n");
        return 2;
    }
    // The hints of app/src/gui_main.cpp.
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(width, height, "gl_baseline", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "gl_baseline: cannot create an OpenGL 3.3 window\n");
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(window);
    if (gladLoadGL(glfwGetProcAddress) == 0) {
        std::fprintf(stderr, "gl_baseline: cannot load OpenGL 3.3 functions\n");
        glfwDestroyWindow(window);
        glfwTerminate();
        return 2;
    }
    glfwSwapInterval(1);
    const bool imgui = mode == "imgui";
    if (imgui) {
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        ImGui_ImplGlfw_InitForOpenGL(window, true);
        ImGui_ImplOpenGL3_Init("#version 330 core");
    }
    auto next_frame = std::chrono::steady_clock::now();
    for (int frame = 0; !g_stop && !glfwWindowShouldClose(window) && frame != frames; ++frame) {
        if (imgui) {
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            ImGui::NewFrame();
            ImGui::Begin("baseline");
            ImGui::TextUnformatted("The GL stack alone.");
            ImGui::End();
            ImGui::Render();
        }
        glViewport(0, 0, width, height);
        glClearColor(0.1f, 0.1f, 0.1f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        if (imgui) ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
        glFinish();
        if (fps > 0) {
            // Xvfb does not throttle glfwSwapInterval(1): the frame rate is kept here.
            next_frame += std::chrono::microseconds(1000000 / fps);
            std::this_thread::sleep_until(next_frame);
            glfwPollEvents();
        } else {
            // Like sockstep when idle: wait for input instead of spinning.
            glfwWaitEventsTimeout(0.5);
        }
    }
    if (imgui) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
