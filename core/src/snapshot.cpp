// Look-ups in a kernel snapshot.
#include "sockstep/core/snapshot.h"

#include <algorithm>

namespace sockstep::core {

std::string_view OwnerName(Owner owner) {
    switch (owner) {
        case Owner::kActor:
            return "actor";
        case Owner::kKernel:
            return "kernel";
        case Owner::kExternal:
            return "external";
    }
    return "actor";
}

Snapshot::Snapshot(std::initializer_list<SocketView> views) {
    m_views.reserve(views.size());
    for (const SocketView& v : views) m_views.push_back(std::make_shared<const SocketView>(v));
}

Snapshot::Snapshot(std::vector<SocketView> views) {
    m_views.reserve(views.size());
    for (SocketView& v : views) {
        m_views.push_back(std::make_shared<const SocketView>(std::move(v)));
    }
}

void Snapshot::push_back(SocketView view) {
    m_views.push_back(std::make_shared<const SocketView>(std::move(view)));
}

void Snapshot::ShareWith(const Snapshot& previous) {
    size_t j = 0;  // both are sorted by id in the session; walk them together
    for (auto& mine : m_views) {
        while (j < previous.m_views.size() && previous.m_views[j]->id < mine->id) ++j;
        if (j < previous.m_views.size() && previous.m_views[j] != mine &&
            *previous.m_views[j] == *mine) {
            mine = previous.m_views[j];
        }
    }
}

bool Snapshot::operator==(const Snapshot& other) const {
    if (size() != other.size()) return false;
    for (size_t i = 0; i < size(); ++i) {
        if (m_views[i] != other.m_views[i] && !(*m_views[i] == *other.m_views[i])) return false;
    }
    return true;
}

const SocketView* FindSocket(const Snapshot& snapshot, int id) {
    // The session keeps snapshots sorted by id: a binary search first, so that a scene looking
    // up each of 2,000 sockets in the snapshot before the step does not scan it 2,000 times. A
    // hit is right whatever the order; a log read from a file need not be sorted, so a miss
    // still scans the whole snapshot (an unsorted one can hide an id from the search).
    size_t lo = 0;
    size_t hi = snapshot.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const int at = snapshot[mid].id;
        if (at == id) return &snapshot[mid];
        if (at < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (const SocketView& s : snapshot) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

const SocketView* FindSocketByName(const Snapshot& snapshot, std::string_view name) {
    for (const SocketView& s : snapshot) {
        if (!s.name.empty() && s.name == name) return &s;
    }
    return nullptr;
}

namespace {

bool SameKernelView(const SocketView& a, const SocketView& b) {
    return a.tcp_state == b.tcp_state && a.local == b.local && a.remote == b.remote &&
           a.accept_queue == b.accept_queue && a.inq == b.inq && a.outq == b.outq &&
           a.retransmits == b.retransmits && (a.timer_ms >= 0) == (b.timer_ms >= 0) &&
           a.owner == b.owner && a.fd == b.fd && a.api_state == b.api_state;
}

}  // namespace

std::vector<int> KernelChanges(const Snapshot& before, const Snapshot& after) {
    std::vector<int> changed;
    for (const SocketView& a : after) {
        const SocketView* b = FindSocket(before, a.id);
        if (b == nullptr || !SameKernelView(*b, a)) changed.push_back(a.id);
    }
    for (const SocketView& b : before) {
        if (FindSocket(after, b.id) == nullptr) changed.push_back(b.id);
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    return changed;
}

namespace {

std::string SocketLabel(const SocketView& v) {
    if (!v.name.empty()) return v.name;
    std::string out = v.local ? FormatEndpoint(*v.local) : "?";
    if (v.remote) out += "-" + FormatEndpoint(*v.remote);
    return out;
}

std::string StateText(const SocketView& v) {
    return v.tcp_state ? std::string(TcpStateName(*v.tcp_state)) : std::string("-");
}

void AddChange(std::string& out, std::string_view what, long before, long after) {
    if (before == after) return;
    out += ", " + std::string(what) + " " + std::to_string(before) + " -> " + std::to_string(after);
}

}  // namespace

std::string DescribeKernelChanges(const Snapshot& before, const Snapshot& after) {
    std::string out;
    for (const int id : KernelChanges(before, after)) {
        const SocketView* b = FindSocket(before, id);
        const SocketView* a = FindSocket(after, id);
        std::string clause;
        if (a == nullptr) {
            clause = SocketLabel(*b) + " " + StateText(*b) + " gone";
        } else if (b == nullptr) {
            clause = SocketLabel(*a) + " new " + StateText(*a);
        } else {
            clause = SocketLabel(*a) + " " + StateText(*b);
            if (a->tcp_state != b->tcp_state) clause += " -> " + StateText(*a);
            AddChange(clause, "recv-q", b->inq, a->inq);
            AddChange(clause, "send-q", b->outq, a->outq);
            AddChange(clause, "accept-q", b->accept_queue, a->accept_queue);
            AddChange(clause, "retransmits", b->retransmits, a->retransmits);
            if ((a->timer_ms >= 0) != (b->timer_ms >= 0)) {
                clause += a->timer_ms >= 0 ? ", timer on" : ", timer off";
            }
            if (a->remote != b->remote && !a->remote) clause += ", no peer";
        }
        out += (out.empty() ? "" : "; ") + clause;
    }
    return out;
}

bool KernelWillMove(const Snapshot& snapshot) {
    for (const SocketView& v : snapshot) {
        if (v.type != SockType::kStream) continue;
        const std::optional<TcpState> s = v.tcp_state;
        // SIOCOUTQ counts unacknowledged bytes only while the connection carries data: a socket
        // whose connect() failed reports leftovers of its SYN attempts, which nothing will ACK.
        const bool carries = s == TcpState::kEstablished || s == TcpState::kCloseWait;
        if (s == TcpState::kSynSent || s == TcpState::kSynRecv || s == TcpState::kNewSynRecv ||
            s == TcpState::kFinWait1 || s == TcpState::kFinWait2 || s == TcpState::kClosing ||
            s == TcpState::kLastAck || s == TcpState::kTimeWait || v.timer_ms >= 0 ||
            (v.outq > 0 && carries)) {
            return true;
        }
    }
    return false;
}

}  // namespace sockstep::core
