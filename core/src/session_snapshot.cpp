// Taking the kernel's view of every socket of a session: TCP_INFO and SIOCINQ/SIOCOUTQ for our
// own descriptors, NETLINK_SOCK_DIAG for the sockets no descriptor of ours holds (connections
// waiting in an accept queue, FIN-WAIT-2, TIME-WAIT) and for external peers on loopback.
//
// sock_diag is asked by exact lookups of the connections we know of (a few µs each, one netlink
// message for all), not by dumps: a dump walks the kernel's whole connection table, ~230 µs per
// family here however few sockets match. A dump is made only when the kernel holds a connection
// we cannot name: a listener's accept queue longer than the connections we know are in it (an
// external client such as nc), and for UDP (cheap: the UDP table is small).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "session_impl.h"
#include "sockstep/core/kernel_probe.h"

namespace sockstep::core {
namespace {

// A connection's two ends, hashable without formatting strings (snapshots of 2,000 sockets
// spent most of their time in FormatEndpoint).
struct Tuple {
    Endpoint local;
    Endpoint remote;
    bool operator==(const Tuple&) const = default;
};

struct TupleHash {
    size_t operator()(const Tuple& t) const {
        const std::hash<std::string_view> h;
        return h(t.local.host) ^ (h(t.remote.host) << 1) ^
               (static_cast<size_t>(t.local.port) << 16) ^ t.remote.port;
    }
};

Tuple TupleKey(const Endpoint& local, const Endpoint& remote) {
    return Tuple{local, remote};
}

void FillFromDiag(SocketView& v, const DiagEntry& d) {
    v.tcp_state = d.state;
    if (d.state == TcpState::kListen) {
        v.accept_queue = d.rqueue;
        v.backlog = d.wqueue;
    } else {
        v.inq = d.rqueue;
        v.outq = d.wqueue;
    }
    v.timer_ms = d.timer_ms;
    v.retransmits = d.retransmits;
    v.inode = d.inode;
}

// States in which the kernel runs a timer worth showing (retransmission, FIN, TIME-WAIT).
bool HasTimer(std::optional<TcpState> s) {
    return s == TcpState::kSynSent || s == TcpState::kFinWait1 || s == TcpState::kFinWait2 ||
           s == TcpState::kClosing || s == TcpState::kLastAck || s == TcpState::kTimeWait;
}

// kClosed: a connection we closed; kPeer: the other end of one of ours; kOwnTimer: an own
// socket's timer; kLingering: the connection of an open descriptor whose own socket reads CLOSE
// (it moved to TIME-WAIT, or FIN-WAIT-2 was ended): the kernel may still hold it.
enum class Purpose { kClosed, kPeer, kOwnTimer, kLingering };

// Past this many, one port-filtered dump (a fixed ~230 µs per family, then cheap per socket)
// beats exact lookups (each a netlink request and reply): measured with 1,000 queued clients.
constexpr size_t kMaxExactLookups = 24;

// Answers exact lookups from one dump of the ports involved.
std::optional<std::vector<std::optional<DiagEntry>>> DumpAndMatch(
    const std::vector<LookupKey>& keys, DiagSocket& diag) {
    std::set<uint16_t> ports;
    for (const LookupKey& k : keys) ports.insert(k.local.port);
    const auto dumped = DumpSockets(ports, true, false, &diag);
    if (!dumped) return std::nullopt;
    std::unordered_map<Tuple, const DiagEntry*, TupleHash> by_tuple;
    for (const DiagEntry& d : *dumped) by_tuple.emplace(TupleKey(d.local, d.remote), &d);
    std::vector<std::optional<DiagEntry>> results(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        if (auto it = by_tuple.find(TupleKey(keys[i].local, keys[i].remote));
            it != by_tuple.end()) {
            results[i] = *it->second;
        }
    }
    return results;
}

}  // namespace

Snapshot Session::Impl::TakeSnapshot() {
    std::vector<SocketView> out;
    out.reserve(sockets.size() + 4);
    std::unordered_set<Tuple, TupleHash> known;  // connections that already have a card
    std::unordered_set<int> in_flight;           // descriptors a worker is calling on right now
    std::unordered_set<int> accepting;           // listeners a worker is in accept() on
    for (const auto& w : workers) {
        if (w->busy && w->call_fd >= 0) in_flight.insert(w->call_fd);
        if (w->busy && w->call == CallKind::kAccept) accepting.insert(w->call_fd);
    }
    bool udp = false;
    for (SocketRecord& r : sockets) {
        if (r.type == SockType::kDgram) udp = true;
        if (r.fd < 0) continue;
        FdInfo info;
        // Addresses change only through a call on the socket (bind, listen, connect, sendto
        // autobind) or while a non-blocking connect completes: re-read them only then.
        const bool connecting =
            r.type == SockType::kStream && !r.remote && r.api == ApiState::kConnecting;
        bool full_probe = r.names_dirty || r.inode == 0 || connecting || in_flight.contains(r.fd);
        if (!full_probe) {
            info.local = r.local;
            info.remote = r.remote;
            info.inode = r.inode;
            ProbeFdState(r.fd, r.type, info);
            // A connected socket that now reads CLOSE lost its connection (the peer's FIN took
            // it to TIME-WAIT, or an RST): getpeername(2) fails now, so read the names again.
            full_probe = r.type == SockType::kStream && r.remote.has_value() &&
                         info.tcp_state == TcpState::kClose;
        }
        if (full_probe) {
            if (const auto full = ProbeFd(r.fd)) {
                info = *full;
                r.local = info.local;
                r.remote = info.remote;
                r.inode = info.inode;
                if (r.type == SockType::kStream && r.local && r.remote) {
                    r.pair.emplace(*r.local, *r.remote);
                }
                r.names_dirty = false;
                NoteCaptureNames(r);
            }
        }
        SocketView v;
        v.id = r.id;
        v.name = r.name;
        v.fd = r.fd;
        v.actor = r.actor;
        v.owner = Owner::kActor;
        v.family = r.family;
        v.type = r.type;
        v.api_state = r.api;
        v.local = info.local;
        v.remote = info.remote;
        v.tcp_state = info.tcp_state;
        v.accept_queue = info.accept_queue;
        v.backlog = info.backlog;
        v.inq = info.inq;
        v.outq = info.outq;
        v.retransmits = info.retransmits;
        v.inode = info.inode;
        if (v.local) ports.insert(v.local->port);
        if (v.remote) ports.insert(v.remote->port);
        if (v.local && v.remote) known.insert(TupleKey(*v.local, *v.remote));
        out.push_back(std::move(v));
    }

    std::unordered_set<uint64_t> own_inodes;
    std::vector<Endpoint> accepting_on;  // local addresses of listeners inside accept()
    for (const SocketView& v : out) {
        own_inodes.insert(v.inode);
        if (v.local && accepting.contains(v.fd)) accepting_on.push_back(*v.local);
    }

    // What to ask sock_diag, and why.
    std::vector<LookupKey> keys;
    std::vector<std::pair<Purpose, size_t>> why;  // index into `sockets` or `out`
    for (size_t i = 0; i < sockets.size(); ++i) {
        SocketRecord& r = sockets[i];
        if (r.fd >= 0 || r.gone || r.type != SockType::kStream) continue;
        if (!r.pair) {
            r.gone = true;  // never connected: nothing outlives close()
            continue;
        }
        // The pair, not the last names read: a descriptor that read CLOSE (TIME-WAIT) before
        // close() had no peer name any more.
        const auto& [local, remote] = *r.pair;
        keys.push_back({local, remote});
        why.emplace_back(Purpose::kClosed, i);
        known.insert(TupleKey(local, remote));
    }
    for (size_t i = 0; i < out.size(); ++i) {
        const SocketView& v = out[i];
        if (v.type != SockType::kStream || !v.local || !v.remote) continue;
        if (HasTimer(v.tcp_state)) {
            keys.push_back({*v.local, *v.remote});
            why.emplace_back(Purpose::kOwnTimer, i);
        }
        if (!known.contains(TupleKey(*v.remote, *v.local))) {
            keys.push_back({*v.remote, *v.local});
            why.emplace_back(Purpose::kPeer, i);
        }
    }
    // An open descriptor whose socket reads CLOSE after it was connected: getpeername(2) fails
    // now, but the kernel may hold its connection (TIME-WAIT) and the peer's under the pair the
    // earlier snapshots read.
    for (size_t i = 0; i < out.size(); ++i) {
        const SocketView& v = out[i];
        if (v.type != SockType::kStream || v.tcp_state != TcpState::kClose) continue;
        const SocketRecord* r = FindById(v.id);
        if (r == nullptr || !r->pair) continue;
        const auto& [local, remote] = *r->pair;
        if (!known.contains(TupleKey(local, remote))) {
            keys.push_back({local, remote});
            why.emplace_back(Purpose::kLingering, i);
            known.insert(TupleKey(local, remote));
        }
        if (!known.contains(TupleKey(remote, local))) {
            keys.push_back({remote, local});
            why.emplace_back(Purpose::kPeer, i);
        }
    }
    const auto found =
        keys.size() <= kMaxExactLookups ? LookupSockets(keys, &diag) : DumpAndMatch(keys, diag);

    std::vector<SocketView> extra;
    auto fdless_id = [&](const Endpoint& local, const Endpoint& remote) {
        auto [it, inserted] =
            fdless_ids.try_emplace(ConnectionKey{static_cast<int>(local.family),
                                                 FormatEndpoint(local), FormatEndpoint(remote)},
                                   next_id);
        if (inserted) ++next_id;
        return it->second;
    };
    auto add_fdless = [&](const DiagEntry& d) {
        SocketView v;
        v.family = d.family;
        v.type = d.type;
        v.local = d.local;
        v.remote = d.remote;
        v.api_state = ApiState::kNone;
        v.owner = d.inode == 0 ? Owner::kKernel : Owner::kExternal;
        // accept() has taken it off the queue and given it a descriptor, but has not returned
        // to us yet: it is the connection being accepted, not someone else's socket.
        if (d.inode != 0 &&
            std::find(accepting_on.begin(), accepting_on.end(), d.local) != accepting_on.end()) {
            v.owner = Owner::kKernel;
        }
        FillFromDiag(v, d);
        v.id = fdless_id(d.local, d.remote);
        known.insert(TupleKey(d.local, d.remote));
        extra.push_back(std::move(v));
    };
    if (found) {
        for (size_t k = 0; k < keys.size(); ++k) {
            const auto& [purpose, index] = why[k];
            const std::optional<DiagEntry>& d = (*found)[k];
            if (purpose == Purpose::kClosed) {
                SocketRecord& r = sockets[index];
                if (!d || d->inode != 0) {
                    r.gone = true;  // gone for good (or the tuple was reused by a new socket)
                    continue;
                }
                // The kernel still holds the connection we closed (FIN-WAIT, TIME-WAIT): same
                // card, same name, no descriptor.
                SocketView v;
                v.id = r.id;
                v.name = r.name;
                v.actor = r.actor;
                v.owner = Owner::kKernel;
                v.family = r.family;
                v.type = r.type;
                v.local = d->local;
                v.remote = d->remote;
                v.api_state = ApiState::kClosed;
                FillFromDiag(v, *d);
                extra.push_back(std::move(v));
            } else if (purpose == Purpose::kOwnTimer) {
                if (d) out[index].timer_ms = d->timer_ms;
            } else if (purpose == Purpose::kLingering) {
                // Held by the kernel alone (inode 0): a card of its own beside the descriptor's
                // CLOSE socket, in the actor's column. Another socket on the same pair (inode
                // != 0) is not this connection.
                if (!d || d->inode != 0) continue;
                SocketView v;
                v.actor = out[index].actor;
                v.owner = Owner::kKernel;
                v.api_state = ApiState::kNone;
                v.family = d->family;
                v.type = d->type;
                v.local = d->local;
                v.remote = d->remote;
                FillFromDiag(v, *d);
                v.id = fdless_id(d->local, d->remote);
                extra.push_back(std::move(v));
            } else if (d && !(d->inode != 0 && own_inodes.contains(d->inode))) {
                add_fdless(*d);
            }
        }
    }

    // A listener whose queue holds more than the connections we know of: someone outside the
    // session connected (nc, curl). Only a dump can name them.
    std::set<uint16_t> dump_ports;
    for (const SocketView& v : out) {
        if (v.tcp_state != TcpState::kListen || v.accept_queue <= 0 || !v.local) continue;
        const auto in_queue = std::count_if(extra.begin(), extra.end(), [&](const SocketView& e) {
            return e.owner == Owner::kKernel && e.local && *e.local == *v.local &&
                   e.api_state == ApiState::kNone;
        });
        if (in_queue < v.accept_queue) dump_ports.insert(v.local->port);
    }
    std::set<uint16_t> udp_ports;
    if (udp) {
        for (const SocketRecord& r : sockets) {
            if (r.type == SockType::kDgram && r.local) udp_ports.insert(r.local->port);
        }
    }
    for (const auto& [ports_asked, tcp] :
         {std::pair{&dump_ports, true}, std::pair{&udp_ports, false}}) {
        if (ports_asked->empty()) continue;
        if (const auto dumped = DumpSockets(*ports_asked, tcp, !tcp, &diag)) {
            for (const DiagEntry& d : *dumped) {
                if (d.inode != 0 && own_inodes.contains(d.inode)) continue;
                if (known.contains(TupleKey(d.local, d.remote))) continue;
                if (d.state == TcpState::kListen) continue;  // an own listener seen again
                add_fdless(d);
            }
        }
    }

    out.insert(out.end(), std::make_move_iterator(extra.begin()),
               std::make_move_iterator(extra.end()));
    // Sorted by id (Snapshot::ShareWith relies on it; accept() gives a queued connection's older
    // id a new fd). Sort indexes, not the views: moving 2,000 views around dominated the cost.
    std::vector<uint32_t> order(out.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return out[a].id < out[b].id; });
    Snapshot snapshot;
    snapshot.reserve(out.size());
    for (uint32_t i : order) snapshot.push_back(std::move(out[i]));
    return snapshot;
}

}  // namespace sockstep::core
