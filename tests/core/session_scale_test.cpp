// 1,000 clients against one listener with backlog 1024, all through Session::Call: every client
// connects before the server accepts anything (the accept queue holds all 1,000), then the
// server accepts them all; each accepted socket keeps the id its connection had while it waited
// in the queue. Every event snapshots every socket, so this is slow by design: the duration is
// printed (and recorded as a test property) for the report, never asserted.
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <set>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

constexpr int kClients = 1000;
constexpr int kBacklog = 1024;

// Each client and each accepted connection holds a descriptor. An ordinary user's soft
// RLIMIT_NOFILE is often 1024 (root's here is higher), and any process may raise its soft limit
// up to the hard one (getrlimit(2)): this test process does, to the hard limit as root's is,
// before the Session is made (it sizes the descriptor table to the limit once, up front).
constexpr rlim_t kDescriptorsNeeded = 2 * kClients + 64;

class SessionScaleTest : public SessionTest {
  protected:
    void SetUp() override {
        rlimit files{};
        ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0) << std::strerror(errno);
        if (files.rlim_cur < kDescriptorsNeeded) {
            ASSERT_GE(files.rlim_max, kDescriptorsNeeded)
                << "this test needs " << kDescriptorsNeeded
                << " descriptors; the hard RLIMIT_NOFILE is " << files.rlim_max << " (ulimit -Hn)";
            files.rlim_cur = files.rlim_max;
            ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0) << std::strerror(errno);
        }
        SessionTest::SetUp();
    }
};

TEST_F(SessionScaleTest, ThousandClientsAllAccepted) {
    const auto start = std::chrono::steady_clock::now();
    const int srv = AddServer();
    const int cli = AddClient();
    ASSERT_EQ(Do(S(), srv, MakeSocket("listener")).err, 0);
    const Event bound = Do(S(), srv, MakeBind("listener"));
    ASSERT_EQ(bound.err, 0);
    const uint16_t port = LocalPort(OpenSocket(bound.sockets, "listener"));
    ASSERT_EQ(Do(S(), srv, MakeListen("listener", kBacklog)).err, 0);

    for (int i = 0; i < kClients; ++i) {
        const std::string name = "c" + std::to_string(i);
        const Event s = Do(S(), cli, MakeSocket(name));
        ASSERT_EQ(s.err, 0) << name << ": " << ErrnoName(s.err);
        const Event c = Do(S(), cli, MakeConnect(name, "listener"));
        ASSERT_EQ(c.err, 0) << name << ": " << ErrnoName(c.err);
    }
    const auto connected = std::chrono::steady_clock::now();
    Snapshot now = S().ProbeNow();
    const SocketView* listener = OpenSocket(now, "listener");
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(listener->accept_queue, kClients);
    EXPECT_EQ(listener->backlog, kBacklog);
    std::set<int> queued_ids;
    for (const SocketView& v : now) {
        if (v.owner == Owner::kKernel && LocalPort(&v) == port) {
            EXPECT_EQ(v.tcp_state, TcpState::kEstablished);
            queued_ids.insert(v.id);
        }
    }
    EXPECT_EQ(queued_ids.size(), static_cast<size_t>(kClients));

    std::set<int> accepted_ids;
    std::set<int64_t> fds;
    for (int i = 0; i < kClients; ++i) {
        const Event a = Do(S(), srv, MakeAccept("listener", "conn" + std::to_string(i)));
        ASSERT_EQ(a.err, 0) << "accept #" << i << ": " << ErrnoName(a.err);
        accepted_ids.insert(a.result_socket_id);
        fds.insert(a.ret);
    }
    const auto accepted = std::chrono::steady_clock::now();
    EXPECT_EQ(accepted_ids, queued_ids) << "every queued connection keeps its id when accepted";
    EXPECT_EQ(fds.size(), static_cast<size_t>(kClients)) << "each accept() gave a new fd";

    now = S().ProbeNow();
    listener = OpenSocket(now, "listener");
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(listener->accept_queue, 0);
    EXPECT_EQ(StateName(listener), "LISTEN");
    int established = 0;
    for (const SocketView& v : now) {
        if (v.owner == Owner::kActor && v.tcp_state == TcpState::kEstablished) ++established;
        EXPECT_NE(v.owner, Owner::kKernel) << "a connection is still waiting in the queue";
    }
    EXPECT_EQ(established, 2 * kClients);
    const LogView log = S().Log();
    size_t calls = 0;  // captured packets (with CAP_NET_RAW) are events too; count the calls'
    for (size_t i = 0; i < log.size(); ++i) calls += log[i].phase != Phase::kPacket;
    EXPECT_EQ(calls, static_cast<size_t>(2 * (3 + 3 * kClients)));

    const auto ms = [](auto d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::cout << "[ measured ] " << kClients << " clients: connects " << ms(connected - start)
              << " ms, accepts " << ms(accepted - connected) << " ms, total "
              << ms(accepted - start) << " ms, " << S().Log().size() << " events\n";
    RecordProperty("thousand_clients_ms", static_cast<int>(ms(accepted - start)));
}

}  // namespace
}  // namespace sockstep::core::sessiontest
