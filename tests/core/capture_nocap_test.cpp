// A Session in a process without CAP_NET_RAW: it says plainly that packet capture is off, why,
// and the command that allows it; a whole lesson still runs with every expectation held; and the
// log holds no packet at all (nothing is drawn from a guess).
//
// The capability is dropped with capset(2) in a forked child, so the test means the same as root
// (CI) and as a normal user (who has no CAP_NET_RAW to begin with).
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <variant>

#include "../support/without_net_raw.h"
#include "sockstep/core/capture.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"

namespace sockstep::core {
namespace {

const std::filesystem::path kAssets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Everything the child checks; "" when all held, else what did not.
std::string CheckWithoutCapability() {
    std::string problems;
    auto check = [&](bool ok, const std::string& what) {
        if (!ok) problems += what + "\n";
    };
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
    const testsupport::ChildResult r = testsupport::RunWithoutNetRaw(CheckWithoutCapability);
    ASSERT_TRUE(r.exited) << "the child died: " << r.problems;
    EXPECT_EQ(r.code, 0) << r.problems;
    EXPECT_EQ(r.problems, "");
}

}  // namespace
}  // namespace sockstep::core
