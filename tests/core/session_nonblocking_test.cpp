// O_NONBLOCK through the Session (fcntl F_SETFL): connect() answers EINPROGRESS (or 0 if the
// loopback handshake already finished), accept() on an empty queue and recv() with nothing to
// read answer EAGAIN at once instead of sleeping; poll() reports POLLIN on a listener with a
// pending connection.
#include <cerrno>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionNonblockingTest : public SessionTest {
  protected:
    void Listen() {
        m_srv = AddServer();
        m_cli = AddClient();
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener")).err, 0);
    }

    int m_srv = -1;
    int m_cli = -1;
};

TEST_F(SessionNonblockingTest, ConnectIsInProgressThenEstablished) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeFcntl("client", true)).err, 0);
    Event e = Do(S(), m_cli, MakeConnect("client", "listener"));
    EXPECT_EQ(e.predicted.result, EINPROGRESS);
    // Linux holds the socket lock during connect(), so the loopback SYN-ACK is processed after
    // the call returns: EINPROGRESS in practice. 0 would also be correct behaviour.
    ASSERT_TRUE(e.err == EINPROGRESS || e.err == 0) << ErrnoName(e.err);
    const SocketView* client = OpenSocket(e.sockets, "client");
    ASSERT_NE(client, nullptr);
    if (e.err == EINPROGRESS) {
        EXPECT_EQ(e.ret, -1);
        EXPECT_FALSE(e.mismatch);
        EXPECT_EQ(client->api_state, ApiState::kConnecting);
        // poll() for POLLOUT: writable once the handshake is done.
        e = Do(S(), m_cli, MakePoll({"client"}, {"POLLOUT"}, 5000));
        EXPECT_EQ(e.ret, 1);
        EXPECT_EQ(e.data, "client:POLLOUT");
    } else {
        EXPECT_EQ(client->api_state, ApiState::kConnected);
    }
    ASSERT_TRUE(WaitForState(S(), "client", TcpState::kEstablished));
    e = Do(S(), m_srv, MakeAccept("listener", "conn"));
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(StateName(OpenSocket(e.sockets, "conn")), "ESTAB");
}

TEST_F(SessionNonblockingTest, AcceptOnAnEmptyQueueIsEagain) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(Do(S(), m_srv, MakeFcntl("listener", true)).err, 0);
    // Do() insists on an immediate return: a non-blocking accept never sleeps.
    const Event e = Do(S(), m_srv, MakeAccept("listener", "conn"));
    EXPECT_EQ(e.ret, -1);
    EXPECT_EQ(e.err, EAGAIN) << ErrnoName(e.err);
    EXPECT_EQ(e.predicted.result, EAGAIN);
    EXPECT_FALSE(e.predicted.may_block);
    EXPECT_FALSE(e.mismatch);
    EXPECT_FALSE(HasEvent(S().Log(), m_srv, CallKind::kAccept, Phase::kBlocked));
}

TEST_F(SessionNonblockingTest, RecvWithNothingToReadIsEagain) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeFcntl("conn", true)).err, 0);
    Event e = Do(S(), m_srv, MakeRecv("conn"));
    EXPECT_EQ(e.ret, -1);
    EXPECT_EQ(e.err, EAGAIN) << ErrnoName(e.err);
    EXPECT_FALSE(e.mismatch);
    // Back to blocking: now recv() sleeps (and Reset() at the end of the test wakes it).
    ASSERT_EQ(Do(S(), m_srv, MakeFcntl("conn", false)).err, 0);
    EXPECT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
}

TEST_F(SessionNonblockingTest, PollReportsPollinOnAListenerWithAPendingConnection) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    Event e = Do(S(), m_srv, MakePoll({"listener"}, {"POLLIN"}, 0));
    EXPECT_EQ(e.err, 0);
    EXPECT_EQ(e.ret, 0) << "nothing pending yet";
    EXPECT_EQ(e.data, "");
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
    e = Do(S(), m_srv, MakePoll({"listener"}, {"POLLIN"}, 0));
    EXPECT_EQ(e.err, 0);
    EXPECT_EQ(e.ret, 1);
    EXPECT_EQ(e.data, "listener:POLLIN");
    // And accept() then does not block.
    EXPECT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
