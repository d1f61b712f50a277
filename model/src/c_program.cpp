// Generating each actor's C program from its calls: declarations appear where a learner would
// write them (the first use), addresses are filled in with designated initialisers, and a peer
// socket's port is the one the kernel really gave it when the log knows it. In complete mode
// (export) the same statements become a program that compiles warning-free: every variable is
// declared once, and each call sits between before()/after() so it can be stepped and printed.
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
    ProgramWriter(const ProgramAddresses& addresses, core::Lang lang, bool complete, int buf_size)
        : m_addresses(addresses), m_lang(lang), m_complete(complete), m_buf_size(buf_size) {}

    void Call(const CallRequest& r, int step, size_t event, std::vector<CodeLine>& out) {
        m_out = &out;
        m_step = step;
        m_event = event;
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

    // Declares a sockaddr for `address` and sets m_addr to its variable name.
    void Address(const std::string& socket, const core::Address& address, bool bind) {
        const bool v6 = m_v6.count(socket) ? m_v6.at(socket) : false;
        const std::string loopback = v6 ? "::1" : "127.0.0.1";
        std::string port;
        std::string note;
        std::string host = address.host.empty() ? loopback : address.host;
        const bool ko = m_lang == core::Lang::kKo;
        if (!address.peer.empty()) {
            auto it = m_addresses.peer_port.find(address.peer);
            port = it != m_addresses.peer_port.end() ? it->second : "PORT";
            auto h = m_addresses.peer_host.find(address.peer);
            host = h != m_addresses.peer_host.end() ? h->second : loopback;
            note =
                ko ? "  /* " + address.peer + "의 포트 */" : "  /* " + address.peer + "'s port */";
        } else if (auto it = m_addresses.bind_port.find(socket);
                   bind && address.port == 0 && it != m_addresses.bind_port.end()) {
            port = it->second;
            note = ko ? "  /* 수업에서는 0 (커널이 고름): 맨 위 설명 참고 */"
                      : "  /* the lesson binds 0 (the kernel picks): see the top */";
        } else {
            port = std::to_string(address.port);
            if (address.port == 0) {
                note = ko ? "  /* 0: 커널이 고름 */" : "  /* 0: the kernel picks */";
            }
        }
        if (host == "localhost" || host == "localhost6" || host == "ip6-localhost") host = loopback;
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

    const ProgramAddresses& m_addresses;
    core::Lang m_lang;
    bool m_complete;
    int m_buf_size;
    std::map<std::string, bool> m_v6;
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
                 const core::LogView& log, core::Lang new_lang) {
        ++full_builds;
        lang = new_lang;
        script_size = script.size();
        actor_names.clear();
        programs.clear();
        writers.clear();
        peers_used.clear();
        for (size_t a = 0; a < actors.size(); ++a) {
            actor_names.push_back(actors[a].name);
            programs.push_back({static_cast<int>(a), actors[a].name, {}});
            writers.emplace_back(addresses, lang, false, BufferSize(script, static_cast<int>(a)));
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
                programs[a].lines.push_back({Tr(Text::kCodeFree, lang), -1, kNoEvent, true});
                free_header[a] = true;
            }
            Write(a, e.request, -1, scanned, log.size());
        }
        for (size_t a = 0; a < programs.size(); ++a) {
            if (!programs[a].lines.empty()) continue;
            programs[a].lines.push_back({Tr(Text::kCodeNoProgram, lang), -1, kNoEvent, true});
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
                                                        int generation) {
    State& s = *m_state;
    const bool same_log = s.built && generation == s.generation && log.size() >= s.scanned;
    bool same = same_log && lang == s.lang && script.size() == s.script_size &&
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
        s.Rebuild(script, actors, log, lang);
    } else {
        s.Append(log);
    }
    return s.programs;
}

const std::vector<ActorProgram>& ProgramBuilder::Programs() const {
    return m_state->programs;
}

void ProgramBuilder::CopyTo(std::vector<ActorProgram>& out, int generation, core::Lang lang,
                            size_t events) const {
    const State& s = *m_state;
    if (!s.built || generation != s.generation || lang != s.lang || events > s.scanned ||
        out.size() != s.programs.size()) {
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
                                        const core::LogView& log, core::Lang lang) {
    // One Update from nothing: the ports of the whole log are known before any line is written.
    ProgramBuilder builder;
    return builder.Update(script, actors, log, lang, 0);
}

std::vector<ActorProgram> BuildCompletePrograms(const std::vector<core::ScriptStep>& script,
                                                const std::vector<ActorInfo>& actors,
                                                const ProgramAddresses& addresses,
                                                core::Lang lang) {
    std::vector<ActorProgram> programs;
    std::vector<ProgramWriter> writers;
    for (size_t a = 0; a < actors.size(); ++a) {
        programs.push_back({static_cast<int>(a), actors[a].name, {}});
        writers.emplace_back(addresses, lang, true, BufferSize(script, static_cast<int>(a)));
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

std::string CallAsC(const core::CallRequest& request) {
    std::vector<CodeLine> lines;
    const ProgramAddresses none;
    ProgramWriter writer(none, core::Lang::kEn, false, std::max(request.args.size, 1));
    writer.Call(request, -1, kNoEvent, lines);
    std::string out;
    for (const CodeLine& l : lines) out += (out.empty() ? "" : "\n") + l.text;
    return out;
}

}  // namespace sockstep::ui
