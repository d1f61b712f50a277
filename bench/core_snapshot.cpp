// What a kernel snapshot costs:
//   snapshot/ProbeNow/<pairs>  Session::ProbeNow() with a listener and <pairs> connected pairs in
//                              the session (1, 11, 101, 1001 sockets), beside the kernel reads it
//                              is made of (ProbeFd, ProbeFdState) and the dump it no longer makes
//   kernel/*                   single kernel reads, and two alternatives to the engine's dump (a
//                              one-family dump on a kept netlink socket; an exact sock_diag
//                              lookup of one 4-tuple) to show what a cheaper snapshot could cost
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "sockstep/core/kernel_probe.h"
#include "sockstep/core/session.h"

namespace sockstep::bench {
namespace {

using namespace sockstep::core;
using Clock = std::chrono::steady_clock;

double MicrosSince(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

CallRequest Request(CallKind call, std::string socket, std::string result = "") {
    CallRequest r;
    r.call = call;
    r.socket = std::move(socket);
    r.result = std::move(result);
    return r;
}

bool Returned(Session& session, int actor, const CallRequest& request) {
    if (session.Call(actor, request) != StepOutcome::kReturned) return false;
    const LogView log = session.Log();
    // The call's Return, past any packet the kernel sent on its own after it (a delayed ACK).
    size_t i = log.size();
    while (i > 0 && log[i - 1].phase == Phase::kPacket) --i;
    return i > 0 && log[i - 1].phase == Phase::kReturn && log[i - 1].err == 0;
}

// Before the session closes its sockets: SO_LINGER {1, 0} on every connection makes close() send
// RST instead of FIN, so the 500 pairs of the big session do not leave 500 TIME-WAIT sockets to
// slow every later dump (benchmark hygiene only; nothing is measured after it).
void AbortConnections(const Snapshot& snapshot) {
    const linger abort{1, 0};
    for (const SocketView& v : snapshot) {
        if (v.fd >= 0 && v.remote) setsockopt(v.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    }
}

void ProbeNowBySize(benchmark::State& state) {
    const auto pairs = static_cast<int>(state.range(0));
    const auto setup_start = Clock::now();
    Session session;
    const int server = session.AddActor({"server", Role::kServer, Family::kInet});
    const int client = session.AddActor({"client", Role::kClient, Family::kInet});
    CallRequest bind = Request(CallKind::kBind, "listener");
    bind.args.address.host = "127.0.0.1";
    CallRequest listen = Request(CallKind::kListen, "listener");
    listen.args.backlog = 16;
    bool ok = Returned(session, server, Request(CallKind::kSocket, "", "listener")) &&
              Returned(session, server, bind) && Returned(session, server, listen);
    // Built through the session itself (ProbeNow sees only the session's sockets), one pair at a
    // time: socket, connect, accept. Each of these calls takes two snapshots of a growing
    // session, so building the large sizes takes seconds.
    for (int i = 0; ok && i < pairs; ++i) {
        const std::string c = "c" + std::to_string(i);
        CallRequest connect = Request(CallKind::kConnect, c);
        connect.args.address.peer = "listener";
        ok = Returned(session, client, Request(CallKind::kSocket, "", c)) &&
             Returned(session, client, connect) &&
             Returned(session, server, Request(CallKind::kAccept, "listener", "s" + c));
    }
    const double setup_s = MicrosSince(setup_start) / 1e6;
    const Snapshot first = session.ProbeNow();
    if (!ok || first.size() != static_cast<size_t>(1 + 2 * pairs)) {
        state.SkipWithError("building the session failed");
        AbortConnections(first);
        return;
    }

    // Kernel reads of the same sockets, made directly, alternating with ProbeNow() so that all
    // three see the same load: ProbeFd on every descriptor (8 system calls: what a snapshot does
    // for a socket whose addresses may have changed) and ProbeFdState (3, or 1 on a listener:
    // what it does for the others). ProbeNow() minus the latter is the snapshot's own work.
    double probe_us = 0;
    double state_us = 0;
    for (auto _ : state) {
        auto start = Clock::now();
        benchmark::DoNotOptimize(session.ProbeNow());
        state.SetIterationTime(MicrosSince(start) / 1e6);
        start = Clock::now();
        for (const SocketView& v : first) {
            FdInfo info;
            ProbeFdState(v.fd, v.type, info);
            benchmark::DoNotOptimize(info);
        }
        state_us += MicrosSince(start);
        start = Clock::now();
        for (const SocketView& v : first) benchmark::DoNotOptimize(ProbeFd(v.fd));
        probe_us += MicrosSince(start);
    }
    const auto rounds = static_cast<double>(state.iterations());
    probe_us /= rounds;
    state_us /= rounds;

    // The sock_diag dump the first snapshot design made on every event (TCP, over every port
    // the session's sockets use). A few rounds: it takes milliseconds.
    std::set<uint16_t> ports;
    for (const SocketView& v : first) {
        if (v.local) ports.insert(v.local->port);
        if (v.remote) ports.insert(v.remote->port);
    }
    constexpr int kDumpRounds = 5;
    const auto dump_start = Clock::now();
    for (int i = 0; i < kDumpRounds; ++i) {
        benchmark::DoNotOptimize(DumpSockets(ports, true, false));
    }
    const double dump_us = MicrosSince(dump_start) / kDumpRounds;

    state.counters["sockets"] = static_cast<double>(first.size());
    state.counters["ports"] = static_cast<double>(ports.size());
    state.counters["setup_s"] = setup_s;
    state.counters["probefd_all_us"] = probe_us;
    state.counters["probefdstate_all_us"] = state_us;
    state.counters["dump_us"] = dump_us;
    AbortConnections(first);
}

// A listener and one connected pair made directly, for the single-read benchmarks.
struct Pair {
    int listener = -1;
    int client = -1;
    int conn = -1;
    sockaddr_in listener_address{};
    sockaddr_in client_address{};

    bool Open() {
        listener_address.sin_family = AF_INET;
        listener_address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        auto* la = reinterpret_cast<sockaddr*>(&listener_address);
        socklen_t length = sizeof listener_address;
        listener = socket(AF_INET, SOCK_STREAM, 0);
        if (listener < 0 || bind(listener, la, sizeof listener_address) != 0 ||
            listen(listener, 5) != 0 || getsockname(listener, la, &length) != 0) {
            return false;
        }
        client = socket(AF_INET, SOCK_STREAM, 0);
        if (client < 0 || connect(client, la, sizeof listener_address) != 0) return false;
        conn = accept(listener, nullptr, nullptr);
        length = sizeof client_address;
        return conn >= 0 &&
               getsockname(client, reinterpret_cast<sockaddr*>(&client_address), &length) == 0;
    }
    ~Pair() {
        const linger abort{1, 0};  // RST: no TIME-WAIT left behind
        if (client >= 0) setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        for (int fd : {client, conn, listener}) {
            if (fd >= 0) close(fd);
        }
    }
};

// A minimal sock_diag client (sock_diag(7)) for the alternatives: one request, count the replies.
// The NLMSG_* macros are C casts, so the arithmetic is spelled out as in kernel_probe.cpp.
constexpr size_t AlignNl(size_t n) {
    return (n + 3) & ~size_t{3};
}

struct DiagRequest {
    nlmsghdr header;
    inet_diag_req_v2 body;
    nlattr attribute;
    inet_diag_bc_op code[4];
};

// Sends `request` (length `bytes`) and reads until NLMSG_DONE (dump) or the one answer (exact
// lookup). Returns the number of sockets the kernel sent back, -1 on error.
int Ask(int netlink, const void* request, size_t bytes, bool dump) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (sendto(netlink, request, bytes, 0, reinterpret_cast<const sockaddr*>(&kernel),
               sizeof kernel) != static_cast<ssize_t>(bytes)) {
        return -1;
    }
    static thread_local std::vector<char> buffer(32768);
    int sockets = 0;
    for (;;) {
        const ssize_t n = recv(netlink, buffer.data(), buffer.size(), 0);
        if (n <= 0) return -1;
        size_t offset = 0;
        while (offset + sizeof(nlmsghdr) <= static_cast<size_t>(n)) {
            nlmsghdr header;
            std::memcpy(&header, buffer.data() + offset, sizeof header);
            if (header.nlmsg_len < sizeof header) return -1;
            offset += AlignNl(header.nlmsg_len);
            if (header.nlmsg_type == NLMSG_DONE) return sockets;
            if (header.nlmsg_type == NLMSG_ERROR) return -1;
            if (header.nlmsg_type == SOCK_DIAG_BY_FAMILY) ++sockets;
        }
        if (!dump) return sockets;
    }
}

DiagRequest InetTcpRequest(bool dump) {
    DiagRequest r{};
    r.header.nlmsg_len = static_cast<uint32_t>(AlignNl(sizeof(nlmsghdr)) + sizeof r.body);
    r.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    r.header.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0));
    r.body.sdiag_family = AF_INET;
    r.body.sdiag_protocol = IPPROTO_TCP;
    r.body.idiag_states = ~0u;
    return r;
}

void KernelProbeFd(benchmark::State& state) {
    Pair pair;
    if (!pair.Open()) {
        state.SkipWithError("could not open a connected pair");
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(ProbeFd(pair.client));
}

void KernelDumpSockets(benchmark::State& state) {
    Pair pair;
    if (!pair.Open()) {
        state.SkipWithError("could not open a connected pair");
        return;
    }
    const std::set<uint16_t> ports{ntohs(pair.listener_address.sin_port)};
    size_t entries = 0;
    for (auto _ : state) {
        const auto found = DumpSockets(ports, true, false);
        entries = found ? found->size() : 0;
    }
    state.counters["entries"] = static_cast<double>(entries);
}

void KernelNetlinkSocket(benchmark::State& state) {
    for (auto _ : state) {
        const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0) {
            state.SkipWithError("no NETLINK_SOCK_DIAG");
            return;
        }
        close(fd);
    }
}

// One AF_INET TCP dump on a netlink socket opened once; `filtered` adds the engine's one-port
// bytecode (S_GE/S_LE on the listener's port) so only matching sockets are copied out.
void KernelDumpInetTcp(benchmark::State& state, bool filtered) {
    Pair pair;
    const int netlink = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (!pair.Open() || netlink < 0) {
        state.SkipWithError("could not open a connected pair or a netlink socket");
        if (netlink >= 0) close(netlink);
        return;
    }
    DiagRequest request = InetTcpRequest(true);
    size_t bytes = request.header.nlmsg_len;
    if (filtered) {
        const uint16_t port = ntohs(pair.listener_address.sin_port);
        constexpr unsigned char kOp = sizeof(inet_diag_bc_op);
        // GE port (yes: next op pair, no: past the end = reject), LE port (same).
        request.code[0] = {INET_DIAG_BC_S_GE, 2 * kOp, 4 * kOp + 4};
        request.code[1] = {INET_DIAG_BC_NOP, 0, port};
        request.code[2] = {INET_DIAG_BC_S_LE, 2 * kOp, 2 * kOp + 4};
        request.code[3] = {INET_DIAG_BC_NOP, 0, port};
        request.attribute.nla_len = static_cast<uint16_t>(sizeof(nlattr) + sizeof request.code);
        request.attribute.nla_type = INET_DIAG_REQ_BYTECODE;
        bytes += request.attribute.nla_len;
        request.header.nlmsg_len = static_cast<uint32_t>(bytes);
    }
    int entries = 0;
    for (auto _ : state) {
        entries = Ask(netlink, &request, bytes, true);
        if (entries < 0) {
            state.SkipWithError("the dump failed");
            break;
        }
    }
    close(netlink);
    state.counters["entries"] = entries;
}

// sock_diag without NLM_F_DUMP: the kernel looks the 4-tuple up in its hash table
// (inet_diag_find_one_icsk) instead of walking every socket. It finds TIME-WAIT sockets too.
void KernelLookupExact(benchmark::State& state) {
    Pair pair;
    const int netlink = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (!pair.Open() || netlink < 0) {
        state.SkipWithError("could not open a connected pair or a netlink socket");
        if (netlink >= 0) close(netlink);
        return;
    }
    DiagRequest request = InetTcpRequest(false);
    request.body.id.idiag_sport = pair.client_address.sin_port;
    request.body.id.idiag_dport = pair.listener_address.sin_port;
    request.body.id.idiag_src[0] = pair.client_address.sin_addr.s_addr;
    request.body.id.idiag_dst[0] = pair.listener_address.sin_addr.s_addr;
    request.body.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    request.body.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    int entries = 0;
    for (auto _ : state) {
        entries = Ask(netlink, &request, request.header.nlmsg_len, false);
        if (entries != 1) {
            state.SkipWithError("the exact lookup did not find the socket");
            break;
        }
    }
    close(netlink);
    state.counters["entries"] = entries;
}

}  // namespace

void RegisterSnapshotBenchmarks() {
    benchmark::RegisterBenchmark("kernel/ProbeFd", KernelProbeFd)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("kernel/netlink_socket", KernelNetlinkSocket)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("kernel/DumpSockets", KernelDumpSockets)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("kernel/dump_inet_tcp", KernelDumpInetTcp, false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("kernel/dump_inet_tcp_filtered", KernelDumpInetTcp, true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("kernel/lookup_exact", KernelLookupExact)
        ->Unit(benchmark::kMicrosecond);
    // Fixed iterations: the function body (and so the session's set-up) runs only once per size.
    for (const auto& [pairs, iterations] :
         {std::pair{0, 2000}, std::pair{5, 1000}, std::pair{50, 500}, std::pair{500, 100}}) {
        benchmark::RegisterBenchmark("snapshot/ProbeNow", ProbeNowBySize)
            ->Arg(pairs)
            ->Unit(benchmark::kMicrosecond)
            ->UseManualTime()
            ->Iterations(iterations);
    }
}

}  // namespace sockstep::bench
