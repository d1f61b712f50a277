// Reading the kernel's own view of sockets, without root:
//  - getsockopt(TCP_INFO) on an own descriptor: state; on a listener tcpi_unacked is the
//    accept-queue length and tcpi_sacked the backlog; tcpi_retransmits counts resent SYNs.
//  - ioctl SIOCINQ / SIOCOUTQ: bytes queued to read / not yet acknowledged (EINVAL on listeners).
//  - NETLINK_SOCK_DIAG (inet_diag_req_v2): every TCP/UDP socket of the machine, including those
//    no descriptor holds (accept-queue entries with inode 0, FIN-WAIT-2, TIME-WAIT with timer).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/tcp_state.h"

namespace sockstep::core {

struct FdInfo {
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    std::optional<Endpoint> local;   // getsockname; nullopt while unbound (port 0)
    std::optional<Endpoint> remote;  // getpeername; nullopt when not connected
    std::optional<TcpState> tcp_state;
    int accept_queue = -1;
    int backlog = -1;
    int inq = -1;
    int outq = -1;
    int retransmits = -1;
    uint64_t inode = 0;
};

// Everything the kernel says about one of our descriptors. nullopt if fd is not a socket.
std::optional<FdInfo> ProbeFd(int fd);

struct DiagEntry {
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    Endpoint local;
    Endpoint remote;
    std::optional<TcpState> state;
    int rqueue = 0;     // LISTEN: accept-queue length; else bytes to read
    int wqueue = 0;     // LISTEN: backlog; else bytes unacknowledged
    int timer_ms = -1;  // expiry of the running timer (idiag_timer != 0), else -1
    int retransmits = 0;
    uint64_t inode = 0;  // 0: no descriptor holds it
};

// Only what changes without a call: TCP state, queues, retransmissions (TCP_INFO, SIOCINQ,
// SIOCOUTQ). For descriptors whose family, type, addresses and inode are already known; three
// system calls instead of ProbeFd's eight. Leaves the other fields of `info` alone.
void ProbeFdState(int fd, SockType type, FdInfo& info);

// A NETLINK_SOCK_DIAG socket its owner (a Session) keeps open for all its lookups and dumps,
// one exchange at a time (not thread-safe). Opening one per snapshot cost a socket(2) and a
// close(2) each time (6–12 µs, several per call), and took a descriptor while another actor's
// call ran: at the RLIMIT_NOFILE limit that number was the one its accept() needed.
class DiagSocket {
  public:
    // socket(2) AF_NETLINK: EPROTONOSUPPORT without sock_diag, EMFILE, ENFILE, ENOBUFS, ENOMEM;
    // then !ok() and the functions below open a socket for each exchange, as before.
    DiagSocket();
    ~DiagSocket();
    DiagSocket(const DiagSocket&) = delete;
    DiagSocket& operator=(const DiagSocket&) = delete;

    bool ok() const { return m_fd >= 0; }
    int fd() const { return m_fd; }
    // The first of `count` sequence numbers no earlier exchange used: a reply left over from an
    // exchange that failed halfway carries an old number and is skipped.
    uint32_t TakeSequences(uint32_t count);

  private:
    int m_fd = -1;
    uint32_t m_next = 1;
};

// One TCP connection to look up exactly: the socket whose local end is `local` and remote end
// is `remote`.
struct LookupKey {
    Endpoint local;
    Endpoint remote;
};

// Exact sock_diag lookups, all sent in one netlink message: the kernel finds each socket by hash
// (~µs) instead of walking its whole connection table (~230 µs per family on this machine,
// whatever the filter). Result i answers keys[i]: nullopt when no such connection exists (the
// kernel's fallback to a listener on the same port does not count). nullopt when netlink failed.
// `socket`: the owner's open socket, or nullptr to open one for this exchange.
std::optional<std::vector<std::optional<DiagEntry>>> LookupSockets(
    const std::vector<LookupKey>& keys, DiagSocket* socket = nullptr);

// One sock_diag dump per family and protocol in `types` (TCP and/or UDP), keeping the sockets
// whose local or remote port is in `ports`. Loopback only. Empty when `ports` is empty.
// Returns nullopt when netlink itself failed (no NETLINK_SOCK_DIAG in this kernel).
std::optional<std::vector<DiagEntry>> DumpSockets(const std::set<uint16_t>& ports, bool tcp,
                                                  bool udp, DiagSocket* socket = nullptr);

}  // namespace sockstep::core
