// Reset() while an actor really sleeps in the kernel, repeated many times: in accept() (empty
// queue), in connect() (listen(1) holds two completed connections, the third client stays in
// SYN-SENT) and in recv() (nothing to read). Each round proves the call was blocked (the
// worker's /proc/self/task/<tid>/syscall names it), that Reset() returns (a 10 s hang guard,
// not a timing goal: the latency is measured by bench/fault_latency.cpp), that no descriptor is
// left and no thread is started or lost, and that no thread still sleeps in a socket call.
// Repeating matters: Reset() signals the worker, and a signal landing just before the call
// enters the kernel would leave it blocked; many rounds give that race many chances.
// session_reset_test.cpp checks one round of each, and that the Session works again after it.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <set>

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

constexpr int kRounds = 20;
constexpr unsigned kHangGuardSeconds = 10;

void OnHang(int) {
    const char message[] = "HANG GUARD: Reset() did not return within 10 s\n";
    [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, message, sizeof message - 1);
    _exit(3);
}

// alarm(2) rather than a watchdog thread: a thread of its own would change the thread count
// this test checks. If Reset() hangs, the process ends with a message instead of hanging ctest.
class HangGuard {
  public:
    HangGuard() {
        signal(SIGALRM, OnHang);
        alarm(kHangGuardSeconds);
    }
    ~HangGuard() {
        alarm(0);
        signal(SIGALRM, SIG_DFL);
    }
    HangGuard(const HangGuard&) = delete;
    HangGuard& operator=(const HangGuard&) = delete;
};

// The system calls a blocked socket call sleeps in (x86-64 and others; glibc's recv() is
// recvfrom(2), accept() is accept(2) or accept4(2)).
bool IsBlockingSocketCall(long nr) {
    static const std::set<long> kCalls = {SYS_accept, SYS_accept4, SYS_connect, SYS_recvfrom,
                                          SYS_recvmsg};
    return kCalls.count(nr) > 0;
}

// Threads sleeping in a socket call on one of `fds` (the session's sockets: a packet capture
// thread of the session may sleep in recvfrom() on its own socket, and that is not an actor).
int ThreadsInSocketCalls(const std::set<long>& fds) {
    int n = 0;
    for (const TaskInfo& t : Tasks()) {
        n += IsBlockingSocketCall(t.syscall_nr) && fds.count(t.arg1) ? 1 : 0;
    }
    return n;
}

std::set<long> SessionFds(Session& session) {
    std::set<long> fds;
    for (const SocketView& v : session.ProbeNow()) {
        if (v.fd >= 0) fds.insert(v.fd);
    }
    return fds;
}

class FaultResetBlocked : public SessionTest {
  protected:
    void Listen(int backlog = 5) {
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener", backlog)).err, 0);
    }

    // The actors, and what the empty session holds by itself (workers; a capture thread and
    // its socket when the session captures packets): Reset() must come back to exactly this.
    void Actors() {
        m_srv = AddServer();
        m_cli = AddClient();
        m_threads_with_actors = CountThreads();
        m_fds_with_actors = CountOpenFds();
    }

    // `actor` is blocked in `call`: reset and check that nothing is left behind.
    void ResetAndCheck(int actor, CallKind call, int round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const ActorStatus status = S().Actors().at(static_cast<size_t>(actor));
        ASSERT_EQ(status.activity, ActorActivity::kBlocked);
        ASSERT_EQ(status.call, call);
        // The kernel's own word that a thread sleeps in the call.
        const std::set<long> fds = SessionFds(S());
        ASSERT_TRUE(WaitUntil([&] { return ThreadsInSocketCalls(fds) == 1; }, 5s))
            << "no thread sleeps in " << CallName(call);
        ASSERT_GT(CountOpenFds(), m_fds_with_actors);
        {
            HangGuard guard;
            S().Reset();
        }
        EXPECT_EQ(CountOpenFds(), m_fds_with_actors) << "Reset() left a descriptor open";
        EXPECT_EQ(CountThreads(), m_threads_with_actors)
            << "Reset() started or lost a thread (the actors' workers stay)";
        EXPECT_EQ(ThreadsInSocketCalls(fds), 0) << "a thread still sleeps in a socket call";
        for (const ActorStatus& a : S().Actors()) {
            EXPECT_EQ(a.activity, ActorActivity::kIdle) << a.name;
        }
        EXPECT_TRUE(S().Log().empty());
    }

    int m_srv = -1;
    int m_cli = -1;
    int m_threads_with_actors = -1;
    int m_fds_with_actors = -1;
};

TEST_F(FaultResetBlocked, InAcceptManyTimes) {
    Actors();
    for (int round = 0; round < kRounds; ++round) {
        ASSERT_NO_FATAL_FAILURE(Listen());
        ASSERT_EQ(S().Call(m_srv, MakeAccept("listener", "conn")), StepOutcome::kBlocked);
        ASSERT_NO_FATAL_FAILURE(ResetAndCheck(m_srv, CallKind::kAccept, round));
    }
}

TEST_F(FaultResetBlocked, InConnectToAFullBacklogManyTimes) {
    Actors();
    for (int round = 0; round < kRounds; ++round) {
        ASSERT_NO_FATAL_FAILURE(Listen(1));
        // listen(fd, 1) holds backlog + 1 = 2 completed connections (DESIGN.md); the third
        // client's SYN is dropped and connect() sleeps, resending it.
        for (const char* name : {"c1", "c2"}) {
            ASSERT_EQ(Do(S(), m_cli, MakeSocket(name)).err, 0);
            ASSERT_EQ(Do(S(), m_cli, MakeConnect(name, "listener")).err, 0);
        }
        ASSERT_EQ(Do(S(), m_cli, MakeSocket("c3")).err, 0);
        ASSERT_EQ(S().Call(m_cli, MakeConnect("c3", "listener")), StepOutcome::kBlocked);
        EXPECT_EQ(StateName(OpenSocket(S().Log().back().sockets, "c3")), "SYN-SENT");
        ASSERT_NO_FATAL_FAILURE(ResetAndCheck(m_cli, CallKind::kConnect, round));
    }
}

TEST_F(FaultResetBlocked, InRecvManyTimes) {
    Actors();
    for (int round = 0; round < kRounds; ++round) {
        ASSERT_NO_FATAL_FAILURE(Listen());
        ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
        // Alternate the side that waits: the accepted socket, then the client's own.
        if (round % 2 == 0) {
            ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
            ASSERT_NO_FATAL_FAILURE(ResetAndCheck(m_srv, CallKind::kRecv, round));
        } else {
            ASSERT_EQ(S().Call(m_cli, MakeRecv("client")), StepOutcome::kBlocked);
            ASSERT_NO_FATAL_FAILURE(ResetAndCheck(m_cli, CallKind::kRecv, round));
        }
    }
}

// Destroying the Session (quitting) with a call still blocked: the fixture's TearDown checks
// that every descriptor and every thread is gone. session_reset_test.cpp does accept().
TEST_F(FaultResetBlocked, DestroyedWhileBlockedInConnect) {
    Actors();
    ASSERT_NO_FATAL_FAILURE(Listen(1));
    for (const char* name : {"c1", "c2"}) {
        ASSERT_EQ(Do(S(), m_cli, MakeSocket(name)).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeConnect(name, "listener")).err, 0);
    }
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("c3")).err, 0);
    ASSERT_EQ(S().Call(m_cli, MakeConnect("c3", "listener")), StepOutcome::kBlocked);
    HangGuard guard;
    m_session.reset();
}

TEST_F(FaultResetBlocked, DestroyedWhileBothActorsAreBlockedInRecv) {
    Actors();
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
    ASSERT_EQ(S().Call(m_cli, MakeRecv("client")), StepOutcome::kBlocked);
    const std::set<long> fds = SessionFds(S());
    ASSERT_TRUE(WaitUntil([&] { return ThreadsInSocketCalls(fds) == 2; }, 5s));
    HangGuard guard;
    m_session.reset();
}

}  // namespace
}  // namespace sockstep::core::sessiontest
