// Loopback only in free mode: what the call dialog produces (a CallIntent) goes through
// Controller::Apply to Session::Call, and a non-loopback address there must be refused before
// any call: a Refused event with its reason (shown in the narration), no Enter event, the
// socket untouched. Like tests/core/loopback_only_test.cpp, the test runs itself again as a
// child inside `unshare -n` (an empty network namespace: nothing could leave even if the
// refusal broke) under `strace -f -e trace=%network,open,openat`, and the parent checks strace's
// log: no bind/connect/sendto to any address outside 127.0.0.0/8 and ::1, and no name lookup.
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../support/under_strace.h"
#include "sockstep/model/controller.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using core::CallKind;
using core::CallRequest;
using core::Family;
using core::Phase;

constexpr const char* kChildVariable = "SOCKSTEP_FREE_MODE_REFUSAL_CHILD";

CallRequest SocketCall(const std::string& name, Family family, core::SockType type) {
    CallRequest r;
    r.call = CallKind::kSocket;
    r.result = name;
    r.args.family = family;
    r.args.type = type;
    return r;
}

CallRequest AddressCall(CallKind call, const std::string& socket, const std::string& host,
                        uint16_t port) {
    CallRequest r;
    r.call = call;
    r.socket = socket;
    r.args.address.host = host;
    r.args.address.port = port;
    if (call == CallKind::kSendto) r.args.data = "x";
    return r;
}

struct Case {
    std::string label;
    Family family;
    core::SockType type;
    CallKind call;
    std::string host;
};

void Apply(ui::Controller& controller, ui::SessionView& view, int actor, CallRequest request) {
    ui::Intents intents;
    intents.call = ui::CallIntent{actor, std::move(request)};
    controller.Apply(intents, view);
}

void RunFreeModeRefusals() {
    const auto v4 = Family::kInet;
    const auto v6 = Family::kInet6;
    const auto tcp = core::SockType::kStream;
    const auto udp = core::SockType::kDgram;
    const std::vector<Case> cases = {
        {"connect 0.0.0.0", v4, tcp, CallKind::kConnect, "0.0.0.0"},
        {"connect ::", v6, tcp, CallKind::kConnect, "::"},
        {"connect 192.168.1.10", v4, tcp, CallKind::kConnect, "192.168.1.10"},
        {"connect 8.8.8.8", v4, tcp, CallKind::kConnect, "8.8.8.8"},
        {"connect 2001:4860::8888", v6, tcp, CallKind::kConnect, "2001:4860::8888"},
        {"connect example.com", v4, tcp, CallKind::kConnect, "example.com"},
        {"bind 0.0.0.0", v4, tcp, CallKind::kBind, "0.0.0.0"},
        {"bind ::", v6, tcp, CallKind::kBind, "::"},
        {"bind 192.168.1.10", v4, tcp, CallKind::kBind, "192.168.1.10"},
        {"sendto 8.8.8.8", v4, udp, CallKind::kSendto, "8.8.8.8"},
        {"sendto 2001:4860::8888", v6, udp, CallKind::kSendto, "2001:4860::8888"},
    };
    ui::Controller controller(std::nullopt);
    controller.OpenFreePlay();
    ui::SessionView view;
    const int client = 1;  // free play: "server" (0) and "client" (1)
    for (size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        SCOPED_TRACE(c.label);
        const std::string name = "s" + std::to_string(i);
        Apply(controller, view, client, SocketCall(name, c.family, c.type));
        if (c.call == CallKind::kSendto) {
            // Bound first, or the sendto is refused for another reason (autobind to 0.0.0.0).
            Apply(controller, view, client,
                  AddressCall(CallKind::kBind, name, c.family == v6 ? "::1" : "127.0.0.1", 0));
        }
        const size_t before = controller.session()->Log().size();
        Apply(controller, view, client, AddressCall(c.call, name, c.host, 53));
        const core::LogView log = controller.session()->Log();
        ASSERT_EQ(log.size(), before + 1);
        const core::Event& e = log.back();
        EXPECT_EQ(e.phase, Phase::kRefused);
        EXPECT_EQ(e.request.call, c.call);
        EXPECT_FALSE(e.message.empty());
        // What the learner sees: the refusal is the current event, with its reason.
        ui::FrameModel frame;
        controller.Fill(frame, view, core::Lang::kEn);
        ASSERT_FALSE(frame.log.empty());
        EXPECT_EQ(frame.log.back().phase, Phase::kRefused);
        for (const core::SocketView& v : e.sockets) {
            if (v.name == name) {
                EXPECT_FALSE(v.remote) << "the refused call gave the socket a peer";
            }
        }
        for (size_t k = before; k < log.size(); ++k) {
            EXPECT_NE(log[k].phase, Phase::kEnter) << "the call was made";
        }
    }
}

TEST(FreeModeRefusal, OffLoopbackCallsAreRefusedBeforeAnySyscall) {
    if (std::getenv(kChildVariable) != nullptr) {
        // The child, inside `unshare -n` and strace: bring its own loopback up (::1 needs it).
        ASSERT_EQ(testsupport::BringLoopbackUp(), "");
        RunFreeModeRefusals();
        return;
    }
    const testsupport::TracedRun run = testsupport::RunSelfUnderStrace(
        kChildVariable, "FreeModeRefusal.OffLoopbackCallsAreRefusedBeforeAnySyscall");
    const std::string& calls = run.calls;
    ASSERT_EQ(run.code, 0)
        << "the child failed, or unshare -n / strace are missing (root and the strace package "
           "are needed; never skipped)";
    ASSERT_NE(calls.find("socket(AF_INET"), std::string::npos) << "strace saw no socket";
    const std::regex call(R"((bind|connect|sendto|sendmsg)\()");
    const std::regex v4(R"RE(inet_addr\("([^"]*)"\))RE");
    const std::regex v6(R"RE(inet_pton\(AF_INET6, "([^"]*)")RE");
    std::istringstream lines(calls);
    int addressed = 0;
    for (std::string line; std::getline(lines, line);) {
        if (!std::regex_search(line, call)) continue;
        if (line.find("sa_family=AF_NETLINK") != std::string::npos) continue;  // sock_diag
        for (const std::regex* re : {&v4, &v6}) {
            for (auto it = std::sregex_iterator(line.begin(), line.end(), *re);
                 it != std::sregex_iterator(); ++it) {
                ++addressed;
                EXPECT_TRUE(testsupport::IsLoopbackText((*it)[1].str()))
                    << "left loopback: " << line;
            }
        }
    }
    EXPECT_GT(addressed, 0) << "no loopback bind() seen: the log is not what it seems";
    for (const char* file : {"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf"}) {
        EXPECT_EQ(calls.find(std::string("\"") + file + "\""), std::string::npos)
            << "opened " << file;
    }
}

}  // namespace
}  // namespace sockstep::testing
