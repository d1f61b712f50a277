// A Session in a process without CAP_NET_RAW: it says plainly that packet capture is off, why,
// and the command that allows it; a whole lesson still runs with every expectation held; and the
// log holds no packet at all (nothing is drawn from a guess).
//
// The capability is dropped with capset(2) in a forked child, so the test means the same as root
// (CI) and as a normal user (who has no CAP_NET_RAW to begin with).
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <variant>

#include "sockstep/core/capture.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"

namespace sockstep::core {
namespace {

const std::filesystem::path kAssets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";

// capset(2) without libcap: clears CAP_NET_RAW from the effective, permitted and inheritable
// sets of the calling thread (the forked child has only one). "" on success.
std::string DropNetRaw() {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return std::string("capget: ") + strerror(errno);
    const unsigned word = CAP_NET_RAW / 32;
    const unsigned bit = 1u << (CAP_NET_RAW % 32);
    data[word].effective &= ~bit;
    data[word].permitted &= ~bit;
    data[word].inheritable &= ~bit;
    if (syscall(SYS_capset, &header, data) != 0) return std::string("capset: ") + strerror(errno);
    return "";
}

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Everything the child checks; "" when all held, else what did not.
std::string CheckWithoutCapability() {
    std::string problems;
    auto check = [&](bool ok, const std::string& what) {
        if (!ok) problems += what + "\n";
    };
    if (const std::string error = DropNetRaw(); !error.empty()) return "dropping failed: " + error;
    const int probe = socket(AF_PACKET, SOCK_DGRAM, 0);
    if (probe >= 0) {
        close(probe);
        return "an AF_PACKET socket still opens after dropping CAP_NET_RAW";
    }
    check(errno == EPERM,
          std::string("AF_PACKET without CAP_NET_RAW: expected EPERM, got ") + strerror(errno));

    const LessonResult found = FindLesson("handshake", kAssets);
    if (!std::holds_alternative<Lesson>(found)) return "the handshake lesson was not found";
    const Lesson& lesson = std::get<Lesson>(found);
    Session session;
    const CaptureStatus status = session.Capture();
    check(!status.active, "Capture() says active without CAP_NET_RAW");
    check(status.error == EPERM, "error: expected EPERM, got " + std::to_string(status.error));
    check(Contains(status.reason, "CAP_NET_RAW"),
          "the reason does not name CAP_NET_RAW: " + status.reason);
    check(status.command.rfind("sudo setcap cap_net_raw+ep ", 0) == 0,
          "unexpected command: " + status.command);
    check(Contains(status.reason, status.command), "the reason does not give the command");

    AddActors(session, lesson);
    session.SetScript(ToScript(lesson));
    check(session.RunToEnd() == StepOutcome::kNoMoreSteps, "the lesson did not run to the end");
    const LogView log = session.Log();
    int checked = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        const Event& e = log[i];
        check(e.phase != Phase::kPacket && !e.packet,
              "a packet event without capture at " + std::to_string(i));
        if (e.phase != Phase::kReturn || e.step < 0) {
            check(e.phase != Phase::kRefused && e.phase != Phase::kInterrupted,
                  "step " + std::to_string(e.step) + " did not return");
            continue;
        }
        const LessonStep& step = lesson.steps[static_cast<size_t>(e.step)];
        if (!step.expect) continue;
        const ExpectCheck result = CheckExpect(*step.expect, e, log);
        ++checked;
        check(result.held, "step " + std::to_string(e.step + 1) + ": expected " + result.expected +
                               ", got " + result.actual);
    }
    check(checked > 5, "only " + std::to_string(checked) + " expectations were checked");
    session.Reset();
    check(!session.Capture().active, "Reset() changed the capture status");
    return problems;
}

TEST(CaptureWithoutCapability, SaysSoAndTheLessonStillRuns) {
    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(report[0]);
        const std::string problems = CheckWithoutCapability();
        size_t written = 0;
        while (written < problems.size()) {
            const ssize_t n =
                write(report[1], problems.data() + written, problems.size() - written);
            if (n <= 0) break;
            written += static_cast<size_t>(n);
        }
        close(report[1]);
        _exit(problems.empty() ? 0 : 1);
    }
    close(report[1]);
    std::string problems;
    char buffer[512];
    for (ssize_t n; (n = read(report[0], buffer, sizeof buffer)) > 0;) {
        problems.append(buffer, static_cast<size_t>(n));
    }
    close(report[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "the child died: " << problems;
    EXPECT_EQ(WEXITSTATUS(status), 0) << problems;
    EXPECT_EQ(problems, "");
}

}  // namespace
}  // namespace sockstep::core
