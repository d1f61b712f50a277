// Loopback only: connect() to 10.0.0.1, 0.0.0.0, 8.8.8.8, "::" and "example.com", bind() to
// 0.0.0.0, sendto() 8.8.8.8, and listen()/UDP sendto() on a never-bound socket (Linux would
// autobind it to the wildcard) are refused before any call is made: a Refused event with a
// message, StepOutcome::kRefused, and no Enter event for the call. So that nothing can leave
// this machine even if the refusal were broken, every check runs in a forked child inside a
// fresh, empty network namespace (unshare(CLONE_NEWNET): no interface is up, no route exists;
// for an ordinary user inside a new user namespace that owns it, tests/support/user_namespace.h).
// The child reports failures through a pipe; the parent turns them into test failures. If the
// namespace cannot be made, the test FAILS (it never skips).
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "../support/user_namespace.h"
#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

constexpr int kChildOk = 0;
constexpr int kChildChecksFailed = 1;
constexpr int kChildNoNamespace = 2;

// Collects failures inside the child, where gtest assertions would be lost.
class Checker {
  public:
    void Check(bool ok, const std::string& what) {
        if (!ok) m_out << what << "\n";
    }
    std::string Failures() const { return m_out.str(); }

  private:
    std::ostringstream m_out;
};

ino_t NetNamespaceInode() {
    struct stat st {};
    if (stat("/proc/self/ns/net", &st) != 0) return 0;
    return st.st_ino;
}

// Makes `request` through a fresh Session and checks it was refused before reaching the kernel.
void ExpectRefused(Checker& c, const std::string& label, Family family, SockType type,
                   CallRequest request) {
    Session s;
    const int actor = s.AddActor(ActorSpec{"client", Role::kClient, family});
    const StepOutcome created = s.Call(actor, MakeSocket(request.socket, family, type));
    c.Check(created == StepOutcome::kReturned, label + ": socket() did not return");
    const size_t before = s.Log().size();
    const StepOutcome outcome = s.Call(actor, request);
    c.Check(outcome == StepOutcome::kRefused,
            label + ": outcome " + std::string(StepOutcomeName(outcome)) + ", not refused");
    const LogView log = s.Log();
    c.Check(log.size() == before + 1, label + ": expected exactly one new event (Refused), got " +
                                          std::to_string(log.size() - before));
    if (log.size() > before) {
        const Event& e = log[before];
        c.Check(e.phase == Phase::kRefused,
                label + ": the event is " + std::string(PhaseName(e.phase)) + ", not refused");
        c.Check(e.request.call == request.call, label + ": the Refused event names another call");
        c.Check(!e.message.empty(), label + ": the Refused event gives no reason");
        c.Check(e.ret == 0 && e.err == 0, label + ": a refused call has no result");
        // The socket is untouched: no remote address, no local port, still CLOSE.
        const SocketView* v = OpenSocket(e.sockets, request.socket);
        c.Check(v != nullptr, label + ": the socket is missing from the snapshot");
        if (v != nullptr) {
            c.Check(!v->remote, label + ": the socket has a remote address");
            c.Check(!v->local, label + ": the socket got a local port");
            c.Check(v->tcp_state == TcpState::kClose, label + ": the socket is not CLOSE");
            c.Check(v->api_state == ApiState::kCreated, label + ": the API state moved");
        }
    }
    c.Check(!HasEvent(log, actor, request.call, Phase::kEnter),
            label + ": an Enter event exists, so the call was made");
    c.Check(!HasEvent(log, actor, request.call, Phase::kReturn),
            label + ": a Return event exists, so the call was made");
}

void RunRefusals(Checker& c) {
    const auto stream = SockType::kStream;
    ExpectRefused(c, "connect 10.0.0.1", Family::kInet, stream, MakeConnectTo("s", "10.0.0.1", 80));
    ExpectRefused(c, "connect 0.0.0.0", Family::kInet, stream, MakeConnectTo("s", "0.0.0.0", 80));
    ExpectRefused(c, "connect 8.8.8.8", Family::kInet, stream, MakeConnectTo("s", "8.8.8.8", 53));
    ExpectRefused(c, "connect :: (AF_INET6)", Family::kInet6, stream, MakeConnectTo("s", "::", 80));
    ExpectRefused(c, "connect :: (AF_INET)", Family::kInet, stream, MakeConnectTo("s", "::", 80));
    ExpectRefused(c, "connect example.com", Family::kInet, stream,
                  MakeConnectTo("s", "example.com", 80));
    ExpectRefused(c, "connect example.com (AF_INET6)", Family::kInet6, stream,
                  MakeConnectTo("s", "example.com", 80));
    ExpectRefused(c, "connect 2001:4860:4860::8888", Family::kInet6, stream,
                  MakeConnectTo("s", "2001:4860:4860::8888", 53));
    ExpectRefused(c, "connect ::ffff:8.8.8.8", Family::kInet6, stream,
                  MakeConnectTo("s", "::ffff:8.8.8.8", 53));
    ExpectRefused(c, "bind 0.0.0.0", Family::kInet, stream, MakeBind("s", "0.0.0.0", 0));
    ExpectRefused(c, "bind :: (AF_INET6)", Family::kInet6, stream, MakeBind("s", "::", 0));
    ExpectRefused(c, "bind 10.0.0.1", Family::kInet, stream, MakeBind("s", "10.0.0.1", 0));
    CallRequest sendto = MakeSendto("s", "", "x");
    sendto.args.address.host = "8.8.8.8";
    sendto.args.address.port = 53;
    ExpectRefused(c, "sendto 8.8.8.8 (UDP)", Family::kInet, SockType::kDgram, sendto);
    CallRequest udp_connect = MakeConnectTo("s", "10.0.0.1", 53);
    ExpectRefused(c, "connect 10.0.0.1 (UDP)", Family::kInet, SockType::kDgram, udp_connect);
    // Calls that would make Linux bind a never-bound socket to the wildcard (every interface).
    ExpectRefused(c, "listen without bind", Family::kInet, stream, MakeListen("s"));
    ExpectRefused(c, "listen without bind (AF_INET6)", Family::kInet6, stream, MakeListen("s"));
    CallRequest unbound_sendto = MakeSendto("s", "", "x");
    unbound_sendto.args.address.host = "127.0.0.1";
    unbound_sendto.args.address.port = 9;
    ExpectRefused(c, "UDP sendto without bind", Family::kInet, SockType::kDgram, unbound_sendto);
}

// Why listen() without bind() is refused, shown on the raw kernel where it is harmless (this
// namespace has no interface up): Linux autobinds the listener to 0.0.0.0, every interface.
void CheckKernelAutobindsListenToWildcard(Checker& c) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    c.Check(fd >= 0, std::string("raw socket(): ") + std::strerror(errno));
    if (fd < 0) return;
    c.Check(listen(fd, 1) == 0,
            std::string("raw listen() without bind(): ") + std::strerror(errno));
    sockaddr_in address{};
    socklen_t length = sizeof address;
    c.Check(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0,
            "raw getsockname()");
    c.Check(address.sin_addr.s_addr == htonl(INADDR_ANY),
            "kernel truth changed: listen() without bind() no longer binds 0.0.0.0");
    c.Check(address.sin_port != 0, "listen() without bind() picked no port");
    close(fd);
}

// After a refused connect(), getsockname() still says 0.0.0.0:<the port connect picked>, yet
// the kernel released that port: listen() would bind the wildcard. The session must still call
// the socket unbound. Needs this namespace's own loopback up (it reaches nothing else).
void CheckListenAfterRefusedConnectIsRefused(Checker& c) {
    const int probe = socket(AF_INET, SOCK_DGRAM, 0);
    ifreq lo{};
    std::strncpy(lo.ifr_name, "lo", IFNAMSIZ - 1);
    lo.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    c.Check(probe >= 0 && ioctl(probe, SIOCSIFFLAGS, &lo) == 0,
            std::string("bringing this namespace's lo up: ") + std::strerror(errno));
    if (probe >= 0) close(probe);

    Session s;
    const int actor = s.AddActor(ActorSpec{"client", Role::kClient, Family::kInet});
    s.Call(actor, MakeSocket("gone", Family::kInet, SockType::kStream));
    s.Call(actor, MakeBind("gone", "127.0.0.1", 0));
    const Snapshot now = s.ProbeNow();
    const SocketView* gone = OpenSocket(now, "gone");
    const uint16_t port = gone && gone->local ? gone->local->port : 0;
    c.Check(port != 0, "no port to connect to");
    s.Call(actor, MakeClose("gone"));
    s.Call(actor, MakeSocket("s", Family::kInet, SockType::kStream));
    s.Call(actor, MakeConnectTo("s", "127.0.0.1", port));
    c.Check(s.Log().back().err == ECONNREFUSED, "connect() to a closed port was not refused");
    c.Check(s.Call(actor, MakeListen("s")) == StepOutcome::kRefused,
            "listen() after a refused connect() was not refused: it would bind 0.0.0.0");
}

TEST(SessionRefusalTest, NonLoopbackAddressesAreRefusedBeforeAnyCall) {
    int pipe_fds[2];
    ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0) << std::strerror(errno);
    const ino_t parent_ns = NetNamespaceInode();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
        // Child: never return into gtest; report through the pipe and _exit.
        close(pipe_fds[0]);
        std::string report;
        int code = kChildOk;
        // As root only a network namespace; for an ordinary user a user namespace that owns it.
        if (const std::string failed = testsupport::UnshareEmptyNetworkNamespace();
            !failed.empty()) {
            report = failed +
                     " (the refusal tests need a private, empty network namespace: root, "
                     "CAP_SYS_ADMIN or unprivileged user namespaces)";
            code = kChildNoNamespace;
        } else if (NetNamespaceInode() == parent_ns || NetNamespaceInode() == 0) {
            report = "unshare(CLONE_NEWNET) returned 0 but the network namespace did not change";
            code = kChildNoNamespace;
        } else {
            Checker checker;
            RunRefusals(checker);
            CheckKernelAutobindsListenToWildcard(checker);
            CheckListenAfterRefusedConnectIsRefused(checker);  // last: it brings lo up
            report = checker.Failures();
            code = report.empty() ? kChildOk : kChildChecksFailed;
        }
        size_t written = 0;
        while (written < report.size()) {
            const ssize_t n = write(pipe_fds[1], report.data() + written, report.size() - written);
            if (n <= 0) break;
            written += static_cast<size_t>(n);
        }
        close(pipe_fds[1]);
        _exit(code);
    }
    close(pipe_fds[1]);
    std::string report;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        report.append(buffer, static_cast<size_t>(n));
    }
    close(pipe_fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status))
        << "the child crashed (signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ")";
    const int code = WEXITSTATUS(status);
    EXPECT_NE(code, kChildNoNamespace) << report;
    EXPECT_EQ(code, kChildOk) << report;
    EXPECT_EQ(NetNamespaceInode(), parent_ns) << "the parent's namespace must not change";
}

}  // namespace
}  // namespace sockstep::core::sessiontest
