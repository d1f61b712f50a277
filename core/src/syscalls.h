// The real system calls, one wrapper per call, made exactly as a textbook program makes them:
// no hidden poll(), no hidden O_NONBLOCK, no SOCK_CLOEXEC. Internal to sockstep_core.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/call.h"

namespace sockstep::core::detail {

// Everything a call needs, resolved by the Session before the worker makes it.
struct PreparedCall {
    CallKind call = CallKind::kSocket;
    int fd = -1;
    CallArgs args;
    std::optional<ResolvedAddress> address;  // bind, connect, sendto
    std::vector<int> poll_fds;               // poll
};

struct CallOutcome {
    int64_t ret = -1;
    int err = 0;
    std::string data;              // bytes received; for poll, "name:POLLIN" per ready socket
    std::optional<Endpoint> peer;  // accept, recvfrom
    std::vector<short> revents;    // poll
};

// Makes the call on the calling thread and returns its result and errno.
CallOutcome Perform(const PreparedCall& call);

}  // namespace sockstep::core::detail
