// IPv4/IPv6 and TCP/UDP header fields of a captured frame (RFC 791, RFC 8200, RFC 9293,
// RFC 768), the errors of ICMP and ICMPv6 (RFC 792, RFC 4443) with the datagram they quote, and
// Wireshark-style relative sequence numbers.
#include "capture_parse.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace sockstep::core::detail {
namespace {

constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr size_t kIcmpHeader = 8;
constexpr size_t kQuotedTransport = 8;  // RFC 792: the first 64 bits of the datagram's data
constexpr size_t kIpv4MinHeader = 20;
constexpr size_t kIpv6Header = 40;
constexpr size_t kTcpMinHeader = 20;
constexpr size_t kUdpHeader = 8;

uint16_t Read16(const uint8_t* p) {
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
uint32_t Read32(const uint8_t* p) {
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

// Whether an ICMP (v6: ICMPv6) type is an error, which quotes the datagram it is about:
// destination unreachable, source quench, time exceeded, parameter problem (ICMPv6: destination
// unreachable, packet too big, time exceeded, parameter problem). Echo and the rest are not.
bool IcmpIsError(bool v6, uint8_t type) {
    if (v6) return type >= 1 && type <= 4;
    return type == 3 || type == 4 || type == 11 || type == 12;
}

// The quoted IP header and first 8 transport bytes of an ICMP error (`q`, `available` bytes):
// the quoted datagram's ends and protocol into `out`; false when they are not all there or not
// a TCP/UDP datagram of the same IP version.
bool ParseQuoted(bool v6, const uint8_t* q, size_t available, ParsedPacket& out) {
    uint8_t protocol = 0;
    size_t header = 0;
    WireEndpoint src;
    WireEndpoint dst;
    if (!v6) {
        if (available < kIpv4MinHeader || (q[0] >> 4) != 4) return false;
        header = static_cast<size_t>(q[0] & 0x0f) * 4;
        if (header < kIpv4MinHeader) return false;
        if ((Read16(q + 6) & 0x1fff) != 0) return false;  // a later fragment: no ports in it
        protocol = q[9];
        src.family = 4;
        dst.family = 4;
        std::memcpy(src.address.data(), q + 12, 4);
        std::memcpy(dst.address.data(), q + 16, 4);
    } else {
        if (available < kIpv6Header || (q[0] >> 4) != 6) return false;
        header = kIpv6Header;
        protocol = q[6];  // a quoted extension header is not followed: no ports for it
        src.family = 6;
        dst.family = 6;
        std::memcpy(src.address.data(), q + 8, 16);
        std::memcpy(dst.address.data(), q + 24, 16);
    }
    if (protocol != kProtoTcp && protocol != kProtoUdp) return false;
    if (available < header + kQuotedTransport) return false;
    src.port = Read16(q + header);
    dst.port = Read16(q + header + 2);
    out.quoted_src = src;
    out.quoted_dst = dst;
    IcmpError icmp;
    icmp.quoted = protocol == kProtoTcp ? Transport::kTcp : Transport::kUdp;
    out.packet.icmp = icmp;
    return true;
}

// The transport header at `l4` (of `available` captured bytes); `l4_length` is the transport
// header plus payload as the IP header says.
std::optional<ParsedPacket> ParseTransport(uint8_t protocol, const uint8_t* l4, size_t available,
                                           size_t l4_length, ParsedPacket out) {
    if (protocol == kProtoTcp) {
        if (available < kTcpMinHeader) return std::nullopt;
        const size_t header = static_cast<size_t>(l4[12] >> 4) * 4;
        if (header < kTcpMinHeader || header > l4_length) return std::nullopt;
        out.src.port = Read16(l4);
        out.dst.port = Read16(l4 + 2);
        out.packet.transport = Transport::kTcp;
        out.packet.seq = Read32(l4 + 4);
        out.packet.ack = Read32(l4 + 8);
        out.packet.flags = l4[13];
        out.packet.window = Read16(l4 + 14);
        out.packet.length = static_cast<uint32_t>(l4_length - header);
        return out;
    }
    if (protocol == kProtoUdp) {
        if (available < kUdpHeader || l4_length < kUdpHeader) return std::nullopt;
        out.src.port = Read16(l4);
        out.dst.port = Read16(l4 + 2);
        out.packet.transport = Transport::kUdp;
        out.packet.length = static_cast<uint32_t>(l4_length - kUdpHeader);
        return out;
    }
    if (protocol == (out.src.family == 6 ? kProtoIcmpv6 : kProtoIcmp)) {
        const bool v6 = out.src.family == 6;
        if (available < kIcmpHeader || l4_length < kIcmpHeader) return std::nullopt;
        if (!IcmpIsError(v6, l4[0])) return std::nullopt;
        const size_t quoted = std::min(available, l4_length) - kIcmpHeader;
        if (!ParseQuoted(v6, l4 + kIcmpHeader, quoted, out)) return std::nullopt;
        out.packet.transport = Transport::kIcmp;
        out.packet.icmp->type = l4[0];
        out.packet.icmp->code = l4[1];
        out.packet.length = static_cast<uint32_t>(l4_length - kIcmpHeader);
        return out;
    }
    return std::nullopt;
}

std::optional<ParsedPacket> ParseIpv4(const uint8_t* p, size_t captured, size_t wire_length) {
    if (captured < kIpv4MinHeader || (p[0] >> 4) != 4) return std::nullopt;
    const size_t header = static_cast<size_t>(p[0] & 0x0f) * 4;
    if (header < kIpv4MinHeader || captured < header) return std::nullopt;
    if ((Read16(p + 6) & 0x1fff) != 0) return std::nullopt;  // a later fragment: no L4 header
    size_t total = Read16(p + 2);
    if (total == 0) total = wire_length;  // GSO packet over 64 KiB: the length field is 0
    if (total < header) return std::nullopt;
    ParsedPacket out;
    out.src.family = 4;
    out.dst.family = 4;
    std::memcpy(out.src.address.data(), p + 12, 4);
    std::memcpy(out.dst.address.data(), p + 16, 4);
    return ParseTransport(p[9], p + header, captured - header, total - header, out);
}

std::optional<ParsedPacket> ParseIpv6(const uint8_t* p, size_t captured, size_t wire_length) {
    if (captured < kIpv6Header || (p[0] >> 4) != 6) return std::nullopt;
    size_t payload = Read16(p + 4);
    if (payload == 0) payload = wire_length >= kIpv6Header ? wire_length - kIpv6Header : 0;
    ParsedPacket out;
    out.src.family = 6;
    out.dst.family = 6;
    std::memcpy(out.src.address.data(), p + 8, 16);
    std::memcpy(out.dst.address.data(), p + 24, 16);
    uint8_t next = p[6];
    size_t offset = kIpv6Header;
    // Extension headers (RFC 8200 section 4): hop-by-hop, routing, destination options,
    // fragment. Anything else ends the chain.
    for (int hops = 0; hops < 8; ++hops) {
        if (next != 0 && next != 43 && next != 60 && next != 44) break;
        if (captured < offset + 8) return std::nullopt;
        const size_t length = next == 44 ? 8 : (static_cast<size_t>(p[offset + 1]) + 1) * 8;
        if (next == 44 && (Read16(p + offset + 2) & 0xfff8) != 0) return std::nullopt;
        next = p[offset];
        offset += length;
    }
    if (captured < offset || payload + kIpv6Header < offset) return std::nullopt;
    return ParseTransport(next, p + offset, captured - offset, payload + kIpv6Header - offset, out);
}

}  // namespace

std::pair<WireEndpoint, WireEndpoint> EndsOf(const ParsedPacket& parsed) {
    if (parsed.packet.transport == Transport::kIcmp) return {parsed.quoted_src, parsed.quoted_dst};
    return {parsed.src, parsed.dst};
}

size_t WireEndpointHash::operator()(const WireEndpoint& e) const {
    uint64_t a = 0;
    uint64_t b = 0;
    std::memcpy(&a, e.address.data(), 8);
    std::memcpy(&b, e.address.data() + 8, 8);
    return std::hash<uint64_t>()(a ^ (b * 0x9e3779b97f4a7c15ULL) ^
                                 (static_cast<uint64_t>(e.port) << 48) ^ e.family);
}

std::optional<WireEndpoint> ToWire(const Endpoint& endpoint) {
    WireEndpoint out;
    out.port = endpoint.port;
    in6_addr v6{};
    in_addr v4{};
    if (inet_pton(AF_INET, endpoint.host.c_str(), &v4) == 1) {
        out.family = 4;
        std::memcpy(out.address.data(), &v4, 4);
        return out;
    }
    if (inet_pton(AF_INET6, endpoint.host.c_str(), &v6) != 1) return std::nullopt;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        out.family = 4;
        std::memcpy(out.address.data(), &v6.s6_addr[12], 4);
        return out;
    }
    out.family = 6;
    std::memcpy(out.address.data(), &v6, 16);
    return out;
}

Endpoint FromWire(const WireEndpoint& e) {
    sockaddr_storage ss{};
    if (e.family == 6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, e.address.data(), 16);
        in6->sin6_port = htons(e.port);
    } else {
        auto* in = reinterpret_cast<sockaddr_in*>(&ss);
        in->sin_family = AF_INET;
        std::memcpy(&in->sin_addr, e.address.data(), 4);
        in->sin_port = htons(e.port);
    }
    return EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&ss));
}

std::optional<ParsedPacket> ParsePacket(const uint8_t* data, size_t captured, size_t wire_length,
                                        uint16_t ethertype) {
    if (data == nullptr) return std::nullopt;
    if (ethertype == ETH_P_IP) return ParseIpv4(data, captured, wire_length);
    if (ethertype == ETH_P_IPV6) return ParseIpv6(data, captured, wire_length);
    return std::nullopt;
}

void RelativeSeq::Apply(Packet& packet, const WireEndpoint& src, const WireEndpoint& dst) {
    if (packet.transport != Transport::kTcp) return;
    const auto forward = std::make_pair(src, dst);
    const auto backward = std::make_pair(dst, src);
    const bool syn = (packet.flags & kTcpSyn) != 0;
    const bool ack = (packet.flags & kTcpAck) != 0;
    if (syn && !ack) {
        // A new connection (perhaps on the ports of an old one): both directions start again.
        m_base[forward] = packet.seq;
        m_base.erase(backward);
    } else if (syn) {
        m_base[forward] = packet.seq;  // SYN-ACK: the answering side's first number
    } else {
        // A direction first seen without its SYN (an RST answering a SYN, a capture started
        // mid-connection): Wireshark counts from seq-1, so that segment is 1, as after a SYN.
        m_base.try_emplace(forward, packet.seq - 1);
    }
    packet.rel_seq = packet.seq - m_base[forward];
    if (!ack) {
        packet.rel_ack = 0;
        return;
    }
    // The other side's first number is not known when its SYN was not seen: as Wireshark does,
    // what is acknowledged here counts as 1 (base ack-1), and that side's own packets agree.
    auto [it, inserted] = m_base.try_emplace(backward, packet.ack - 1);
    (void)inserted;
    packet.rel_ack = packet.ack - it->second;
}

}  // namespace sockstep::core::detail
