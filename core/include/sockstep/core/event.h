// One entry of the event log: a call entering, blocking, returning or being interrupted, with
// the kernel's view of every socket of the session right after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/address.h"
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
    kPacket,       // a TCP segment, UDP datagram or ICMP error captured on lo (CAP_NET_RAW)
    kKernel,       // the kernel changed a socket with no call running (an ACK, a FIN, a timer):
                   // `sockets` is the new view, `socket_id` the first socket that changed
};
// "enter", "blocked", "return", "interrupted", "refused", "packet", "kernel"
std::string_view PhaseName(Phase phase);
std::optional<Phase> ParsePhase(std::string_view name);

// What /proc/self/task/<tid>/{syscall,wchan} said while the call slept.
struct BlockEvidence {
    long syscall_nr = -1;
    std::string syscall;  // "accept", "connect", "recvfrom", …
    long fd_arg = -1;     // the first syscall argument: the descriptor
    std::string wchan;    // the kernel function the thread sleeps in, e.g. "inet_csk_accept"
};

// kIcmp: an ICMP error (IPv4) or ICMPv6 error (IPv6; the addresses tell which) about a TCP
// segment or UDP datagram of the session, e.g. "port unreachable" for a datagram sent to a port
// no socket holds.
enum class Transport : uint8_t { kTcp, kUdp, kIcmp };

// An ICMP/ICMPv6 error message (RFC 792, RFC 4443) as captured: its type and code, and the
// datagram it is about, read from the IP header and the first 8 transport bytes it quotes.
struct IcmpError {
    uint8_t type = 0;                    // ICMP 3 / ICMPv6 1: destination unreachable, …
    uint8_t code = 0;                    // ICMP 3 / ICMPv6 4: port unreachable, …
    Transport quoted = Transport::kUdp;  // kTcp or kUdp
    Endpoint quoted_src;                 // the datagram's sender: a socket of the session
    Endpoint quoted_dst;                 // where it was sent, e.g. the closed port
};

// TCP header flag bits, as on the wire (RFC 9293).
inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpRst = 0x04;
inline constexpr uint8_t kTcpPsh = 0x08;
inline constexpr uint8_t kTcpAck = 0x10;
inline constexpr uint8_t kTcpUrg = 0x20;

// One segment or datagram as it was captured on the loopback interface. Nothing here is
// inferred: every field was read from the captured headers.
struct Packet {
    Transport transport = Transport::kTcp;
    Endpoint src;
    Endpoint dst;
    uint8_t flags = 0;  // TCP only: kTcpSyn | kTcpAck, …
    uint32_t seq = 0;   // TCP: raw sequence and acknowledgement numbers
    uint32_t ack = 0;
    uint32_t rel_seq = 0;  // as Wireshark shows them: relative to the SYN from `src`, or to
    uint32_t rel_ack = 0;  // the first seq-1 without one; rel_ack counts from `dst`'s base
    uint32_t window = 0;   // TCP: the window field as sent (not scaled)
    uint32_t length = 0;   // payload bytes (TCP data, UDP datagram; ICMP: the quoted bytes)
    // kIcmp only. `src` and `dst` are then the ICMP packet's own addresses, with port 0: the
    // kernel of the host that could not deliver (`quoted_dst`'s) sends it to `quoted_src`.
    std::optional<IcmpError> icmp;
};

// "SYN, ACK" (or with `separator` "|": "SYN|ACK"), in the order of the bits on the wire, as
// Wireshark spells them; "" for none.
std::string TcpFlagsText(uint8_t flags, std::string_view separator = ", ");
// The inverse for "|"-joined names: nullopt for an unknown, repeated or empty name.
std::optional<uint8_t> ParseTcpFlags(std::string_view text);
// One line as tcpdump-like tools print it: "[SYN, ACK] seq=0 ack=1 win=65483 len=0" (relative
// numbers; ack only with the ACK flag), "UDP len=4",
// "ICMP port unreachable (type 3 code 3) about 127.0.0.1:5000/udp".
std::string PacketSummary(const Packet& packet);
// "ICMP" or "ICMPv6", the name of an error's type and code as RFC 792 and RFC 4443 name them
// ("error" for a pair this table does not name), and the numbers: "ICMPv6 port unreachable
// (type 1 code 4)".
std::string IcmpErrorName(const Packet& packet);
// "127.0.0.1:5000/udp": where the datagram an ICMP error is about was sent.
std::string IcmpAbout(const IcmpError& icmp);

// The largest actor index and step index an event may carry. A session never comes near them
// (a lesson has at most 400 steps and 8 actors; free mode adds one actor per "New client"
// click); a saved log is refused beyond them (trace_json.cpp), so that nothing sized or
// counted by these numbers (one pane per actor, "Step N of M") can grow without bound.
inline constexpr int kMaxEventActor = 255;
inline constexpr int kMaxEventStep = 9999;
// The largest time an event may carry (2^50 µs, about 35 years): a saved log's times are
// subtracted from each other, which must not overflow.
inline constexpr int64_t kMaxEventMicros = int64_t{1} << 50;

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
    bool mismatch = false;    // kReturn: the kernel did something other than predicted (never
                              // for a prediction that `depends` on what the table cannot know)
    std::optional<BlockEvidence> blocked;  // kBlocked
    int result_socket_id = -1;             // socket()/accept(): the id of the new socket
    std::string data;                      // recv/read/recvfrom: the bytes received
    std::optional<Endpoint> peer;          // accept/recvfrom: who it came from
    std::string message;                   // kRefused: why; otherwise empty
    // kPacket: the captured packet. `actor`, `actor_name`, `step`, `request` and `socket_id`
    // are those of the call that caused it (`cause_seq`: the seq of that call's Enter event):
    // the call in flight when the packet was captured, most recently entered first; a call that
    // sleeps in the kernel (Blocked) only for packets to or from its own socket (the SYN its
    // connect() resends, the handshake that wakes its accept()). A packet sent by the kernel on
    // its own (a delayed ACK, a timer) while no such call is in flight has cause_seq = -1 and
    // actor = -1; it follows the event it came after. `sockets` is the previous event's.
    std::optional<Packet> packet;
    int64_t cause_seq = -1;
    Snapshot sockets;  // every socket of the session right after this event
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
