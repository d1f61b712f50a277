// The API state transition table: what a program has done with a descriptor, and what Linux
// answers to each call in each state. Measured on Linux 6.x loopback; where Linux is lenient
// (listen() without bind() autobinds; listen() twice just changes the backlog) so is the table.
#include "sockstep/core/api_state.h"

#include <array>
#include <cerrno>

namespace sockstep::core {
namespace {

using S = ApiState;
using C = CallKind;
using T = TypeMatch;
// "Any open state": every state but None and Closed.
constexpr ApiState kOpen = ApiState::kCount;

constexpr std::array<std::string_view, static_cast<size_t>(ApiState::kCount)> kNames{
    "None",
    "Created",
    "Bound",
    "Listening",
    "Connecting",
    "Connected",
    "Shut down (write)",
    "Shut down (read)",
    "Shut down (both)",
    "Closed"};

// What the API state cannot know, named as the condition for the row's usual outcome.
constexpr std::string_view kAddressFree = "the address being free";
constexpr std::string_view kListener = "a listener at that address";
constexpr std::string_view kPeerReset = "the peer not having reset the connection";
constexpr std::string_view kIcmpQueued = "no ICMP error from the peer being queued";

// clang-format off
constexpr Transition kTable[] = {
    // type      from            call            result          to              blocks why / depends
    {T::kAny,    S::kNone,       C::kSocket,     0,              S::kCreated,    false, "a new descriptor", {}},

    // Calls that work on any open socket.
    {T::kAny,    kOpen,          C::kSetsockopt, 0,              kOpen,          false, "", {}},
    {T::kAny,    kOpen,          C::kFcntl,      0,              kOpen,          false, "", {}},
    {T::kAny,    kOpen,          C::kGetsockname, 0,             kOpen,          false, "", {}},
    {T::kAny,    kOpen,          C::kPoll,       0,              kOpen,          true,  "", {}},
    {T::kAny,    kOpen,          C::kClose,      0,              S::kClosed,     false, "the descriptor is released", {}},

    // TCP: a fresh socket.
    {T::kStream, S::kCreated,    C::kBind,       0,              S::kBound,      false, "", kAddressFree},
    {T::kStream, S::kCreated,    C::kListen,     0,              S::kListening,  false, "listen() without bind() picks an ephemeral port", {}},
    {T::kStream, S::kCreated,    C::kConnect,    0,              S::kConnected,  true,  "the kernel picks a local port", kListener},
    {T::kStream, S::kCreated,    C::kAccept,     EINVAL,         S::kCreated,    false, "this socket is not listening", {}},
    {T::kStream, S::kCreated,    C::kSend,       EPIPE,          S::kCreated,    false, "this socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kWrite,      EPIPE,          S::kCreated,    false, "this socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kSendto,     EPIPE,          S::kCreated,    false, "TCP ignores the address: the socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kRecv,       ENOTCONN,       S::kCreated,    false, "this socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kRead,       ENOTCONN,       S::kCreated,    false, "this socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kRecvfrom,   ENOTCONN,       S::kCreated,    false, "this socket is not connected", {}},
    {T::kStream, S::kCreated,    C::kShutdown,   ENOTCONN,       S::kCreated,    false, "there is no connection to shut down", {}},
    {T::kStream, S::kCreated,    C::kGetpeername, ENOTCONN,      S::kCreated,    false, "there is no peer", {}},

    // TCP: bound to an address, not yet listening or connected.
    {T::kStream, S::kBound,      C::kBind,       EINVAL,         S::kBound,      false, "the socket is already bound", {}},
    {T::kStream, S::kBound,      C::kListen,     0,              S::kListening,  false, "", {}},
    {T::kStream, S::kBound,      C::kConnect,    0,              S::kConnected,  true,  "", kListener},
    {T::kStream, S::kBound,      C::kAccept,     EINVAL,         S::kBound,      false, "this socket is not listening", {}},
    {T::kStream, S::kBound,      C::kSend,       EPIPE,          S::kBound,      false, "this socket is not connected", {}},
    {T::kStream, S::kBound,      C::kWrite,      EPIPE,          S::kBound,      false, "this socket is not connected", {}},
    {T::kStream, S::kBound,      C::kRecv,       ENOTCONN,       S::kBound,      false, "this socket is not connected", {}},
    {T::kStream, S::kBound,      C::kRead,       ENOTCONN,       S::kBound,      false, "this socket is not connected", {}},
    {T::kStream, S::kBound,      C::kShutdown,   ENOTCONN,       S::kBound,      false, "there is no connection to shut down", {}},
    {T::kStream, S::kBound,      C::kGetpeername, ENOTCONN,      S::kBound,      false, "there is no peer", {}},

    // TCP: listening. accept() returns a NEW descriptor; the listener stays Listening.
    {T::kStream, S::kListening,  C::kBind,       EINVAL,         S::kListening,  false, "the socket is already bound", {}},
    {T::kStream, S::kListening,  C::kListen,     0,              S::kListening,  false, "listen() again only changes the backlog", {}},
    {T::kStream, S::kListening,  C::kAccept,     0,              S::kListening,  true,  "waits until a connection is in the accept queue", {}},
    {T::kStream, S::kListening,  C::kConnect,    EISCONN,        S::kListening,  false, "a listening socket cannot connect", {}},
    {T::kStream, S::kListening,  C::kSend,       EPIPE,          S::kListening,  false, "a listening socket carries no data", {}},
    {T::kStream, S::kListening,  C::kWrite,      EPIPE,          S::kListening,  false, "a listening socket carries no data", {}},
    {T::kStream, S::kListening,  C::kRecv,       ENOTCONN,       S::kListening,  false, "a listening socket carries no data", {}},
    {T::kStream, S::kListening,  C::kRead,       ENOTCONN,       S::kListening,  false, "a listening socket carries no data", {}},
    {T::kStream, S::kListening,  C::kShutdown,   0,              S::kListening,  false, "SHUT_WR leaves a listener listening (SHUT_RD stops it)", {}},
    {T::kStream, S::kListening,  C::kGetpeername, ENOTCONN,      S::kListening,  false, "a listener has no peer", {}},

    // TCP: a non-blocking connect() in progress.
    {T::kStream, S::kConnecting, C::kConnect,    EALREADY,       S::kConnecting, false, "the handshake is still in progress", {}},
    {T::kStream, S::kConnecting, C::kAccept,     EINVAL,         S::kConnecting, false, "this socket is not listening", {}},
    {T::kStream, S::kConnecting, C::kListen,     EINVAL,         S::kConnecting, false, "a connecting socket cannot listen", {}},
    {T::kStream, S::kConnecting, C::kBind,       EINVAL,         S::kConnecting, false, "the socket is already bound", {}},

    // TCP: connected (by connect() or returned by accept()).
    {T::kStream, S::kConnected,  C::kSend,       0,              S::kConnected,  true,  "waits only when the send buffer is full", kPeerReset},
    {T::kStream, S::kConnected,  C::kWrite,      0,              S::kConnected,  true,  "waits only when the send buffer is full", kPeerReset},
    {T::kStream, S::kConnected,  C::kSendto,     0,              S::kConnected,  true,  "TCP ignores the address", kPeerReset},
    {T::kStream, S::kConnected,  C::kRecv,       0,              S::kConnected,  true,  "waits until bytes arrive or the peer closes", kPeerReset},
    {T::kStream, S::kConnected,  C::kRead,       0,              S::kConnected,  true,  "waits until bytes arrive or the peer closes", kPeerReset},
    {T::kStream, S::kConnected,  C::kRecvfrom,   0,              S::kConnected,  true,  "waits until bytes arrive or the peer closes", kPeerReset},
    {T::kStream, S::kConnected,  C::kShutdown,   0,              S::kShutWr,     false, "", kPeerReset},
    {T::kStream, S::kConnected,  C::kGetpeername, 0,             S::kConnected,  false, "", kPeerReset},
    {T::kStream, S::kConnected,  C::kConnect,    EISCONN,        S::kConnected,  false, "the socket is already connected", {}},
    {T::kStream, S::kConnected,  C::kListen,     EINVAL,         S::kConnected,  false, "a connected socket cannot listen", {}},
    {T::kStream, S::kConnected,  C::kAccept,     EINVAL,         S::kConnected,  false, "this socket is not listening", {}},
    {T::kStream, S::kConnected,  C::kBind,       EINVAL,         S::kConnected,  false, "the socket is already bound", {}},

    // TCP: half or fully shut down.
    {T::kStream, S::kShutWr,     C::kSend,       EPIPE,          S::kShutWr,     false, "this side already sent its FIN", {}},
    {T::kStream, S::kShutWr,     C::kWrite,      EPIPE,          S::kShutWr,     false, "this side already sent its FIN", {}},
    {T::kStream, S::kShutWr,     C::kRecv,       0,              S::kShutWr,     true,  "the other direction still works", kPeerReset},
    {T::kStream, S::kShutWr,     C::kRead,       0,              S::kShutWr,     true,  "the other direction still works", kPeerReset},
    {T::kStream, S::kShutWr,     C::kShutdown,   0,              S::kShutWr,     false, "", kPeerReset},
    {T::kStream, S::kShutWr,     C::kGetpeername, 0,             S::kShutWr,     false, "", kPeerReset},
    {T::kStream, S::kShutRd,     C::kSend,       0,              S::kShutRd,     true,  "", kPeerReset},
    {T::kStream, S::kShutRd,     C::kWrite,      0,              S::kShutRd,     true,  "", kPeerReset},
    {T::kStream, S::kShutRd,     C::kRecv,       0,              S::kShutRd,     false, "reading after SHUT_RD returns 0 at once", kPeerReset},
    {T::kStream, S::kShutRd,     C::kShutdown,   0,              S::kShutRdWr,   false, "", kPeerReset},
    {T::kStream, S::kShutRdWr,   C::kSend,       EPIPE,          S::kShutRdWr,   false, "this side already sent its FIN", {}},
    {T::kStream, S::kShutRdWr,   C::kRecv,       0,              S::kShutRdWr,   false, "reading after SHUT_RD returns 0 at once", kPeerReset},
    {T::kStream, S::kShutRdWr,   C::kShutdown,   0,              S::kShutRdWr,   false, "", kPeerReset},

    // UDP: no connection, no listen, no accept.
    {T::kDgram,  S::kCreated,    C::kBind,       0,              S::kBound,      false, "", kAddressFree},
    {T::kDgram,  S::kCreated,    C::kConnect,    0,              S::kConnected,  false, "UDP connect() only records the peer: no packet is sent", {}},
    {T::kDgram,  S::kCreated,    C::kSendto,     0,              S::kBound,      false, "the kernel picks a local port", {}},
    {T::kDgram,  S::kCreated,    C::kRecvfrom,   0,              S::kCreated,    true,  "waits for a datagram", {}},
    {T::kDgram,  S::kCreated,    C::kSend,       EDESTADDRREQ,   S::kBound,      false, "no peer: use sendto() or connect() first", {}},
    {T::kDgram,  S::kCreated,    C::kListen,     EOPNOTSUPP,     S::kCreated,    false, "UDP has no connections to listen for", {}},
    {T::kDgram,  S::kCreated,    C::kAccept,     EOPNOTSUPP,     S::kCreated,    false, "UDP has no connections to accept", {}},
    {T::kDgram,  S::kCreated,    C::kShutdown,   ENOTCONN,       S::kCreated,    false, "the socket is not connected", {}},
    {T::kDgram,  S::kCreated,    C::kGetpeername, ENOTCONN,      S::kCreated,    false, "there is no peer", {}},
    {T::kDgram,  S::kBound,      C::kBind,       EINVAL,         S::kBound,      false, "the socket is already bound", {}},
    {T::kDgram,  S::kBound,      C::kConnect,    0,              S::kConnected,  false, "UDP connect() only records the peer: no packet is sent", {}},
    {T::kDgram,  S::kBound,      C::kSendto,     0,              S::kBound,      false, "", {}},
    {T::kDgram,  S::kBound,      C::kRecvfrom,   0,              S::kBound,      true,  "waits for a datagram", {}},
    {T::kDgram,  S::kBound,      C::kRecv,       0,              S::kBound,      true,  "waits for a datagram", {}},
    {T::kDgram,  S::kBound,      C::kSend,       EDESTADDRREQ,   S::kBound,      false, "no peer: use sendto() or connect() first", {}},
    {T::kDgram,  S::kBound,      C::kListen,     EOPNOTSUPP,     S::kBound,      false, "UDP has no connections to listen for", {}},
    {T::kDgram,  S::kBound,      C::kAccept,     EOPNOTSUPP,     S::kBound,      false, "UDP has no connections to accept", {}},
    {T::kDgram,  S::kBound,      C::kGetpeername, ENOTCONN,      S::kBound,      false, "there is no peer", {}},
    {T::kDgram,  S::kConnected,  C::kSend,       0,              S::kConnected,  false, "", kIcmpQueued},
    {T::kDgram,  S::kConnected,  C::kWrite,      0,              S::kConnected,  false, "", kIcmpQueued},
    {T::kDgram,  S::kConnected,  C::kSendto,     0,              S::kConnected,  false, "", kIcmpQueued},
    {T::kDgram,  S::kConnected,  C::kRecv,       0,              S::kConnected,  true,  "waits for a datagram from the peer", kIcmpQueued},
    {T::kDgram,  S::kConnected,  C::kRecvfrom,   0,              S::kConnected,  true,  "waits for a datagram from the peer", kIcmpQueued},
    {T::kDgram,  S::kConnected,  C::kConnect,    0,              S::kConnected,  false, "connect() again changes the peer", {}},
    {T::kDgram,  S::kConnected,  C::kGetpeername, 0,             S::kConnected,  false, "", {}},
    {T::kDgram,  S::kConnected,  C::kShutdown,   0,              S::kShutWr,     false, "", {}},
    {T::kDgram,  S::kConnected,  C::kListen,     EOPNOTSUPP,     S::kConnected,  false, "UDP has no connections to listen for", {}},
};
// clang-format on

bool TypeMatches(TypeMatch match, SockType type) {
    return match == T::kAny || (match == T::kStream) == (type == SockType::kStream);
}

bool IsOpen(ApiState s) {
    return s != S::kNone && s != S::kClosed;
}

const Transition* FindRow(ApiState state, SockType type, CallKind call) {
    // Rows for a specific state come before the "any open state" rows.
    const Transition* any = nullptr;
    for (const Transition& row : kTable) {
        if (row.call != call || !TypeMatches(row.type, type)) continue;
        if (row.from == state) return &row;
        if (row.from == kOpen && IsOpen(state) && any == nullptr) any = &row;
    }
    return any;
}

}  // namespace

std::string_view ApiStateName(ApiState state) {
    return state == ApiState::kCount ? "(any)" : kNames[static_cast<size_t>(state)];
}

std::optional<ApiState> ParseApiState(std::string_view name) {
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) return static_cast<ApiState>(i);
    }
    return std::nullopt;
}

std::span<const Transition> TransitionTable() {
    return kTable;
}

Prediction Predict(ApiState state, SockType type, CallKind call) {
    Prediction p;
    if (state == S::kClosed && call != C::kSocket) {
        p.known = true;
        p.result = EBADF;
        p.next = S::kClosed;
        p.why = "the descriptor was closed";
        return p;
    }
    const Transition* row = FindRow(state, type, call);
    if (row == nullptr) {
        p.next = state;
        return p;
    }
    p.known = true;
    p.result = row->result;
    p.next = row->to == kOpen ? state : row->to;
    p.may_block = row->blocks;
    p.why = row->why;
    p.depends = row->depends;
    return p;
}

ApiState NextApiState(ApiState state, SockType type, CallKind call, int result) {
    if (call == C::kClose) return S::kClosed;  // close() releases the descriptor even on EINTR
    if (call == C::kSocket) return result == 0 ? S::kCreated : S::kNone;
    if (result == EINPROGRESS && call == C::kConnect) return S::kConnecting;
    if (result != 0) {
        // An error that still changes the socket (UDP send() autobinds before EDESTADDRREQ).
        const Transition* row = FindRow(state, type, call);
        return row != nullptr && row->result == result && row->to != kOpen ? row->to : state;
    }
    if (state == S::kConnecting && call != C::kClose) {
        // The kernel finished the handshake; a later call that succeeds proves it.
        if (call == C::kConnect || call == C::kSend || call == C::kWrite ||
            call == C::kGetpeername) {
            return S::kConnected;
        }
    }
    const Transition* row = FindRow(state, type, call);
    if (row == nullptr || row->result != 0) return state;
    return row->to == kOpen ? state : row->to;
}

ApiState AfterShutdown(ApiState state, ShutHow how) {
    const bool rd = how != ShutHow::kWr || state == S::kShutRd || state == S::kShutRdWr;
    const bool wr = how != ShutHow::kRd || state == S::kShutWr || state == S::kShutRdWr;
    // SHUT_RD stops a listener (its queue is dropped; it keeps its address and may listen
    // again); SHUT_WR alone leaves it listening.
    if (state == S::kListening) return how == ShutHow::kWr ? S::kListening : S::kBound;
    if (state != S::kConnected && state != S::kShutWr && state != S::kShutRd &&
        state != S::kShutRdWr) {
        return state;  // an unconnected socket keeps its state
    }
    if (rd && wr) return S::kShutRdWr;
    return rd ? S::kShutRd : S::kShutWr;
}

}  // namespace sockstep::core
