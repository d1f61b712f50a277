// Generating each actor's C program from its calls: declarations appear where a learner would
// write them (the first use), addresses are filled in with designated initialisers, and a peer
// socket's port is the one the kernel really gave it when the log knows it.
#include "sockstep/ui/c_program.h"

#include <map>
#include <set>

#include "sockstep/core/address.h"
#include "sockstep/ui/strings.h"

namespace sockstep::ui {
namespace {

using core::CallKind;
using core::CallRequest;


std::string OptionLevel(core::SockOpt option) {
    return option == core::SockOpt::kTcpNodelay || option == core::SockOpt::kTcpSyncnt
               ? "IPPROTO_TCP"
               : "SOL_SOCKET";
}

// The latest port the log shows for each socket name.
std::map<std::string, uint16_t> KnownPorts(const core::LogView& log) {
    std::map<std::string, uint16_t> ports;
    for (size_t i = 0; i < log.size(); ++i) {
        for (const core::SocketView& v : log[i].sockets) {
            if (!v.name.empty() && v.local && v.local->port != 0) ports[v.name] = v.local->port;
        }
    }
    return ports;
}

// Emits the lines of one actor's program, remembering what it has declared so far.
class ProgramWriter {
  public:
    ProgramWriter(const std::map<std::string, uint16_t>& ports, core::Lang lang)
        : m_ports(ports), m_lang(lang) {}

    void Call(const CallRequest& r, int step, size_t event, std::vector<CodeLine>& out) {
        m_out = &out;
        m_step = step;
        m_event = event;
        const core::CallArgs& a = r.args;
        const std::string& s = r.socket;
        switch (r.call) {
            case CallKind::kSocket: {
                m_v6[r.result] = a.family == core::Family::kInet6;
                Line(Declare(r.result) + " = socket(" + std::string(core::FamilyName(a.family)) +
                     ", " + std::string(core::SockTypeName(a.type)) + ", 0);");
                break;
            }
            case CallKind::kSetsockopt:
                if (a.option == core::SockOpt::kLinger) {
                    Line("struct linger lg = { " + std::to_string(a.value) + ", " +
                         std::to_string(a.linger_seconds) + " };");
                    Line("setsockopt(" + s + ", SOL_SOCKET, SO_LINGER, &lg, sizeof lg);");
                } else {
                    Line("int opt = " + std::to_string(a.value) + ";");
                    Line("setsockopt(" + s + ", " + OptionLevel(a.option) + ", " +
                         std::string(core::SockOptName(a.option)) + ", &opt, sizeof opt);");
                }
                break;
            case CallKind::kFcntl:
                Line("fcntl(" + s + ", F_SETFL, fcntl(" + s + ", F_GETFL) " +
                     (a.nonblocking ? "| O_NONBLOCK);" : "& ~O_NONBLOCK);"));
                break;
            case CallKind::kBind:
                Address(s, a.address);
                Line("bind(" + s + ", (struct sockaddr *)&" + m_addr + ", sizeof " + m_addr + ");");
                break;
            case CallKind::kListen:
                Line("listen(" + s + ", " + std::to_string(a.backlog) + ");");
                break;
            case CallKind::kAccept:
                Line(Declare(r.result) + " = accept(" + s + ", NULL, NULL);");
                break;
            case CallKind::kConnect:
                Address(s, a.address);
                Line("connect(" + s + ", (struct sockaddr *)&" + m_addr + ", sizeof " + m_addr +
                     ");");
                break;
            case CallKind::kSend:
            case CallKind::kWrite: {
                const std::string fn(core::CallName(r.call));
                const std::string flags = r.call == CallKind::kSend ? ", 0);" : ");";
                Line(fn + "(" + s + ", " + Data(a.data) + ", " + std::to_string(a.data.size()) +
                     flags);
                break;
            }
            case CallKind::kSendto:
                Address(s, a.address);
                Line("sendto(" + s + ", " + Data(a.data) + ", " + std::to_string(a.data.size()) +
                     ", 0,");
                Line("       (struct sockaddr *)&" + m_addr + ", sizeof " + m_addr + ");");
                break;
            case CallKind::kRecv:
            case CallKind::kRead:
            case CallKind::kRecvfrom: {
                if (!m_buf) {
                    Line("char buf[" + std::to_string(std::max(a.size, 1)) + "];");
                    m_buf_size = std::max(a.size, 1);
                    m_buf = true;
                }
                const std::string size =
                    a.size == m_buf_size ? "sizeof buf" : std::to_string(a.size);
                const std::string n = m_n ? "n = " : "ssize_t n = ";
                m_n = true;
                if (r.call == CallKind::kRecv) {
                    Line(n + "recv(" + s + ", buf, " + size + ", 0);");
                } else if (r.call == CallKind::kRead) {
                    Line(n + "read(" + s + ", buf, " + size + ");");
                } else {
                    if (!m_from) {
                        Line("struct sockaddr_storage from;");
                        m_from = true;
                    }
                    Line("socklen_t fromlen = sizeof from;");
                    Line(n + "recvfrom(" + s + ", buf, " + size +
                         ", 0, (struct sockaddr *)&from, &fromlen);");
                }
                break;
            }
            case CallKind::kShutdown:
                Line("shutdown(" + s + ", " + std::string(core::ShutHowName(a.how)) + ");");
                break;
            case CallKind::kClose:
                Line("close(" + s + ");");
                break;
            case CallKind::kGetsockname:
            case CallKind::kGetpeername: {
                if (!m_name) {
                    Line("struct sockaddr_storage name;");
                    m_name = true;
                }
                Line("socklen_t len = sizeof name;");
                Line(std::string(core::CallName(r.call)) + "(" + s +
                     ", (struct sockaddr *)&name, &len);");
                break;
            }
            case CallKind::kPoll: {
                std::string fds;
                for (size_t i = 0; i < a.poll_sockets.size(); ++i) {
                    const std::string ev = i < a.poll_events.size() ? a.poll_events[i] : "POLLIN";
                    fds +=
                        (i ? ", " : "") + std::string("{ ") + a.poll_sockets[i] + ", " + ev + " }";
                }
                Line("struct pollfd fds[] = { " + fds + " };");
                Line("poll(fds, " + std::to_string(a.poll_sockets.size()) + ", " +
                     std::to_string(a.timeout_ms) + ");");
                break;
            }
            case CallKind::kCount:
                break;
        }
    }

  private:
    void Line(std::string text, bool comment = false) {
        m_out->push_back({std::move(text), m_step, m_event, comment});
    }

    std::string Declare(const std::string& name) {
        return m_declared.insert(name).second ? "int " + name : name;
    }

    std::string Data(const std::string& data) {
        // A long buffer would not fit a line; a learner would keep it in a variable anyway.
        if (data.size() <= 40) return core::QuoteC(data);
        Line("char data[" + std::to_string(data.size()) + "];  /* " + core::QuoteC(data.substr(0, 12)) +
                 "… */",
             false);
        return "data";
    }

    // Declares (or reuses) a sockaddr for `address` and sets m_addr to its variable name.
    void Address(const std::string& socket, const core::Address& address) {
        const bool v6 = m_v6.count(socket) ? m_v6.at(socket) : false;
        std::string port;
        std::string note;
        std::string host = address.host.empty() ? (v6 ? "::1" : "127.0.0.1") : address.host;
        if (!address.peer.empty()) {
            host = v6 ? "::1" : "127.0.0.1";
            auto it = m_ports.find(address.peer);
            port = it != m_ports.end() ? std::to_string(it->second) : "PORT";
            note = m_lang == core::Lang::kKo ? "  /* " + address.peer + "의 포트 */"
                                             : "  /* " + address.peer + "'s port */";
        } else {
            port = std::to_string(address.port);
            if (address.port == 0) {
                note = m_lang == core::Lang::kKo ? "  /* 0: 커널이 고름 */"
                                                 : "  /* 0: the kernel picks */";
            }
        }
        if (host == "localhost") host = v6 ? "::1" : "127.0.0.1";
        m_addr = "addr" + (m_addrs == 0 ? std::string() : std::to_string(m_addrs + 1));
        ++m_addrs;
        if (v6) {
            Line("struct sockaddr_in6 " + m_addr + " = { .sin6_family = AF_INET6,");
            Line("    .sin6_port = htons(" + port + ") };" + note);
            Line("inet_pton(AF_INET6, " + core::QuoteC(host) + ", &" + m_addr + ".sin6_addr);");
        } else {
            Line("struct sockaddr_in " + m_addr + " = { .sin_family = AF_INET,");
            Line("    .sin_port = htons(" + port + ") };" + note);
            Line("inet_pton(AF_INET, " + core::QuoteC(host) + ", &" + m_addr + ".sin_addr);");
        }
    }

    const std::map<std::string, uint16_t>& m_ports;
    core::Lang m_lang;
    std::map<std::string, bool> m_v6;
    std::vector<CodeLine>* m_out = nullptr;
    int m_step = -1;
    size_t m_event = kNoEvent;
    std::set<std::string> m_declared;
    std::string m_addr;
    int m_addrs = 0;
    bool m_buf = false;
    int m_buf_size = 0;
    bool m_n = false;
    bool m_from = false;
    bool m_name = false;
};

}  // namespace

std::vector<ActorProgram> BuildPrograms(const std::vector<core::ScriptStep>& script,
                                        const std::vector<ActorInfo>& actors,
                                        const core::LogView& log, core::Lang lang) {
    const std::map<std::string, uint16_t> ports = KnownPorts(log);
    std::vector<ActorProgram> programs;
    std::vector<ProgramWriter> writers;
    for (size_t a = 0; a < actors.size(); ++a) {
        programs.push_back({static_cast<int>(a), actors[a].name, {}});
        writers.emplace_back(ports, lang);
    }
    for (size_t i = 0; i < script.size(); ++i) {
        const auto a = static_cast<size_t>(script[i].actor);
        if (a >= programs.size()) continue;
        writers[a].Call(script[i].request, static_cast<int>(i), kNoEvent, programs[a].lines);
    }
    // Free-mode calls follow the script. A replayed log has no script: then every call of the
    // log is the program, in the order it ran.
    const bool replay = script.empty();
    std::vector<bool> free_header(programs.size(), false);
    for (size_t i = 0; i < log.size(); ++i) {
        const core::Event& e = log[i];
        if (e.phase != core::Phase::kEnter || e.actor < 0) continue;
        if (e.step >= 0 && !replay) continue;
        const auto a = static_cast<size_t>(e.actor);
        if (a >= programs.size()) continue;
        if (e.step >= 0) {
            writers[a].Call(e.request, e.step, i, programs[a].lines);
            continue;
        }
        if (!free_header[a]) {
            programs[a].lines.push_back({Tr(Text::kCodeFree, lang), -1, kNoEvent, true});
            free_header[a] = true;
        }
        writers[a].Call(e.request, -1, i, programs[a].lines);
    }
    for (ActorProgram& p : programs) {
        if (p.lines.empty())
            p.lines.push_back({Tr(Text::kCodeNoProgram, lang), -1, kNoEvent, true});
    }
    return programs;
}

std::string CallAsC(const core::CallRequest& request) {
    std::vector<CodeLine> lines;
    const std::map<std::string, uint16_t> none;
    ProgramWriter writer(none, core::Lang::kEn);
    writer.Call(request, -1, kNoEvent, lines);
    std::string out;
    for (const CodeLine& l : lines) out += (out.empty() ? "" : "\n") + l.text;
    return out;
}

}  // namespace sockstep::ui
