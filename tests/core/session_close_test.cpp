// Tearing connections down, through the Session, asserted on the kernel's states: an active
// close goes FIN-WAIT then TIME-WAIT (with its timer, fd-less, same card) while the peer sits in
// CLOSE-WAIT; close() with unread data, and close() with SO_LINGER {1,0}, send RST and the peer's
// recv() gives ECONNRESET; send() after the peer closed succeeds once (provoking the RST) and
// then gives EPIPE, without SIGPIPE killing the process.
#include <cerrno>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionCloseTest : public SessionTest {
  protected:
    // listener, client and the accepted "conn", all ESTAB.
    void Connect() {
        m_srv = AddServer();
        m_cli = AddClient();
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener")).err, 0);
        const Event c = Do(S(), m_cli, MakeSocket("client"));
        ASSERT_EQ(c.err, 0);
        m_client_id = c.result_socket_id;
        ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
        const Event a = Do(S(), m_srv, MakeAccept("listener", "conn"));
        ASSERT_EQ(a.err, 0);
        m_conn_id = a.result_socket_id;
    }

    int m_srv = -1;
    int m_cli = -1;
    int m_client_id = -1;
    int m_conn_id = -1;
};

TEST_F(SessionCloseTest, ActiveCloseGoesThroughFinWaitToTimeWait) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    const Event closed = Do(S(), m_cli, MakeClose("client"));
    ASSERT_EQ(closed.err, 0);
    // No descriptor holds the client any more, but the kernel still has it: same card.
    const SocketView* client = FindSocket(closed.sockets, m_client_id);
    ASSERT_NE(client, nullptr) << "the closed client vanished from the snapshot";
    EXPECT_EQ(client->name, "client");
    EXPECT_EQ(client->fd, -1);
    EXPECT_EQ(client->owner, Owner::kKernel);
    EXPECT_EQ(client->api_state, ApiState::kClosed);
    EXPECT_TRUE(client->tcp_state == TcpState::kFinWait1 ||
                client->tcp_state == TcpState::kFinWait2)
        << StateName(client);

    // The peer got the FIN: CLOSE-WAIT, until it closes too.
    const std::optional<SocketView> conn = WaitForState(S(), "conn", TcpState::kCloseWait);
    ASSERT_TRUE(conn) << "the server end never reached CLOSE-WAIT";
    EXPECT_EQ(conn->id, m_conn_id);
    EXPECT_EQ(conn->api_state, ApiState::kConnected) << "API state: the server did nothing yet";
    const std::optional<SocketView> fw2 = WaitForState(S(), "client", TcpState::kFinWait2);
    ASSERT_TRUE(fw2) << "the client never reached FIN-WAIT-2 (its FIN was never acknowledged)";
    EXPECT_EQ(fw2->id, m_client_id);

    ASSERT_EQ(Do(S(), m_srv, MakeClose("conn")).err, 0);
    const std::optional<SocketView> tw = WaitForState(S(), "client", TcpState::kTimeWait);
    ASSERT_TRUE(tw) << "the active closer never reached TIME-WAIT";
    EXPECT_EQ(tw->id, m_client_id);
    EXPECT_EQ(tw->owner, Owner::kKernel);
    EXPECT_EQ(tw->fd, -1);
    EXPECT_EQ(tw->api_state, ApiState::kClosed);
    EXPECT_GT(tw->timer_ms, 50000) << "TIME-WAIT lasts 60 s on Linux";
    EXPECT_LE(tw->timer_ms, 60000);
    // The passive closer is gone after LAST-ACK: no card is left for the server end.
    EXPECT_TRUE(WaitUntil([&] { return FindSocket(S().ProbeNow(), m_conn_id) == nullptr; }))
        << "the server end lingers after its close()";
}

TEST_F(SessionCloseTest, CloseWithUnreadDataSendsReset) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    ASSERT_EQ(Do(S(), m_cli, MakeSend("client", "unread")).ret, 6);
    ASSERT_TRUE(WaitForSocket(S(), [](const SocketView& v) {
        return v.name == "conn" && v.fd >= 0 && v.inq == 6;
    })) << "the six bytes never reached the server's receive queue";

    const Event closed = Do(S(), m_srv, MakeClose("conn"));
    ASSERT_EQ(closed.err, 0);
    // RST, not FIN: no FIN-WAIT or TIME-WAIT is left for the server end.
    EXPECT_EQ(FindSocket(closed.sockets, m_conn_id), nullptr)
        << StateName(FindSocket(closed.sockets, m_conn_id));
    ASSERT_TRUE(WaitForState(S(), "client", TcpState::kClose)) << "the client never got the RST";

    const Event r = Do(S(), m_cli, MakeRecv("client"));
    EXPECT_EQ(r.ret, -1);
    EXPECT_EQ(r.err, ECONNRESET) << ErrnoName(r.err);
    EXPECT_FALSE(r.mismatch) << "the table says a normal recv() depends on no reset";
    EXPECT_EQ(r.predicted.depends, "the peer not having reset the connection");
    // The error is reported once; then the connection simply reads as ended.
    EXPECT_EQ(Do(S(), m_cli, MakeRecv("client")).ret, 0);
}

TEST_F(SessionCloseTest, LingerZeroCloseSendsReset) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    const Event opt = Do(S(), m_cli, MakeSetsockopt("client", SockOpt::kLinger, 1, 0));
    ASSERT_EQ(opt.err, 0) << ErrnoName(opt.err);
    const Event closed = Do(S(), m_cli, MakeClose("client"));
    ASSERT_EQ(closed.err, 0);
    EXPECT_EQ(FindSocket(closed.sockets, m_client_id), nullptr)
        << "SO_LINGER {1,0} aborts: no FIN-WAIT, no TIME-WAIT, but "
        << StateName(FindSocket(closed.sockets, m_client_id));
    ASSERT_TRUE(WaitForState(S(), "conn", TcpState::kClose)) << "the server never got the RST";

    const Event r = Do(S(), m_srv, MakeRecv("conn"));
    EXPECT_EQ(r.ret, -1);
    EXPECT_EQ(r.err, ECONNRESET) << ErrnoName(r.err);
    // Nothing is left in TIME-WAIT for this pair.
    for (const SocketView& v : S().ProbeNow()) {
        EXPECT_NE(v.tcp_state, TcpState::kTimeWait) << v.name;
    }
}

TEST_F(SessionCloseTest, SendAfterPeerClosedSucceedsOnceThenBrokenPipe) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    ASSERT_EQ(Do(S(), m_srv, MakeClose("conn")).err, 0);
    ASSERT_TRUE(WaitForState(S(), "client", TcpState::kCloseWait));

    // The peer's FIN only said "I will send no more"; our first send() is accepted by our
    // kernel and answered by an RST from the closed peer.
    Event e = Do(S(), m_cli, MakeSend("client", "a"));
    EXPECT_EQ(e.ret, 1);
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    ASSERT_TRUE(WaitForState(S(), "client", TcpState::kClose)) << "the peer never sent RST";

    e = Do(S(), m_cli, MakeSend("client", "b"));
    EXPECT_EQ(e.ret, -1);
    EXPECT_EQ(e.err, EPIPE) << ErrnoName(e.err);
    EXPECT_FALSE(e.mismatch) << "the prediction depends on the peer not having reset";
    EXPECT_FALSE(e.predicted.depends.empty());
    e = Do(S(), m_cli, MakeSend("client", "c"));
    EXPECT_EQ(e.err, EPIPE) << ErrnoName(e.err);
    // SIGPIPE did not kill us, and the actor still works.
    EXPECT_EQ(Do(S(), m_cli, MakeClose("client")).err, 0);
}

TEST_F(SessionCloseTest, ANameCanBeReusedAfterClose) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    ASSERT_EQ(Do(S(), m_cli, MakeClose("client")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeClose("conn")).err, 0);
    ASSERT_TRUE(WaitForState(S(), "client", TcpState::kTimeWait));
    // A new socket under the old name: a new card; the TIME-WAIT keeps the old one.
    const Event created = Do(S(), m_cli, MakeSocket("client"));
    ASSERT_EQ(created.err, 0);
    EXPECT_NE(created.result_socket_id, m_client_id);
    const Event connected = Do(S(), m_cli, MakeConnect("client", "listener"));
    EXPECT_EQ(connected.err, 0) << ErrnoName(connected.err);
    const SocketView* fresh = OpenSocket(connected.sockets, "client");
    ASSERT_NE(fresh, nullptr);
    EXPECT_EQ(fresh->id, created.result_socket_id);
    EXPECT_EQ(StateName(fresh), "ESTAB");
    const SocketView* old = FindSocket(connected.sockets, m_client_id);
    ASSERT_NE(old, nullptr);
    EXPECT_EQ(StateName(old), "TIME-WAIT");
    EXPECT_EQ(old->name, "client");
}

}  // namespace
}  // namespace sockstep::core::sessiontest
