// Loopback-only addressing. A teaching tool must never open a port on a real network: every
// address is checked here before any call is made.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <variant>

#include "sockstep/core/call.h"

namespace sockstep::core {

struct Endpoint {
    Family family = Family::kInet;
    std::string host;  // numeric: "127.0.0.1", "::1"
    uint16_t port = 0;

    bool operator==(const Endpoint&) const = default;
};

// "127.0.0.1:8080", "[::1]:8080".
std::string FormatEndpoint(const Endpoint& endpoint);

struct ResolvedAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    Endpoint endpoint;
};

struct AddressError {
    std::string message;  // says what was refused and why, in English
};

// Resolves `host` (numeric or a name such as "localhost", via getaddrinfo without any DNS query
// for numeric hosts) for `family` and accepts it only if it is loopback: 127.0.0.0/8 or ::1.
// An empty host means the family's loopback address. 0.0.0.0, ::, and every other address are
// refused, as is a name that resolves to anything else. Makes no socket.
std::variant<ResolvedAddress, AddressError> ResolveLoopback(const std::string& host, uint16_t port,
                                                            Family family);

bool IsLoopback(const sockaddr* address);
Endpoint EndpointFromSockaddr(const sockaddr* address);

}  // namespace sockstep::core
