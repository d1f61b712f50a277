// Loopback only at the command line, end to end, with the real binary: non-loopback targets for
// `trace --connect`, and lessons that connect, bind or send to them, are refused before any
// socket exists. Each run happens inside an empty network namespace (`unshare -n` as root,
// `unshare -Urn`, with a user namespace of its own, for an ordinary user), so nothing could
// leave even if the refusal broke, and under `strace -f -e trace=%network,open,openat`,
// which proves that no AF_INET/AF_INET6 socket was even created and no name was looked up
// (no /etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf). `sockstep check` names the line and
// column of each refused address. trace_cli_test.cpp covers --connect 10.1.2.3:80 and the
// broken corpus covers 0.0.0.0, 192.168.1.10 and example.com in lessons without strace.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_process.h"
#include "user_namespace.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
const std::vector<std::string> kEnv = {"SOCKSTEP_ASSETS=" + kAssets};

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Traced {
    ProcessResult result;
    std::string calls;  // strace's log
};

// `sockstep ARGS` inside an empty network namespace, under strace.
Traced RunIsolated(const std::vector<std::string>& args, const fs::path& log) {
    std::vector<std::string> argv = testsupport::EmptyNetworkNamespaceCommand();
    argv.insert(argv.end(), {"strace", "-f", "-qq", "-e", "trace=%network,open,openat", "-o",
                             log.string(), SOCKSTEP_BINARY});
    argv.insert(argv.end(), args.begin(), args.end());
    Traced t;
    t.result = RunProcess(argv, kEnv);
    t.calls = ReadAll(log);
    fs::remove(log);
    return t;
}

void ExpectNoInetSocketAndNoLookup(const Traced& t) {
    // The log must exist and show the program ran (it opens its lesson or its locale files).
    ASSERT_FALSE(t.calls.empty()) << "strace wrote nothing: is strace installed? (never skipped)";
    EXPECT_FALSE(Contains(t.calls, "socket(AF_INET")) << t.calls;
    EXPECT_FALSE(Contains(t.calls, "connect(")) << t.calls;
    EXPECT_FALSE(Contains(t.calls, "sendto(")) << t.calls;
    for (const char* file : {"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf"}) {
        EXPECT_FALSE(Contains(t.calls, std::string("\"") + file + "\"")) << "looked up a name";
    }
}

class LoopbackOnlyCli : public ::testing::Test {
  protected:
    void SetUp() override {
        std::vector<std::string> probe_argv = testsupport::EmptyNetworkNamespaceCommand();
        probe_argv.push_back("true");
        const auto probe = RunProcess(probe_argv);
        ASSERT_EQ(probe.exit_code, 0) << "unshare " << probe_argv[1]
                                      << " failed (root needs CAP_SYS_ADMIN, an ordinary user "
                                         "unprivileged user namespaces): "
                                      << probe.err;
        m_dir = fs::temp_directory_path() /
                ("sockstep-loopback-cli-" + std::to_string(getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
};

TEST_F(LoopbackOnlyCli, ConnectTargetsOffLoopbackAreRefusedBeforeAnySocket) {
    const std::vector<std::pair<std::string, std::string>> targets = {
        {"0.0.0.0:80", "'0.0.0.0' is not a loopback address"},
        {"[::]:80", "'::' is not a loopback address"},
        {"192.168.1.10:80", "'192.168.1.10' is not a loopback address"},
        {"8.8.8.8:53", "'8.8.8.8' is not a loopback address"},
        {"[2001:4860::8888]:53", "'2001:4860::8888' is not a loopback address"},
        {"[::ffff:8.8.8.8]:53", "'::ffff:8.8.8.8' is not a loopback address"},
        {"example.com:80", "looks up no names"},
        {"localhost.example.com:80", "looks up no names"},
        {"127.1:80", "looks up no names"},
    };
    for (const auto& [target, says] : targets) {
        SCOPED_TRACE(target);
        const Traced t = RunIsolated({"trace", "--lesson", "handshake", "--connect", target},
                                     m_dir / "strace.log");
        EXPECT_EQ(t.result.exit_code, 2) << t.result.out << t.result.err;
        EXPECT_TRUE(Contains(t.result.err, "--connect " + target + ": ")) << t.result.err;
        EXPECT_TRUE(Contains(t.result.err, says)) << t.result.err;
        EXPECT_EQ(t.result.out, "");
        ExpectNoInetSocketAndNoLookup(t);
    }
}

// A lesson with one client that makes `call` to `host`.
std::string OneCallLesson(const std::string& family, const std::string& call,
                          const std::string& host) {
    std::string text = R"(id = "off-loopback"
title.ko = "밖으로"
title.en = "Off loopback"
summary.ko = "루프백이 아닌 주소"
summary.en = "A non-loopback address"
[[actors]]
name = "client"
role = "client"
family = ")" + family + R"("
[[steps]]
actor = "client"
call = "socket"
result = "s"
)";
    if (call == "sendto") text += "type = \"SOCK_DGRAM\"\n";
    text += R"(narration.ko = "소켓"
narration.en = "Socket"
[[steps]]
actor = "client"
call = ")" + call +
            R"("
socket = "s"
host = ")" + host +
            R"("
port = 53
)";
    if (call == "sendto") text += "data = \"x\"\n";
    text += "narration.ko = \"호출\"\nnarration.en = \"Call\"\n";
    return text;
}

TEST_F(LoopbackOnlyCli, LessonsAddressingTheOutsideAreRefusedByCheckAndTrace) {
    struct Case {
        std::string family;
        std::string call;
        std::string host;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"AF_INET", "connect", "8.8.8.8", "'8.8.8.8' is not a loopback address"},
        {"AF_INET", "connect", "192.168.1.10", "'192.168.1.10' is not a loopback address"},
        {"AF_INET", "connect", "0.0.0.0", "'0.0.0.0' is not a loopback address"},
        {"AF_INET6", "connect", "2001:4860::8888", "'2001:4860::8888' is not a loopback"},
        {"AF_INET6", "connect", "::", "'::' is not a loopback address"},
        {"AF_INET", "connect", "example.com", "looks up no names"},
        {"AF_INET", "bind", "8.8.8.8", "'8.8.8.8' is not a loopback address"},
        {"AF_INET6", "bind", "2001:4860::8888", "is not a loopback address"},
        {"AF_INET", "sendto", "8.8.8.8", "'8.8.8.8' is not a loopback address"},
        {"AF_INET6", "sendto", "2001:4860::8888", "is not a loopback address"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.call + " " + c.host);
        const fs::path file = m_dir / "lesson.toml";
        {
            std::ofstream out(file);
            out << OneCallLesson(c.family, c.call, c.host);
        }
        // The host line: line 20 or 21 (a UDP socket has one more line), column 8 (the value).
        const auto check = RunProcess({SOCKSTEP_BINARY, "check", file.string()}, kEnv);
        EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
        const std::string where =
            file.string() + ":" + (c.call == "sendto" ? "21" : "20") + ":8: error: ";
        EXPECT_TRUE(Contains(check.err, where)) << check.err;
        EXPECT_TRUE(Contains(check.err, c.says)) << check.err;

        const Traced t = RunIsolated({"trace", "--lesson", file.string()}, m_dir / "strace.log");
        EXPECT_EQ(t.result.exit_code, 2) << t.result.out << t.result.err;
        EXPECT_TRUE(Contains(t.result.err, where)) << t.result.err;
        EXPECT_EQ(t.result.out, "");
        ExpectNoInetSocketAndNoLookup(t);
    }
}

}  // namespace
}  // namespace sockstep::testing
