// One entry of the event log: a call entering, blocking, returning or being interrupted, with
// the kernel's view of every socket of the session right after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/api_state.h"
#include "sockstep/core/call.h"
#include "sockstep/core/snapshot.h"

namespace sockstep::core {

enum class Phase : uint8_t {
    kEnter,        // the call is about to be made
    kBlocked,      // the kernel says the thread sleeps in the call (evidence attached)
    kReturn,       // the call returned (ret, errno)
    kInterrupted,  // Reset() or quitting woke the call with a signal (EINTR) or shutdown()
    kRefused,      // sockstep refused the call before making it (non-loopback address, unknown
                   // socket name): nothing reached the kernel
};
std::string_view PhaseName(Phase phase);  // "enter", "blocked", "return", "interrupted", "refused"
std::optional<Phase> ParsePhase(std::string_view name);

// What /proc/self/task/<tid>/{syscall,wchan} said while the call slept.
struct BlockEvidence {
    long syscall_nr = -1;
    std::string syscall;  // "accept", "connect", "recvfrom", …
    long fd_arg = -1;     // the first syscall argument: the descriptor
    std::string wchan;    // the kernel function the thread sleeps in, e.g. "inet_csk_accept"
};

struct Event {
    uint64_t seq = 0;
    int64_t t_us = 0;  // microseconds since the session started (steady clock)
    int actor = -1;
    std::string actor_name;
    int step = -1;  // index of the script step, -1 for a free-mode call
    CallRequest request;
    int socket_id = -1;  // the socket acted on (-1 for socket())
    int fd = -1;         // its descriptor when the call was made
    Phase phase = Phase::kEnter;
    int64_t ret = 0;          // return value (kReturn); for socket()/accept() the new fd
    int err = 0;              // errno, 0 when the call succeeded
    int64_t duration_us = 0;  // kReturn / kInterrupted: time spent in the call
    Prediction predicted;     // from the transition table, before the call
    bool mismatch = false;    // kReturn: the kernel did something other than predicted
    std::optional<BlockEvidence> blocked;  // kBlocked
    int result_socket_id = -1;  // socket()/accept(): the id of the new socket
    std::string data;           // recv/read/recvfrom: the bytes received
    std::optional<Endpoint> peer;  // accept/recvfrom: who it came from
    std::string message;        // kRefused: why; otherwise empty
    Snapshot sockets;           // every socket of the session right after this event
};

// "ECONNREFUSED"; "" for 0; "E<n>" for an errno this table does not name, so that a saved
// trace keeps the number (ParseErrnoName reads it back).
std::string ErrnoName(int err);
std::optional<int> ParseErrnoName(std::string_view name);
// Every errno name the table knows, for "did you mean" suggestions.
std::vector<std::string_view> KnownErrnoNames();
// strerror(3) text in English ("Connection refused").
std::string ErrnoMessage(int err);

}  // namespace sockstep::core
