// Benchmarks through the engine itself (sockstep::core::Session):
//   lifecycle/engine          (a) the whole lifecycle as a two-actor script, StepNext() x11, with
//                             the kernel snapshots the engine always takes
//   latency/lifecycle_steps   the same, reporting the latency of every step
//   lifecycle/engine+probenow (a) again, with ProbeNow() timed around every step: what the
//                             engine's 22 snapshots cost inside it
//   engine/event_block        one allocation of the log's storage block
//   latency/call_getsockname  step latency in free mode: Session::Call() entered until its
//   latency/call_setsockopt   Return event is in Session::Log(), over many calls
// Call() and StepNext() return only after the worker has appended the Return event (Finish()
// appends, then signals), so the time until they return is an upper bound of the time until a
// reader can see the event; each step checks that Log().back() is that Return event.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sockstep/core/session.h"

namespace sockstep::bench {
namespace {

using namespace sockstep::core;
using Clock = std::chrono::steady_clock;
constexpr int kRepetitions = 5;

double MicrosSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

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

// min/p50/p90/p99/p99.9/max of `samples` as benchmark counters ("p50_us" …).
void ReportDistribution(benchmark::State& state, std::vector<double> samples) {
    if (samples.empty()) return;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        // Nearest rank: the smallest sample with at least q of all samples at or below it.
        const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(samples.size())));
        return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
    };
    state.counters["steps"] = static_cast<double>(samples.size());
    state.counters["min_us"] = samples.front();
    state.counters["p50_us"] = at(0.50);
    state.counters["p90_us"] = at(0.90);
    state.counters["p99_us"] = at(0.99);
    state.counters["p999_us"] = at(0.999);
    state.counters["max_us"] = samples.back();
}

CallRequest Request(CallKind call, std::string socket, std::string result = "") {
    CallRequest r;
    r.call = call;
    r.socket = std::move(socket);
    r.result = std::move(result);
    return r;
}

// The lifecycle: server socket/bind/listen, client socket/connect, accept, send, recv,
// three closes. connect() completes the handshake before accept(), so no step blocks.
std::vector<ScriptStep> LifecycleScript(int server, int client) {
    std::vector<ScriptStep> s;
    s.push_back({server, Request(CallKind::kSocket, "", "listener")});
    CallRequest bind = Request(CallKind::kBind, "listener");
    bind.args.address.host = "127.0.0.1";
    s.push_back({server, bind});
    s.push_back({server, Request(CallKind::kListen, "listener")});
    s.push_back({client, Request(CallKind::kSocket, "", "client")});
    CallRequest connect = Request(CallKind::kConnect, "client");
    connect.args.address.peer = "listener";
    s.push_back({client, connect});
    s.push_back({server, Request(CallKind::kAccept, "listener", "conn")});
    CallRequest send = Request(CallKind::kSend, "client");
    send.args.data = "hello";
    s.push_back({client, send});
    s.push_back({server, Request(CallKind::kRecv, "conn")});
    s.push_back({client, Request(CallKind::kClose, "client")});
    s.push_back({server, Request(CallKind::kClose, "conn")});
    s.push_back({server, Request(CallKind::kClose, "listener")});
    return s;
}

// Did the step just taken return, and is its Return event (with no errno) the log's last event?
bool ReturnedCleanly(const Session& session, StepOutcome outcome) {
    if (outcome != StepOutcome::kReturned) return false;
    const LogView log = session.Log();
    // The call's Return, past any packet the kernel sent on its own after it (a delayed ACK).
    size_t i = log.size();
    while (i > 0 && log[i - 1].phase == Phase::kPacket) --i;
    return i > 0 && log[i - 1].phase == Phase::kReturn && log[i - 1].err == 0;
}

// (a): the lifecycle through the engine. With `distribution`, also the latency of every step
// (latency/lifecycle_steps); without, only the time per lifecycle (lifecycle/engine).
void EngineLifecycle(benchmark::State& state, bool distribution) {
    Session session;
    const int server = session.AddActor({"server", Role::kServer, Family::kInet});
    const int client = session.AddActor({"client", Role::kClient, Family::kInet});
    const std::vector<ScriptStep> script = LifecycleScript(server, client);
    session.SetScript(script);
    std::vector<double> steps;
    std::map<std::string, std::vector<double>> by_call;  // the same samples, by call
    double reset_us = 0;
    const Usage usage_start = ProcessUsage();
    for (auto _ : state) {
        const auto start = Clock::now();
        for (size_t i = 0; i < script.size(); ++i) {
            const auto step_start = Clock::now();
            const StepOutcome outcome = session.StepNext();
            if (distribution) {
                steps.push_back(MicrosSince(step_start));
                by_call[std::string(CallName(script[i].request.call))].push_back(steps.back());
            }
            if (!ReturnedCleanly(session, outcome)) {
                state.SkipWithError(("step " + std::to_string(i) + " did not return cleanly: " +
                                     std::string(StepOutcomeName(outcome)))
                                        .c_str());
                return;
            }
        }
        state.SetIterationTime(MicrosSince(start) / 1e6);
        const LogView log = session.Log();
        size_t calls = 0;  // Enter and Return events; captured packets are events too
        for (size_t e = 0; e < log.size(); ++e) calls += log[e].phase != Phase::kPacket;
        if (calls != 2 * script.size()) {
            state.SkipWithError("the log does not hold one Enter and one Return per call");
            return;
        }
        // Not part of a lifecycle: starts the script and the log again for the next iteration.
        const auto reset_start = Clock::now();
        session.Reset();
        reset_us += MicrosSince(reset_start);
    }
    const auto n = static_cast<double>(state.iterations());
    // Includes Reset(), which makes no call that blocks and few system calls.
    const Usage usage = ProcessUsage() - usage_start;
    state.counters["switches"] = static_cast<double>(usage.switches) / n;
    state.counters["user_us"] = usage.user_us / n;
    state.counters["sys_us"] = usage.sys_us / n;
    state.counters["reset_us"] = reset_us / n;
    if (distribution) {
        ReportDistribution(state, std::move(steps));
        for (auto& [call, samples] : by_call) {
            std::sort(samples.begin(), samples.end());
            state.counters["p50_" + call] = samples[samples.size() / 2];
        }
    }
}

// The cost of the engine's own snapshots within (a), measured in place: the same lifecycle, with
// Session::ProbeNow() (the very TakeSnapshot() every event runs, under the same mutex) timed
// just before and just after each step, i.e. in the states the Enter and Return snapshots see.
// Slightly low: the Return snapshot also re-reads the addresses of the socket just called on
// (ProbeFd, 8 system calls), which the ProbeNow() after it finds already read (3 calls).
void EngineLifecycleSnapshots(benchmark::State& state) {
    Session session;
    const int server = session.AddActor({"server", Role::kServer, Family::kInet});
    const int client = session.AddActor({"client", Role::kClient, Family::kInet});
    const std::vector<ScriptStep> script = LifecycleScript(server, client);
    session.SetScript(script);
    double snapshots_us = 0;
    double steps_us = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        for (size_t i = 0; i < script.size(); ++i) {
            auto probe_start = Clock::now();
            benchmark::DoNotOptimize(session.ProbeNow());
            snapshots_us += MicrosSince(probe_start);
            const auto step_start = Clock::now();
            const StepOutcome outcome = session.StepNext();
            steps_us += MicrosSince(step_start);
            if (!ReturnedCleanly(session, outcome)) {
                state.SkipWithError("a step did not return cleanly");
                return;
            }
            probe_start = Clock::now();
            benchmark::DoNotOptimize(session.ProbeNow());
            snapshots_us += MicrosSince(probe_start);
        }
        state.SetIterationTime(MicrosSince(start) / 1e6);
        session.Reset();
    }
    const auto n = static_cast<double>(state.iterations());
    state.counters["snapshots_us"] = snapshots_us / n;  // 22 per lifecycle
    state.counters["steps_us"] = steps_us / n;          // the 11 StepNext() alone
}

// A lesson-sized session in free mode: a listener and one connected pair (3 sockets), then the
// same non-blocking call over and over.
void CallLatency(benchmark::State& state, CallKind kind) {
    Session session;
    const int server = session.AddActor({"server", Role::kServer, Family::kInet});
    const int client = session.AddActor({"client", Role::kClient, Family::kInet});
    for (const ScriptStep& step : LifecycleScript(server, client)) {
        if (step.request.call == CallKind::kSend) break;  // keep the connection open
        if (!ReturnedCleanly(session, session.Call(step.actor, step.request))) {
            state.SkipWithError("setting up the connection failed");
            return;
        }
    }
    CallRequest request = Request(kind, "listener");
    request.args.option = SockOpt::kReuseAddr;
    std::vector<double> samples;
    samples.reserve(static_cast<size_t>(state.max_iterations));
    for (auto _ : state) {
        const auto start = Clock::now();
        const StepOutcome outcome = session.Call(server, request);
        const double us = MicrosSince(start);
        if (!ReturnedCleanly(session, outcome)) {
            state.SkipWithError("the call did not return cleanly");
            return;
        }
        samples.push_back(us);
        state.SetIterationTime(us / 1e6);
    }
    ReportDistribution(state, std::move(samples));
}

// EventLog::Append() allocates a new EventBlock (kEventBlockSize default-constructed Events) under
// the log's mutex when the last one is full: once every kEventBlockSize / 2 calls (Enter and
// Return), and at the first call after every Reset(). What that one allocation costs.
void EventBlockAllocation(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(std::make_shared<EventBlock>());
    state.counters["bytes"] = static_cast<double>(sizeof(EventBlock));
}

}  // namespace

void RegisterEngineBenchmarks() {
    benchmark::RegisterBenchmark("engine/event_block", EventBlockAllocation)
        ->Unit(benchmark::kMicrosecond);
    // Latency distributions: one run each, so that every sample is in one distribution.
    benchmark::RegisterBenchmark("latency/call_getsockname", CallLatency, CallKind::kGetsockname)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime()
        ->Iterations(2000);
    benchmark::RegisterBenchmark("latency/call_setsockopt", CallLatency, CallKind::kSetsockopt)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime()
        ->Iterations(2000);
    benchmark::RegisterBenchmark("latency/lifecycle_steps", EngineLifecycle, true)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime()
        ->Iterations(200);
    // Lifecycle times: repeated, interleaved with the raw variants (core_main.cpp), the median
    // reported, so that the ratios survive the load changing during the run.
    benchmark::RegisterBenchmark("lifecycle/engine", EngineLifecycle, false)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime()
        ->Repetitions(kRepetitions)
        ->DisplayAggregatesOnly()
        ->Iterations(40);
    benchmark::RegisterBenchmark("lifecycle/engine+probenow", EngineLifecycleSnapshots)
        ->Unit(benchmark::kMicrosecond)
        ->UseManualTime()
        ->Repetitions(kRepetitions)
        ->DisplayAggregatesOnly()
        ->Iterations(40);
}

}  // namespace sockstep::bench
