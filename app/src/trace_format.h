// The readable, strace-like trace: one line per call with its result (or errno and meaning) and
// the kernel's state of the sockets it touched, e.g.
//   [ 4] server  accept(listener) = 4 (conn)  [listener LISTEN 127.0.0.1:43211 q=0/5; conn ESTAB
//        127.0.0.1:43211 <- 127.0.0.1:51502]
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sockstep/core/event.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/snapshot.h"

namespace sockstep::app {

// One socket as the trace shows it: name, kernel state, addresses, queues and timers.
std::string FormatSocket(const core::SocketView& socket, const core::Snapshot& all);

// The last view of each socket id seen in earlier events: after close() the kernel may forget a
// socket, and its last addresses still say which socket was the other end.
using LastSeen = std::map<int, core::SocketView>;

// The sockets an event touched (the one acted on, the one created, the `peer` it went to, poll's
// sockets, and the other end of a connection in this session), in brackets; "" when none.
std::string FormatTouched(const core::Event& event, const LastSeen* last_seen = nullptr);

// "= 4 (conn)", "= -1 ECONNREFUSED (Connection refused)", "= 10 \"helloworld\"".
std::string FormatResult(const core::Event& event, core::Lang lang);

// The whole line for a Blocked, Return, Interrupted or Refused event. `resumed`: this Return
// ends a call that was reported blocked before. `actor_width` pads actor names into a column.
// `number` is the step's number in the lesson file (1-based).
std::string FormatEventLine(const core::Event& event, core::Lang lang, bool resumed,
                            size_t actor_width, int number, const LastSeen* last_seen = nullptr);

// A captured packet, as Wireshark's summary line says it, with each address named after the
// actor whose socket has it: "↳ client:41532 → server:5000  [SYN, ACK] seq=0 ack=1 win=65483
// len=0", "↳ client:40000 → server:40001  UDP len=4". A packet no call caused says so.
std::string FormatPacketLine(const core::Event& event, core::Lang lang,
                             const std::vector<std::string>& actor_names,
                             const LastSeen* last_seen = nullptr);

// A kernel event (the kernel changed a socket with no call running), against the view before
// it: "~ the kernel, with no call running: sock3 FIN-WAIT-1 -> FIN-WAIT-2, send-q 1 -> 0".
std::string FormatKernelLine(const core::Snapshot& before, const core::Event& event,
                             core::Lang lang);

// Text quoted as C would write it, cut to `max` bytes with "...".
std::string QuoteData(const std::string& data, size_t max);

}  // namespace sockstep::app
