// Explanations in Korean and English: what a call did, what an errno means, what a TCP state
// means, and the transition table's reasons. Pure functions (no ImGui): the narration, the
// cards, the free-mode predictions and the timeline tooltips all use them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/api_state.h"
#include "sockstep/core/call.h"
#include "sockstep/core/event.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/tcp_state.h"

namespace sockstep::ui {

// "Listening" / "리슨 중".
const char* ApiStateLabel(core::ApiState state, core::Lang lang);
// One line: "connected: data can flow both ways".
const char* TcpStateMeaning(core::TcpState state, core::Lang lang);
// ss's spelling ("ESTAB"), the same in both languages: these are the words a learner will
// meet in ss, netstat and RFCs.
std::string_view TcpStateLabel(core::TcpState state);
// The state's word for a socket of `type`, as ss says it. The kernel keeps a UDP socket's
// state in the same numbers, but ss names them UNCONN (TCP_CLOSE: not connected) and ESTAB
// (connect() set a peer); a TCP socket gets TcpStateLabel.
std::string_view SocketStateLabel(core::TcpState state, core::SockType type);
// TcpStateMeaning for a socket of `type`: a UDP socket's UNCONN and ESTAB say what they mean
// for datagrams (no handshake, no connection).
const char* SocketStateMeaning(core::TcpState state, core::SockType type, core::Lang lang);

// One line: "nobody is listening on that address". Falls back to strerror (English). The one
// errno table: the window and the terminal front end (`sockstep trace`) both say this.
std::string ErrnoMeaning(int err, core::Lang lang);
// ErrnoMeaning for the failed call `e`, where its socket's type tells more: ECONNREFUSED on a
// TCP socket is the RST answering a SYN, on a UDP socket the ICMP port unreachable it kept.
std::string ErrnoMeaningOf(const core::Event& e, core::Lang lang);
// The errno values that have their own sentence in both languages, in table order.
std::vector<int> ExplainedErrnos();
// "ECONNREFUSED: nobody is listening …", using the table's reason when it has one.
std::string ErrnoLine(int err, std::string_view why_en, core::Lang lang);
// ErrnoLine for the failed call `e`: its ECONNREFUSED says what really happened (ErrnoMeaningOf:
// a TCP RST, a UDP ICMP port unreachable); any other error keeps the table's reason `why_en`.
// The one line the narration, the timeline, the cards and `sockstep trace` agree on.
std::string ErrnoLineOf(const core::Event& e, std::string_view why_en, core::Lang lang);

// errno values that report "not now" rather than a failure: EINPROGRESS, EAGAIN, EALREADY,
// EINTR. Shown as a warning, not as an error.
bool IsSoftErrno(int err);

// The transition table's English reason in `lang` (itself in English; unknown text unchanged).
std::string TranslateWhy(std::string_view why_en, core::Lang lang);
bool HasTranslation(std::string_view why_en);

// What the kernel did, in a sentence or two, for an event that ends a call (Return, Blocked,
// Interrupted, Refused). Empty for Enter events.
std::string ExplainEvent(const core::Event& event, core::Lang lang);

// What a captured packet means, in a sentence or two: "SYN: a request to open a connection …".
std::string ExplainPacket(const core::Packet& packet, core::Lang lang);
// Every text ExplainPacket can use, for the font atlas.
std::string AllPacketText(core::Lang lang);

// The prediction in words: "will fail with EINVAL: this socket is not listening".
std::string DescribePrediction(const core::Prediction& prediction, core::Lang lang);

// Where Python's socket module differs from the system call `request` makes (its name, what it
// returns, the calls it makes for one), and, for a call that failed with `err`, the exception
// Python raises and the errno it carries. Empty when Python says exactly what C says.
std::string PythonNote(const core::CallRequest& request, core::Lang lang, int err = 0);
// Every text PythonNote can use, for the font atlas.
std::string AllPythonNoteText(core::Lang lang);

// Every string of these tables in `lang`, for the font atlas.
std::string AllExplainText(core::Lang lang);

}  // namespace sockstep::ui
