// BuildScene on real recorded logs (a real Session on loopback) and on hand-built events:
// cards, states, queue slots, the socket that splits off the listener, history mode.
#include "sockstep/model/scene.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "test_scripts.h"

namespace sockstep::testing {
namespace {

using core::ApiState;
using core::CallKind;
using core::Phase;
using core::TcpState;
using ui::Placement;

const ui::SceneCard* CardNamed(const ui::SceneModel& scene, const std::string& name) {
    for (const ui::SceneCard& c : scene.cards) {
        if (c.view.name == name) return &c;
    }
    return nullptr;
}

std::vector<std::string> PaneNames(const ui::SceneModel& scene, int actor) {
    std::vector<std::string> out;
    for (int i : scene.actors[static_cast<size_t>(actor)].cards) {
        const ui::SceneCard& c = scene.cards[static_cast<size_t>(i)];
        out.push_back(c.view.name.empty() ? "(kernel)" : c.view.name);
    }
    return out;
}

// Index just past the last event of `step` (its Return or Blocked event).
size_t CursorAfterStep(const core::LogView& log, int step) {
    size_t cursor = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].step == step && log[i].phase != Phase::kEnter) cursor = i + 1;
    }
    return cursor;
}

class HandshakeScene : public ::testing::Test {
  protected:
    void SetUp() override { SetUpHandshake(session_); }
    ui::SceneContext Context() const {
        return {
            {{"server", core::Role::kServer}, {"client", core::Role::kClient}}, nullptr, -1, {}};
    }
    core::Session session_;
};

TEST_F(HandshakeScene, EmptyLogHasBothPanesAndNoCards) {
    const ui::SceneModel scene = ui::BuildScene(session_.Log(), 0, Context());
    ASSERT_EQ(scene.actors.size(), 2u);
    EXPECT_EQ(scene.actors[0].role, core::Role::kServer);
    EXPECT_EQ(scene.actors[1].role, core::Role::kClient);
    EXPECT_TRUE(scene.cards.empty());
    EXPECT_FALSE(scene.current.has_value());
    EXPECT_FALSE(scene.history);
}

TEST_F(HandshakeScene, ListenerShowsItsQueueAndAcceptBlocks) {
    RunSteps(session_, 4);  // socket, bind, listen, accept (blocks)
    const core::LogView log = session_.Log();
    const ui::SceneModel scene = ui::BuildScene(log, log.size(), Context());
    const ui::SceneCard* listener = CardNamed(scene, "listener");
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(listener->placement, Placement::kOwned);
    EXPECT_EQ(listener->pane, 0);
    EXPECT_EQ(listener->view.tcp_state, TcpState::kListen);
    EXPECT_EQ(listener->view.api_state, ApiState::kListening);
    EXPECT_EQ(listener->view.accept_queue, 0);
    EXPECT_GT(listener->view.backlog, 0);
    ASSERT_TRUE(scene.actors[0].blocked.has_value());
    EXPECT_EQ(scene.actors[0].blocked->call, CallKind::kAccept);
    EXPECT_EQ(scene.actors[0].blocked->wchan, "inet_csk_accept");
    EXPECT_EQ(scene.actors[0].blocked->socket, "listener");
    EXPECT_TRUE(scene.any_blocked);
    EXPECT_FALSE(scene.actors[1].blocked.has_value());
}

TEST_F(HandshakeScene, ConnectPutsAKernelEntryInTheListenersQueueLinkedToTheClient) {
    // Server: socket, bind, listen (no accept yet); client: socket, connect.
    RunSteps(session_, 3);
    session_.Step(1);
    session_.Step(1);
    const core::LogView log = session_.Log();
    const ui::SceneModel scene = ui::BuildScene(log, log.size(), Context());
    const ui::SceneCard* listener = CardNamed(scene, "listener");
    const ui::SceneCard* client = CardNamed(scene, "client");
    ASSERT_NE(listener, nullptr);
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(listener->view.accept_queue, 1);
    EXPECT_EQ(client->view.tcp_state, TcpState::kEstablished);
    EXPECT_EQ(client->pane, 1);

    const ui::SceneCard* entry = nullptr;
    for (const ui::SceneCard& c : scene.cards) {
        if (c.placement == Placement::kAcceptQueue) entry = &c;
    }
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->pane, 0);
    EXPECT_EQ(entry->parent, listener->view.id);
    EXPECT_EQ(entry->view.owner, core::Owner::kKernel);
    EXPECT_EQ(entry->view.fd, -1);
    EXPECT_EQ(entry->view.tcp_state, TcpState::kEstablished);
    EXPECT_EQ(PaneNames(scene, 0), (std::vector<std::string>{"listener", "(kernel)"}));

    ASSERT_EQ(scene.links.size(), 1u);
    EXPECT_EQ(scene.links[0].kind, ui::LinkKind::kConnection);
    EXPECT_EQ(scene.cards[static_cast<size_t>(scene.links[0].a)].view.name, "client");
    EXPECT_EQ(scene.cards[static_cast<size_t>(scene.links[0].b)].view.id, entry->view.id);
}

TEST_F(HandshakeScene, AcceptSplitsOffANewSocketThatKeepsTheQueueEntrysId) {
    RunSteps(session_, 3);
    session_.Step(1);
    session_.Step(1);
    const core::LogView before = session_.Log();
    int entry_id = -1;
    for (const ui::SceneCard& c : ui::BuildScene(before, before.size(), Context()).cards) {
        if (c.placement == Placement::kAcceptQueue) entry_id = c.view.id;
    }
    ASSERT_GE(entry_id, 0);

    session_.Step(0);  // accept: returns at once, the queue has the connection
    const core::LogView log = session_.Log();
    const ui::SceneModel scene = ui::BuildScene(log, log.size(), Context());
    const ui::SceneCard* conn = CardNamed(scene, "conn");
    const ui::SceneCard* listener = CardNamed(scene, "listener");
    ASSERT_NE(conn, nullptr);
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(conn->view.id, entry_id);
    EXPECT_TRUE(conn->accepted);
    EXPECT_TRUE(conn->fresh);
    EXPECT_EQ(conn->parent, listener->view.id);
    EXPECT_EQ(conn->placement, Placement::kOwned);
    EXPECT_EQ(conn->view.tcp_state, TcpState::kEstablished);
    ASSERT_TRUE(conn->view.local && listener->view.local);
    EXPECT_EQ(conn->view.local->port, listener->view.local->port);
    EXPECT_EQ(listener->view.tcp_state, TcpState::kListen);
    EXPECT_EQ(listener->view.accept_queue, 0);
    EXPECT_TRUE(listener->touched);
    EXPECT_EQ(PaneNames(scene, 0), (std::vector<std::string>{"listener", "conn"}));
    ASSERT_EQ(scene.links.size(), 1u);
    EXPECT_EQ(scene.cards[static_cast<size_t>(scene.links[0].b)].view.name, "conn");

    // The lifecycle: the listener stays Listening, the new socket is Connected.
    const ui::SceneActor& server = scene.actors[0];
    EXPECT_EQ(server.last_call, CallKind::kAccept);
    EXPECT_EQ(server.last_from, ApiState::kListening);
    EXPECT_EQ(server.last_to, ApiState::kListening);
    ASSERT_EQ(server.socket_states.size(), 2u);
    EXPECT_EQ(server.socket_states[1], std::make_pair(ApiState::kConnected, std::string("conn")));
}

TEST_F(HandshakeScene, WholeRunEndsInTimeWaitOnTheClientSideKeptByTheKernel) {
    RunSteps(session_, 10);
    const core::LogView log = session_.Log();
    const ui::SceneModel scene = ui::BuildScene(log, log.size(), Context());
    const ui::SceneCard* client = CardNamed(scene, "client");
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->placement, Placement::kLingering);
    EXPECT_EQ(client->pane, 1);
    EXPECT_EQ(client->view.api_state, ApiState::kClosed);
    ASSERT_TRUE(client->view.tcp_state.has_value());
    EXPECT_TRUE(*client->view.tcp_state == TcpState::kTimeWait ||
                *client->view.tcp_state == TcpState::kFinWait2 ||
                *client->view.tcp_state == TcpState::kFinWait1);
    EXPECT_TRUE(scene.any_timer);
    EXPECT_EQ(scene.actors[1].last_call, CallKind::kClose);
    EXPECT_EQ(scene.actors[1].last_to, ApiState::kClosed);
}

TEST_F(HandshakeScene, AnEarlierCursorIsHistoryAndShowsThatMoment) {
    RunSteps(session_, 10);
    const core::LogView log = session_.Log();
    const size_t after_listen = CursorAfterStep(log, 2);
    ASSERT_GT(after_listen, 0u);
    const ui::SceneModel scene = ui::BuildScene(log, after_listen, Context());
    EXPECT_TRUE(scene.history);
    EXPECT_EQ(scene.cursor, after_listen);
    EXPECT_EQ(scene.total, log.size());
    ASSERT_TRUE(scene.current.has_value());
    EXPECT_EQ(log[*scene.current].request.call, CallKind::kListen);
    ASSERT_EQ(scene.cards.size(), 1u);
    EXPECT_EQ(scene.cards[0].view.name, "listener");
    EXPECT_EQ(scene.cards[0].view.tcp_state, TcpState::kListen);
    EXPECT_TRUE(scene.links.empty());
    EXPECT_FALSE(scene.actors[0].blocked.has_value());

    // A live probe is ignored in history: the moment shown is the log's.
    core::Snapshot probe;
    ui::SceneContext context = Context();
    context.live_probe = &probe;
    context.live_probe_us = log.back().t_us + 1;
    EXPECT_EQ(ui::BuildScene(log, after_listen, context).cards.size(), 1u);
    EXPECT_TRUE(ui::BuildScene(log, log.size(), context).cards.empty());
}

TEST_F(HandshakeScene, TheStepsSocketsAndTheirPeersAreInFocus) {
    RunSteps(session_, 7);  // ... accept (blocks), client socket(), connect(), send()
    const core::LogView log = session_.Log();

    // client: socket() returned "client"; the listener did not change: out of focus, unless the
    // lesson's step names it.
    const ui::SceneModel created = ui::BuildScene(log, CursorAfterStep(log, 4), Context());
    ASSERT_NE(CardNamed(created, "client"), nullptr);
    ASSERT_NE(CardNamed(created, "listener"), nullptr);
    EXPECT_TRUE(CardNamed(created, "client")->in_focus);
    EXPECT_FALSE(CardNamed(created, "listener")->in_focus);
    ui::SceneContext named = Context();
    named.focus = {"listener"};
    EXPECT_TRUE(
        CardNamed(ui::BuildScene(log, CursorAfterStep(log, 4), named), "listener")->in_focus);

    // client: connect(): the client's socket and the other end of its connection.
    const ui::SceneModel connected = ui::BuildScene(log, CursorAfterStep(log, 5), Context());
    const int client = connected.FindCardIndex(CardNamed(connected, "client")->view.id);
    EXPECT_TRUE(connected.cards[static_cast<size_t>(client)].in_focus);
    bool peer_found = false;
    for (const ui::SceneLink& link : connected.links) {
        if (link.a != client && link.b != client) continue;
        const int peer = link.a == client ? link.b : link.a;
        EXPECT_TRUE(connected.cards[static_cast<size_t>(peer)].in_focus);
        peer_found = true;
    }
    EXPECT_TRUE(peer_found);
}

// close-and-time-wait, on the kernel: the new socket's bind() to the closed listener's port
// fails with EADDRINUSE because the server's TIME-WAIT still holds that port. The step is about
// that TIME-WAIT too, so it is in focus (not folded into "+1 TIME-WAIT").
TEST(SceneFocus, ABindRefusedWithEaddrinusePutsTheSocketsOnThatPortInFocus) {
    LessonLog run("06-close-and-time-wait.toml", 13);
    const core::LogView log = run.Log();
    ASSERT_GT(log.size(), 0u);
    const core::Event& last = log[log.size() - 1];
    ASSERT_EQ(last.request.call, CallKind::kBind);
    ASSERT_EQ(last.err, EADDRINUSE);

    const ui::SceneModel scene = ui::BuildScene(log, log.size());
    const ui::SceneCard* restarted = CardNamed(scene, "restarted");
    ASSERT_NE(restarted, nullptr);
    EXPECT_TRUE(restarted->in_focus);
    int holders = 0;
    for (const ui::SceneCard& card : scene.cards) {
        if (card.view.tcp_state != TcpState::kTimeWait) continue;
        ++holders;
        EXPECT_TRUE(card.in_focus) << "the TIME-WAIT holding the port";
    }
    EXPECT_EQ(holders, 1);
    // A socket on another port stays out of focus: the client's, closed after the server.
    for (const ui::SceneCard& card : scene.cards) {
        if (card.view.tcp_state == TcpState::kTimeWait || &card == restarted) continue;
        EXPECT_FALSE(card.in_focus) << card.view.name;
    }
}

// Hand-built events: a failed call lands on the card; a later success clears it.
core::Event MakeEvent(uint64_t seq, Phase phase, CallKind call, int socket_id, int err,
                      core::Snapshot sockets) {
    core::Event e;
    e.seq = seq;
    e.t_us = static_cast<int64_t>(seq) * 1000;
    e.actor = 0;
    e.actor_name = "server";
    e.phase = phase;
    e.request.call = call;
    e.request.socket = "s";
    e.socket_id = socket_id;
    e.err = err;
    e.sockets = std::move(sockets);
    return e;
}

TEST(SceneFromEvents, AFailedCallShowsItsErrnoUntilALaterSuccess) {
    core::SocketView s;
    s.id = 0;
    s.name = "s";
    s.fd = 3;
    s.actor = 0;
    s.api_state = ApiState::kCreated;
    s.tcp_state = TcpState::kClose;
    core::EventLog log;
    core::Event accept = MakeEvent(0, Phase::kReturn, CallKind::kAccept, 0, EINVAL, {s});
    accept.predicted.known = true;
    accept.predicted.result = EINVAL;
    accept.predicted.why = "this socket is not listening";
    log.Append(accept);
    ui::SceneModel scene = ui::BuildScene(log.View(), 1);
    ASSERT_EQ(scene.cards.size(), 1u);
    EXPECT_EQ(scene.cards[0].last_err, EINVAL);
    EXPECT_EQ(scene.cards[0].last_err_call, CallKind::kAccept);
    EXPECT_EQ(scene.cards[0].last_err_why, "this socket is not listening");
    EXPECT_EQ(scene.actors[0].failed_err, 0);  // no Enter event: the actor's call is unknown

    log.Append(MakeEvent(1, Phase::kReturn, CallKind::kListen, 0, 0, {s}));
    scene = ui::BuildScene(log.View(), 2);
    EXPECT_EQ(scene.cards[0].last_err, 0);
    // The actor list comes from the log when the front end gives none; listen() makes a server.
    ASSERT_EQ(scene.actors.size(), 1u);
    EXPECT_EQ(scene.actors[0].role, core::Role::kServer);
}

// A kernel event (the delayed ACK moved FIN-WAIT-1 to FIN-WAIT-2 after close() returned): live,
// the cards show its newer snapshot while the call stays the one on stage; in history the
// kernel event at the cursor is the moment shown.
TEST(SceneFromEvents, AKernelEventUpdatesTheCardsWithoutTakingTheStage) {
    core::SocketView conn;
    conn.id = 0;
    conn.name = "conn";
    conn.actor = 0;
    conn.owner = core::Owner::kKernel;
    conn.api_state = ApiState::kClosed;
    conn.tcp_state = TcpState::kFinWait1;
    conn.outq = 1;
    core::EventLog log;
    log.Append(MakeEvent(0, Phase::kReturn, CallKind::kClose, 0, 0, {conn}));
    core::SocketView fw2 = conn;
    fw2.tcp_state = TcpState::kFinWait2;
    fw2.outq = 0;
    core::Event kernel = MakeEvent(1, Phase::kKernel, CallKind::kSocket, 0, 0, {fw2});
    kernel.actor = -1;
    kernel.actor_name.clear();
    log.Append(kernel);

    ui::SceneModel live = ui::BuildScene(log.View(), 2);
    EXPECT_FALSE(live.history);
    ASSERT_TRUE(live.current.has_value());
    EXPECT_EQ(*live.current, 0u) << "close() stays on stage";
    const ui::SceneCard* card = CardNamed(live, "conn");
    ASSERT_NE(card, nullptr);
    EXPECT_EQ(card->view.tcp_state, TcpState::kFinWait2) << "the kernel's newer view";

    core::SocketView gone = fw2;
    gone.tcp_state = TcpState::kTimeWait;
    core::Event later = MakeEvent(2, Phase::kKernel, CallKind::kSocket, 0, 0, {gone});
    later.actor = -1;
    log.Append(later);
    const ui::SceneModel past = ui::BuildScene(log.View(), 2);
    EXPECT_TRUE(past.history);
    ASSERT_TRUE(past.current.has_value());
    EXPECT_EQ(*past.current, 1u) << "in history the kernel event is the moment shown";
    card = CardNamed(past, "conn");
    ASSERT_NE(card, nullptr);
    EXPECT_EQ(card->view.tcp_state, TcpState::kFinWait2);
}

TEST(SceneFromEvents, KernelAndExternalSocketsAreShownHonestly) {
    core::SocketView listener;
    listener.id = 0;
    listener.name = "listener";
    listener.fd = 3;
    listener.actor = 0;
    listener.api_state = ApiState::kListening;
    listener.tcp_state = TcpState::kListen;
    listener.local = core::Endpoint{core::Family::kInet, "127.0.0.1", 5000};
    core::SocketView external = listener;
    external.id = 1;
    external.name.clear();
    external.fd = -1;
    external.actor = -1;
    external.owner = core::Owner::kExternal;
    external.tcp_state = TcpState::kEstablished;
    external.local = core::Endpoint{core::Family::kInet, "127.0.0.1", 40000};
    external.remote = listener.local;
    core::SocketView waiting = external;
    waiting.id = 2;
    waiting.owner = core::Owner::kKernel;
    waiting.local = listener.local;
    waiting.remote = external.local;
    core::SocketView orphan = waiting;
    orphan.id = 3;
    orphan.tcp_state = TcpState::kTimeWait;
    orphan.timer_ms = 59000;
    orphan.local = core::Endpoint{core::Family::kInet, "127.0.0.1", 6000};
    orphan.remote = core::Endpoint{core::Family::kInet, "127.0.0.1", 6001};

    core::EventLog log;
    log.Append(MakeEvent(0, Phase::kReturn, CallKind::kListen, 0, 0,
                         {listener, external, waiting, orphan}));
    const ui::SceneModel scene = ui::BuildScene(log.View(), 1);
    ASSERT_EQ(scene.outside.size(), 1u);
    EXPECT_EQ(scene.cards[static_cast<size_t>(scene.outside[0])].view.id, 1);
    ASSERT_EQ(scene.kernel_only.size(), 1u);
    EXPECT_EQ(scene.cards[static_cast<size_t>(scene.kernel_only[0])].view.id, 3);
    EXPECT_EQ(scene.cards[2].placement, Placement::kAcceptQueue);
    EXPECT_EQ(scene.cards[2].parent, 0);
    EXPECT_TRUE(scene.any_timer);
    ASSERT_EQ(scene.links.size(), 1u);
    EXPECT_EQ(scene.links[0].a, 1);  // the outside program is the client side
    EXPECT_EQ(scene.links[0].b, 2);
}

}  // namespace
}  // namespace sockstep::testing

namespace sockstep::testing {
namespace {

// connect() (step 5) wakes the accept() (step 3) blocked since earlier; the woken accept() may
// log its Return after connect()'s, as the two threads are scheduled. Live, the stage (and so
// the narration) is connect()'s either way, as after `--steps 6`; in history the cursor decides.
TEST(SceneFromEvents, ACallThatWokeABlockedOneKeepsTheStageWhicheverReturnsLast) {
    const auto event = [](uint64_t seq, int actor, int step, Phase phase, CallKind call) {
        core::Event e = MakeEvent(seq, phase, call, -1, 0, {});
        e.actor = actor;
        e.actor_name = actor == 0 ? "server" : "client";
        e.step = step;
        return e;
    };
    for (const bool accept_last : {true, false}) {
        SCOPED_TRACE(accept_last ? "accept() returns last" : "connect() returns last");
        core::EventLog log;
        log.Append(event(0, 0, 3, Phase::kEnter, CallKind::kAccept));
        log.Append(event(1, 0, 3, Phase::kBlocked, CallKind::kAccept));
        log.Append(event(2, 1, 5, Phase::kEnter, CallKind::kConnect));
        log.Append(event(3, accept_last ? 1 : 0, accept_last ? 5 : 3, Phase::kReturn,
                         accept_last ? CallKind::kConnect : CallKind::kAccept));
        log.Append(event(4, accept_last ? 0 : 1, accept_last ? 3 : 5, Phase::kReturn,
                         accept_last ? CallKind::kAccept : CallKind::kConnect));
        const ui::SceneModel live = ui::BuildScene(log.View(), log.View().size());
        ASSERT_TRUE(live.current.has_value());
        EXPECT_EQ(log.View()[*live.current].step, 5);
        EXPECT_EQ(log.View()[*live.current].phase, Phase::kReturn);
        const ui::SceneModel earlier = ui::BuildScene(log.View(), 4);
        ASSERT_TRUE(earlier.history);
        EXPECT_EQ(earlier.current, 3u);
    }
}

}  // namespace
}  // namespace sockstep::testing
