// A Session: actors (a server program, client programs), the sockets they own, and one event log.
// Each actor has a worker thread that makes the real, blocking call exactly as a textbook program
// would (no hidden poll(), no hidden O_NONBLOCK). A call that blocks really blocks in the kernel;
// the actor is then Blocked and every other actor goes on.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sockstep/core/call.h"
#include "sockstep/core/capture.h"
#include "sockstep/core/event_log.h"

namespace sockstep::core {

enum class Role : uint8_t { kServer, kClient };
std::string_view RoleName(Role role);  // "server", "client"

struct ActorSpec {
    std::string name;  // "server", "client", "client2"
    Role role = Role::kServer;
    Family family = Family::kInet;
};

struct ScriptStep {
    int actor = 0;
    CallRequest request;
};

enum class StepOutcome : uint8_t {
    kReturned,  // the call ran and returned; its Return event is in the log
    kBlocked,   // the call sleeps in the kernel; its Blocked event is in the log
    kRefused,   // refused before any call (bad address, unknown socket); a Refused event says why
    kBusy,      // the actor is still blocked in its previous call: nothing was done
    kNoMoreSteps,
    kCancelled,  // RunToEnd was cancelled
};
std::string_view StepOutcomeName(StepOutcome outcome);

enum class ActorActivity : uint8_t { kIdle, kRunning, kBlocked };

struct ActorStatus {
    std::string name;
    Role role = Role::kServer;
    ActorActivity activity = ActorActivity::kIdle;
    CallKind call = CallKind::kSocket;  // while running or blocked
    int64_t since_us = 0;               // when the current call entered
    size_t next_step = 0;               // index into the script of this actor's next step
};

class Session {
  public:
    Session();
    ~Session();  // stops capturing, Reset(), then joins the workers
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    int AddActor(const ActorSpec& spec);  // starts the actor's worker thread; returns its index
    void SetScript(std::vector<ScriptStep> script);

    // Runs the next script step of the whole script (the lesson's order), if its actor is free.
    StepOutcome StepNext();
    // Runs `actor`'s next script step (its earliest step not yet run).
    StepOutcome Step(int actor);
    // Runs any call now (free mode). Not part of the script.
    StepOutcome Call(int actor, const CallRequest& request);
    // Runs the whole script headless: each step in order; a step whose actor is blocked waits for
    // that actor's call to return, as a real program would. Returns early when *cancel is set
    // (checked every few milliseconds; the blocked call is then interrupted by Reset()).
    StepOutcome RunToEnd(const std::atomic<bool>* cancel = nullptr);
    // Waits until `actor` is no longer running or blocked, or *cancel is set.
    bool WaitIdle(int actor, const std::atomic<bool>* cancel = nullptr);

    // Wakes every blocked call and waits until each worker has returned; the log keeps their
    // Interrupted events and every socket stays open (Ctrl-C in the terminal front end).
    void Interrupt();

    // Interrupts every blocked call (SIGURG-style signal without SA_RESTART gives EINTR;
    // shutdown() for listeners; repeated until each worker has returned), closes every descriptor
    // the session opened and starts a new, empty log at step 0. Actors stay.
    void Reset();

    LogView Log() const { return m_log.View(); }
    size_t ScriptSize() const;
    size_t NextStepIndex() const;  // the next step StepNext() would run
    std::vector<ActorStatus> Actors() const;
    // The kernel's view right now, not logged: live timers and retransmissions while blocked.
    Snapshot ProbeNow() const;
    int64_t NowUs() const;  // microseconds since the session started, the log's clock

    // Whether the packets of the session's sockets are captured on lo (Phase::kPacket events),
    // and if not, why not (no CAP_NET_RAW) and the command that allows it. Decided when the
    // session is made; Reset() keeps capturing.
    CaptureStatus Capture() const;

  private:
    struct Impl;
    EventLog m_log;  // before m_impl: Impl refers to it
    std::unique_ptr<Impl> m_impl;
};

}  // namespace sockstep::core
