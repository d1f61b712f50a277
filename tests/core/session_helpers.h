// Shared helpers for the Session tests: building CallRequests, running a call or a script and
// finding its Return event, bounded waits on real kernel conditions, and counting this
// process's descriptors (/proc/self/fd) and threads (/proc/self/task) so every test can prove
// that nothing was left open once its Session is gone.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sockstep/core/event.h"
#include "sockstep/core/event_log.h"
#include "sockstep/core/session.h"
#include "sockstep/core/snapshot.h"

namespace sockstep::core {

// Readable names in gtest failure messages (found by argument-dependent lookup).
inline void PrintTo(StepOutcome v, std::ostream* os) {
    *os << StepOutcomeName(v);
}
inline void PrintTo(Phase v, std::ostream* os) {
    *os << PhaseName(v);
}
inline void PrintTo(ApiState v, std::ostream* os) {
    *os << ApiStateName(v);
}
inline void PrintTo(TcpState v, std::ostream* os) {
    *os << TcpStateName(v);
}
inline void PrintTo(ActorActivity v, std::ostream* os) {
    *os << (v == ActorActivity::kIdle      ? "Idle"
            : v == ActorActivity::kRunning ? "Running"
                                           : "Blocked");
}

}  // namespace sockstep::core

namespace sockstep::core::sessiontest {

using namespace std::chrono_literals;

// ---- building requests -------------------------------------------------------------------

CallRequest MakeSocket(const std::string& name, Family family = Family::kInet,
                       SockType type = SockType::kStream);
CallRequest MakeSetsockopt(const std::string& socket, SockOpt option, int value,
                           int linger_seconds = 0);
CallRequest MakeFcntl(const std::string& socket, bool nonblocking);
// bind to a literal loopback host and port (0: ephemeral).
CallRequest MakeBind(const std::string& socket, const std::string& host = "127.0.0.1",
                     uint16_t port = 0);
// bind to the current local address of another socket of the session.
CallRequest MakeBindPeer(const std::string& socket, const std::string& peer);
CallRequest MakeListen(const std::string& socket, int backlog = 5);
CallRequest MakeAccept(const std::string& listener, const std::string& result);
// connect to the current local address of another socket of the session.
CallRequest MakeConnect(const std::string& socket, const std::string& peer);
CallRequest MakeConnectTo(const std::string& socket, const std::string& host, uint16_t port);
CallRequest MakeSend(const std::string& socket, const std::string& data);
CallRequest MakeRecv(const std::string& socket, int size = 1024);
CallRequest MakeSendto(const std::string& socket, const std::string& peer, const std::string& data);
CallRequest MakeRecvfrom(const std::string& socket, int size = 1024);
CallRequest MakeShutdown(const std::string& socket, ShutHow how);
CallRequest MakeClose(const std::string& socket);
CallRequest MakeGetsockname(const std::string& socket);
CallRequest MakePoll(std::vector<std::string> sockets, std::vector<std::string> events,
                     int timeout_ms);

// ---- running -----------------------------------------------------------------------------

// Runs one free-mode call that must return (not block, not be refused) and gives back its
// Return event. On any other outcome it records a test failure and returns an Event with
// phase kRefused and err = -1, so the caller's own expectations fail too, with context.
Event Do(Session& session, int actor, const CallRequest& request);

// Sets the script and runs it with RunToEnd(), cancelled after `limit` (a test failure).
StepOutcome RunScript(Session& session, std::vector<ScriptStep> script,
                      std::chrono::milliseconds limit = 10s);

// The last event of `phase` for script step `step`.
std::optional<Event> LastEventOfStep(const LogView& log, int step, Phase phase = Phase::kReturn);
// The last Return or Interrupted event of `actor` (free mode or script).
std::optional<Event> LastReturnOf(const LogView& log, int actor);
// Does the log hold an event of `phase` for `call` made by `actor`?
bool HasEvent(const LogView& log, int actor, CallKind call, Phase phase);

// ---- bounded waits on real conditions ----------------------------------------------------

// Polls `condition` every millisecond until it holds or `limit` has passed.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds limit = 5s);
// Waits until `actor` is Idle again (its blocked call returned), at most `limit`.
bool WaitActorIdle(Session& session, int actor, std::chrono::milliseconds limit = 5s);
// Polls Session::ProbeNow() until some socket matches `match`; returns that socket.
std::optional<SocketView> WaitForSocket(Session& session,
                                        const std::function<bool(const SocketView&)>& match,
                                        std::chrono::milliseconds limit = 5s);
// The same for the socket named `name` reaching `state`.
std::optional<SocketView> WaitForState(Session& session, const std::string& name, TcpState state,
                                       std::chrono::milliseconds limit = 5s);

// ---- snapshot look-ups -------------------------------------------------------------------

// The socket named `name` that a descriptor still holds (skips TIME-WAIT cards of that name).
const SocketView* OpenSocket(const Snapshot& snapshot, const std::string& name);
// A socket no descriptor holds (owner kernel) with this local and remote port.
const SocketView* KernelSocket(const Snapshot& snapshot, uint16_t local_port, uint16_t remote_port);
uint16_t LocalPort(const SocketView* view);
std::string StateName(const SocketView* view);  // "ESTAB", "-" without a state, "?" if null

// ---- this process ------------------------------------------------------------------------

int CountOpenFds();  // entries of /proc/self/fd, minus the one used to read it
int CountThreads();  // entries of /proc/self/task
// Under ThreadSanitizer: starts its background thread now, so that thread counts taken after
// compare like with like. Does nothing in other builds.
void StartSanitizerThreads();

// One thread of this process, as /proc/self/task/<tid>/{stat,syscall,wchan} describe it.
struct TaskInfo {
    pid_t tid = 0;
    char state = '?';      // R, S, D, …
    long syscall_nr = -1;  // -1 when not in a system call
    long arg1 = -1;        // the first argument (the descriptor for socket calls)
    std::string wchan;
};
std::vector<TaskInfo> Tasks();

// Base fixture: counts descriptors and threads before the Session exists and checks, once the
// Session is destroyed, that both are back where they started.
class SessionTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    Session& S() { return *m_session; }
    int AddServer(const std::string& name = "server", Family family = Family::kInet);
    int AddClient(const std::string& name = "client", Family family = Family::kInet);
    int AddActorCounted(const ActorSpec& spec);

    int m_fds_before = -1;
    // With the Session made and its actors added: its capture descriptors and each actor's
    // /proc files.
    int m_fds_session = -1;
    int m_threads_before = -1;
    std::unique_ptr<Session> m_session;
};

}  // namespace sockstep::core::sessiontest
