// Quitting the real window while an actor is blocked in the kernel: `sockstep --lesson handshake
// --steps 4` opens with the server's accept() asleep (the test checks the kernel's word for it,
// /proc/PID/task/*/wchan = inet_csk_accept). Then the program is told to quit in each way that
// exists: SIGTERM and SIGINT (what a desktop session and Ctrl-C send), the window manager's close
// button (a WM_DELETE_WINDOW client message, sent here over X11 exactly as a window manager
// does), and the scripted --screenshot/--frames run that quits by itself. Each time the process
// must exit with status 0 on its own, within a 10 s hang guard; the time to exit is printed,
// and measured properly by scripts/bench (the target is 1 s).
#include <dlfcn.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
constexpr auto kHangGuard = 10s;

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The real binary, its output in files (a pipe nobody reads could fill and block it).
class App {
  public:
    App(const std::vector<std::string>& args, const fs::path& dir) : m_dir(dir) {
        fs::create_directories(dir / "config");
        m_pid = fork();
        if (m_pid == 0) {
            const std::string out = (dir / "out.txt").string();
            const std::string err = (dir / "err.txt").string();
            freopen(out.c_str(), "w", stdout);
            freopen(err.c_str(), "w", stderr);
            setenv("SOCKSTEP_ASSETS", kAssets.c_str(), 1);
            // Never the user's settings; a directory per test (ctest runs them in parallel).
            setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);
            std::vector<char*> argv = {const_cast<char*>(SOCKSTEP_BINARY)};
            for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(SOCKSTEP_BINARY, argv.data());
            _exit(127);
        }
    }
    ~App() {
        if (m_pid > 0 && m_status < 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    pid_t Pid() const { return m_pid; }
    bool Running() {
        Poll();
        return m_status < 0;
    }
    // Waits for the exit; the exit code, -1 for a signal, -2 when the hang guard expired.
    int Wait(std::chrono::milliseconds limit = kHangGuard) {
        const auto deadline = Clock::now() + limit;
        while (m_status < 0 && Clock::now() < deadline) {
            Poll();
            if (m_status < 0) std::this_thread::sleep_for(1ms);
        }
        if (m_status < 0) return -2;
        return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }
    std::string Err() const { return ReadAll(m_dir / "err.txt"); }

    // Polls until `condition` holds, the process exits, or `limit` passes.
    bool Until(const std::function<bool()>& condition, std::chrono::milliseconds limit = 20s) {
        const auto deadline = Clock::now() + limit;
        while (Clock::now() < deadline && Running()) {
            if (condition()) return true;
            std::this_thread::sleep_for(5ms);
        }
        return false;
    }

  private:
    void Poll() {
        int status = 0;
        if (m_status < 0 && waitpid(m_pid, &status, WNOHANG) == m_pid) m_status = status;
    }
    fs::path m_dir;
    pid_t m_pid = -1;
    int m_status = -1;
};

// Does a thread of `pid` sleep in the kernel's accept()?
bool AcceptBlocked(pid_t pid) {
    std::error_code ec;
    for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        if (ReadAll(task.path() / "wchan").find("inet_csk_accept") != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Has `pid` installed a handler for `sig` (SigCgt in /proc/PID/status)? Before that, the
// default action would kill it, and the test would not be testing the program.
bool Catches(pid_t pid, int sig) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("SigCgt:", 0) == 0) {
            const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask >> (sig - 1)) & 1ULL;
        }
    }
    return false;
}

// A window manager's close button, without a window manager: libX11 (present wherever GLFW is)
// loaded at run time, so the tests need no X11 headers. The types below are Xlib's own layout.
class X11 {
  public:
    X11() {
        m_lib = dlopen("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
        if (m_lib == nullptr) return;
        Load(m_open, "XOpenDisplay");
        Load(m_close, "XCloseDisplay");
        Load(m_root, "XDefaultRootWindow");
        Load(m_atom, "XInternAtom");
        Load(m_tree, "XQueryTree");
        Load(m_property, "XGetWindowProperty");
        Load(m_send, "XSendEvent");
        Load(m_flush, "XFlush");
        Load(m_free, "XFree");
        if (m_open && m_close && m_root && m_atom && m_tree && m_property && m_send && m_flush &&
            m_free) {
            m_display = m_open(nullptr);
        }
    }
    ~X11() {
        if (m_display) m_close(m_display);
        if (m_lib) dlclose(m_lib);
    }
    X11(const X11&) = delete;
    X11& operator=(const X11&) = delete;
    bool Ready() const { return m_display != nullptr; }

    // The top-level window whose _NET_WM_PID is `pid` (GLFW sets it), 0 if none yet.
    unsigned long WindowOf(pid_t pid) {
        const unsigned long pid_atom = m_atom(m_display, "_NET_WM_PID", 0);
        unsigned long root = 0;
        unsigned long parent = 0;
        unsigned long* children = nullptr;
        unsigned int count = 0;
        if (!m_tree(m_display, m_root(m_display), &root, &parent, &children, &count)) return 0;
        unsigned long found = 0;
        for (unsigned int i = 0; i < count && found == 0; ++i) {
            unsigned long type = 0;
            int format = 0;
            unsigned long items = 0;
            unsigned long after = 0;
            unsigned char* data = nullptr;
            if (m_property(m_display, children[i], pid_atom, 0, 1, 0, kXaCardinal, &type, &format,
                           &items, &after, &data) == 0 &&
                data != nullptr) {
                if (format == 32 && items == 1 &&
                    *reinterpret_cast<long*>(data) == static_cast<long>(pid)) {
                    found = children[i];
                }
                m_free(data);
            }
        }
        if (children) m_free(children);
        return found;
    }

    // What a window manager sends when the close button is clicked (ICCCM 4.2.8.1).
    void SendDeleteWindow(unsigned long window) {
        XEvent event{};
        event.xclient.type = kClientMessage;
        event.xclient.window = window;
        event.xclient.message_type = m_atom(m_display, "WM_PROTOCOLS", 0);
        event.xclient.format = 32;
        event.xclient.l[0] = static_cast<long>(m_atom(m_display, "WM_DELETE_WINDOW", 0));
        event.xclient.l[1] = 0;  // CurrentTime
        m_send(m_display, window, 0, 0, &event);
        m_flush(m_display);
    }

  private:
    static constexpr int kClientMessage = 33;
    static constexpr unsigned long kXaCardinal = 6;
    struct XClientMessageEvent {
        int type;
        unsigned long serial;
        int send_event;
        void* display;
        unsigned long window;
        unsigned long message_type;
        int format;
        long l[5];
    };
    union XEvent {
        int type;
        XClientMessageEvent xclient;
        long pad[24];
    };
    template <typename F>
    void Load(F& f, const char* name) {
        f = reinterpret_cast<F>(dlsym(m_lib, name));
    }

    void* m_lib = nullptr;
    void* m_display = nullptr;
    void* (*m_open)(const char*) = nullptr;
    int (*m_close)(void*) = nullptr;
    unsigned long (*m_root)(void*) = nullptr;
    unsigned long (*m_atom)(void*, const char*, int) = nullptr;
    int (*m_tree)(void*, unsigned long, unsigned long*, unsigned long*, unsigned long**,
                  unsigned int*) = nullptr;
    int (*m_property)(void*, unsigned long, unsigned long, long, long, int, unsigned long,
                      unsigned long*, int*, unsigned long*, unsigned long*,
                      unsigned char**) = nullptr;
    int (*m_send)(void*, unsigned long, int, long, XEvent*) = nullptr;
    int (*m_flush)(void*) = nullptr;
    int (*m_free)(void*) = nullptr;
};

class GuiQuit : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run the GUI tests under xvfb-run -a";
        m_dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) /
                ("gui-quit-" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Starts the handshake with accept() blocked, and waits until the window's loop runs (it
    // catches SIGTERM from then on) and the kernel says accept() sleeps.
    std::unique_ptr<App> StartBlocked() {
        auto app = std::make_unique<App>(
            std::vector<std::string>{"--lesson", "handshake", "--steps", "4", "--lang", "en"},
            m_dir);
        EXPECT_TRUE(app->Until([&] { return AcceptBlocked(app->Pid()); }))
            << "accept() never blocked: " << app->Err();
        EXPECT_TRUE(app->Until([&] { return Catches(app->Pid(), SIGTERM); }))
            << "the window loop never started: " << app->Err();
        return app;
    }

    // Waits for the exit after a quit request made at `asked`; checks status 0 and says how long.
    void ExpectCleanExit(App& app, Clock::time_point asked, const char* how) {
        const int code = app.Wait();
        const auto took =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
        EXPECT_NE(code, -2) << "hang guard: still running " << kHangGuard.count() << " s after "
                            << how;
        EXPECT_EQ(code, 0) << how << "\n" << app.Err();
        std::cout << "[ measured ] " << how << " with accept() blocked -> exit " << code << " in "
                  << took.count() << " ms\n";
    }

    fs::path m_dir;
};

TEST_F(GuiQuit, SigtermWhileAcceptIsBlocked) {
    auto app = StartBlocked();
    ASSERT_TRUE(app->Running());
    const auto asked = Clock::now();
    kill(app->Pid(), SIGTERM);
    ExpectCleanExit(*app, asked, "SIGTERM");
    EXPECT_EQ(app->Err(), "");
}

TEST_F(GuiQuit, SigintWhileAcceptIsBlocked) {
    auto app = StartBlocked();
    ASSERT_TRUE(app->Running());
    const auto asked = Clock::now();
    kill(app->Pid(), SIGINT);
    ExpectCleanExit(*app, asked, "SIGINT");
}

TEST_F(GuiQuit, WindowCloseButtonWhileAcceptIsBlocked) {
    X11 x;
    ASSERT_TRUE(x.Ready()) << "cannot load libX11.so.6 or open $DISPLAY";
    auto app = StartBlocked();
    ASSERT_TRUE(app->Running());
    unsigned long window = 0;
    ASSERT_TRUE(app->Until([&] { return (window = x.WindowOf(app->Pid())) != 0; }))
        << "no window with _NET_WM_PID " << app->Pid();
    const auto asked = Clock::now();
    x.SendDeleteWindow(window);
    ExpectCleanExit(*app, asked, "WM_DELETE_WINDOW (the close button)");
}

TEST_F(GuiQuit, ScriptedScreenshotQuitsByItselfWhileAcceptIsBlocked) {
    const fs::path png = m_dir / "blocked.png";
    App app({"--lesson", "handshake", "--steps", "4", "--lang", "en", "--screenshot", png.string(),
             "--frames", "3", "--size", "800x600"},
            m_dir);
    const auto started = Clock::now();
    // The kernel's word that accept() sleeps while the frames are drawn.
    EXPECT_TRUE(app.Until([&] { return AcceptBlocked(app.Pid()); }))
        << "accept() was not seen blocked: " << app.Err();
    const int code = app.Wait(60s);
    EXPECT_NE(code, -2) << "hang guard: the scripted run did not end";
    EXPECT_EQ(code, 0) << app.Err();
    EXPECT_GT(fs::exists(png) ? fs::file_size(png) : 0u, 0u) << "no PNG";
    std::cout
        << "[ measured ] --steps 4 --screenshot --frames 3: start to exit "
        << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
        << " ms\n";
}

}  // namespace
}  // namespace sockstep::testing
