// The three-way handshake through the Session, on 127.0.0.1 and on ::1: LISTEN after listen();
// after connect() both ends are ESTAB before accept() is called, the server end waiting in the
// accept queue with no descriptor; accept() takes it off the queue as a NEW descriptor on the
// listener's port (same socket id) while the listener stays in LISTEN. And accept() on an empty
// queue really sleeps in the kernel: the Blocked event carries /proc's evidence. A client from
// outside the session is accepted too, and shown as external.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionHandshakeTest : public SessionTest {
  protected:
    void Handshake(Family family, const std::string& host);
};

void SessionHandshakeTest::Handshake(Family family, const std::string& host) {
    const int srv = AddServer("server", family);
    const int cli = AddClient("client", family);

    Event e = Do(S(), srv, MakeSocket("listener", family));
    ASSERT_EQ(e.err, 0);
    const int listener_fd = static_cast<int>(e.ret);
    ASSERT_GE(listener_fd, 0);
    const SocketView* v = OpenSocket(e.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->api_state, ApiState::kCreated);
    EXPECT_EQ(v->family, family);
    EXPECT_EQ(StateName(v), "CLOSE") << "a fresh socket reports CLOSE in TCP_INFO";

    e = Do(S(), srv, MakeBind("listener", host, 0));
    ASSERT_EQ(e.err, 0);
    v = OpenSocket(e.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->api_state, ApiState::kBound);
    EXPECT_EQ(StateName(v), "CLOSE");
    const uint16_t port = LocalPort(v);
    ASSERT_NE(port, 0) << "bind to port 0 must give an ephemeral port";
    EXPECT_EQ(v->local->host, host);

    e = Do(S(), srv, MakeListen("listener", 5));
    ASSERT_EQ(e.err, 0);
    EXPECT_FALSE(e.mismatch);
    v = OpenSocket(e.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->api_state, ApiState::kListening);
    EXPECT_EQ(StateName(v), "LISTEN");
    EXPECT_EQ(v->accept_queue, 0);
    EXPECT_EQ(v->backlog, 5);

    e = Do(S(), cli, MakeSocket("client", family));
    ASSERT_EQ(e.err, 0);
    e = Do(S(), cli, MakeConnect("client", "listener"));
    ASSERT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_EQ(e.ret, 0);
    EXPECT_FALSE(e.mismatch);
    // Right after connect() returned, before any accept(): both ends ESTAB.
    const SocketView* client = OpenSocket(e.sockets, "client");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(StateName(client), "ESTAB");
    EXPECT_EQ(client->api_state, ApiState::kConnected);
    ASSERT_TRUE(client->remote);
    EXPECT_EQ(client->remote->port, port);
    const uint16_t client_port = LocalPort(client);
    ASSERT_NE(client_port, 0);
    const SocketView* queued = KernelSocket(e.sockets, port, client_port);
    ASSERT_NE(queued, nullptr) << "the server end must wait in the accept queue, fd-less";
    EXPECT_EQ(StateName(queued), "ESTAB");
    EXPECT_EQ(queued->fd, -1);
    EXPECT_EQ(queued->owner, Owner::kKernel);
    EXPECT_EQ(queued->inode, 0u);
    const int queued_id = queued->id;
    v = OpenSocket(e.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->accept_queue, 1);
    EXPECT_EQ(StateName(v), "LISTEN");

    e = Do(S(), srv, MakeAccept("listener", "conn"));
    ASSERT_EQ(e.err, 0) << ErrnoName(e.err);
    EXPECT_FALSE(e.mismatch);
    const int conn_fd = static_cast<int>(e.ret);
    EXPECT_GE(conn_fd, 0);
    EXPECT_NE(conn_fd, listener_fd) << "accept() returns a NEW descriptor";
    EXPECT_EQ(e.result_socket_id, queued_id) << "the queued connection keeps its id";
    ASSERT_TRUE(e.peer);
    EXPECT_EQ(e.peer->port, client_port);
    EXPECT_EQ(e.peer->host, host);
    const SocketView* conn = OpenSocket(e.sockets, "conn");
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(conn->id, queued_id);
    EXPECT_EQ(conn->fd, conn_fd);
    EXPECT_EQ(conn->owner, Owner::kActor);
    EXPECT_EQ(conn->actor, srv);
    EXPECT_EQ(conn->api_state, ApiState::kConnected);
    EXPECT_EQ(StateName(conn), "ESTAB");
    EXPECT_EQ(LocalPort(conn), port) << "accept()'s socket lives on the listener's port";
    ASSERT_TRUE(conn->remote);
    EXPECT_EQ(conn->remote->port, client_port);
    EXPECT_EQ(KernelSocket(e.sockets, port, client_port), nullptr);
    v = OpenSocket(e.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(StateName(v), "LISTEN") << "the listener stays in LISTEN";
    EXPECT_EQ(v->api_state, ApiState::kListening);
    EXPECT_EQ(v->accept_queue, 0);
    EXPECT_EQ(v->fd, listener_fd);
}

TEST_F(SessionHandshakeTest, Ipv4) {
    Handshake(Family::kInet, "127.0.0.1");
}

TEST_F(SessionHandshakeTest, Ipv6) {
    Handshake(Family::kInet6, "::1");
}

TEST_F(SessionHandshakeTest, ScriptRunsToEndWithTheTextbookOrder) {
    const int srv = AddServer();
    const int cli = AddClient();
    std::vector<ScriptStep> script{
        {srv, MakeSocket("listener")},      {srv, MakeBind("listener")},
        {srv, MakeListen("listener")},      {srv, MakeAccept("listener", "conn")},
        {cli, MakeSocket("client")},        {cli, MakeConnect("client", "listener")},
        {cli, MakeSend("client", "hello")}, {srv, MakeRecv("conn")},
        {cli, MakeClose("client")},         {srv, MakeClose("conn")},
        {srv, MakeClose("listener")},
    };
    const size_t steps = script.size();
    EXPECT_EQ(RunScript(S(), std::move(script)), StepOutcome::kNoMoreSteps);
    const LogView log = S().Log();
    for (size_t i = 0; i < steps; ++i) {
        const std::optional<Event> r = LastEventOfStep(log, static_cast<int>(i));
        ASSERT_TRUE(r) << "step " << i << " has no Return event";
        EXPECT_EQ(r->err, 0) << "step " << i << " " << FormatCall(r->request) << ": "
                             << ErrnoName(r->err);
        EXPECT_TRUE(LastEventOfStep(log, static_cast<int>(i), Phase::kEnter));
    }
    EXPECT_TRUE(LastEventOfStep(log, 3, Phase::kBlocked)) << "accept() had nothing to accept";
    EXPECT_EQ(LastEventOfStep(log, 7)->data, "hello");
    // Sequence numbers are the log's order.
    for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq, i);
}

TEST_F(SessionHandshakeTest, AnExternalClientIsAcceptedAndShownAsExternal) {
    // A program outside the session (here a raw socket of this test, as nc would be) connects
    // to the session's listener on loopback.
    const int srv = AddServer();
    ASSERT_EQ(Do(S(), srv, MakeSocket("listener")).err, 0);
    const Event bound = Do(S(), srv, MakeBind("listener"));
    const uint16_t port = LocalPort(OpenSocket(bound.sockets, "listener"));
    ASSERT_NE(port, 0);
    ASSERT_EQ(Do(S(), srv, MakeListen("listener")).err, 0);

    const int raw = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(raw, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(connect(raw, reinterpret_cast<const sockaddr*>(&to), sizeof to), 0);
    sockaddr_in me{};
    socklen_t length = sizeof me;
    ASSERT_EQ(getsockname(raw, reinterpret_cast<sockaddr*>(&me), &length), 0);
    const uint16_t raw_port = ntohs(me.sin_port);

    Snapshot now = S().ProbeNow();
    const SocketView* queued = KernelSocket(now, port, raw_port);
    ASSERT_NE(queued, nullptr) << "the external connection waiting in the queue is not shown";
    EXPECT_EQ(StateName(queued), "ESTAB");
    const int queued_id = queued->id;
    const auto external = [&](const Snapshot& snapshot) -> const SocketView* {
        for (const SocketView& v : snapshot) {
            if (v.owner == Owner::kExternal && LocalPort(&v) == raw_port) return &v;
        }
        return nullptr;
    };
    const SocketView* peer = external(now);
    ASSERT_NE(peer, nullptr) << "the external client is not shown";
    EXPECT_EQ(StateName(peer), "ESTAB");
    EXPECT_EQ(peer->fd, -1);
    EXPECT_NE(peer->inode, 0u);

    const Event accepted = Do(S(), srv, MakeAccept("listener", "conn"));
    EXPECT_EQ(accepted.err, 0);
    EXPECT_EQ(accepted.result_socket_id, queued_id);
    ASSERT_TRUE(accepted.peer);
    EXPECT_EQ(accepted.peer->port, raw_port);
    EXPECT_NE(external(accepted.sockets), nullptr) << "the peer of conn is outside the session";

    close(raw);
    EXPECT_TRUE(WaitForState(S(), "conn", TcpState::kCloseWait));
}

TEST_F(SessionHandshakeTest, AcceptBlocksWithKernelEvidence) {
    const int srv = AddServer();
    const int cli = AddClient();
    const int listener_fd = static_cast<int>(Do(S(), srv, MakeSocket("listener")).ret);
    ASSERT_EQ(Do(S(), srv, MakeBind("listener")).err, 0);
    ASSERT_EQ(Do(S(), srv, MakeListen("listener")).err, 0);

    ASSERT_EQ(S().Call(srv, MakeAccept("listener", "conn")), StepOutcome::kBlocked);
    const LogView log = S().Log();
    ASSERT_FALSE(log.empty());
    const Event& blocked = log.back();
    ASSERT_EQ(blocked.phase, Phase::kBlocked);
    EXPECT_EQ(blocked.request.call, CallKind::kAccept);
    ASSERT_TRUE(blocked.blocked);
    EXPECT_FALSE(blocked.blocked->wchan.empty());
    EXPECT_TRUE(blocked.blocked->syscall == "accept" || blocked.blocked->syscall == "accept4")
        << blocked.blocked->syscall;
    EXPECT_EQ(blocked.blocked->fd_arg, listener_fd);
    EXPECT_TRUE(blocked.predicted.may_block);
    EXPECT_EQ(blocked.predicted.result, 0);
    const SocketView* v = OpenSocket(blocked.sockets, "listener");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->accept_queue, 0);

    const std::vector<ActorStatus> actors = S().Actors();
    EXPECT_EQ(actors[static_cast<size_t>(srv)].activity, ActorActivity::kBlocked);
    EXPECT_EQ(actors[static_cast<size_t>(srv)].call, CallKind::kAccept);
    EXPECT_EQ(actors[static_cast<size_t>(cli)].activity, ActorActivity::kIdle);

    // The thread really sleeps in accept on the listener's descriptor.
    bool asleep = false;
    for (const TaskInfo& t : Tasks()) {
        const bool in_accept = t.syscall_nr == SYS_accept || t.syscall_nr == SYS_accept4;
        if (in_accept && t.arg1 == listener_fd && t.state == 'S') {
            asleep = true;
            EXPECT_EQ(t.wchan, blocked.blocked->wchan);
        }
    }
    EXPECT_TRUE(asleep) << "no thread of this process sleeps in accept(" << listener_fd << ")";

    // While the server is blocked the client goes on; its connect() wakes the accept().
    EXPECT_EQ(S().Call(srv, MakeListen("listener")), StepOutcome::kBusy);
    ASSERT_EQ(Do(S(), cli, MakeSocket("client")).err, 0);
    const Event connected = Do(S(), cli, MakeConnect("client", "listener"));
    ASSERT_EQ(connected.err, 0);
    ASSERT_TRUE(WaitActorIdle(S(), srv)) << "accept() did not return after connect()";
    const std::optional<Event> accepted = LastReturnOf(S().Log(), srv);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted->phase, Phase::kReturn);
    EXPECT_EQ(accepted->request.call, CallKind::kAccept);
    EXPECT_EQ(accepted->err, 0);
    EXPECT_GE(accepted->ret, 0);
    EXPECT_NE(accepted->ret, listener_fd);
    EXPECT_FALSE(accepted->mismatch);
    const SocketView* conn = OpenSocket(accepted->sockets, "conn");
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(StateName(conn), "ESTAB");
    EXPECT_EQ(conn->fd, accepted->ret);
}

TEST_F(SessionHandshakeTest, RunToEndCanBeCancelledWhileBlocked) {
    const int srv = AddServer();
    S().SetScript({{srv, MakeSocket("listener")},
                   {srv, MakeBind("listener")},
                   {srv, MakeListen("listener")},
                   {srv, MakeAccept("listener", "conn")},
                   {srv, MakeClose("listener")}});
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        // Cancel once accept() really sleeps in the kernel.
        WaitUntil([&] {
            return S().Actors()[static_cast<size_t>(srv)].activity == ActorActivity::kBlocked;
        });
        cancel = true;
    });
    const StepOutcome outcome = S().RunToEnd(&cancel);
    canceller.join();
    EXPECT_EQ(outcome, StepOutcome::kCancelled);
    EXPECT_EQ(S().NextStepIndex(), 4u) << "the close() step has not run";
    EXPECT_EQ(S().Actors()[static_cast<size_t>(srv)].activity, ActorActivity::kBlocked);
    EXPECT_EQ(S().StepNext(), StepOutcome::kBusy);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
