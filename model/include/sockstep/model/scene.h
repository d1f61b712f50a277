// The scene: what the panes show at one moment of the log, as plain data. BuildScene is a pure
// function of the event log and a cursor (no ImGui here), so tests and benchmarks build scenes
// from recorded logs, and the same drawing code shows a live session and a loaded file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/session.h"
#include "sockstep/core/snapshot.h"

namespace sockstep::ui {

struct ActorInfo {
    std::string name;
    core::Role role = core::Role::kClient;
};

// Where a socket's card is drawn, and why it is drawn the way it is.
enum class Placement : uint8_t {
    kOwned,        // a descriptor of an actor: a solid card in that actor's pane
    kAcceptQueue,  // no descriptor yet: the kernel holds it in a listener's queue (dashed, under
                   // it)
    kLingering,    // the actor closed it; the kernel still keeps it (FIN-WAIT, TIME-WAIT): dashed
    kExternal,     // a program outside sockstep (nc, curl, a browser)
    kKernel,       // no descriptor, and no listener or actor of ours to attach it to
};

struct SceneCard {
    core::SocketView view;  // the kernel's view at the moment shown (live: right now)
    // The snapshot's object `view` was copied from: the same one while the kernel's view of the
    // socket is unchanged (core::Snapshot::Shared), for what the front end measures of a card.
    std::shared_ptr<const core::SocketView> source;
    Placement placement = Placement::kOwned;
    int pane = -1;    // actor whose pane shows it; -1: the "outside" or "kernel" areas
    int parent = -1;  // socket id of the listener: queue entries and sockets accept() returned
    bool accepted = false;  // returned by accept(): it split off the listener
    bool fresh = false;     // created by the event at the cursor
    bool touched = false;   // the event at the cursor acted on it
    int last_err = 0;       // its latest call failed with this errno (a later success clears it)
    core::CallKind last_err_call = core::CallKind::kSocket;
    std::string last_err_why;  // the transition table's reason, when it predicted the failure
    int last_err_event = -1;   // the log index of the failed call's Return event
    int64_t timer_ref_us = 0;  // when view.timer_ms was read: a countdown runs from there
    // What the step is about, so the stage shows it whole and folds the rest: the socket the
    // call used or returned, their peers, sockets whose kernel state the step changed, and
    // sockets the lesson's step names in its `focus` list.
    bool in_focus = false;
};

struct BlockedCall {
    core::CallKind call = core::CallKind::kAccept;
    int socket_id = -1;
    std::string socket;
    int64_t since_us = 0;  // when the call was entered (the log's clock)
    std::string wchan;     // the kernel's own word for where the thread sleeps
    std::string syscall;
};

struct SceneActor {
    int index = 0;
    std::string name;
    core::Role role = core::Role::kClient;
    std::vector<int> cards;  // indexes into SceneModel::cards, in drawing order
    std::optional<BlockedCall> blocked;
    bool running = false;  // entered and not yet returned or blocked (microseconds)
    int last_event = -1;   // index of its latest event at the cursor, -1 if none
    int failed_err = 0;    // its latest call failed (also for socket(), which has no card)
    // For the lifecycle diagram: the API state every open socket of the actor is in, and the
    // transition its latest call took (from → to by `call`).
    std::vector<std::pair<core::ApiState, std::string>> socket_states;
    std::optional<core::CallKind> last_call;
    core::ApiState last_from = core::ApiState::kNone;
    core::ApiState last_to = core::ApiState::kNone;
    core::SockType type = core::SockType::kStream;  // of its latest socket: picks the diagram
    std::vector<std::string> closed;  // names of the sockets it closed by the cursor, once each
};

enum class LinkKind : uint8_t {
    kConnection,  // both ends are sockets of this scene, each the other's peer
    kRequest,     // a SYN-SENT socket whose peer is a listener with no entry for it yet
};

struct SceneLink {
    int a = -1;  // card index; the client side when one side is a client
    int b = -1;
    LinkKind kind = LinkKind::kConnection;
};

// One captured packet as the wire's sequence diagram draws it.
enum class WireSide : uint8_t {
    kLeft,
    kRight
};  // clients and outside programs left, servers right

struct ScenePacket {
    size_t event = 0;  // index of its Packet event in the log
    core::Packet packet;
    WireSide from = WireSide::kLeft;
    std::string from_name;  // "client", "server", "outside", or the socket's name when known
    std::string to_name;
    std::string cause;     // the call that sent it, "client: connect(sock)"; "" for the kernel
    bool current = false;  // sent by the call at the cursor
};

// The wire draws at most this many packets (the latest up to the cursor); the rest are counted.
inline constexpr size_t kScenePackets = 48;

struct SceneModel {
    size_t cursor = 0;     // events shown: [0, cursor)
    size_t total = 0;      // events in the log
    bool history = false;  // cursor < total: an earlier moment, not the kernel now
    int64_t t_us = 0;      // the log's clock at the moment shown
    // The event shown at the cursor: cursor - 1, except that live, packets logged after the
    // latest call are passed over (that call stays the one narrated).
    std::optional<size_t> current;
    std::vector<SceneActor> actors;
    std::vector<SceneCard> cards;
    std::vector<int> outside;      // external sockets (card indexes)
    std::vector<int> kernel_only;  // kernel sockets with no pane
    std::vector<SceneLink> links;
    bool any_blocked = false;
    bool any_timer = false;  // a TIME-WAIT or other kernel timer is running on a shown card
    std::vector<ScenePacket> packets;  // the latest captured packets up to the cursor, oldest first
    size_t packets_total = 0;          // all captured packets up to the cursor

    const SceneCard* FindCard(int socket_id) const;
    int FindCardIndex(int socket_id) const;
};

struct SceneContext {
    // Actors as the front end knows them (a session's AddActor order). Actors that appear only in
    // the log are added after these, with roles inferred from their calls.
    std::vector<ActorInfo> actors;
    // Live only: the kernel right now (Session::ProbeNow), shown instead of the last logged
    // snapshot when newer, so timers count down and SYN retransmissions show as they happen.
    const core::Snapshot* live_probe = nullptr;
    int64_t live_probe_us = -1;
    // Socket names the lesson's step at the cursor lists in its `focus` key: put in focus too.
    std::vector<std::string> focus;
};

SceneModel BuildScene(const core::LogView& log, size_t cursor, const SceneContext& context = {});

// What BuildScene reads from the start of the log up to the cursor (each socket's latest call
// and error, each actor's latest events and closed sockets, the captured packets) and the actors
// the whole log names, kept between builds. A live log only grows, so the build after a call
// reads only the events appended since, not the thousands before them (1,000 clients: 7,000
// events, most of the scene's time). A different log, other actors or a cursor moved back
// start the reading over; the scene is the same as BuildScene's without it.
class SceneScan {
  public:
    SceneScan();
    ~SceneScan();
    SceneScan(SceneScan&&) noexcept;
    SceneScan& operator=(SceneScan&&) noexcept;
    SceneScan(const SceneScan&) = delete;
    SceneScan& operator=(const SceneScan&) = delete;

    struct State;  // scene.cpp's

  private:
    friend SceneModel BuildScene(const core::LogView&, size_t, const SceneContext&, SceneScan&);
    std::unique_ptr<State> m_state;
};
SceneModel BuildScene(const core::LogView& log, size_t cursor, const SceneContext& context,
                      SceneScan& scan);

// What a pane with no cards says: "No sockets yet." before the actor had any, else that all its
// sockets are closed, naming up to three of them (a count beyond that fits one line).
std::string EmptyPaneText(const SceneActor& actor, core::Lang lang);

// Actors named in the log, in index order; a server is an actor that called listen() or
// accept(), or whose name says so. For loaded logs, which carry no actor list.
std::vector<ActorInfo> InferActors(const core::LogView& log);

}  // namespace sockstep::ui
