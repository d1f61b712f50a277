// UDP through the Session: sendto()/recvfrom() with the sender's address reported, send()
// without a peer (EDESTADDRREQ), and connect() on UDP, which only records the peer: no packet
// leaves, the server sees nothing new, and send() then works.
#include <cerrno>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionUdpTest : public SessionTest {
  protected:
    void Bind() {
        m_srv = AddServer();
        m_cli = AddClient();
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("srv", Family::kInet, SockType::kDgram)).err, 0);
        const Event e = Do(S(), m_srv, MakeBind("srv"));
        ASSERT_EQ(e.err, 0);
        m_port = LocalPort(OpenSocket(e.sockets, "srv"));
        ASSERT_NE(m_port, 0);
    }
    // Waits until a datagram is queued on `name` (SIOCINQ: the size of the first one).
    bool WaitDatagram(const std::string& name, int size) {
        return WaitForSocket(S(),
                             [&](const SocketView& v) {
                                 return v.name == name && v.fd >= 0 && v.inq == size;
                             })
            .has_value();
    }

    int m_srv = -1;
    int m_cli = -1;
    uint16_t m_port = 0;
};

TEST_F(SessionUdpTest, SendtoAndRecvfromReportThePeer) {
    ASSERT_NO_FATAL_FAILURE(Bind());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("cli", Family::kInet, SockType::kDgram)).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeBind("cli")).err, 0);
    Event e = Do(S(), m_cli, MakeSendto("cli", "srv", "ping"));
    ASSERT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.ret, 4);
    const SocketView* cli = OpenSocket(e.sockets, "cli");
    ASSERT_NE(cli, nullptr);
    const uint16_t cli_port = LocalPort(cli);
    EXPECT_NE(cli_port, 0);
    EXPECT_FALSE(cli->remote) << "sendto() does not connect";

    ASSERT_TRUE(WaitDatagram("srv", 4));
    e = Do(S(), m_srv, MakeRecvfrom("srv"));
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.ret, 4);
    EXPECT_EQ(e.data, "ping");
    ASSERT_TRUE(e.peer) << "recvfrom() reports who sent it";
    EXPECT_EQ(e.peer->port, cli_port);
    EXPECT_EQ(e.peer->host, "127.0.0.1");
    EXPECT_EQ(e.peer->family, Family::kInet);

    // And back: the server answers the address recvfrom() reported, as a real server does.
    CallRequest reply = MakeSendto("srv", "", "pong");
    reply.args.address.host = e.peer->host;
    reply.args.address.port = e.peer->port;
    e = Do(S(), m_srv, reply);
    EXPECT_EQ(e.ret, 4);
    ASSERT_TRUE(WaitDatagram("cli", 4));
    e = Do(S(), m_cli, MakeRecvfrom("cli"));
    EXPECT_EQ(e.data, "pong");
    ASSERT_TRUE(e.peer);
    EXPECT_EQ(e.peer->port, m_port);
}

TEST_F(SessionUdpTest, SendtoOnANeverBoundSocketIsRefused) {
    // sendto() on an unbound UDP socket makes Linux autobind it to 0.0.0.0 (every interface):
    // the Session refuses it before the call, even toward a loopback peer.
    ASSERT_NO_FATAL_FAILURE(Bind());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("cli", Family::kInet, SockType::kDgram)).err, 0);
    EXPECT_EQ(S().Call(m_cli, MakeSendto("cli", "srv", "ping")), StepOutcome::kRefused);
    const LogView log = S().Log();
    EXPECT_EQ(log.back().phase, Phase::kRefused);
    EXPECT_FALSE(HasEvent(log, m_cli, CallKind::kSendto, Phase::kEnter));
    EXPECT_EQ(OpenSocket(log.back().sockets, "srv")->inq, 0) << "nothing was sent";
    // Bound to loopback first, the same sendto() works.
    ASSERT_EQ(Do(S(), m_cli, MakeBind("cli")).err, 0);
    EXPECT_EQ(Do(S(), m_cli, MakeSendto("cli", "srv", "ping")).ret, 4);
}

TEST_F(SessionUdpTest, SendWithoutAPeerIsDestinationRequired) {
    ASSERT_NO_FATAL_FAILURE(Bind());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("cli", Family::kInet, SockType::kDgram)).err, 0);
    // Never bound: Linux would bind it to 0.0.0.0 on a random port before failing, so sockstep
    // refuses the call (traffic stays on loopback); the socket stays without a port.
    EXPECT_EQ(S().Call(m_cli, MakeSend("cli", "nowhere")), StepOutcome::kRefused);
    const Snapshot now = S().ProbeNow();
    EXPECT_EQ(LocalPort(OpenSocket(now, "cli")), 0);
    ASSERT_EQ(Do(S(), m_cli, MakeBind("cli")).err, 0);
    const Event e = Do(S(), m_cli, MakeSend("cli", "nowhere"));
    EXPECT_EQ(e.err, EDESTADDRREQ) << ErrnoName(e.err);
    EXPECT_EQ(e.predicted.result, EDESTADDRREQ);
    EXPECT_FALSE(e.mismatch);
}

TEST_F(SessionUdpTest, ConnectSendsNoPacketAndThenSendWorks) {
    ASSERT_NO_FATAL_FAILURE(Bind());
    ASSERT_EQ(Do(S(), m_srv, MakeFcntl("srv", true)).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("cli", Family::kInet, SockType::kDgram)).err, 0);
    const size_t sockets_before = S().ProbeNow().size();

    Event e = Do(S(), m_cli, MakeConnect("cli", "srv"));
    ASSERT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_FALSE(e.mismatch);
    const SocketView* cli = OpenSocket(e.sockets, "cli");
    ASSERT_NE(cli, nullptr);
    EXPECT_EQ(cli->api_state, ApiState::kConnected);
    ASSERT_TRUE(cli->remote);
    EXPECT_EQ(cli->remote->port, m_port);
    const uint16_t cli_port = LocalPort(cli);
    EXPECT_NE(cli_port, 0) << "connect() autobinds a port";
    ASSERT_TRUE(cli->local);
    EXPECT_EQ(cli->local->host, "127.0.0.1") << "UDP connect() binds the route's source address";
    // The server side shows nothing new: nothing queued, no new socket, and a non-blocking
    // recvfrom() finds nothing to read.
    const SocketView* srv = OpenSocket(e.sockets, "srv");
    ASSERT_NE(srv, nullptr);
    EXPECT_EQ(srv->inq, 0);
    EXPECT_EQ(e.sockets.size(), sockets_before);
    e = Do(S(), m_srv, MakeRecvfrom("srv"));
    EXPECT_EQ(e.err, EAGAIN) << "UDP connect() sent a packet? " << ErrnoName(e.err);

    e = Do(S(), m_cli, MakeSend("cli", "x"));
    EXPECT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.ret, 1);
    ASSERT_TRUE(WaitDatagram("srv", 1));
    e = Do(S(), m_srv, MakeRecvfrom("srv"));
    EXPECT_EQ(e.data, "x");
    ASSERT_TRUE(e.peer);
    EXPECT_EQ(e.peer->port, cli_port);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
