// Issue #13: the narration fits the panel the main window gives it. In a short panel it keeps the
// step, the verdict and the question with its answer buttons, folds the rest whole behind "More
// of this step…", and that control opens a window with the whole step; nothing is cut in either.
// The handshake runs for real, at 1024x768 (text size 2.0: the strip under the stage; 1.0: the
// column beside it).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "headless.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

constexpr int kEscape = 256;

class NarrationFit : public ::testing::Test {
  protected:
    void Open(float scale) {
        m_scale = scale;
        ASSERT_TRUE(m_controller.OpenLesson("handshake"));
        const std::string glyphs =
            ui::AllUiText(core::Lang::kEn) + m_controller.GlyphText(core::Lang::kEn);
        ui::BuildFonts(*m_gui.io().Fonts, scale, glyphs, m_fonts);
        ASSERT_NE(m_fonts.ui, nullptr) << "fonts-nanum is needed";
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        m_gui.io().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        ui::ApplyTheme(ui::Theme::kDark, scale);
    }

    void Draw() {
        m_controller.Update(ImGui::GetIO().DeltaTime, m_view);
        m_model = ui::FrameModel{};
        m_controller.Fill(m_model, m_view, core::Lang::kEn);
        m_model.lang = core::Lang::kEn;
        m_model.theme = ui::Theme::kDark;
        m_model.font_scale = m_scale;
        m_view.fonts = &m_fonts;
        m_view.keys.escape = kEscape;
        m_view.key_press = m_pending;
        m_pending.reset();
        m_last = ui::DrawMainWindow(m_model, m_view);
        m_controller.Apply(m_last, m_view);
    }
    // Draws `n` frames (the first lays out, the next ones are steady) and reads the last back.
    ui::LayoutDump Frames(int n = 3) {
        for (int i = 0; i < n; ++i) m_gui.Frame([this] { Draw(); });
        return ui::AnalyzeLayout(*ImGui::GetDrawData(), m_view.layout, m_model);
    }
    void Click(ui::ScreenRect rect) {
        m_gui.Click(rect.Center(), [this] { Draw(); });
    }
    // The texts of the dump cut in a window whose name contains `window`, one line each.
    static std::string CutIn(const ui::LayoutDump& dump, const std::string& window) {
        std::string out;
        for (const ui::ClippedText& t : dump.clipped) {
            if (t.window.find(window) != std::string::npos) out += t.window + ": " + t.text + "\n";
        }
        return out;
    }

    HeadlessImGui m_gui{1024, 768};
    ui::Controller m_controller{std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets"};
    ui::ViewState m_view;
    ui::FrameModel m_model;
    ui::Intents m_last;
    ui::FontSet m_fonts;
    std::optional<ui::KeyPress> m_pending;
    float m_scale = 1.0f;
};

TEST_F(NarrationFit, AShortPanelFoldsTheRestBehindOneControlThatOpensTheWholeStep) {
    ASSERT_NO_FATAL_FAILURE(Open(2.0f));
    // Step 6: the client's connect() returned, with the answer and the lesson's verdict.
    ASSERT_EQ(m_controller.RunSteps(6, m_view), 6u);
    ui::LayoutDump dump = Frames();
    EXPECT_EQ(CutIn(dump, "narration"), "");
    ASSERT_GT(m_view.layout.narration_folded, 0u) << "the step fits a short panel whole";
    const ui::ScreenRect more = m_view.layout.narration_more;
    const ui::ScreenRect panel = m_view.layout.narration;
    ASSERT_GT(more.max.y, more.min.y) << "no control opens what was folded";
    EXPECT_GE(more.min.y, panel.min.y);
    EXPECT_LE(more.max.y, panel.max.y);

    Click(more);
    EXPECT_TRUE(m_view.narration_whole);
    dump = Frames();
    const ui::ScreenRect whole = m_view.layout.narration_whole;
    ASSERT_GT(whole.max.y, whole.min.y) << "the whole step's window did not open";
    // It holds more than the panel could, and cuts nothing (it scrolls only past 90% of the
    // window's height; the handshake's step fits in it).
    EXPECT_GT(whole.max.y - whole.min.y, panel.max.y - panel.min.y);
    EXPECT_EQ(CutIn(dump, "narration"), "");

    // Escape closes it, as it closes the other dialogs.
    ui::KeyPress escape;
    escape.key = kEscape;
    m_pending = escape;
    Frames(1);
    EXPECT_FALSE(m_view.narration_whole);
    Frames(1);
    EXPECT_EQ(m_view.layout.narration_whole.max.y, m_view.layout.narration_whole.min.y);
}

TEST_F(NarrationFit, TheQuestionAndItsAnswerButtonsStayInAShortPanel) {
    ASSERT_NO_FATAL_FAILURE(Open(1.0f));
    // Five calls: the server's socket, bind, listen and accept (it blocks), the client's
    // socket. The next step, connect(), asks its question first.
    ASSERT_EQ(m_controller.RunSteps(5, m_view), 5u);
    const ui::LayoutDump dump = Frames();
    ASSERT_EQ(m_model.step_state, ui::StepState::kNeedAnswer);
    EXPECT_EQ(CutIn(dump, "narration"), "");
    // The lesson's words were folded, not the question.
    EXPECT_GT(m_view.layout.narration_folded, 0u);
    ASSERT_EQ(m_view.layout.answers.size(), 3u) << "the answer buttons were folded";
    const ui::ScreenRect panel = m_view.layout.narration;
    for (const auto& [choice, rect] : m_view.layout.answers) {
        EXPECT_GE(rect.min.y, panel.min.y) << choice;
        EXPECT_LE(rect.max.y, panel.max.y) << choice;
    }
    // B is the right answer; clicking it answers the question.
    Click(m_view.layout.answers.at(1));
    Frames(1);
    ASSERT_NE(m_model.answers, nullptr);
    EXPECT_EQ(m_model.answers->at(5), 1);
    EXPECT_EQ(m_model.step_state, ui::StepState::kReady);
}

class NarrationCall : public NarrationFit {
  protected:
    void Check(float scale) {
        m_gui.io().DisplaySize = ImVec2(1280, 720);
        ASSERT_NO_FATAL_FAILURE(Open(scale));
        const core::Lesson* lesson = m_controller.lesson();
        ASSERT_NE(lesson, nullptr);
        size_t checked = 0;
        for (size_t step = 0; step < lesson->steps.size(); ++step) {
            ASSERT_EQ(m_controller.RunSteps(1, m_view), 1u) << step + 1;
            const ui::LayoutDump dump = Frames();
            if (m_model.step_state == ui::StepState::kNeedAnswer || m_model.log.empty()) continue;
            EXPECT_EQ(CutIn(dump, "narration"), "") << scale << " step " << step + 1;
            std::string drawn;
            for (const std::string& t :
                 ui::TextsDrawn(*ImGui::GetDrawData(), m_view.layout.narration)) {
                drawn += t + " ";
            }
            // The call's line: "name(args)" or "name()", then "→ result".
            EXPECT_NE(drawn.find(") →"), std::string::npos)
                << "text " << scale << " step " << step + 1 << ": " << drawn;
            ++checked;
        }
        EXPECT_GT(checked, 5u) << scale;
    }
};

// A panel as short as the strip under the stage at 1280x720, text 2.0 and 3.0: the call that
// just ran and what it returned ("connect(c1, <listener>) → 0") stay; the step's header, the
// verdict and the lesson's words fold first.
TEST_F(NarrationCall, AShortPanelKeepsTheCallThatJustRanAtTextTwo) {
    Check(2.0f);
}
TEST_F(NarrationCall, AShortPanelKeepsTheCallThatJustRanAtTextThree) {
    Check(3.0f);
}

}  // namespace
}  // namespace sockstep::testing
