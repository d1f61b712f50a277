// BuildScene: the log at a cursor turned into cards, panes and links. Pure: no ImGui, no clock,
// no kernel access; everything shown comes from the log (or the live probe handed in).
#include "sockstep/model/scene.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

using core::ApiState;
using core::CallKind;
using core::Event;
using core::Owner;
using core::Phase;
using core::SocketView;
using core::TcpState;

bool Ends(Phase phase) {
    return phase == Phase::kReturn || phase == Phase::kInterrupted || phase == Phase::kRefused;
}

// States in which the kernel runs a timer worth watching tick: the handshake retransmitting,
// the close sequence, and TIME-WAIT's 60 s.
bool TransientTimerState(const std::optional<TcpState>& state) {
    if (!state) return false;
    switch (*state) {
        case TcpState::kSynSent:
        case TcpState::kSynRecv:
        case TcpState::kNewSynRecv:
        case TcpState::kFinWait1:
        case TcpState::kFinWait2:
        case TcpState::kClosing:
        case TcpState::kLastAck:
        case TcpState::kTimeWait:
            return true;
        default:
            return false;
    }
}

// An endpoint as a hash key without building a string: with 1,000 connections the scene looks
// up about 9,000 of them, and formatting each one was a third of BuildScene. The host is a view
// of the snapshot's (or the scene's) own string, which outlives the maps keyed by it.
struct EndpointKey {
    core::Family family = core::Family::kInet;
    uint16_t port = 0;
    std::string_view host;

    explicit EndpointKey(const core::Endpoint& e) : family(e.family), port(e.port), host(e.host) {}
    bool operator==(const EndpointKey&) const = default;
};

size_t HashOf(const EndpointKey& k) {
    const size_t rest = (static_cast<size_t>(k.port) << 8) | static_cast<size_t>(k.family);
    return std::hash<std::string_view>{}(k.host) ^ (rest * 0x9e3779b97f4a7c15ULL);
}

struct EndpointHash {
    size_t operator()(const EndpointKey& k) const { return HashOf(k); }
};

struct SocketHistory {
    int err = 0;
    CallKind call = CallKind::kSocket;
    std::string why;
    int event = -1;  // the log index of that call's Return event
    int parent = -1;
    bool accepted = false;
};

struct ActorHistory {
    int last_event = -1;
    int last_enter = -1;
    int last_end = -1;  // latest Return/Interrupted/Refused
};

ApiState StateIn(const core::Snapshot& snapshot, int id, ApiState missing) {
    const SocketView* v = core::FindSocket(snapshot, id);
    return v ? v->api_state : missing;
}

// Which side of the wire an endpoint of a packet belongs to, from a snapshot: the socket bound
// to it (the connection to `other` first), its actor's role, an outside program (left), or a
// listener's port (a connection still in the accept queue: the server's side). A socket bound to
// the wildcard address (0.0.0.0, ::) holds its port on every address: the client of a refused
// connect() is left at 0.0.0.0 with the port its SYN came from, and the RST comes back to it.
struct SideGuess {
    std::optional<WireSide> side;
    std::string name;
};

// The sockets of the snapshot at the cursor that the wire's packets may name, by position in
// it: every packet's two ends are looked up, and with 1,000 connections scanning the snapshot
// for each, or indexing all 2,000 sockets, cost more than the rest of the scene. One pass over
// the snapshot keeps only the ports and port pairs the packets carry.
class PacketIndex {
  public:
    PacketIndex(const core::Snapshot& snapshot, const core::LogView& log,
                const std::deque<size_t>& packets)
        : m_snapshot(snapshot) {
        for (const size_t i : packets) {
            const core::Packet& p = *log[i].packet;
            for (const auto& [end, other] : Ends(p)) {
                m_ports.emplace(end->port, std::vector<size_t>{});
                m_pairs.emplace(PortPair(end->port, other->port), std::vector<size_t>{});
            }
        }
        for (size_t at = 0; at < snapshot.size(); ++at) {
            const SocketView& v = snapshot[at];
            if (!v.local) continue;
            const auto port = m_ports.find(v.local->port);
            if (port == m_ports.end()) continue;
            port->second.push_back(at);
            if (v.tcp_state == TcpState::kListen) m_listeners[v.local->port].push_back(at);
            if (!v.remote) continue;
            const auto pair = m_pairs.find(PortPair(v.local->port, v.remote->port));
            if (pair != m_pairs.end()) pair->second.push_back(at);
        }
    }

    // A packet's ends, each with the other: from the sender, then from the receiver. An ICMP
    // error's own addresses have no port: it comes from the host of the datagram's destination
    // (the closed port) to the datagram's sender, the ends it quotes.
    static std::array<std::pair<const core::Endpoint*, const core::Endpoint*>, 2> Ends(
        const core::Packet& p) {
        const core::Endpoint& src = p.icmp ? p.icmp->quoted_dst : p.src;
        const core::Endpoint& dst = p.icmp ? p.icmp->quoted_src : p.dst;
        return {{{&src, &dst}, {&dst, &src}}};
    }

    const core::Snapshot& snapshot() const { return m_snapshot; }
    // Positions of the sockets bound to `port`, in snapshot order.
    const std::vector<size_t>& OnPort(uint16_t port) const { return Find(m_ports, port); }
    // Positions of the sockets from `local` to `remote` port, in snapshot order.
    const std::vector<size_t>& Joining(uint16_t local, uint16_t remote) const {
        return Find(m_pairs, PortPair(local, remote));
    }
    // Positions of the listeners on `port`, in snapshot order.
    const std::vector<size_t>& Listening(uint16_t port) const { return Find(m_listeners, port); }

  private:
    static uint32_t PortPair(uint16_t local, uint16_t remote) {
        return static_cast<uint32_t>(local) << 16 | remote;
    }
    template <typename Key>
    static const std::vector<size_t>& Find(
        const std::unordered_map<Key, std::vector<size_t>>& index, Key key) {
        static const std::vector<size_t> kNone;
        const auto it = index.find(key);
        return it == index.end() ? kNone : it->second;
    }

    const core::Snapshot& m_snapshot;
    std::unordered_map<uint16_t, std::vector<size_t>> m_ports;
    std::unordered_map<uint32_t, std::vector<size_t>> m_pairs;
    std::unordered_map<uint16_t, std::vector<size_t>> m_listeners;
};

// A socket bound to `end`'s host, or to the wildcard address (0.0.0.0, ::), which holds its port
// on every address.
bool BoundTo(const SocketView& v, const core::Endpoint& end) {
    return v.local->host == end.host || v.local->host == "0.0.0.0" || v.local->host == "::";
}

// The side of the socket that holds an end (`best`), or of the listener on its port.
SideGuess Decide(const SocketView* best, const SocketView* listener,
                 const std::vector<SceneActor>& actors) {
    SideGuess g;
    if (best && best->owner == Owner::kExternal) {
        g.side = WireSide::kLeft;
        return g;
    }
    // A connection no descriptor holds yet (in the accept queue) belongs to its listener's actor.
    const SocketView* owned = best && best->actor >= 0 ? best : listener;
    if (owned && owned->actor >= 0 && static_cast<size_t>(owned->actor) < actors.size()) {
        const SceneActor& a = actors[static_cast<size_t>(owned->actor)];
        g.side = a.role == core::Role::kServer ? WireSide::kRight : WireSide::kLeft;
        g.name = a.name;
        return g;
    }
    if (listener) g.side = WireSide::kRight;
    return g;
}

// SideOf over the sockets `at` positions of `snapshot` (in its order): the first connection to
// `other` bound to the end's host, else the first socket bound to it; the last listener bound to
// it up to there.
template <typename Positions, typename At>
SideGuess SideOf(const core::Endpoint& end, const core::Endpoint& other, const Positions& on_port,
                 At at, const std::vector<SceneActor>& actors) {
    const SocketView* best = nullptr;
    const SocketView* listener = nullptr;
    for (const auto& position : on_port) {
        const SocketView* v = at(position);
        if (!BoundTo(*v, end)) continue;
        if (v->tcp_state == TcpState::kListen) listener = v;
        if (v->remote && *v->remote == other) {
            best = v;
            break;
        }
        if (!best) best = v;
    }
    return Decide(best, listener, actors);
}

ScenePacket MakeScenePacket(const core::LogView& log, size_t index, const SceneModel& m,
                            const PacketIndex& now, int64_t current_cause) {
    const Event& e = log[index];
    ScenePacket p;
    p.event = index;
    p.packet = *e.packet;
    p.current = e.cause_seq >= 0 && e.cause_seq == current_cause;
    if (e.cause_seq >= 0) p.cause = e.actor_name + ": " + core::FormatCall(e.request);
    const core::Snapshot& snapshot = now.snapshot();
    auto in_snapshot = [&](size_t at) { return &snapshot[at]; };
    // The snapshot at the cursor first; a socket gone from it since (closed, its TIME-WAIT
    // over) is still in the snapshot the packet was logged with.
    auto side = [&](const core::Endpoint& end, const core::Endpoint& other) {
        // The connection to `other` is what SideOf over the port stops at; it is found among the
        // few sockets that join the two ports, not among the 1,000 on a listener's port, with
        // the port's last listener before it.
        for (const size_t at : now.Joining(end.port, other.port)) {
            const SocketView& v = snapshot[at];
            if (!BoundTo(v, end) || !(*v.remote == other)) continue;
            const SocketView* listener = nullptr;
            for (const size_t l : now.Listening(end.port)) {
                if (l <= at && BoundTo(snapshot[l], end)) listener = &snapshot[l];
            }
            SideGuess g = Decide(&v, listener, m.actors);
            if (!g.side) break;
            return g;
        }
        SideGuess g = SideOf(end, other, now.OnPort(end.port), in_snapshot, m.actors);
        if (!g.side) {
            std::vector<const SocketView*> then;
            for (const SocketView& v : e.sockets) {
                if (v.local && v.local->port == end.port) then.push_back(&v);
            }
            g = SideOf(
                end, other, then, [](const SocketView* v) { return v; }, m.actors);
        }
        return g;
    };
    const auto ends = PacketIndex::Ends(p.packet);
    const SideGuess from = side(*ends[0].first, *ends[0].second);
    const SideGuess to = side(*ends[1].first, *ends[1].second);
    if (from.side) {
        p.from = *from.side;
    } else if (to.side) {
        p.from = *to.side == WireSide::kLeft ? WireSide::kRight : WireSide::kLeft;
    } else {
        // Neither end is a socket any snapshot knows: an earlier packet between the same two
        // ends tells the side (the answer goes back the way the question came).
        for (auto it = m.packets.rbegin(); it != m.packets.rend(); ++it) {
            const core::Packet& q = it->packet;
            if (q.src == p.packet.src && q.dst == p.packet.dst) {
                p.from = it->from;
                break;
            }
            if (q.src == p.packet.dst && q.dst == p.packet.src) {
                p.from = it->from == WireSide::kLeft ? WireSide::kRight : WireSide::kLeft;
                break;
            }
        }
    }
    p.from_name = from.name;
    p.to_name = to.name;
    return p;
}

// The sockets the step at `shown` is about (SceneCard::in_focus). The snapshot before the step
// is the one logged with the call's Enter event (or, for a kernel event or packet, the event
// before it): a socket whose kernel state differs from it, or that is new, changed at this step.
// The port a bind() asked for: its own, or (bind to a named socket's address) the last local
// port the log shows for that socket, which may be closed by now. 0 when neither is known.
uint16_t BindPort(const core::LogView& log, size_t shown, const core::Address& address) {
    if (address.port != 0 || address.peer.empty()) return address.port;
    for (size_t i = shown + 1; i-- > 0;) {
        const SocketView* peer = core::FindSocketByName(log[i].sockets, address.peer);
        if (peer != nullptr && peer->local && peer->local->port != 0) return peer->local->port;
    }
    return 0;
}

void MarkFocus(SceneModel& m, const core::LogView& log, size_t shown, const Event& current,
               const std::vector<std::string>& names) {
    size_t before = shown;
    if (current.phase != Phase::kPacket && current.phase != Phase::kKernel) {
        while (before > 0 &&
               !(log[before].phase == Phase::kEnter && log[before].actor == current.actor)) {
            --before;
        }
    } else if (before > 0) {
        --before;
    }
    const core::Snapshot& old = log[before].sockets;
    const bool have_old = before < shown || log[before].phase == Phase::kEnter;
    for (SceneCard& c : m.cards) {
        const SocketView& v = c.view;
        bool focus = c.touched || c.fresh;
        if (have_old) {
            const SocketView* was = core::FindSocket(old, v.id);
            if (was == nullptr || was->tcp_state != v.tcp_state || was->api_state != v.api_state ||
                was->accept_queue != v.accept_queue || was->inq != v.inq) {
                focus = true;
            }
        }
        if (!v.name.empty() && std::find(names.begin(), names.end(), v.name) != names.end()) {
            focus = true;
        }
        c.in_focus = focus;
    }
    // Peers of what the call used or returned: the other end of the wire, the listener of a
    // request, the listener a queued or accepted socket hangs under.
    std::vector<bool> base(m.cards.size());
    for (size_t i = 0; i < m.cards.size(); ++i) {
        base[i] = m.cards[i].touched || m.cards[i].fresh;
    }
    for (const SceneLink& link : m.links) {
        const auto a = static_cast<size_t>(link.a);
        const auto b = static_cast<size_t>(link.b);
        if (base[a]) m.cards[b].in_focus = true;
        if (base[b]) m.cards[a].in_focus = true;
    }
    for (size_t i = 0; i < m.cards.size(); ++i) {
        if (!base[i] || m.cards[i].parent < 0) continue;
        const int parent = m.FindCardIndex(m.cards[i].parent);
        if (parent >= 0) m.cards[static_cast<size_t>(parent)].in_focus = true;
    }
    // A bind() refused with EADDRINUSE is about the sockets that hold the port (the TIME-WAIT
    // an earlier connection left, a listener), so they stay in sight beside the refused one.
    if (current.phase == Phase::kReturn && current.request.call == CallKind::kBind &&
        current.err == EADDRINUSE) {
        const uint16_t port = BindPort(log, shown, current.request.args.address);
        for (SceneCard& c : m.cards) {
            if (port != 0 && c.view.id != current.socket_id && c.view.local &&
                c.view.local->port == port) {
                c.in_focus = true;
            }
        }
    }
}

// The actors a log names, read up to `read` (InferActors): kept by SceneScan so that a grown log
// is read only from where the last build stopped.
struct ActorsRead {
    size_t read = 0;
    std::vector<std::string> names;
    std::vector<bool> server;

    void Read(const core::LogView& log, size_t to) {
        for (; read < to; ++read) {
            const Event& e = log[read];
            // A log read from a file is bounded by its reader; the bound is kept here too,
            // since one pane is made for every index up to the largest.
            if (e.actor < 0 || e.actor > core::kMaxEventActor) continue;
            const auto a = static_cast<size_t>(e.actor);
            if (a >= names.size()) {
                names.resize(a + 1);
                server.resize(a + 1, false);
            }
            if (names[a].empty()) names[a] = e.actor_name;
            if (e.request.call == CallKind::kListen || e.request.call == CallKind::kAccept) {
                server[a] = true;
            }
        }
    }

    std::vector<ActorInfo> Actors() const {
        std::vector<ActorInfo> actors(names.size());
        for (size_t a = 0; a < actors.size(); ++a) {
            actors[a].name = names[a].empty() ? "actor" + std::to_string(a) : names[a];
            const bool named_server = actors[a].name.find("server") != std::string::npos;
            actors[a].role = server[a] || named_server ? core::Role::kServer : core::Role::kClient;
        }
        return actors;
    }
};

// What only the history knows, read up to `read` for `actor_count` actors: failed calls, which
// sockets accept() returned, who is blocked, what each actor closed, the captured packets.
struct HistoryRead {
    size_t read = 0;
    size_t actor_count = 0;
    std::unordered_map<int, SocketHistory> sockets;
    std::vector<ActorHistory> actors;
    std::vector<std::vector<std::string>> closed;  // per actor, once each, in closing order
    std::deque<size_t> packet_events;              // the latest kScenePackets up to `read`
    size_t packets_total = 0;

    HistoryRead() = default;
    explicit HistoryRead(size_t count) : actor_count(count), actors(count), closed(count) {}

    void Read(const core::LogView& log, size_t to) {
        for (; read < to; ++read) Add(log[read], read);
    }

  private:
    void Add(const Event& e, size_t i) {
        // A captured packet names the call that caused it but is not a step of that actor: a
        // SYN retransmitted while connect() blocks must not hide that the actor is blocked.
        if (e.phase == Phase::kPacket) {
            if (e.packet) {
                ++packets_total;
                packet_events.push_back(i);
                if (packet_events.size() > kScenePackets) packet_events.pop_front();
            }
            return;
        }
        if (e.actor >= 0 && static_cast<size_t>(e.actor) < actor_count) {
            ActorHistory& h = actors[static_cast<size_t>(e.actor)];
            h.last_event = static_cast<int>(i);
            if (e.phase == Phase::kEnter) h.last_enter = static_cast<int>(i);
            if (Ends(e.phase)) h.last_end = static_cast<int>(i);
            // close() releases the descriptor even when it fails (close(2)).
            std::vector<std::string>& names = closed[static_cast<size_t>(e.actor)];
            if (e.phase == Phase::kReturn && e.request.call == CallKind::kClose &&
                std::find(names.begin(), names.end(), e.request.socket) == names.end()) {
                names.push_back(e.request.socket);
            }
        }
        if (e.phase == Phase::kReturn && e.socket_id >= 0) {
            SocketHistory& s = sockets[e.socket_id];
            s.err = e.err;
            s.call = e.request.call;
            s.event = static_cast<int>(i);
            s.why = e.err != 0 && e.predicted.known && e.predicted.result == e.err
                        ? std::string(e.predicted.why)
                        : std::string();
        }
        // A later successful poll() over a socket is a later call on it: its error is stale.
        if (e.phase == Phase::kReturn && e.request.call == CallKind::kPoll && e.err == 0) {
            for (const std::string& name : e.request.args.poll_sockets) {
                for (const SocketView& v : e.sockets) {
                    if (v.name == name && v.actor == e.actor) sockets[v.id].err = 0;
                }
            }
        }
        if (e.phase == Phase::kReturn && e.request.call == CallKind::kAccept && e.err == 0 &&
            e.result_socket_id >= 0) {
            SocketHistory& s = sockets[e.result_socket_id];
            s.parent = e.socket_id;
            s.accepted = true;
        }
    }
};

// Whether `log` is `read` grown at its end: its events are the same objects (a LogView's blocks
// are shared and never change below its size, and `read` holds them, so an address is not
// reused by another log while it is compared).
bool Extends(const core::LogView& log, const core::LogView& read) {
    if (read.empty()) return true;
    return log.size() >= read.size() && &log[0] == &read[0] &&
           &log[read.size() - 1] == &read[read.size() - 1];
}

}  // namespace

const SceneCard* SceneModel::FindCard(int socket_id) const {
    const int i = FindCardIndex(socket_id);
    return i < 0 ? nullptr : &cards[static_cast<size_t>(i)];
}

int SceneModel::FindCardIndex(int socket_id) const {
    // Cards come in their snapshot's order, which a session keeps sorted by id: a binary search
    // first (the scene looks up the listener of each of 1,000 accepted sockets). A log read from
    // a file need not be sorted, so a miss still scans every card.
    size_t lo = 0;
    size_t hi = cards.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const int at = cards[mid].view.id;
        if (at == socket_id) return static_cast<int>(mid);
        if (at < socket_id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t i = 0; i < cards.size(); ++i) {
        if (cards[i].view.id == socket_id) return static_cast<int>(i);
    }
    return -1;
}

std::vector<ActorInfo> InferActors(const core::LogView& log) {
    ActorsRead read;
    read.Read(log, log.size());
    return read.Actors();
}

struct SceneScan::State {
    core::LogView log;  // the log read so far, held so that its events stay where they are
    ActorsRead actors;
    HistoryRead history;
};

SceneScan::SceneScan() : m_state(std::make_unique<State>()) {}
SceneScan::~SceneScan() = default;
SceneScan::SceneScan(SceneScan&&) noexcept = default;
SceneScan& SceneScan::operator=(SceneScan&&) noexcept = default;

SceneModel BuildScene(const core::LogView& log, size_t cursor, const SceneContext& context) {
    SceneScan scan;
    return BuildScene(log, cursor, context, scan);
}

SceneModel BuildScene(const core::LogView& log, size_t cursor, const SceneContext& context,
                      SceneScan& scan) {
    SceneModel m;
    m.total = log.size();
    m.cursor = std::min(cursor, m.total);
    m.history = m.cursor < m.total;

    SceneScan::State& read = *scan.m_state;
    if (!Extends(log, read.log)) read = SceneScan::State{};
    read.log = log;

    // Actors: the front end's list first, then whatever else the log names.
    std::vector<ActorInfo> actors = context.actors;
    read.actors.Read(log, log.size());
    const std::vector<ActorInfo> inferred = read.actors.Actors();
    for (size_t a = actors.size(); a < inferred.size(); ++a) actors.push_back(inferred[a]);
    m.actors.resize(actors.size());
    for (size_t a = 0; a < actors.size(); ++a) {
        m.actors[a].index = static_cast<int>(a);
        m.actors[a].name = actors[a].name;
        m.actors[a].role = actors[a].role;
    }
    if (m.cursor == 0) return m;

    const Event& latest = log[m.cursor - 1];
    // Live, a packet the kernel sent on its own after the latest call (a delayed ACK), or a
    // change it made (a kernel event), does not take the stage from that call: the cards show
    // the newest snapshot, the narration stays the call's. In history the event at the cursor
    // is what is shown.
    size_t shown = m.cursor - 1;
    if (!m.history) {
        while (shown > 0 &&
               (log[shown].phase == Phase::kPacket || log[shown].phase == Phase::kKernel)) {
            --shown;
        }
        // A blocked call that the latest call woke (accept() woken by connect()) may log its
        // return after that call's: the stage stays the latest call's, so the narration is
        // for the step just run (the woken call is told with it).
        size_t entered = shown + 1;
        while (entered-- > 0 && log[entered].phase != Phase::kEnter) {
        }
        const bool woken_after =
            entered <= shown && shown > entered && log[shown].actor != log[entered].actor &&
            (log[shown].phase == Phase::kReturn || log[shown].phase == Phase::kInterrupted);
        if (woken_after) {
            for (size_t i = shown; i > entered; --i) {
                if (log[i].actor == log[entered].actor &&
                    (Ends(log[i].phase) || log[i].phase == Phase::kBlocked)) {
                    shown = i;
                    break;
                }
            }
        }
    }
    const Event& current = log[shown];
    m.current = shown;
    m.t_us = latest.t_us;
    const core::Snapshot* snapshot = &latest.sockets;
    int64_t timer_ref = latest.t_us;
    if (!m.history && context.live_probe != nullptr && context.live_probe_us >= latest.t_us) {
        snapshot = context.live_probe;
        timer_ref = context.live_probe_us;
    }

    // What only the history knows: failed calls, which sockets accept() returned, who is blocked.
    if (read.history.actor_count != m.actors.size() || read.history.read > m.cursor) {
        read.history = HistoryRead(m.actors.size());
    }
    read.history.Read(log, m.cursor);
    const std::unordered_map<int, SocketHistory>& sockets = read.history.sockets;
    const std::vector<ActorHistory>& history = read.history.actors;
    for (size_t a = 0; a < m.actors.size(); ++a) m.actors[a].closed = read.history.closed[a];
    m.packets_total = read.history.packets_total;
    const std::deque<size_t>& packet_events = read.history.packet_events;

    // Listeners by local address, so fd-less connections can be put in their queue.
    std::unordered_map<EndpointKey, const SocketView*, EndpointHash> listeners;
    for (const SocketView& v : *snapshot) {
        if (v.tcp_state == TcpState::kListen && v.local && v.actor >= 0) {
            listeners.emplace(EndpointKey(*v.local), &v);
        }
    }

    m.cards.reserve(snapshot->size());
    for (size_t si = 0; si < snapshot->size(); ++si) {
        const SocketView& v = (*snapshot)[si];
        SceneCard c;
        c.view = v;
        c.source = snapshot->Shared(si);
        // A non-blocking connect() left the API state Connecting; once the kernel shows the
        // handshake done, the descriptor is connected whether or not a later call proved it.
        if (v.api_state == ApiState::kConnecting && v.tcp_state &&
            *v.tcp_state != TcpState::kSynSent && *v.tcp_state != TcpState::kClose) {
            c.view.api_state = ApiState::kConnected;
        }
        c.timer_ref_us = timer_ref;
        if (auto it = sockets.find(v.id); it != sockets.end()) {
            c.last_err = it->second.err;
            c.last_err_call = it->second.call;
            c.last_err_why = it->second.why;
            c.last_err_event = it->second.event;
            c.parent = it->second.parent;
            c.accepted = it->second.accepted;
        }
        switch (v.owner) {
            case Owner::kActor:
                c.placement = Placement::kOwned;
                c.pane = v.actor;
                break;
            case Owner::kExternal:
                c.placement = Placement::kExternal;
                break;
            case Owner::kKernel:
                if (v.actor >= 0) {
                    c.placement = Placement::kLingering;
                    c.pane = v.actor;
                } else if (auto it =
                               v.local ? listeners.find(EndpointKey(*v.local)) : listeners.end();
                           it != listeners.end()) {
                    c.placement = Placement::kAcceptQueue;
                    c.pane = it->second->actor;
                    c.parent = it->second->id;
                } else {
                    c.placement = Placement::kKernel;
                }
                break;
        }
        if (c.pane >= static_cast<int>(m.actors.size())) c.pane = -1;
        if (c.pane < 0 && c.placement != Placement::kExternal) c.placement = Placement::kKernel;
        c.fresh = current.phase == Phase::kReturn && current.result_socket_id == v.id;
        c.touched = current.socket_id == v.id;
        if (c.view.timer_ms >= 0 && TransientTimerState(c.view.tcp_state)) m.any_timer = true;
        m.cards.push_back(std::move(c));
    }

    // Panes: each root card followed by the cards hanging under it (queue entries, accepted
    // sockets), all in id order, so a card keeps its place as its state changes.
    // Each card's children, in id order: one pass instead of a scan per root card (a listener
    // with 1,000 accepted connections).
    std::unordered_map<int, std::vector<int>> children;
    for (size_t j = 0; j < m.cards.size(); ++j) {
        if (m.cards[j].parent >= 0) children[m.cards[j].parent].push_back(static_cast<int>(j));
    }
    auto is_child = [&](const SceneCard& c) {
        if (c.parent < 0) return false;
        const int parent = m.FindCardIndex(c.parent);
        return parent >= 0 && m.cards[static_cast<size_t>(parent)].pane == c.pane;
    };
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SceneCard& c = m.cards[i];
        if (c.placement == Placement::kExternal) {
            m.outside.push_back(static_cast<int>(i));
            continue;
        }
        if (c.pane < 0) {
            m.kernel_only.push_back(static_cast<int>(i));
            continue;
        }
        if (is_child(c)) continue;
        std::vector<int>& pane = m.actors[static_cast<size_t>(c.pane)].cards;
        pane.push_back(static_cast<int>(i));
        const auto kids = children.find(c.view.id);
        if (kids == children.end()) continue;
        for (const int j : kids->second) {
            const SceneCard& child = m.cards[static_cast<size_t>(j)];
            if (child.pane == c.pane && j != static_cast<int>(i)) pane.push_back(j);
        }
    }

    // Links: two cards that are each other's peer. A SYN-SENT socket whose listener has no
    // entry for it yet points at the listener (its SYNs go unanswered or wait for room).
    // The connections sorted by their ports, then looked up by bisection with the hosts
    // compared only among the few that share both ports: with 2,000 cards a map keyed by the
    // hosts' strings cost a sixth of the scene. Of two cards with the same ends the first wins.
    struct ByPorts {
        uint64_t ports;
        int card;
    };
    auto ports_of = [](const core::Endpoint& local, const core::Endpoint& remote) {
        return static_cast<uint64_t>(local.family) << 32 | static_cast<uint64_t>(local.port) << 16 |
               remote.port;
    };
    std::vector<ByPorts> by_pair;
    by_pair.reserve(m.cards.size());
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (v.type != core::SockType::kStream || !v.local || !v.remote || !v.tcp_state) continue;
        by_pair.push_back({ports_of(*v.local, *v.remote), static_cast<int>(i)});
    }
    std::stable_sort(by_pair.begin(), by_pair.end(),
                     [](const ByPorts& a, const ByPorts& b) { return a.ports < b.ports; });
    // The first card from `local` to `remote`, -1 when there is none.
    auto find_pair = [&](const core::Endpoint& local, const core::Endpoint& remote) {
        const uint64_t ports = ports_of(local, remote);
        auto it = std::lower_bound(by_pair.begin(), by_pair.end(), ports,
                                   [](const ByPorts& e, uint64_t key) { return e.ports < key; });
        for (; it != by_pair.end() && it->ports == ports; ++it) {
            const SocketView& v = m.cards[static_cast<size_t>(it->card)].view;
            if (EndpointKey(*v.local) == EndpointKey(local) &&
                EndpointKey(*v.remote) == EndpointKey(remote)) {
                return it->card;
            }
        }
        return -1;
    };
    std::vector<bool> linked(m.cards.size(), false);
    auto client_side = [&](int i) {
        const SceneCard& c = m.cards[static_cast<size_t>(i)];
        if (c.placement == Placement::kExternal) return true;
        return c.pane >= 0 && m.actors[static_cast<size_t>(c.pane)].role == core::Role::kClient;
    };
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (v.type != core::SockType::kStream || !v.local || !v.remote || !v.tcp_state) continue;
        const int peer = find_pair(*v.remote, *v.local);
        if (peer <= static_cast<int>(i)) continue;
        SceneLink link{static_cast<int>(i), peer, LinkKind::kConnection};
        if (!client_side(link.a) && client_side(link.b)) std::swap(link.a, link.b);
        linked[i] = linked[static_cast<size_t>(peer)] = true;
        m.links.push_back(link);
    }
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (linked[i] || v.tcp_state != TcpState::kSynSent || !v.remote) continue;
        auto it = listeners.find(EndpointKey(*v.remote));
        if (it == listeners.end()) continue;
        const int listener = m.FindCardIndex(it->second->id);
        if (listener < 0) continue;
        m.links.push_back({static_cast<int>(i), listener, LinkKind::kRequest});
    }

    // Actors: blocked or running now, their latest failure, their sockets' API states and the
    // transition their latest call took, for the lifecycle diagram.
    for (size_t a = 0; a < m.actors.size(); ++a) {
        SceneActor& actor = m.actors[a];
        const ActorHistory& h = history[a];
        actor.last_event = h.last_event;
        for (int ci : actor.cards) {
            const SceneCard& c = m.cards[static_cast<size_t>(ci)];
            if (c.placement != Placement::kOwned) continue;
            actor.socket_states.emplace_back(c.view.api_state, c.view.name);
            actor.type = c.view.type;
        }
        if (h.last_event < 0) continue;
        const Event& last = log[static_cast<size_t>(h.last_event)];
        if (last.phase == Phase::kBlocked) {
            BlockedCall b;
            b.call = last.request.call;
            b.socket_id = last.socket_id;
            b.socket = last.request.socket;
            b.since_us =
                h.last_enter >= 0 ? log[static_cast<size_t>(h.last_enter)].t_us : last.t_us;
            if (last.blocked) {
                b.wchan = last.blocked->wchan;
                b.syscall = last.blocked->syscall;
            }
            actor.blocked = std::move(b);
            m.any_blocked = true;
        } else if (last.phase == Phase::kEnter) {
            actor.running = true;
        }
        if (h.last_enter >= 0) {
            const Event& enter = log[static_cast<size_t>(h.last_enter)];
            const CallKind call = enter.request.call;
            actor.last_call = call;
            if (call == CallKind::kSocket) {
                actor.last_from = ApiState::kNone;
                actor.last_to = ApiState::kNone;
            } else {
                actor.last_from = StateIn(enter.sockets, enter.socket_id, ApiState::kNone);
                actor.last_to = actor.last_from;
                // The diagram shows this call's transition, so it is drawn for this socket's
                // type, which it keeps through close() (a closed UDP socket stays UDP).
                if (const SocketView* v = core::FindSocket(enter.sockets, enter.socket_id)) {
                    actor.type = v->type;
                }
            }
            if (h.last_end > h.last_enter) {
                const Event& end = log[static_cast<size_t>(h.last_end)];
                actor.failed_err = end.phase == Phase::kReturn ? end.err : 0;
                if (call == CallKind::kSocket) {
                    actor.last_to = StateIn(end.sockets, end.result_socket_id, ApiState::kNone);
                    if (const SocketView* v = core::FindSocket(end.sockets, end.result_socket_id)) {
                        actor.type = v->type;
                    }
                } else {
                    const ApiState gone =
                        call == CallKind::kClose ? ApiState::kClosed : actor.last_from;
                    actor.last_to = StateIn(end.sockets, end.socket_id, gone);
                }
            }
        }
    }

    MarkFocus(m, log, shown, current, context.focus);

    // The wire's sequence diagram: the packets of the latest call entered stand out (the
    // connect() just stepped, also when the accept() it woke logged its return after it).
    int64_t current_cause = -1;
    if (current.phase == Phase::kPacket) {
        current_cause = current.cause_seq;
    } else {
        for (size_t i = shown + 1; i-- > 0;) {
            if (log[i].phase == Phase::kEnter) {
                current_cause = static_cast<int64_t>(log[i].seq);
                break;
            }
        }
    }
    m.packets.reserve(packet_events.size());
    if (!packet_events.empty()) {
        const PacketIndex now(*snapshot, log, packet_events);
        for (const size_t i : packet_events) {
            m.packets.push_back(MakeScenePacket(log, i, m, now, current_cause));
        }
    }
    return m;
}

std::string EmptyPaneText(const SceneActor& actor, core::Lang lang) {
    constexpr size_t kNamed = 3;
    if (actor.closed.empty()) return Tr(Text::kNoSocketsYet, lang);
    if (actor.closed.size() > kNamed) {
        return Fmt(Text::kAllClosedCount, lang, {std::to_string(actor.closed.size())});
    }
    std::string names;
    for (const std::string& name : actor.closed) names += (names.empty() ? "" : ", ") + name;
    return Fmt(Text::kAllClosedNamed, lang, {names});
}

}  // namespace sockstep::ui
