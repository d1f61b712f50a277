// One verdict per step: whether what the kernel did was what was expected. The lesson's own
// expectation decides when the step has one; otherwise the transition table's prediction does.
// A prediction the table could not make (a row that depends on what the API state cannot know,
// or an error queued on the socket by an earlier packet) is said to be such, never an alarm.
// Pure (no ImGui): the narration draws it, the tests check it.
#pragma once

#include <string>

#include "sockstep/core/event.h"
#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/lesson.h"

namespace sockstep::ui {

enum class VerdictKind {
    kNone,          // nothing to judge: not a return, or no prediction and no expectation
    kLessonHeld,    // the lesson's expectation held
    kLessonFailed,  // the lesson's expectation did not hold (an alarm)
    kTableAgreed,   // no expectation; the table's prediction held
    kTableCannot,   // no expectation; the table could not know this outcome
    kTableWrong,    // no expectation; the table's unconditional prediction was wrong (an alarm)
};

struct Verdict {
    VerdictKind kind = VerdictKind::kNone;
    bool alarm = false;
    std::string text;  // the one verdict line, in the language asked for
    // The prediction differed from the kernel for a reason the table cannot know: the line
    // beside the prediction says so ("the table cannot predict this: …"). Empty otherwise.
    std::string table_note;
    bool peer_closed = false;  // a held expectation that the peer's closing first explains
};

// Errors the kernel queues on a socket from a packet that arrived earlier (SO_ERROR: a RST,
// an ICMP error) and hands to whichever call comes next: no API state predicts them.
bool IsAsyncSocketError(int err);

// The verdict on `returned` (a Return event) of lesson step `step` (null: free mode or no
// lesson). `log` resolves socket names for the expectation.
Verdict StepVerdict(const core::Event& returned, const core::LessonStep* step,
                    const core::LogView& log, core::Lang lang);

}  // namespace sockstep::ui
