// What the kernel holds, shown as it holds it, also between calls (issue #12, items 1 and 2):
// a descriptor that reads CLOSE while its connection lives on as TIME-WAIT shows both, as
// sock_diag (what `ss -tan` reads) has them; and a change the kernel makes with no call running
// (an ACK that moves FIN-WAIT-1 to FIN-WAIT-2, a SYN resent) is logged as a "kernel" event with
// its own snapshot. Every wait is for a positive signal from the kernel, with a hang guard.
#include <set>

#include "session_helpers.h"
#include "sockstep/core/kernel_probe.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionKernelTest : public SessionTest {
  protected:
    // listener, client and the accepted "conn", all ESTAB.
    void Connect(const std::string& suffix = "") {
        if (m_srv < 0) m_srv = AddServer();
        if (m_cli < 0) m_cli = AddClient();
        const std::string listener = "listener" + suffix;
        ASSERT_EQ(Do(S(), m_srv, MakeSocket(listener)).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind(listener)).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen(listener)).err, 0);
        const Event c = Do(S(), m_cli, MakeSocket("client" + suffix));
        ASSERT_EQ(c.err, 0);
        m_client_id = c.result_socket_id;
        ASSERT_EQ(Do(S(), m_cli, MakeConnect("client" + suffix, listener)).err, 0);
        const Event a = Do(S(), m_srv, MakeAccept(listener, "conn" + suffix));
        ASSERT_EQ(a.err, 0);
        m_conn_id = a.result_socket_id;
    }

    // Waits until some event of the log satisfies `match`; returns its index.
    std::optional<size_t> WaitForEvent(const std::function<bool(const Event&)>& match,
                                       size_t from = 0) {
        std::optional<size_t> found;
        WaitUntil(
            [&] {
                const LogView log = S().Log();
                for (size_t i = from; i < log.size(); ++i) {
                    if (match(log[i])) {
                        found = i;
                        return true;
                    }
                }
                return false;
            },
            20s);  // a hang guard only: the kernel answers in milliseconds
        return found;
    }

    int m_srv = -1;
    int m_cli = -1;
    int m_client_id = -1;
    int m_conn_id = -1;
};

const SocketView* TimeWaitOf(const Snapshot& snapshot, const Endpoint& local,
                             const Endpoint& remote) {
    for (const SocketView& v : snapshot) {
        if (v.tcp_state == TcpState::kTimeWait && v.local == local && v.remote == remote) {
            return &v;
        }
    }
    return nullptr;
}

// Item 1: the client half-closes and keeps its descriptor; the server closes; the server's FIN
// moves the client's connection into a TIME-WAIT record and the descriptor's socket reads CLOSE.
TEST_F(SessionKernelTest, HalfCloseThenPeersFinShowsDescriptorCloseAndTimeWait) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    const Snapshot connected = S().ProbeNow();
    const SocketView* before = FindSocket(connected, m_client_id);
    ASSERT_NE(before, nullptr);
    ASSERT_TRUE(before->local && before->remote) << StateName(before);
    const Endpoint local = *before->local;
    const Endpoint remote = *before->remote;

    ASSERT_EQ(Do(S(), m_cli, MakeShutdown("client", ShutHow::kWr)).err, 0);
    ASSERT_TRUE(WaitForState(S(), "conn", TcpState::kCloseWait, 20s));
    ASSERT_EQ(Do(S(), m_srv, MakeClose("conn")).err, 0);

    // Both truths, in the session's view.
    std::optional<Snapshot> shown;
    ASSERT_TRUE(WaitUntil(
        [&] {
            const Snapshot now = S().ProbeNow();
            if (TimeWaitOf(now, local, remote) == nullptr) return false;
            shown = now;
            return true;
        },
        20s))
        << "the client's TIME-WAIT is never shown";
    const SocketView* fd_socket = OpenSocket(*shown, "client");
    ASSERT_NE(fd_socket, nullptr) << "the client's descriptor vanished from the view";
    EXPECT_EQ(fd_socket->id, m_client_id);
    EXPECT_GE(fd_socket->fd, 0);
    EXPECT_EQ(fd_socket->tcp_state, TcpState::kClose) << StateName(fd_socket);
    EXPECT_FALSE(fd_socket->remote) << "getpeername() fails on it now: no peer to show";
    const SocketView* tw = TimeWaitOf(*shown, local, remote);
    EXPECT_EQ(tw->owner, Owner::kKernel);
    EXPECT_EQ(tw->fd, -1);
    EXPECT_EQ(tw->actor, m_cli) << "drawn with the actor whose descriptor it came from";
    EXPECT_NE(tw->id, m_client_id) << "a card of its own beside the descriptor's";
    EXPECT_GT(tw->timer_ms, 0) << "TIME-WAIT runs its 60 s timer";
    EXPECT_LE(tw->timer_ms, 60000);

    // The same as sock_diag (what `ss -tan` reads) has: every connection on the session's
    // ports appears, in the state the kernel gives it.
    const auto dumped = DumpSockets({local.port, remote.port}, true, false);
    ASSERT_TRUE(dumped);
    bool kernel_has_tw = false;
    const Snapshot now = S().ProbeNow();
    for (const DiagEntry& d : *dumped) {
        // TIME-WAIT lasts 60 s: stable between the dump and the probe (LAST-ACK is not).
        if (d.state != TcpState::kTimeWait) continue;
        const bool ours =
            (d.local == local && d.remote == remote) || (d.local == remote && d.remote == local);
        if (!ours) continue;
        if (d.local == local && d.remote == remote) kernel_has_tw = true;
        bool listed = false;
        for (const SocketView& v : now) {
            listed =
                listed || (v.local == d.local && v.remote == d.remote && v.tcp_state == d.state);
        }
        EXPECT_TRUE(listed) << FormatEndpoint(d.local) << " - " << FormatEndpoint(d.remote) << " "
                            << (d.state ? TcpStateName(*d.state) : "?")
                            << " is held by the kernel but not shown";
    }
    EXPECT_TRUE(kernel_has_tw) << "sock_diag has no TIME-WAIT for the client's pair";

    // Closing the descriptor afterwards keeps the TIME-WAIT shown (the pair is remembered).
    ASSERT_EQ(Do(S(), m_cli, MakeClose("client")).err, 0);
    EXPECT_NE(TimeWaitOf(S().ProbeNow(), local, remote), nullptr)
        << "the TIME-WAIT vanished from the view when its descriptor was closed";
}

// Item 2: after close() the peer's ACK of the FIN may come after the call returned (a delayed
// ACK once the connection has exchanged data). Then FIN-WAIT-1 -> FIN-WAIT-2 happens with no
// call running, and must be logged as a kernel event with its own snapshot. Where the ACK came
// inside close() (the Return already shows FIN-WAIT-2) the connection is made again, until the
// kernel delays it.
TEST_F(SessionKernelTest, FinWait1ToFinWait2AfterCloseIsAKernelEvent) {
    bool seen = false;
    for (int attempt = 0; attempt < 20 && !seen; ++attempt) {
        const std::string n = std::to_string(attempt);
        ASSERT_NO_FATAL_FAILURE(Connect(n));
        // Request and answer: the server's end goes into delayed-ACK (ping-pong) mode.
        ASSERT_EQ(Do(S(), m_cli, MakeSend("client" + n, "ping")).ret, 4);
        ASSERT_EQ(Do(S(), m_srv, MakeRecv("conn" + n)).ret, 4);
        ASSERT_EQ(Do(S(), m_srv, MakeSend("conn" + n, "pong")).ret, 4);
        ASSERT_EQ(Do(S(), m_cli, MakeRecv("client" + n)).ret, 4);
        const Event closed = Do(S(), m_cli, MakeClose("client" + n));
        ASSERT_EQ(closed.err, 0);
        const SocketView* after_close = FindSocket(closed.sockets, m_client_id);
        ASSERT_NE(after_close, nullptr);
        const size_t close_index = static_cast<size_t>(closed.seq);
        const int id = m_client_id;
        const std::optional<size_t> fw2 = WaitForEvent(
            [&](const Event& e) {
                const SocketView* v = FindSocket(e.sockets, id);
                return v != nullptr && v->tcp_state == TcpState::kFinWait2;
            },
            close_index);
        ASSERT_TRUE(fw2) << "FIN-WAIT-2 never reached the log";
        if (after_close->tcp_state != TcpState::kFinWait1) continue;  // acknowledged inside close()
        seen = true;
        const LogView log = S().Log();
        const Event& e = log[*fw2];
        EXPECT_EQ(e.phase, Phase::kKernel) << "the change came with no call running";
        EXPECT_EQ(e.actor, -1);
        EXPECT_EQ(e.socket_id, id) << "the socket that changed";
        EXPECT_GT(after_close->outq, 0) << "the FIN was not yet acknowledged at close()'s return";
        const SocketView* v = FindSocket(e.sockets, id);
        EXPECT_EQ(v->outq, 0) << "FIN-WAIT-2: the FIN is acknowledged";
        for (size_t i = close_index + 1; i < *fw2; ++i) {
            EXPECT_NE(log[i].phase, Phase::kEnter) << "no call ran between close() and the change";
        }
        EXPECT_NE(DescribeKernelChanges(log[*fw2 - 1].sockets, e.sockets).find("FIN-WAIT-2"),
                  std::string::npos);
    }
    EXPECT_TRUE(seen) << "in 20 connections the kernel never acknowledged a FIN after close()";
}

// Item 2: a SYN resent while connect() sleeps (the listener's queue is full, so the kernel drops
// the SYN) is a kernel change too: the retransmission count goes up, with no call running.
TEST_F(SessionKernelTest, SynResentWhileConnectSleepsIsAKernelEvent) {
    m_srv = AddServer();
    m_cli = AddClient();
    const int second = AddClient("client2");
    ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeListen("listener", 0)).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("first")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("first", "listener")).err, 0);  // fills the queue
    const Event s2 = Do(S(), second, MakeSocket("waiting"));
    ASSERT_EQ(s2.err, 0);
    ASSERT_EQ(S().Call(second, MakeConnect("waiting", "listener")), StepOutcome::kBlocked);
    const int id = s2.result_socket_id;
    const std::optional<size_t> resent = WaitForEvent([&](const Event& e) {
        const SocketView* v = FindSocket(e.sockets, id);
        return e.phase == Phase::kKernel && v != nullptr && v->retransmits > 0;
    });
    ASSERT_TRUE(resent) << "the resent SYN never showed in a kernel event";
    const LogView log = S().Log();
    const SocketView* v = FindSocket(log[*resent].sockets, id);
    EXPECT_EQ(v->tcp_state, TcpState::kSynSent);
    EXPECT_EQ(log[*resent].actor, -1);
    S().Reset();  // wakes the sleeping connect()
}

}  // namespace
}  // namespace sockstep::core::sessiontest
