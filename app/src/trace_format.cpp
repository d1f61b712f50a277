// The readable, strace-like trace lines. Everything shown comes from the event: the result the
// kernel returned and the snapshot the session took right after the call.
#include "trace_format.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sockstep/model/explain.h"
#include "sockstep/model/strings.h"

namespace sockstep::app {
namespace {

using core::SocketView;

bool Contains(const std::vector<int>& ids, int id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// A connection whose local port is a listening port of the snapshot was accepted (or waits to
// be): the arrow points at us. A client's connection points away.
bool ServerSide(const SocketView& s, const core::Snapshot& all) {
    if (!s.local) return false;
    return std::any_of(all.begin(), all.end(), [&](const SocketView& o) {
        return o.tcp_state == core::TcpState::kListen && o.local && o.local->port == s.local->port;
    });
}

std::string Seconds(int ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1fs", ms / 1000.0);
    return buffer;
}

// Is `s` the server end of a connection to one of the session's own listeners?
bool OwnServerSide(const SocketView& s, const core::Snapshot& all) {
    if (!s.local) return false;
    return std::any_of(all.begin(), all.end(), [&](const SocketView& o) {
        return o.tcp_state == core::TcpState::kListen && o.owner == core::Owner::kActor &&
               o.local && o.local->port == s.local->port;
    });
}

// The named socket of the session at the other end of `s`, if any.
const SocketView* NamedPeer(const SocketView& s, const core::Snapshot& all) {
    if (!s.remote) return nullptr;
    for (const SocketView& o : all) {
        if (!o.name.empty() && o.id != s.id && o.local && *o.local == *s.remote) return &o;
    }
    return nullptr;
}

// Does the connection point at `s` (the server end), as opposed to away from it?
bool Incoming(const SocketView& s, const core::Snapshot& all) {
    if (ServerSide(s, all)) return true;
    // A socket outside the session whose other end is one of ours: it is the server end when
    // ours is the client end (--connect to an outside listener).
    if (!s.name.empty()) return false;
    const SocketView* peer = NamedPeer(s, all);
    return peer != nullptr && !ServerSide(*peer, all);
}

const SocketView* OtherEnd(const SocketView& s, const core::Snapshot& all) {
    if (!s.local || !s.remote || s.type != core::SockType::kStream) return nullptr;
    for (const SocketView& o : all) {
        if (o.id != s.id && o.local && o.remote && *o.local == *s.remote && *o.remote == *s.local) {
            return &o;
        }
    }
    return nullptr;
}

// A connection the kernel keeps for an actor whose descriptor is still open (TIME-WAIT after a
// half-close): it has no name of its own; its descriptor is that actor's named socket on the same
// local address, which now reads CLOSE.
bool HeldForAnActor(const SocketView& s) {
    return s.owner == core::Owner::kKernel && s.actor >= 0 && s.name.empty() && s.local;
}

const SocketView* HolderOf(const SocketView& s, const core::Snapshot& all) {
    if (!HeldForAnActor(s)) return nullptr;
    for (const SocketView& o : all) {
        if (o.owner == core::Owner::kActor && o.actor == s.actor && !o.name.empty() && o.local &&
            *o.local == *s.local) {
            return &o;
        }
    }
    return nullptr;
}

// The converse: the connection the kernel keeps apart for this open descriptor, if any.
const SocketView* HeldConnectionOf(const SocketView& s, const core::Snapshot& all) {
    if (s.owner != core::Owner::kActor || s.fd < 0) return nullptr;
    for (const SocketView& o : all) {
        if (HolderOf(o, all) == &s) return &o;
    }
    return nullptr;
}

}  // namespace

std::string FormatSocket(const SocketView& s, const core::Snapshot& all) {
    std::string out;
    if (const SocketView* holder = HolderOf(s, all)) {
        // Its descriptor reads CLOSE; the connection itself lives on in the kernel.
        out = "(connection of " + holder->name + ")";
    } else if (HeldForAnActor(s)) {
        out = "(kernel)";
    } else if (!s.name.empty()) {
        out = s.name;
        if (s.owner == core::Owner::kKernel || s.api_state == core::ApiState::kClosed) {
            out += "(closed)";
        }
    } else if (s.inode == 0 && ServerSide(s, all)) {
        // No descriptor holds it yet: a connection the kernel finished, waiting for accept().
        out = "(accept queue)";
    } else if (OwnServerSide(s, all)) {
        // Our accept() has just taken it off the queue and has not returned yet.
        out = "(being accepted)";
    } else if (s.owner == core::Owner::kExternal || NamedPeer(s, all)) {
        // A program outside sockstep (nc, curl, the listener of --connect) holds it.
        out = "(outside)";
    } else {
        out = "(kernel)";
    }
    if (s.type == core::SockType::kDgram) {
        out += s.tcp_state == core::TcpState::kEstablished ? " ESTAB" : " UNCONN";
    } else if (s.tcp_state) {
        out += " " + std::string(core::TcpStateName(*s.tcp_state));
    } else {
        out += " ?";
    }
    if (s.local && s.remote) {
        const bool incoming = Incoming(s, all);
        out += " " + core::FormatEndpoint(*s.local) + (incoming ? " <- " : " -> ") +
               core::FormatEndpoint(*s.remote);
    } else if (s.local) {
        out += " " + core::FormatEndpoint(*s.local);
    }
    if (s.tcp_state == core::TcpState::kListen && s.accept_queue >= 0) {
        out += " q=" + std::to_string(s.accept_queue) + "/" + std::to_string(s.backlog);
    }
    if (s.inq > 0) out += " inq=" + std::to_string(s.inq);
    // SIOCOUTQ is only meaningful while the connection can still carry data; on a socket whose
    // connect() failed it reports leftovers of the SYN attempts.
    const bool carries = s.tcp_state && *s.tcp_state != core::TcpState::kClose &&
                         *s.tcp_state != core::TcpState::kSynSent &&
                         *s.tcp_state != core::TcpState::kListen;
    if (s.outq > 0 && carries) out += " outq=" + std::to_string(s.outq);
    if (s.timer_ms >= 0 && s.tcp_state &&
        (*s.tcp_state == core::TcpState::kTimeWait || *s.tcp_state == core::TcpState::kSynSent ||
         *s.tcp_state == core::TcpState::kFinWait2)) {
        out += " timer=" + Seconds(s.timer_ms);
    }
    if (s.retransmits > 0) out += " retrans=" + std::to_string(s.retransmits);
    return out;
}

std::string FormatTouched(const core::Event& e, const LastSeen* last_seen) {
    const core::Snapshot& all = e.sockets;
    std::vector<int> ids;
    std::vector<std::string> gone;
    const auto add_id = [&](int id, const std::string& name) {
        if (id < 0 || Contains(ids, id)) return;
        if (core::FindSocket(all, id)) {
            ids.push_back(id);
        } else if (!name.empty()) {
            gone.push_back(name + " (gone)");
        }
    };
    const auto add_name = [&](const std::string& name) {
        if (name.empty()) return;
        if (const SocketView* s = core::FindSocketByName(all, name)) add_id(s->id, name);
    };
    add_id(e.socket_id, e.request.socket);
    add_id(e.result_socket_id, e.request.result);
    add_name(e.request.args.address.peer);
    for (const std::string& name : e.request.args.poll_sockets) add_name(name);
    // The other end of each connection: a close() here shows CLOSE-WAIT there.
    const size_t direct = ids.size();
    for (size_t i = 0; i < direct; ++i) {
        if (const SocketView* other = OtherEnd(*core::FindSocket(all, ids[i]), all)) {
            add_id(other->id, other->name);
        }
    }
    // A socket the kernel has forgotten: its last known addresses still find the other end
    // (the peer that has just gone to TIME-WAIT).
    if (last_seen && e.socket_id >= 0 && !core::FindSocket(all, e.socket_id)) {
        if (auto it = last_seen->find(e.socket_id); it != last_seen->end()) {
            if (const SocketView* other = OtherEnd(it->second, all)) add_id(other->id, other->name);
        }
    }
    // Both truths of a descriptor whose connection the kernel keeps apart (TIME-WAIT while the
    // descriptor is open): the descriptor's socket and that connection.
    for (size_t i = 0; i < ids.size(); ++i) {
        const SocketView& v = *core::FindSocket(all, ids[i]);
        if (const SocketView* held = HeldConnectionOf(v, all)) add_id(held->id, held->name);
        if (const SocketView* holder = HolderOf(v, all)) add_id(holder->id, holder->name);
    }
    // The socket acted on first: when the kernel has forgotten it, say so before its peer.
    std::string out;
    for (const std::string& g : gone) {
        if (!out.empty()) out += "; ";
        out += g;
    }
    for (int id : ids) {
        if (!out.empty()) out += "; ";
        out += FormatSocket(*core::FindSocket(all, id), all);
    }
    return out.empty() ? out : "[" + out + "]";
}

std::string FormatResult(const core::Event& e, core::Lang lang) {
    if (e.err != 0) {
        return "= -1 " + std::string(core::ErrnoName(e.err)) + " (" + ui::ErrnoMeaningOf(e, lang) +
               ")";
    }
    std::string out = "= " + std::to_string(e.ret);
    switch (e.request.call) {
        case core::CallKind::kSocket:
        case core::CallKind::kAccept:
            out += " (" + e.request.result + ")";
            break;
        case core::CallKind::kRecv:
        case core::CallKind::kRead:
            out += " " + core::QuoteC(e.data, 64);
            break;
        case core::CallKind::kRecvfrom:
            out += " " + core::QuoteC(e.data, 64);
            if (e.peer) out += " from " + core::FormatEndpoint(*e.peer);
            break;
        case core::CallKind::kPoll:
            if (!e.data.empty()) out += " [" + e.data + "]";
            break;
        case core::CallKind::kGetsockname:
        case core::CallKind::kGetpeername:
            if (e.peer) out += " (" + core::FormatEndpoint(*e.peer) + ")";
            break;
        default:
            break;
    }
    return out;
}

std::string EscapeControls(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
            out += buffer;
        } else {
            out += c;
        }
    }
    return out;
}

// The call as C would show it, with sent data cut short (as strace does) and control bytes
// escaped: a raw CR or ESC in a trace line would garble the terminal.
std::string CallText(const core::CallRequest& request) {
    constexpr size_t kShownBytes = 48;
    const core::CallKind call = request.call;
    const bool sends = call == core::CallKind::kSend || call == core::CallKind::kWrite ||
                       call == core::CallKind::kSendto;
    if (!sends) return EscapeControls(core::FormatCall(request));
    core::CallRequest copy = request;
    copy.args.data.clear();
    std::string text = core::FormatCall(copy);
    const std::string empty = "\"\", 0";
    const auto at = text.find(empty);
    if (at == std::string::npos) return text;
    return text.substr(0, at) + core::QuoteC(request.args.data, kShownBytes) + ", " +
           std::to_string(request.args.data.size()) + text.substr(at + empty.size());
}

namespace {

// "server:5000" when a socket of the session's actor `server` has that address (now, or when it
// was last seen), else the address itself.
std::string NameOf(const core::Endpoint& endpoint, const core::Event& e,
                   const std::vector<std::string>& actor_names, const LastSeen* last_seen) {
    auto actor_of = [&](const SocketView& v) -> const std::string* {
        if (v.actor < 0 || static_cast<size_t>(v.actor) >= actor_names.size()) return nullptr;
        if (!v.local || *v.local != endpoint) return nullptr;
        return &actor_names[static_cast<size_t>(v.actor)];
    };
    const std::string* name = nullptr;
    for (const SocketView& v : e.sockets) {
        if ((name = actor_of(v)) != nullptr) break;
    }
    if (name == nullptr && last_seen != nullptr) {
        for (const auto& [id, v] : *last_seen) {
            if ((name = actor_of(v)) != nullptr) break;
        }
    }
    if (name == nullptr) return core::FormatEndpoint(endpoint);
    return *name + ":" + std::to_string(endpoint.port);
}

}  // namespace

std::string FormatPacketLine(const core::Event& e, core::Lang lang,
                             const std::vector<std::string>& actor_names,
                             const LastSeen* last_seen) {
    if (!e.packet) return "";
    const core::Packet& p = *e.packet;
    std::string out;
    if (p.icmp) {
        // An ICMP error has no ports of its own: it comes from the kernel of the host (an
        // address) to the socket that sent the datagram it quotes.
        out = "↳ " + p.src.host + " → " + NameOf(p.icmp->quoted_src, e, actor_names, last_seen) +
              "  ";
    } else {
        out = "↳ " + NameOf(p.src, e, actor_names, last_seen) + " → " +
              NameOf(p.dst, e, actor_names, last_seen) + "  ";
    }
    out += core::PacketSummary(p);
    if (e.cause_seq < 0)
        out += "  (" + std::string(ui::Tr(ui::Text::kTracePacketByKernel, lang)) + ")";
    return out;
}

std::string FormatKernelLine(const core::Snapshot& before, const core::Event& e, core::Lang lang) {
    return "~ " + std::string(ui::Tr(ui::Text::kTraceKernelChanged, lang)) + ": " +
           core::DescribeKernelChanges(before, e.sockets);
}

std::string FormatEventLine(const core::Event& e, core::Lang lang, bool resumed, size_t actor_width,
                            int step_number, const LastSeen* last_seen) {
    char number[16];
    std::snprintf(number, sizeof number, "[%2d] ", step_number);
    std::string actor = e.actor_name;
    if (actor.size() < actor_width) actor.append(actor_width - actor.size(), ' ');
    std::string out = number + actor + "  ";
    const std::string call = CallText(e.request);
    switch (e.phase) {
        case core::Phase::kBlocked: {
            out += call + " = ? <" + std::string(ui::Tr(ui::Text::kTraceBlocked, lang));
            if (e.blocked && !e.blocked->wchan.empty()) {
                out += ": " + e.blocked->wchan;
            } else if (!e.blocked || e.blocked->syscall.empty()) {
                out += ": " + std::string(ui::Tr(ui::Text::kTraceBlockedUnseen, lang));
            }
            out += ">";
            break;
        }
        case core::Phase::kReturn:
            if (resumed) {
                char waited[48];
                std::snprintf(waited, sizeof waited, " <%.3f s>", e.duration_us / 1e6);
                out += "<... " + call + " " + std::string(ui::Tr(ui::Text::kTraceResumed, lang)) +
                       "> " + FormatResult(e, lang) + waited;
            } else {
                out += call + " " + FormatResult(e, lang);
            }
            break;
        case core::Phase::kInterrupted:
            out +=
                "<... " + call + " " + std::string(ui::Tr(ui::Text::kPhaseInterrupted, lang)) + ">";
            break;
        case core::Phase::kRefused:
            out += call + " " + std::string(ui::Tr(ui::Text::kTraceRefusedBySockstep, lang)) +
                   ": " + e.message;
            return out;
        case core::Phase::kEnter:
            out += call + " ...";
            break;
        case core::Phase::kPacket:
        case core::Phase::kKernel:
            return out;
    }
    const std::string touched = FormatTouched(e, last_seen);
    if (!touched.empty()) out += "  " + touched;
    return out;
}

}  // namespace sockstep::app
