// Generating each actor's C program from its calls: declarations appear where a learner would
// write them (the first use), addresses are filled in with designated initialisers, and a peer
// socket's port is the one the kernel really gave it when the log knows it. In complete mode
// (export) the same statements become a program that compiles warning-free: every variable is
// declared once, and each call sits between before()/after() so it can be stepped and printed.
// The same writer spells each call in Python too (PythonCall): one place knows what a call's
// arguments mean, whichever language shows them.
#include "sockstep/model/c_program.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>

#include "sockstep/core/address.h"
#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

using core::CallKind;
using core::CallRequest;

std::string OptionLevel(core::SockOpt option) {
    return option == core::SockOpt::kTcpNodelay || option == core::SockOpt::kTcpSyncnt
               ? "IPPROTO_TCP"
               : "SOL_SOCKET";
}

// The latest port the log shows for each socket name, kept up to date as the log grows: the
// events from `scanned` on are read, and `scanned` moves to the end. Returns the names whose
// port is new or different now.
std::set<std::string> ScanPorts(const core::LogView& log, size_t& scanned,
                                std::map<std::string, std::string>& ports) {
    // Only a call on a socket gives it a port (bind, connect, listen, sendto: an automatic
    // bind; accept: the new socket), so only those sockets after those calls are looked at —
    // not every socket of every snapshot, which is quadratic with 1,000 sockets.
    std::map<std::string, std::optional<std::string>> before;  // first value of a changed name
    auto note = [&](const core::Snapshot& snapshot, int id) {
        // From the back: the socket a call just gave a port is usually the newest one.
        for (size_t i = snapshot.size(); i-- > 0;) {
            const core::SocketView& v = snapshot[i];
            if (v.id != id) continue;
            if (!v.name.empty() && v.local && v.local->port != 0) {
                std::string port = std::to_string(v.local->port);
                auto it = ports.find(v.name);
                if (it != ports.end() && it->second == port) return;
                if (!before.count(v.name)) {
                    before[v.name] =
                        it == ports.end() ? std::nullopt : std::optional<std::string>(it->second);
                }
                ports[v.name] = std::move(port);
            }
            return;
        }
    };
    for (; scanned < log.size(); ++scanned) {
        const core::Event& e = log[scanned];
        if (e.phase != core::Phase::kReturn) continue;
        switch (e.request.call) {
            case CallKind::kBind:
            case CallKind::kConnect:
            case CallKind::kListen:
            case CallKind::kSendto:
                note(e.sockets, e.socket_id);
                break;
            case CallKind::kAccept:
                note(e.sockets, e.result_socket_id);
                break;
            default:
                break;
        }
    }
    std::set<std::string> changed;
    for (const auto& [name, old] : before) {
        if (old != ports.at(name)) changed.insert(name);
    }
    return changed;
}

// The peer whose port a call's address shows (bind, connect and sendto fill in an address).
const std::string* PeerOf(const CallRequest& r) {
    const bool addressed =
        r.call == CallKind::kBind || r.call == CallKind::kConnect || r.call == CallKind::kSendto;
    return addressed && !r.args.address.peer.empty() ? &r.args.address.peer : nullptr;
}

// A comment line of the panel ("/* free mode */") as the language writes comments.
std::string CommentIn(CodeLanguage code, const std::string& text) {
    if (code != CodeLanguage::kPython || text.rfind("/* ", 0) != 0 || text.size() < 6) return text;
    return "# " + text.substr(3, text.size() - 6);
}

bool IsRead(CallKind call) {
    return call == CallKind::kRecv || call == CallKind::kRead || call == CallKind::kRecvfrom;
}

// The largest buffer any read of `actor` asks for: one `buf` serves them all.
int BufferSize(const std::vector<core::ScriptStep>& script, int actor) {
    int size = 0;
    for (const core::ScriptStep& s : script) {
        if (s.actor == actor && IsRead(s.request.call)) size = std::max(size, s.request.args.size);
    }
    return std::max(size, 1);
}

// Emits the lines of one actor's program, remembering what it has declared so far.
class ProgramWriter {
  public:
    ProgramWriter(const ProgramAddresses& addresses, core::Lang lang, bool complete, int buf_size,
                  CodeLanguage code = CodeLanguage::kC)
        : m_addresses(addresses),
          m_lang(lang),
          m_complete(complete),
          m_buf_size(buf_size),
          m_code(code) {}

    void Call(const CallRequest& r, int step, size_t event, std::vector<CodeLine>& out) {
        m_out = &out;
        m_step = step;
        m_event = event;
        if (m_code == CodeLanguage::kPython) {
            PythonCall(r);
            return;
        }
        const core::CallArgs& a = r.args;
        const std::string s = CName(r.socket);
        const std::string fn(core::CallName(r.call));
        Statement st;
        switch (r.call) {
            case CallKind::kSocket: {
                m_v6[r.result] = a.family == core::Family::kInet6;
                st.assign = Declare("int " + CName(r.result));
                st.result = CName(r.result);
                st.expr = {"socket(" + std::string(core::FamilyName(a.family)) + ", " +
                           std::string(core::SockTypeName(a.type)) + ", 0)"};
                break;
            }
            case CallKind::kSetsockopt:
                if (a.option == core::SockOpt::kLinger) {
                    const std::string value =
                        std::to_string(a.value) + ", " + std::to_string(a.linger_seconds);
                    Line(m_declared.count("lg")
                             ? "lg = (struct linger){ " + value + " };"
                             : Declare("struct linger lg") + " = { " + value + " };");
                    st.expr = {"setsockopt(" + s + ", SOL_SOCKET, SO_LINGER, &lg, sizeof lg)"};
                } else {
                    Line(Declare("int opt") + " = " + std::to_string(a.value) + ";");
                    st.expr = {"setsockopt(" + s + ", " + OptionLevel(a.option) + ", " +
                               std::string(core::SockOptName(a.option)) + ", &opt, sizeof opt)"};
                }
                break;
            case CallKind::kFcntl:
                // F_GETFL then F_SETFL: the flags the socket has, plus or minus O_NONBLOCK.
                st.expr = {"fcntl(" + s + ", F_SETFL, fcntl(" + s + ", F_GETFL) " +
                           (a.nonblocking ? "| O_NONBLOCK)" : "& ~O_NONBLOCK)")};
                break;
            case CallKind::kBind:
                Address(r.socket, a.address, true);
                st.expr = {"bind(" + s + ", (struct sockaddr *)&" + m_addr + ", sizeof " + m_addr +
                           ")"};
                break;
            case CallKind::kListen:
                st.expr = {"listen(" + s + ", " + std::to_string(a.backlog) + ")"};
                break;
            case CallKind::kAccept:
                st.assign = Declare("int " + CName(r.result));
                st.result = CName(r.result);
                st.expr = {"accept(" + s + ", NULL, NULL)"};
                break;
            case CallKind::kConnect:
                Address(r.socket, a.address, false);
                st.expr = {"connect(" + s + ", (struct sockaddr *)&" + m_addr + ", sizeof " +
                           m_addr + ")"};
                break;
            case CallKind::kSend:
            case CallKind::kWrite: {
                const std::string flags = r.call == CallKind::kSend ? ", 0)" : ")";
                st.expr = {fn + "(" + s + ", " + Data(a.data) + ", " +
                           std::to_string(a.data.size()) + flags};
                break;
            }
            case CallKind::kSendto:
                Address(r.socket, a.address, false);
                st.expr = {"sendto(" + s + ", " + Data(a.data) + ", " +
                               std::to_string(a.data.size()) + ", 0,",
                           "       (struct sockaddr *)&" + m_addr + ", sizeof " + m_addr + ")"};
                break;
            case CallKind::kRecv:
            case CallKind::kRead:
            case CallKind::kRecvfrom: {
                if (!m_declared.count("buf")) {
                    Line(Declare("char buf") + "[" + std::to_string(m_buf_size) + "];");
                }
                const std::string size =
                    a.size == m_buf_size ? "sizeof buf" : std::to_string(a.size);
                st.assign = Declare("ssize_t n");
                st.result = "n";
                st.data = true;
                if (r.call == CallKind::kRecv) {
                    st.expr = {"recv(" + s + ", buf, " + size + ", 0)"};
                } else if (r.call == CallKind::kRead) {
                    st.expr = {"read(" + s + ", buf, " + size + ")"};
                } else {
                    if (!m_declared.count("from"))
                        Line(Declare("struct sockaddr_storage from") + ";");
                    Line(Declare("socklen_t fromlen") + " = sizeof from;");
                    st.expr = {"recvfrom(" + s + ", buf, " + size +
                               ", 0, (struct sockaddr *)&from, &fromlen)"};
                }
                break;
            }
            case CallKind::kShutdown:
                st.expr = {"shutdown(" + s + ", " + std::string(core::ShutHowName(a.how)) + ")"};
                break;
            case CallKind::kClose:
                st.expr = {"close(" + s + ")"};
                break;
            case CallKind::kGetsockname:
            case CallKind::kGetpeername: {
                if (!m_declared.count("name")) Line(Declare("struct sockaddr_storage name") + ";");
                Line(Declare("socklen_t len") + " = sizeof name;");
                st.expr = {fn + "(" + s + ", (struct sockaddr *)&name, &len)"};
                break;
            }
            case CallKind::kPoll: {
                // The lesson watches the same events on every socket.
                std::string events;
                for (const std::string& e : a.poll_events)
                    events += (events.empty() ? "" : " | ") + e;
                if (events.empty()) events = "POLLIN";
                std::string fds;
                for (size_t i = 0; i < a.poll_sockets.size(); ++i) {
                    fds += (i ? ", " : "") + std::string("{ .fd = ") + CName(a.poll_sockets[i]) +
                           ", .events = " + events + " }";
                }
                const std::string var =
                    "fds" + (m_fds == 0 ? std::string() : std::to_string(m_fds + 1));
                ++m_fds;
                Line("struct pollfd " + var + "[] = { " + fds + " };");
                st.expr = {"poll(" + var + ", " + std::to_string(a.poll_sockets.size()) + ", " +
                           std::to_string(a.timeout_ms) + ")"};
                break;
            }
            case CallKind::kCount:
                return;
        }
        Emit(r, st);
    }

  private:
    // One call: `assign expr;` with the result in `result` (complete mode: in `ret` when the
    // call creates no variable of its own).
    struct Statement {
        std::string assign;             // "int conn", "ssize_t n", "n"; empty: none
        std::string result;             // the variable holding the result
        std::vector<std::string> expr;  // the call, continuation lines after the first
        bool data = false;              // a read: after_data() prints what came
    };

    void Emit(const CallRequest& r, Statement st) {
        if (m_complete && st.assign.empty()) {
            st.assign = Declare("long ret");
            st.result = "ret";
        }
        const std::string label = CStringLiteral(CallLabel(r));
        const std::string step = std::to_string(m_step + 1);
        if (m_complete) Line("before(" + step + ", " + label + ");");
        for (size_t i = 0; i < st.expr.size(); ++i) {
            std::string text =
                i == 0 && !st.assign.empty() ? st.assign + " = " + st.expr[i] : st.expr[i];
            if (i + 1 == st.expr.size()) text += ";";
            Line(text);
        }
        if (!m_complete) return;
        Line(st.data ? "after_data(" + step + ", " + label + ", " + st.result + ", buf);"
                     : "after(" + step + ", " + label + ", " + st.result + ");");
    }

    void Line(std::string text, bool comment = false) {
        m_out->push_back({std::move(text), m_step, m_event, comment});
    }

    // "int conn" the first time, "conn" after: each variable is declared once.
    std::string Declare(const std::string& declaration) {
        const std::string name = declaration.substr(declaration.rfind(' ') + 1);
        return m_declared.insert(name).second ? declaration : name;
    }

    std::string Data(const std::string& data) {
        // A long buffer would not fit a line; a learner would keep it in a variable anyway.
        if (data.size() <= 40) return m_complete ? CStringLiteral(data) : core::QuoteC(data);
        const std::string var = "data" + std::to_string(++m_data);
        if (!m_complete) {
            Line("char " + var + "[" + std::to_string(data.size()) + "];  /* " +
                 core::QuoteC(data.substr(0, 12)) + "… */");
            return var;
        }
        Line("const char " + var + "[] =");
        // One piece of the literal per source line, never cutting an escape sequence.
        constexpr size_t kPiece = 64;
        std::string piece;
        size_t taken = 0;
        for (size_t i = 0; i < data.size(); ++i) {
            piece += data[i];
            ++taken;
            if (taken == kPiece || data[i] == '\n' || i + 1 == data.size()) {
                Line("    " + CStringLiteral(piece) + (i + 1 == data.size() ? ";" : ""));
                piece.clear();
                taken = 0;
            }
        }
        return var;
    }

    // Where a call's address points: host, port (a literal or a parameter's name) and why.
    struct Target {
        std::string host;
        std::string port;
        std::string note;  // the comment after the address, without comment marks; "": none
        bool v6 = false;
    };
    Target TargetOf(const std::string& socket, const core::Address& address, bool bind) const {
        Target t;
        t.v6 = m_v6.count(socket) ? m_v6.at(socket) : false;
        const std::string loopback = t.v6 ? "::1" : "127.0.0.1";
        t.host = address.host.empty() ? loopback : address.host;
        const bool ko = m_lang == core::Lang::kKo;
        if (!address.peer.empty()) {
            auto it = m_addresses.peer_port.find(address.peer);
            t.port = it != m_addresses.peer_port.end() ? it->second : "PORT";
            auto h = m_addresses.peer_host.find(address.peer);
            t.host = h != m_addresses.peer_host.end() ? h->second : loopback;
            t.note = ko ? address.peer + "의 포트" : address.peer + "'s port";
        } else if (auto it = m_addresses.bind_port.find(socket);
                   bind && address.port == 0 && it != m_addresses.bind_port.end()) {
            t.port = it->second;
            t.note = ko ? "수업에서는 0 (커널이 고름): 맨 위 설명 참고"
                        : "the lesson binds 0 (the kernel picks): see the top";
        } else {
            t.port = std::to_string(address.port);
            if (address.port == 0) t.note = ko ? "0: 커널이 고름" : "0: the kernel picks";
        }
        if (t.host == "localhost" || t.host == "localhost6" || t.host == "ip6-localhost") {
            t.host = loopback;
        }
        return t;
    }

    // Declares a sockaddr for `address` and sets m_addr to its variable name.
    void Address(const std::string& socket, const core::Address& address, bool bind) {
        const Target t = TargetOf(socket, address, bind);
        const std::string note = t.note.empty() ? "" : "  /* " + t.note + " */";
        m_addr = "addr" + (m_addrs == 0 ? std::string() : std::to_string(m_addrs + 1));
        ++m_addrs;
        if (t.v6) {
            Line("struct sockaddr_in6 " + m_addr + " = { .sin6_family = AF_INET6,");
            Line("    .sin6_port = htons(" + t.port + ") };" + note);
            Line("inet_pton(AF_INET6, " + core::QuoteC(t.host) + ", &" + m_addr + ".sin6_addr);");
        } else {
            Line("struct sockaddr_in " + m_addr + " = { .sin_family = AF_INET,");
            Line("    .sin_port = htons(" + t.port + ") };" + note);
            Line("inet_pton(AF_INET, " + core::QuoteC(t.host) + ", &" + m_addr + ".sin_addr);");
        }
    }

    // The Python spelling of one call, with the socket module as a beginner uses it; the
    // system calls each one makes are PythonCallOf's (python_calls.cpp).
    void PythonCall(const CallRequest& r) {
        const core::CallArgs& a = r.args;
        const std::string s = PythonName(r.socket);
        PyStatement st;
        const auto address = [&](bool bind, std::string& note) {
            const Target t = TargetOf(r.socket, a.address, bind);
            note = t.note;
            return "(" + PythonStringLiteral(t.host) + ", " + t.port + ")";
        };
        switch (r.call) {
            case CallKind::kSocket: {
                m_v6[r.result] = a.family == core::Family::kInet6;
                const std::string name = PythonName(r.result);
                st.assign = name;
                st.result = name + ".fileno()";
                st.expr = "socket.socket(socket." + std::string(core::FamilyName(a.family)) +
                          ", socket." + std::string(core::SockTypeName(a.type)) + ")";
                break;
            }
            case CallKind::kSetsockopt: {
                const std::string level =
                    a.option == core::SockOpt::kTcpNodelay || a.option == core::SockOpt::kTcpSyncnt
                        ? "socket.IPPROTO_TCP"
                        : "socket.SOL_SOCKET";
                // struct linger { int l_onoff; int l_linger; }, packed as C lays it out.
                const std::string value = a.option == core::SockOpt::kLinger
                                              ? "struct.pack(\"ii\", " + std::to_string(a.value) +
                                                    ", " + std::to_string(a.linger_seconds) + ")"
                                              : std::to_string(a.value);
                st.expr = s + ".setsockopt(" + level + ", socket." +
                          std::string(core::SockOptName(a.option)) + ", " + value + ")";
                break;
            }
            case CallKind::kFcntl:
                m_nonblocking[r.socket] = a.nonblocking;
                st.expr = s + ".setblocking(" + (a.nonblocking ? "False" : "True") + ")";
                break;
            case CallKind::kBind:
                st.expr = s + ".bind(" + address(true, st.note) + ")";
                break;
            case CallKind::kListen:
                st.expr = s + ".listen(" + std::to_string(a.backlog) + ")";
                break;
            case CallKind::kAccept: {
                const std::string name = PythonName(r.result);
                st.assign = name + ", addr";
                st.result = name + ".fileno()";
                st.expr = s + ".accept()";
                break;
            }
            case CallKind::kConnect:
                st.expr = s + ".connect(" + address(false, st.note) + ")";
                break;
            case CallKind::kSend:
            case CallKind::kWrite: {
                const std::string data = PythonData(a.data);
                if (r.call == CallKind::kWrite) {
                    st.assign = "n";
                    st.result = "n";
                    st.expr = "os.write(" + s + ".fileno(), " + data + ")";
                } else if (m_nonblocking.count(r.socket) && m_nonblocking.at(r.socket)) {
                    // sendall() would wait for room, which a non-blocking socket never does.
                    st.assign = "n";
                    st.result = "n";
                    st.expr = s + ".send(" + data + ")";
                } else {
                    st.result = "len(" + data + ")";
                    st.expr = s + ".sendall(" + data + ")";
                }
                break;
            }
            case CallKind::kSendto: {
                const std::string data = PythonData(a.data);
                st.assign = "n";
                st.result = "n";
                st.expr = s + ".sendto(" + data + ", " + address(false, st.note) + ")";
                break;
            }
            case CallKind::kRecv:
            case CallKind::kRead:
            case CallKind::kRecvfrom: {
                const std::string size = std::to_string(a.size);
                st.data = true;
                if (r.call == CallKind::kRecv) {
                    st.assign = "data";
                    st.expr = s + ".recv(" + size + ")";
                } else if (r.call == CallKind::kRead) {
                    st.assign = "data";
                    st.expr = "os.read(" + s + ".fileno(), " + size + ")";
                } else {
                    st.assign = "data, addr";
                    st.expr = s + ".recvfrom(" + size + ")";
                }
                break;
            }
            case CallKind::kShutdown:
                st.expr = s + ".shutdown(socket." + std::string(core::ShutHowName(a.how)) + ")";
                break;
            case CallKind::kClose:
                st.expr = s + ".close()";
                break;
            case CallKind::kGetsockname:
            case CallKind::kGetpeername:
                st.assign = r.call == CallKind::kGetsockname ? "name" : "peer";
                st.result = st.assign;
                st.expr = s + "." + std::string(core::CallName(r.call)) + "()";
                break;
            case CallKind::kPoll: {
                std::string events;
                for (const std::string& e : a.poll_events)
                    events += (events.empty() ? "" : " | ") + std::string("select.") + e;
                if (events.empty()) events = "select.POLLIN";
                PyLine("poller = select.poll()");
                for (const std::string& socket : a.poll_sockets) {
                    PyLine("poller.register(" + PythonName(socket) + ", " + events + ")");
                }
                st.assign = "ready";
                st.result = "len(ready)";
                st.expr = "poller.poll(" + std::to_string(a.timeout_ms) + ")";
                break;
            }
            case CallKind::kCount:
                return;
        }
        PyEmit(r, st);
    }

    struct PyStatement {
        std::string assign;  // "conn, addr", "data"; empty: none
        std::string expr;
        std::string result = "0";  // complete mode: what after() prints
        std::string note;          // a comment after the call
        bool data = false;         // a read: after_data() prints the bytes in `data`
    };

    void PyEmit(const CallRequest& r, const PyStatement& st) {
        std::string text = st.assign.empty() ? st.expr : st.assign + " = " + st.expr;
        if (!st.note.empty()) text += "  # " + st.note;
        if (!m_complete) {
            PyLine(text);
            return;
        }
        const std::string label = PythonStringLiteral(CallLabel(r));
        const std::string step = std::to_string(m_step + 1);
        PyLine("before(" + step + ", " + label + ")");
        PyLine("try:");
        PyLine("    " + text);
        PyLine(st.data ? "    after_data(" + step + ", " + label + ", data)"
                       : "    after(" + step + ", " + label + ", " + st.result + ")");
        // The lesson expects some calls to fail: the errno is printed and the program goes on.
        PyLine("except OSError as error:");
        PyLine("    failed(" + step + ", " + label + ", error)");
    }

    void PyLine(std::string text) { Line(std::move(text)); }

    // Data to send as a bytes literal; a long one is kept in a variable, a piece a line.
    std::string PythonData(const std::string& data) {
        if (data.size() <= 40) return PythonBytesLiteral(data);
        const std::string var = "data" + std::to_string(++m_data);
        constexpr size_t kPiece = 64;
        std::vector<std::string> pieces;
        std::string piece;
        for (size_t i = 0; i < data.size(); ++i) {
            piece += data[i];
            if (piece.size() == kPiece || data[i] == '\n' || i + 1 == data.size()) {
                pieces.push_back(PythonBytesLiteral(piece));
                piece.clear();
            }
        }
        for (size_t i = 0; i < pieces.size(); ++i) {
            const std::string head = i == 0 ? var + " = (" : std::string(var.size() + 4, ' ');
            PyLine(head + pieces[i] + (i + 1 == pieces.size() ? ")" : ""));
        }
        return var;
    }

    const ProgramAddresses& m_addresses;
    core::Lang m_lang;
    bool m_complete;
    int m_buf_size;
    CodeLanguage m_code;
    std::map<std::string, bool> m_v6;
    std::map<std::string, bool> m_nonblocking;  // Python: the sockets setblocking(False) set
    std::vector<CodeLine>* m_out = nullptr;
    int m_step = -1;
    size_t m_event = kNoEvent;
    std::set<std::string> m_declared;
    std::string m_addr;
    int m_addrs = 0;
    int m_fds = 0;
    int m_data = 0;
};

}  // namespace

// What a ProgramBuilder remembers between Updates. The writers keep what each program has
// declared so far (and its counters), and hold a reference to `addresses`: a State never moves.
struct ProgramBuilder::State {
    // What the programs were written for.
    bool built = false;
    int generation = -1;
    core::Lang lang = core::Lang::kEn;
    CodeLanguage code = CodeLanguage::kC;
    std::vector<std::string> actor_names;
    size_t script_size = 0;

    ProgramAddresses addresses;        // peer_port: the ports the log has shown so far
    size_t ports_scanned = 0;          // the events ScanPorts has read
    std::set<std::string> peers_used;  // the peers whose port some line shows

    std::vector<ActorProgram> programs;
    std::vector<ProgramWriter> writers;
    std::vector<bool> free_header;  // the actor's "free mode" comment is written
    std::vector<bool> placeholder;  // the actor's only line is the "no program" comment
    std::vector<size_t> rewritten;  // the log size when lines of the actor last changed, not
                                    // only grew (CopyTo copies that actor whole)
    size_t scanned = 0;             // the events written so far
    size_t full_builds = 0;

    void Rebuild(const std::vector<core::ScriptStep>& script, const std::vector<ActorInfo>& actors,
                 const core::LogView& log, core::Lang new_lang, CodeLanguage new_code) {
        ++full_builds;
        lang = new_lang;
        code = new_code;
        script_size = script.size();
        actor_names.clear();
        programs.clear();
        writers.clear();
        peers_used.clear();
        for (size_t a = 0; a < actors.size(); ++a) {
            actor_names.push_back(actors[a].name);
            programs.push_back({static_cast<int>(a), actors[a].name, {}});
            writers.emplace_back(addresses, lang, false, BufferSize(script, static_cast<int>(a)),
                                 code);
        }
        free_header.assign(programs.size(), false);
        placeholder.assign(programs.size(), false);
        rewritten.assign(programs.size(), log.size());
        for (size_t i = 0; i < script.size(); ++i) {
            const auto a = static_cast<size_t>(script[i].actor);
            if (a >= programs.size()) continue;
            Write(a, script[i].request, static_cast<int>(i), kNoEvent, log.size());
        }
        scanned = 0;
        Append(log);
    }

    // Writes the calls of the events from `scanned` on.
    void Append(const core::LogView& log) {
        // Free-mode calls follow the script. A replayed log has no script: then every call of
        // the log is the program, in the order it ran.
        const bool replay = script_size == 0;
        for (; scanned < log.size(); ++scanned) {
            const core::Event& e = log[scanned];
            if (e.phase != core::Phase::kEnter || e.actor < 0) continue;
            if (e.step >= 0 && !replay) continue;
            const auto a = static_cast<size_t>(e.actor);
            if (a >= programs.size()) continue;
            if (e.step >= 0) {
                Write(a, e.request, e.step, scanned, log.size());
                continue;
            }
            if (!free_header[a]) {
                Clear(a, log.size());
                programs[a].lines.push_back(
                    {CommentIn(code, Tr(Text::kCodeFree, lang)), -1, kNoEvent, true});
                free_header[a] = true;
            }
            Write(a, e.request, -1, scanned, log.size());
        }
        for (size_t a = 0; a < programs.size(); ++a) {
            if (!programs[a].lines.empty()) continue;
            programs[a].lines.push_back(
                {CommentIn(code, Tr(Text::kCodeNoProgram, lang)), -1, kNoEvent, true});
            placeholder[a] = true;
        }
    }

    void Write(size_t a, const CallRequest& r, int step, size_t event, size_t events) {
        if (const std::string* peer = PeerOf(r)) peers_used.insert(*peer);
        Clear(a, events);
        writers[a].Call(r, step, event, programs[a].lines);
    }

    // The "no program" comment goes when the actor's first line comes.
    void Clear(size_t a, size_t events) {
        if (!placeholder[a]) return;
        programs[a].lines.clear();
        placeholder[a] = false;
        rewritten[a] = events;
    }
};

ProgramBuilder::ProgramBuilder() : m_state(std::make_unique<State>()) {}
ProgramBuilder::~ProgramBuilder() = default;
ProgramBuilder::ProgramBuilder(ProgramBuilder&&) noexcept = default;
ProgramBuilder& ProgramBuilder::operator=(ProgramBuilder&&) noexcept = default;

const std::vector<ActorProgram>& ProgramBuilder::Update(const std::vector<core::ScriptStep>& script,
                                                        const std::vector<ActorInfo>& actors,
                                                        const core::LogView& log, core::Lang lang,
                                                        int generation, CodeLanguage code) {
    State& s = *m_state;
    const bool same_log = s.built && generation == s.generation && log.size() >= s.scanned;
    bool same = same_log && lang == s.lang && code == s.code && script.size() == s.script_size &&
                actors.size() == s.actor_names.size();
    for (size_t a = 0; same && a < actors.size(); ++a) same = actors[a].name == s.actor_names[a];
    if (!same_log) {
        // Another log: its ports are read from the start.
        s.addresses.peer_port.clear();
        s.ports_scanned = 0;
    }
    const std::set<std::string> changed = ScanPorts(log, s.ports_scanned, s.addresses.peer_port);
    // A port learned now changes lines written before only where they name that socket as peer.
    const bool shown = std::any_of(changed.begin(), changed.end(), [&s](const std::string& name) {
        return s.peers_used.count(name) > 0;
    });
    s.built = true;
    s.generation = generation;
    if (!same || shown) {
        s.Rebuild(script, actors, log, lang, code);
    } else {
        s.Append(log);
    }
    return s.programs;
}

const std::vector<ActorProgram>& ProgramBuilder::Programs() const {
    return m_state->programs;
}

void ProgramBuilder::CopyTo(std::vector<ActorProgram>& out, int generation, core::Lang lang,
                            size_t events, CodeLanguage code) const {
    const State& s = *m_state;
    if (!s.built || generation != s.generation || lang != s.lang || code != s.code ||
        events > s.scanned || out.size() != s.programs.size()) {
        out = s.programs;
        return;
    }
    for (size_t a = 0; a < out.size(); ++a) {
        std::vector<CodeLine>& have = out[a].lines;
        const std::vector<CodeLine>& lines = s.programs[a].lines;
        // Lines only grew since `out` was copied: the tail is added. Its last line is checked
        // as well, so a copy from somewhere else is not taken for a prefix.
        const bool prefix = s.rewritten[a] <= events && out[a].name == s.programs[a].name &&
                            have.size() <= lines.size() &&
                            (have.empty() || (have.back().text == lines[have.size() - 1].text &&
                                              have.back().event == lines[have.size() - 1].event &&
                                              have.back().step == lines[have.size() - 1].step));
        if (!prefix) {
            out[a] = s.programs[a];
            continue;
        }
        have.insert(have.end(), lines.begin() + static_cast<std::ptrdiff_t>(have.size()),
                    lines.end());
    }
}

size_t ProgramBuilder::FullBuilds() const {
    return m_state->full_builds;
}

std::vector<ActorProgram> BuildPrograms(const std::vector<core::ScriptStep>& script,
                                        const std::vector<ActorInfo>& actors,
                                        const core::LogView& log, core::Lang lang,
                                        CodeLanguage code) {
    // One Update from nothing: the ports of the whole log are known before any line is written.
    ProgramBuilder builder;
    return builder.Update(script, actors, log, lang, 0, code);
}

std::vector<ActorProgram> BuildCompletePrograms(const std::vector<core::ScriptStep>& script,
                                                const std::vector<ActorInfo>& actors,
                                                const ProgramAddresses& addresses, core::Lang lang,
                                                CodeLanguage code) {
    std::vector<ActorProgram> programs;
    std::vector<ProgramWriter> writers;
    for (size_t a = 0; a < actors.size(); ++a) {
        programs.push_back({static_cast<int>(a), actors[a].name, {}});
        writers.emplace_back(addresses, lang, true, BufferSize(script, static_cast<int>(a)), code);
    }
    for (size_t i = 0; i < script.size(); ++i) {
        const auto a = static_cast<size_t>(script[i].actor);
        if (a < programs.size()) {
            writers[a].Call(script[i].request, static_cast<int>(i), kNoEvent, programs[a].lines);
        }
    }
    return programs;
}

std::string CallLabel(const core::CallRequest& request) {
    std::string args;
    if (request.call == CallKind::kPoll) {
        for (const std::string& s : request.args.poll_sockets)
            args += (args.empty() ? "" : ", ") + s;
    } else {
        args = request.socket;
    }
    return std::string(core::CallName(request.call)) + "(" + args + ")";
}

std::string CName(const std::string& name) {
    // C keywords, the functions and macros the programs use, and the generator's own names.
    static constexpr std::string_view kTaken[] = {
        "auto",        "break",       "case",     "char",   "const",    "continue",  "default",
        "do",          "double",      "else",     "enum",   "extern",   "float",     "for",
        "goto",        "if",          "inline",   "int",    "long",     "register",  "restrict",
        "return",      "short",       "signed",   "sizeof", "static",   "struct",    "switch",
        "typedef",     "union",       "unsigned", "void",   "volatile", "while",     "bool",
        "true",        "false",       "main",     "argc",   "argv",     "errno",     "socket",
        "setsockopt",  "fcntl",       "bind",     "listen", "accept",   "connect",   "send",
        "write",       "recv",        "read",     "sendto", "recvfrom", "shutdown",  "close",
        "getsockname", "getpeername", "poll",     "printf", "fprintf",  "signal",    "strerror",
        "htons",       "inet_pton",   "getenv",   "strcmp", "strtol",   "getchar",   "setvbuf",
        "stdin",       "stdout",      "stderr",   "ret",    "n",        "buf",       "opt",
        "lg",          "from",        "fromlen",  "name",   "len",      "step_mode", "before",
        "after"};
    std::string out;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += ok ? c : '_';
    }
    const auto numbered = [&](std::string_view prefix) {
        return out.size() >= prefix.size() && out.compare(0, prefix.size(), prefix) == 0 &&
               out.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
    };
    const bool taken = std::find(std::begin(kTaken), std::end(kTaken), out) != std::end(kTaken) ||
                       numbered("addr") || numbered("fds") || numbered("data") ||
                       out.rfind("after_", 0) == 0 || out.rfind("port", 0) == 0;
    if (out.empty() || taken || (out[0] >= '0' && out[0] <= '9')) out = "s_" + out;
    return out;
}

std::string CStringLiteral(std::string_view data) {
    std::string out = "\"";
    for (const char c : data) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte > 0x7e) {
            out += '\\';
            out += static_cast<char>('0' + (byte >> 6));
            out += static_cast<char>('0' + ((byte >> 3) & 7));
            out += static_cast<char>('0' + (byte & 7));
        } else if (c == '?' && out.back() == '?') {
            out += "\\?";
        } else {
            const std::string quoted = core::QuoteC(std::string_view(&c, 1));
            out += quoted.substr(1, quoted.size() - 2);
        }
    }
    return out + "\"";
}

std::string CallAsC(const core::CallRequest& request, CodeLanguage code) {
    std::vector<CodeLine> lines;
    const ProgramAddresses none;
    ProgramWriter writer(none, core::Lang::kEn, false, std::max(request.args.size, 1), code);
    writer.Call(request, -1, kNoEvent, lines);
    std::string out;
    for (const CodeLine& l : lines) out += (out.empty() ? "" : "\n") + l.text;
    return out;
}

}  // namespace sockstep::ui

namespace sockstep::ui {

std::string PythonName(const std::string& name) {
    // Python's keywords and the names the Python programs use themselves.
    static constexpr std::string_view kTaken[] = {
        "and",  "as",        "assert",  "async",  "await",  "class",   "def",    "del",
        "elif", "except",    "finally", "global", "import", "in",      "is",     "lambda",
        "None", "nonlocal",  "not",     "or",     "pass",   "raise",   "True",   "False",
        "try",  "with",      "yield",   "select", "os",     "struct",  "sys",    "errno",
        "addr", "data",      "ready",   "poller", "peer",   "error",   "failed", "print",
        "len",  "step_mode", "args",    "ACTOR",  "USAGE",  "port_arg"};
    std::string out = CName(name);
    if (std::find(std::begin(kTaken), std::end(kTaken), out) != std::end(kTaken)) out = "s_" + out;
    return out;
}

std::string PythonStringLiteral(std::string_view text) {
    // The text is valid UTF-8 from the lesson: only quotes, backslashes and control bytes.
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string PythonBytesLiteral(std::string_view data) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "b\"";
    for (const char c : data) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20 || byte > 0x7e) {
            // Bytes literals hold ASCII only: anything else is a \x escape.
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

}  // namespace sockstep::ui
