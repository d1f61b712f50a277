// Loopback-only address resolution. No name is ever looked up in DNS: a lookup would itself send
// a packet off the machine. Numeric addresses and the loopback names of /etc/hosts only.
#include "sockstep/core/address.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "sockstep/core/terminal_text.h"

namespace sockstep::core {
namespace {

// The names Debian's /etc/hosts gives the loopback addresses.
constexpr std::array<std::string_view, 3> kV4Names{"localhost", "localhost4",
                                                   "localhost.localdomain"};
constexpr std::array<std::string_view, 4> kV6Names{"localhost", "localhost6", "ip6-localhost",
                                                   "ip6-loopback"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::string_view n : names) {
        if (n == name) return true;
    }
    return false;
}

}  // namespace

std::string FormatEndpoint(const Endpoint& e) {
    if (e.family == Family::kInet6) return "[" + e.host + "]:" + std::to_string(e.port);
    return e.host + ":" + std::to_string(e.port);
}

bool IsLoopback(const sockaddr* address) {
    if (address->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(address);
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (address->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return true;
        // ::ffff:127.x.y.z is IPv4 loopback reached through an IPv6 socket.
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

Endpoint EndpointFromSockaddr(const sockaddr* address) {
    Endpoint e;
    if (address->sa_family == AF_INET6) {
        char text[INET6_ADDRSTRLEN] = {};
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
        e.family = Family::kInet6;
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        e.port = ntohs(in6->sin6_port);
        e.host = text;
    } else {
        // By hand rather than inet_ntop: snapshots format thousands of these, and glibc's
        // inet_ntop goes through sprintf.
        const auto* in = reinterpret_cast<const sockaddr_in*>(address);
        e.family = Family::kInet;
        const uint32_t a = ntohl(in->sin_addr.s_addr);
        for (int shift = 24; shift >= 0; shift -= 8) {
            e.host += std::to_string((a >> shift) & 0xff);
            if (shift) e.host += '.';
        }
        e.port = ntohs(in->sin_port);
    }
    return e;
}

std::variant<ResolvedAddress, AddressError> ResolveLoopback(const std::string& host, uint16_t port,
                                                            Family family) {
    ResolvedAddress r;
    const bool v6 = family == Family::kInet6;
    // Messages quote the host as given (a file or the command line), escaped and cut.
    const std::string shown = TerminalSafe(host, kMaxShownBytes);
    // inet_pton reads a C string: "127.0.0.1\0.evil.com" would be taken for 127.0.0.1. No
    // address or loopback name has a byte outside printable ASCII.
    for (const char c : host) {
        if (c <= ' ' || c > '~') {
            return AddressError{"'" + shown +
                                "' is not an address: it contains a space, a control character "
                                "or a non-ASCII character (use 127.0.0.1, ::1 or localhost)"};
        }
    }
    std::string numeric = host;
    if (host.empty() || (!v6 && Contains(kV4Names, host))) {
        numeric = v6 ? "::1" : "127.0.0.1";
    } else if (v6 && Contains(kV6Names, host)) {
        numeric = "::1";
    }
    if (v6) {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port);
        if (inet_pton(AF_INET6, numeric.c_str(), &in6.sin6_addr) != 1) {
            in_addr probe{};
            if (inet_pton(AF_INET, numeric.c_str(), &probe) == 1) {
                return AddressError{"'" + shown +
                                    "' is an IPv4 address but the socket is AF_INET6 "
                                    "(use ::1, or an AF_INET socket)"};
            }
            return AddressError{"'" + shown +
                                "' is not an IPv6 address; sockstep looks up no names"
                                " (a DNS query would leave this machine): use ::1 or localhost"};
        }
        std::memcpy(&r.storage, &in6, sizeof in6);
        r.length = sizeof in6;
    } else {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(port);
        if (inet_pton(AF_INET, numeric.c_str(), &in.sin_addr) != 1) {
            in6_addr probe{};
            if (inet_pton(AF_INET6, numeric.c_str(), &probe) == 1) {
                return AddressError{"'" + shown +
                                    "' is an IPv6 address but the socket is AF_INET "
                                    "(use 127.0.0.1, or an AF_INET6 socket)"};
            }
            return AddressError{"'" + shown +
                                "' is not an IPv4 address; sockstep looks up no names"
                                " (a DNS query would leave this machine): use 127.0.0.1 or "
                                "localhost"};
        }
        std::memcpy(&r.storage, &in, sizeof in);
        r.length = sizeof in;
    }
    const auto* sa = reinterpret_cast<const sockaddr*>(&r.storage);
    if (!IsLoopback(sa)) {
        return AddressError{"'" + shown +
                            "' is not a loopback address: sockstep only uses "
                            "127.0.0.0/8 and ::1, so nothing it does can reach a real network"};
    }
    r.endpoint = EndpointFromSockaddr(sa);
    return r;
}

}  // namespace sockstep::core
