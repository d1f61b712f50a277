// The card heights kept across frames (ViewState::card_heights, card_height_memo.h) change
// nothing on screen: every step of a few lessons, drawn with the memo warm from the steps before
// (and from the other language and text size) and again with it emptied, puts every card at the
// same place with the same size. A kept height that should have been measured again (a card
// whose state, error or place in a pane changed) moves a card, or the cards under it.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "lesson_run.h"

namespace sockstep::testing {
namespace {

using CardRects = std::map<int, ui::ScreenRect>;

// The step's third frame (the first lays out, the second scrolls), as EveryStep draws it.
CardRects DrawStep(HeadlessImGui& gui, LessonRun& run, const ui::FontSet& fonts, float scale,
                   core::Lang lang) {
    ui::FrameModel model;
    for (int f = 0; f < 3; ++f) {
        gui.Frame([&] {
            run.controller->Fill(model, run.view, lang);
            model.lang = lang;
            model.font_scale = scale;
            run.view.fonts = &fonts;
            (void)ui::DrawMainWindow(model, run.view);
        });
    }
    run.view.fonts = nullptr;
    return run.view.layout.cards;
}

TEST(CardHeightMemo, KeptHeightsLayTheCardsOutAsMeasuringAfreshDoes) {
    HeadlessImGui gui(1280, 720);
    size_t compared = 0;
    for (const char* lesson :
         {"accept-queue", "backlog-full", "close-and-time-wait", "refused", "reset", "udp"}) {
        LessonRun run = RunLesson(lesson);
        ASSERT_FALSE(run.steps.empty()) << lesson;
        for (const float scale : {1.0f, 2.0f}) {
            for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
                ui::FontSet fonts;
                gui.io().Fonts->Clear();
                ui::BuildFonts(*gui.io().Fonts, scale,
                               ui::AllUiText(lang) + run.controller->GlyphText(lang), fonts);
                ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
                unsigned char* pixels = nullptr;
                int w = 0;
                int h = 0;
                gui.io().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
                ui::ApplyTheme(ui::Theme::kDark, scale);
                for (const size_t cursor : run.steps) {
                    run.view.cursor = cursor;
                    const CardRects kept = DrawStep(gui, run, fonts, scale, lang);
                    EXPECT_FALSE(run.view.card_heights.heights.empty()) << lesson;
                    // Afresh: no kept height, and no kept choice of the stage's form either.
                    run.view.card_heights.enabled = false;
                    run.view.stage_forms.clear();
                    const CardRects fresh = DrawStep(gui, run, fonts, scale, lang);
                    run.view.card_heights.enabled = true;
                    run.view.stage_forms.clear();
                    ASSERT_EQ(kept.size(), fresh.size()) << lesson << " cursor " << cursor;
                    for (const auto& [id, rect] : fresh) {
                        const auto it = kept.find(id);
                        ASSERT_NE(it, kept.end()) << lesson << " socket " << id;
                        EXPECT_NEAR(it->second.min.y, rect.min.y, 0.01f)
                            << lesson << " cursor " << cursor << " socket " << id;
                        EXPECT_NEAR(it->second.max.y, rect.max.y, 0.01f)
                            << lesson << " cursor " << cursor << " socket " << id;
                        EXPECT_NEAR(it->second.max.x, rect.max.x, 0.01f)
                            << lesson << " cursor " << cursor << " socket " << id;
                        ++compared;
                    }
                }
            }
        }
    }
    // The lessons drew cards: the comparison compared something.
    EXPECT_GT(compared, 200u);
}

}  // namespace
}  // namespace sockstep::testing
