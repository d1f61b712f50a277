// `sockstep trace --connect HOST:PORT`: the lesson's clients talk to a program outside sockstep
// (nc -l, a web server) instead of the lesson's own server. Loopback only, checked before any
// socket exists.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/lesson.h"

namespace sockstep::app {

// "127.0.0.1:8080", "localhost:8080", "[::1]:8080". A non-loopback address, a name that is not
// a loopback name, or a bad port gives a message (nothing is looked up in DNS).
std::variant<core::Endpoint, std::string> ParseConnectTarget(const std::string& text);

struct RetargetedLesson {
    core::Lesson lesson;       // only the client actors and their steps
    std::vector<int> numbers;  // each kept step's number in the original file (1-based)
};

// Keeps the client actors' steps; their connect() and sendto() go to `target`. Expectations
// about the dropped server actors' sockets, and about what the lesson's server would have sent
// (received bytes, byte counts, inq), are removed: the outside program is another server, which
// may also close first (an HTTP server answers and closes): the client states such a peer causes
// are added as `tcp_if_peer_closed` (ESTAB: CLOSE-WAIT; after this side's FIN: CLOSING,
// TIME-WAIT, LAST-ACK, CLOSE, or the socket gone). A message
// when the lesson has no client that connects, or when a client's socket family does not match the
// target's.
std::variant<RetargetedLesson, std::string> PointClientsAt(const core::Lesson& lesson,
                                                           const core::Endpoint& target);

}  // namespace sockstep::app
