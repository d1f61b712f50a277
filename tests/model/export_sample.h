// Test helper for the export tests: a hand-built log of the handshake test lesson with captured
// packets (SYN, SYN-ACK, ACK, data, a RST from a program outside the session), a blocked
// accept(), a refused call, and texts with characters Mermaid and XML treat as syntax.
#pragma once

#include "sockstep/core/event_log.h"
#include "sockstep/core/lesson.h"

namespace sockstep::testing {

// Appends the sample's events to `log` (HandshakeLesson's steps 1-7 and packets).
void FillSampleLog(core::EventLog& log);

// The sample's calls, in order, as the diagrams must show them: "[1] socket(...)" …
std::vector<std::string> SampleCalls();

}  // namespace sockstep::testing
