// Faults at the command line, with the real binary: a lesson whose pinned port another program
// holds (`sockstep trace` runs it, shows EADDRINUSE, goes on, and exits 1 as documented for an
// expectation that did not hold), and hostile files given to `sockstep check`, `sockstep trace
// --lesson` and `sockstep --open-log`: truncated, corrupted, NUL bytes, invalid UTF-8, nesting
// 100,000 deep, 10 MB lines, not a file at all. Each gets a clear message naming the file (and
// the line, where there is one) and the documented exit code; never a crash (a signal) or a hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
const std::vector<std::string> kEnv = {"SOCKSTEP_ASSETS=" + kAssets};

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class TempDir {
  public:
    TempDir() {
        m_path = fs::temp_directory_path() /
                 ("sockstep-fault-cli-" + std::to_string(getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path Write(const std::string& name, const std::string& text) const {
        const fs::path p = m_path / name;
        std::ofstream out(p, std::ios::binary);
        out << text;
        return p;
    }
    const fs::path& Path() const { return m_path; }

  private:
    fs::path m_path;
};

// ---- a pinned port that is taken -----------------------------------------------------------

// The handshake with a pinned port (tests/support/port-taken.toml.in, shared with the core test).
std::string PinnedPortLesson(uint16_t port) {
    std::ifstream in(std::string(SOCKSTEP_SOURCE_DIR) + "/tests/support/port-taken.toml.in");
    std::stringstream text;
    text << in.rdbuf();
    std::string lesson = text.str();
    lesson.replace(lesson.find("@PORT@"), 6, std::to_string(port));
    return lesson;
}

TEST(FaultCli, TraceOfALessonWhosePortIsTakenShowsEaddrinuseAndExitsOne) {
    // This test process is "the other program": it holds 127.0.0.1:P.
    const int squatter = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(squatter, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(listen(squatter, 1), 0);
    socklen_t len = sizeof a;
    getsockname(squatter, reinterpret_cast<sockaddr*>(&a), &len);
    const uint16_t port = ntohs(a.sin_port);
    TempDir dir;
    const fs::path lesson = dir.Write("port-taken.toml", PinnedPortLesson(port));

    // Valid as a file: nothing in it is wrong until it meets the kernel.
    const auto check = RunProcess({SOCKSTEP_BINARY, "check", lesson.string()}, kEnv);
    EXPECT_EQ(check.exit_code, 0) << check.err;

    const auto r =
        RunProcess({SOCKSTEP_BINARY, "trace", "--lesson", lesson.string(), "--lang", "en"}, kEnv);
    close(squatter);
    // README: exit 1 when the kernel did something else than the lesson expected.
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(
        std::regex_search(r.out, std::regex(R"(\[ 2\] server  bind\(listener, 127\.0\.0\.1:)" +
                                            std::to_string(port) + R"(\) = -1 EADDRINUSE)")))
        << r.out;
    // The lesson went on to its end; accept() on the unbound socket failed at once (EINVAL),
    // nothing blocked.
    EXPECT_TRUE(
        std::regex_search(r.out, std::regex(R"(\[ 4\] server  accept\(listener\) = -1 EINVAL)")))
        << r.out;
    EXPECT_TRUE(Contains(r.out, "[ 6]")) << r.out;
    EXPECT_FALSE(Contains(r.out, "blocked in the kernel")) << r.out;
    // The failures name the steps: the bind that did not succeed, the steps sockstep refused.
    EXPECT_TRUE(Contains(r.err, "step 2 (" + lesson.string() + ":")) << r.err;
    EXPECT_TRUE(Contains(r.err, "EADDRINUSE")) << r.err;
    EXPECT_TRUE(Contains(r.err, "step 3 (")) << r.err;
    EXPECT_TRUE(Contains(r.err, "expectations did not hold")) << r.err;
}

// ---- hostile lesson files -------------------------------------------------------------------

struct Hostile {
    std::string name;
    std::string text;
    bool has_line = true;  // false: an error about the whole file (its size)
};

std::vector<Hostile> HostileLessons() {
    const std::string good = ReadAll(kAssets + "/lessons/01-handshake.toml");
    std::vector<Hostile> out;
    for (int k = 1; k <= 5; ++k) {
        // Cut inside a string: the narration of a step never ends.
        const size_t at = good.find("narration.en = \"", good.size() * static_cast<size_t>(k) / 6);
        out.push_back({"cut" + std::to_string(k) + ".toml", good.substr(0, at + 20)});
    }
    std::string nul = good;
    nul.insert(good.size() / 2, std::string("\0\0\0", 3));
    out.push_back({"nul.toml", nul});
    std::string utf8 = good;
    utf8.insert(good.find("narration.en = \"") + 16, "\xc0\xaf\xed\xa0\x80\xff");
    out.push_back({"utf8.toml", utf8});
    std::string flipped = good;
    for (size_t i = 100; i < flipped.size(); i += 97)
        flipped[i] = static_cast<char>(flipped[i] ^ 0x55);
    out.push_back({"flipped.toml", flipped});
    std::string deep = "x = ";
    for (int i = 0; i < 100000; ++i) deep += "[";
    out.push_back({"deep.toml", good.substr(0, good.find('\n') + 1) + deep + "\n"});
    out.push_back({"huge-port.toml", std::regex_replace(good, std::regex("port = 0"),
                                                        "port = 99999999999999999999999")});
    out.push_back({"ten-mb-line.toml", "# " + std::string(10 << 20, 'x') + "\n" + good, false});
    out.push_back({"elf.toml", std::string("\x7f"
                                           "ELF\x02\x01\x01\0\0\0\0\0",
                                           12)});
    out.push_back({"empty.toml", ""});
    return out;
}

// file:LINE: or file:LINE:COL: at the start of a line of `err`.
bool NamesFileAndLine(const std::string& err, const std::string& file) {
    std::istringstream in(err);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(file + ":", 0) != 0) continue;
        const std::string rest = line.substr(file.size() + 1);
        if (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) return true;
    }
    return false;
}

TEST(FaultCli, CheckRejectsEveryHostileLessonNamingFileAndLine) {
    TempDir dir;
    for (const Hostile& h : HostileLessons()) {
        SCOPED_TRACE(h.name);
        const fs::path file = dir.Write(h.name, h.text);
        const auto r = RunProcess({SOCKSTEP_BINARY, "check", file.string()}, kEnv);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_EQ(r.err.rfind(file.string() + ":", 0), 0u) << r.err.substr(0, 500);
        if (h.has_line) {
            EXPECT_TRUE(NamesFileAndLine(r.err, file.string())) << r.err.substr(0, 500);
        } else {
            EXPECT_TRUE(Contains(r.err, "bytes")) << r.err.substr(0, 500);
        }
        EXPECT_LT(r.err.size(), 20000u) << "the message is a flood";
    }
    // A directory, and a file that does not exist.
    for (const std::string& path : {dir.Path().string(), dir.Path().string() + "/none.toml"}) {
        const auto r = RunProcess({SOCKSTEP_BINARY, "check", path}, kEnv);
        EXPECT_EQ(r.exit_code, 1) << path << r.err;
        EXPECT_EQ(r.err.rfind(path + ":", 0), 0u) << r.err;
    }
}

TEST(FaultCli, TraceRefusesEveryHostileLessonBeforeAnythingRuns) {
    TempDir dir;
    for (const Hostile& h : HostileLessons()) {
        SCOPED_TRACE(h.name);
        const fs::path file = dir.Write(h.name, h.text);
        const auto r = RunProcess({SOCKSTEP_BINARY, "trace", "--lesson", file.string()}, kEnv);
        EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 500);
        EXPECT_EQ(r.out, "") << "nothing may run";
        EXPECT_EQ(r.err.rfind(file.string() + ":", 0), 0u) << r.err.substr(0, 500);
        EXPECT_TRUE(Contains(r.err, "nothing was run")) << r.err.substr(0, 500);
    }
}

// ---- files of the wrong kind (issue #12 items 9 and 14) -------------------------------------
// Every file sockstep reads from a user is opened without blocking and judged by fstat on that
// descriptor: a FIFO used to hang for ever (only SIGKILL ended it). The hang guard of RunProcess
// fails the test instead of hanging the suite.

struct WrongKind {
    std::string name;
    fs::path path;
    std::string said;  // the reason in the message
};

std::vector<WrongKind> WrongKinds(const TempDir& dir) {
    const fs::path fifo = dir.Path() / "lesson-fifo.toml";
    EXPECT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const fs::path loop = dir.Path() / "loop.toml";
    fs::create_symlink(loop, loop);
    const fs::path file = dir.Write("plain", "x");
    return {
        {"FIFO", fifo, "it is a FIFO (named pipe), not a regular file"},
        {"device", "/dev/null", "it is a character device, not a regular file"},
        {"directory", dir.Path(), "it is a directory, not a regular file"},
        {"symlink loop", loop, "(ELOOP)"},
        {"through a file", file / "x.toml", "(ENOTDIR)"},
        {"missing", dir.Path() / "none.toml", "it does not exist"},
    };
}

TEST(FaultCli, LessonFilesOfTheWrongKindAreRefusedWithoutBlocking) {
    TempDir dir;
    for (const WrongKind& k : WrongKinds(dir)) {
        SCOPED_TRACE(k.name);
        ProcessOptions options;
        options.env = {kEnv[0], "DISPLAY=:4242", "XDG_CONFIG_HOME=" + dir.Path().string()};
        const auto check = RunProcess({SOCKSTEP_BINARY, "check", k.path.string()}, options);
        ASSERT_FALSE(check.hung) << "check blocked on " << k.path;
        EXPECT_EQ(check.exit_code, 1) << check.err;
        EXPECT_TRUE(Contains(check.err, k.path.string() + ": error: cannot read the file: " +
                                            (k.said[0] == '(' ? "" : k.said)))
            << check.err;
        EXPECT_TRUE(Contains(check.err, k.said)) << check.err;
        for (const std::string command : {"trace", "export"}) {
            std::vector<std::string> argv = {SOCKSTEP_BINARY, command, "--lesson", k.path.string()};
            if (command == "export") {
                argv.insert(argv.end(), {"--format", "json", "-o", (dir.Path() / "x").string()});
            }
            const auto r = RunProcess(argv, options);
            ASSERT_FALSE(r.hung) << command << " blocked on " << k.path;
            EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
            EXPECT_TRUE(Contains(r.err, k.said)) << command << ": " << r.err;
            EXPECT_EQ(r.out, "");
        }
        // The window's --lesson: said before any display is needed.
        const auto gui = RunProcess({SOCKSTEP_BINARY, "--lesson", k.path.string()}, options);
        ASSERT_FALSE(gui.hung) << "--lesson blocked on " << k.path;
        EXPECT_EQ(gui.exit_code, 2) << gui.err;
        EXPECT_TRUE(Contains(gui.err, k.said)) << gui.err;
    }
    EXPECT_FALSE(fs::exists(dir.Path() / "x"));
}

TEST(FaultCli, LogsOfTheWrongKindAreRefusedWithoutBlocking) {
    TempDir dir;
    for (const WrongKind& k : WrongKinds(dir)) {
        SCOPED_TRACE(k.name);
        ProcessOptions options;
        options.env = {kEnv[0], "DISPLAY=:4242", "WAYLAND_DISPLAY",
                       "XDG_CONFIG_HOME=" + dir.Path().string()};
        const auto r = RunProcess({SOCKSTEP_BINARY, "--open-log", k.path.string()}, options);
        ASSERT_FALSE(r.hung) << "--open-log blocked on " << k.path;
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_TRUE(Contains(r.err, k.path.string() + ": cannot read the file: ")) << r.err;
        EXPECT_TRUE(Contains(r.err, k.said)) << r.err;
        EXPECT_FALSE(Contains(r.err, "display")) << r.err;
    }
}

// ---- hostile logs for --open-log ------------------------------------------------------------

TEST(FaultCli, OpenLogRefusesHostileLogsBeforeAnyWindow) {
    const auto traced =
        RunProcess({SOCKSTEP_BINARY, "trace", "--lesson", "handshake", "--json"}, kEnv);
    ASSERT_EQ(traced.exit_code, 0) << traced.err;
    std::vector<std::string> lines;
    {
        std::istringstream in(traced.out);
        for (std::string l; std::getline(in, l);) lines.push_back(l);
    }
    ASSERT_GE(lines.size(), 10u);
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& l : v) s += l + "\n";
        return s;
    };
    struct Bad {
        std::string name;
        std::string text;
        int line;
    };
    std::vector<Bad> bad;
    {
        auto v = lines;
        v[4] = v[4].substr(0, v[4].size() / 3);
        bad.push_back({"cut.jsonl", join(v), 5});
    }
    {
        auto v = lines;
        v[6].insert(10, std::string("\0", 1));
        bad.push_back({"nul.jsonl", join(v), 7});
    }
    {
        auto v = lines;
        v[2].insert(2, "\xff\xfe");
        bad.push_back({"utf8.jsonl", join(v), 3});
    }
    {
        auto v = lines;
        v[1] = std::string(100000, '[');
        bad.push_back({"deep.jsonl", join(v), 2});
    }
    {
        auto v = lines;
        v[3] = "{\"message\":\"" + std::string(10 << 20, 'x') + "\"}";
        bad.push_back({"ten-mb.jsonl", join(v), 4});
    }
    {
        auto v = lines;
        const size_t seq = v[8].find("\"seq\":");
        v[8].replace(seq, 6, "\"seq\":1e99999,\"x\":");
        bad.push_back({"huge.jsonl", join(v), 9});
    }
    bad.push_back({"elf.jsonl",
                   std::string("\x7f"
                               "ELF\x02\x01\x01\0",
                               8),
                   1});

    TempDir dir;
    for (const Bad& b : bad) {
        SCOPED_TRACE(b.name);
        const fs::path file = dir.Write(b.name, b.text);
        // A display that does not exist: the log is read before any window, so a bad log must
        // be the message, never the display.
        const auto r = RunProcess({SOCKSTEP_BINARY, "--open-log", file.string()},
                                  {kEnv[0], "DISPLAY=:4242", "WAYLAND_DISPLAY",
                                   "XDG_CONFIG_HOME=" + dir.Path().string()});
        EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 500);
        EXPECT_TRUE(Contains(r.err, file.string() + ":" + std::to_string(b.line) + ": "))
            << r.err.substr(0, 500);
        EXPECT_FALSE(Contains(r.err, ": line " + std::to_string(b.line) + ": "))
            << "the line is said once: " << r.err.substr(0, 500);
        EXPECT_FALSE(Contains(r.err, "display")) << r.err.substr(0, 500);
    }
    // The uncorrupted log passes the reader and only then meets the missing display.
    const fs::path good = dir.Write("good.jsonl", traced.out);
    const auto r = RunProcess(
        {SOCKSTEP_BINARY, "--open-log", good.string()},
        {kEnv[0], "DISPLAY=:4242", "WAYLAND_DISPLAY", "XDG_CONFIG_HOME=" + dir.Path().string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Contains(r.err, "cannot open the display")) << r.err;
}

}  // namespace
}  // namespace sockstep::testing
