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
#include "lesson_run.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

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
            EveryStep(gui, run, ImVec2(1280, 720), 1.0f, lang, ui::Theme::kDark,
                      [&](size_t step, const ui::LayoutDump& dump, const ui::FrameModel&) {
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
        EveryStep(gui, run, ImVec2(1920, 1080), scale, core::Lang::kEn, ui::Theme::kDark,
                  [&](size_t step, const ui::LayoutDump& dump, const ui::FrameModel&) {
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
