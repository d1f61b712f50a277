// Loopback-only address resolution on its own: 127.0.0.0/8, ::1 (and ::ffff:127.x.y.z) and the
// loopback names of /etc/hosts are accepted; the wildcard, private, public and unresolvable
// addresses are refused with a message, and no name is ever looked up. No socket is made.
#include "sockstep/core/address.h"

#include <arpa/inet.h>

#include <cstring>

#include <gtest/gtest.h>

namespace sockstep::core {
namespace {

Endpoint Accepted(const std::string& host, uint16_t port, Family family) {
    auto r = ResolveLoopback(host, port, family);
    if (const auto* error = std::get_if<AddressError>(&r)) {
        ADD_FAILURE() << "'" << host << "' refused: " << error->message;
        return {};
    }
    return std::get<ResolvedAddress>(r).endpoint;
}

std::string Refused(const std::string& host, Family family) {
    auto r = ResolveLoopback(host, 80, family);
    if (const auto* error = std::get_if<AddressError>(&r)) return error->message;
    ADD_FAILURE() << "'" << host << "' was accepted as loopback";
    return {};
}

TEST(AddressTest, AcceptsIpv4Loopback) {
    EXPECT_EQ(Accepted("127.0.0.1", 8080, Family::kInet),
              (Endpoint{Family::kInet, "127.0.0.1", 8080}));
    EXPECT_EQ(Accepted("127.1.2.3", 0, Family::kInet).host, "127.1.2.3");
    EXPECT_EQ(Accepted("localhost", 1, Family::kInet).host, "127.0.0.1");
    EXPECT_EQ(Accepted("", 1, Family::kInet).host, "127.0.0.1") << "empty: the loopback";
}

TEST(AddressTest, AcceptsIpv6Loopback) {
    EXPECT_EQ(Accepted("::1", 443, Family::kInet6), (Endpoint{Family::kInet6, "::1", 443}));
    EXPECT_EQ(Accepted("localhost", 1, Family::kInet6).host, "::1");
    EXPECT_EQ(Accepted("ip6-localhost", 1, Family::kInet6).host, "::1");
    EXPECT_EQ(Accepted("", 1, Family::kInet6).host, "::1");
    EXPECT_EQ(Accepted("::ffff:127.0.0.1", 1, Family::kInet6).host, "::ffff:127.0.0.1");
}

TEST(AddressTest, ResolvedSockaddrMatches) {
    auto r = ResolveLoopback("127.0.0.5", 4242, Family::kInet);
    ASSERT_TRUE(std::holds_alternative<ResolvedAddress>(r));
    const ResolvedAddress& a = std::get<ResolvedAddress>(r);
    ASSERT_EQ(a.length, sizeof(sockaddr_in));
    sockaddr_in in{};
    std::memcpy(&in, &a.storage, sizeof in);
    EXPECT_EQ(in.sin_family, AF_INET);
    EXPECT_EQ(ntohs(in.sin_port), 4242);
    EXPECT_EQ(ntohl(in.sin_addr.s_addr), 0x7f000005u);
}

TEST(AddressTest, RefusesEverythingElse) {
    for (const char* host : {"0.0.0.0", "10.0.0.1", "8.8.8.8", "192.168.1.1", "255.255.255.255",
                             "128.0.0.1", "126.255.255.255", "224.0.0.1"}) {
        EXPECT_FALSE(Refused(host, Family::kInet).empty()) << host;
    }
    for (const char* host : {"::", "2001:4860:4860::8888", "fe80::1", "::ffff:8.8.8.8",
                             "::ffff:0.0.0.0", "::2", "ff02::1"}) {
        EXPECT_FALSE(Refused(host, Family::kInet6).empty()) << host;
    }
}

TEST(AddressTest, RefusesNamesWithoutLookingThemUp) {
    EXPECT_NE(Refused("example.com", Family::kInet).find("example.com"), std::string::npos);
    EXPECT_FALSE(Refused("example.com", Family::kInet6).empty());
    EXPECT_FALSE(Refused("localhost.example.com", Family::kInet).empty());
    EXPECT_FALSE(Refused("127.0.0.1.nip.io", Family::kInet).empty());
    EXPECT_FALSE(Refused(" 127.0.0.1", Family::kInet).empty());
    EXPECT_FALSE(Refused("2130706433", Family::kInet).empty()) << "inet_aton style integer";
    EXPECT_FALSE(Refused("0x7f.1", Family::kInet).empty()) << "inet_aton style hex";
}

TEST(AddressTest, RefusesTheWrongFamily) {
    EXPECT_FALSE(Refused("::1", Family::kInet).empty());
    EXPECT_FALSE(Refused("127.0.0.1", Family::kInet6).empty());
}

TEST(AddressTest, IsLoopbackOnRawSockaddrs) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(0x7f000001);
    EXPECT_TRUE(IsLoopback(reinterpret_cast<const sockaddr*>(&in)));
    in.sin_addr.s_addr = htonl(INADDR_ANY);
    EXPECT_FALSE(IsLoopback(reinterpret_cast<const sockaddr*>(&in)));
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_addr = in6addr_loopback;
    EXPECT_TRUE(IsLoopback(reinterpret_cast<const sockaddr*>(&in6)));
    in6.sin6_addr = in6addr_any;
    EXPECT_FALSE(IsLoopback(reinterpret_cast<const sockaddr*>(&in6)));
    sockaddr other{};
    other.sa_family = AF_UNIX;
    EXPECT_FALSE(IsLoopback(&other));
}

TEST(AddressTest, FormatsEndpoints) {
    EXPECT_EQ(FormatEndpoint({Family::kInet, "127.0.0.1", 8080}), "127.0.0.1:8080");
    EXPECT_EQ(FormatEndpoint({Family::kInet6, "::1", 8080}), "[::1]:8080");
}

TEST(AddressTest, EndpointFromSockaddrRoundTrips) {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(9);
    in6.sin6_addr = in6addr_loopback;
    const Endpoint e = EndpointFromSockaddr(reinterpret_cast<const sockaddr*>(&in6));
    EXPECT_EQ(e, (Endpoint{Family::kInet6, "::1", 9}));
}

}  // namespace
}  // namespace sockstep::core
