// Checking a step's expectation against what the kernel really did: the call's result or errno,
// and the kernel's view of named sockets in the snapshot taken right after the call returned.
#include <map>

#include "sockstep/core/lesson.h"
#include "sockstep/core/snapshot.h"

namespace sockstep::core {
namespace {

using NameIds = std::map<std::string, int, std::less<>>;

std::string ResultText(int err) {
    if (err == 0) return "success";
    return std::string(ErrnoName(err)) + " (" + ErrnoMessage(err) + ")";
}

std::string TcpList(const StateExpect& s) {
    std::string out(TcpStateName(*s.tcp));
    for (TcpState t : s.tcp_or) out += " or " + std::string(TcpStateName(t));
    if (!s.tcp_if_peer_closed.empty() || s.gone_if_peer_closed) {
        std::string alternatives;
        for (TcpState t : s.tcp_if_peer_closed) {
            alternatives += (alternatives.empty() ? "" : " or ") + std::string(TcpStateName(t));
        }
        if (s.gone_if_peer_closed) alternatives += alternatives.empty() ? "gone" : " or gone";
        out += " (" + alternatives + " if the peer closed first)";
    }
    return out;
}

bool In(const std::optional<TcpState>& state, TcpState first, const std::vector<TcpState>& more) {
    if (!state) return false;
    if (*state == first) return true;
    for (TcpState t : more) {
        if (*state == t) return true;
    }
    return false;
}

std::string DescribeState(const StateExpect& s) {
    std::string out = s.socket + ":";
    std::string sep = " ";
    if (s.tcp) {
        out += sep + TcpList(s);
        sep = ", ";
    }
    if (s.api) {
        out += sep + "API state " + std::string(ApiStateName(*s.api));
        sep = ", ";
    }
    if (s.accept_queue) {
        out += sep + "accept queue " + std::to_string(*s.accept_queue);
        sep = ", ";
    }
    if (s.inq) out += sep + std::to_string(*s.inq) + " bytes to read";
    return out;
}

// The socket a name refers to in this event's snapshot.
const SocketView* Resolve(const std::string& name, const Event& ev, const NameIds& ids) {
    if (const SocketView* s = FindSocketByName(ev.sockets, name)) return s;
    if (auto it = ids.find(name); it != ids.end()) {
        if (const SocketView* s = FindSocket(ev.sockets, it->second)) return s;
    }
    if (name == ev.request.socket && ev.socket_id >= 0) return FindSocket(ev.sockets, ev.socket_id);
    if (name == ev.request.result && ev.result_socket_id >= 0) {
        return FindSocket(ev.sockets, ev.result_socket_id);
    }
    return nullptr;
}

// Checks one state expectation; appends what the kernel said to `actual`. `peer_closed` is set
// when the TCP state held only as one the peer's closing first causes.
bool CheckState(const StateExpect& s, const Event& ev, const NameIds& ids, std::string& actual,
                bool& peer_closed) {
    const SocketView* view = Resolve(s.socket, ev, ids);
    if (!view) {
        // The kernel forgot the socket entirely: only "its descriptor is closed" still holds, or
        // a connection the peer closed first, whose last ACK came already.
        const bool closed = !s.tcp && !s.accept_queue && !s.inq && s.api == ApiState::kClosed;
        const bool gone = s.gone_if_peer_closed && !s.accept_queue && !s.inq &&
                          (!s.api || s.api == ApiState::kClosed);
        actual += s.socket + ": the kernel has no such socket any more";
        if (!closed && gone) peer_closed = true;
        return closed || gone;
    }
    bool held = true;
    std::string out = s.socket + ":";
    std::string sep = " ";
    if (s.tcp) {
        const bool expected = In(view->tcp_state, *s.tcp, s.tcp_or);
        const bool after_peer =
            !expected && !s.tcp_if_peer_closed.empty() &&
            In(view->tcp_state, s.tcp_if_peer_closed.front(), s.tcp_if_peer_closed);
        if (after_peer) peer_closed = true;
        held = held && (expected || after_peer);
        out += sep + (view->tcp_state ? std::string(TcpStateName(*view->tcp_state))
                                      : std::string("no TCP state"));
        sep = ", ";
    }
    if (s.api) {
        held = held && view->api_state == *s.api;
        out += sep + "API state " + std::string(ApiStateName(view->api_state));
        sep = ", ";
    }
    if (s.accept_queue) {
        held = held && view->accept_queue == *s.accept_queue;
        out +=
            sep + "accept queue " +
            (view->accept_queue < 0 ? std::string("unknown") : std::to_string(view->accept_queue));
        sep = ", ";
    }
    if (s.inq) {
        held = held && view->inq == *s.inq;
        out += sep + (view->inq < 0 ? std::string("unknown") : std::to_string(view->inq)) +
               " bytes to read";
    }
    actual += out;
    return held;
}

// A failed expectation quotes what was received; a peer may send 64 KB, and one terminal line
// of it says as much as the first 200 bytes.
constexpr size_t kQuotedDataBytes = 200;

ExpectCheck Check(const Expect& e, const Event& ev, const NameIds& ids) {
    ExpectCheck check;
    check.expected = DescribeExpect(e);
    std::string actual;
    const auto part = [&actual](const std::string& text) {
        if (!actual.empty()) actual += "; ";
        actual += text;
    };
    if (ev.phase != Phase::kReturn) {
        check.held = false;
        if (ev.phase == Phase::kRefused) {
            check.actual = "sockstep refused to make the call: " + ev.message;
        } else if (ev.phase == Phase::kInterrupted) {
            check.actual = "the call was interrupted before it returned";
        } else {
            check.actual = "the call has not returned";
        }
        return check;
    }
    if (e.err) {
        check.held = check.held && ev.err == *e.err;
        part(ResultText(ev.err));
    }
    if (e.ret) {
        check.held = check.held && ev.err == 0 && ev.ret == *e.ret;
        part(ev.err ? "returned -1 (" + std::string(ErrnoName(ev.err)) + ")"
                    : "returned " + std::to_string(ev.ret));
    }
    if (e.data) {
        check.held = check.held && ev.err == 0 && ev.data == *e.data;
        part("received " + QuoteC(ev.data, kQuotedDataBytes));
    }
    for (const StateExpect& s : e.states) {
        std::string text;
        check.held = CheckState(s, ev, ids, text, check.peer_closed) && check.held;
        part(text);
    }
    check.peer_closed = check.held && check.peer_closed;
    check.actual = actual;
    return check;
}

}  // namespace

std::string DescribeExpect(const Expect& e) {
    std::string out;
    const auto part = [&out](const std::string& text) {
        if (!out.empty()) out += "; ";
        out += text;
    };
    if (e.err) part(*e.err == 0 ? "success" : std::string(ErrnoName(*e.err)));
    if (e.ret) part("returns " + std::to_string(*e.ret));
    if (e.data) part("receives " + QuoteC(*e.data));
    for (const StateExpect& s : e.states) part(DescribeState(s));
    return out;
}

ExpectCheck CheckExpect(const Expect& expect, const Event& returned) {
    return Check(expect, returned, {});
}

ExpectCheck CheckExpect(const Expect& expect, const Event& returned, const LogView& log) {
    // Names given by socket()/accept() and used by later calls. Names known by this event come
    // first; a name given later still counts, because a socket keeps its id: an accept() that
    // was woken by a connect() may log its return just after the next step's event, whose
    // snapshot already shows that connection.
    NameIds ids;
    NameIds later;
    for (size_t i = 0; i < log.size(); ++i) {
        const Event& ev = log[i];
        if (ev.phase != Phase::kReturn) continue;
        NameIds& into = ev.seq <= returned.seq ? ids : later;
        if (!ev.request.result.empty() && ev.result_socket_id >= 0) {
            into[ev.request.result] = ev.result_socket_id;
        }
        if (!ev.request.socket.empty() && ev.socket_id >= 0) into[ev.request.socket] = ev.socket_id;
    }
    ids.merge(later);  // keeps the earlier id where both know the name
    return Check(expect, returned, ids);
}

}  // namespace sockstep::core
