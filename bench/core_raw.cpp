// The lifecycle made with raw system calls, the baseline of every ratio, plus the same calls with
// one ingredient of the engine added at a time, so the table can say where the engine's time
// goes:
//   (b)  lifecycle/raw            the 11 calls (and the getsockname that learns the port)
//   (e)  lifecycle/raw+handoff    each call handed to its actor's thread and waited for, as the
//                                 engine does (its worker threads), with nothing else added
//   (e') lifecycle/raw+handoff_unlocked  the same, signalling after unlocking instead of before
//   (d0) lifecycle/raw+probefd    + ProbeFd (8 system calls) on every open socket after each call
//   (d1) lifecycle/raw+snapshot   + ProbeFd on every socket and one DumpSockets (a sock_diag dump)
//                                 after each call: the engine's snapshot as first designed. The
//                                 engine now reads less (cached addresses, exact sock_diag
//                                 lookups); what its own snapshots cost is measured in place by
//                                 lifecycle/engine+probenow (core_engine.cpp).
// bench/raw_lifecycle.cpp makes the same calls in a program of its own, for strace.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "sockstep/core/kernel_probe.h"

namespace sockstep::bench {
namespace {

using core::DumpSockets;
using core::ProbeFd;

constexpr int kServer = 0;
constexpr int kClient = 1;
constexpr int kRepetitions = 5;
// Lifecycles per repetition.
constexpr int kDumpIterations = 6;   // with a sock_diag dump per call: ~10 ms each
constexpr int kIterations = 60;      // with ProbeFd per call: ~0.1 ms each
constexpr int kRawIterations = 400;  // without: ~0.05-0.3 ms each

// The lifecycle, written once for every variant: `x.Do(actor, call)` makes one call. The
// variants differ only in what Do() does around it. Returns false if any call failed.
// Descriptors are set to -1 before close(), as the engine does, so that a snapshot taken after
// the close does not probe a number another socket may reuse.
template <class Exec>
bool Lifecycle(Exec& x, int& listener, int& client, int& conn) {
    bool ok = true;
    auto check = [&ok](bool good) { ok = ok && good; };
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    auto* sa = reinterpret_cast<sockaddr*>(&address);

    x.Do(kServer, [&] {
        listener = socket(AF_INET, SOCK_STREAM, 0);
        check(listener >= 0);
    });
    x.Do(kServer, [&] { check(bind(listener, sa, sizeof address) == 0); });
    x.Do(kServer, [&] { check(listen(listener, 5) == 0); });
    x.Do(kClient, [&] {
        client = socket(AF_INET, SOCK_STREAM, 0);
        check(client >= 0);
    });
    // The engine too asks the listener's port (getsockname) before connect(peer = listener).
    socklen_t length = sizeof address;
    check(getsockname(listener, sa, &length) == 0);
    x.Do(kClient, [&] { check(connect(client, sa, sizeof address) == 0); });
    x.Do(kServer, [&] {
        sockaddr_in peer{};
        socklen_t peer_length = sizeof peer;
        conn = accept(listener, reinterpret_cast<sockaddr*>(&peer), &peer_length);
        check(conn >= 0);
    });
    x.Do(kClient, [&] { check(send(client, "hello", 5, 0) == 5); });
    x.Do(kServer, [&] {
        char buffer[1024];  // the engine's default recv size
        check(recv(conn, buffer, sizeof buffer, 0) == 5);
    });
    auto close_fd = [&](int& fd) {
        const int number = fd;
        fd = -1;
        check(close(number) == 0);
    };
    x.Do(kClient, [&] { close_fd(client); });
    x.Do(kServer, [&] { close_fd(conn); });
    x.Do(kServer, [&] { close_fd(listener); });
    return ok;
}

// (b): nothing around the call.
struct Direct {
    template <class F>
    void Do(int, F&& call) {
        call();
    }
};

// (d0), (d1): the kernel reads of the engine's first snapshot design: ProbeFd on every open
// descriptor, then one DumpSockets over every port seen so far, TCP only (the session has only
// stream sockets).
struct WithReads {
    const int* fds[3];
    bool dump = false;
    std::set<uint16_t> ports;  // grows until the next lifecycle, as the session's does until Reset

    void Snapshot() {
        for (const int* fd : fds) {
            if (*fd < 0) continue;
            if (const auto info = ProbeFd(*fd)) {
                if (info->local) ports.insert(info->local->port);
                if (info->remote) ports.insert(info->remote->port);
            }
        }
        if (dump) benchmark::DoNotOptimize(DumpSockets(ports, true, false));
    }
    template <class F>
    void Do(int, F&& call) {
        call();
        Snapshot();
    }
};

// (e): a worker thread per actor, modelled on the engine's (session.cpp): the caller holds the
// session mutex, puts the job in the worker's mailbox (its own mutex) and waits on a condition
// variable of the session mutex; the worker makes the call, then takes the session mutex to say
// it is done. kNotifyUnderLock = true signals while holding the session mutex, as the engine does
// (Run() notifies the worker, Finish() notifies the caller, both under Session::Impl::mutex): the
// woken thread then runs only to block on that mutex, which costs two extra context switches
// per call. false signals after unlocking: the same hand-off with two switches per call.
template <bool kNotifyUnderLock>
class Handoff {
  public:
    Handoff() {
        for (Worker& w : m_workers) w.thread = std::thread([this, &w] { Loop(w); });
    }
    ~Handoff() {
        for (Worker& w : m_workers) {
            {
                std::lock_guard lock(w.mutex);
                w.stop = true;
            }
            w.wake.notify_one();
            w.thread.join();
        }
    }
    Handoff(const Handoff&) = delete;
    Handoff& operator=(const Handoff&) = delete;

    template <class F>
    void Do(int actor, F&& call) {
        Worker& w = m_workers[actor];
        std::unique_lock lock(m_session);
        {
            std::lock_guard job_lock(w.mutex);
            w.job = std::forward<F>(call);
        }
        w.busy = true;
        if (kNotifyUnderLock) {
            w.wake.notify_one();
        } else {
            lock.unlock();
            w.wake.notify_one();
            lock.lock();
        }
        w.done.wait(lock, [&] { return !w.busy; });
    }

  private:
    struct Worker {
        std::thread thread;
        std::mutex mutex;  // guards job and stop
        std::condition_variable wake;
        std::condition_variable done;  // waited on with m_session
        std::function<void()> job;
        bool stop = false;
        bool busy = false;  // guarded by m_session
    };
    void Loop(Worker& w) {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(w.mutex);
                w.wake.wait(lock, [&] { return w.stop || w.job; });
                if (!w.job) return;
                job = std::move(w.job);
                w.job = nullptr;
            }
            job();
            std::unique_lock lock(m_session);
            w.busy = false;
            if (!kNotifyUnderLock) lock.unlock();
            w.done.notify_all();
        }
    }
    std::mutex m_session;  // the engine's Session::Impl::mutex
    Worker m_workers[2];
};

// CPU time (all threads: the workers too) and context switches of the process so far.
struct Usage {
    double user_us = 0;
    double sys_us = 0;
    long switches = 0;
    Usage operator-(const Usage& o) const {
        return {user_us - o.user_us, sys_us - o.sys_us, switches - o.switches};
    }
};
Usage ProcessUsage() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto us = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
    };
    return {us(u.ru_utime), us(u.ru_stime), u.ru_nvcsw + u.ru_nivcsw};
}

template <class Exec>
void RunLifecycles(benchmark::State& state, Exec& x) {
    int listener = -1;
    int client = -1;
    int conn = -1;
    const Usage start = ProcessUsage();
    for (auto _ : state) {
        if (!Lifecycle(x, listener, client, conn)) {
            state.SkipWithError("a raw call failed");
            break;
        }
    }
    const Usage usage = ProcessUsage() - start;
    const auto n = static_cast<double>(state.iterations());
    state.counters["switches"] = static_cast<double>(usage.switches) / n;
    state.counters["user_us"] = usage.user_us / n;
    state.counters["sys_us"] = usage.sys_us / n;
    for (int fd : {listener, client, conn}) {
        if (fd >= 0) close(fd);
    }
}

void Raw(benchmark::State& state) {
    Direct x;
    RunLifecycles(state, x);
}

template <bool kNotifyUnderLock>
void RawHandoff(benchmark::State& state) {
    Handoff<kNotifyUnderLock> x;
    RunLifecycles(state, x);
}

// One WithReads per lifecycle, so the port set starts empty each time like a fresh session.
void RawWithReads(benchmark::State& state, bool dump) {
    int listener = -1;
    int client = -1;
    int conn = -1;
    for (auto _ : state) {
        WithReads x{{&listener, &client, &conn}, dump, {}};
        if (!Lifecycle(x, listener, client, conn)) {
            state.SkipWithError("a raw call failed");
            break;
        }
    }
}

}  // namespace

void RegisterRawBenchmarks() {
    // Repeated, interleaved with the engine's lifecycles (core_main.cpp), the median reported.
    // Fixed iteration counts: every lifecycle leaves a TIME-WAIT socket for 60 s, and each one
    // slows every later sock_diag dump, so the number of lifecycles is kept small and known.
    auto add = [](const char* name, auto function, int iterations) {
        benchmark::RegisterBenchmark(name, function)
            ->Unit(benchmark::kMicrosecond)
            ->Repetitions(kRepetitions)
            ->DisplayAggregatesOnly()
            ->Iterations(iterations);
    };
    add("lifecycle/raw", Raw, kRawIterations);
    add("lifecycle/raw+handoff", RawHandoff<true>, kRawIterations);
    add("lifecycle/raw+handoff_unlocked", RawHandoff<false>, kRawIterations);
    add(
        "lifecycle/raw+probefd", [](benchmark::State& state) { RawWithReads(state, false); },
        kIterations);
    add(
        "lifecycle/raw+snapshot", [](benchmark::State& state) { RawWithReads(state, true); },
        kDumpIterations);
}

}  // namespace sockstep::bench
