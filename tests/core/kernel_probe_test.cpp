// ProbeFd and DumpSockets against the real kernel, on loopback only (127.0.0.1 and ::1), with
// ports chosen by the kernel (bind to port 0, read back with getsockname). Every test checks
// that it closed every descriptor it opened.
#include "sockstep/core/kernel_probe.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace sockstep::core {
namespace {

// Entries of /proc/self/fd, minus the one opendir itself holds.
int CountOpenFds() {
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    int count = 0;
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    return count - 1;
}

// Closes on scope exit, so a failed ASSERT does not leak a descriptor into the next test.
class Fd {
  public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { Close(); }
    int Get() const { return m_fd; }
    void Close() { Reset(-1); }
    void Reset(int fd) {
        if (m_fd >= 0) close(m_fd);
        m_fd = fd;
    }

  private:
    int m_fd;
};

struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
};

Address Loopback(int family, uint16_t port) {
    Address address;
    if (family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        in6->sin6_port = htons(port);
        address.length = sizeof(sockaddr_in6);
    } else {
        auto* in4 = reinterpret_cast<sockaddr_in*>(&address.storage);
        in4->sin_family = AF_INET;
        in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        in4->sin_port = htons(port);
        address.length = sizeof(sockaddr_in);
    }
    return address;
}

uint16_t LocalPort(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return 0;
    if (storage.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
    }
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
}

uint64_t Inode(int fd) {
    struct stat status {};
    if (fstat(fd, &status) != 0) return 0;
    return status.st_ino;
}

int BindLoopback(int family, int type) {
    const int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const Address address = Loopback(family, 0);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int ListenLoopback(int family, int backlog) {
    const int fd = BindLoopback(family, SOCK_STREAM);
    if (fd >= 0 && listen(fd, backlog) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int ConnectLoopback(int family, int type, uint16_t port) {
    const int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const Address address = Loopback(family, port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Other sockets may rightly share one of our ports: a TIME-WAIT left by an earlier test (or by
// another program on loopback) whose ephemeral port the kernel has since handed to our
// bind(port 0). So the tests look entries up by their exact (local, remote) port pair and check
// the filter itself, and never count everything a dump returned.
//
// The entry whose local and remote ports are exactly these.
const DiagEntry* Find(const std::vector<DiagEntry>& entries, uint16_t local, uint16_t remote) {
    for (const DiagEntry& entry : entries) {
        if (entry.local.port == local && entry.remote.port == remote) return &entry;
    }
    return nullptr;
}

// Every entry has a local or remote port in `ports`: the filter let nothing else through.
bool AllTouch(const std::vector<DiagEntry>& entries, const std::set<uint16_t>& ports) {
    for (const DiagEntry& entry : entries) {
        if (!ports.contains(entry.local.port) && !ports.contains(entry.remote.port)) return false;
    }
    return true;
}

// Entries between these two ports, in either direction (and listeners on either).
int CountBetween(const std::vector<DiagEntry>& entries, uint16_t a, uint16_t b) {
    int count = 0;
    for (const DiagEntry& entry : entries) {
        const bool local = entry.local.port == a || entry.local.port == b;
        const bool remote =
            entry.remote.port == a || entry.remote.port == b || entry.remote.port == 0;
        if (local && remote) ++count;
    }
    return count;
}

// Polls sock_diag until the connection local→remote is in `state`, for about one second.
std::optional<DiagEntry> WaitForState(uint16_t local, uint16_t remote, TcpState state) {
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto entries = DumpSockets({local, remote}, true, false);
        if (!entries) return std::nullopt;
        const DiagEntry* entry = Find(*entries, local, remote);
        if (entry != nullptr && entry->state == state) return *entry;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::nullopt;
}

// uname(2) release "6.1.0-18-amd64" → (6, 1).
bool KernelAtLeast(int major, int minor) {
    utsname name{};
    if (uname(&name) != 0) return false;
    int running_major = 0;
    int running_minor = 0;
    if (std::sscanf(name.release, "%d.%d", &running_major, &running_minor) != 2) return false;
    return running_major > major || (running_major == major && running_minor >= minor);
}

class KernelProbe : public ::testing::Test {
  protected:
    void SetUp() override { m_fds_before = CountOpenFds(); }
    void TearDown() override { EXPECT_EQ(CountOpenFds(), m_fds_before) << "descriptor leaked"; }

  private:
    int m_fds_before = 0;
};

TEST_F(KernelProbe, FreshSocketIsCloseWithNoAddresses) {
    Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(fd.Get(), 0);
    const auto info = ProbeFd(fd.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->family, Family::kInet);
    EXPECT_EQ(info->type, SockType::kStream);
    EXPECT_EQ(info->tcp_state, TcpState::kClose);
    EXPECT_FALSE(info->local.has_value());
    EXPECT_FALSE(info->remote.has_value());
    EXPECT_EQ(info->accept_queue, -1);
    EXPECT_EQ(info->backlog, -1);
    EXPECT_EQ(info->inq, 0);
    EXPECT_EQ(info->outq, 0);
    EXPECT_EQ(info->retransmits, 0);
    EXPECT_EQ(info->inode, Inode(fd.Get()));
    EXPECT_NE(info->inode, 0u);
}

TEST_F(KernelProbe, BoundSocketIsStillCloseWithLocalAddress) {
    Fd fd(BindLoopback(AF_INET, SOCK_STREAM));
    ASSERT_GE(fd.Get(), 0);
    const auto info = ProbeFd(fd.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->tcp_state, TcpState::kClose);
    ASSERT_TRUE(info->local.has_value());
    EXPECT_EQ(*info->local, (Endpoint{Family::kInet, "127.0.0.1", LocalPort(fd.Get())}));
    EXPECT_FALSE(info->remote.has_value());
}

// Linux 6.5 added TCP_BOUND_INACTIVE to sock_diag: a bound socket that neither listens nor
// connects is dumped from the bind hash (reported as CLOSE) when that state bit is asked for,
// which ~0u does. Older kernels do not list it at all.
TEST_F(KernelProbe, BoundTcpSocketIsDumpedAsCloseSinceLinux65) {
    Fd fd(BindLoopback(AF_INET, SOCK_STREAM));
    ASSERT_GE(fd.Get(), 0);
    const uint16_t port = LocalPort(fd.Get());
    const auto entries = DumpSockets({port}, true, false);
    ASSERT_TRUE(entries.has_value());
    const DiagEntry* entry = Find(*entries, port, 0);
    if (!KernelAtLeast(6, 5)) {
        EXPECT_EQ(entry, nullptr);
        return;
    }
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->state, TcpState::kClose);
    EXPECT_EQ(entry->inode, Inode(fd.Get()));
    EXPECT_EQ(entry->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
}

TEST_F(KernelProbe, NotASocketGivesNullopt) {
    int ends[2] = {-1, -1};
    ASSERT_EQ(pipe2(ends, O_CLOEXEC), 0);
    Fd read_end(ends[0]);
    Fd write_end(ends[1]);
    EXPECT_FALSE(ProbeFd(read_end.Get()).has_value());
    EXPECT_FALSE(ProbeFd(write_end.Get()).has_value());
    EXPECT_FALSE(ProbeFd(-1).has_value());  // EBADF
    // An AF_UNIX socket is a socket, but not one FdInfo can describe.
    Fd unix_socket(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(unix_socket.Get(), 0);
    EXPECT_FALSE(ProbeFd(unix_socket.Get()).has_value());
}

TEST_F(KernelProbe, ListenerAcceptQueueAndFdlessEntries) {
    Fd listener(ListenLoopback(AF_INET, 4));
    ASSERT_GE(listener.Get(), 0);
    const uint16_t port = LocalPort(listener.Get());
    ASSERT_NE(port, 0);

    auto info = ProbeFd(listener.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->tcp_state, TcpState::kListen);
    EXPECT_EQ(info->backlog, 4);
    EXPECT_EQ(info->accept_queue, 0);
    EXPECT_EQ(info->inq, -1);  // SIOCINQ is EINVAL on a listener: not asked
    EXPECT_EQ(info->outq, -1);
    EXPECT_EQ(*info->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
    EXPECT_FALSE(info->remote.has_value());

    // The handshake completes inside connect(): the connection waits in the accept queue.
    Fd client(ConnectLoopback(AF_INET, SOCK_STREAM, port));
    ASSERT_GE(client.Get(), 0);
    const uint16_t client_port = LocalPort(client.Get());
    info = ProbeFd(listener.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->accept_queue, 1);
    EXPECT_EQ(info->backlog, 4);

    auto entries = DumpSockets({port}, true, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {port}));
    EXPECT_EQ(CountBetween(*entries, port, client_port), 3);  // listener, queued, client
    const DiagEntry* listen_entry = Find(*entries, port, 0);
    ASSERT_NE(listen_entry, nullptr);
    EXPECT_EQ(listen_entry->state, TcpState::kListen);
    EXPECT_EQ(listen_entry->rqueue, 1);
    EXPECT_EQ(listen_entry->wqueue, 4);
    EXPECT_EQ(listen_entry->inode, Inode(listener.Get()));
    EXPECT_EQ(listen_entry->remote, (Endpoint{Family::kInet, "0.0.0.0", 0}));

    const DiagEntry* queued = Find(*entries, port, client_port);
    ASSERT_NE(queued, nullptr);
    EXPECT_EQ(queued->state, TcpState::kEstablished);
    EXPECT_EQ(queued->inode, 0u);  // no descriptor yet: accept() has not run
    EXPECT_EQ(queued->family, Family::kInet);
    EXPECT_EQ(queued->type, SockType::kStream);
    EXPECT_EQ(queued->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
    EXPECT_EQ(queued->remote, (Endpoint{Family::kInet, "127.0.0.1", client_port}));

    const DiagEntry* client_entry = Find(*entries, client_port, port);
    ASSERT_NE(client_entry, nullptr);
    EXPECT_EQ(client_entry->state, TcpState::kEstablished);
    EXPECT_EQ(client_entry->inode, Inode(client.Get()));
    EXPECT_EQ(client_entry->timer_ms, -1);

    Fd accepted(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.Get(), 0);
    info = ProbeFd(listener.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->accept_queue, 0);
    EXPECT_EQ(info->tcp_state, TcpState::kListen);

    // accept() gave the queued connection a descriptor; the kernel socket is the same one.
    entries = DumpSockets({port}, true, false);
    ASSERT_TRUE(entries.has_value());
    queued = Find(*entries, port, client_port);
    ASSERT_NE(queued, nullptr);
    EXPECT_EQ(queued->inode, Inode(accepted.Get()));
    const auto accepted_info = ProbeFd(accepted.Get());
    ASSERT_TRUE(accepted_info.has_value());
    EXPECT_EQ(accepted_info->tcp_state, TcpState::kEstablished);
    EXPECT_EQ(accepted_info->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
    EXPECT_EQ(accepted_info->remote, (Endpoint{Family::kInet, "127.0.0.1", client_port}));
}

TEST_F(KernelProbe, InqCountsBytesWaitingToBeRead) {
    Fd listener(ListenLoopback(AF_INET, 4));
    ASSERT_GE(listener.Get(), 0);
    Fd client(ConnectLoopback(AF_INET, SOCK_STREAM, LocalPort(listener.Get())));
    ASSERT_GE(client.Get(), 0);
    Fd accepted(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.Get(), 0);

    ASSERT_EQ(send(client.Get(), "hello", 5, MSG_NOSIGNAL), 5);
    // Loopback delivery is asynchronous in principle: wait for readability, a bounded number
    // of times, then ask the kernel.
    int inq = -1;
    for (int attempt = 0; attempt < 100 && inq != 5; ++attempt) {
        pollfd readable{accepted.Get(), POLLIN, 0};
        poll(&readable, 1, 10);
        const auto info = ProbeFd(accepted.Get());
        ASSERT_TRUE(info.has_value());
        inq = info->inq;
    }
    EXPECT_EQ(inq, 5);

    // Once the peer has acknowledged, nothing is left unacknowledged on the client.
    int outq = -1;
    for (int attempt = 0; attempt < 100 && outq != 0; ++attempt) {
        const auto info = ProbeFd(client.Get());
        ASSERT_TRUE(info.has_value());
        outq = info->outq;
        if (outq != 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(outq, 0);

    const auto entries = DumpSockets({LocalPort(listener.Get())}, true, false);
    ASSERT_TRUE(entries.has_value());
    const DiagEntry* server_side =
        Find(*entries, LocalPort(listener.Get()), LocalPort(client.Get()));
    ASSERT_NE(server_side, nullptr);
    EXPECT_EQ(server_side->rqueue, 5);
}

TEST_F(KernelProbe, ActiveCloseGoesThroughFinWait2ToTimeWait) {
    Fd listener(ListenLoopback(AF_INET, 4));
    ASSERT_GE(listener.Get(), 0);
    const uint16_t port = LocalPort(listener.Get());
    Fd client(ConnectLoopback(AF_INET, SOCK_STREAM, port));
    ASSERT_GE(client.Get(), 0);
    const uint16_t client_port = LocalPort(client.Get());
    Fd accepted(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.Get(), 0);

    // The client closes first: FIN-WAIT-1 until the peer's ACK, then FIN-WAIT-2, with no
    // descriptor left to ask, so only sock_diag can see it.
    client.Close();
    const auto fin_wait = WaitForState(client_port, port, TcpState::kFinWait2);
    ASSERT_TRUE(fin_wait.has_value()) << "client side never reached FIN-WAIT-2";
    EXPECT_EQ(fin_wait->inode, 0u);

    const auto server_info = ProbeFd(accepted.Get());
    ASSERT_TRUE(server_info.has_value());
    EXPECT_EQ(server_info->tcp_state, TcpState::kCloseWait);

    // The server closes too: the active closer waits in TIME-WAIT with its ~60 s timer.
    accepted.Close();
    const auto time_wait = WaitForState(client_port, port, TcpState::kTimeWait);
    ASSERT_TRUE(time_wait.has_value()) << "client side never reached TIME-WAIT";
    EXPECT_EQ(time_wait->inode, 0u);
    EXPECT_GE(time_wait->timer_ms, 1);
    EXPECT_LE(time_wait->timer_ms, 60000);
    EXPECT_EQ(time_wait->local, (Endpoint{Family::kInet, "127.0.0.1", client_port}));
    EXPECT_EQ(time_wait->remote, (Endpoint{Family::kInet, "127.0.0.1", port}));

    // The passive closer's LAST-ACK is over as soon as the ACK arrives: nothing is left of it.
    bool server_side_gone = false;
    for (int attempt = 0; attempt < 200 && !server_side_gone; ++attempt) {
        const auto entries = DumpSockets({port}, true, false);
        ASSERT_TRUE(entries.has_value());
        server_side_gone = Find(*entries, port, client_port) == nullptr;
        if (!server_side_gone) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(server_side_gone);
}

TEST_F(KernelProbe, Ipv6ListenerOnLoopback) {
    Fd listener(ListenLoopback(AF_INET6, 4));
    ASSERT_GE(listener.Get(), 0) << "no IPv6 on loopback";
    const uint16_t port = LocalPort(listener.Get());

    auto info = ProbeFd(listener.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->family, Family::kInet6);
    EXPECT_EQ(info->tcp_state, TcpState::kListen);
    EXPECT_EQ(info->backlog, 4);
    EXPECT_EQ(info->accept_queue, 0);
    EXPECT_EQ(info->local, (Endpoint{Family::kInet6, "::1", port}));

    Fd client(ConnectLoopback(AF_INET6, SOCK_STREAM, port));
    ASSERT_GE(client.Get(), 0);
    const uint16_t client_port = LocalPort(client.Get());
    info = ProbeFd(listener.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->accept_queue, 1);

    const auto entries = DumpSockets({port}, true, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {port}));
    EXPECT_EQ(CountBetween(*entries, port, client_port), 3);
    const DiagEntry* listen_entry = Find(*entries, port, 0);
    ASSERT_NE(listen_entry, nullptr);
    EXPECT_EQ(listen_entry->family, Family::kInet6);
    EXPECT_EQ(listen_entry->state, TcpState::kListen);
    EXPECT_EQ(listen_entry->rqueue, 1);
    EXPECT_EQ(listen_entry->wqueue, 4);
    EXPECT_EQ(listen_entry->local, (Endpoint{Family::kInet6, "::1", port}));
    EXPECT_EQ(listen_entry->inode, Inode(listener.Get()));
    const DiagEntry* queued = Find(*entries, port, client_port);
    ASSERT_NE(queued, nullptr);
    EXPECT_EQ(queued->inode, 0u);
    EXPECT_EQ(queued->remote, (Endpoint{Family::kInet6, "::1", client_port}));
    const DiagEntry* client_entry = Find(*entries, client_port, port);
    ASSERT_NE(client_entry, nullptr);
    EXPECT_EQ(client_entry->inode, Inode(client.Get()));
}

TEST_F(KernelProbe, UdpSocketSeenOnlyWhenUdpAsked) {
    Fd server(BindLoopback(AF_INET, SOCK_DGRAM));
    ASSERT_GE(server.Get(), 0);
    const uint16_t port = LocalPort(server.Get());

    auto info = ProbeFd(server.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->type, SockType::kDgram);
    EXPECT_EQ(info->tcp_state, TcpState::kClose);
    EXPECT_EQ(info->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
    EXPECT_FALSE(info->remote.has_value());
    EXPECT_EQ(info->inq, 0);
    EXPECT_EQ(info->accept_queue, -1);
    EXPECT_EQ(info->retransmits, -1);

    auto entries = DumpSockets({port}, false, true);
    ASSERT_TRUE(entries.has_value());
    const DiagEntry* server_entry = Find(*entries, port, 0);
    ASSERT_NE(server_entry, nullptr);
    EXPECT_EQ(server_entry->type, SockType::kDgram);
    EXPECT_EQ(server_entry->state, TcpState::kClose);
    EXPECT_EQ(server_entry->local, (Endpoint{Family::kInet, "127.0.0.1", port}));
    EXPECT_EQ(server_entry->inode, Inode(server.Get()));

    // TCP only: the UDP socket is not there (a TCP socket may share the port number).
    entries = DumpSockets({port}, true, false);
    ASSERT_TRUE(entries.has_value());
    for (const DiagEntry& entry : *entries) EXPECT_EQ(entry.type, SockType::kStream);

    // A connected UDP socket is ESTAB for the kernel, in ProbeFd and in sock_diag alike.
    Fd client(ConnectLoopback(AF_INET, SOCK_DGRAM, port));
    ASSERT_GE(client.Get(), 0);
    const uint16_t client_port = LocalPort(client.Get());
    info = ProbeFd(client.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->tcp_state, TcpState::kEstablished);
    EXPECT_EQ(info->remote, (Endpoint{Family::kInet, "127.0.0.1", port}));
    entries = DumpSockets({port}, false, true);
    ASSERT_TRUE(entries.has_value());
    const DiagEntry* client_entry = Find(*entries, client_port, port);
    ASSERT_NE(client_entry, nullptr);
    EXPECT_EQ(client_entry->state, TcpState::kEstablished);

    // SIOCINQ on UDP is the size of the first datagram waiting.
    ASSERT_EQ(send(client.Get(), "hello", 5, 0), 5);
    int inq = -1;
    for (int attempt = 0; attempt < 100 && inq != 5; ++attempt) {
        pollfd readable{server.Get(), POLLIN, 0};
        poll(&readable, 1, 10);
        info = ProbeFd(server.Get());
        ASSERT_TRUE(info.has_value());
        inq = info->inq;
    }
    EXPECT_EQ(inq, 5);
}

TEST_F(KernelProbe, PortsFilterKeepsOnlyThePortsAsked) {
    Fd first(ListenLoopback(AF_INET, 4));
    Fd second(ListenLoopback(AF_INET, 4));
    ASSERT_GE(first.Get(), 0);
    ASSERT_GE(second.Get(), 0);
    const uint16_t first_port = LocalPort(first.Get());
    const uint16_t second_port = LocalPort(second.Get());

    auto entries = DumpSockets({first_port}, true, true);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {first_port}));
    const DiagEntry* first_entry = Find(*entries, first_port, 0);
    ASSERT_NE(first_entry, nullptr);
    EXPECT_EQ(first_entry->inode, Inode(first.Get()));
    EXPECT_EQ(Find(*entries, second_port, 0), nullptr);

    entries = DumpSockets({first_port, second_port}, true, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {first_port, second_port}));
    EXPECT_NE(Find(*entries, first_port, 0), nullptr);
    const DiagEntry* second_entry = Find(*entries, second_port, 0);
    ASSERT_NE(second_entry, nullptr);
    EXPECT_EQ(second_entry->inode, Inode(second.Get()));

    entries = DumpSockets({}, true, true);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(entries->empty());
    entries = DumpSockets({first_port}, false, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(entries->empty());
}

TEST_F(KernelProbe, ClientPortMatchesAsSourceAndAsDestination) {
    Fd listener(ListenLoopback(AF_INET, 4));
    ASSERT_GE(listener.Get(), 0);
    const uint16_t port = LocalPort(listener.Get());
    Fd client(ConnectLoopback(AF_INET, SOCK_STREAM, port));
    ASSERT_GE(client.Get(), 0);
    const uint16_t client_port = LocalPort(client.Get());
    Fd accepted(accept4(listener.Get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_GE(accepted.Get(), 0);

    // Only the client's port: its own socket matches by source port, the server's accepted
    // socket by destination port, and the listener not at all.
    const auto entries = DumpSockets({client_port}, true, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {client_port}));
    const DiagEntry* client_entry = Find(*entries, client_port, port);
    ASSERT_NE(client_entry, nullptr);
    EXPECT_EQ(client_entry->inode, Inode(client.Get()));
    const DiagEntry* server_entry = Find(*entries, port, client_port);
    ASSERT_NE(server_entry, nullptr);
    EXPECT_EQ(server_entry->inode, Inode(accepted.Get()));
    EXPECT_EQ(Find(*entries, port, 0), nullptr);
}

TEST_F(KernelProbe, FilterKeepsFirstMiddleAndLastPortsOfFive) {
    constexpr int kListeners = 5;
    Fd listeners[kListeners];
    uint16_t ports[kListeners] = {};
    for (int i = 0; i < kListeners; ++i) {
        listeners[i].Reset(ListenLoopback(AF_INET, 4));
        ASSERT_GE(listeners[i].Get(), 0);
        ports[i] = LocalPort(listeners[i].Get());
    }
    const std::set<uint16_t> asked{ports[0], ports[2], ports[4]};
    const auto entries = DumpSockets(asked, true, true);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, asked));
    for (int i = 0; i < kListeners; ++i) {
        const DiagEntry* entry = Find(*entries, ports[i], 0);
        if (asked.contains(ports[i])) {
            ASSERT_NE(entry, nullptr) << "listener " << i;
            EXPECT_EQ(entry->inode, Inode(listeners[i].Get()));
        } else {
            EXPECT_EQ(entry, nullptr) << "listener " << i;
        }
    }
}

// 512 ports is the largest kernel filter program; past it DumpSockets filters in user space
// only. Both must give the same answer. The other port numbers are merely asked about.
TEST_F(KernelProbe, LargePortSetsFilterTheSame) {
    Fd wanted(ListenLoopback(AF_INET, 4));
    Fd unwanted(ListenLoopback(AF_INET, 4));
    ASSERT_GE(wanted.Get(), 0);
    ASSERT_GE(unwanted.Get(), 0);
    const uint16_t wanted_port = LocalPort(wanted.Get());
    const uint16_t unwanted_port = LocalPort(unwanted.Get());
    for (const size_t size : {size_t{512}, size_t{600}}) {
        std::set<uint16_t> asked{wanted_port};
        for (uint16_t port = 1; asked.size() < size; ++port) {
            if (port != unwanted_port) asked.insert(port);
        }
        const auto entries = DumpSockets(asked, true, true);
        ASSERT_TRUE(entries.has_value()) << size;
        EXPECT_TRUE(AllTouch(*entries, asked)) << size;
        const DiagEntry* entry = Find(*entries, wanted_port, 0);
        ASSERT_NE(entry, nullptr) << size;
        EXPECT_EQ(entry->inode, Inode(wanted.Get())) << size;
        EXPECT_EQ(Find(*entries, unwanted_port, 0), nullptr) << size;
    }
}

TEST_F(KernelProbe, PortZeroMatchesNothing) {
    Fd listener(ListenLoopback(AF_INET, 4));
    ASSERT_GE(listener.Get(), 0);
    // Port 0 is "no port": it must not match every listener's empty remote side.
    auto entries = DumpSockets({0}, true, true);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(entries->empty());
    entries = DumpSockets({0, LocalPort(listener.Get())}, true, false);
    ASSERT_TRUE(entries.has_value());
    EXPECT_TRUE(AllTouch(*entries, {LocalPort(listener.Get())}));
    EXPECT_NE(Find(*entries, LocalPort(listener.Get()), 0), nullptr);
}

TEST_F(KernelProbe, V4MappedLoopbackCountsAsLoopback) {
    // An AF_INET6 socket bound to ::ffff:127.0.0.1 is on 127.0.0.1; sock_diag lists it in the
    // AF_INET6 dump with the mapped address.
    Fd fd(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ASSERT_GE(fd.Get(), 0);
    sockaddr_in6 mapped{};
    mapped.sin6_family = AF_INET6;
    ASSERT_EQ(inet_pton(AF_INET6, "::ffff:127.0.0.1", &mapped.sin6_addr), 1);
    ASSERT_EQ(bind(fd.Get(), reinterpret_cast<const sockaddr*>(&mapped), sizeof(mapped)), 0);
    const uint16_t port = LocalPort(fd.Get());
    const auto entries = DumpSockets({port}, false, true);
    ASSERT_TRUE(entries.has_value());
    const DiagEntry* entry = Find(*entries, port, 0);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->family, Family::kInet6);
    EXPECT_EQ(entry->local, (Endpoint{Family::kInet6, "::ffff:127.0.0.1", port}));
    EXPECT_EQ(entry->inode, Inode(fd.Get()));
    const auto info = ProbeFd(fd.Get());
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->local, (Endpoint{Family::kInet6, "::ffff:127.0.0.1", port}));
}

}  // namespace
}  // namespace sockstep::core
