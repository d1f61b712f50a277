// The kernel's view of every socket of a session at one moment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/api_state.h"
#include "sockstep/core/tcp_state.h"

namespace sockstep::core {

enum class Owner : uint8_t {
    kActor,     // a descriptor of one of the session's actors
    kKernel,    // no descriptor holds it: waiting in an accept queue, FIN-WAIT-2, TIME-WAIT
    kExternal,  // a peer outside the session (nc, curl, a browser) on loopback
};
std::string_view OwnerName(Owner owner);  // "actor", "kernel", "external"

struct SocketView {
    int id = -1;           // stable within a session: the same connection keeps its id
    std::string name;      // the script's name; empty for kernel/external sockets
    int fd = -1;           // -1 when no descriptor of the session holds it
    int actor = -1;        // owning actor index; -1 for kernel/external
    Owner owner = Owner::kActor;
    Family family = Family::kInet;
    SockType type = SockType::kStream;
    std::optional<Endpoint> local;
    std::optional<Endpoint> remote;
    ApiState api_state = ApiState::kCreated;
    std::optional<TcpState> tcp_state;  // from TCP_INFO or sock_diag; never guessed
    int accept_queue = -1;  // listeners: connections waiting for accept()
    int backlog = -1;       // listeners: the backlog the kernel uses
    int inq = -1;           // bytes received, not yet read (SIOCINQ)
    int outq = -1;          // bytes sent, not yet acknowledged (SIOCOUTQ)
    int timer_ms = -1;      // kernel timer (TIME-WAIT, retransmit, keepalive), when running
    int retransmits = -1;   // TCP_INFO tcpi_retransmits: e.g. SYNs resent while SYN-SENT
    uint64_t inode = 0;     // the socket's inode: how descriptors and sock_diag entries match
};

using Snapshot = std::vector<SocketView>;

const SocketView* FindSocket(const Snapshot& snapshot, int id);
const SocketView* FindSocketByName(const Snapshot& snapshot, std::string_view name);

}  // namespace sockstep::core
