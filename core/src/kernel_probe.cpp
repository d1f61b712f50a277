// The kernel's own view of sockets: ProbeFd asks about one of our descriptors (getsockopt,
// getsockname/getpeername, ioctl), DumpSockets asks NETLINK_SOCK_DIAG about every loopback
// TCP/UDP socket on the session's ports, including those no descriptor holds any more.
#include "sockstep/core/kernel_probe.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace sockstep::core {
namespace {

// getsockopt(2) for an int option: EBADF, ENOTSOCK, ENOPROTOOPT, EFAULT, EINVAL.
std::optional<int> GetIntOption(int fd, int level, int name) {
    int value = 0;
    socklen_t length = sizeof(value);
    if (getsockopt(fd, level, name, &value, &length) != 0) return std::nullopt;
    return value;
}

// ioctl(2) SIOCINQ/SIOCOUTQ (tcp(7), udp(7)): EINVAL on a TCP listener, EBADF, ENOTTY.
// -1 when the kernel refuses, so the UI shows "—" rather than an invented 0.
int QueueBytes(int fd, unsigned long request) {
    int bytes = 0;
    if (ioctl(fd, request, &bytes) != 0) return -1;
    return bytes;
}

// --- netlink helpers: the NLMSG_* macros use C casts, which -Wold-style-cast rejects. ---

constexpr size_t kNlAlign = 4;  // NLMSG_ALIGNTO
constexpr size_t AlignNl(size_t length) {
    return (length + kNlAlign - 1) & ~(kNlAlign - 1);
}
constexpr size_t kNlHeaderLength = AlignNl(sizeof(nlmsghdr));  // NLMSG_HDRLEN
// The kernel never builds a dump skb larger than 32 KiB (net/netlink/af_netlink.c caps
// max_recvmsg_len there), so one buffer of that size holds any single datagram.
constexpr size_t kRecvBufferBytes = 32768;
// Every TCPF_* bit: TIME-WAIT and NEW_SYN_RECV too, and since Linux 6.5 BOUND_INACTIVE (bit 13),
// which also lists bound sockets that neither listen nor connect (reported as CLOSE).
constexpr uint32_t kAllStates = ~0u;

// An inet_diag address (network order, 4 or 16 bytes) and port as a sockaddr, so that the
// same IsLoopback/EndpointFromSockaddr (address.cpp) judge it as judge every other address.
sockaddr_storage SockaddrFromDiag(uint8_t family, const uint32_t* address, uint16_t port_be) {
    sockaddr_storage storage{};
    if (family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, address, sizeof(in6->sin6_addr));
        in6->sin6_port = port_be;
    } else {
        auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
        in4->sin_family = AF_INET;
        std::memcpy(&in4->sin_addr, address, sizeof(in4->sin_addr));
        in4->sin_port = port_be;
    }
    return storage;
}

bool PortWanted(const std::set<uint16_t>& ports, uint16_t port) {
    // Port 0 means "no port" (unbound, or the remote side of a listener), never a match.
    return port != 0 && ports.contains(port);
}

// The filter program takes 40 bytes per port (two 20-byte tests), and its jump offsets and the
// attribute length are 16-bit: 512 ports (20 KiB) is far inside that. A session has a handful
// of ports; past this many DumpSockets filters in user space only.
constexpr size_t kMaxBytecodePorts = 512;

// An inet_diag filter program (sock_diag(7), INET_DIAG_REQ_BYTECODE) keeping the sockets whose
// source or destination port is one of `ports`, so that the kernel copies only those: every
// TIME-WAIT on the machine would otherwise cross into user space on every snapshot.
// The program is an OR of range tests `port <= x <= port`, laid out as ss(8) lays out OR:
//     test_0 JMP test_1 JMP … test_n-1
// A test is GE(port) LE(port), two ops each followed by an op whose `no` holds the port.
// Offsets are in bytes from the op. GE: yes 8 → LE, no 20 → next test. LE: yes 8 → the JMP,
// no 12 → next test. JMP always takes `no`, to the exact end: accept. After the last test,
// "next test" is 4 bytes past the end: reject. The kernel's audit (inet_diag_bc_audit)
// demands that every `no` target lie on the chain of `yes` jumps from the start, which this
// layout satisfies. GE/LE rather than S_EQ/D_EQ: they exist in every kernel with sock_diag.
std::vector<inet_diag_bc_op> PortFilterBytecode(const std::set<uint16_t>& ports) {
    std::vector<std::pair<unsigned char, uint16_t>> tests;  // (GE code, port)
    for (const uint16_t port : ports) {
        if (port == 0) continue;
        tests.emplace_back(INET_DIAG_BC_S_GE, port);
        tests.emplace_back(INET_DIAG_BC_D_GE, port);
    }
    constexpr unsigned char kOpBytes = sizeof(inet_diag_bc_op);
    constexpr unsigned char kTestBytes = 4 * kOpBytes;
    const size_t total_ops = tests.size() * 5 - 1;  // 4 per test, 1 jump between tests
    std::vector<inet_diag_bc_op> code;
    code.reserve(total_ops);
    for (size_t i = 0; i < tests.size(); ++i) {
        const auto [ge, port] = tests[i];
        const auto le = static_cast<unsigned char>(ge + 1);  // S_LE follows S_GE, D_LE D_GE
        code.push_back({ge, 2 * kOpBytes, kTestBytes + kOpBytes});
        code.push_back({INET_DIAG_BC_NOP, 0, port});
        code.push_back({le, 2 * kOpBytes, 2 * kOpBytes + kOpBytes});
        code.push_back({INET_DIAG_BC_NOP, 0, port});
        if (i + 1 < tests.size()) {
            const auto to_end = static_cast<unsigned short>((total_ops - code.size()) * kOpBytes);
            code.push_back({INET_DIAG_BC_JMP, kOpBytes, to_end});
        }
    }
    return code;
}

// One SOCK_DIAG_BY_FAMILY dump request: header, inet_diag_req_v2, then the filter (if any) as
// an INET_DIAG_REQ_BYTECODE attribute.
std::vector<unsigned char> BuildRequest(uint8_t family, uint8_t protocol, uint32_t sequence,
                                        const std::vector<inet_diag_bc_op>& bytecode) {
    inet_diag_req_v2 body{};
    body.sdiag_family = family;
    body.sdiag_protocol = protocol;
    body.idiag_states = kAllStates;
    const size_t code_bytes = bytecode.size() * sizeof(inet_diag_bc_op);
    const size_t attribute_bytes = bytecode.empty() ? 0 : sizeof(nlattr) + code_bytes;

    const size_t total = kNlHeaderLength + AlignNl(sizeof(body)) + attribute_bytes;
    nlmsghdr header{};
    header.nlmsg_len = static_cast<uint32_t>(total);
    header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    header.nlmsg_seq = sequence;

    // Header and body as one struct (both 4-byte aligned, so no padding: the NLMSG_ALIGN
    // layout), copied once; GCC's bounds checker misreads piecewise copies into the vector.
    struct {
        nlmsghdr header;
        inet_diag_req_v2 body;
    } fixed{header, body};
    static_assert(sizeof(fixed) == kNlHeaderLength + AlignNl(sizeof(inet_diag_req_v2)));
    std::vector<unsigned char> request(total);
    std::memcpy(request.data(), &fixed, sizeof(fixed));
    unsigned char* cursor = request.data() + sizeof(fixed);
    if (!bytecode.empty()) {
        nlattr attribute{};
        attribute.nla_len = static_cast<uint16_t>(attribute_bytes);
        attribute.nla_type = INET_DIAG_REQ_BYTECODE;
        std::memcpy(cursor, &attribute, sizeof(attribute));
        std::memcpy(cursor + sizeof(attribute), bytecode.data(), code_bytes);
    }
    return request;
}

// An inet_diag_msg as a DiagEntry; false when its local end is not loopback (other programs'
// sockets are none of ours).
bool EntryFromDiag(const inet_diag_msg& diag, uint8_t protocol, DiagEntry& entry) {
    const sockaddr_storage local =
        SockaddrFromDiag(diag.idiag_family, diag.id.idiag_src, diag.id.idiag_sport);
    // 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
    if (!IsLoopback(reinterpret_cast<const sockaddr*>(&local))) return false;
    const sockaddr_storage remote =
        SockaddrFromDiag(diag.idiag_family, diag.id.idiag_dst, diag.id.idiag_dport);
    entry.family = diag.idiag_family == AF_INET6 ? Family::kInet6 : Family::kInet;
    entry.type = protocol == IPPROTO_UDP ? SockType::kDgram : SockType::kStream;
    entry.local = EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&local));
    entry.remote = EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&remote));
    entry.state = TcpStateFromKernel(diag.idiag_state);
    entry.rqueue = static_cast<int>(diag.idiag_rqueue);
    entry.wqueue = static_cast<int>(diag.idiag_wqueue);
    // idiag_timer: 1 retransmit (FIN-WAIT-1 resending its FIN), 2 keepalive, 3 the
    // timewait timer (TIME-WAIT, and FIN-WAIT-2 after close(): with the default
    // tcp_fin_timeout Linux keeps that as a timewait socket too), 4 zero-window probe;
    // 0 none, and then idiag_expires means nothing.
    entry.timer_ms = diag.idiag_timer != 0 ? static_cast<int>(diag.idiag_expires) : -1;
    entry.retransmits = diag.idiag_retrans;
    entry.inode = diag.idiag_inode;
    return true;
}

// Sends one dump request and appends the matching replies to `out`. false when netlink
// failed: a send/recv error, a truncated datagram, NLMSG_ERROR, or a negative status in
// NLMSG_DONE.
bool DumpOne(int fd, uint8_t family, uint8_t protocol, uint32_t sequence,
             const std::set<uint16_t>& ports, const std::vector<inet_diag_bc_op>& bytecode,
             std::vector<uint32_t>& buffer, std::vector<DiagEntry>& out) {
    const std::vector<unsigned char> request = BuildRequest(family, protocol, sequence, bytecode);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;  // nl_pid 0: the kernel
    // sendto(2): EINTR, ENOBUFS, ENOMEM, ECONNREFUSED, EPERM …
    ssize_t sent = -1;
    do {
        sent = sendto(fd, request.data(), request.size(), 0,
                      reinterpret_cast<const sockaddr*>(&kernel), sizeof(kernel));
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(request.size())) return false;

    char* const data = reinterpret_cast<char*>(buffer.data());
    const size_t capacity = buffer.size() * sizeof(uint32_t);
    for (;;) {
        iovec vector{data, capacity};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        // recvmsg(2): EINTR (a worker may be signalled to wake it), ENOBUFS (the socket's
        // receive buffer overflowed: replies are lost), ENOMEM.
        ssize_t received = recvmsg(fd, &message, 0);
        if (received < 0 && errno == EINTR) continue;
        if (received <= 0 || (message.msg_flags & MSG_TRUNC) != 0) return false;

        size_t offset = 0;
        const auto total = static_cast<size_t>(received);
        while (offset + sizeof(nlmsghdr) <= total) {  // NLMSG_OK
            const auto* header = reinterpret_cast<const nlmsghdr*>(data + offset);
            if (header->nlmsg_len < sizeof(nlmsghdr) || offset + header->nlmsg_len > total) {
                return false;
            }
            const char* payload = data + offset + kNlHeaderLength;  // NLMSG_DATA
            const size_t payload_length = header->nlmsg_len - kNlHeaderLength;
            offset += AlignNl(header->nlmsg_len);         // NLMSG_NEXT
            if (header->nlmsg_seq != sequence) continue;  // not ours: a stale reply

            if (header->nlmsg_type == NLMSG_DONE) {
                // The dump's own return value; negative means it stopped early.
                int status = 0;
                if (payload_length >= sizeof(status)) std::memcpy(&status, payload, sizeof(status));
                return status >= 0;
            }
            if (header->nlmsg_type == NLMSG_ERROR) {
                // nlmsgerr.error: a negated errno, e.g. -ENOENT when the kernel has no
                // inet_diag handler for this protocol (udp_diag not built), -EINVAL when it
                // rejected the filter program.
                return false;
            }
            if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
                payload_length < sizeof(inet_diag_msg)) {
                continue;
            }
            const auto* diag = reinterpret_cast<const inet_diag_msg*>(payload);
            // Checked again even with the kernel filter: it is also the only filter when there
            // are too many ports for bytecode.
            if (!PortWanted(ports, ntohs(diag->id.idiag_sport)) &&
                !PortWanted(ports, ntohs(diag->id.idiag_dport))) {
                continue;
            }
            DiagEntry entry;
            if (!EntryFromDiag(*diag, protocol, entry)) continue;
            out.push_back(std::move(entry));
        }
    }
}

}  // namespace

void ProbeFdState(int fd, SockType type, FdInfo& info) {
    if (type == SockType::kStream) {
        tcp_info tcp{};
        socklen_t tcp_length = sizeof(tcp);
        // getsockopt(2) TCP_INFO (tcp(7)): EBADF, ENOTSOCK, ENOPROTOOPT, EFAULT.
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &tcp, &tcp_length) == 0) {
            info.tcp_state = TcpStateFromKernel(tcp.tcpi_state);
            info.retransmits = tcp.tcpi_retransmits;
            if (info.tcp_state == TcpState::kListen) {
                // On a listener the kernel reuses these two fields (tcp_get_info): unacked is
                // the accept-queue length, sacked the backlog given to listen().
                info.accept_queue = static_cast<int>(tcp.tcpi_unacked);
                info.backlog = static_cast<int>(tcp.tcpi_sacked);
            }
        }
        if (info.tcp_state != TcpState::kListen) {
            info.inq = QueueBytes(fd, SIOCINQ);
            info.outq = QueueBytes(fd, SIOCOUTQ);
        }
    } else {
        // UDP has no TCP_INFO, but the kernel does keep sk_state for it: connect() sets
        // TCP_ESTABLISHED and disconnect sets TCP_CLOSE (net/ipv4/datagram.c, udp.c), which is
        // exactly "getpeername succeeds" (info.remote). This is what ss(8) and sock_diag report
        // too.
        info.tcp_state = info.remote ? TcpState::kEstablished : TcpState::kClose;
        // For UDP, SIOCINQ is the size of the first queued datagram, not the sum (udp(7)).
        info.inq = QueueBytes(fd, SIOCINQ);
        info.outq = QueueBytes(fd, SIOCOUTQ);
    }
}

std::optional<FdInfo> ProbeFd(int fd) {
    // SO_DOMAIN first: it is the cheapest way to learn whether fd is a socket at all
    // (ENOTSOCK for a pipe or file, EBADF for a closed descriptor).
    const std::optional<int> domain = GetIntOption(fd, SOL_SOCKET, SO_DOMAIN);
    if (!domain || (*domain != AF_INET && *domain != AF_INET6)) return std::nullopt;
    const std::optional<int> type = GetIntOption(fd, SOL_SOCKET, SO_TYPE);
    if (!type || (*type != SOCK_STREAM && *type != SOCK_DGRAM)) return std::nullopt;

    FdInfo info;
    info.family = *domain == AF_INET6 ? Family::kInet6 : Family::kInet;
    info.type = *type == SOCK_DGRAM ? SockType::kDgram : SockType::kStream;

    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    // getsockname(2): EBADF, ENOTSOCK, EFAULT, EINVAL, ENOBUFS. An unbound socket succeeds
    // with port 0, which is why port 0 (not an error) means "no local address".
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0) {
        Endpoint local = EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&storage));
        if (local.port != 0) info.local = std::move(local);
    }
    storage = {};
    length = sizeof(storage);
    // getpeername(2): ENOTCONN when not connected; EBADF, ENOTSOCK, EFAULT, EINVAL, ENOBUFS.
    const bool connected = getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0;
    if (connected) info.remote = EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&storage));

    ProbeFdState(fd, info.type, info);

    // The sockfs inode (sock_diag's idiag_inode), from the /proc/self/fd link "socket:[N]"
    // rather than fstat(fd): an actor's worker may be inside connect() on this descriptor at
    // this moment, which the kernel allows but ThreadSanitizer reports as a race on the fd.
    // readlink(2): ENOENT (closed meanwhile), EACCES, ENOMEM; then the inode stays 0.
    char link[64];
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = readlink(path.c_str(), link, sizeof link - 1);
    if (n > 0) {
        link[n] = '\0';
        unsigned long long inode = 0;
        if (std::sscanf(link, "socket:[%llu]", &inode) == 1) info.inode = inode;
    }
    return info;
}

// socket(2) AF_NETLINK: EPROTONOSUPPORT, EMFILE, ENFILE, ENOBUFS, ENOMEM (then !ok()).
DiagSocket::DiagSocket() : m_fd(socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {}

DiagSocket::~DiagSocket() {
    if (m_fd >= 0) close(m_fd);  // close(2): the descriptor is released even on EINTR
}

uint32_t DiagSocket::TakeSequences(uint32_t count) {
    // Wrapping after 4 billion is harmless: only the numbers of one exchange must differ from
    // those of the few exchanges before it.
    if (m_next > UINT32_MAX - count) m_next = 1;
    const uint32_t first = m_next;
    m_next += count;
    return first;
}

std::optional<std::vector<std::optional<DiagEntry>>> LookupSockets(
    const std::vector<LookupKey>& keys, DiagSocket* socket) {
    std::vector<std::optional<DiagEntry>> results(keys.size());
    if (keys.empty()) return results;
    std::optional<DiagSocket> own;
    if (socket == nullptr || !socket->ok()) socket = &own.emplace();
    if (!socket->ok()) return std::nullopt;
    const int netlink = socket->fd();
    const uint32_t first = socket->TakeSequences(static_cast<uint32_t>(keys.size()));

    // One request per key, all in one datagram: netlink runs them one after the other. NLM_F_ACK
    // makes every request end in exactly one NLMSG_ERROR (0 after a found socket, -ENOENT when
    // there is none), so we know when all have been answered. Sequence number `first + i`
    // asks for keys[i].
    const size_t request_bytes = kNlHeaderLength + AlignNl(sizeof(inet_diag_req_v2));
    std::vector<unsigned char> batch(request_bytes * keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        const LookupKey& key = keys[i];
        inet_diag_req_v2 body{};
        body.sdiag_family = key.local.family == Family::kInet6 ? AF_INET6 : AF_INET;
        body.sdiag_protocol = IPPROTO_TCP;
        body.idiag_states = kAllStates;
        body.id.idiag_sport = htons(key.local.port);
        body.id.idiag_dport = htons(key.remote.port);
        const int af = body.sdiag_family;
        if (inet_pton(af, key.local.host.c_str(), body.id.idiag_src) != 1 ||
            inet_pton(af, key.remote.host.c_str(), body.id.idiag_dst) != 1) {
            continue;  // not an address of this family: no such socket; header left zeroed
        }
        body.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
        body.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
        nlmsghdr header{};
        header.nlmsg_len = static_cast<uint32_t>(request_bytes);
        header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        header.nlmsg_seq = first + static_cast<uint32_t>(i);
        unsigned char* cursor = batch.data() + i * request_bytes;
        std::memcpy(cursor, &header, sizeof(header));
        std::memcpy(cursor + kNlHeaderLength, &body, sizeof(body));
    }
    // Drop the keys that could not be encoded (a zeroed header), keeping the rest contiguous.
    std::vector<unsigned char> packed;
    size_t expected = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
        const unsigned char* cursor = batch.data() + i * request_bytes;
        if (reinterpret_cast<const nlmsghdr*>(cursor)->nlmsg_len == 0) continue;
        packed.insert(packed.end(), cursor, cursor + request_bytes);
        ++expected;
    }
    if (expected == 0) return results;

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = -1;
    do {
        // sendto(2): EINTR, ENOBUFS, ENOMEM.
        sent = sendto(netlink, packed.data(), packed.size(), 0,
                      reinterpret_cast<const sockaddr*>(&kernel), sizeof(kernel));
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(packed.size())) return std::nullopt;

    std::vector<uint32_t> buffer(kRecvBufferBytes / sizeof(uint32_t));
    char* const data = reinterpret_cast<char*>(buffer.data());
    size_t answered = 0;
    while (answered < expected) {
        iovec vector{data, buffer.size() * sizeof(uint32_t)};
        msghdr message{};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        // recvmsg(2): EINTR, ENOBUFS (replies lost: fail rather than guess), ENOMEM.
        const ssize_t received = recvmsg(netlink, &message, 0);
        if (received < 0 && errno == EINTR) continue;
        if (received <= 0 || (message.msg_flags & MSG_TRUNC) != 0) return std::nullopt;
        size_t offset = 0;
        const auto total = static_cast<size_t>(received);
        while (offset + sizeof(nlmsghdr) <= total) {
            const auto* header = reinterpret_cast<const nlmsghdr*>(data + offset);
            if (header->nlmsg_len < sizeof(nlmsghdr) || offset + header->nlmsg_len > total) {
                return std::nullopt;
            }
            const char* payload = data + offset + kNlHeaderLength;
            const size_t payload_length = header->nlmsg_len - kNlHeaderLength;
            offset += AlignNl(header->nlmsg_len);
            // Not of this exchange (a reply left over from one that failed): skipped.
            const size_t index = header->nlmsg_seq - first;
            if (index >= keys.size()) continue;
            if (header->nlmsg_type == NLMSG_ERROR) {
                ++answered;  // the end of this request: found (0) or ENOENT
                continue;
            }
            if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
                payload_length < sizeof(inet_diag_msg)) {
                continue;
            }
            const auto* diag = reinterpret_cast<const inet_diag_msg*>(payload);
            DiagEntry entry;
            if (!EntryFromDiag(*diag, IPPROTO_TCP, entry)) continue;
            // With no exact match the kernel answers with a listener on the local port (its
            // lookup falls back to listeners): that is not the connection asked for.
            const LookupKey& key = keys[index];
            if (entry.local == key.local && entry.remote == key.remote) {
                results[index] = std::move(entry);
            }
        }
    }
    return results;
}

std::optional<std::vector<DiagEntry>> DumpSockets(const std::set<uint16_t>& ports, bool tcp,
                                                  bool udp, DiagSocket* socket) {
    std::vector<DiagEntry> entries;
    const bool any_port =
        std::any_of(ports.begin(), ports.end(), [](uint16_t p) { return p != 0; });
    if (!any_port || (!tcp && !udp)) return entries;
    const std::vector<inet_diag_bc_op> bytecode = ports.size() <= kMaxBytecodePorts
                                                      ? PortFilterBytecode(ports)
                                                      : std::vector<inet_diag_bc_op>{};

    // netlink(7), sock_diag(7): no privilege is needed to read inet sockets.
    std::optional<DiagSocket> own;
    if (socket == nullptr || !socket->ok()) socket = &own.emplace();
    if (!socket->ok()) return std::nullopt;

    std::vector<uint32_t> buffer(kRecvBufferBytes / sizeof(uint32_t));
    uint32_t sequence = socket->TakeSequences(4) - 1;  // at most 2 families x 2 protocols
    for (const uint8_t family : {uint8_t{AF_INET}, uint8_t{AF_INET6}}) {
        for (const auto& [wanted, protocol] :
             {std::pair{tcp, uint8_t{IPPROTO_TCP}}, std::pair{udp, uint8_t{IPPROTO_UDP}}}) {
            if (!wanted) continue;
            if (!DumpOne(socket->fd(), family, protocol, ++sequence, ports, bytecode, buffer,
                         entries)) {
                return std::nullopt;
            }
        }
    }
    return entries;
}

}  // namespace sockstep::core
