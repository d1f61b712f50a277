// A session's packet capture: which captured frames are the session's, which call caused each,
// and logging them in the order they were captured.
//
// Ordering. A packet a call sends is queued on the capture socket inside that call (the
// outgoing tap runs in the sending context; capture_socket.cpp), so the frames are drained
// right before every event is appended (AppendLocked): what a call sent is logged before its
// Return or Blocked event. Frames that arrive while no event is being appended (a delayed ACK,
// TIME-WAIT, a SYN resent while connect() sleeps, an outside client) are drained by the capture
// thread. Both read frames only under the session's mutex, so the log order is the capture
// order.
//
// An ICMP error (port unreachable, …) is the session's when the datagram it quotes is: its
// own addresses have no port, so the quoted ends are matched (detail::EndsOf).
//
// Attribution (Event::cause_seq): the running call entered most recently; when every call in
// flight is asleep in the kernel, the sleeping call on one of the packet's two ends (the SYN
// resent by a blocked connect(), the handshake that wakes a blocked accept()); otherwise none
// (-1): the kernel sent it on its own, e.g. a delayed ACK.
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "session_impl.h"

namespace sockstep::core {
namespace {

// Bounds one drain, so that a flood of other programs' packets on lo cannot keep a call's
// Return from being logged; the rest waits for the next drain.
constexpr int kMaxFramesPerDrain = 4096;

int64_t NowNs(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool ShellSafe(const std::string& text) {
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_' || c == '-' ||
                        c == '+';
        if (!ok) return false;
    }
    return !text.empty();
}

}  // namespace

std::string CaptureGrantCommand() {
    std::error_code error;
    std::string program = std::filesystem::read_symlink("/proc/self/exe", error).string();
    if (error || program.empty()) program = "build/sockstep";
    if (!ShellSafe(program)) {
        std::string quoted = "'";
        for (char c : program) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        program = quoted + "'";
    }
    return "sudo setcap cap_net_raw+ep " + program;
}

void Session::Impl::StartCapture() {
    int error = 0;
    std::optional<detail::CaptureSocket> opened = detail::CaptureSocket::Open(&error);
    if (opened) capture.emplace(std::move(*opened));
    if (!capture) {
        capture_status.active = false;
        capture_status.error = error;
        if (error == EPERM || error == EACCES) {
            capture_status.command = CaptureGrantCommand();
            capture_status.reason =
                "Packet capture is off: capturing on lo needs the CAP_NET_RAW capability, which "
                "this process does not have. Every call still runs and the kernel's socket states "
                "are still shown; only the packets are missing. To see them, grant the capability "
                "once with: " +
                capture_status.command;
        } else {
            capture_status.reason =
                "Packet capture is off: opening a packet socket on lo failed: " + ErrnoName(error) +
                " (" + ErrnoMessage(error) + ").";
        }
        return;
    }
    capture_status = CaptureStatus{};
    capture_status.active = true;
    realtime_minus_steady_ns = NowNs(CLOCK_REALTIME) - NowNs(CLOCK_MONOTONIC);
    capture_thread = std::thread([this] { CaptureLoop(); });
}

void Session::Impl::StopCapture() {
    if (!capture) return;
    capture->Stop();
    if (capture_thread.joinable()) capture_thread.join();
    std::lock_guard lock(mutex);
    capture.reset();  // closes the packet socket and the eventfd
}

void Session::Impl::CaptureLoop() {
    // Process-directed signals (SIGINT, SIGTERM, SIGURG) go to other threads: this one only waits
    // for frames.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    while (capture->Wait()) {
        std::lock_guard lock(mutex);
        if (DrainCaptureLocked() > 0) {
            // The packet may change a socket of ours: look now, and again while the receiving
            // side processes it (on lo the tap sees a frame before its receiver does).
            ProbeKernelLocked();
            watch_after_packets = kWatchPollsAfterPackets;
            watch_wake.notify_one();
        }
        capture_status.dropped += capture->TakeDropped();
    }
}

void Session::Impl::NoteCaptureNames(SocketRecord& r) {
    if (!capture || !r.local || r.local->port == 0) return;
    const std::optional<detail::WireEndpoint> local = detail::ToWire(*r.local);
    if (!local) return;
    if (r.type == SockType::kDgram || r.api == ApiState::kBound || r.api == ApiState::kListening) {
        owned_endpoints.insert(*local);
    }
    if (r.type == SockType::kStream && r.remote && r.remote->port != 0) {
        if (const auto remote = detail::ToWire(*r.remote)) connections.insert({*local, *remote});
    }
}

bool Session::Impl::PacketIsOurs(const detail::ParsedPacket& parsed) {
    // An ICMP error is ours when the datagram it quotes is: its own addresses carry no port.
    const auto [src, dst] = detail::EndsOf(parsed);
    if (owned_endpoints.contains(src) || owned_endpoints.contains(dst)) return true;
    if (connections.contains({src, dst}) || connections.contains({dst, src})) return true;
    // connect() to an address no socket of ours holds (an outside listener, a closed port): its
    // SYN leaves from a port the kernel picked inside the call, which getsockname(2) tells.
    for (const auto& wp : workers) {
        Worker& w = *wp;
        if (!w.busy || !w.connect_target || w.call_fd < 0) continue;
        const bool to = dst == *w.connect_target;
        if (!to && src != *w.connect_target) continue;
        if (w.connect_local_port == 0) {
            sockaddr_storage ss{};
            socklen_t length = sizeof ss;
            // getsockname(2): EBADF, ENOTSOCK; 0.0.0.0:port after a refused connect (the port it
            // used).
            if (getsockname(w.call_fd, reinterpret_cast<sockaddr*>(&ss), &length) == 0) {
                w.connect_local_port = EndpointFromSockaddr(reinterpret_cast<sockaddr*>(&ss)).port;
            }
        }
        if (w.connect_local_port != 0 && (to ? src : dst).port == w.connect_local_port) {
            return true;
        }
    }
    return false;
}

int Session::Impl::CauseOf(const detail::ParsedPacket& parsed) const {
    const auto [src, dst] = detail::EndsOf(parsed);
    int best = -1;
    for (size_t i = 0; i < workers.size(); ++i) {
        const Worker& w = *workers[i];
        if (!w.busy || w.blocked) continue;
        if (best < 0 || w.enter_seq > workers[static_cast<size_t>(best)]->enter_seq) {
            best = static_cast<int>(i);
        }
    }
    if (best >= 0) return best;
    for (size_t i = 0; i < workers.size(); ++i) {
        const Worker& w = *workers[i];
        if (!w.busy || w.cause.socket_id < 0) continue;
        const SocketRecord* r = nullptr;
        for (const SocketRecord& s : sockets) {
            if (s.id == w.cause.socket_id) r = &s;
        }
        if (r == nullptr || !r->local) continue;
        const std::optional<detail::WireEndpoint> local = detail::ToWire(*r->local);
        const bool end = local && (*local == src || *local == dst);
        const bool connecting =
            w.connect_target && (*w.connect_target == src || *w.connect_target == dst);
        if (!end && !connecting) continue;
        if (best < 0 || w.enter_seq > workers[static_cast<size_t>(best)]->enter_seq) {
            best = static_cast<int>(i);
        }
    }
    return best;
}

int Session::Impl::DrainCaptureLocked() {
    if (!capture) return 0;
    int logged = 0;
    detail::CapturedFrame frame;
    for (int i = 0; i < kMaxFramesPerDrain && capture->Read(frame); ++i) {
        std::optional<detail::ParsedPacket> parsed =
            detail::ParsePacket(frame.bytes, frame.captured, frame.wire_length, frame.ethertype);
        if (!parsed || !PacketIsOurs(*parsed)) continue;
        relative_seq.Apply(parsed->packet, parsed->src, parsed->dst);
        parsed->packet.src = detail::FromWire(parsed->src);
        parsed->packet.dst = detail::FromWire(parsed->dst);
        if (parsed->packet.icmp) {
            parsed->packet.icmp->quoted_src = detail::FromWire(parsed->quoted_src);
            parsed->packet.icmp->quoted_dst = detail::FromWire(parsed->quoted_dst);
        }

        Event e;
        if (const int cause = CauseOf(*parsed); cause >= 0) {
            const Worker& w = *workers[static_cast<size_t>(cause)];
            e.actor = w.cause.actor;
            e.actor_name = w.cause.actor_name;
            e.step = w.cause.step;
            e.request = w.cause.request;
            e.socket_id = w.cause.socket_id;
            e.fd = w.cause.fd;
            e.cause_seq = w.enter_seq;
        }
        e.phase = Phase::kPacket;
        e.packet = std::move(parsed->packet);
        // The kernel's time of the frame on the log's clock, kept between the previous event
        // and now (a clock step by NTP must not reorder the log).
        const int64_t now = Now();
        int64_t t = now;
        if (frame.realtime_ns >= 0) {
            const int64_t steady_ns = frame.realtime_ns - realtime_minus_steady_ns;
            const int64_t start_ns =
                std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch())
                    .count();
            t = std::clamp((steady_ns - start_ns) / 1000, std::min(last_t_us, now), now);
        }
        e.t_us = t;
        e.sockets = last_snapshot;  // shares every view: a packet changes no socket by itself
        last_t_us = t;
        log.Append(std::move(e));
        ++logged;
    }
    return logged;
}

CaptureStatus Session::Capture() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->capture_status;
}

}  // namespace sockstep::core
