// Taking the kernel's view of every socket of a session: TCP_INFO and SIOCINQ/SIOCOUTQ for our
// own descriptors, NETLINK_SOCK_DIAG for the sockets no descriptor holds (accept-queue entries,
// FIN-WAIT-2, TIME-WAIT) and for external peers on loopback.
#include <algorithm>

#include "session_impl.h"
#include "sockstep/core/kernel_probe.h"

namespace sockstep::core {
namespace {

ConnectionKey KeyOf(Family family, const Endpoint& local, const Endpoint& remote) {
    return {static_cast<int>(family), FormatEndpoint(local), FormatEndpoint(remote)};
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

}  // namespace

Snapshot Session::Impl::TakeSnapshot() {
    Snapshot out;
    out.reserve(sockets.size() + 4);
    bool tcp = false;
    bool udp = false;
    for (SocketRecord& r : sockets) {
        (r.type == SockType::kStream ? tcp : udp) = true;
        if (r.fd < 0) continue;  // closed: only a kernel continuation (below) can still show it
        SocketView v;
        v.id = r.id;
        v.name = r.name;
        v.fd = r.fd;
        v.actor = r.actor;
        v.owner = Owner::kActor;
        v.family = r.family;
        v.type = r.type;
        v.api_state = r.api;
        if (const auto info = ProbeFd(r.fd)) {
            if (info->local) r.local = info->local;
            if (info->remote) r.remote = info->remote;
            r.inode = info->inode;
            v.local = info->local;
            v.remote = info->remote;
            v.tcp_state = info->tcp_state;
            v.accept_queue = info->accept_queue;
            v.backlog = info->backlog;
            v.inq = info->inq;
            v.outq = info->outq;
            v.retransmits = info->retransmits;
            v.inode = info->inode;
        }
        if (v.local) ports.insert(v.local->port);
        if (v.remote) ports.insert(v.remote->port);
        out.push_back(std::move(v));
    }

    const auto diag = DumpSockets(ports, tcp, udp);
    if (diag) {
        for (const DiagEntry& d : *diag) {
            if (d.inode != 0) {
                auto own = std::find_if(out.begin(), out.end(),
                                        [&](const SocketView& v) { return v.inode == d.inode; });
                if (own != out.end()) {
                    // TCP_INFO has no timer: take the kernel's running timer from sock_diag.
                    own->timer_ms = d.timer_ms;
                    continue;
                }
            }
            SocketView v;
            v.fd = -1;
            v.family = d.family;
            v.type = d.type;
            v.local = d.local;
            v.remote = d.remote;
            v.api_state = ApiState::kNone;
            v.owner = d.inode == 0 ? Owner::kKernel : Owner::kExternal;
            FillFromDiag(v, d);
            // A socket we closed that the kernel still keeps (FIN-WAIT-2, TIME-WAIT) keeps its
            // card and name; so does a connection waiting in the accept queue once accepted.
            const SocketRecord* closed = nullptr;
            if (d.inode == 0) {
                for (const SocketRecord& r : sockets) {
                    if (r.fd < 0 && r.type == d.type && r.local && r.remote &&
                        *r.local == d.local && *r.remote == d.remote) {
                        closed = &r;
                    }
                }
            }
            if (closed != nullptr) {
                v.id = closed->id;
                v.name = closed->name;
                v.actor = closed->actor;
                v.api_state = ApiState::kClosed;
            } else {
                const ConnectionKey key = KeyOf(d.family, d.local, d.remote);
                auto [it, inserted] = fdless_ids.try_emplace(key, next_id);
                if (inserted) ++next_id;
                v.id = it->second;
            }
            out.push_back(std::move(v));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const SocketView& a, const SocketView& b) { return a.id < b.id; });
    return out;
}

}  // namespace sockstep::core
