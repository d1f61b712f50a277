// Issue #13, "the stage comes first": how the main window shares itself out at a projector size
// with large text. The stage keeps more than half the height and the larger part of the width
// with the kernel table too; the toolbar stays one row and what left it is in its "⋯" menu,
// which works (Reset from there, and its R key); the code panel folds to a one-line bar whose
// button opens it again and is remembered; the status banner is left out when the height is
// short, and the timeline still says HISTORY. The app's fonts at the app's text sizes, a real
// session on loopback.
#include <gtest/gtest.h>
#include <imgui_internal.h>

#include <filesystem>
#include <memory>

#include "headless.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

constexpr int kResetKey = 82;  // any number: the model's KeyCodes name it

// A lesson run a few steps, drawn at one window size and text size; intents applied after each
// frame as the app does.
class Window {
  public:
    Window(float width, float height, float scale, core::Lang lang)
        : m_gui(width, height),
          m_scale(scale),
          m_lang(lang),
          m_controller(std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets") {
        EXPECT_TRUE(m_controller.OpenLesson("backlog-full"));
        EXPECT_EQ(m_controller.RunSteps(4, m_view), 4u);
        ui::BuildFonts(*m_gui.io().Fonts, scale, ui::AllUiText(lang) + m_controller.GlyphText(lang),
                       m_fonts);
        EXPECT_NE(m_fonts.ui, nullptr) << "fonts-nanum is needed";
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        m_gui.io().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        ui::ApplyTheme(ui::Theme::kDark, scale);
    }

    void Frame() {
        m_gui.Frame([this] { Draw(); });
    }
    void Click(const ui::ScreenRect& r) {
        m_gui.Click(r.Center(), [this] { Draw(); });
    }
    void Hover(ImVec2 pos) {
        m_gui.io().MousePos = pos;
        Frame();
        Frame();
    }
    void Press(int key) {
        ui::KeyPress p;
        p.key = key;
        m_press = p;
        Frame();
    }

    ui::ViewState& view() { return m_view; }
    const ui::Layout& layout() const { return m_view.layout; }
    float height() { return m_gui.io().DisplaySize.y; }
    float width() { return m_gui.io().DisplaySize.x; }
    bool asked_reset() const { return m_asked_reset; }
    const char* T(ui::Text text) const { return ui::Tr(text, m_lang); }

  private:
    void Draw() {
        ui::FrameModel model;
        m_controller.Fill(model, m_view, m_lang);
        model.lang = m_lang;
        model.theme = ui::Theme::kDark;
        model.font_scale = m_scale;
        m_view.fonts = &m_fonts;
        m_view.keys.r = kResetKey;
        m_view.key_press = m_press;
        m_press.reset();
        const ui::Intents intents = ui::DrawMainWindow(model, m_view);
        m_asked_reset = m_asked_reset || intents.reset;
        // Reset itself is not applied: the test only asks whether it was asked for.
        ui::Intents rest = intents;
        rest.reset = false;
        m_controller.Apply(rest, m_view);
    }

    HeadlessImGui m_gui;
    float m_scale;
    core::Lang m_lang;
    ui::Controller m_controller;
    ui::ViewState m_view;
    ui::FontSet m_fonts;
    std::optional<ui::KeyPress> m_press;
    bool m_asked_reset = false;
};

float Height(const ui::ScreenRect& r) {
    return r.max.y - r.min.y;
}

TEST(WindowShare, TheStageKeepsMoreThanHalfTheHeightWithTheKernelTableToo) {
    for (const bool table : {false, true}) {
        Window w(1024, 768, 3.0f, core::Lang::kKo);
        w.view().kernel_table = table;
        for (int i = 0; i < 3; ++i) w.Frame();
        const ui::Layout& l = w.layout();
        EXPECT_GT(Height(l.stage_area), w.height() * 0.5f) << "kernel table " << table;
        EXPECT_LE(l.stage_area.max.y, w.height());
        EXPECT_LE(l.stage_area.max.y, l.timeline.min.y);
        if (table) {
            // Beside the stage, as tall as it, never below it.
            EXPECT_GE(l.kernel_table.min.x, l.stage_area.max.x);
            EXPECT_LT(l.kernel_table.min.y, l.stage_area.min.y + Height(l.stage_area) * 0.1f);
            EXPECT_LE(l.kernel_table.max.y, l.stage_area.max.y + 1.0f);
            // And narrower than it: the stage keeps the larger part of the width.
            EXPECT_GT(l.stage_area.max.x - l.stage_area.min.x,
                      (l.kernel_table.max.x - l.kernel_table.min.x) * 1.2f);
        }
    }
}

TEST(WindowShare, TheToolbarIsOneRowAndWhatLeftItIsInItsMoreMenu) {
    Window w(1024, 768, 3.0f, core::Lang::kKo);
    for (int i = 0; i < 3; ++i) w.Frame();
    const ui::Layout& l = w.layout();
    ASSERT_FALSE(l.step_button.Empty());
    ASSERT_FALSE(l.more_button.Empty()) << "at 1024x768 and text size 3 some items must fold";
    // Step, Play and ⋯ on one row, inside the window.
    EXPECT_FLOAT_EQ(l.play_button.min.y, l.step_button.min.y);
    EXPECT_FLOAT_EQ(l.more_button.min.y, l.step_button.min.y);
    EXPECT_LE(l.more_button.max.x, w.width());
    EXPECT_TRUE(l.reset_button.Empty()) << "Reset left the row";
    // Reset in the ⋯ menu asks for a reset.
    w.Click(l.more_button);
    w.Frame();  // a popup's first frame only measures it
    ASSERT_FALSE(l.reset_button.Empty()) << "the ⋯ menu shows Reset";
    EXPECT_GT(l.reset_button.min.y, l.more_button.max.y - 1.0f);
    EXPECT_FALSE(w.asked_reset());
    w.Click(l.reset_button);
    EXPECT_TRUE(w.asked_reset());
}

TEST(WindowShare, TheLessonPickersTooltipHasTheWholeTitleWithinTheWindow) {
    Window w(1024, 768, 3.0f, core::Lang::kKo);
    for (int i = 0; i < 2; ++i) w.Frame();
    const ui::ScreenRect step = w.layout().step_button;
    // The picker is left of Step, on the same row.
    w.Hover(ImVec2(step.min.x - ImGui::GetFontSize() * 2.0f, step.Center().y));
    const ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
    ASSERT_NE(tip, nullptr);
    ASSERT_TRUE(tip->Active) << "hovering the lesson picker shows its tooltip";
    EXPECT_GE(tip->Pos.x, 0.0f);
    EXPECT_LE(tip->Pos.x + tip->Size.x, w.width()) << "the tooltip runs off the window";
    // The whole title, wrapped: more than one line.
    EXPECT_GT(tip->Size.y, ImGui::GetFontSize() * 2.0f);
}

TEST(WindowShare, TheResetKeyWorksWhenResetIsNotOnTheToolbar) {
    Window w(1024, 768, 3.0f, core::Lang::kEn);
    for (int i = 0; i < 2; ++i) w.Frame();
    ASSERT_TRUE(w.layout().reset_button.Empty());
    EXPECT_FALSE(w.asked_reset());
    w.Press(kResetKey);
    EXPECT_TRUE(w.asked_reset());
}

TEST(WindowShare, AtLargeTextTheCodePanelIsABarThatOpensItAndStaysOpen) {
    Window w(1024, 768, 3.0f, core::Lang::kKo);
    for (int i = 0; i < 2; ++i) w.Frame();
    EXPECT_TRUE(w.view().code_folded);
    ASSERT_FALSE(w.layout().code_bar.Empty());
    EXPECT_FALSE(w.view().code_panel.has_value());
    w.Click(w.layout().code_bar);
    ASSERT_EQ(w.view().code_panel, std::optional<bool>(true));
    for (int i = 0; i < 2; ++i) w.Frame();
    EXPECT_FALSE(w.view().code_folded);
    EXPECT_TRUE(w.layout().code_bar.Empty());
    // Open, it shares the strip: the stage keeps its height.
    const ui::Layout& l = w.layout();
    EXPECT_GT(Height(l.stage_area), w.height() * 0.5f);
    EXPECT_GE(l.code.min.y, l.stage_area.max.y);
    EXPECT_LE(l.code.max.y, l.timeline.min.y);
}

TEST(WindowShare, AtClassroomSizeTheCodePanelIsOpenAndTheBannerShown) {
    Window w(1280, 720, 1.0f, core::Lang::kEn);
    w.view().cursor = 2;  // history
    for (int i = 0; i < 2; ++i) w.Frame();
    EXPECT_FALSE(w.view().code_folded);
    EXPECT_TRUE(w.layout().code_bar.Empty());
    EXPECT_TRUE(w.layout().more_button.Empty()) << "everything fits in the row";
    EXPECT_FALSE(w.layout().reset_button.Empty());
    ASSERT_FALSE(w.layout().banner.Empty());
    EXPECT_LE(w.layout().banner.max.y, w.layout().stage_area.min.y);
}

TEST(WindowShare, WhenTheHeightIsShortTheBannerGoesAndTheTimelineSaysHistory) {
    Window w(1024, 768, 3.0f, core::Lang::kEn);
    w.view().cursor = 2;
    for (int i = 0; i < 2; ++i) w.Frame();
    EXPECT_TRUE(w.layout().banner.Empty());
    ASSERT_NE(w.layout().timeline_chip, nullptr);
    EXPECT_STREQ(w.layout().timeline_chip, w.T(ui::Text::kHistory));
    EXPECT_FALSE(w.layout().back_to_live.Empty()) << "the timeline's way back to live";
    EXPECT_GT(Height(w.layout().stage_area), w.height() * 0.5f);
}

}  // namespace
}  // namespace sockstep::testing
