// Capturing frames on lo with an AF_PACKET socket (packet(7)).
//
// Every frame on lo passes the packet taps twice: once as it is sent (PACKET_OUTGOING, delivered
// inside dev_queue_xmit of the sending context, so a packet a call sends is queued here before
// that call returns) and once as it is received (PACKET_HOST, from the receive softirq, which may
// run later on another CPU). A small classic BPF filter keeps only the outgoing copy, and only
// IPv4/IPv6, so the kernel queues each packet once and nothing else.
#include "capture_socket.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

namespace sockstep::core::detail {
namespace {

// 4 MiB of frames: each queued frame is charged its whole buffer (up to 64 KiB on lo) even though
// only the headers are read. SO_RCVBUFFORCE needs CAP_NET_ADMIN; with only CAP_NET_RAW the
// kernel caps SO_RCVBUF at net.core.rmem_max. Drops are counted (TakeDropped), never hidden.
constexpr int kReceiveBuffer = 4 << 20;

// ld pkttype; jeq OUTGOING else drop; ld protocol; jeq IP accept; jeq IPV6 accept; drop.
// The accept value is the snap length: the whole frame, so that MSG_TRUNC reports its length.
constexpr sock_filter kFilter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_PKTTYPE)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0, 4),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_PROTOCOL)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 1, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, 0x40000),
    BPF_STMT(BPF_RET | BPF_K, 0),
};

}  // namespace

std::optional<CaptureSocket> CaptureSocket::Open(int* error) {
    // socket(2) with protocol 0 receives nothing until bind(2) names one: the filter is in place
    // before the first frame can be queued. EPERM without CAP_NET_RAW.
    const int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        *error = errno;
        return std::nullopt;
    }
    auto fail = [&](int wake_fd) {
        *error = errno;
        close(fd);
        if (wake_fd >= 0) close(wake_fd);
        return std::nullopt;
    };
    sock_fprog program{};
    program.len = static_cast<unsigned short>(std::size(kFilter));
    program.filter = const_cast<sock_filter*>(kFilter);
    // setsockopt(2) SO_ATTACH_FILTER: EINVAL for a bad program, ENOMEM.
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0) {
        return fail(-1);
    }
    const int size = kReceiveBuffer;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
        // EPERM without CAP_NET_ADMIN: the capped buffer still works.
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    const int on = 1;
    // The kernel's receive time of each frame; only the log's clock is derived from it.
    (void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    // if_nametoindex(3): ENODEV when there is no lo (an empty network namespace still has one).
    const unsigned int lo = if_nametoindex("lo");
    if (lo == 0) return fail(-1);
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = static_cast<int>(lo);
    // bind(2) on a packet socket: ENODEV, ENETDOWN (lo is down).
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return fail(-1);
    // eventfd(2): EMFILE, ENFILE, ENOMEM.
    const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) return fail(-1);
    return CaptureSocket(fd, wake_fd);
}

CaptureSocket::CaptureSocket(CaptureSocket&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_wake_fd(std::exchange(other.m_wake_fd, -1)) {}

CaptureSocket::~CaptureSocket() {
    if (m_fd >= 0) close(m_fd);
    if (m_wake_fd >= 0) close(m_wake_fd);
}

bool CaptureSocket::Read(CapturedFrame& frame) {
    sockaddr_ll from{};
    iovec iov{frame.bytes, sizeof frame.bytes};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr message{};
    message.msg_name = &from;
    message.msg_namelen = sizeof from;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    // recvmsg(2), non-blocking: EAGAIN when nothing is queued; EINTR; ENOMEM. MSG_TRUNC makes it
    // return the frame's whole length although only the headers are copied.
    ssize_t n = -1;
    do {
        n = recvmsg(m_fd, &message, MSG_TRUNC | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    frame.wire_length = static_cast<size_t>(n);
    frame.captured = std::min(frame.wire_length, sizeof frame.bytes);
    frame.ethertype = ntohs(from.sll_protocol);
    frame.realtime_ns = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec ts{};
            std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
            frame.realtime_ns = static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
        }
    }
    return true;
}

bool CaptureSocket::Wait() {
    pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_wake_fd, POLLIN, 0}};
    for (;;) {
        // poll(2): EINTR (retried), ENOMEM.
        const int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (fds[1].revents != 0 || (fds[0].revents & POLLNVAL)) return false;
        if (fds[0].revents & POLLERR) {
            // A pending socket error (none is expected on a packet socket): reading SO_ERROR
            // clears it so that poll() does not report it again at once.
            int error = 0;
            socklen_t length = sizeof error;
            (void)getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        }
        return true;
    }
}

void CaptureSocket::Stop() {
    const uint64_t one = 1;
    // write(2) to an eventfd: EAGAIN only if the counter would overflow (it is then set anyway).
    (void)!write(m_wake_fd, &one, sizeof one);
}

uint64_t CaptureSocket::TakeDropped() {
    tpacket_stats stats{};
    socklen_t length = sizeof stats;
    // getsockopt(2) PACKET_STATISTICS: reading resets the kernel's counters.
    if (getsockopt(m_fd, SOL_PACKET, PACKET_STATISTICS, &stats, &length) != 0) return 0;
    return stats.tp_drops;
}

}  // namespace sockstep::core::detail
