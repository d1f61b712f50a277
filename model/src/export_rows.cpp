// Turning a log into sequence-diagram rows (export_rows.h).
#include "export_rows.h"

#include <cerrno>
#include <map>

#include "sockstep/core/address.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui::detail {
namespace {

using core::Event;
using core::Phase;

constexpr size_t kDataShown = 24;

std::string Key(const core::Endpoint& local, const core::Endpoint* remote) {
    return core::FormatEndpoint(local) + "|" + (remote ? core::FormatEndpoint(*remote) : "");
}

// Which participant owns each address, as the snapshots of the log say: a connection by its
// two ends, a listener (or a UDP socket) by its local address alone.
class Owners {
  public:
    explicit Owners(const core::LogView& log) {
        for (size_t i = 0; i < log.size(); ++i) {
            for (const core::SocketView& v : log[i].sockets) {
                if (v.actor < 0 || !v.local) continue;
                const core::Endpoint* remote = v.remote ? &*v.remote : nullptr;
                m_owner[Key(*v.local, remote)] = v.actor;
                if (!remote || v.tcp_state == core::TcpState::kListen) {
                    m_owner[Key(*v.local, nullptr)] = v.actor;
                }
            }
        }
    }
    // -1: nobody of the session (an outside program such as nc).
    int Find(const core::Endpoint& local, const core::Endpoint& remote) const {
        if (auto it = m_owner.find(Key(local, &remote)); it != m_owner.end()) return it->second;
        if (auto it = m_owner.find(Key(local, nullptr)); it != m_owner.end()) return it->second;
        return -1;
    }

  private:
    std::map<std::string, int> m_owner;
};

std::string SocketName(const Event& e, int id) {
    for (const core::SocketView& v : e.sockets) {
        if (v.id == id) return v.name;
    }
    return {};
}

std::string StateText(const core::SocketView& v) {
    std::string out = v.name.empty() ? "#" + std::to_string(v.id) : v.name;
    // In ss's words for the socket's type, as its card says them (UNCONN for a UDP socket).
    if (v.tcp_state) out += " " + std::string(SocketStateLabel(*v.tcp_state, v.type));
    if (v.local) out += " " + core::FormatEndpoint(*v.local);
    if (v.remote) out += " - " + core::FormatEndpoint(*v.remote);
    if (v.tcp_state == core::TcpState::kListen && v.accept_queue >= 0) {
        out += " q=" + std::to_string(v.accept_queue);
    }
    return out;
}

std::vector<std::string> States(const Event& e) {
    std::vector<std::string> out;
    for (const core::SocketView& v : e.sockets) {
        if ((v.id == e.socket_id && e.socket_id >= 0) ||
            (v.id == e.result_socket_id && e.result_socket_id >= 0)) {
            out.push_back(StateText(v));
        }
    }
    return out;
}

std::string CallText(const Event& e) {
    std::string call = core::FormatCall(e.request);
    if (call.size() > 60) call = call.substr(0, 57) + "...";
    return (e.step >= 0 ? "[" + std::to_string(e.step + 1) + "] " : "") + call;
}

std::string ResultText(const Event& e) {
    if (e.err != 0) return "= -1 " + core::ErrnoName(e.err);
    std::string out = "= " + std::to_string(e.ret);
    if (e.result_socket_id >= 0) {
        const std::string name = SocketName(e, e.result_socket_id);
        if (!name.empty()) out += " (" + name + ")";
    }
    if (e.ret > 0 && !e.data.empty()) out += " " + core::QuoteC(e.data, kDataShown);
    return out;
}

std::string FlagsText(uint8_t flags) {
    static constexpr std::pair<uint8_t, const char*> kNames[] = {
        {core::kTcpSyn, "SYN"}, {core::kTcpFin, "FIN"}, {core::kTcpRst, "RST"},
        {core::kTcpPsh, "PSH"}, {core::kTcpUrg, "URG"}, {core::kTcpAck, "ACK"}};
    std::string out;
    for (const auto& [bit, name] : kNames) {
        if (flags & bit) out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out.empty() ? "(no flags)" : out;
}

std::string PacketText(const core::Packet& p) {
    if (p.transport == core::Transport::kUdp) return "UDP len=" + std::to_string(p.length);
    if (p.transport == core::Transport::kIcmp) return core::PacketSummary(p);
    std::string out = FlagsText(p.flags) + " seq=" + std::to_string(p.rel_seq);
    if (p.flags & core::kTcpAck) out += " ack=" + std::to_string(p.rel_ack);
    out += " win=" + std::to_string(p.window);
    if (p.length > 0) out += " len=" + std::to_string(p.length);
    return out;
}

std::string Words(core::Lang lang, const char* en, const char* ko) {
    return lang == core::Lang::kKo ? ko : en;
}

}  // namespace

Diagram BuildDiagram(const core::Lesson& lesson, const core::LogView& log, core::Lang lang) {
    Diagram d;
    for (const core::LessonActor& a : lesson.actors) d.participants.push_back(a.name);
    for (size_t i = 0; i < log.size(); ++i) {
        const Event& e = log[i];
        if (e.phase == Phase::kPacket || e.actor < 0 || e.actor > core::kMaxEventActor) continue;
        const auto a = static_cast<size_t>(e.actor);
        if (a >= d.participants.size()) d.participants.resize(a + 1);
        if (d.participants[a].empty()) d.participants[a] = e.actor_name;
    }
    for (size_t a = 0; a < d.participants.size(); ++a) {
        if (d.participants[a].empty()) d.participants[a] = "actor" + std::to_string(a + 1);
    }
    const Owners owners(log);
    int outside = -1;
    std::map<int, int> open_call;  // actor → row of its call still in the kernel
    for (size_t i = 0; i < log.size(); ++i) {
        const Event& e = log[i];
        DiagramRow row;
        row.actor = e.actor;
        switch (e.phase) {
            case Phase::kEnter: {
                if (e.actor < 0) continue;
                row.call = CallText(e);
                const bool next_returns = i + 1 < log.size() && log[i + 1].actor == e.actor &&
                                          log[i + 1].phase == Phase::kReturn;
                if (next_returns) {
                    const Event& r = log[++i];
                    row.kind = RowKind::kCallDone;
                    row.result = ResultText(r);
                    row.failed = r.err != 0;
                    row.states = States(r);
                } else {
                    row.kind = RowKind::kCall;
                    open_call[e.actor] = static_cast<int>(d.rows.size());
                }
                break;
            }
            case Phase::kBlocked:
                if (e.actor < 0) continue;
                row.kind = RowKind::kNote;
                row.note = Words(lang, "waits in the kernel", "커널 안에서 기다림");
                if (e.blocked && !e.blocked->wchan.empty())
                    row.note += " (" + e.blocked->wchan + ")";
                break;
            case Phase::kReturn:
            case Phase::kInterrupted:
                if (e.actor < 0) continue;
                row.kind = RowKind::kReturn;
                row.call = CallText(e);
                row.result = e.phase == Phase::kReturn
                                 ? ResultText(e)
                                 : Words(lang, "interrupted", "중단됨") + " (" +
                                       core::ErrnoName(e.err ? e.err : EINTR) + ")";
                row.failed = e.err != 0;
                row.states = States(e);
                if (auto it = open_call.find(e.actor); it != open_call.end()) {
                    row.opened_by = it->second;
                    open_call.erase(it);
                }
                break;
            case Phase::kRefused:
                if (e.actor < 0) continue;
                row.kind = RowKind::kNote;
                row.note = CallText(e) + ": " +
                           Words(lang, "refused by sockstep", "sockstep이 거부") + " - " +
                           e.message;
                break;
            case Phase::kKernel:
                continue;  // a diagram shows calls and packets; the cards show kernel changes
            case Phase::kPacket: {
                if (!e.packet) continue;
                d.packets = true;
                row.kind = RowKind::kPacket;
                // An ICMP error goes from the host of the datagram's destination back to the
                // datagram's sender: the ends it quotes (its own addresses have no port).
                const core::Endpoint& src =
                    e.packet->icmp ? e.packet->icmp->quoted_dst : e.packet->src;
                const core::Endpoint& dst =
                    e.packet->icmp ? e.packet->icmp->quoted_src : e.packet->dst;
                row.from = owners.Find(src, dst);
                row.to = owners.Find(dst, src);
                for (int* end : {&row.from, &row.to}) {
                    if (*end >= 0) continue;
                    if (outside < 0) {
                        outside = static_cast<int>(d.participants.size());
                        d.participants.push_back("outside");
                    }
                    *end = outside;
                }
                row.packet = PacketText(*e.packet);
                break;
            }
        }
        d.rows.push_back(std::move(row));
    }
    return d;
}

std::string NoPacketsNote(core::Lang lang) {
    return Words(
        lang, "No packets in this log: capturing them on lo needs CAP_NET_RAW (root).",
        "이 기록에는 패킷이 없습니다: lo에서 패킷을 잡으려면 CAP_NET_RAW(root)가 필요합니다.");
}

size_t Columns(std::string_view text) {
    size_t n = 0;
    for (const char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if ((b & 0xc0) != 0x80) n += b >= 0xe0 ? 2 : 1;
    }
    return n;
}

std::vector<std::string> WrapWords(const std::string& text, size_t columns) {
    std::vector<std::string> lines;
    std::string line;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find_first_of(" \n", start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!word.empty()) {
            if (!line.empty() && Columns(line) + 1 + Columns(word) > columns) {
                lines.push_back(line);
                line.clear();
            }
            line += (line.empty() ? "" : " ") + word;
        }
        start = end + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

}  // namespace sockstep::ui::detail
