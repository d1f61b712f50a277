// The kernel watcher: the kernel goes on between calls (a delayed ACK moves FIN-WAIT-1 to
// FIN-WAIT-2, a timer ends TIME-WAIT, a SYN is resent), and the view must follow it. A thread
// re-probes every kWatchPollInterval while some socket is in a state the kernel leaves on its
// own, and the capture thread re-probes after every captured packet; a probe that differs from
// the newest event's snapshot (KernelChanges) is logged as a Phase::kKernel event.
//
// Probes run only while no call is running (a call's own Return event shows what it did) and
// take no descriptor: they use the session's open sock_diag socket, so at the RLIMIT_NOFILE limit
// they cannot take the number a call needs.
#include <pthread.h>

#include <csignal>

#include "session_impl.h"

namespace sockstep::core {

void Session::Impl::StartWatch() {
    watch_thread = std::thread([this] { WatchLoop(); });
}

void Session::Impl::StopWatch() {
    {
        std::lock_guard lock(mutex);
        watch_stop = true;
    }
    watch_wake.notify_all();
    if (watch_thread.joinable()) watch_thread.join();
}

void Session::Impl::WatchLoop() {
    // Process-directed signals (SIGINT, SIGTERM, SIGURG) go to other threads.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    std::unique_lock lock(mutex);
    while (!watch_stop) {
        if (watch_after_packets <= 0 && !KernelWillMove(last_snapshot)) {
            watch_wake.wait(lock);  // AppendLocked and the capture thread wake it
            continue;
        }
        watch_wake.wait_for(lock, kWatchPollInterval);
        if (watch_stop) break;
        if (watch_after_packets > 0) --watch_after_packets;
        ProbeKernelLocked();
    }
}

bool Session::Impl::ProbeKernelLocked() {
    if (last_snapshot.empty()) return false;  // no socket yet, or just Reset()
    // Without the session's own sock_diag socket every lookup would open one: a descriptor taken
    // while a sleeping accept() may need that number. No watching then (the calls' own events
    // still show every change).
    if (!diag.ok()) return false;
    for (const auto& w : workers) {
        if (w->busy && !w->blocked) return false;  // its Return event will show the change
    }
    DrainCaptureLocked();  // packets captured so far come before the change they caused
    Snapshot now = TakeSnapshot();
    const std::vector<int> changed = KernelChanges(last_snapshot, now);
    if (changed.empty()) return false;
    Event e;
    e.phase = Phase::kKernel;
    e.socket_id = changed.front();
    e.t_us = Now();
    now.ShareWith(last_snapshot);
    e.sockets = now;
    last_snapshot = std::move(now);
    last_t_us = e.t_us;
    log.Append(std::move(e));
    return true;
}

}  // namespace sockstep::core
