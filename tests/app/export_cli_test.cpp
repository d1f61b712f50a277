// `sockstep export`, run as the real binary: bad input (an unknown lesson, a bad format, no -o,
// a lesson that cannot be C programs) is named and exits 2 with nothing written; an existing
// file is never replaced without --force; only the files asked for are written; the JSON export
// reads back with core::ReadJsonLines; the diagrams of a real run show the captured packets when
// this machine may capture them, and say why not otherwise.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <variant>

#include "run_process.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/core/trace_json.h"
#include "user_namespace.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";

class ExportCli : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "export-cli" /
                ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }

    static ProcessResult Export(std::vector<std::string> args) {
        std::vector<std::string> argv = {SOCKSTEP_BINARY, "export"};
        argv.insert(argv.end(), args.begin(), args.end());
        return RunProcess(argv, {"SOCKSTEP_ASSETS=" + kAssets});
    }
    static std::string Read(const fs::path& file) {
        std::ifstream in(file);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::set<std::string> Entries(const fs::path& dir) const {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename());
        return out;
    }
    static bool Has(const std::string& text, const std::string& part) {
        return text.find(part) != std::string::npos;
    }

    fs::path m_dir;
};

TEST_F(ExportCli, BadInputIsNamedAndNothingIsWritten) {
    const std::string out = (m_dir / "out").string();
    ProcessResult r = Export({"--lesson", "no-such-lesson", "--format", "c", "-o", out});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "no-such-lesson")) << r.err;
    EXPECT_TRUE(Has(r.err, "handshake")) << "the message lists the built-in lessons: " << r.err;

    r = Export({"--lesson", "handshake", "--format", "png", "-o", out});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "--format")) << r.err;
    EXPECT_TRUE(Has(r.err, "png")) << r.err;

    r = Export({"--lesson", "handshake", "--format", "svg"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "--output")) << r.err;

    r = Export(
        {"--lesson", "handshake", "--format", "svg", "-o", (m_dir / "missing" / "x.svg").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "does not exist")) << r.err;

    EXPECT_TRUE(Entries(m_dir).empty());
}

// Issue #12 item 10: `-o X --force` replaced device nodes and symlinks (as root, `-o /dev/full`
// would replace the system's node). Only a regular file is ever replaced; the refusal comes
// before the lesson runs, and what was at the path is untouched.
TEST_F(ExportCli, NeverReplacesAnythingButARegularFileEvenWithForce) {
    struct stat before {};
    ASSERT_EQ(stat("/dev/full", &before), 0);
    const fs::path kept = m_dir / "kept.svg";
    { std::ofstream(kept) << "the teacher's file"; }
    const fs::path link = m_dir / "link.svg";
    fs::create_symlink(kept, link);
    const fs::path fifo = m_dir / "fifo.svg";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const fs::path dangling = m_dir / "dangling.svg";
    fs::create_symlink(m_dir / "nowhere.svg", dangling);
    struct Case {
        fs::path path;
        std::string kind;
    };
    const Case cases[] = {{"/dev/full", "a character device"},
                          {"/dev/null", "a character device"},
                          {link, "a symbolic link"},
                          {dangling, "a symbolic link"},
                          {fifo, "a FIFO (named pipe)"}};
    for (const Case& c : cases) {
        for (const std::string format : {"svg", "mermaid", "json"}) {
            ProcessOptions options;
            options.env = {"SOCKSTEP_ASSETS=" + kAssets};
            const auto r = RunProcess({SOCKSTEP_BINARY, "export", "--lesson", "handshake",
                                       "--format", format, "-o", c.path.string(), "--force"},
                                      options);
            ASSERT_FALSE(r.hung) << c.path;
            EXPECT_EQ(r.exit_code, 2) << c.path << ": " << r.err;
            EXPECT_TRUE(Has(r.err, "'" + c.path.string() + "' is " + c.kind +
                                       "; sockstep writes only regular files"))
                << r.err;
            EXPECT_FALSE(Has(r.err, "running the lesson")) << "refused before the run: " << r.err;
            EXPECT_EQ(r.out, "");
        }
    }
    struct stat after {};
    ASSERT_EQ(stat("/dev/full", &after), 0);
    EXPECT_TRUE(S_ISCHR(after.st_mode));
    EXPECT_EQ(after.st_ino, before.st_ino);
    EXPECT_EQ(after.st_rdev, before.st_rdev);
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(Read(kept), "the teacher's file");
    EXPECT_TRUE(fs::is_fifo(fifo));
    EXPECT_TRUE(fs::is_symlink(dangling));
    EXPECT_FALSE(fs::exists(m_dir / "nowhere.svg"));
    EXPECT_EQ(Entries(m_dir),
              (std::set<std::string>{"kept.svg", "link.svg", "fifo.svg", "dangling.svg"}));
}

// With server-alone the run waits for a real client: a bad -o was said only after one came.
// Now it is said first (the hang guard would catch a run that waits).
TEST_F(ExportCli, AnUnwritablePathIsSaidBeforeTheLessonRuns) {
    const fs::path file = m_dir / "file";
    { std::ofstream(file) << "x"; }
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/nonexistent/x.svg", "the directory '/nonexistent' does not exist"},
        {(file / "x.svg").string(), "(ENOTDIR)"},
        {m_dir.string(), "is a directory"},
        {(m_dir / "exists.svg").string(), "already exists; use --force to replace it"},
    };
    { std::ofstream(m_dir / "exists.svg") << "mine"; }
    for (const auto& [path, said] : cases) {
        ProcessOptions options;
        options.env = {"SOCKSTEP_ASSETS=" + kAssets};
        const auto r = RunProcess(
            {SOCKSTEP_BINARY, "export", "--lesson", "server-alone", "--format", "svg", "-o", path},
            options);
        ASSERT_FALSE(r.hung) << "the lesson ran (and waited for a client) first: " << path;
        EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
        EXPECT_TRUE(Has(r.err, said)) << r.err;
        EXPECT_FALSE(Has(r.err, "running the lesson")) << r.err;
    }
    EXPECT_EQ(Read(m_dir / "exists.svg"), "mine");
}

// A write that fails (here: past RLIMIT_FSIZE, EFBIG, as an ordinary user can arrange; a full
// disk is ENOSPC on the same path) is reported, exits 2, and leaves no file, not even half of
// one, and no temporary file.
TEST_F(ExportCli, AFailedWriteIsReportedAndLeavesNoHalfFile) {
    for (const std::string format : {"svg", "json", "c"}) {
        SCOPED_TRACE(format);
        const fs::path out = m_dir / ("out-" + format);
        ProcessOptions options;
        options.env = {"SOCKSTEP_ASSETS=" + kAssets};
        options.file_size_limit = 100;
        const auto r = RunProcess({SOCKSTEP_BINARY, "export", "--lesson", "handshake", "--format",
                                   format, "-o", out.string()},
                                  options);
        ASSERT_FALSE(r.hung);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_TRUE(Has(r.err, "cannot write '")) << r.err;
        EXPECT_TRUE(Has(r.err, "(EFBIG)")) << r.err;
        EXPECT_FALSE(Has(r.out, "wrote")) << r.out;
    }
    // Nothing at all for svg and json; for c only the directory it made, with no file in it.
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"out-c"});
    EXPECT_TRUE(Entries(m_dir / "out-c").empty());
}

TEST_F(ExportCli, ALessonThatCannotBeProgramsSaysWhy) {
    // client2 connects to client1's socket, whose port only the kernel knows (no bind()).
    const fs::path lesson = m_dir / "peer-of-client.toml";
    std::ofstream(lesson) << R"(id = "peer-of-client"
title.en = "t"
title.ko = "t"
summary.en = "s"
summary.ko = "s"
[[actors]]
name = "server"
role = "server"
[[actors]]
name = "client1"
role = "client"
[[actors]]
name = "client2"
role = "client"
[[steps]]
actor = "server"
call = "socket"
result = "l"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "server"
call = "bind"
socket = "l"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "server"
call = "listen"
socket = "l"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "client1"
call = "socket"
result = "c1"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "client1"
call = "connect"
socket = "c1"
peer = "l"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "client2"
call = "socket"
result = "c2"
narration.en = "n"
narration.ko = "n"
[[steps]]
actor = "client2"
call = "connect"
socket = "c2"
peer = "c1"
narration.en = "n"
narration.ko = "n"
)";
    const ProcessResult r =
        Export({"--lesson", lesson.string(), "--format", "c", "-o", (m_dir / "c").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "cannot be exported as c")) << r.err;
    EXPECT_TRUE(Has(r.err, "step 7 (peer-of-client.toml:")) << r.err;
    EXPECT_TRUE(Has(r.err, "getsockname")) << r.err;
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"peer-of-client.toml"});
}

TEST_F(ExportCli, NeverReplacesWithoutForceAndJsonReadsBack) {
    const fs::path file = m_dir / "handshake.jsonl";
    std::ofstream(file) << "keep me";
    ProcessResult r = Export({"--lesson", "handshake", "--format", "json", "-o", file.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "'" + file.string() + "' already exists; use --force")) << r.err;
    EXPECT_EQ(Read(file), "keep me");

    r = Export({"--lesson", "handshake", "--format", "json", "-o", file.string(), "--force"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "wrote " + file.string() + "\n");
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"handshake.jsonl"});
    std::ifstream in(file);
    auto read = core::ReadJsonLines(in);
    ASSERT_TRUE(std::holds_alternative<std::vector<core::Event>>(read))
        << std::get<core::TraceError>(read).message;
    const auto& events = std::get<std::vector<core::Event>>(read);
    // Every step of the lesson returned, as it does in `sockstep trace`.
    std::set<int> returned;
    for (const core::Event& e : events) {
        if (e.phase == core::Phase::kReturn) returned.insert(e.step);
    }
    EXPECT_EQ(returned.size(), 10u);
}

TEST_F(ExportCli, ProgramsGoIntoTheDirectoryOnly) {
    const fs::path dir = m_dir / "programs";
    ProcessResult r =
        Export({"--lesson", "echo", "--format", "c", "-o", dir.string(), "--lang", "ko"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"programs"});
    EXPECT_EQ(Entries(dir), (std::set<std::string>{"server.c", "client.c", "README.txt"}));
    // The narration, in Korean, is in the comments.
    const auto lesson = core::FindLesson("echo", kAssets);
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(lesson));
    const std::string first = std::get<core::Lesson>(lesson).steps[0].narration.ko;
    EXPECT_TRUE(Has(Read(dir / "server.c"), first.substr(0, first.find(' ', 20))));

    r = Export({"--lesson", "echo", "--format", "c", "-o", dir.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(Has(r.err, "client.c' already exists") || Has(r.err, "server.c' already exists"))
        << r.err;
    r = Export(
        {"--lesson", "echo", "--format", "c", "-o", dir.string(), "--force", "--lang", "en"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Entries(dir), (std::set<std::string>{"server.c", "client.c", "README.txt"}));
    EXPECT_TRUE(
        Has(Read(dir / "server.c"), "the program \"server\" of the sockstep lesson \"echo\""));
}

TEST_F(ExportCli, DiagramsOfARealRunShowThePacketsWhenCaptured) {
    // An ordinary user checks the captured packets too, in a user namespace of this test's own.
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    bool capturing = false;
    {
        core::Session probe;  // the same user and capabilities as the binary
        capturing = probe.Capture().active;
    }
    const fs::path mmd = m_dir / "handshake.mmd";
    const fs::path svg = m_dir / "handshake.svg";
    ProcessResult r = Export({"--lesson", "handshake", "--format", "mermaid", "-o", mmd.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = Export({"--lesson", "handshake", "--format", "svg", "-o", svg.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(Entries(m_dir), (std::set<std::string>{"handshake.mmd", "handshake.svg"}));
    const std::string m = Read(mmd);
    const std::string s = Read(svg);
    EXPECT_EQ(m.rfind("sequenceDiagram\n", 0), 0u);
    EXPECT_TRUE(Has(m, "p0->>kernel: [4] accept(listener)"));
    EXPECT_TRUE(Has(m, "p1->>kernel: [6] connect(sock, #60;listener#62;)"));
    size_t lifelines = 0;
    for (size_t at = s.find("class=\"lifeline\""); at != std::string::npos;
         at = s.find("class=\"lifeline\"", at + 1)) {
        ++lifelines;
    }
    EXPECT_EQ(lifelines, 2u);
    if (capturing) {
        // The handshake's three segments, between the client's and the server's lifelines.
        EXPECT_TRUE(Has(m, "p1-)p0: SYN seq=0")) << m;
        EXPECT_TRUE(Has(m, "p0-)p1: SYN, ACK seq=0 ack=1")) << m;
        EXPECT_TRUE(Has(m, "p1-)p0: ACK seq=1 ack=1")) << m;
        EXPECT_TRUE(Has(s, "SYN, ACK seq=0 ack=1")) << s;
        EXPECT_FALSE(Has(m, "CAP_NET_RAW"));
    } else {
        EXPECT_FALSE(Has(m, "-)"));
        EXPECT_TRUE(Has(m, "CAP_NET_RAW"));
        EXPECT_TRUE(Has(s, "CAP_NET_RAW"));
        EXPECT_TRUE(Has(r.err, "CAP_NET_RAW")) << r.err;
    }
}

TEST_F(ExportCli, WithoutCaptureTheDiagramsSayWhy) {
    // As root, drop CAP_NET_RAW from the bounding set so the binary cannot capture; any other
    // user has no capture to begin with.
    std::vector<std::string> argv;
    if (geteuid() == 0) argv = {"setpriv", "--bounding-set=-net_raw"};
    const fs::path mmd = m_dir / "handshake.mmd";
    argv.insert(argv.end(), {SOCKSTEP_BINARY, "export", "--lesson", "handshake", "--format",
                             "mermaid", "-o", mmd.string()});
    const ProcessResult r = RunProcess(argv, {"SOCKSTEP_ASSETS=" + kAssets});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(Has(r.err, "CAP_NET_RAW")) << r.err;
    const std::string m = Read(mmd);
    EXPECT_FALSE(Has(m, "-)")) << m;
    EXPECT_TRUE(Has(m,
                    "Note over p0,p1: No packets in this log: capturing them on lo needs "
                    "CAP_NET_RAW (root)."))
        << m;
    EXPECT_TRUE(Has(m, "p0->>kernel: [4] accept(listener)"));
}

}  // namespace
}  // namespace sockstep::testing
