// The trace's line for a blocked call says where the kernel has the thread sleep, or, when the
// kernel did not let sockstep see it (a Blocked event without evidence, core/src/session.cpp),
// says exactly that: never an empty "<blocked in the kernel>" that looks like a full answer.
#include <string>

#include <gtest/gtest.h>

#include "trace_format.h"

namespace sockstep::app {
namespace {

core::Event BlockedAccept() {
    core::Event e;
    e.actor = 0;
    e.actor_name = "server";
    e.step = 3;
    e.phase = core::Phase::kBlocked;
    e.request.call = core::CallKind::kAccept;
    e.request.socket = "listener";
    e.request.result = "conn";
    return e;
}

TEST(TraceBlockedLine, NamesTheWaitChannel) {
    core::Event e = BlockedAccept();
    e.blocked = core::BlockEvidence{43, "accept", 3, "inet_csk_accept"};
    EXPECT_EQ(FormatEventLine(e, core::Lang::kEn, false, 6, 4),
              "[ 4] server  accept(listener) = ? <blocked in the kernel: inet_csk_accept>");
}

TEST(TraceBlockedLine, TheWaitChannelAloneIsEnough) {
    core::Event e = BlockedAccept();
    e.blocked = core::BlockEvidence{-1, "", -1, "inet_csk_accept"};
    EXPECT_EQ(FormatEventLine(e, core::Lang::kEn, false, 6, 4),
              "[ 4] server  accept(listener) = ? <blocked in the kernel: inet_csk_accept>");
}

TEST(TraceBlockedLine, SaysWhenTheKernelHidWhereTheThreadSleeps) {
    const core::Event e = BlockedAccept();
    EXPECT_EQ(FormatEventLine(e, core::Lang::kEn, false, 6, 4),
              "[ 4] server  accept(listener) = ? <blocked in the kernel: the kernel did not let "
              "sockstep see where the thread sleeps>");
    const std::string ko = FormatEventLine(e, core::Lang::kKo, false, 6, 4);
    EXPECT_NE(ko.find("보여 주지 않았습니다"), std::string::npos) << ko;
}

}  // namespace
}  // namespace sockstep::app
