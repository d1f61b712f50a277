// KernelChanges / DescribeKernelChanges / KernelWillMove: what counts as the kernel changing a
// socket on its own (a kernel event), on hand-built snapshots; the real kernel's changes are
// in session_kernel_test.cpp.
#include <gtest/gtest.h>

#include "sockstep/core/snapshot.h"

namespace sockstep::core {
namespace {

SocketView Conn(int id, TcpState state, int outq = 0, int timer_ms = -1) {
    SocketView v;
    v.id = id;
    v.name = "conn";
    v.fd = 5;
    v.tcp_state = state;
    v.local = Endpoint{Family::kInet, "127.0.0.1", 5000};
    v.remote = Endpoint{Family::kInet, "127.0.0.1", 41532};
    v.inq = 0;
    v.outq = outq;
    v.timer_ms = timer_ms;
    return v;
}

TEST(KernelChanges, StateAndQueueChangesCount) {
    const Snapshot before{Conn(2, TcpState::kFinWait1, 1, 200)};
    const Snapshot after{Conn(2, TcpState::kFinWait2, 0, 59000)};
    EXPECT_EQ(KernelChanges(before, after), std::vector<int>{2});
    EXPECT_EQ(DescribeKernelChanges(before, after), "conn FIN-WAIT-1 -> FIN-WAIT-2, send-q 1 -> 0");
}

TEST(KernelChanges, TheTimerCountingDownIsNoChange) {
    const Snapshot before{Conn(2, TcpState::kTimeWait, 0, 59000)};
    const Snapshot after{Conn(2, TcpState::kTimeWait, 0, 41000)};
    EXPECT_TRUE(KernelChanges(before, after).empty());
    EXPECT_EQ(DescribeKernelChanges(before, after), "");
    // A timer starting or stopping is a change.
    const Snapshot stopped{Conn(2, TcpState::kTimeWait, 0, -1)};
    EXPECT_EQ(KernelChanges(before, stopped), std::vector<int>{2});
    EXPECT_EQ(DescribeKernelChanges(before, stopped), "conn TIME-WAIT, timer off");
}

TEST(KernelChanges, SocketsAppearingAndGoingCount) {
    SocketView tw = Conn(7, TcpState::kTimeWait, 0, 60000);
    tw.name.clear();
    tw.fd = -1;
    const Snapshot before{Conn(2, TcpState::kEstablished), tw};
    const Snapshot after{Conn(2, TcpState::kEstablished)};
    EXPECT_EQ(KernelChanges(before, after), std::vector<int>{7});
    EXPECT_EQ(DescribeKernelChanges(before, after),
              "127.0.0.1:5000-127.0.0.1:41532 TIME-WAIT gone");
    EXPECT_EQ(DescribeKernelChanges(after, before), "127.0.0.1:5000-127.0.0.1:41532 new TIME-WAIT");
}

TEST(KernelChanges, WillMoveOnlyWhereTheKernelActsAlone) {
    EXPECT_FALSE(KernelWillMove(Snapshot{Conn(2, TcpState::kEstablished)}));
    EXPECT_FALSE(KernelWillMove(Snapshot{Conn(2, TcpState::kCloseWait)}));
    EXPECT_FALSE(KernelWillMove(Snapshot{}));
    EXPECT_TRUE(KernelWillMove(Snapshot{Conn(2, TcpState::kEstablished, 3)}))
        << "bytes unacknowledged: an ACK or a retransmission is due";
    EXPECT_FALSE(KernelWillMove(Snapshot{Conn(2, TcpState::kClose, 1)}))
        << "a failed connect()'s leftover SIOCOUTQ: nothing will acknowledge it";
    for (const TcpState s :
         {TcpState::kSynSent, TcpState::kSynRecv, TcpState::kFinWait1, TcpState::kFinWait2,
          TcpState::kClosing, TcpState::kLastAck, TcpState::kTimeWait}) {
        EXPECT_TRUE(KernelWillMove(Snapshot{Conn(2, s)})) << TcpStateName(s);
    }
}

}  // namespace
}  // namespace sockstep::core
