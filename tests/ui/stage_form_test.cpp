// Issue #13 inside the stage: the stage takes the fullest form in which what the step is about
// fits its rectangle. Each lesson runs for real on loopback; its log is replayed step by step
// through the history cursor and every frame is checked from its layout dump (ImDrawData).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "headless.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

struct LessonRun {
    std::unique_ptr<ui::Controller> controller;
    ui::ViewState view;
    std::vector<size_t> steps;  // cursors just after each call ended
};

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

// Every step of `run` at `size` and text `scale`: calls `check` with each step's dump.
template <class Check>
void EveryStep(HeadlessImGui& gui, LessonRun& run, ImVec2 size, float scale, core::Lang lang,
               Check&& check) {
    ImGuiIO& io = gui.io();
    ui::FontSet fonts;
    ui::BuildFonts(*io.Fonts, scale, ui::AllUiText(lang) + run.controller->GlyphText(lang), fonts);
    ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
    ui::ApplyTheme(ui::Theme::kDark, scale);
    io.DisplaySize = size;
    for (size_t step = 0; step < run.steps.size(); ++step) {
        run.view.cursor = run.steps[step];
        ui::FrameModel model;
        // The first frame lays out, the second scrolls if it must, the third is measured.
        for (int f = 0; f < 3; ++f) {
            gui.Frame([&] {
                run.controller->Fill(model, run.view, lang);
                model.lang = lang;
                model.theme = ui::Theme::kDark;
                model.font_scale = scale;
                run.view.fonts = &fonts;
                (void)ui::DrawMainWindow(model, run.view);
            });
        }
        check(step, ui::AnalyzeLayout(*ImGui::GetDrawData(), run.view.layout, model));
    }
}

bool Whole(const ui::DumpedCard& card) {
    // A half-pixel strip may round either way.
    const float w = card.rect.max.x - card.rect.min.x;
    const float h = card.rect.max.y - card.rect.min.y;
    return (1.0f - card.visible) * w * h <= 0.5f * (w + h);
}

TEST(StageForm, AtNormalTextSizeEveryCardOfTheStepIsWholeAndNoStageTextIsCut) {
    HeadlessImGui gui;
    for (const char* id : {"handshake", "accept-queue", "close-and-time-wait", "reset"}) {
        LessonRun run = RunLesson(id);
        ASSERT_FALSE(run.steps.empty()) << id;
        // A step that closes the last socket has no card in focus; the lesson has many.
        size_t in_focus = 0;
        for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
            EveryStep(gui, run, ImVec2(1280, 720), 1.0f, lang,
                      [&](size_t step, const ui::LayoutDump& dump) {
                          for (const ui::DumpedCard& card : dump.cards) {
                              if (!card.in_focus) continue;
                              ++in_focus;
                              EXPECT_TRUE(Whole(card)) << id << " step " << step + 1 << ": "
                                                       << card.socket << " " << card.visible;
                          }
                          for (const ui::ClippedText& t : dump.clipped) {
                              EXPECT_EQ(t.window.rfind("##main/stage", 0), std::string::npos)
                                  << id << " step " << step + 1 << ": \"" << t.text << "\" in "
                                  << t.window << " (" << t.box << ")";
                          }
                      });
        }
        EXPECT_GT(in_focus, 0u) << id;
    }
}

// At twice the text the window's stage is too small for full cards: the step's cards stay
// whole (compact, or at 0.9 or 0.8 of the text size) and never overlap.
TEST(StageForm, AtTwiceTheTextTheStepsCardsAreWholeAndApart) {
    HeadlessImGui gui;
    const float scale = 2.0f;
    size_t checked = 0;
    for (const char* id : {"handshake", "accept-queue"}) {
        LessonRun run = RunLesson(id);
        ASSERT_FALSE(run.steps.empty()) << id;
        EveryStep(gui, run, ImVec2(1920, 1080), scale, core::Lang::kEn,
                  [&](size_t step, const ui::LayoutDump& dump) {
                      for (const ui::DumpedCard& card : dump.cards) {
                          if (!card.in_focus) continue;
                          ++checked;
                          EXPECT_TRUE(Whole(card)) << id << " step " << step + 1 << ": "
                                                   << card.socket << " " << card.visible;
                      }
                      for (size_t i = 0; i < dump.cards.size(); ++i) {
                          for (size_t j = i + 1; j < dump.cards.size(); ++j) {
                              const ui::ScreenRect& a = dump.cards[i].rect;
                              const ui::ScreenRect& b = dump.cards[j].rect;
                              const bool apart =
                                  a.max.x <= b.min.x + 0.5f || b.max.x <= a.min.x + 0.5f ||
                                  a.max.y <= b.min.y + 0.5f || b.max.y <= a.min.y + 0.5f;
                              EXPECT_TRUE(apart)
                                  << id << " step " << step + 1 << ": " << dump.cards[i].socket
                                  << " and " << dump.cards[j].socket << " overlap";
                          }
                      }
                  });
    }
    EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace sockstep::testing
