// The C program of each actor, as a learner would write it, generated from the script's calls
// (and the free-mode calls in the log). Pure: no ImGui. Each line knows which step it belongs
// to, so the code panel can highlight the line of the call shown.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/session.h"
#include "sockstep/ui/scene.h"

namespace sockstep::ui {

inline constexpr size_t kNoEvent = std::numeric_limits<size_t>::max();

struct CodeLine {
    std::string text;
    int step = -1;            // script step, -1 for free-mode calls and comments
    size_t event = kNoEvent;  // free-mode calls: index of their Enter event in the log
    bool comment = false;
};

struct ActorProgram {
    int actor = 0;
    std::string name;
    std::vector<CodeLine> lines;
};

// One program per actor. `log` supplies the free-mode calls and the real port of a socket a
// call names by `peer` (so `htons(43211)` shows the port the kernel really picked).
std::vector<ActorProgram> BuildPrograms(const std::vector<core::ScriptStep>& script,
                                        const std::vector<ActorInfo>& actors,
                                        const core::LogView& log, core::Lang lang);

// The C text of one call, as it would appear on its own (for tooltips and the free-mode dialog).
std::string CallAsC(const core::CallRequest& request);

}  // namespace sockstep::ui
