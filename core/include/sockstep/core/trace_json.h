// The event log as JSON Lines: one event per line, schema in docs/TRACE_FORMAT.md.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/event.h"
#include "sockstep/core/event_log.h"

namespace sockstep::core {

inline constexpr int kTraceFormatVersion = 1;

std::string EventToJsonLine(const Event& event);  // no trailing newline
void WriteJsonLines(const LogView& log, std::ostream& out);

struct TraceError {
    int line = 0;  // 1-based
    std::string message;
};

// Parses one JSON Lines log. Every field is checked; the first bad line is reported.
std::variant<std::vector<Event>, TraceError> ReadJsonLines(std::istream& in);

}  // namespace sockstep::core
