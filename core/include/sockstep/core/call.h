// The socket calls sockstep can make, and their arguments, as plain data.
// A CallRequest names sockets by the script's names ("listener", "conn"); the Session maps names
// to descriptors when the call runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockstep::core {

enum class CallKind : uint8_t {
    kSocket,
    kSetsockopt,
    kFcntl,
    kBind,
    kListen,
    kAccept,
    kConnect,
    kSend,
    kWrite,
    kRecv,
    kRead,
    kSendto,
    kRecvfrom,
    kShutdown,
    kClose,
    kGetsockname,
    kGetpeername,
    kPoll,
    kCount  // keep last
};

enum class Family : uint8_t { kInet, kInet6 };
enum class SockType : uint8_t { kStream, kDgram };
enum class SockOpt : uint8_t {
    kReuseAddr,
    kReusePort,
    kLinger,
    kTcpNodelay,
    kTcpSyncnt,
    kRcvBuf,
    kSndBuf,
    kCount
};
enum class ShutHow : uint8_t { kRd, kWr, kRdWr };

// Spelled as in C: "socket", "setsockopt", …; "AF_INET", "SOCK_STREAM", "SO_REUSEADDR",
// "SHUT_WR". Parse* return nullopt for anything else.
std::string_view CallName(CallKind call);
std::optional<CallKind> ParseCallName(std::string_view name);
std::string_view FamilyName(Family family);
std::optional<Family> ParseFamily(std::string_view name);
std::string_view SockTypeName(SockType type);
std::optional<SockType> ParseSockType(std::string_view name);
std::string_view SockOptName(SockOpt option);
std::optional<SockOpt> ParseSockOpt(std::string_view name);
std::string_view ShutHowName(ShutHow how);
std::optional<ShutHow> ParseShutHow(std::string_view name);

// Does this call create a new socket (socket, accept)? Does it act on an existing one?
bool CreatesSocket(CallKind call);
bool NeedsSocket(CallKind call);

// Where a connect/sendto goes, or what bind binds: a literal loopback address, or the current
// local address of another socket of the session (`peer`, resolved when the call runs, so a
// client can connect to a server's ephemeral port).
struct Address {
    std::string host;  // "127.0.0.1", "::1", "localhost"; empty with `peer`
    uint16_t port = 0;
    std::string peer;  // name of a session socket
};

struct CallArgs {
    Family family = Family::kInet;          // socket
    SockType type = SockType::kStream;      // socket
    SockOpt option = SockOpt::kReuseAddr;   // setsockopt
    int value = 1;                          // setsockopt (SO_LINGER: l_onoff)
    int linger_seconds = 0;                 // setsockopt SO_LINGER: l_linger
    bool nonblocking = false;               // fcntl: O_NONBLOCK on or off
    Address address;                        // bind, connect, sendto
    int backlog = 5;                        // listen
    std::string data;                       // send, write, sendto
    int size = 1024;                        // recv, read, recvfrom: buffer size
    ShutHow how = ShutHow::kWr;             // shutdown
    std::vector<std::string> poll_sockets;  // poll: the sockets to watch (names)
    std::vector<std::string> poll_events;   // poll: "POLLIN", "POLLOUT" for every socket
    int timeout_ms = -1;                    // poll
};

struct CallRequest {
    CallKind call = CallKind::kSocket;
    std::string socket;  // the socket acted on (empty for socket())
    std::string result;  // name given to the new socket of socket()/accept()
    CallArgs args;
};

// `data` as a C string literal: "a\"b\n". Control bytes become three-digit octal escapes (a hex
// escape would swallow a following hex digit), and so do the bytes of C1 controls, of
// bidirectional overrides and of anything that is not UTF-8. With `max_bytes`, data longer than
// that many bytes ends in "...".
std::string QuoteC(std::string_view data, size_t max_bytes = std::string_view::npos);

// A C-like rendering of the call with names in place of descriptors, for logs and narration:
// `bind(listener, 127.0.0.1:0)`, `send(conn, "hello", 5)`.
std::string FormatCall(const CallRequest& request);

}  // namespace sockstep::core
