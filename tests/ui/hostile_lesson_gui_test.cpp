// What `sockstep check` accepts, the window runs: each accepted hostile lesson
// (tests/core/lessons/hostile/accepted/) gets its glyphs built into the atlas the way the app
// builds them (a U+0000 there aborted the window, exit 134) and is stepped through to the end,
// one frame after every click, with the data it sent and received (NUL, ESC, C1 bytes) drawn.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>

#include "headless.h"
#include "sockstep/core/lesson.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kAccepted = fs::path(SOCKSTEP_SOURCE_DIR) / "tests/core/lessons/hostile/accepted";

// True when the zero-terminated range list holds no 0 before its end and every pair is ordered.
bool RangesWellFormed(const ImVector<ImWchar>& ranges) {
    if (ranges.Size == 0 || ranges.Size % 2 != 1 || ranges[ranges.Size - 1] != 0) return false;
    for (int i = 0; i + 1 < ranges.Size; i += 2) {
        if (ranges[i] == 0 || ranges[i + 1] == 0 || ranges[i] > ranges[i + 1]) return false;
    }
    return true;
}

TEST(HostileLessonGui, GlyphsOfControlCharactersAndWideCodePointsBuildAnAtlas) {
    HeadlessImGui imgui;
    ui::FontSet set;
    // NUL, ESC, DEL, a C1 control, U+10000 (wraps to U+0000 in 16 bits), an emoji, a bad byte.
    const std::string text = std::string("a\0b", 3) + "\x1b\x7f\xc2\x9b\xf0\x90\x80\x80😀\xff";
    ui::BuildFonts(*ImGui::GetIO().Fonts, 1.0f, text, set);
    ASSERT_NE(set.ui, nullptr);
    EXPECT_TRUE(RangesWellFormed(set.ranges));
    EXPECT_TRUE(ImGui::GetIO().Fonts->IsBuilt());
}

TEST(HostileLessonGui, EveryAcceptedHostileLessonRunsToTheEndInTheWindow) {
    size_t lessons = 0;
    for (const auto& entry : fs::directory_iterator(kAccepted)) {
        SCOPED_TRACE(entry.path().string());
        core::LessonResult loaded = core::LoadLesson(entry.path());
        ASSERT_TRUE(std::holds_alternative<core::Lesson>(loaded));
        const core::Lesson lesson = std::get<core::Lesson>(std::move(loaded));
        ++lessons;

        HeadlessImGui imgui{1280, 720};
        ui::Controller controller(std::nullopt);
        controller.UseLesson(lesson);
        ui::ViewState view;
        ui::FontSet fonts;
        for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
            ui::FrameModel model;
            const auto draw = [&] {
                controller.Update(ImGui::GetIO().DeltaTime, view);
                model = ui::FrameModel{};
                controller.Fill(model, view, lang);
                model.lang = lang;
                const ui::Intents intents = ui::DrawMainWindow(model, view);
                controller.Apply(intents, view);
            };
            // The app rebuilds the atlas from every text in use before drawing it.
            const auto rebuild = [&] {
                ui::BuildFonts(*ImGui::GetIO().Fonts, 1.0f,
                               ui::AllUiText(lang) + controller.GlyphText(lang), fonts);
                ASSERT_TRUE(RangesWellFormed(fonts.ranges));
            };
            rebuild();
            imgui.Frame(draw);
            if (lang == core::Lang::kKo) break;  // the run is done; Korean draws the end state
            for (size_t step = 0; step < lesson.steps.size(); ++step) {
                core::Session& session = *controller.session();
                const auto actors = session.Actors();
                for (size_t a = 0; a < actors.size(); ++a) {
                    if (actors[a].next_step == session.NextStepIndex()) {
                        session.WaitIdle(static_cast<int>(a));
                    }
                }
                imgui.Frame(draw);
                ASSERT_EQ(model.step_state, ui::StepState::kReady) << "step " << step;
                imgui.Click(view.layout.step_button.Center(), draw);
                EXPECT_EQ(controller.session()->NextStepIndex(), step + 1);
            }
            for (size_t a = 0; a < controller.session()->Actors().size(); ++a) {
                controller.session()->WaitIdle(static_cast<int>(a));
            }
            rebuild();  // the data received is new text
            imgui.Frame(draw);
            EXPECT_EQ(model.step_state, ui::StepState::kDone);
            // The recv() returned the bytes sent, NUL and ESC included.
            bool received = false;
            for (size_t i = 0; i < model.log.size(); ++i) {
                const core::Event& e = model.log[i];
                if (e.phase == core::Phase::kReturn && e.request.call == core::CallKind::kRecv) {
                    received = e.data.find('\x1b') != std::string::npos &&
                               e.data.find('\0') != std::string::npos;
                }
            }
            EXPECT_TRUE(received);
        }
    }
    EXPECT_GE(lessons, 1u);
}

}  // namespace
}  // namespace sockstep::testing
