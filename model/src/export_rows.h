// The rows of an exported sequence diagram, shared by the Mermaid and SVG writers: one row per
// call (entered, blocked, returned), per refused or interrupted call and per captured packet, in
// log order. Every text here comes from the log; nothing is inferred.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/lesson.h"

namespace sockstep::ui::detail {

enum class RowKind {
    kCall,      // a call entered and did not return at once (it blocked, or packets came first)
    kCallDone,  // a call that returned right after it entered: call and result on one row
    kReturn,    // the return of an earlier kCall
    kNote,      // blocked (with the kernel's wchan), refused, interrupted
    kPacket,    // a captured segment or datagram
};

struct DiagramRow {
    RowKind kind = RowKind::kCall;
    int actor = -1;                   // calls and notes: the participant
    std::string call;                 // "[4] accept(listener)"
    std::string result;               // "= 4 (conn)", "= -1 ECONNREFUSED"
    bool failed = false;              // the call returned an error
    std::vector<std::string> states;  // "conn ESTAB 127.0.0.1:5000 ↔ 127.0.0.1:41234"
    std::string note;                 // kNote
    int from = -1;                    // kPacket: participants
    int to = -1;
    std::string packet;  // "SYN seq=0 win=65495", "SYN, ACK seq=0 ack=1", "UDP len=4"
    int opened_by = -1;  // kReturn: the index of its kCall row
};

struct Diagram {
    std::vector<std::string> participants;  // the actors, then "outside" when a packet needs it
    std::vector<DiagramRow> rows;
    bool packets = false;  // the log has captured packets
};

Diagram BuildDiagram(const core::Lesson& lesson, const core::LogView& log, core::Lang lang);

// Texts both writers use.
std::string NoPacketsNote(core::Lang lang);

// Display columns of UTF-8 text: Hangul and other wide characters count two.
size_t Columns(std::string_view text);
// The words of `text` (split at spaces and newlines) in lines of at most `columns` columns.
std::vector<std::string> WrapWords(const std::string& text, size_t columns);

}  // namespace sockstep::ui::detail
