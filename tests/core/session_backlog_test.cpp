// A full accept queue, through the Session: listen(fd, 1) holds backlog+1 = 2 completed
// connections; a third client's SYN is dropped, so it stays in SYN-SENT, resending its SYN
// (retransmits > 0), and with TCP_SYNCNT=1 its blocking connect() fails with ETIMEDOUT after
// about 3 s. This is the one slow test of the suite; it runs once.
#include <sys/syscall.h>

#include <cerrno>
#include <chrono>
#include <iostream>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionBacklogTest : public SessionTest {};

TEST_F(SessionBacklogTest, ThirdClientStaysInSynSentThenTimesOut) {
    const int srv = AddServer();
    const int c1 = AddClient("client1");
    const int c2 = AddClient("client2");
    const int c3 = AddClient("client3");
    ASSERT_EQ(Do(S(), srv, MakeSocket("listener")).err, 0);
    ASSERT_EQ(Do(S(), srv, MakeBind("listener")).err, 0);
    Event e = Do(S(), srv, MakeListen("listener", 1));
    ASSERT_EQ(e.err, 0);
    EXPECT_EQ(OpenSocket(e.sockets, "listener")->backlog, 1);

    ASSERT_EQ(Do(S(), c1, MakeSocket("c1")).err, 0);
    ASSERT_EQ(Do(S(), c1, MakeConnect("c1", "listener")).err, 0);
    ASSERT_EQ(Do(S(), c2, MakeSocket("c2")).err, 0);
    e = Do(S(), c2, MakeConnect("c2", "listener"));
    ASSERT_EQ(e.err, 0);
    EXPECT_EQ(OpenSocket(e.sockets, "listener")->accept_queue, 2) << "backlog 1 holds 2";

    const Event created = Do(S(), c3, MakeSocket("c3"));
    ASSERT_EQ(created.err, 0);
    const int c3_fd = static_cast<int>(created.ret);
    ASSERT_EQ(Do(S(), c3, MakeSetsockopt("c3", SockOpt::kTcpSyncnt, 1)).err, 0);
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(S().Call(c3, MakeConnect("c3", "listener")), StepOutcome::kBlocked)
        << "the third connect() should wait: its SYN is dropped";
    const Event blocked = S().Log().back();
    ASSERT_EQ(blocked.phase, Phase::kBlocked);
    ASSERT_TRUE(blocked.blocked);
    EXPECT_EQ(blocked.blocked->syscall, "connect");
    EXPECT_EQ(blocked.blocked->syscall_nr, SYS_connect);
    EXPECT_EQ(blocked.blocked->fd_arg, c3_fd);
    EXPECT_FALSE(blocked.blocked->wchan.empty());
    EXPECT_EQ(StateName(OpenSocket(blocked.sockets, "c3")), "SYN-SENT");
    EXPECT_EQ(OpenSocket(blocked.sockets, "listener")->accept_queue, 2);
    EXPECT_EQ(S().Actors()[static_cast<size_t>(c3)].activity, ActorActivity::kBlocked);

    // Live, between logged events: the SYN is resent.
    const std::optional<SocketView> resent = WaitForSocket(
        S(),
        [](const SocketView& v) {
            return v.name == "c3" && v.tcp_state == TcpState::kSynSent && v.retransmits > 0;
        },
        3s);
    EXPECT_TRUE(resent) << "no SYN retransmission seen while SYN-SENT";

    ASSERT_TRUE(WaitActorIdle(S(), c3, 15s)) << "connect() with TCP_SYNCNT=1 never gave up";
    const auto waited = std::chrono::steady_clock::now() - started;
    const std::optional<Event> r = LastReturnOf(S().Log(), c3);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->phase, Phase::kReturn);
    EXPECT_EQ(r->ret, -1);
    EXPECT_EQ(r->err, ETIMEDOUT) << ErrnoName(r->err);
    EXPECT_FALSE(r->mismatch) << "the prediction depends on a listener taking the connection";
    EXPECT_FALSE(r->predicted.depends.empty());
    EXPECT_EQ(StateName(OpenSocket(r->sockets, "c3")), "CLOSE");
    std::cout << "[ measured ] connect() ETIMEDOUT with TCP_SYNCNT=1 after "
              << r->duration_us / 1000 << " ms (engine duration), "
              << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()
              << " ms wall\n";
    RecordProperty("etimedout_ms", static_cast<int>(r->duration_us / 1000));
}

}  // namespace
}  // namespace sockstep::core::sessiontest
