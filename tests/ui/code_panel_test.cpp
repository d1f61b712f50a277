// The code panel follows the timeline: moved back into history, the line of the call shown is
// scrolled into view, as it is live.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "headless.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"

namespace sockstep::testing {
namespace {

const std::filesystem::path kAssets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";

struct Window {
    Window(const std::string& lesson, float text_scale, float width, float height)
        : imgui(width, height), controller(kAssets), scale(text_scale) {
        EXPECT_TRUE(controller.OpenLesson(lesson));
    }
    // The app's fonts (UI, bold and code) at `scale`, built from every text in use.
    void BuildAppFonts() {
        ui::BuildFonts(*ImGui::GetIO().Fonts, scale,
                       ui::AllUiText(core::Lang::kEn) + controller.GlyphText(core::Lang::kEn),
                       fonts);
    }
    void Frames(int n) {
        for (int i = 0; i < n; ++i) {
            imgui.Frame([this] {
                controller.Update(ImGui::GetIO().DeltaTime, view);
                model = ui::FrameModel{};
                controller.Fill(model, view, core::Lang::kEn);
                view.fonts = &fonts;
                model.font_scale = scale;
                controller.Apply(ui::DrawMainWindow(model, view), view);
            });
        }
    }
    HeadlessImGui imgui;
    ui::Controller controller;
    ui::ViewState view;
    ui::FrameModel model;
    float scale = 1.0f;
    ui::FontSet fonts;
};

bool Inside(const ui::ScreenRect& line, const ui::ScreenRect& panel) {
    return line.min.y >= panel.min.y && line.max.y <= panel.max.y;
}

class CodePanel : public ::testing::TestWithParam<std::tuple<float, float, float>> {};

TEST_P(CodePanel, InHistoryTheHighlightedLineIsScrolledIntoView) {
    const auto [scale, width, height] = GetParam();
    Window w("reset", scale, width, height);
    const size_t steps = 26;
    ASSERT_EQ(w.controller.RunSteps(steps, w.view), steps);
    w.BuildAppFonts();
    w.Frames(3);
    // Live, at the end: the last step's line is in view, so the first step's is scrolled away.
    ASSERT_TRUE(w.view.layout.code_steps.count(0));
    ASSERT_FALSE(Inside(w.view.layout.code_steps.at(0), w.view.layout.code))
        << "the program fits the panel: nothing to scroll";

    // Back through history, last step first: each step's line comes into view.
    const core::LogView log = w.controller.session()->Log();
    size_t checked = 0;
    for (size_t i = log.size(); i-- > 0;) {
        const core::Event& e = log[i];
        if (e.step < 0 || e.phase != core::Phase::kReturn || i + 1 == log.size()) continue;
        SCOPED_TRACE("step " + std::to_string(e.step + 1));
        w.view.cursor = i + 1;
        w.Frames(3);
        ASSERT_TRUE(w.model.scene.history);
        ASSERT_TRUE(w.view.layout.code_steps.count(e.step));
        const ui::ScreenRect& line = w.view.layout.code_steps.at(e.step);
        EXPECT_TRUE(Inside(line, w.view.layout.code))
            << "line at y " << line.min.y << ", panel " << w.view.layout.code.min.y << ".."
            << w.view.layout.code.max.y;
        ++checked;
    }
    EXPECT_GE(checked, steps - 1);
}

INSTANTIATE_TEST_SUITE_P(TextScales, CodePanel,
                         ::testing::Values(std::tuple{1.0f, 1024.0f, 768.0f},
                                           std::tuple{2.0f, 1024.0f, 768.0f},
                                           std::tuple{1.0f, 1366.0f, 768.0f},
                                           std::tuple{2.0f, 1920.0f, 1080.0f}));

}  // namespace
}  // namespace sockstep::testing
