// API state: what the program has done with a descriptor, as opposed to the kernel's TCP state.
// The transition table is data (constexpr rows): it drives the prediction shown before a call,
// the narration, and the lifecycle diagram in each pane. It is never stricter than Linux: the
// kernel is the judge, and a call the table predicts to fail is still made when asked.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sockstep/core/call.h"

namespace sockstep::core {

enum class ApiState : uint8_t {
    kNone,        // no socket yet
    kCreated,     // socket() returned
    kBound,       // bind() succeeded
    kListening,   // listen() succeeded
    kConnecting,  // non-blocking connect() said EINPROGRESS
    kConnected,   // connect() succeeded, or returned by accept()
    kShutWr,      // shutdown(SHUT_WR): we sent FIN, can still read
    kShutRd,      // shutdown(SHUT_RD)
    kShutRdWr,    // shutdown(SHUT_RDWR)
    kClosed,      // close() done: the descriptor is gone
    kCount
};

std::string_view ApiStateName(ApiState state);  // "Created", "Bound", … "Shut down (write)"
std::optional<ApiState> ParseApiState(std::string_view name);

enum class TypeMatch : uint8_t { kAny, kStream, kDgram };

// One row: in `from`, `call` on a socket of `type` gives `result` (0 = success, else the errno
// Linux gives) and moves the socket to `to`. `blocks` marks calls that may wait in the kernel.
// `why` is a short English reason, used when the outcome is an error. `depends`, when not empty,
// names what the API state cannot know and the usual outcome needs ("a listener at that
// address", "the peer not having reset the connection"): without it the kernel answers with an
// error, which is then no surprise. Rows of shutdown() give the outcome of SHUT_WR (the
// default); AfterShutdown() gives the state for each `how`. tests/core/transition_table_test.cpp
// runs every row against the kernel.
struct Transition {
    TypeMatch type;
    ApiState from;
    CallKind call;
    int result;
    ApiState to;
    bool blocks;
    std::string_view why;
    std::string_view depends;
};

std::span<const Transition> TransitionTable();

struct Prediction {
    bool known = false;  // false: the table has no row; the kernel will tell
    int result = 0;      // 0 success, else errno
    ApiState next = ApiState::kNone;
    bool may_block = false;
    std::string why;      // a string, not a view: a loaded log carries its own reasons
    std::string depends;  // the row's `depends`: `result` holds only if this holds
};

Prediction Predict(ApiState state, SockType type, CallKind call);

// The API state after `call` returned `result` (0 or an errno) in `state`. Failed calls leave the
// state alone, except EINPROGRESS (Connecting) and the calls that always consume the descriptor
// (close). Applied to what really happened, not to the prediction.
ApiState NextApiState(ApiState state, SockType type, CallKind call, int result);

// shutdown() depends on `how`: SHUT_WR then SHUT_RD is both; SHUT_RD stops a listener (Bound).
ApiState AfterShutdown(ApiState state, ShutHow how);

}  // namespace sockstep::core
