// Data through the Session: TCP is a byte stream (two send()s are read by one recv()), and a
// half-close (shutdown(SHUT_WR)) makes the peer's recv() return 0 while the other direction
// still carries data.
#include <cerrno>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionDataTest : public SessionTest {
  protected:
    void Connect() {
        m_srv = AddServer();
        m_cli = AddClient();
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    }

    int m_srv = -1;
    int m_cli = -1;
};

TEST_F(SessionDataTest, TwoSendsAreReadByOneRecv) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    Event e = Do(S(), m_cli, MakeSend("client", "hello"));
    EXPECT_EQ(e.ret, 5);
    e = Do(S(), m_cli, MakeSend("client", "world"));
    EXPECT_EQ(e.ret, 5);
    ASSERT_TRUE(WaitForSocket(S(), [](const SocketView& v) {
        return v.name == "conn" && v.fd >= 0 && v.inq == 10;
    })) << "both sends never reached the server's receive queue";

    e = Do(S(), m_srv, MakeRecv("conn", 1024));
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.ret, 10) << "no message boundaries in a byte stream";
    EXPECT_EQ(e.data, "helloworld");
    const SocketView* conn = OpenSocket(e.sockets, "conn");
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(conn->inq, 0);
}

TEST_F(SessionDataTest, RecvWithASmallBufferTakesOnlyThatMuch) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    ASSERT_EQ(Do(S(), m_cli, MakeSend("client", "abcdef")).ret, 6);
    ASSERT_TRUE(WaitForSocket(
        S(), [](const SocketView& v) { return v.name == "conn" && v.fd >= 0 && v.inq == 6; }));
    Event e = Do(S(), m_srv, MakeRecv("conn", 4));
    EXPECT_EQ(e.data, "abcd");
    EXPECT_EQ(OpenSocket(e.sockets, "conn")->inq, 2);
    e = Do(S(), m_srv, MakeRecv("conn", 4));
    EXPECT_EQ(e.data, "ef");
}

TEST_F(SessionDataTest, HalfCloseReadsZeroAndThePeerCanStillReceive) {
    ASSERT_NO_FATAL_FAILURE(Connect());
    Event e = Do(S(), m_cli, MakeShutdown("client", ShutHow::kWr));
    ASSERT_EQ(e.err, 0) << ErrnoName(e.err);
    const SocketView* client = OpenSocket(e.sockets, "client");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->api_state, ApiState::kShutWr);
    EXPECT_TRUE(client->tcp_state == TcpState::kFinWait1 ||
                client->tcp_state == TcpState::kFinWait2)
        << StateName(client);

    // The server reads end-of-stream: 0, not an error.
    ASSERT_TRUE(WaitForState(S(), "conn", TcpState::kCloseWait)) << "the FIN never arrived";
    e = Do(S(), m_srv, MakeRecv("conn"));
    EXPECT_EQ(e.ret, 0);
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_FALSE(e.mismatch);
    const SocketView* conn = OpenSocket(e.sockets, "conn");
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(StateName(conn), "CLOSE-WAIT");

    // The other direction still works.
    e = Do(S(), m_srv, MakeSend("conn", "still here"));
    EXPECT_EQ(e.ret, 10);
    ASSERT_TRUE(WaitForSocket(
        S(), [](const SocketView& v) { return v.name == "client" && v.fd >= 0 && v.inq == 10; }));
    e = Do(S(), m_cli, MakeRecv("client"));
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.data, "still here");
    EXPECT_FALSE(e.mismatch);
    client = OpenSocket(e.sockets, "client");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(StateName(client), "FIN-WAIT-2");

    // But the client itself can send no more.
    e = Do(S(), m_cli, MakeSend("client", "x"));
    EXPECT_EQ(e.err, EPIPE) << ErrnoName(e.err);
    EXPECT_EQ(e.predicted.result, EPIPE);
    EXPECT_FALSE(e.mismatch);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
