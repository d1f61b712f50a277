// The fixed words of the terminal front end in Korean and English (errno meanings are the GUI's:
// ui::ErrnoMeaning).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "sockstep/core/lang.h"

namespace sockstep::app {

enum class TraceText {
    kLesson,
    kQuestion,
    kAnswer,
    kExpectHeld,
    kExpectFailed,
    kExpected,
    kGot,
    kBlocked,
    kBlockedUnseen,
    kResumed,
    kInterrupted,
    kRefusedBySockstep,
    kWaitingForClient,
    kClientArrived,
    kClientClosedFirst,
    kServerClosedFirst,
    kStillBlocked,
    kHolding,
    kHoldingDone,
    kCtrlC,
    kCutShort,
    kNotRun,
    kHoldCut,
    kSummaryOk,
    kSummaryFailed,
    kSummaryNone,
    kConnectNote,
    kUntilNote,
    kCaptureOff,
    kCaptureFailed,
    kCaptureDropped,
    kPacketByKernel,
    kKernelChanged,
    kCount
};

std::string_view Text(TraceText id, core::Lang lang);
// Puts args[n] in place of each "{n}" (n = 0-9): word order differs between the languages.
std::string Fill(std::string_view pattern, std::initializer_list<std::string> args);

}  // namespace sockstep::app
