// sockstep_fault_bench: how long Reset() takes while an actor really sleeps in the kernel, for
// the three blocking calls of the lessons: accept() with an empty queue, connect() to a full
// backlog (listen(1) with two connections queued: the third stays in SYN-SENT) and recv() with
// nothing to read. Each iteration builds the situation (not timed), checks the call is blocked,
// and times Reset() alone: it signals the worker (EINTR), waits for the call to return, and
// closes every socket. The target is 100 ms; the tests only check that Reset() returns
// and leaves nothing behind (tests/core/fault_reset_blocked_test.cpp). scripts/bench runs this
// and prints the table on stdout (Google Benchmark's own report goes to stderr).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "sockstep/core/session.h"

namespace sockstep::bench {
namespace {

using core::CallKind;
using core::CallRequest;
using core::Session;
using core::StepOutcome;

CallRequest Req(CallKind call, std::string socket, std::string result = "") {
    CallRequest r;
    r.call = call;
    r.socket = std::move(socket);
    r.result = std::move(result);
    return r;
}

CallRequest ConnectTo(const std::string& socket, const std::string& peer) {
    CallRequest r = Req(CallKind::kConnect, socket);
    r.args.address.peer = peer;
    return r;
}

bool Listen(Session& s, int backlog) {
    CallRequest listen = Req(CallKind::kListen, "listener");
    listen.args.backlog = backlog;
    return s.Call(0, Req(CallKind::kSocket, "", "listener")) == StepOutcome::kReturned &&
           s.Call(0, Req(CallKind::kBind, "listener")) == StepOutcome::kReturned &&
           s.Call(0, listen) == StepOutcome::kReturned;
}

// Puts one actor to sleep in the kernel; true when Call() said Blocked.
bool BlockIn(Session& s, CallKind call) {
    switch (call) {
        case CallKind::kAccept:
            return Listen(s, 5) &&
                   s.Call(0, Req(CallKind::kAccept, "listener", "conn")) == StepOutcome::kBlocked;
        case CallKind::kConnect:
            if (!Listen(s, 1)) return false;
            for (const char* name : {"c1", "c2"}) {
                if (s.Call(1, Req(CallKind::kSocket, "", name)) != StepOutcome::kReturned ||
                    s.Call(1, ConnectTo(name, "listener")) != StepOutcome::kReturned) {
                    return false;
                }
            }
            return s.Call(1, Req(CallKind::kSocket, "", "c3")) == StepOutcome::kReturned &&
                   s.Call(1, ConnectTo("c3", "listener")) == StepOutcome::kBlocked;
        case CallKind::kRecv:
            return Listen(s, 5) &&
                   s.Call(1, Req(CallKind::kSocket, "", "client")) == StepOutcome::kReturned &&
                   s.Call(1, ConnectTo("client", "listener")) == StepOutcome::kReturned &&
                   s.Call(0, Req(CallKind::kAccept, "listener", "conn")) ==
                       StepOutcome::kReturned &&
                   s.Call(0, Req(CallKind::kRecv, "conn")) == StepOutcome::kBlocked;
        default:
            return false;
    }
}

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    const size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

void ResetWhileBlocked(benchmark::State& state, CallKind call) {
    Session s;
    s.AddActor({"server", core::Role::kServer, core::Family::kInet});
    s.AddActor({"client", core::Role::kClient, core::Family::kInet});
    std::vector<double> us;
    for (auto _ : state) {
        if (!BlockIn(s, call)) {
            state.SkipWithError("the call did not block");
            break;
        }
        const auto start = std::chrono::steady_clock::now();
        s.Reset();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        state.SetIterationTime(took.count());
        us.push_back(took.count() * 1e6);
    }
    state.counters["n"] = static_cast<double>(us.size());
    state.counters["min_us"] = us.empty() ? NAN : *std::min_element(us.begin(), us.end());
    state.counters["p50_us"] = Percentile(us, 0.50);
    state.counters["p90_us"] = Percentile(us, 0.90);
    state.counters["p99_us"] = Percentile(us, 0.99);
    state.counters["max_us"] = us.empty() ? NAN : *std::max_element(us.begin(), us.end());
}

struct Row {
    std::map<std::string, double> counters;
    bool error = false;
    std::string message;
};

class Collecting : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        benchmark::ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            Row row;
            for (const auto& [name, counter] : run.counters) row.counters[name] = counter.value;
            row.error = run.error_occurred;
            row.message = run.error_message;
            m_rows[run.run_name.function_name] = row;
            m_failed = m_failed || row.error;
        }
    }
    const std::map<std::string, Row>& Rows() const { return m_rows; }
    bool Failed() const { return m_failed; }

  private:
    std::map<std::string, Row> m_rows;
    bool m_failed = false;
};

}  // namespace
}  // namespace sockstep::bench

int main(int argc, char** argv) {
    using namespace sockstep::bench;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    // Fixed counts: every iteration is a real blocked call and a Reset(), ~1 ms each.
    benchmark::RegisterBenchmark("fault/reset_blocked_accept", ResetWhileBlocked, CallKind::kAccept)
        ->UseManualTime()
        ->Iterations(200)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("fault/reset_blocked_connect", ResetWhileBlocked,
                                 CallKind::kConnect)
        ->UseManualTime()
        ->Iterations(100)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("fault/reset_blocked_recv", ResetWhileBlocked, CallKind::kRecv)
        ->UseManualTime()
        ->Iterations(200)
        ->Unit(benchmark::kMicrosecond);
    Collecting reporter;
    reporter.SetOutputStream(&std::cerr);
    reporter.SetErrorStream(&std::cerr);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    std::printf("\n6. Reset() while an actor is blocked in the kernel (us; target <= 100 ms)\n");
    std::printf("  %-44s %5s %9s %9s %9s %9s %9s  %s\n", "", "n", "min", "p50", "p90", "p99", "max",
                "target");
    bool all_met = true;
    for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
             {"fault/reset_blocked_accept", "accept(), empty queue"},
             {"fault/reset_blocked_connect", "connect(), full backlog (SYN-SENT)"},
             {"fault/reset_blocked_recv", "recv(), nothing to read"}}) {
        const auto it = reporter.Rows().find(key);
        if (it == reporter.Rows().end() || it->second.error) {
            std::printf("  %-44s not measured: %s\n", label.c_str(),
                        it == reporter.Rows().end() ? "not run" : it->second.message.c_str());
            continue;
        }
        const auto& c = it->second.counters;
        const bool met = c.at("max_us") <= 100000;
        all_met = all_met && met;
        std::printf("  %-44s %5.0f %9.0f %9.0f %9.0f %9.0f %9.0f  %s\n", label.c_str(), c.at("n"),
                    c.at("min_us"), c.at("p50_us"), c.at("p90_us"), c.at("p99_us"), c.at("max_us"),
                    met ? "MET" : "MISSED");
    }
    std::printf("  Target Reset() <= 100 ms even in the worst case: %s\n",
                all_met ? "MET" : "MISSED");
    benchmark::Shutdown();
    return reporter.Failed() ? 1 : 0;
}
