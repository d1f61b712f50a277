// Reading the IPv4/IPv6 and TCP/UDP/ICMP headers of a frame captured on lo, and the relative
// sequence numbers Wireshark shows. Internal to sockstep_core.
//
// Why no libpcap: sockstep needs a dozen header fields of packets it already knows are on lo,
// which is a few dozen lines; libpcap would add a dependency and a BPF compiler whose port
// filter would have to be recompiled every time a socket gets a port.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "sockstep/core/event.h"

namespace sockstep::core::detail {

// An address and port as they are on the wire: compared and hashed without formatting text, so
// that the many packets of other programs on lo cost no string work.
struct WireEndpoint {
    uint8_t family = 4;                 // 4 or 6
    std::array<uint8_t, 16> address{};  // IPv4 in the first 4 bytes
    uint16_t port = 0;                  // host byte order

    bool operator==(const WireEndpoint&) const = default;
    auto operator<=>(const WireEndpoint&) const = default;
};

struct WireEndpointHash {
    size_t operator()(const WireEndpoint& e) const;
};

// For matching: an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it maps, as
// it travels on the wire. nullopt for a host that is not a numeric address.
std::optional<WireEndpoint> ToWire(const Endpoint& endpoint);
// "127.0.0.1" / "::1" exactly as EndpointFromSockaddr formats a socket's address.
Endpoint FromWire(const WireEndpoint& endpoint);

struct ParsedPacket {
    Packet packet;  // every field but src, dst and the relative numbers (and for ICMP the
                    // quoted endpoints)
    WireEndpoint src;
    WireEndpoint dst;
    // ICMP errors: the ends of the datagram quoted inside, as it was sent (src: its sender).
    WireEndpoint quoted_src;
    WireEndpoint quoted_dst;
};

// The two ends a packet is about, for telling whether it is the session's: its own, or for an
// ICMP error those of the datagram it quotes (the error's own addresses carry no port).
std::pair<WireEndpoint, WireEndpoint> EndsOf(const ParsedPacket& parsed);

// One frame from an AF_PACKET SOCK_DGRAM socket (network header first). `captured` bytes are
// at `data`; `wire_length` is the frame's full length (recvfrom with MSG_TRUNC), used when the
// IP length field is 0 (a segment larger than 64 KiB). `ethertype` is sll_protocol in host order
// (ETH_P_IP, ETH_P_IPV6). nullopt for anything that is not a whole TCP or UDP header or an
// ICMP/ICMPv6 error quoting one (an IP header and at least 8 bytes of TCP/UDP): other protocols,
// other ICMP messages (echo), later IP fragments, truncated or malformed headers.
std::optional<ParsedPacket> ParsePacket(const uint8_t* data, size_t captured, size_t wire_length,
                                        uint16_t ethertype);

// Relative sequence numbers per direction of a connection, as Wireshark computes them: a SYN's
// sequence number is 0 (a SYN starts a new connection, so it restarts both directions of that
// pair); a direction first seen without a SYN counts from its first seq-1 (so that segment is 1:
// an RST answering a SYN shows seq 1), and acknowledgements count from the other direction's
// base, or from ack-1 when nothing of that direction was seen before.
class RelativeSeq {
  public:
    void Apply(Packet& packet, const WireEndpoint& src, const WireEndpoint& dst);
    void Clear() { m_base.clear(); }

  private:
    std::map<std::pair<WireEndpoint, WireEndpoint>, uint32_t> m_base;
};

}  // namespace sockstep::core::detail
