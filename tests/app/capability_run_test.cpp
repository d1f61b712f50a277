// The README's advice for packet capture, followed as printed: `setcap cap_net_raw+ep` on the
// binary, then an ordinary user runs it. The file capability makes the kernel mark the process
// non-dumpable, which once hid every /proc/self/task/<tid>/syscall file from sockstep and froze
// the trace for ever at the first blocking call (accept(), step 4 of the handshake).
//
// The test copies the binary and its lessons into a fresh directory on a mount without nosuid
// (where the capability would be dropped silently), grants the capability, and runs
// `trace --lesson handshake` as uid 65534 (as root, through setpriv) or as the user running the
// suite (through `sudo -n setcap`), behind a hang guard (timeout(1)). It first asserts, from the
// trace's own capture status, that the process really holds CAP_NET_RAW, then that the lesson
// ran to its end (exit 0) and that the handshake's packets were captured.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_process.h"

namespace {

namespace fs = std::filesystem;
using sockstep::testing::ProcessResult;
using sockstep::testing::RunProcess;

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The mount options of the file system holding `dir` (findmnt, util-linux).
std::string MountOptions(const fs::path& dir) {
    return RunProcess({"findmnt", "-no", "OPTIONS", "--target", dir.string()}).out;
}

// A fresh directory that uid 65534 can enter, on a mount where file capabilities count.
fs::path FreshDirectoryWithoutNosuid(std::string& tried) {
    for (const fs::path& base :
         {fs::path("/tmp"), fs::path("/var/tmp"), fs::path(SOCKSTEP_TEST_OUTPUT_DIR)}) {
        const std::string options = MountOptions(base);
        tried += "  " + base.string() + ": " + (options.empty() ? "(findmnt failed)\n" : options);
        if (options.empty() || Contains(options, "nosuid")) continue;
        std::string pattern = (base / "sockstep-setcap-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) continue;
        chmod(pattern.c_str(), 0755);
        return pattern;
    }
    return {};
}

class CapabilityRun : public ::testing::Test {
  protected:
    void TearDown() override {
        std::error_code ignored;
        if (!m_dir.empty()) fs::remove_all(m_dir, ignored);
    }
    fs::path m_dir;
};

TEST_F(CapabilityRun, TraceRunsToTheEndWithTheFileCapabilityAsAnOrdinaryUser) {
    const bool root = geteuid() == 0;
    // Granting a file capability needs root: as another user the suite asks sudo, never for a
    // password (there may be no terminal), and otherwise fails saying what it needs.
    std::vector<std::string> setcap = {"setcap", "cap_net_raw+ep"};
    if (!root) {
        const ProcessResult sudo = RunProcess({"sudo", "-n", "true"});
        ASSERT_EQ(sudo.exit_code, 0)
            << "this test grants CAP_NET_RAW to a copy of sockstep with setcap, which needs root: "
               "run the suite as root (CI does), or as a user for whom `sudo -n setcap` works "
               "without a password (sudo said: "
            << sudo.err << ")";
        setcap.insert(setcap.begin(), {"sudo", "-n"});
    }

    std::string tried;
    m_dir = FreshDirectoryWithoutNosuid(tried);
    ASSERT_FALSE(m_dir.empty()) << "no directory on a mount without nosuid:\n" << tried;
    const fs::path binary = m_dir / "sockstep";
    fs::copy_file(SOCKSTEP_BINARY, binary);
    fs::copy(fs::path(SOCKSTEP_SOURCE_DIR) / "assets", m_dir / "assets",
             fs::copy_options::recursive);
    setcap.push_back(binary.string());
    const ProcessResult granted = RunProcess(setcap);
    ASSERT_EQ(granted.exit_code, 0) << "setcap failed (libcap2-bin): " << granted.err;
    const ProcessResult shown = RunProcess({"getcap", binary.string()});
    ASSERT_TRUE(Contains(shown.out, "cap_net_raw=ep")) << shown.out << shown.err;

    // Through a shell, as from a terminal: the shell holds no capability, so exec'ing the
    // binary raises the permitted set and the kernel makes the process non-dumpable.
    std::vector<std::string> command = {"timeout", "--kill-after=5", "120"};
    if (root) {
        command.insert(command.end(),
                       {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    }
    command.insert(command.end(), {"/bin/sh", "-c", "exec \"$0\" \"$@\"", binary.string(), "trace",
                                   "--lesson", "handshake", "--lang", "en"});
    const ProcessResult r = RunProcess(command);
    // First: the capability really reached the process (a nosuid mount, or a kernel ignoring
    // file capabilities, would make this run prove nothing).
    ASSERT_FALSE(Contains(r.out + r.err, "Packet capture is off"))
        << "the copy did not hold CAP_NET_RAW\n"
        << r.out << r.err;
    ASSERT_NE(r.exit_code, 124) << "hang guard: the trace did not end within 120 s\n"
                                << r.out << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(Contains(r.out, "accept(listener) = ? <blocked in the kernel: inet_csk_accept>"))
        << r.out;
    EXPECT_TRUE(Contains(r.out, "[SYN] seq=0")) << "no packet was captured\n" << r.out;
    EXPECT_TRUE(Contains(r.out, "[SYN, ACK] seq=0 ack=1")) << r.out;
}

}  // namespace
