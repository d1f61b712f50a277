// A peer outside the Session dies in the middle of a connection: a raw socket of this test that
// aborts with SO_LINGER {1, 0} (RST), or a child process killed with SIGKILL (the kernel closes
// its socket: FIN, or RST when it had unread data). The Session's recv()/send() must show the
// kernel's answer as the call's result (ECONNRESET, 0 for end of stream, EPIPE), nothing
// crashes, and the kernel snapshot shows the connection CLOSE or gone.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

sockaddr_in Loopback(uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

uint16_t PortOf(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

// Aborts the connection: close() with SO_LINGER {1, 0} sends RST (DESIGN.md).
void AbortiveClose(int fd) {
    const linger l{1, 0};
    ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l), 0);
    close(fd);
}

// No socket of the snapshot still holds this connection, except as CLOSE.
void ExpectConnectionGone(const Snapshot& snapshot, uint16_t port_a, uint16_t port_b) {
    for (const SocketView& v : snapshot) {
        if (!v.local || !v.remote) continue;
        const bool same = (v.local->port == port_a && v.remote->port == port_b) ||
                          (v.local->port == port_b && v.remote->port == port_a);
        if (same) {
            EXPECT_EQ(StateName(&v), "CLOSE") << "'" << v.name << "' still holds the connection";
        }
    }
}

class FaultPeerDeath : public SessionTest {
  protected:
    // The session listens; returns the listener's port.
    uint16_t Listen() {
        m_srv = AddServer();
        EXPECT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        const Event bound = Do(S(), m_srv, MakeBind("listener"));
        EXPECT_EQ(Do(S(), m_srv, MakeListen("listener")).err, 0);
        return LocalPort(OpenSocket(bound.sockets, "listener"));
    }
    int m_srv = -1;
};

TEST_F(FaultPeerDeath, RawPeerResetsWhileTheServerIsBlockedInRecv) {
    const uint16_t port = Listen();
    ASSERT_NE(port, 0);
    const int peer = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(peer, 0);
    const sockaddr_in to = Loopback(port);
    ASSERT_EQ(connect(peer, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
    const uint16_t peer_port = PortOf(peer);
    const Event accepted = Do(S(), m_srv, MakeAccept("listener", "conn"));
    ASSERT_EQ(accepted.err, 0);
    EXPECT_EQ(StateName(OpenSocket(accepted.sockets, "conn")), "ESTAB");

    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
    ASSERT_NO_FATAL_FAILURE(AbortiveClose(peer));
    ASSERT_TRUE(WaitActorIdle(S(), m_srv));
    const std::optional<Event> recv = LastReturnOf(S().Log(), m_srv);
    ASSERT_TRUE(recv);
    EXPECT_EQ(recv->phase, Phase::kReturn) << "the RST, not Reset(), woke the call";
    EXPECT_EQ(recv->request.call, CallKind::kRecv);
    EXPECT_EQ(recv->ret, -1);
    EXPECT_EQ(recv->err, ECONNRESET) << ErrnoName(recv->err);
    const SocketView* conn = OpenSocket(recv->sockets, "conn");
    ASSERT_NE(conn, nullptr) << "the descriptor is still the program's until it closes it";
    EXPECT_EQ(StateName(conn), "CLOSE");
    ExpectConnectionGone(recv->sockets, port, peer_port);

    // The error was reported once; the next send() finds a dead connection: EPIPE (SIGPIPE is
    // blocked in the workers, so the process lives).
    const Event sent = Do(S(), m_srv, MakeSend("conn", "anyone there?"));
    EXPECT_EQ(sent.ret, -1);
    EXPECT_EQ(sent.err, EPIPE) << ErrnoName(sent.err);
    EXPECT_EQ(Do(S(), m_srv, MakeClose("conn")).err, 0);
    ExpectConnectionGone(S().ProbeNow(), port, peer_port);
}

TEST_F(FaultPeerDeath, RawServerResetsTheSessionsClient) {
    // The other way round: the session is the client of a listener this test owns.
    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    const sockaddr_in any = Loopback(0);
    ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&any), sizeof any), 0);
    ASSERT_EQ(listen(listener, 1), 0);
    const uint16_t port = PortOf(listener);
    const int cli = AddClient();
    ASSERT_EQ(Do(S(), cli, MakeSocket("client")).err, 0);
    const Event connected = Do(S(), cli, MakeConnectTo("client", "127.0.0.1", port));
    ASSERT_EQ(connected.err, 0);
    const uint16_t client_port = LocalPort(OpenSocket(connected.sockets, "client"));
    const int conn = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(conn, 0);
    close(listener);

    ASSERT_EQ(S().Call(cli, MakeRecv("client")), StepOutcome::kBlocked);
    ASSERT_NO_FATAL_FAILURE(AbortiveClose(conn));
    ASSERT_TRUE(WaitActorIdle(S(), cli));
    const std::optional<Event> recv = LastReturnOf(S().Log(), cli);
    ASSERT_TRUE(recv);
    EXPECT_EQ(recv->phase, Phase::kReturn);
    EXPECT_EQ(recv->err, ECONNRESET) << ErrnoName(recv->err);
    EXPECT_EQ(StateName(OpenSocket(recv->sockets, "client")), "CLOSE");
    ExpectConnectionGone(recv->sockets, client_port, port);
}

// A child process that connects to `port`, tells the parent through a pipe, then sleeps until
// it is killed. Returns its pid (after it connected) and its local port.
pid_t ConnectingChild(uint16_t port, uint16_t& child_port) {
    int ready[2];
    if (pipe(ready) != 0) return -1;
    const pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        const sockaddr_in to = Loopback(port);
        uint16_t mine = 0;
        if (fd >= 0 && connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0) {
            mine = PortOf(fd);
        }
        [[maybe_unused]] const ssize_t n = write(ready[1], &mine, sizeof mine);
        for (;;) pause();  // never reads: anything sent to it stays unread
    }
    close(ready[1]);
    child_port = 0;
    if (pid > 0 && read(ready[0], &child_port, sizeof child_port) != sizeof child_port) {
        child_port = 0;
    }
    close(ready[0]);
    return pid;
}

void KillAndReap(pid_t pid) {
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST_F(FaultPeerDeath, KilledPeerProcessIsEndOfStreamThenReset) {
    const uint16_t port = Listen();
    uint16_t child_port = 0;
    const pid_t child = ConnectingChild(port, child_port);
    ASSERT_GT(child, 0);
    ASSERT_NE(child_port, 0) << "the child could not connect";
    ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);

    // SIGKILL: the kernel closes the dead process's socket. Nothing was unread there, so it
    // sends FIN: recv() returns 0, end of stream, and our side is CLOSE-WAIT.
    ASSERT_NO_FATAL_FAILURE(KillAndReap(child));
    ASSERT_TRUE(WaitActorIdle(S(), m_srv));
    const std::optional<Event> recv = LastReturnOf(S().Log(), m_srv);
    ASSERT_TRUE(recv);
    EXPECT_EQ(recv->phase, Phase::kReturn);
    EXPECT_EQ(recv->ret, 0);
    EXPECT_EQ(recv->err, 0) << ErrnoName(recv->err);
    EXPECT_EQ(StateName(OpenSocket(recv->sockets, "conn")), "CLOSE-WAIT");

    // Writing to it: the data is accepted locally, and the dead peer's kernel answers RST.
    const Event sent = Do(S(), m_srv, MakeSend("conn", "hello?"));
    EXPECT_EQ(sent.ret, 6);
    EXPECT_EQ(sent.err, 0) << ErrnoName(sent.err);
    ASSERT_TRUE(WaitForState(S(), "conn", TcpState::kClose)) << "no RST came back";
    // The RST reached a CLOSE-WAIT socket, so the kernel reports EPIPE (tcp_reset()), not
    // ECONNRESET; and SIGPIPE does not kill the process.
    const Event again = Do(S(), m_srv, MakeSend("conn", "hello?"));
    EXPECT_EQ(again.ret, -1);
    EXPECT_EQ(again.err, EPIPE) << ErrnoName(again.err);
    ExpectConnectionGone(again.sockets, port, child_port);
}

TEST_F(FaultPeerDeath, KilledPeerWithUnreadDataResets) {
    const uint16_t port = Listen();
    uint16_t child_port = 0;
    const pid_t child = ConnectingChild(port, child_port);
    ASSERT_GT(child, 0);
    ASSERT_NE(child_port, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    // The child never reads: these bytes sit in its receive queue when it dies.
    EXPECT_EQ(Do(S(), m_srv, MakeSend("conn", "unread")).ret, 6);
    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);

    // Closing with unread data sends RST, not FIN (RFC 2525 2.17; DESIGN.md).
    ASSERT_NO_FATAL_FAILURE(KillAndReap(child));
    ASSERT_TRUE(WaitActorIdle(S(), m_srv));
    const std::optional<Event> recv = LastReturnOf(S().Log(), m_srv);
    ASSERT_TRUE(recv);
    EXPECT_EQ(recv->phase, Phase::kReturn);
    EXPECT_EQ(recv->ret, -1);
    EXPECT_EQ(recv->err, ECONNRESET) << ErrnoName(recv->err);
    EXPECT_EQ(StateName(OpenSocket(recv->sockets, "conn")), "CLOSE");
    ExpectConnectionGone(recv->sockets, port, child_port);
    // The session goes on: the listener still takes the next client.
    const int next = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in to = Loopback(port);
    ASSERT_EQ(connect(next, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
    const Event again = Do(S(), m_srv, MakeAccept("listener", "conn2"));
    EXPECT_EQ(again.err, 0);
    EXPECT_EQ(StateName(OpenSocket(again.sockets, "conn2")), "ESTAB");
    close(next);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
