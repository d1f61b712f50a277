// sockstep_core_bench's main(): registers the benchmarks in a fixed order, runs them once, runs
// the raw lifecycle program plain and under `strace -f`, and prints ONE table with every figure
// and its ratio to the raw calls measured in the same run. scripts/bench is the way to run it.
//
// Own flags (besides Google Benchmark's --benchmark_*):
//   --raw_program=PATH    the raw_lifecycle executable, for the strace rows
//   --strace=PATH         strace; the strace rows are skipped without it
//   --raw_lifecycles=N    lifecycles per raw_lifecycle process (default 1000)
#include <benchmark/benchmark.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sockstep/core/capture.h"
#include "sockstep/core/session.h"

extern char** environ;

namespace sockstep::bench {

// Defined in core_snapshot.cpp, core_engine.cpp and core_raw.cpp. Registration order is run
// order only with --benchmark_enable_random_interleaving=false; by default every repetition of
// every benchmark runs in random order (see main()).
void RegisterSnapshotBenchmarks();
void RegisterEngineBenchmarks();
void RegisterRawBenchmarks();

namespace {

// TIME-WAIT sockets on the whole machine (/proc/net/sockstat "tw"): each one costs every
// sock_diag dump, so every figure that involves a snapshot is reported with this count.
long TimeWaitCount() {
    std::ifstream in("/proc/net/sockstat");
    std::string word;
    while (in >> word) {
        if (word == "tw") {
            long n = -1;
            in >> n;
            return n;
        }
    }
    return -1;
}

struct Result {
    double time_us = NAN;  // per iteration
    long iterations = 0;
    std::map<std::string, double> counters;
    long tw_before = -1;
    long tw_after = -1;
    bool error = false;
    std::string message;
};

// Shows Google Benchmark's own console report (on stderr, so that stdout is the table) and keeps
// every run for the table.
class CollectingReporter : public benchmark::ConsoleReporter {
  public:
    CollectingReporter() : benchmark::ConsoleReporter(OO_Tabular) {}

    bool ReportContext(const Context& context) override {
        m_tw = TimeWaitCount();
        m_tw_first = m_tw;
        return benchmark::ConsoleReporter::ReportContext(context);
    }

    void ReportRuns(const std::vector<Run>& runs) override {
        benchmark::ConsoleReporter::ReportRuns(runs);
        const long tw_now = TimeWaitCount();
        for (const Run& run : runs) {
            // A repeated benchmark is represented by the median of its repetitions; the others
            // by their one run.
            const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
            if (run.run_type != Run::RT_Iteration && !median) continue;
            std::string key = run.run_name.function_name;
            if (!run.run_name.args.empty()) key += "/" + run.run_name.args;
            if (!median && m_medians.contains(key)) continue;
            Result r;
            r.time_us = run.GetAdjustedRealTime();
            r.iterations = static_cast<long>(run.iterations);
            for (const auto& [name, counter] : run.counters) r.counters[name] = counter.value;
            r.tw_before = m_tw;
            r.tw_after = tw_now;
            r.error = run.error_occurred;
            r.message = run.error_message;
            if (r.error) m_failed = true;
            if (median) m_medians.insert(key);
            m_results[key] = r;
        }
        m_tw = tw_now;
    }

    const Result* Find(const std::string& key) const {
        auto it = m_results.find(key);
        return it == m_results.end() || it->second.error ? nullptr : &it->second;
    }
    bool Failed() const { return m_failed; }
    long FirstTimeWait() const { return m_tw_first; }
    const std::map<std::string, Result>& All() const { return m_results; }

  private:
    std::map<std::string, Result> m_results;
    std::set<std::string> m_medians;
    long m_tw = -1;
    long m_tw_first = -1;
    bool m_failed = false;
};

struct Flags {
    std::string raw_program;
    std::string strace;
    long raw_lifecycles = 1000;
};

// What one raw_lifecycle process reported, and how long the whole process took.
struct ProcessRun {
    bool ok = false;
    std::string error;
    double loop_us = NAN;  // the program's own clock around its loop: no exec, no start-up
    double wall_us = NAN;  // spawn to exit, as the shell sees it
};

ProcessRun RunProcess(std::vector<std::string> args) {
    ProcessRun out;
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
        out.error = std::string("pipe: ") + std::strerror(errno);
        return out;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const auto start = std::chrono::steady_clock::now();
    pid_t pid = -1;
    const int spawn_error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawn_error != 0) {
        close(pipe_fds[0]);
        out.error = args[0] + ": " + std::strerror(spawn_error);
        return out;
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) {
            text.append(buffer, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    close(pipe_fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out.wall_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        out.error = args[0] + " failed: " + text;
        return out;
    }
    // raw_lifecycle prints "lifecycles=N loop_us=X per_lifecycle_us=Y".
    const auto at = text.find("loop_us=");
    if (at == std::string::npos) {
        out.error = "unexpected output from " + args[0] + ": " + text;
        return out;
    }
    out.loop_us = std::strtod(text.c_str() + at + 8, nullptr);
    out.ok = true;
    return out;
}

// The run with the median loop time (its wall time goes with it); the first failure if any.
ProcessRun MedianRun(std::vector<ProcessRun> runs) {
    for (const ProcessRun& r : runs) {
        if (!r.ok) return r;
    }
    std::sort(runs.begin(), runs.end(),
              [](const ProcessRun& a, const ProcessRun& b) { return a.loop_us < b.loop_us; });
    return runs[runs.size() / 2];
}

void RaiseFileLimit() {
    // 1,000 connected pairs are 2,000 descriptors; many desktops default to a soft limit of
    // 1,024. The hard limit is ours to take.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::string Fixed(double v, int decimals = 1) {
    if (std::isnan(v)) return "n/a";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

std::string Ratio(double v, double base) {
    if (std::isnan(v) || std::isnan(base) || base <= 0) return "n/a";
    return Fixed(v / base, v / base < 10 ? 2 : 1) + "x";
}

double TimeOf(const CollectingReporter& r, const std::string& key) {
    const Result* x = r.Find(key);
    return x ? x->time_us : NAN;
}

double CounterOf(const CollectingReporter& r, const std::string& key, const std::string& name) {
    const Result* x = r.Find(key);
    if (!x) return NAN;
    auto it = x->counters.find(name);
    return it == x->counters.end() ? NAN : it->second;
}

// "48.1 switches, 700 us CPU": per lifecycle, all threads of the process. Only the total CPU
// time is shown: getrusage's user/system split is sampled at clock ticks, the total is exact.
std::string UsageOf(const CollectingReporter& r, const std::string& key) {
    return Fixed(CounterOf(r, key, "switches"), 1) + " switches, " +
           Fixed(CounterOf(r, key, "user_us") + CounterOf(r, key, "sys_us"), 0) + " us CPU";
}

std::string TwOf(const CollectingReporter& r, const std::string& key) {
    const Result* x = r.Find(key);
    if (!x) return "";
    return std::to_string(x->tw_before) + "->" + std::to_string(x->tw_after);
}

void Row(const std::string& what, double us, double base, const std::string& note = "") {
    std::printf("  %-58s %11s %9s  %s\n", what.c_str(), Fixed(us).c_str(), Ratio(us, base).c_str(),
                note.c_str());
}

void PrintTable(const CollectingReporter& r, const Flags& flags, const ProcessRun& plain,
                const ProcessRun& traced) {
    utsname u{};
    uname(&u);
    double load[3] = {NAN, NAN, NAN};
    getloadavg(load, 3);
#ifdef NDEBUG
    const char* build = "Release (NDEBUG)";
#else
    const char* build = "NOT a Release build (assertions on): figures are not comparable";
#endif
    std::printf("\nsockstep core benchmark: %ld CPUs, kernel %s, %s, load average %.2f %.2f %.2f\n",
                sysconf(_SC_NPROCESSORS_ONLN), u.release, build, load[0], load[1], load[2]);
    std::printf(
        "TIME-WAIT sockets on the machine: %ld at the start (every sock_diag dump walks them)"
        "\n",
        r.FirstTimeWait());
    {
        // The engine drains its packet capture at every event when it has CAP_NET_RAW: say which
        // engine was measured.
        const sockstep::core::Session probe;
        const sockstep::core::CaptureStatus capture = probe.Capture();
        std::printf("Packet capture on lo: %s\n\n",
                    capture.active ? "on (CAP_NET_RAW): the engine figures include it"
                                   : "off (no CAP_NET_RAW): the engine figures exclude it");
    }

    const double raw = TimeOf(r, "lifecycle/raw");
    const double engine = TimeOf(r, "lifecycle/engine");
    const double handoff = TimeOf(r, "lifecycle/raw+handoff");
    const double handoff_unlocked = TimeOf(r, "lifecycle/raw+handoff_unlocked");
    const double probefd = TimeOf(r, "lifecycle/raw+probefd");
    const double dumps = TimeOf(r, "lifecycle/raw+snapshot");
    const double in_place = CounterOf(r, "lifecycle/engine+probenow", "snapshots_us");
    const long n = flags.raw_lifecycles;

    std::printf(
        "1. Whole lifecycle: socket/bind/listen, socket/connect, accept, send, recv, 3x "
        "close (11 calls)\n   (a), (b), (d), (e), (s): median of 5 repetitions run in "
        "random order among all the benchmarks\n");
    std::printf("  %-58s %11s %9s  %s\n", "", "us/cycle", "x raw(b)", "per cycle, all threads");
    Row("(b) raw calls, one function, one thread", raw, raw, UsageOf(r, "lifecycle/raw"));
    Row("(a) engine: Session, 2 actors, StepNext x11", engine, raw, UsageOf(r, "lifecycle/engine"));
    double strace_loop = NAN;
    if (plain.ok && traced.ok) {
        const double plain_loop = plain.loop_us / static_cast<double>(n);
        strace_loop = traced.loop_us / static_cast<double>(n);
        Row("(c) raw program under strace -f -qq -o /dev/null", strace_loop, raw,
            "own clock; median of 3 processes of " + std::to_string(n) + " cycles");
        Row("(c0) the same raw program without strace", plain_loop, raw,
            "own clock; median of 3, alternating with (c)");
        Row("(c') strace, whole processes: (traced - plain wall) / n",
            (traced.wall_us - plain.wall_us) / static_cast<double>(n), raw,
            "wall " + Fixed(plain.wall_us / 1000, 1) + " ms plain, " +
                Fixed(traced.wall_us / 1000, 1) + " ms traced");
    } else {
        std::printf("  (c) strace rows not run: %s\n", !plain.error.empty() ? plain.error.c_str()
                                                       : !traced.error.empty()
                                                           ? traced.error.c_str()
                                                           : "no --raw_program/--strace given");
    }
    Row("(e) raw calls, each handed to its actor's thread (hand-off)", handoff, raw,
        UsageOf(r, "lifecycle/raw+handoff"));
    Row("(e') the same hand-off, signalled after unlocking", handoff_unlocked, raw,
        UsageOf(r, "lifecycle/raw+handoff_unlocked"));
    Row("(s) the engine's 22 snapshots, timed in place (ProbeNow)", in_place, raw,
        Fixed(in_place / 22, 1) + " us per snapshot");
    Row("(d0) raw + ProbeFd of every socket after each call", probefd, raw,
        "ProbeFd: 8 system calls per socket");
    Row("(d1) raw + ProbeFd all + DumpSockets after each call", dumps, raw,
        "the first snapshot design; TIME-WAIT then: " + TwOf(r, "lifecycle/raw+snapshot"));
    if (!std::isnan(engine) && !std::isnan(raw)) {
        std::printf("\n  Where the engine's time goes (per lifecycle):\n");
        auto part = [&](const char* what, double us) {
            std::printf("    %-56s %11s  %5s%%\n", what, Fixed(us).c_str(),
                        Fixed(100 * us / engine, 0).c_str());
        };
        part("the 11 system calls themselves (b)", raw);
        part("thread hand-off, 11 round trips (e - b)", handoff - raw);
        part("  of which signalling under the lock (e - e')", handoff - handoff_unlocked);
        part("22 kernel snapshots, timed in place (s)", in_place);
        part("the rest: events, log, locks, waits (a - e - s)", engine - handoff - in_place);
        std::printf("    Reset() between lifecycles (not in (a)): %s us\n",
                    Fixed(CounterOf(r, "lifecycle/engine", "reset_us")).c_str());
        const double ratio = engine / raw;
        std::printf("\n  Target engine <= 1.5x raw: %s (%.1fx)\n", ratio <= 1.5 ? "MET" : "MISSED",
                    ratio);
        if (!std::isnan(strace_loop)) {
            std::printf(
                "  Target engine faster than strace -f: %s (engine %.0f us, strace %.0f us "
                "per lifecycle)\n",
                engine < strace_loop ? "MET" : "MISSED", engine, strace_loop);
        }
    }

    std::printf(
        "\n2. Step latency: Step()/Call() entered -> its Return event in Log() "
        "(non-blocking calls, us)\n");
    std::printf("  %-40s %7s %8s %8s %8s %8s %8s %8s\n", "", "steps", "min", "p50", "p90", "p99",
                "p99.9", "max");
    double worst_p99 = NAN;
    for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
             {"latency/call_getsockname", "free mode: Call(getsockname), 3 sockets"},
             {"latency/call_setsockopt", "free mode: Call(setsockopt), 3 sockets"},
             {"latency/lifecycle_steps", "lifecycle steps: StepNext()"}}) {
        const double p99 = CounterOf(r, key, "p99_us");
        if (std::isnan(p99)) continue;
        worst_p99 = std::isnan(worst_p99) ? p99 : std::max(worst_p99, p99);
        std::printf("  %-40s %7.0f %8s %8s %8s %8s %8s %8s\n", label.c_str(),
                    CounterOf(r, key, "steps"), Fixed(CounterOf(r, key, "min_us")).c_str(),
                    Fixed(CounterOf(r, key, "p50_us")).c_str(),
                    Fixed(CounterOf(r, key, "p90_us")).c_str(), Fixed(p99).c_str(),
                    Fixed(CounterOf(r, key, "p999_us")).c_str(),
                    Fixed(CounterOf(r, key, "max_us")).c_str());
    }
    if (const Result* steps = r.Find("latency/lifecycle_steps")) {
        std::string medians;
        for (const auto& [name, value] : steps->counters) {
            if (name.rfind("p50_", 0) == 0 && name != "p50_us") {
                medians += " " + name.substr(4) + " " + Fixed(value, 0);
            }
        }
        std::printf("  lifecycle steps, median by call (us):%s\n", medians.c_str());
    }
    if (const Result* block = r.Find("engine/event_block")) {
        std::printf(
            "  Every 128 calls (and after each Reset()) the log allocates its next block of "
            "256 Events (%.0f KB)\n  under its mutex: %s us to allocate and free one\n",
            CounterOf(r, "engine/event_block", "bytes") / 1024, Fixed(block->time_us).c_str());
    }
    if (!std::isnan(worst_p99)) {
        std::printf("  Target p99 <= 200 us: %s (worst p99 %.0f us)\n",
                    worst_p99 <= 200 ? "MET" : "MISSED", worst_p99);
    }

    std::printf(
        "\n3. Snapshot cost: Session::ProbeNow() by sockets in the session (us)\n"
        "   own work = ProbeNow - FdState all: what the snapshot does besides its kernel "
        "reads\n");
    std::printf("  %7s %9s %9s %10s %11s %9s %12s %6s %8s  %s\n", "sockets", "ProbeNow", "per sock",
                "own work", "FdState all", "ProbeFd all", "DumpSockets", "ports", "setup s",
                "TIME-WAIT before->after");
    for (const auto& [key, result] : r.All()) {
        if (key.rfind("snapshot/ProbeNow", 0) != 0 || result.error) continue;
        const double sockets = CounterOf(r, key, "sockets");
        const double state = CounterOf(r, key, "probefdstate_all_us");
        std::printf("  %7.0f %9s %9s %10s %11s %9s %12s %6.0f %8s  %s\n", sockets,
                    Fixed(result.time_us).c_str(), Fixed(result.time_us / sockets, 2).c_str(),
                    Fixed(result.time_us - state).c_str(), Fixed(state).c_str(),
                    Fixed(CounterOf(r, key, "probefd_all_us")).c_str(),
                    Fixed(CounterOf(r, key, "dump_us")).c_str(), CounterOf(r, key, "ports"),
                    Fixed(CounterOf(r, key, "setup_s"), 1).c_str(), TwOf(r, key).c_str());
    }

    std::printf("\n4. Kernel reads, one at a time (us per read)\n");
    for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
             {"kernel/ProbeFd", "ProbeFd(fd) on one connected socket (8 syscalls)"},
             {"kernel/DumpSockets", "DumpSockets({1 port}, tcp): the engine's dump (v4 + v6)"},
             {"kernel/netlink_socket", "socket(AF_NETLINK)+close: opened per DumpSockets"},
             {"kernel/dump_inet_tcp", "one AF_INET TCP dump, no filter, socket kept open"},
             {"kernel/dump_inet_tcp_filtered", "one AF_INET TCP dump, 1-port bytecode"},
             {"kernel/lookup_exact", "sock_diag exact lookup of one 4-tuple (no dump)"}}) {
        const Result* x = r.Find(key);
        if (!x) continue;
        const double entries = CounterOf(r, key, "entries");
        std::printf("  %-62s %10s  %s\n", label.c_str(), Fixed(x->time_us, 2).c_str(),
                    std::isnan(entries) ? ""
                                        : ("sockets seen " + Fixed(entries, 0) + ", TIME-WAIT " +
                                           std::to_string(x->tw_before))
                                              .c_str());
    }
    std::printf("\n");
}

// Takes our own flags out of argv; returns false on a malformed one.
bool ParseFlags(int& argc, char** argv, Flags& flags) {
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char* name) -> std::optional<std::string> {
            const std::string prefix = std::string("--") + name + "=";
            if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
            return std::nullopt;
        };
        if (auto v = value("raw_program")) {
            flags.raw_program = *v;
        } else if (auto s = value("strace")) {
            flags.strace = *s;
        } else if (auto c = value("raw_lifecycles")) {
            flags.raw_lifecycles = std::strtol(c->c_str(), nullptr, 10);
            if (flags.raw_lifecycles <= 0) return false;
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    return true;
}

}  // namespace
}  // namespace sockstep::bench

int main(int argc, char** argv) {
    using namespace sockstep::bench;
    RaiseFileLimit();
    // Repetitions of all benchmarks run in random order unless told otherwise, so that the
    // lifecycle variants compared in the table see the same load (2 shared cores).
    std::vector<char*> args(argv, argv + argc);
    std::string interleave = "--benchmark_enable_random_interleaving=true";
    if (std::none_of(args.begin(), args.end(), [](const char* a) {
            return std::string_view(a).starts_with("--benchmark_enable_random_interleaving");
        })) {
        args.insert(args.begin() + 1, interleave.data());
    }
    args.push_back(nullptr);
    argc = static_cast<int>(args.size()) - 1;
    argv = args.data();
    benchmark::Initialize(&argc, argv);
    Flags flags;
    if (!ParseFlags(argc, argv, flags)) {
        std::fprintf(stderr, "bad --raw_lifecycles\n");
        return 2;
    }
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

    RegisterSnapshotBenchmarks();
    RegisterEngineBenchmarks();
    RegisterRawBenchmarks();

    CollectingReporter reporter;
    reporter.SetOutputStream(&std::cerr);
    reporter.SetErrorStream(&std::cerr);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    // Last, because each raw_lifecycle process leaves one TIME-WAIT socket per lifecycle. Plain
    // and traced runs alternate, three of each, and the median of each is kept, so that a load
    // change during the run does not fall on one side only.
    ProcessRun plain;
    ProcessRun traced;
    bool process_failed = false;
    if (!flags.raw_program.empty() && !flags.strace.empty()) {
        const std::string count = std::to_string(flags.raw_lifecycles);
        std::vector<ProcessRun> plains;
        std::vector<ProcessRun> traceds;
        for (int round = 0; round < 3 && !process_failed; ++round) {
            plains.push_back(RunProcess({flags.raw_program, count}));
            traceds.push_back(RunProcess(
                {flags.strace, "-f", "-qq", "-o", "/dev/null", flags.raw_program, count}));
            process_failed = !plains.back().ok || !traceds.back().ok;
        }
        plain = MedianRun(plains);
        traced = MedianRun(traceds);
    }
    PrintTable(reporter, flags, plain, traced);
    benchmark::Shutdown();
    if (reporter.Failed()) {
        for (const auto& [key, result] : reporter.All()) {
            if (result.error)
                std::fprintf(stderr, "FAILED %s: %s\n", key.c_str(), result.message.c_str());
        }
        return 1;
    }
    return process_failed ? 1 : 0;
}
