// `sockstep trace` explains an errno with the window's sentence: one table (ui::ErrnoMeaning) for
// both front ends, in both languages, for every errno it holds; others fall back to strerror.
#include <gtest/gtest.h>

#include <cerrno>

#include "sockstep/core/event.h"
#include "sockstep/model/explain.h"
#include "trace_format.h"

namespace sockstep::app {
namespace {

core::Event Failed(int err) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = core::CallKind::kConnect;
    e.ret = -1;
    e.err = err;
    return e;
}

TEST(TraceErrnoText, EveryErrnoOfTheTableReadsAsInTheWindowInBothLanguages) {
    const std::vector<int> errnos = ui::ExplainedErrnos();
    ASSERT_GE(errnos.size(), 30u);
    for (const int err : errnos) {
        for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
            SCOPED_TRACE(std::string(core::ErrnoName(err)) +
                         (lang == core::Lang::kKo ? " ko" : " en"));
            const std::string meaning = ui::ErrnoMeaning(err, lang);
            EXPECT_EQ(FormatResult(Failed(err), lang),
                      "= -1 " + std::string(core::ErrnoName(err)) + " (" + meaning + ")");
            // The table's own sentence, not strerror(3) in disguise.
            EXPECT_NE(meaning, core::ErrnoMessage(err));
        }
        EXPECT_NE(ui::ErrnoMeaning(err, core::Lang::kKo), ui::ErrnoMeaning(err, core::Lang::kEn));
    }
}

TEST(TraceErrnoText, AnErrnoOutsideTheTableIsStrerrorInBothFrontEnds) {
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        EXPECT_EQ(FormatResult(Failed(EXDEV), lang),
                  "= -1 " + core::ErrnoName(EXDEV) + " (" + core::ErrnoMessage(EXDEV) + ")");
        EXPECT_EQ(ui::ErrnoMeaning(EXDEV, lang), core::ErrnoMessage(EXDEV));
    }
}

}  // namespace
}  // namespace sockstep::app
