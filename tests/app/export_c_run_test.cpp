// `sockstep export --format c` and `--format python`, for every built-in lesson: the C programs
// compile with cc -Wall -Wextra -Werror; the programs run under strace in step mode (driven in
// the lesson's order: Enter to the program of each step, waiting for its result, or for it to
// sleep in the kernel when the lesson's own run blocked there), and make, program by program,
// the same socket system calls with the same outcome (success or errno) as the lesson's run in a
// core::Session. Python's calls are mapped by ui::PythonCallOf, the one table of the system
// calls behind each Python call: only the further calls it lists are allowed, and the
// arguments the lesson sets (family and type, option and value, backlog, how, sizes, timeout)
// are compared too.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run_process.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/model/python_calls.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using core::CallKind;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
const fs::path kOut = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "export-run";
constexpr auto kHangGuard = 30s;  // backlog-full's ETIMEDOUT takes ~3 s

// What strace shows for one lesson call: glibc's send() is the sendto system call, recv() is
// recvfrom, and the lesson's fcntl is F_GETFL then F_SETFL.
std::vector<std::string> Syscalls(CallKind call) {
    switch (call) {
        case CallKind::kSend:
            return {"sendto"};
        case CallKind::kRecv:
            return {"recvfrom"};
        case CallKind::kFcntl:
            return {"fcntl", "fcntl"};
        default:
            return {std::string(core::CallName(call))};
    }
}

// The arguments of a lesson call that the Python programs' system calls must show, as strace
// writes them (the descriptor and the addresses left out: ports come from the command line).
std::string LessonArguments(const core::CallRequest& r) {
    const core::CallArgs& a = r.args;
    switch (r.call) {
        case CallKind::kSocket:
            // socket.socket() adds SOCK_CLOEXEC (the table's reason).
            return std::string(core::FamilyName(a.family)) + " " +
                   std::string(core::SockTypeName(a.type)) + "|SOCK_CLOEXEC";
        case CallKind::kSetsockopt: {
            const bool tcp =
                a.option == core::SockOpt::kTcpNodelay || a.option == core::SockOpt::kTcpSyncnt;
            const std::string value = a.option == core::SockOpt::kLinger
                                          ? "{l_onoff=" + std::to_string(a.value) +
                                                ", l_linger=" + std::to_string(a.linger_seconds) +
                                                "}"
                                          : "[" + std::to_string(a.value) + "]";
            return std::string(tcp ? "SOL_TCP " : "SOL_SOCKET ") +
                   std::string(core::SockOptName(a.option)) + " " + value;
        }
        case CallKind::kFcntl:
            return a.nonblocking ? "FIONBIO [1]" : "FIONBIO [0]";
        case CallKind::kListen:
            return std::to_string(a.backlog);
        case CallKind::kShutdown:
            return std::string(core::ShutHowName(a.how));
        case CallKind::kPoll:
            return std::to_string(a.timeout_ms);
        case CallKind::kSend:
        case CallKind::kWrite:
        case CallKind::kSendto:
            return std::to_string(a.data.size());
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            return std::to_string(a.size);
        default:
            return "";
    }
}

// strace's arguments of one call, split at the top-level commas.
std::vector<std::string> SplitArguments(const std::string& text) {
    std::vector<std::string> out(1);
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            out.back() += c;
            if (c == '\\' && i + 1 < text.size()) {
                out.back() += text[++i];
            } else if (c == '"') {
                quoted = false;
            }
            continue;
        }
        if (c == '"') quoted = true;
        if (c == '>' && i > 0 && text[i - 1] == '-') {  // "->" in a connection's description
            out.back() += c;
            continue;
        }
        if (c == '(' || c == '[' || c == '{' || c == '<') ++depth;
        if (c == ')' || c == ']' || c == '}' || c == '>') {
            if (depth == 0) break;  // the call's closing parenthesis
            --depth;
        }
        if (c == ',' && depth == 0) {
            out.emplace_back();
            if (i + 1 < text.size() && text[i + 1] == ' ') ++i;
            continue;
        }
        out.back() += c;
    }
    return out;
}

// The same arguments, from a strace line's system call `name` and its text after "(".
std::string StraceArguments(const std::string& name, const std::string& rest) {
    const std::vector<std::string> args = SplitArguments(rest);
    const auto at = [&](size_t i) { return i < args.size() ? args[i] : std::string("?"); };
    if (name == "socket") return at(0) + " " + at(1);
    if (name == "setsockopt") return at(1) + " " + at(2) + " " + at(3);
    if (name == "ioctl") return at(1) + " " + at(2);
    if (name == "listen" || name == "shutdown") return at(1);
    if (name == "poll") return at(2);
    if (name == "sendto" || name == "recvfrom" || name == "write" || name == "read") return at(2);
    return "";
}

long SyscallNumber(CallKind call) {
    switch (call) {
        case CallKind::kAccept:
            return SYS_accept;
        case CallKind::kConnect:
            return SYS_connect;
        case CallKind::kRecv:
        case CallKind::kRecvfrom:
            return SYS_recvfrom;
        case CallKind::kRead:
            return SYS_read;
        case CallKind::kPoll:
            return SYS_poll;
        case CallKind::kSend:
        case CallKind::kSendto:
            return SYS_sendto;
        case CallKind::kWrite:
            return SYS_write;
        default:
            return -1;
    }
}

// The real outside program of a step with outside_client: connects, sends a request, and reads
// the answer to the end.
class OutsideProgram {
  public:
    void Connect(uint16_t port) {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(m_fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
            const char request[] = "GET / HTTP/1.0\r\n\r\n";
            m_sent = send(m_fd, request, sizeof request - 1, 0) > 0;
        }
    }
    std::string ReadToEnd() {
        std::string answer;
        char buf[512];
        for (ssize_t n; m_fd >= 0 && (n = recv(m_fd, buf, sizeof buf, 0)) > 0;) {
            answer.append(buf, static_cast<size_t>(n));
        }
        return answer;
    }
    bool Sent() const { return m_sent; }
    ~OutsideProgram() {
        if (m_fd >= 0) close(m_fd);
    }

  private:
    int m_fd = -1;
    bool m_sent = false;
};

struct Reference {
    std::map<int, std::vector<std::string>> calls;  // actor → "name ok" / "name ECONNREFUSED"
    std::vector<bool> blocked;                      // step → its call slept in the kernel
};

// The lesson's own run, the judge of what the exported programs must do: for C, the calls and
// their outcomes; for Python, the calls of PythonCallOf's table, with their arguments.
Reference RunReference(const core::Lesson& lesson, bool python) {
    core::Session session;
    core::AddActors(session, lesson);
    session.SetScript(core::ToScript(lesson));
    std::atomic<bool> done{false};
    std::string answer;
    std::thread outside;
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        if (!lesson.steps[i].outside_client) continue;
        // Like a person at another terminal: connect once the server sleeps in accept().
        outside = std::thread([&, step = static_cast<int>(i)] {
            OutsideProgram client;
            while (!done) {
                const core::LogView log = session.Log();
                for (size_t e = 0; e < log.size(); ++e) {
                    const core::SocketView* l =
                        core::FindSocketByName(log[e].sockets, log[e].request.socket);
                    if (log[e].step == step && log[e].phase == core::Phase::kBlocked && l &&
                        l->local) {
                        client.Connect(l->local->port);
                        answer = client.ReadToEnd();
                        return;
                    }
                }
                std::this_thread::sleep_for(5ms);
            }
        });
    }
    EXPECT_EQ(session.RunToEnd(), core::StepOutcome::kNoMoreSteps);
    done = true;
    if (outside.joinable()) outside.join();
    Reference ref;
    ref.blocked.assign(lesson.steps.size(), false);
    const core::LogView log = session.Log();
    for (size_t i = 0; i < log.size(); ++i) {
        const core::Event& e = log[i];
        if (e.step < 0) continue;
        if (e.phase == core::Phase::kBlocked) ref.blocked[static_cast<size_t>(e.step)] = true;
        if (e.phase != core::Phase::kReturn) continue;
        if (python) {
            const ui::PythonSyscalls& row = ui::PythonCallOf(e.request.call);
            const std::string args = LessonArguments(e.request);
            ref.calls[e.actor].push_back(std::string(row.syscall) + (args.empty() ? "" : " ") +
                                         args + " " + (e.err ? core::ErrnoName(e.err) : "ok"));
            // The further calls happen only when the call succeeds.
            for (const std::string_view then : row.then) {
                if (!e.err) ref.calls[e.actor].push_back(std::string(then) + " ok");
            }
            continue;
        }
        const auto names = Syscalls(e.request.call);
        for (size_t k = 0; k < names.size(); ++k) {
            const bool last = k + 1 == names.size();
            ref.calls[e.actor].push_back(names[k] + " " +
                                         (last && e.err ? core::ErrnoName(e.err) : "ok"));
        }
    }
    return ref;
}

// One exported program under strace, with its stdin and stdout in our hands.
class Program {
  public:
    // `command`: the program and its arguments before "-s" (["./server"], or python3 and
    // "server.py").
    Program(const fs::path& dir, const std::string& name, const std::vector<std::string>& command,
            const std::vector<std::string>& ports)
        : m_name(name) {
        std::vector<std::string> argv = {
            "strace", "-f",
            "-yy",    "-qq",
            "-e",     "signal=none",
            "-e",     "trace=%network,read,write,close,fcntl,ioctl,poll,ppoll",
            "-o",     (dir / (name + ".strace")).string()};
        argv.insert(argv.end(), command.begin(), command.end());
        argv.push_back("-s");
        argv.insert(argv.end(), ports.begin(), ports.end());
        int in[2];
        int out[2];
        if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return;
        m_pid = fork();
        if (m_pid == 0) {
            setpgid(0, 0);  // strace and the program: one group, killed together on failure
            dup2(in[0], 0);
            dup2(out[1], 1);
            dup2(out[1], 2);
            std::vector<char*> args;
            for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execvp(args[0], args.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        m_in = in[1];
        m_out = out[0];
    }
    ~Program() {
        CloseInput();
        if (m_pid > 0 && m_status < 0) {
            kill(-m_pid, SIGKILL);
            Wait(5s);
        }
        if (m_out >= 0) close(m_out);
    }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    void Enter() { ASSERT_EQ(write(m_in, "\n", 1), 1); }
    void CloseInput() {
        if (m_in >= 0) close(m_in);
        m_in = -1;
    }
    const std::string& Output() const { return m_text; }

    // Waits until a line starting with `prefix` (and holding `part`) came, or the deadline.
    bool WaitLine(const std::string& prefix, const std::string& part, Clock::time_point deadline) {
        while (!HasLine(prefix, part)) {
            if (Clock::now() >= deadline || !Read(20)) return HasLine(prefix, part);
        }
        return true;
    }
    bool HasLine(const std::string& prefix, const std::string& part) const {
        std::istringstream lines(m_text);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind(prefix, 0) == 0 && line.find(part) != std::string::npos) return true;
        }
        return false;
    }
    // Reads what the program printed, waiting up to `ms`; false at the end of its output, or
    // when `ms` is 0 and nothing is waiting.
    bool Read(int ms) {
        if (m_out < 0) return false;
        pollfd p{m_out, POLLIN, 0};
        if (poll(&p, 1, ms) <= 0) return ms > 0;
        char buf[4096];
        const ssize_t n = read(m_out, buf, sizeof buf);
        if (n <= 0) {
            close(m_out);
            m_out = -1;
            return false;
        }
        m_text.append(buf, static_cast<size_t>(n));
        return true;
    }
    // Is the traced program asleep in system call `nr` (on a descriptor other than stdin)?
    bool SleepsIn(long nr) const {
        std::ifstream children("/proc/" + std::to_string(m_pid) + "/task/" + std::to_string(m_pid) +
                               "/children");
        long child = 0;
        if (!(children >> child)) return false;
        std::ifstream syscall("/proc/" + std::to_string(child) + "/syscall");
        long number = -1;
        std::string arg0;
        if (!(syscall >> number >> arg0)) return false;
        return number == nr && arg0 != "0x0";
    }
    int Wait(std::chrono::seconds limit) {
        const auto deadline = Clock::now() + limit;
        while (m_status < 0 && Clock::now() < deadline) {
            Read(20);
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        while (Read(0)) {
        }
        return m_status;
    }

  private:
    std::string m_name;
    pid_t m_pid = -1;
    int m_in = -1;
    int m_out = -1;
    int m_status = -1;
    std::string m_text;
};

// The socket calls of a strace -yy log: every socket(), and every other call on a descriptor
// strace shows as a socket, or as no open file at all (a call on a closed socket, EBADF, must
// count too). Calls on stdin, stdout and the loader's files are left out.
// With `arguments`, each call also carries StraceArguments (the Python comparison).
std::vector<std::string> SocketCalls(const fs::path& file, bool arguments) {
    static const std::regex kLine(R"(^(?:\d+ +)?([a-z0-9_]+)\((.*)$)");
    static const std::regex kSocketFd(
        R"(^(?:\[\{fd=)?\d+(?:<(?:TCP|TCPv6|UDP|UDPv6|socket:)|[,)\]]))");
    std::vector<std::string> calls;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_match(line, m, kLine)) continue;
        const std::string name = m[1];
        const std::string rest = m[2];
        if (name != "socket" && !std::regex_search(rest, kSocketFd)) continue;
        const auto eq = line.rfind(" = ");
        if (eq == std::string::npos) continue;
        const std::string result = line.substr(eq + 3);
        std::string outcome = "ok";
        if (result.rfind("-1 E", 0) == 0) outcome = result.substr(3, result.find(' ', 3) - 3);
        const std::string args = arguments ? StraceArguments(name, rest) : "";
        calls.push_back(name + (args.empty() ? "" : " " + args) + " " + outcome);
    }
    return calls;
}

bool Bindable(uint16_t port, int type) {
    const int fd = socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

// A loopback port free for TCP and UDP, below the ephemeral range (32768-60999), so that no
// connect() of a test running beside this one takes it between our check and the program's
// bind(). A port still in TIME-WAIT fails the check too.
uint16_t FreePort(std::set<uint16_t>& taken) {
    static unsigned next = static_cast<unsigned>(getpid()) * 7919u;
    for (;;) {
        const auto port = static_cast<uint16_t>(20000 + (next += 104729u) % 12000);
        if (!taken.count(port) && Bindable(port, SOCK_STREAM) && Bindable(port, SOCK_DGRAM)) {
            taken.insert(port);
            return port;
        }
    }
}

// How many ports the programs take: the *_PORT words of their usage line.
size_t PortCount(const std::string& source) {
    std::smatch m;
    static const std::regex kUsage(R"re(usage: %s \[-s\]([A-Z0-9_ ]*)(?:\\n|"))re");
    if (!std::regex_search(source, m, kUsage)) return 0;
    std::istringstream words(m[1].str());
    size_t n = 0;
    for (std::string w; words >> w;) n += w.size() > 5 && w.ends_with("_PORT") ? 1 : 0;
    return n;
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Debian's python3 itself, not a wrapper script in front of it (pyenv's shims are shell
// scripts: strace's first child would be the shell).
std::string Python3() {
    return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// The system call a blocking lesson call sleeps in, in the exported program.
long SleepNumber(CallKind call, bool python) {
    if (python && call == CallKind::kAccept) return SYS_accept4;  // PythonCallOf: accept4
    return SyscallNumber(call);
}

void CheckExport(const fs::path& lesson_file, bool python) {
    const core::LessonResult loaded = core::LoadLesson(lesson_file);
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(loaded));
    const core::Lesson& lesson = std::get<core::Lesson>(loaded);
    const std::string format = python ? "python" : "c";
    const std::string ext = python ? ".py" : ".c";
    const fs::path dir = kOut / format / lesson.id;
    fs::remove_all(dir);

    const ProcessResult exported =
        RunProcess({SOCKSTEP_BINARY, "export", "--lesson", lesson.id, "--format", format, "-o",
                    dir.string(), "--lang", "en"},
                   {"SOCKSTEP_ASSETS=" + kAssets.string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;

    // Exactly one program per actor, and the README.
    std::set<std::string> expected_files = {"README.txt"};
    for (const core::LessonActor& a : lesson.actors) expected_files.insert(a.name + ext);
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir)) files.insert(entry.path().filename());
    EXPECT_EQ(files, expected_files);

    size_t ports_wanted = 0;
    for (const core::LessonActor& a : lesson.actors) {
        const fs::path source = dir / (a.name + ext);
        if (!python) {
            const ProcessResult cc = RunProcess({"cc", "-Wall", "-Wextra", "-Werror", "-o",
                                                 (dir / a.name).string(), source.string()});
            ASSERT_EQ(cc.exit_code, 0) << a.name << ".c does not compile:\n" << cc.err;
        }
        const size_t n = PortCount(ReadFile(source));
        if (a.name == lesson.actors.front().name) ports_wanted = n;
        EXPECT_EQ(n, ports_wanted) << "every program takes the same ports";
    }

    const Reference ref = RunReference(lesson, python);

    std::vector<std::string> ports;
    std::set<uint16_t> taken;
    while (ports.size() < ports_wanted) ports.push_back(std::to_string(FreePort(taken)));
    std::vector<std::unique_ptr<Program>> programs;
    for (const core::LessonActor& a : lesson.actors) {
        const std::vector<std::string> command =
            python ? std::vector<std::string>{Python3(), (dir / (a.name + ".py")).string()}
                   : std::vector<std::string>{(dir / a.name).string()};
        programs.push_back(std::make_unique<Program>(dir, a.name, command, ports));
    }

    // Drive them in the lesson's order.
    OutsideProgram outside;
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const core::LessonStep& step = lesson.steps[i];
        Program& p = *programs[static_cast<size_t>(step.actor)];
        const std::string name = lesson.actors[static_cast<size_t>(step.actor)].name;
        const std::string prefix = "[" + std::to_string(i + 1) + "] " + name + ": ";
        SCOPED_TRACE("step " + std::to_string(i + 1) + " " + core::FormatCall(step.request));
        const auto deadline = Clock::now() + kHangGuard;
        ASSERT_TRUE(p.WaitLine(prefix, "press Enter", deadline)) << p.Output();
        p.Enter();
        if (ref.blocked[i] || step.outside_client) {
            // The lesson's call slept in the kernel: wait until this one does too (or is done).
            const long nr = SleepNumber(step.request.call, python);
            while (!p.SleepsIn(nr) && !p.HasLine(prefix, " = ")) {
                ASSERT_LT(Clock::now(), deadline) << "never reached the call\n" << p.Output();
                p.Read(5);
            }
            if (step.outside_client) {
                ASSERT_FALSE(ports.empty());
                outside.Connect(static_cast<uint16_t>(std::stoi(ports.front())));
                EXPECT_TRUE(outside.Sent());
            }
        } else {
            ASSERT_TRUE(p.WaitLine(prefix, " = ", deadline)) << "no result\n" << p.Output();
        }
    }
    for (auto& p : programs) p->CloseInput();
    for (size_t a = 0; a < programs.size(); ++a) {
        const std::string& name = lesson.actors[a].name;
        EXPECT_EQ(programs[a]->Wait(kHangGuard), 0) << name << ":\n" << programs[a]->Output();
        const auto actual = SocketCalls(dir / (name + ".strace"), python);
        const auto it = ref.calls.find(static_cast<int>(a));
        const std::vector<std::string> wanted =
            it == ref.calls.end() ? std::vector<std::string>{} : it->second;
        EXPECT_EQ(actual, wanted) << name << " printed:\n" << programs[a]->Output();
        EXPECT_FALSE(actual.empty());
    }
    bool outside_step = false;
    for (const core::LessonStep& s : lesson.steps) outside_step = outside_step || s.outside_client;
    if (outside_step) {
        EXPECT_NE(outside.ReadToEnd().find("200 OK"), std::string::npos);
    }
}

class ExportedLesson : public ::testing::TestWithParam<fs::path> {};
class ExportedPythonLesson : public ::testing::TestWithParam<fs::path> {};

TEST_P(ExportedLesson, ProgramsMakeTheLessonsSocketCalls) {
    CheckExport(GetParam(), false);
}

TEST_P(ExportedPythonLesson, ProgramsMakeTheLessonsSocketCalls) {
    CheckExport(GetParam(), true);
}

std::vector<fs::path> Lessons() {
    return core::BuiltinLessonFiles(kAssets);
}

INSTANTIATE_TEST_SUITE_P(BuiltinLessons, ExportedLesson, ::testing::ValuesIn(Lessons()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                             std::string name = param.param.stem().string();
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

INSTANTIATE_TEST_SUITE_P(BuiltinLessons, ExportedPythonLesson, ::testing::ValuesIn(Lessons()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                             std::string name = param.param.stem().string();
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

}  // namespace
}  // namespace sockstep::testing
