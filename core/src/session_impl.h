// Session internals shared by session.cpp and session_snapshot.cpp.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "block_evidence.h"
#include "capture_parse.h"
#include "capture_socket.h"
#include "sockstep/core/capture.h"
#include "sockstep/core/kernel_probe.h"
#include "sockstep/core/session.h"
#include "syscalls.h"

namespace sockstep::core {

// One socket the session created (by socket() or accept()), for as long as the session lives.
struct SocketRecord {
    int id = -1;
    std::string name;
    int actor = -1;
    int fd = -1;  // -1 once close() has been entered: snapshots must not probe a reused number
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    ApiState api = ApiState::kCreated;
    std::optional<Endpoint> local;  // last seen, so TIME-WAIT after close() keeps this card
    std::optional<Endpoint> remote;
    // The last (local, remote) pair the descriptor had: once the connection moved to TIME-WAIT
    // the descriptor's own socket reads CLOSE and getpeername(2) fails, but the kernel still
    // holds the connection under this pair.
    std::optional<std::pair<Endpoint, Endpoint>> pair;
    uint64_t inode = 0;
    bool nonblocking = false;  // fcntl(O_NONBLOCK) succeeded: changes the prediction
    bool names_dirty = true;   // re-read addresses (getsockname/getpeername) at next snapshot
    bool gone = false;         // closed, and the kernel no longer holds the connection either
};

// An actor's worker thread and its one-job mailbox.
struct Worker {
    ActorSpec spec;
    std::thread thread;
    pthread_t handle{};
    std::atomic<pid_t> tid{0};
    // Its /proc files, open from AddActor on (set before the worker is shared, then constant).
    std::unique_ptr<detail::TaskFiles> task;

    std::mutex mutex;
    std::condition_variable wake;  // a job arrived, or stop
    std::condition_variable done;  // the job finished
    std::function<void()> job;
    bool stop = false;

    // Guarded by Session::Impl::mutex.
    bool busy = false;  // a call is in flight (running or blocked)
    bool blocked = false;
    bool interrupting = false;  // Reset() is waking this call
    CallKind call = CallKind::kSocket;
    int call_fd = -1;
    int64_t since_us = 0;
    uint64_t generation = 0;  // bumped on every job: WaitIdle compares
    // The call in flight's Enter event (without sockets): a packet it caused carries its actor,
    // step, request and socket, and `enter_seq` as cause_seq.
    Event cause;
    int64_t enter_seq = -1;
    // connect(): where to, and the local port the kernel gave the socket (read when a packet to
    // that address needs it), so that its SYN is told apart from other programs' SYNs there.
    std::optional<detail::WireEndpoint> connect_target;
    uint16_t connect_local_port = 0;
};

// How often the kernel watcher re-probes while the kernel will change a socket on its own
// (KernelWillMove): 25 times a second, so a change is logged within 40 ms of happening.
inline constexpr std::chrono::milliseconds kWatchPollInterval{40};
// Polls made after packets were captured even when nothing is pending: on lo the capture tap
// sees a frame before the receiving socket processes it.
inline constexpr int kWatchPollsAfterPackets = 3;

// A connection no descriptor of ours holds, keyed by (family, local, remote).
using ConnectionKey = std::tuple<int, std::string, std::string>;

struct Session::Impl {
    explicit Impl(EventLog& log);

    EventLog& log;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    mutable std::mutex mutex;  // guards everything below and every Worker's guarded fields
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<ScriptStep> script;
    std::vector<bool> ran;
    std::vector<SocketRecord> sockets;
    // The sock_diag socket of every snapshot, open for the session's life (kernel_probe.h).
    DiagSocket diag;
    std::map<ConnectionKey, int> fdless_ids;
    std::set<uint16_t> ports;  // every local and remote port the session's sockets have used
    int next_id = 0;
    Snapshot last_snapshot;  // the newest event's: the next one shares what did not change

    // Packet capture on lo (capture_session.cpp). Guarded by `mutex` except `capture` itself,
    // whose frames are only read under `mutex` (so the log order is the capture order).
    std::optional<detail::CaptureSocket> capture;  // nullopt: not capturing (status says why)
    CaptureStatus capture_status;
    std::thread capture_thread;
    detail::RelativeSeq relative_seq;
    // Addresses only sockets of this session hold: bound or listening TCP sockets and UDP
    // sockets (bind(2) gives a port to one socket only). A packet from or to one is ours.
    std::unordered_set<detail::WireEndpoint, detail::WireEndpointHash> owned_endpoints;
    // Both ends of our connections: a client's port picked by connect() may also be used by
    // another program's connection to a different address, so it is matched with its peer.
    std::set<std::pair<detail::WireEndpoint, detail::WireEndpoint>> connections;
    int64_t realtime_minus_steady_ns = 0;  // turns a frame's kernel time into the log's clock
    int64_t last_t_us = 0;                 // the newest event's t_us

    // The kernel watcher (session_watch.cpp): appends a Phase::kKernel event whenever the
    // kernel's view changes with no call running. Its thread waits on `watch_wake` under
    // `mutex`; it polls while KernelWillMove(last_snapshot) or packets were just captured.
    std::thread watch_thread;
    std::condition_variable watch_wake;
    bool watch_stop = false;
    int watch_after_packets = 0;  // polls still due after captured packets

    int64_t Now() const;
    SocketRecord* FindByName(const std::string& name);
    SocketRecord* FindById(int id);

    // Under `mutex`: the kernel's view of every socket, and an event appended with it (after
    // the packets captured before it). Returns the event's seq.
    Snapshot TakeSnapshot();
    uint64_t AppendLocked(Event event);

    // Kernel watcher (session_watch.cpp).
    void StartWatch();
    void StopWatch();
    void WatchLoop();
    // Under `mutex`, with no call running: a fresh snapshot, logged as a kernel event if it
    // differs from the newest event's (KernelChanges). Returns whether it logged one.
    bool ProbeKernelLocked();

    // Capture (capture_session.cpp).
    void StartCapture();
    void StopCapture();
    void CaptureLoop();
    // Under `mutex`: logs every queued frame that belongs to the session, in capture order.
    // Returns how many it logged.
    int DrainCaptureLocked();
    // Under `mutex`: the addresses a socket's snapshot just read, for matching packets.
    void NoteCaptureNames(SocketRecord& record);
    bool PacketIsOurs(const detail::ParsedPacket& packet);
    int CauseOf(const detail::ParsedPacket& packet) const;  // worker index, or -1

    StepOutcome Run(int actor, const CallRequest& request, int step);
    StepOutcome Refuse(int actor, const CallRequest& request, int step, std::string message);
    void Finish(Worker& worker, int actor, const CallRequest& request, int step,
                const detail::PreparedCall& prepared, Prediction prediction, int64_t entered,
                const detail::CallOutcome& outcome);
    bool WaitDoneOrBlocked(Worker& worker, int actor, const CallRequest& request, int step,
                           uint64_t generation);
    void InterruptAll();
    void CloseAll();
};

}  // namespace sockstep::core
