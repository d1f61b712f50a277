// Real key taps on the real window: xdotool sends each key through XTest (the X server's own
// input path, as a keyboard or a presenter's clicker would) as a 10 ms tap, press and release
// arriving between two frames, which ImGui 1.86's key state alone would miss. The taps are sent
// back to back, without waiting for a frame; the program runs with --print-state and the test
// waits for the line that says each tap did its work (text size, step, answer, history cursor).
// Each test has an X server of its own (private_display.h), so no other window takes the keys.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "private_display.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
// Generous: seven engineers build on two cores while this runs.
constexpr auto kSignalWait = 60s;

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Runs a program to its end; its exit status (-1: it could not run or died of a signal).
int RunTool(const std::vector<std::string>& args, std::string* out = nullptr) {
    int fds[2] = {-1, -1};
    if (pipe(fds) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(fds[1]);
    std::string text;
    char buffer[256];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
    close(fds[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    if (out) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// One 10 ms tap of an X key (a keysym name: plus, space, p, 2, Next, Prior).
void Tap(const std::string& key) {
    ASSERT_EQ(RunTool({"xdotool", "keydown", key}), 0) << "xdotool keydown " << key;
    std::this_thread::sleep_for(10ms);
    ASSERT_EQ(RunTool({"xdotool", "keyup", key}), 0) << "xdotool keyup " << key;
}

// The real binary with --print-state, its output in files.
class App {
  public:
    App(const std::vector<std::string>& args, const fs::path& dir) : m_dir(dir) {
        fs::create_directories(dir / "config");
        m_pid = fork();
        if (m_pid == 0) {
            freopen((dir / "out.txt").c_str(), "w", stdout);
            freopen((dir / "err.txt").c_str(), "w", stderr);
            setenv("SOCKSTEP_ASSETS", kAssets.c_str(), 1);
            setenv("XDG_CONFIG_HOME", (dir / "config").c_str(), 1);
            std::vector<char*> argv = {const_cast<char*>(SOCKSTEP_BINARY)};
            for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(SOCKSTEP_BINARY, argv.data());
            _exit(127);
        }
    }
    ~App() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    pid_t Pid() const { return m_pid; }
    std::string Out() const { return ReadAll(m_dir / "out.txt"); }
    std::string Err() const { return ReadAll(m_dir / "err.txt"); }
    bool Running() { return waitpid(m_pid, nullptr, WNOHANG) == 0; }

    // Polls until `condition` holds, the process exits, or the wait runs out.
    bool Until(const std::function<bool()>& condition) {
        const auto deadline = Clock::now() + kSignalWait;
        while (Clock::now() < deadline && Running()) {
            if (condition()) return true;
            std::this_thread::sleep_for(5ms);
        }
        return condition();
    }
    // Waits for a --print-state line holding every one of `parts`.
    bool UntilState(const std::vector<std::string>& parts) {
        return Until([&] {
            const std::string out = Out();
            for (size_t start = 0; start < out.size();) {
                size_t end = out.find('\n', start);
                if (end == std::string::npos) break;  // a line still being written
                const std::string line = out.substr(start, end - start);
                bool all = line.rfind("sockstep: state ", 0) == 0;
                for (const std::string& p : parts) all = all && line.find(p) != std::string::npos;
                if (all) return true;
                start = end + 1;
            }
            return false;
        });
    }

  private:
    fs::path m_dir;
    pid_t m_pid = -1;
};

class GuiKeys : public ::testing::Test {
  protected:
    void SetUp() override {
        // A display of its own: on a shared one, another test's new window takes the focus.
        m_display = std::make_unique<PrivateDisplay>();
        ASSERT_TRUE(m_display->Ready()) << m_display->Error();
        ASSERT_EQ(RunTool({"xdotool", "version"}), 0)
            << "xdotool is missing (Debian package xdotool; scripts/test installs it)";
        m_dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) /
                ("gui-keys-" +
                 std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Opens the handshake lesson and gives its window the keyboard (no window manager here).
    std::unique_ptr<App> Start() {
        auto app = std::make_unique<App>(
            std::vector<std::string>{"--lesson", "handshake", "--lang", "en", "--print-state"},
            m_dir);
        EXPECT_TRUE(app->UntilState({"next_step=0"})) << "no first frame: " << app->Err();
        std::string window;
        EXPECT_TRUE(app->Until([&] {
            return RunTool({"xdotool", "search", "--pid", std::to_string(app->Pid())}, &window) ==
                       0 &&
                   !window.empty();
        })) << "no window of pid "
            << app->Pid();
        window = window.substr(0, window.find('\n'));
        EXPECT_EQ(RunTool({"xdotool", "windowfocus", "--sync", window}), 0) << "focus " << window;
        return app;
    }

    std::unique_ptr<PrivateDisplay> m_display;
    fs::path m_dir;
};

TEST_F(GuiKeys, EveryShortPlusAndMinusTapChangesTheTextSize) {
    auto app = Start();
    // Four taps of '+' sent back to back: each one counts (1.0 + 4 x 0.25).
    for (int i = 0; i < 4; ++i) Tap("plus");
    EXPECT_TRUE(app->UntilState({"font_scale=2.00"})) << app->Out() << app->Err();
    Tap("minus");
    Tap("minus");
    EXPECT_TRUE(app->UntilState({"font_scale=1.50"})) << app->Out() << app->Err();
    // The remembered setting follows (written when the size changes).
    EXPECT_TRUE(app->Until([&] {
        return ReadAll(m_dir / "config" / "sockstep" / "settings.json")
                   .find("\"font_scale\": 1.5") != std::string::npos;
    })) << ReadAll(m_dir / "config" / "sockstep" / "settings.json");
}

TEST_F(GuiKeys, SpaceAnswersAndPageKeysDriveTheLesson) {
    auto app = Start();
    // Three Space taps back to back: socket, bind, listen. The fourth step asks a question.
    for (int i = 0; i < 3; ++i) Tap("space");
    ASSERT_TRUE(app->UntilState({"next_step=3", "log=6"})) << app->Out() << app->Err();
    // '2' picks the second choice; Space then runs the questioned step.
    Tap("2");
    ASSERT_TRUE(app->UntilState({"next_step=3", "answers=3:1"})) << app->Out() << app->Err();
    Tap("space");
    ASSERT_TRUE(app->UntilState({"next_step=4", "answers=3:1"})) << app->Out() << app->Err();
    // A clicker: PageUp is one step back in the history, PageDown forward to the live end.
    Tap("Prior");
    ASSERT_TRUE(app->UntilState({"next_step=4", "history=yes"})) << app->Out() << app->Err();
    Tap("Next");
    ASSERT_TRUE(app->UntilState({"next_step=4", "log=8", "cursor=8", "history=no"}))
        << app->Out() << app->Err();
    // Live, PageDown runs the next step (the client's connect, which wakes accept()).
    Tap("Next");
    ASSERT_TRUE(app->UntilState({"next_step=5"})) << app->Out() << app->Err();
    // The next question: by letter (C), then changed on the keypad (1).
    Tap("c");
    ASSERT_TRUE(app->UntilState({"answers=3:1,5:2"})) << app->Out() << app->Err();
    Tap("KP_1");
    ASSERT_TRUE(app->UntilState({"answers=3:1,5:0"})) << app->Out() << app->Err();
    // P plays the rest: the steps after the answered one run by themselves.
    Tap("p");
    EXPECT_TRUE(app->UntilState({"next_step=7"})) << app->Out() << app->Err();
}

}  // namespace
}  // namespace sockstep::testing
