// The header reader of packet capture on frames built byte by byte (IPv4/IPv6, TCP/UDP, options,
// extension headers, fragments, truncated and malformed headers, ICMP/ICMPv6 errors and the
// datagrams they quote), and Wireshark-style relative
// sequence numbers. The real frames of real calls are checked in capture_session_test.cpp.
#include <linux/if_ether.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

// Internal to sockstep_core: included by path, the test target has only the public headers.
#include "../../core/src/capture_parse.h"

namespace sockstep::core::detail {
namespace {

using Bytes = std::vector<uint8_t>;

void Put16(Bytes& b, size_t at, uint16_t v) {
    b[at] = static_cast<uint8_t>(v >> 8);
    b[at + 1] = static_cast<uint8_t>(v);
}
void Put32(Bytes& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

// An IPv4 header (20 bytes, 127.0.0.1 -> 127.0.0.2) followed by `l4`.
Bytes Ipv4(uint8_t protocol, const Bytes& l4, uint16_t fragment = 0) {
    Bytes b(20, 0);
    b[0] = 0x45;
    Put16(b, 2, static_cast<uint16_t>(20 + l4.size()));
    Put16(b, 6, fragment);
    b[8] = 64;
    b[9] = protocol;
    b[12] = 127;
    b[15] = 1;
    b[16] = 127;
    b[19] = 2;
    b.insert(b.end(), l4.begin(), l4.end());
    return b;
}

// A TCP header of `header` bytes (options zero) and `payload` bytes of data.
Bytes Tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
          uint16_t window, size_t header = 20, size_t payload = 0) {
    Bytes b(header + payload, 0);
    Put16(b, 0, sport);
    Put16(b, 2, dport);
    Put32(b, 4, seq);
    Put32(b, 8, ack);
    b[12] = static_cast<uint8_t>((header / 4) << 4);
    b[13] = flags;
    Put16(b, 14, window);
    return b;
}

Bytes Udp(uint16_t sport, uint16_t dport, size_t payload) {
    Bytes b(8 + payload, 'x');
    Put16(b, 0, sport);
    Put16(b, 2, dport);
    Put16(b, 4, static_cast<uint16_t>(8 + payload));
    Put16(b, 6, 0);
    return b;
}

// An IPv6 header (::1 -> ::1) with optional extension bytes before `l4`.
Bytes Ipv6(uint8_t next, const Bytes& extensions, const Bytes& l4) {
    Bytes b(40, 0);
    b[0] = 0x60;
    Put16(b, 4, static_cast<uint16_t>(extensions.size() + l4.size()));
    b[6] = next;
    b[7] = 64;
    b[23] = 1;
    b[39] = 1;
    b.insert(b.end(), extensions.begin(), extensions.end());
    b.insert(b.end(), l4.begin(), l4.end());
    return b;
}

std::optional<ParsedPacket> Parse(const Bytes& b, uint16_t ethertype = ETH_P_IP) {
    return ParsePacket(b.data(), b.size(), b.size(), ethertype);
}

TEST(CaptureParse, Ipv4TcpSynWithOptions) {
    const Bytes frame = Ipv4(6, Tcp(51000, 5000, 0xfffffff0u, 0, kTcpSyn, 65495, 40));
    const auto p = Parse(frame);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.transport, Transport::kTcp);
    EXPECT_EQ(FromWire(p->src), (Endpoint{Family::kInet, "127.0.0.1", 51000}));
    EXPECT_EQ(FromWire(p->dst), (Endpoint{Family::kInet, "127.0.0.2", 5000}));
    EXPECT_EQ(p->packet.flags, kTcpSyn);
    EXPECT_EQ(p->packet.seq, 0xfffffff0u);
    EXPECT_EQ(p->packet.window, 65495u);
    EXPECT_EQ(p->packet.length, 0u) << "40 bytes of TCP header with options, no data";
}

TEST(CaptureParse, DataLengthComesFromTheIpHeaderNotWhatWasCopied) {
    const Bytes frame = Ipv4(6, Tcp(1, 2, 100, 200, kTcpAck | kTcpPsh, 512, 32, 1000));
    // Only the first 60 bytes were copied, as with a large segment.
    const auto p = ParsePacket(frame.data(), 60, frame.size(), ETH_P_IP);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.length, 1000u);
    EXPECT_EQ(p->packet.flags, kTcpAck | kTcpPsh);
}

TEST(CaptureParse, Ipv4LengthZeroUsesTheFrameLength) {
    Bytes frame = Ipv4(6, Tcp(1, 2, 0, 0, kTcpAck, 1, 20, 100));
    Put16(frame, 2, 0);  // a GSO frame over 64 KiB says 0
    const auto p = Parse(frame);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.length, 100u);
}

TEST(CaptureParse, UdpDatagramLength) {
    const auto p = Parse(Ipv4(17, Udp(40000, 40001, 4)));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.transport, Transport::kUdp);
    EXPECT_EQ(p->src.port, 40000);
    EXPECT_EQ(p->dst.port, 40001);
    EXPECT_EQ(p->packet.length, 4u);
}

TEST(CaptureParse, Ipv6TcpAndUdpThroughExtensionHeaders) {
    const auto tcp = Parse(Ipv6(6, {}, Tcp(7, 8, 1, 2, kTcpSyn | kTcpAck, 100)), ETH_P_IPV6);
    ASSERT_TRUE(tcp);
    EXPECT_EQ(FromWire(tcp->src), (Endpoint{Family::kInet6, "::1", 7}));
    EXPECT_EQ(tcp->packet.flags, kTcpSyn | kTcpAck);
    // Hop-by-hop options (8 bytes) then destination options (16 bytes) then UDP.
    Bytes ext(24, 0);
    ext[0] = 60;  // next: destination options
    ext[1] = 0;   // 8 bytes
    ext[8] = 17;  // next: UDP
    ext[9] = 1;   // 16 bytes
    const auto udp = Parse(Ipv6(0, ext, Udp(9, 10, 3)), ETH_P_IPV6);
    ASSERT_TRUE(udp);
    EXPECT_EQ(udp->packet.transport, Transport::kUdp);
    EXPECT_EQ(udp->packet.length, 3u);
}

TEST(CaptureParse, NotTcpOrUdpOrNotWholeIsNothing) {
    EXPECT_FALSE(Parse(Ipv4(1, Bytes(8, 0)))) << "ICMP echo reply";
    EXPECT_FALSE(Parse(Ipv4(6, Tcp(1, 2, 0, 0, 0, 0), 0x0010))) << "a later fragment";
    const Bytes frame = Ipv4(6, Tcp(1, 2, 0, 0, kTcpSyn, 0));
    EXPECT_FALSE(ParsePacket(frame.data(), 30, frame.size(), ETH_P_IP)) << "truncated TCP header";
    EXPECT_FALSE(ParsePacket(frame.data(), 10, frame.size(), ETH_P_IP)) << "truncated IP header";
    EXPECT_FALSE(Parse(frame, ETH_P_ARP));
    Bytes bad_offset = frame;
    bad_offset[20 + 12] = 0x30;  // data offset 12 bytes < 20
    EXPECT_FALSE(Parse(bad_offset));
    Bytes too_long = frame;
    too_long[20 + 12] = 0xf0;  // 60-byte header in a 20-byte segment
    EXPECT_FALSE(Parse(too_long));
    Bytes v6_fragment(8, 0);
    v6_fragment[0] = 6;
    Put16(v6_fragment, 2, 0x0008);  // offset 1: not the first fragment
    EXPECT_FALSE(Parse(Ipv6(44, v6_fragment, Tcp(1, 2, 0, 0, 0, 0)), ETH_P_IPV6));
    EXPECT_FALSE(ParsePacket(nullptr, 0, 0, ETH_P_IP));
}

// An ICMP (v6: ICMPv6) message of `type` and `code` quoting `quoted` (an IP header and what
// follows it, as the kernel copies it).
Bytes Icmp(uint8_t type, uint8_t code, const Bytes& quoted) {
    Bytes b(8, 0);
    b[0] = type;
    b[1] = code;
    b.insert(b.end(), quoted.begin(), quoted.end());
    return b;
}

TEST(CaptureParse, IcmpPortUnreachableCarriesTheQuotedDatagramsEnds) {
    // What Linux sends for a datagram to a closed port: the whole datagram quoted.
    const auto p = Parse(Ipv4(1, Icmp(3, 3, Ipv4(17, Udp(40000, 5000, 12)))));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.transport, Transport::kIcmp);
    ASSERT_TRUE(p->packet.icmp);
    EXPECT_EQ(p->packet.icmp->type, 3);
    EXPECT_EQ(p->packet.icmp->code, 3);
    EXPECT_EQ(p->packet.icmp->quoted, Transport::kUdp);
    EXPECT_EQ(FromWire(p->quoted_src), (Endpoint{Family::kInet, "127.0.0.1", 40000}));
    EXPECT_EQ(FromWire(p->quoted_dst), (Endpoint{Family::kInet, "127.0.0.2", 5000}));
    EXPECT_EQ(p->src.port, 0) << "the ICMP packet's own addresses have no port";
    EXPECT_EQ(p->packet.length, 20u + 8u + 12u) << "the quoted bytes";
    const auto [a, b] = EndsOf(*p);
    EXPECT_EQ(a, p->quoted_src) << "matched on the quoted ends";
    EXPECT_EQ(b, p->quoted_dst);
    // Only the IP header and the first 8 bytes of UDP, as RFC 792 asks at least.
    const Bytes minimal = Ipv4(1, Icmp(3, 3, Ipv4(17, Udp(40000, 5000, 0))));
    const auto short_quote = Parse(minimal);
    ASSERT_TRUE(short_quote);
    EXPECT_EQ(short_quote->quoted_dst.port, 5000);
    // A TCP segment quoted (e.g. fragmentation needed): its ports, and the protocol says TCP.
    const auto tcp = Parse(Ipv4(1, Icmp(3, 4, Ipv4(6, Tcp(41000, 80, 1, 0, kTcpSyn, 100)))));
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->packet.icmp->quoted, Transport::kTcp);
    EXPECT_EQ(tcp->quoted_src.port, 41000);
    EXPECT_EQ(tcp->quoted_dst.port, 80);
}

TEST(CaptureParse, Icmpv6PortUnreachableType1Code4) {
    const auto p = Parse(Ipv6(58, {}, Icmp(1, 4, Ipv6(17, {}, Udp(40000, 5000, 3)))), ETH_P_IPV6);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->packet.transport, Transport::kIcmp);
    EXPECT_EQ(p->packet.icmp->type, 1);
    EXPECT_EQ(p->packet.icmp->code, 4);
    EXPECT_EQ(FromWire(p->quoted_src), (Endpoint{Family::kInet6, "::1", 40000}));
    EXPECT_EQ(FromWire(p->quoted_dst), (Endpoint{Family::kInet6, "::1", 5000}));
    // ICMPv4's protocol number inside IPv6, or ICMPv6's inside IPv4, is not an ICMP error.
    EXPECT_FALSE(Parse(Ipv6(1, {}, Icmp(3, 3, Ipv4(17, Udp(1, 2, 0)))), ETH_P_IPV6));
    EXPECT_FALSE(Parse(Ipv4(58, Icmp(1, 4, Ipv6(17, {}, Udp(1, 2, 0))))));
    // An IPv4 datagram quoted in ICMPv6: not a datagram this error can be about.
    EXPECT_FALSE(Parse(Ipv6(58, {}, Icmp(1, 4, Ipv4(17, Udp(1, 2, 0)))), ETH_P_IPV6));
}

TEST(CaptureParse, IcmpThatIsNotAWholeErrorAboutTcpOrUdpIsNothing) {
    const Bytes quoted = Ipv4(17, Udp(40000, 5000, 0));
    EXPECT_FALSE(Parse(Ipv4(1, Icmp(8, 0, Bytes(56, 0))))) << "echo request: not an error";
    EXPECT_FALSE(Parse(Ipv4(1, Icmp(0, 0, quoted)))) << "echo reply, even quoting a datagram";
    EXPECT_FALSE(Parse(Ipv6(58, {}, Icmp(128, 0, Bytes(56, 0))), ETH_P_IPV6)) << "ICMPv6 echo";
    const Bytes whole = Ipv4(1, Icmp(3, 3, quoted));
    EXPECT_FALSE(ParsePacket(whole.data(), 20 + 4, whole.size(), ETH_P_IP)) << "truncated ICMP";
    EXPECT_FALSE(ParsePacket(whole.data(), whole.size() - 1, whole.size(), ETH_P_IP))
        << "captured: the quoted UDP header lacks a byte";
    const Bytes short_l4 = Ipv4(1, Icmp(3, 3, Bytes(quoted.begin(), quoted.end() - 4)));
    EXPECT_FALSE(Parse(short_l4)) << "quoted: only 4 bytes of UDP";
    const Bytes short_ip = Ipv4(1, Icmp(3, 3, Bytes(quoted.begin(), quoted.begin() + 12)));
    EXPECT_FALSE(Parse(short_ip)) << "quoted IP header too short";
    Bytes bad_ihl = quoted;
    bad_ihl[0] = 0x44;  // a 16-byte IPv4 header
    EXPECT_FALSE(Parse(Ipv4(1, Icmp(3, 3, bad_ihl))));
    EXPECT_FALSE(Parse(Ipv4(1, Icmp(3, 2, Ipv4(47, Bytes(8, 0))))))
        << "about a protocol that has no ports (GRE)";
    EXPECT_FALSE(Parse(Ipv4(1, Icmp(3, 3, Ipv4(17, Udp(1, 2, 0), 0x0010)))))
        << "about a later fragment: no ports in it";
}

TEST(CaptureParse, MappedAddressesMatchTheirIpv4Packets) {
    const auto mapped = ToWire(Endpoint{Family::kInet6, "::ffff:127.0.0.1", 80});
    const auto plain = ToWire(Endpoint{Family::kInet, "127.0.0.1", 80});
    ASSERT_TRUE(mapped && plain);
    EXPECT_EQ(*mapped, *plain);
    EXPECT_FALSE(ToWire(Endpoint{Family::kInet, "localhost", 80}));
}

TEST(CaptureParse, RelativeSequenceNumbersAsWiresharkShowsThem) {
    RelativeSeq rel;
    const WireEndpoint c = *ToWire(Endpoint{Family::kInet, "127.0.0.1", 40000});
    const WireEndpoint s = *ToWire(Endpoint{Family::kInet, "127.0.0.1", 5000});
    auto packet = [](uint8_t flags, uint32_t seq, uint32_t ack, uint32_t length = 0) {
        Packet p;
        p.flags = flags;
        p.seq = seq;
        p.ack = ack;
        p.length = length;
        return p;
    };
    Packet syn = packet(kTcpSyn, 0xfffffffe, 0);  // wraps around 2^32
    rel.Apply(syn, c, s);
    EXPECT_EQ(syn.rel_seq, 0u);
    EXPECT_EQ(syn.rel_ack, 0u);
    Packet synack = packet(kTcpSyn | kTcpAck, 1000, 0xffffffff);
    rel.Apply(synack, s, c);
    EXPECT_EQ(synack.rel_seq, 0u);
    EXPECT_EQ(synack.rel_ack, 1u);
    Packet data = packet(kTcpAck | kTcpPsh, 0xffffffff, 1001, 5);
    rel.Apply(data, c, s);
    EXPECT_EQ(data.rel_seq, 1u);
    EXPECT_EQ(data.rel_ack, 1u);
    Packet ack = packet(kTcpAck, 1001, 4);  // 0xffffffff + 5 wrapped
    rel.Apply(ack, s, c);
    EXPECT_EQ(ack.rel_ack, 6u);
    // A new connection on the same ports starts again at 0.
    Packet again = packet(kTcpSyn, 77, 0);
    rel.Apply(again, c, s);
    EXPECT_EQ(again.rel_seq, 0u);
    Packet again_ack = packet(kTcpSyn | kTcpAck, 5, 78);
    rel.Apply(again_ack, s, c);
    EXPECT_EQ(again_ack.rel_seq, 0u);
    EXPECT_EQ(again_ack.rel_ack, 1u);
    // An RST answering a SYN to a closed port (raw seq 0, ack = ISN + 1): its direction has no
    // SYN, so Wireshark counts it from seq-1 and shows seq 1.
    const WireEndpoint closed = *ToWire(Endpoint{Family::kInet, "127.0.0.1", 6000});
    Packet probe = packet(kTcpSyn, 500, 0);
    rel.Apply(probe, c, closed);
    Packet rst = packet(kTcpRst | kTcpAck, 0, 501);
    rel.Apply(rst, closed, c);
    EXPECT_EQ(rst.rel_seq, 1u);
    EXPECT_EQ(rst.rel_ack, 1u);
    // A capture that starts mid-connection sees neither SYN: both directions count from 1, and
    // each side's acknowledgement agrees with the other side's own numbers.
    const WireEndpoint late = *ToWire(Endpoint{Family::kInet, "127.0.0.1", 40001});
    Packet first = packet(kTcpAck | kTcpPsh, 9000, 0xffffffff, 3);
    rel.Apply(first, late, s);
    EXPECT_EQ(first.rel_seq, 1u);
    EXPECT_EQ(first.rel_ack, 1u);
    Packet reply = packet(kTcpAck, 0xffffffff, 9003);
    rel.Apply(reply, s, late);
    EXPECT_EQ(reply.rel_seq, 1u) << "the number the first packet acknowledged";
    EXPECT_EQ(reply.rel_ack, 4u);
    // UDP has no sequence numbers.
    Packet udp;
    udp.transport = Transport::kUdp;
    rel.Apply(udp, c, s);
    EXPECT_EQ(udp.rel_seq, 0u);
}

}  // namespace
}  // namespace sockstep::core::detail
