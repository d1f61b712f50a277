// One verdict per step (verdict.h), on the real kernel: each lesson step below once showed a
// red "the kernel did not do what was predicted" beside a green "the kernel did what the lesson
// expected". Now each has exactly one verdict, and a prediction the table could not make is
// said to be such, not raised as an alarm.
#include "sockstep/model/verdict.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <variant>

#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

using ui::VerdictKind;

core::Lesson Load(const std::string& file) {
    core::LessonResult loaded =
        core::LoadLesson(std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets/lessons" / file);
    EXPECT_TRUE(std::holds_alternative<core::Lesson>(loaded));
    return std::get<core::Lesson>(std::move(loaded));
}

// The Return event of 1-based step `shown` (as --steps and the narration count them).
const core::Event* ReturnOf(const core::LogView& log, size_t shown) {
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].step == static_cast<int>(shown - 1) && log[i].phase == core::Phase::kReturn)
            return &log[i];
    }
    return nullptr;
}

struct Case {
    const char* file;
    size_t step;  // 1-based
};

class OneVerdict : public ::testing::TestWithParam<Case> {};

TEST_P(OneVerdict, TheLessonDecidesAndTheTableSaysWhatItCouldNotKnow) {
    const core::Lesson lesson = Load(GetParam().file);
    ui::Controller controller(std::nullopt);
    controller.UseLesson(lesson);
    core::Session& session = *controller.session();
    const core::LessonStep& step = lesson.steps[GetParam().step - 1];
    RunSteps(session, GetParam().step);
    session.WaitIdle(step.actor);  // the step's Return is in the log
    const core::LogView log = session.Log();
    const core::Event* e = ReturnOf(log, GetParam().step);
    ASSERT_NE(e, nullptr);
    ASSERT_TRUE(step.expect.has_value());
    // The kernel answered something other than the table's usual outcome...
    ASSERT_TRUE(e->predicted.known);
    ASSERT_NE(e->err, e->predicted.result);

    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        const ui::Verdict v = ui::StepVerdict(*e, &step, log, lang);
        // ...and the one verdict is the lesson's, which held: no alarm.
        EXPECT_EQ(v.kind, VerdictKind::kLessonHeld);
        EXPECT_FALSE(v.alarm);
        EXPECT_EQ(v.text, ui::Tr(ui::Text::kKernelAgreedLesson, lang));
        // The table's part is a note that it could not predict this, naming the errno.
        EXPECT_NE(v.table_note.find(core::ErrnoName(e->err)), std::string::npos) << v.table_note;
        if (lang == core::Lang::kEn) {
            EXPECT_EQ(v.table_note.rfind("The table cannot predict ", 0), 0u) << v.table_note;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(LessonSteps, OneVerdict,
                         ::testing::Values(Case{"02-refused.toml", 5}, Case{"02-refused.toml", 8},
                                           Case{"09-udp.toml", 14}, Case{"08-reset.toml", 9},
                                           Case{"08-reset.toml", 17}, Case{"08-reset.toml", 24},
                                           Case{"06-close-and-time-wait.toml", 13}));

core::Event Returned(core::CallKind call, int err, core::Prediction p) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = call;
    e.err = err;
    e.ret = err == 0 ? 0 : -1;
    e.predicted = std::move(p);
    return e;
}

core::Prediction Unconditional(int result) {
    core::Prediction p;
    p.known = true;
    p.result = result;
    return p;
}

TEST(Verdict, WithoutALessonTheTableDecides) {
    const core::LogView none;
    const ui::Verdict agreed = ui::StepVerdict(
        Returned(core::CallKind::kListen, 0, Unconditional(0)), nullptr, none, core::Lang::kEn);
    EXPECT_EQ(agreed.kind, VerdictKind::kTableAgreed);
    EXPECT_FALSE(agreed.alarm);

    const ui::Verdict wrong =
        ui::StepVerdict(Returned(core::CallKind::kListen, EINVAL, Unconditional(0)), nullptr, none,
                        core::Lang::kEn);
    EXPECT_EQ(wrong.kind, VerdictKind::kTableWrong);
    EXPECT_TRUE(wrong.alarm);
    EXPECT_NE(wrong.text.find("EINVAL"), std::string::npos);

    // An error queued by an earlier packet (a RST) reaches whichever call comes next.
    const ui::Verdict async =
        ui::StepVerdict(Returned(core::CallKind::kGetsockname, ECONNRESET, Unconditional(0)),
                        nullptr, none, core::Lang::kEn);
    EXPECT_EQ(async.kind, VerdictKind::kTableCannot);
    EXPECT_FALSE(async.alarm);
    EXPECT_TRUE(async.table_note.empty());  // said once: as the verdict
    EXPECT_NE(async.text.find("ECONNRESET"), std::string::npos);

    core::Prediction depends = Unconditional(0);
    depends.depends = "a listener at that address";
    const ui::Verdict cannot = ui::StepVerdict(
        Returned(core::CallKind::kConnect, ECONNREFUSED, depends), nullptr, none, core::Lang::kEn);
    EXPECT_EQ(cannot.kind, VerdictKind::kTableCannot);
    EXPECT_FALSE(cannot.alarm);
    EXPECT_NE(cannot.text.find("ECONNREFUSED"), std::string::npos);

    core::Event blocked = Returned(core::CallKind::kAccept, 0, Unconditional(0));
    blocked.phase = core::Phase::kBlocked;
    EXPECT_EQ(ui::StepVerdict(blocked, nullptr, none, core::Lang::kEn).kind, VerdictKind::kNone);
}

}  // namespace
}  // namespace sockstep::testing
