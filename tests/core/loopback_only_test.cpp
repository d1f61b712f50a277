// Loopback only, proven from outside the process: the same test binary runs the refusals again
// as a child under `unshare -n strace -f -e trace=%network,openat`, in an empty network
// namespace, and the parent reads strace's log. It proves what session_refusal_test.cpp cannot
// see from inside: that no bind/connect/sendto/sendmsg with a non-loopback address reached the
// kernel at all, and that no name was looked up (no DNS socket to port 53, no read of
// /etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf or /etc/gai.conf). The addresses are the
// wildcards (0.0.0.0, ::), a LAN address (192.168.1.10), public ones (8.8.8.8,
// 2001:4860::8888), v4-mapped and v4-compatible forms, inet_aton's shorthands that
// inet_pton refuses (127.1, 0x7f000001), names that look like loopback but are names
// (127.0.0.1.example.com, localhost.example.com), and this machine's own host name, which
// /etc/hosts usually maps to a loopback address: refused too, since sockstep looks nothing up.
// The addresses tested by session_refusal_test.cpp are not repeated here.
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "../support/under_strace.h"
#include "fault_child.h"
#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChildVariable = "SOCKSTEP_LOOPBACK_ONLY_CHILD";

struct Refusal {
    std::string label;
    Family family;
    SockType type;
    CallRequest request;
};

CallRequest WithHost(CallRequest r, const std::string& host, uint16_t port) {
    r.args.address.host = host;
    r.args.address.port = port;
    r.args.address.peer.clear();
    return r;
}

std::string HostName() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

std::vector<Refusal> Refusals() {
    const auto v4 = Family::kInet;
    const auto v6 = Family::kInet6;
    const auto tcp = SockType::kStream;
    const auto udp = SockType::kDgram;
    std::vector<Refusal> out = {
        {"connect 192.168.1.10", v4, tcp, MakeConnectTo("s", "192.168.1.10", 80)},
        {"connect 2001:4860::8888", v6, tcp, MakeConnectTo("s", "2001:4860::8888", 53)},
        {"connect ::ffff:192.168.1.10", v6, tcp, MakeConnectTo("s", "::ffff:192.168.1.10", 80)},
        {"connect ::8.8.8.8 (v4-compatible)", v6, tcp, MakeConnectTo("s", "::8.8.8.8", 53)},
        {"connect 127.1 (inet_aton shorthand)", v4, tcp, MakeConnectTo("s", "127.1", 80)},
        {"connect 0x7f000001", v4, tcp, MakeConnectTo("s", "0x7f000001", 80)},
        {"connect 127.0.0.1.example.com", v4, tcp, MakeConnectTo("s", "127.0.0.1.example.com", 80)},
        {"connect localhost.example.com", v4, tcp, MakeConnectTo("s", "localhost.example.com", 80)},
        {"connect fe80::1 (link-local)", v6, tcp, MakeConnectTo("s", "fe80::1", 80)},
        {"connect 255.255.255.255 (broadcast)", v4, tcp, MakeConnectTo("s", "255.255.255.255", 80)},
        {"connect 224.0.0.1 (multicast)", v4, tcp, MakeConnectTo("s", "224.0.0.1", 80)},
        {"bind 8.8.8.8", v4, tcp, MakeBind("s", "8.8.8.8", 0)},
        {"bind 192.168.1.10", v4, tcp, MakeBind("s", "192.168.1.10", 0)},
        {"bind 2001:4860::8888", v6, tcp, MakeBind("s", "2001:4860::8888", 0)},
        {"bind example.com", v4, tcp, MakeBind("s", "example.com", 0)},
        {"sendto 2001:4860::8888 (UDP)", v6, udp,
         WithHost(MakeSendto("s", "", "x"), "2001:4860::8888", 53)},
        {"sendto 192.168.1.10 (UDP)", v4, udp,
         WithHost(MakeSendto("s", "", "x"), "192.168.1.10", 53)},
        {"sendto 255.255.255.255 (UDP broadcast)", v4, udp,
         WithHost(MakeSendto("s", "", "x"), "255.255.255.255", 9)},
        {"sendto example.com (UDP)", v4, udp,
         WithHost(MakeSendto("s", "", "x"), "example.com", 53)},
        {"connect 0.0.0.0 (UDP)", v4, udp, MakeConnectTo("s", "0.0.0.0", 53)},
    };
    const std::string host = HostName();
    if (!host.empty() && host != "localhost") {
        out.push_back(
            {"connect " + host + " (this machine's name)", v4, tcp, MakeConnectTo("s", host, 80)});
    }
    return out;
}

// In the child: every refusal through a Session, checked from inside as well.
void RunRefusals() {
    for (const Refusal& r : Refusals()) {
        SCOPED_TRACE(r.label);
        Session s;
        const int actor = s.AddActor(ActorSpec{"client", Role::kClient, r.family});
        // A UDP sendto needs a bound socket, or it is refused for the autobind instead.
        ASSERT_EQ(s.Call(actor, MakeSocket("s", r.family, r.type)), StepOutcome::kReturned);
        if (r.request.call == CallKind::kSendto) {
            ASSERT_EQ(
                Do(s, actor, MakeBind("s", r.family == Family::kInet6 ? "::1" : "127.0.0.1")).err,
                0);
        }
        const size_t before = s.Log().size();
        EXPECT_EQ(s.Call(actor, r.request), StepOutcome::kRefused);
        const LogView log = s.Log();
        ASSERT_EQ(log.size(), before + 1);
        EXPECT_EQ(log.back().phase, Phase::kRefused);
        EXPECT_FALSE(log.back().message.empty());
        EXPECT_FALSE(HasEvent(log, actor, r.request.call, Phase::kEnter));
    }
}

TEST(LoopbackOnly, NothingLeavesLoopbackUnderStraceInAnEmptyNamespace) {
    if (std::getenv(kChildVariable) != nullptr) {
        // The child: already inside `unshare -n` and strace. Its own loopback is down there;
        // ::1 exists only once it is up (a UDP sendto needs a bound socket). Nothing else is.
        ASSERT_EQ(testsupport::BringLoopbackUp(), "");
        RunRefusals();
        return;
    }
    const testsupport::TracedRun run = testsupport::RunSelfUnderStrace(
        kChildVariable, "LoopbackOnly.NothingLeavesLoopbackUnderStraceInAnEmptyNamespace");
    const int code = run.code;
    const std::string& calls = run.calls;
    ASSERT_EQ(code, 0) << "the child failed, or unshare -n / strace are missing (needs root and "
                          "the strace package; never skipped)";
    ASSERT_NE(calls.find("socket(AF_INET"), std::string::npos)
        << "strace saw no socket at all: it did not trace the child";

    // Every address any bind/connect/sendto/sendmsg carried.
    const std::regex call(R"((bind|connect|sendto|sendmsg)\()");
    const std::regex v4(R"RE(inet_addr\("([^"]*)"\))RE");
    const std::regex v6(R"RE(inet_pton\(AF_INET6, "([^"]*)")RE");
    std::istringstream lines(calls);
    int addressed = 0;
    for (std::string line; std::getline(lines, line);) {
        if (!std::regex_search(line, call)) continue;
        // sock_diag requests to the kernel (the snapshots) carry filter addresses, not targets.
        if (line.find("sa_family=AF_NETLINK") != std::string::npos) continue;
        for (const std::regex* re : {&v4, &v6}) {
            for (auto it = std::sregex_iterator(line.begin(), line.end(), *re);
                 it != std::sregex_iterator(); ++it) {
                ++addressed;
                EXPECT_TRUE(testsupport::IsLoopbackText((*it)[1].str()))
                    << "left loopback: " << line;
            }
        }
        EXPECT_EQ(line.find("htons(53)"), std::string::npos) << "a DNS query: " << line;
    }
    EXPECT_GT(addressed, 0) << "no loopback bind() was seen: the log is not what it seems";
    for (const char* file :
         {"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/gai.conf"}) {
        EXPECT_EQ(calls.find(std::string("\"") + file + "\""), std::string::npos)
            << "opened " << file << ": a name was looked up";
    }
}

}  // namespace
}  // namespace sockstep::core::sessiontest
