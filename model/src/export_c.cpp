// `sockstep export --format c`: one complete C program per actor around the statements of
// BuildCompletePrograms (c_program.cpp), the narration as comments, a step mode to run the
// programs in the lesson's order, and every call printed with its result. Ports the kernel picks
// in the lesson become command-line parameters (why: docs/EXPORT.md).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "export_ports.h"
#include "export_rows.h"
#include "sockstep/model/c_program.h"
#include "sockstep/model/export.h"

namespace sockstep::ui {
namespace detail {

using core::CallKind;

namespace {

// Where a socket's local address comes from, as far as the lesson's steps say.
struct PortSource {
    std::string param;  // the socket whose port is a command-line parameter; empty: literal
    uint16_t port = 0;
    std::string host;
};

std::string Loopback(core::Family family) {
    return family == core::Family::kInet6 ? "::1" : "127.0.0.1";
}

}  // namespace

std::string PortVar(const std::string& socket) {
    return "port_" + CName(socket);
}
std::string PortPlaceholder(const std::string& socket) {
    std::string out;
    for (const char c : CName(socket)) out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return out + "_PORT";
}

namespace {

std::string StepPlace(const core::Lesson& lesson, size_t index) {
    const std::string line = std::to_string(lesson.steps[index].line);
    const std::string where =
        lesson.path.empty() ? "line " + line : lesson.path.filename().string() + ":" + line;
    return "step " + std::to_string(index + 1) + " (" + where + ", " +
           core::FormatCall(lesson.steps[index].request) + ")";
}

}  // namespace

// Follows the steps: which socket got which address, and which kernel-picked ports another
// program (or a later step) needs to know.
std::variant<PortPlan, ExportError> PlanPorts(const core::Lesson& lesson) {
    std::map<std::string, core::Family> family;
    std::map<std::string, PortSource> source;
    std::vector<std::string> bound;  // in bind order
    std::set<std::string> used;
    const auto need = [&](const std::string& name, size_t index) -> std::optional<ExportError> {
        auto it = source.find(name);
        if (it == source.end()) {
            return ExportError{
                StepPlace(lesson, index) + " uses the address of '" + name +
                "', which no bind() before it gave an address: the kernel picks its port when it "
                "connects or sends, and a separate program cannot learn that port without a call "
                "the lesson does not make (getsockname). Bind '" +
                name + "' to a port before this step to export the lesson as separate programs."};
        }
        if (!it->second.param.empty()) used.insert(it->second.param);
        return std::nullopt;
    };
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const core::LessonStep& step = lesson.steps[i];
        const core::CallRequest& r = step.request;
        const core::Address& address = r.args.address;
        switch (r.call) {
            case CallKind::kSocket:
                family[r.result] = r.args.family;
                break;
            case CallKind::kBind: {
                if (source.count(r.socket)) break;  // a second bind() fails with EINVAL
                if (!address.peer.empty()) {
                    if (auto error = need(address.peer, i)) return *error;
                    source[r.socket] = source[address.peer];
                    break;
                }
                PortSource s;
                const core::Family f =
                    family.count(r.socket) ? family[r.socket] : core::Family::kInet;
                s.host = address.host.empty() || address.host.rfind("localhost", 0) == 0 ||
                                 address.host == "ip6-localhost"
                             ? Loopback(f)
                             : address.host;
                s.port = address.port;
                if (address.port == 0) s.param = r.socket;
                source[r.socket] = s;
                bound.push_back(r.socket);
                break;
            }
            case CallKind::kAccept:
                if (step.outside_client) {
                    if (auto error = need(r.socket, i)) return *error;
                }
                if (source.count(r.socket)) source[r.result] = source[r.socket];
                break;
            case CallKind::kConnect:
            case CallKind::kSendto:
                if (!address.peer.empty()) {
                    if (auto error = need(address.peer, i)) return *error;
                }
                break;
            default:
                break;
        }
    }
    PortPlan plan;
    for (const std::string& s : bound) {
        if (used.count(s)) {
            plan.params.push_back(s);
            plan.addresses.bind_port[s] = PortVar(s);
        }
    }
    for (const auto& [name, s] : source) {
        plan.addresses.peer_port[name] =
            s.param.empty() ? std::to_string(s.port) : PortVar(s.param);
        plan.addresses.peer_host[name] = s.host;
    }
    return plan;
}

}  // namespace detail

namespace {

using core::CallKind;
using core::Lang;
using detail::OrderLine;
using detail::PlanPorts;
using detail::PortPlaceholder;
using detail::PortPlan;
using detail::PortVar;

// Text inside /* */: no comment end or start, no trigraph, no control bytes.
std::string CommentSafe(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        out += c;
        const char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if ((c == '*' && next == '/') || (c == '/' && next == '*') || (c == '?' && next == '?')) {
            out += ' ';
        }
    }
    return out;
}

void Comment(std::string& out, const std::string& indent, const std::string& text,
             size_t width = 92) {
    const std::vector<std::string> lines = detail::WrapWords(CommentSafe(text), width);
    for (size_t i = 0; i < lines.size(); ++i) {
        out += indent + (i == 0 ? "/* " : " * ") + lines[i];
        out += i + 1 == lines.size() ? " */\n" : "\n";
    }
}

struct Words {
    const char* generated;
    const char* same_calls;
    const char* build;
    const char* run;
    const char* port_doc;
    const char* port_zero;
    const char* port_more;
    const char* step_doc;
    const char* order;
    const char* printed;
    const char* meanwhile;
    const char* elsewhere;
    const char* press;
    const char* waiting;
    const char* outside_zero;
    const char* usage_port;
    const char* not_a_port;
};

constexpr Words kEnglish = {
    "the program \"%s\" of the sockstep lesson \"%s\" (%s), generated by `sockstep export "
    "--format c`.",
    "It makes the same socket calls as this program makes in the lesson, in the same order and "
    "with the same arguments; the lesson's narration is in the comments.",
    "Build:",
    "Run:",
    "the port of `%s`. The lesson binds it to port 0 and lets the kernel pick one, which "
    "sockstep shows to the other programs; a separate program could only learn a kernel-picked "
    "port through a call the lesson does not make (getsockname). So every program of the lesson "
    "takes the same port on the command line: pick a free one, for example %s.",
    "0 still lets the kernel pick, as in the lesson, but then no other program can find it.",
    "the port of `%s`, in the same way (for example %s).",
    "step mode (or SOCKSTEP_STEP=1): wait for Enter before each call, so that the programs, "
    "each in its own terminal, run their calls in the lesson's order:",
    "The lesson's order:",
    "Each call is printed with its result, \"[4] server: accept(listener) = 4\" or \"[5] client: "
    "connect(sock) = -1 ECONNREFUSED (...)\". A call that fails, as the lesson expects it to, "
    "does not stop the program.",
    "meanwhile, in the other programs:",
    "steps %s run in the other programs",
    "press Enter to run",
    "waiting for a client program; from another terminal try:",
    "(port 0: the kernel picks one, and this program does not ask which)",
    "the port of",
    "is not a port (0-65535)",
};

constexpr Words kKorean = {
    "sockstep 수업 \"%s\" (%s)의 프로그램 \"%s\". `sockstep export --format c`가 만들었습니다.",
    "이 프로그램은 수업에서와 똑같은 소켓 호출을, 같은 순서, 같은 인자로 합니다. 주석은 수업의 "
    "설명입니다.",
    "빌드:",
    "실행:",
    "`%s`의 포트. 수업에서는 포트 0으로 bind()해서 커널이 고르게 하고, sockstep이 그 포트를 다른 "
    "프로그램에 알려 줍니다. 따로 실행되는 프로그램은 수업에 없는 호출(getsockname) 없이는 커널이 "
    "고른 포트를 알 수 없으므로, 이 수업의 모든 프로그램이 같은 포트를 명령줄에서 받습니다. 비어 "
    "있는 포트 하나를 고르세요. 예: %s.",
    "0을 주면 수업처럼 커널이 고르지만, 다른 프로그램은 그 포트를 찾을 수 없습니다.",
    "`%s`의 포트. 위와 같습니다 (예: %s).",
    "단계 모드 (또는 SOCKSTEP_STEP=1): 호출마다 Enter를 기다립니다. 프로그램마다 터미널을 하나씩 "
    "열고 수업의 순서대로 Enter를 누르세요:",
    "수업의 순서:",
    "호출마다 결과가 출력됩니다: \"[4] server: accept(listener) = 4\", \"[5] client: "
    "connect(sock) = -1 ECONNREFUSED (...)\". 수업이 기대하는 실패는 프로그램을 멈추지 않습니다.",
    "그동안 다른 프로그램에서:",
    "%s단계는 다른 프로그램에서 실행됩니다",
    "Enter를 누르면 실행합니다:",
    "클라이언트 프로그램을 기다립니다. 다른 터미널에서 해 보세요:",
    "(포트 0: 커널이 고르며, 이 프로그램은 어느 포트인지 묻지 않습니다)",
    "포트 -",
    "는 포트가 아닙니다 (0-65535)",
};

std::string Fill(std::string text, const std::vector<std::string>& values) {
    for (const std::string& v : values) {
        const auto at = text.find("%s");
        if (at == std::string::npos) break;
        text.replace(at, 2, v);
    }
    return text;
}

bool Uses(const core::Lesson& lesson, int actor, std::initializer_list<CallKind> calls) {
    return std::any_of(lesson.steps.begin(), lesson.steps.end(), [&](const core::LessonStep& s) {
        return s.actor == actor &&
               std::find(calls.begin(), calls.end(), s.request.call) != calls.end();
    });
}

// The C helpers every program carries: they only print and wait, and make no socket call.
std::string Helpers(const std::string& actor, bool reads, bool params, const Words& w) {
    std::string out;
    out += "static int step_mode;\n\n";
    out += "/* Step mode: wait for Enter before the call. */\n";
    out += "static void before(int step, const char *call)\n{\n";
    out += "    if (!step_mode)\n        return;\n";
    out += "    printf(\"[%d] " + actor + ": " + CommentSafe(w.press) + " %s\\n\", step, call);\n";
    out += "    for (int c = getchar(); c != '\\n'; c = getchar()) {\n";
    out += "        if (c == EOF) { /* no more input: run the rest straight through */\n";
    out += "            step_mode = 0;\n            return;\n        }\n    }\n}\n\n";
    out += "/* The name of an errno value, as the lesson and strace spell it. */\n";
    out += "static const char *errno_name(int err)\n{\n    switch (err) {\n";
    for (const char* name :
         {"EACCES",       "EADDRINUSE",   "EADDRNOTAVAIL", "EAFNOSUPPORT", "EAGAIN",
          "EALREADY",     "EBADF",        "ECONNABORTED",  "ECONNREFUSED", "ECONNRESET",
          "EDESTADDRREQ", "EHOSTUNREACH", "EINPROGRESS",   "EINTR",        "EINVAL",
          "EISCONN",      "EMFILE",       "EMSGSIZE",      "ENETUNREACH",  "ENOBUFS",
          "ENOPROTOOPT",  "ENOTCONN",     "ENOTSOCK",      "EOPNOTSUPP",   "EPERM",
          "EPIPE",        "ETIMEDOUT"}) {
        out += "    case " + std::string(name) + ": return \"" + name + "\";\n";
    }
    out += "    default: return \"E?\";\n    }\n}\n\n";
    out += "/* Prints the call and its result. A failure does not stop the program. */\n";
    out += "static void after(int step, const char *call, long ret)\n{\n";
    out += "    int err = errno; /* first, before printf() can change it */\n\n";
    out += "    if (ret < 0)\n";
    out += "        printf(\"[%d] " + actor +
           ": %s = -1 %s (%s)\\n\", step, call, errno_name(err), strerror(err));\n";
    out += "    else\n        printf(\"[%d] " + actor + ": %s = %ld\\n\", step, call, ret);\n}\n\n";
    if (reads) {
        out += "/* The same, with the bytes that came. */\n";
        out += "static void after_data(int step, const char *call, long ret, const char *buf)\n{\n";
        out += "    if (ret <= 0) {\n        after(step, call, ret);\n        return;\n    }\n";
        out += "    printf(\"[%d] " + actor + ": %s = %ld \\\"\", step, call, ret);\n";
        out += "    for (long i = 0; i < ret; i++) {\n";
        out += "        unsigned char c = (unsigned char)buf[i];\n\n";
        out += "        if (c == '\\n')\n            printf(\"\\\\n\");\n";
        out += "        else if (c == '\\r')\n            printf(\"\\\\r\");\n";
        out += "        else if (c == '\"' || c == '\\\\')\n            printf(\"\\\\%c\", c);\n";
        out += "        else if (c < 0x20 || c == 0x7f)\n            printf(\"\\\\%03o\", c);\n";
        out += "        else\n            putchar(c);\n    }\n    printf(\"\\\"\\n\");\n}\n\n";
    }
    if (params) {
        out += "/* A port from the command line: 0-65535, else -1. */\n";
        out += "static int port_arg(const char *text)\n{\n    char *end;\n";
        out += "    long port = strtol(text, &end, 10);\n\n";
        out += "    if (*text == '\\0' || *end != '\\0' || port < 0 || port > 65535)\n";
        out += "        return -1;\n    return (int)port;\n}\n\n";
    }
    return out;
}

std::string ProgramFile(const core::Lesson& lesson, const PortPlan& plan, const ActorProgram& body,
                        Lang lang) {
    const Words& w = lang == Lang::kKo ? kKorean : kEnglish;
    const std::string& actor = body.name;
    const int a = body.actor;
    std::string usage = "[-s]";
    for (const std::string& p : plan.params) usage += " " + PortPlaceholder(p);
    const std::string title = lesson.title.Get(lang);
    const std::string generated = lang == Lang::kKo ? Fill(w.generated, {lesson.id, title, actor})
                                                    : Fill(w.generated, {actor, lesson.id, title});
    std::string out;
    const auto paragraph = [&](const std::string& text) {
        for (const std::string& l : detail::WrapWords(CommentSafe(text), 92)) {
            out += (out.empty() ? "/* " : " * ") + l + "\n";
        }
    };
    paragraph(actor + ".c: " + generated);
    out += " *\n";
    paragraph(w.same_calls);
    out +=
        " *\n * " + CommentSafe(w.build) + " cc -Wall -Wextra -o " + actor + " " + actor + ".c\n";
    out += " * " + CommentSafe(w.run) + " ./" + actor + " " + usage + "\n *\n";
    for (size_t p = 0; p < plan.params.size(); ++p) {
        const std::string head = "   " + PortPlaceholder(plan.params[p]) + "  ";
        // The whole story once; the further ports only say whose they are.
        const std::string doc =
            p == 0
                ? Fill(w.port_doc, {plan.params[p], std::to_string(5000 + p)}) + " " + w.port_zero
                : Fill(w.port_more, {plan.params[p], std::to_string(5000 + p)});
        const auto lines = detail::WrapWords(CommentSafe(doc), 88 - head.size());
        for (size_t i = 0; i < lines.size(); ++i) {
            out += " * " + (i == 0 ? head : std::string(head.size(), ' ')) + lines[i] + "\n";
        }
    }
    {
        const std::string head =
            "   -s" +
            std::string(plan.params.empty() ? 2 : PortPlaceholder(plan.params[0]).size(), ' ');
        const auto lines = detail::WrapWords(CommentSafe(w.step_doc), 88 - head.size());
        for (size_t i = 0; i < lines.size(); ++i) {
            out += " * " + (i == 0 ? head : std::string(head.size(), ' ')) + lines[i] + "\n";
        }
    }
    out += " *\n";
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        out += " *     " + CommentSafe(OrderLine(lesson, i)) + "\n";
    }
    out += " *\n";
    for (const std::string& l : detail::WrapWords(CommentSafe(w.printed), 92))
        out += " * " + l + "\n";
    out += " */\n";
    out +=
        "#include <arpa/inet.h>\n#include <errno.h>\n#include <fcntl.h>\n"
        "#include <netinet/in.h>\n#include <netinet/tcp.h>\n#include <poll.h>\n"
        "#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
        "#include <sys/socket.h>\n#include <sys/types.h>\n#include <unistd.h>\n\n";
    const bool reads = Uses(lesson, a, {CallKind::kRecv, CallKind::kRead, CallKind::kRecvfrom});
    out += Helpers(actor, reads, !plan.params.empty(), w);

    out += "int main(int argc, char **argv)\n{\n";
    out += "    const char *step_env = getenv(\"SOCKSTEP_STEP\");\n    int first = 1;\n\n";
    out +=
        "    step_mode = step_env != NULL && strcmp(step_env, \"\") != 0 && "
        "strcmp(step_env, \"0\") != 0;\n";
    out +=
        "    if (argc > 1 && strcmp(argv[1], \"-s\") == 0) {\n        step_mode = 1;\n"
        "        first = 2;\n    }\n";
    out += "    if (argc - first != " + std::to_string(plan.params.size()) + ") {\n";
    out += "        fprintf(stderr, \"usage: %s " + usage + "\\n\", argv[0]);\n";
    for (size_t p = 0; p < plan.params.size(); ++p) {
        out += "        fprintf(stderr, \"  " + PortPlaceholder(plan.params[p]) + ": " +
               CommentSafe(w.usage_port) + " " + plan.params[p] + " (" +
               std::string(lang == Lang::kKo ? "예: " : "e.g. ") + std::to_string(5000 + p) +
               ")\\n\");\n";
    }
    out += "        return 2;\n    }\n";
    for (size_t p = 0; p < plan.params.size(); ++p) {
        const std::string var = PortVar(plan.params[p]);
        const std::string arg = "argv[first + " + std::to_string(p) + "]";
        out += "    int " + var + " = port_arg(" + arg + ");\n";
        out += "    if (" + var + " < 0) {\n";
        out += "        fprintf(stderr, \"%s: '%s' " + CommentSafe(w.not_a_port) +
               "\\n\", argv[0], " + arg + ");\n        return 2;\n    }\n";
    }
    out += "    setvbuf(stdout, NULL, _IOLBF, 0); /* a line at a time, even into a pipe */\n";
    if (Uses(lesson, a, {CallKind::kSend, CallKind::kWrite, CallKind::kSendto})) {
        out +=
            "    signal(SIGPIPE, SIG_IGN); /* send() to a closed connection gives EPIPE "
            "instead of killing */\n";
    }

    int previous = -1;  // the last step of this program written so far
    for (const CodeLine& line : body.lines) {
        if (line.step != previous) {
            const size_t index = static_cast<size_t>(line.step);
            // The steps the other programs run in between, so the order stays visible.
            std::string between;
            size_t count = 0;
            for (size_t j = static_cast<size_t>(previous + 1); j < index; ++j, ++count) {
                between += (between.empty() ? "" : ", ") + std::to_string(j + 1) + " " +
                           lesson.actors[static_cast<size_t>(lesson.steps[j].actor)].name + " " +
                           CallLabel(lesson.steps[j].request);
            }
            if (previous >= 0 && count > 0 && count <= 4) {
                out += "\n";
                Comment(out, "    ", "(" + std::string(w.meanwhile) + " " + between + ")");
            } else if (previous >= 0 && count > 4) {
                out += "\n";
                Comment(out, "    ",
                        "(" +
                            Fill(w.elsewhere,
                                 {std::to_string(previous + 2) + "-" + std::to_string(index)}) +
                            ")");
            }
            out += "\n";
            const core::LessonStep& step = lesson.steps[index];
            Comment(out, "    ", std::to_string(index + 1) + ". " + step.narration.Get(lang));
            if (step.outside_client) {
                const auto it = plan.addresses.peer_port.find(step.request.socket);
                const std::string host = plan.addresses.peer_host.count(step.request.socket)
                                             ? plan.addresses.peer_host.at(step.request.socket)
                                             : "127.0.0.1";
                const std::string shown =
                    host.find(':') != std::string::npos ? "[" + host + "]" : host;
                std::string port = it != plan.addresses.peer_port.end() ? it->second : "0";
                out += "    printf(\"[" + std::to_string(index + 1) + "] " + actor + ": " +
                       CommentSafe(w.waiting) + "\\n\");\n";
                const bool variable = port.rfind("port_", 0) == 0;
                const std::string fmt = variable ? "%d" : port;
                const std::string args = variable ? ", " + port : "";
                out += "    printf(\"        nc " + host + " " + fmt + "\\n\"" + args + ");\n";
                out += "    printf(\"        curl http://" + shown + ":" + fmt + "/\\n\"" + args +
                       ");\n";
                if (variable) {
                    out += "    if (" + port + " == 0)\n        printf(\"        " +
                           CommentSafe(w.outside_zero) + "\\n\");\n";
                }
            }
            previous = line.step;
        }
        out += "    " + line.text + "\n";
    }
    out += "    return 0;\n}\n";
    return out;
}

std::string Readme(const core::Lesson& lesson, const PortPlan& plan, Lang lang) {
    const bool ko = lang == Lang::kKo;
    const std::string example = detail::PortExample(plan);
    std::string out = detail::ReadmeTitle(lesson, lang);
    out += ko ? "빌드:\n\n" : "Build:\n\n";
    for (const core::LessonActor& a : lesson.actors) {
        out += "    cc -Wall -Wextra -o " + a.name + " " + a.name + ".c\n";
    }
    out += ko ? "\n실행: 프로그램마다 터미널을 하나씩 열고, 단계 모드(-s)로 시작하세요:\n\n"
              : "\nRun: one terminal per program, each started in step mode (-s):\n\n";
    for (const core::LessonActor& a : lesson.actors) {
        out += "    ./" + a.name + " -s" + example + "\n";
    }
    out += "\n" + detail::ReadmePortsAndOrder(lesson, plan, lang);
    return out + detail::ReadmeWithoutStepMode(lang);
}

}  // namespace

std::variant<ExportResult, ExportError> ExportC(const core::Lesson& lesson, Lang lang) {
    auto planned = PlanPorts(lesson);
    if (const auto* error = std::get_if<ExportError>(&planned)) return *error;
    const PortPlan& plan = std::get<PortPlan>(planned);
    std::vector<ActorInfo> actors;
    for (const core::LessonActor& a : lesson.actors) actors.push_back({a.name, a.role});
    const auto bodies = BuildCompletePrograms(core::ToScript(lesson), actors, plan.addresses, lang);
    ExportResult result;
    result.directory = true;
    for (const ActorProgram& body : bodies) {
        result.files.push_back({body.name + ".c", ProgramFile(lesson, plan, body, lang)});
    }
    result.files.push_back({"README.txt", Readme(lesson, plan, lang)});
    return result;
}

}  // namespace sockstep::ui
