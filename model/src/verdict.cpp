// The one verdict of a step (see verdict.h).
#include "sockstep/model/verdict.h"

#include <cerrno>

#include "sockstep/model/explain.h"
#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

std::string Answer(const core::Event& e) {
    return e.err == 0 ? std::to_string(e.ret) : core::ErrnoName(e.err);
}

// What the table could not know about this outcome, or empty when it could have.
std::string CannotPredict(const core::Event& e, core::Lang lang) {
    const core::Prediction& p = e.predicted;
    if (!p.known || e.err == p.result) return {};
    if (!p.depends.empty()) {
        return Fmt(Text::kKernelDepended, lang, {Answer(e)});
    }
    if (IsAsyncSocketError(e.err)) return Fmt(Text::kTableCannotAsync, lang, {Answer(e)});
    return {};
}

}  // namespace

bool IsAsyncSocketError(int err) {
    return err == ECONNREFUSED || err == ECONNRESET || err == EHOSTUNREACH || err == ENETUNREACH ||
           err == ETIMEDOUT;
}

Verdict StepVerdict(const core::Event& e, const core::LessonStep* step, const core::LogView& log,
                    core::Lang lang) {
    Verdict v;
    if (e.phase != core::Phase::kReturn) return v;
    v.table_note = CannotPredict(e, lang);
    const bool table_wrong =
        e.predicted.known && e.err != e.predicted.result && v.table_note.empty();
    if (step && step->expect) {
        // The lesson's author said what this step must do: that is the verdict. The table's
        // different guess is a note beside the prediction, not a second verdict.
        const core::ExpectCheck check = core::CheckExpect(*step->expect, e, log);
        if (table_wrong) v.table_note = Fmt(Text::kTableDiffered, lang, {Answer(e)});
        if (check.held) {
            v.kind = VerdictKind::kLessonHeld;
            v.text = Tr(Text::kKernelAgreedLesson, lang);
            v.peer_closed = check.peer_closed;
        } else {
            v.kind = VerdictKind::kLessonFailed;
            v.alarm = true;
            v.text = Fmt(Text::kKernelDisagreedLesson, lang, {check.expected, check.actual});
        }
        return v;
    }
    if (!e.predicted.known) return v;
    if (!v.table_note.empty()) {
        // The note is the verdict itself here: said once, in the verdict's place.
        v.kind = VerdictKind::kTableCannot;
        v.text = std::move(v.table_note);
        v.table_note.clear();
    } else if (table_wrong) {
        v.kind = VerdictKind::kTableWrong;
        v.alarm = true;
        v.text = Fmt(Text::kKernelDisagreed, lang, {Answer(e)});
    } else {
        v.kind = VerdictKind::kTableAgreed;
        v.text = Tr(Text::kKernelAgreed, lang);
    }
    return v;
}

}  // namespace sockstep::ui
