// Test helper (lesson_run.h): a built-in lesson run for real.
#include "lesson_run.h"

#include <filesystem>

namespace sockstep::testing {

LessonRun RunLesson(const std::string& id) {
    const std::filesystem::path assets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";
    LessonRun run;
    run.controller = std::make_unique<ui::Controller>(assets);
    EXPECT_TRUE(run.controller->OpenLesson(id)) << id;
    const core::Lesson* lesson = run.controller->lesson();
    if (lesson == nullptr) return run;
    EXPECT_EQ(run.controller->RunSteps(lesson->steps.size(), run.view), lesson->steps.size()) << id;
    ui::FrameModel model;
    run.controller->Fill(model, run.view, core::Lang::kEn);
    for (size_t i = 0; i < model.log.size(); ++i) {
        const core::Phase phase = model.log[i].phase;
        if (phase == core::Phase::kReturn || phase == core::Phase::kBlocked ||
            phase == core::Phase::kRefused) {
            run.steps.push_back(i + 1);
        }
    }
    return run;
}

}  // namespace sockstep::testing
