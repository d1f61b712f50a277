// "Every text wraps or is shown whole: no '…' inside explanations." The handshake, accept-queue
// and close-and-time-wait lessons run for real and every step's frame is read back from its
// draw data (ui::AnalyzeLayout): no run of glyphs on the stage (cards, lifecycle diagrams, the
// wire's labels) ends a cut word with "…", at 1280x720 and 1024x768, text 1.0 and 3.0, in
// Korean and English.
#include <gtest/gtest.h>

#include <string>

#include "lesson_run.h"
#include "sockstep/model/strings.h"

namespace sockstep::testing {
namespace {

// A run that ends with one of the table's whole words with a "…" of its own ("called…": a call
// entered, its result still to come) is not cut.
bool EndsWithAWholeWord(const std::string& run, core::Lang lang) {
    for (const ui::Text t : {ui::Text::kResultEntered}) {
        const std::string word = ui::Tr(t, lang);
        if (run.size() >= word.size() &&
            run.compare(run.size() - word.size(), word.size(), word) == 0) {
            return true;
        }
    }
    return false;
}

TEST(NoEllipsis, NoStageTextIsCutWithAnEllipsis) {
    HeadlessImGui gui;
    size_t frames = 0;
    for (const char* id : {"handshake", "accept-queue", "close-and-time-wait"}) {
        LessonRun run = RunLesson(id);
        ASSERT_FALSE(run.steps.empty()) << id;
        for (const ImVec2 size : {ImVec2(1280, 720), ImVec2(1024, 768)}) {
            for (const float scale : {1.0f, 3.0f}) {
                for (const core::Lang lang : {core::Lang::kKo, core::Lang::kEn}) {
                    EveryStep(gui, run, size, scale, lang, ui::Theme::kDark,
                              [&](size_t step, const ui::LayoutDump& dump, const ui::FrameModel&) {
                                  ++frames;
                                  EXPECT_GT(dump.glyphs, 0u);
                                  for (const ui::ClippedText& t : dump.ellipsized) {
                                      if (EndsWithAWholeWord(t.text, lang)) continue;
                                      ADD_FAILURE()
                                          << id << " step " << step + 1 << " at " << size.x << "x"
                                          << size.y << " text " << scale << " "
                                          << (lang == core::Lang::kKo ? "ko" : "en") << ": \""
                                          << t.text << "\" in " << t.window;
                                  }
                              });
                }
            }
        }
    }
    EXPECT_GT(frames, 100u);
}

// The check itself sees a cut word: a card's address cut by Ellipsize would be listed.
TEST(NoEllipsis, TheDumpListsAWordCutWithAnEllipsis) {
    HeadlessImGui gui;
    ImGuiIO& io = gui.io();
    ui::FontSet fonts;
    ui::BuildFonts(*io.Fonts, 1.0f, "127.0.0.1:4… connect() …", fonts);
    ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
    ui::Layout layout;
    layout.stage_area = {ImVec2(0, 0), ImVec2(1280, 720)};
    gui.Frame([&] {
        ImDrawList* draw = ImGui::GetForegroundDrawList();
        draw->AddText(fonts.ui, 20, ImVec2(100, 100), IM_COL32_WHITE, "127.0.0.1:4…");
        draw->AddText(fonts.ui, 20, ImVec2(100, 200), IM_COL32_WHITE, "connect() …");
    });
    const ui::LayoutDump dump = ui::AnalyzeLayout(*ImGui::GetDrawData(), layout, ui::FrameModel{});
    ASSERT_EQ(dump.ellipsized.size(), 1u);
    EXPECT_EQ(dump.ellipsized[0].text, "127.0.0.1:4…");
}

}  // namespace
}  // namespace sockstep::testing
