// Reset() while an actor is blocked in the kernel: in accept() (empty queue), in connect() (a
// full backlog: listen(1) with two clients queued, the third waits) and in recv() (nothing to
// read). Reset() must return, leave every actor Idle, close every descriptor the session opened,
// and leave a Session that works again (its latency is measured in bench/fault_latency.cpp).
// Destroying a Session with a blocked actor does the same.

#include "session_helpers.h"

namespace sockstep::core::sessiontest {
namespace {

class SessionResetTest : public SessionTest {
  protected:
    void Listen(int backlog = 5) {
        m_srv = AddServer();
        m_cli = AddClient();
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener", backlog)).err, 0);
    }

    // Resets with `actor` blocked in `call`, and checks everything the issue asks.
    void ResetAndCheck(int actor, CallKind call) {
        const std::vector<ActorStatus> before = S().Actors();
        ASSERT_EQ(before[static_cast<size_t>(actor)].activity, ActorActivity::kBlocked);
        ASSERT_EQ(before[static_cast<size_t>(actor)].call, call);
        ASSERT_GT(CountOpenFds(), m_fds_before);

        // That Reset() returns at all is the test; how fast (the 100 ms) is measured by
        // bench/fault_latency.cpp, since timing goals live in benchmarks.
        S().Reset();
        EXPECT_EQ(CountOpenFds(), m_fds_session) << "Reset() left a descriptor open";
        for (const ActorStatus& a : S().Actors()) {
            EXPECT_EQ(a.activity, ActorActivity::kIdle) << a.name;
        }
        EXPECT_TRUE(S().Log().empty()) << "Reset() starts a new, empty log";
        EXPECT_EQ(S().NextStepIndex(), 0u);
        // No thread of ours still sleeps in a socket call.
        for (const TaskInfo& t : Tasks()) {
            EXPECT_TRUE(t.wchan.find("accept") == std::string::npos &&
                        t.wchan.find("connect") == std::string::npos)
                << "thread " << t.tid << " still sleeps in " << t.wchan;
        }

        // The Session works again, with the same actors.
        ASSERT_EQ(Do(S(), m_srv, MakeSocket("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeBind("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_srv, MakeListen("listener")).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
        const Event accepted = Do(S(), m_srv, MakeAccept("listener", "conn"));
        EXPECT_EQ(accepted.err, 0);
        EXPECT_EQ(StateName(OpenSocket(accepted.sockets, "conn")), "ESTAB");
    }

    int m_srv = -1;
    int m_cli = -1;
};

TEST_F(SessionResetTest, WhileBlockedInAccept) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(S().Call(m_srv, MakeAccept("listener", "conn")), StepOutcome::kBlocked);
    ResetAndCheck(m_srv, CallKind::kAccept);
}

TEST_F(SessionResetTest, WhileBlockedInConnect) {
    ASSERT_NO_FATAL_FAILURE(Listen(1));
    for (const char* name : {"c1", "c2"}) {
        ASSERT_EQ(Do(S(), m_cli, MakeSocket(name)).err, 0);
        ASSERT_EQ(Do(S(), m_cli, MakeConnect(name, "listener")).err, 0);
    }
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("c3")).err, 0);
    ASSERT_EQ(S().Call(m_cli, MakeConnect("c3", "listener")), StepOutcome::kBlocked);
    EXPECT_EQ(StateName(OpenSocket(S().Log().back().sockets, "c3")), "SYN-SENT");
    ResetAndCheck(m_cli, CallKind::kConnect);
}

TEST_F(SessionResetTest, WhileBlockedInRecv) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
    ASSERT_EQ(Do(S(), m_srv, MakeAccept("listener", "conn")).err, 0);
    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
    const Event blocked = S().Log().back();
    ASSERT_TRUE(blocked.blocked);
    EXPECT_TRUE(blocked.blocked->syscall == "recvfrom" || blocked.blocked->syscall == "recvmsg")
        << blocked.blocked->syscall;
    ResetAndCheck(m_srv, CallKind::kRecv);
}

TEST_F(SessionResetTest, WhileTwoActorsAreBlocked) {
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(S().Call(m_srv, MakeAccept("listener", "conn")), StepOutcome::kBlocked);
    // The client blocks in recv() on its own connection (the accept() is woken by it first).
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("client")).err, 0);
    ASSERT_EQ(Do(S(), m_cli, MakeConnect("client", "listener")).err, 0);
    ASSERT_TRUE(WaitActorIdle(S(), m_srv));
    ASSERT_EQ(S().Call(m_cli, MakeRecv("client")), StepOutcome::kBlocked);
    ASSERT_EQ(S().Call(m_srv, MakeRecv("conn")), StepOutcome::kBlocked);
    S().Reset();
    EXPECT_EQ(CountOpenFds(), m_fds_session);
    for (const ActorStatus& a : S().Actors()) EXPECT_EQ(a.activity, ActorActivity::kIdle);
}

TEST_F(SessionResetTest, DestroyingTheSessionWhileBlockedClosesEverything) {
    // The fixture's TearDown destroys the Session with accept() still blocked and checks that
    // every descriptor and thread is gone.
    ASSERT_NO_FATAL_FAILURE(Listen());
    ASSERT_EQ(S().Call(m_srv, MakeAccept("listener", "conn")), StepOutcome::kBlocked);
    ASSERT_EQ(Do(S(), m_cli, MakeSocket("c")).err, 0);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
