// BuildScene: the log at a cursor turned into cards, panes and links. Pure: no ImGui, no clock,
// no kernel access; everything shown comes from the log (or the live probe handed in).
#include "sockstep/model/scene.h"

#include <algorithm>
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

// A connection's two ends, local first.
struct EndpointPair {
    EndpointKey local;
    EndpointKey remote;
    bool operator==(const EndpointPair&) const = default;
};

struct EndpointPairHash {
    size_t operator()(const EndpointPair& p) const {
        return HashOf(p.local) ^ (HashOf(p.remote) * 31 + 0x632be59bd9b4e019ULL);
    }
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

// A snapshot's sockets by local port: with 1,000 connections, scanning the whole snapshot for
// both ends of every packet in the lane costs more than the rest of the scene.
using PortIndex = std::unordered_map<uint16_t, std::vector<const SocketView*>>;

PortIndex IndexByPort(const core::Snapshot& snapshot) {
    PortIndex index;
    for (const SocketView& v : snapshot) {
        if (v.local) index[v.local->port].push_back(&v);
    }
    return index;
}

// The same sockets by local and remote port: the connection a packet's two ends name is found
// among the few that join those ports, not among the 1,000 on a listener's port.
using PairIndex = std::unordered_map<uint32_t, std::vector<const SocketView*>>;

uint32_t PortPair(uint16_t local, uint16_t remote) {
    return static_cast<uint32_t>(local) << 16 | remote;
}

PairIndex IndexByPorts(const core::Snapshot& snapshot) {
    PairIndex index;
    for (const SocketView& v : snapshot) {
        if (v.local && v.remote) index[PortPair(v.local->port, v.remote->port)].push_back(&v);
    }
    return index;
}

std::vector<const SocketView*> OnPort(const core::Snapshot& snapshot, uint16_t port) {
    std::vector<const SocketView*> out;
    for (const SocketView& v : snapshot) {
        if (v.local && v.local->port == port) out.push_back(&v);
    }
    return out;
}

SideGuess SideOf(const core::Endpoint& end, const core::Endpoint& other,
                 const std::vector<const SocketView*>& on_port,
                 const std::vector<SceneActor>& actors) {
    const SocketView* best = nullptr;
    const SocketView* listener = nullptr;
    for (const SocketView* v : on_port) {
        const bool wildcard = v->local->host == "0.0.0.0" || v->local->host == "::";
        if (v->local->host != end.host && !wildcard) continue;
        if (v->tcp_state == TcpState::kListen) listener = v;
        if (v->remote && *v->remote == other) {
            best = v;
            break;
        }
        if (!best) best = v;
    }
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

ScenePacket MakeScenePacket(const core::LogView& log, size_t index, const SceneModel& m,
                            const PortIndex& now, const PairIndex& pairs, int64_t current_cause) {
    const Event& e = log[index];
    ScenePacket p;
    p.event = index;
    p.packet = *e.packet;
    p.current = e.cause_seq >= 0 && e.cause_seq == current_cause;
    if (e.cause_seq >= 0) p.cause = e.actor_name + ": " + core::FormatCall(e.request);
    // The snapshot at the cursor first (indexed); a socket gone from it since (closed, its
    // TIME-WAIT over) is still in the snapshot the packet was logged with.
    auto side = [&](const core::Endpoint& end, const core::Endpoint& other) {
        static const std::vector<const SocketView*> kNone;
        // The connection to `other` decides when one owns it (what SideOf would find first).
        if (const auto it = pairs.find(PortPair(end.port, other.port)); it != pairs.end()) {
            for (const SocketView* v : it->second) {
                const bool wildcard = v->local->host == "0.0.0.0" || v->local->host == "::";
                if ((v->local->host != end.host && !wildcard) || !(*v->remote == other)) continue;
                if (v->owner != Owner::kExternal && v->actor < 0) break;
                const SideGuess g = SideOf(end, other, {v}, m.actors);
                if (g.side) return g;
                break;
            }
        }
        const auto it = now.find(end.port);
        SideGuess g = SideOf(end, other, it == now.end() ? kNone : it->second, m.actors);
        if (!g.side) g = SideOf(end, other, OnPort(e.sockets, end.port), m.actors);
        return g;
    };
    // An ICMP error's own addresses have no port: it comes from the host of the datagram's
    // destination (the closed port) to the datagram's sender, the ends it quotes.
    const core::Endpoint& src = p.packet.icmp ? p.packet.icmp->quoted_dst : p.packet.src;
    const core::Endpoint& dst = p.packet.icmp ? p.packet.icmp->quoted_src : p.packet.dst;
    const SideGuess from = side(src, dst);
    const SideGuess to = side(dst, src);
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

}  // namespace

const SceneCard* SceneModel::FindCard(int socket_id) const {
    const int i = FindCardIndex(socket_id);
    return i < 0 ? nullptr : &cards[static_cast<size_t>(i)];
}

int SceneModel::FindCardIndex(int socket_id) const {
    for (size_t i = 0; i < cards.size(); ++i) {
        if (cards[i].view.id == socket_id) return static_cast<int>(i);
    }
    return -1;
}

std::vector<ActorInfo> InferActors(const core::LogView& log) {
    std::vector<ActorInfo> actors;
    std::vector<bool> server;
    for (size_t i = 0; i < log.size(); ++i) {
        const Event& e = log[i];
        // A log read from a file is bounded by its reader; the bound is kept here too, since
        // one pane is made for every index up to the largest.
        if (e.actor < 0 || e.actor > core::kMaxEventActor) continue;
        const auto a = static_cast<size_t>(e.actor);
        if (a >= actors.size()) {
            actors.resize(a + 1);
            server.resize(a + 1, false);
        }
        if (actors[a].name.empty()) actors[a].name = e.actor_name;
        if (e.request.call == CallKind::kListen || e.request.call == CallKind::kAccept) {
            server[a] = true;
        }
    }
    for (size_t a = 0; a < actors.size(); ++a) {
        if (actors[a].name.empty()) actors[a].name = "actor" + std::to_string(a);
        const bool named_server = actors[a].name.find("server") != std::string::npos;
        actors[a].role = server[a] || named_server ? core::Role::kServer : core::Role::kClient;
    }
    return actors;
}

SceneModel BuildScene(const core::LogView& log, size_t cursor, const SceneContext& context) {
    SceneModel m;
    m.total = log.size();
    m.cursor = std::min(cursor, m.total);
    m.history = m.cursor < m.total;

    // Actors: the front end's list first, then whatever else the log names.
    std::vector<ActorInfo> actors = context.actors;
    const std::vector<ActorInfo> inferred = InferActors(log);
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
    std::unordered_map<int, SocketHistory> sockets;
    std::vector<ActorHistory> history(m.actors.size());
    std::deque<size_t> packet_events;  // the latest kScenePackets up to the cursor
    for (size_t i = 0; i < m.cursor; ++i) {
        const Event& e = log[i];
        // A captured packet names the call that caused it but is not a step of that actor: a
        // SYN retransmitted while connect() blocks must not hide that the actor is blocked.
        if (e.phase == Phase::kPacket) {
            if (e.packet) {
                ++m.packets_total;
                packet_events.push_back(i);
                if (packet_events.size() > kScenePackets) packet_events.pop_front();
            }
            continue;
        }
        if (e.actor >= 0 && static_cast<size_t>(e.actor) < history.size()) {
            ActorHistory& h = history[static_cast<size_t>(e.actor)];
            h.last_event = static_cast<int>(i);
            if (e.phase == Phase::kEnter) h.last_enter = static_cast<int>(i);
            if (Ends(e.phase)) h.last_end = static_cast<int>(i);
            // close() releases the descriptor even when it fails (close(2)).
            std::vector<std::string>& closed = m.actors[static_cast<size_t>(e.actor)].closed;
            if (e.phase == Phase::kReturn && e.request.call == CallKind::kClose &&
                std::find(closed.begin(), closed.end(), e.request.socket) == closed.end()) {
                closed.push_back(e.request.socket);
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
    std::unordered_map<int, int> index_of;
    for (size_t i = 0; i < m.cards.size(); ++i) index_of[m.cards[i].view.id] = static_cast<int>(i);
    // Each card's children, in id order: one pass instead of a scan per root card (a listener
    // with 1,000 accepted connections).
    std::unordered_map<int, std::vector<int>> children;
    for (size_t j = 0; j < m.cards.size(); ++j) {
        if (m.cards[j].parent >= 0) children[m.cards[j].parent].push_back(static_cast<int>(j));
    }
    auto is_child = [&](const SceneCard& c) {
        if (c.parent < 0) return false;
        auto it = index_of.find(c.parent);
        return it != index_of.end() && m.cards[static_cast<size_t>(it->second)].pane == c.pane;
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
    std::unordered_map<EndpointPair, int, EndpointPairHash> by_pair;
    by_pair.reserve(m.cards.size());
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (v.type != core::SockType::kStream || !v.local || !v.remote || !v.tcp_state) continue;
        by_pair.emplace(EndpointPair{EndpointKey(*v.local), EndpointKey(*v.remote)},
                        static_cast<int>(i));
    }
    std::vector<bool> linked(m.cards.size(), false);
    auto client_side = [&](int i) {
        const SceneCard& c = m.cards[static_cast<size_t>(i)];
        if (c.placement == Placement::kExternal) return true;
        return c.pane >= 0 && m.actors[static_cast<size_t>(c.pane)].role == core::Role::kClient;
    };
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (v.type != core::SockType::kStream || !v.local || !v.remote || !v.tcp_state) continue;
        auto it = by_pair.find(EndpointPair{EndpointKey(*v.remote), EndpointKey(*v.local)});
        if (it == by_pair.end() || it->second <= static_cast<int>(i)) continue;
        SceneLink link{static_cast<int>(i), it->second, LinkKind::kConnection};
        if (!client_side(link.a) && client_side(link.b)) std::swap(link.a, link.b);
        linked[i] = linked[static_cast<size_t>(it->second)] = true;
        m.links.push_back(link);
    }
    for (size_t i = 0; i < m.cards.size(); ++i) {
        const SocketView& v = m.cards[i].view;
        if (linked[i] || v.tcp_state != TcpState::kSynSent || !v.remote) continue;
        auto it = listeners.find(EndpointKey(*v.remote));
        if (it == listeners.end()) continue;
        const auto listener = index_of.find(it->second->id);
        if (listener == index_of.end()) continue;
        m.links.push_back({static_cast<int>(i), listener->second, LinkKind::kRequest});
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
        const PortIndex now = IndexByPort(*snapshot);
        const PairIndex pairs = IndexByPorts(*snapshot);
        for (const size_t i : packet_events) {
            m.packets.push_back(MakeScenePacket(log, i, m, now, pairs, current_cause));
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
