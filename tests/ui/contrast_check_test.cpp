// The contrast checker on frames drawn for it: it finds grey text on grey, names the text and
// the two colours, sees a translucent fill composited beneath text, and passes black on white.
#include "sockstep/ui/contrast_check.h"

#include <gtest/gtest.h>

#include "headless.h"

namespace sockstep::testing {
namespace {

constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kBlack = IM_COL32(0, 0, 0, 255);

// Draws `text` in `colour` on a rectangle of `fill` inside a borderless window of `window_bg`,
// and checks the frame.
ui::ContrastReport Check(ImU32 window_bg, ImU32 fill, ImU32 colour, const char* text) {
    HeadlessImGui imgui{400, 200};
    imgui.Frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 200));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, window_bg);
        ImGui::Begin("contrast", nullptr, ImGuiWindowFlags_NoDecoration);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(ImVec2(20, 20), ImVec2(380, 80), fill);
        draw->AddText(ImVec2(30, 40), colour, text);
        ImGui::End();
        ImGui::PopStyleColor();
    });
    return ui::CheckContrast(*ImGui::GetDrawData(), *ImGui::GetIO().Fonts, kWhite);
}

TEST(ContrastCheck, RatiosAreWcags) {
    EXPECT_NEAR(ui::ContrastRatio(kBlack, kWhite), 21.0f, 0.01f);
    EXPECT_NEAR(ui::ContrastRatio(kWhite, kWhite), 1.0f, 0.001f);
    // #777777 on white is the classic 4.48:1, just short of AA.
    EXPECT_NEAR(ui::ContrastRatio(IM_COL32(0x77, 0x77, 0x77, 255), kWhite), 4.48f, 0.01f);
    EXPECT_EQ(ui::BlendOver(IM_COL32(0, 0, 0, 128), kWhite), IM_COL32(127, 127, 127, 255));
}

TEST(ContrastCheck, GreyTextOnGreyFailsAndIsNamedWithBothColours) {
    const ui::ContrastReport report = Check(kWhite, IM_COL32(0x88, 0x88, 0x88, 255),
                                            IM_COL32(0x77, 0x77, 0x77, 255), "LISTEN here");
    ASSERT_EQ(report.failures.size(), 1u);
    const ui::GlyphRun& run = report.failures[0];
    EXPECT_EQ(run.text, "LISTEN here");
    EXPECT_EQ(run.colour, IM_COL32(0x77, 0x77, 0x77, 255));
    EXPECT_EQ(run.beneath, IM_COL32(0x88, 0x88, 0x88, 255));
    EXPECT_LT(run.ratio, 1.5f);
    EXPECT_FLOAT_EQ(run.required, ui::kContrastText);
    EXPECT_EQ(report.glyphs, 10u);  // the space draws no quad
    const std::string said = ui::Describe(run);
    EXPECT_NE(said.find("'LISTEN here' #777777FF on #888888"), std::string::npos) << said;
}

TEST(ContrastCheck, FadingByAlphaIsMeasuredAfterBlending) {
    // Black at 25 % alpha on white reads as #BFBFBF: 1.9:1.
    const ui::ContrastReport faded = Check(kWhite, kWhite, IM_COL32(0, 0, 0, 64), "faded");
    ASSERT_EQ(faded.failures.size(), 1u);
    EXPECT_NEAR(faded.failures[0].ratio, 1.9f, 0.1f);
    const ui::ContrastReport solid = Check(kWhite, kWhite, kBlack, "solid");
    EXPECT_TRUE(solid.failures.empty());
    EXPECT_NEAR(solid.lowest, 21.0f, 0.01f);
}

TEST(ContrastCheck, ATranslucentFillIsCompositedOverTheWindowBeneath) {
    // Half-transparent black over a white window is mid grey: white text on it is 4.0:1, short of
    // 4.5; over a black window the same fill is black and white text passes.
    const ImU32 half_black = IM_COL32(0, 0, 0, 128);
    const ui::ContrastReport on_white = Check(kWhite, half_black, kWhite, "text");
    ASSERT_EQ(on_white.failures.size(), 1u);
    EXPECT_EQ(on_white.failures[0].beneath, IM_COL32(127, 127, 127, 255));
    const ui::ContrastReport on_black = Check(kBlack, half_black, kWhite, "text");
    EXPECT_TRUE(on_black.failures.empty());
    EXPECT_EQ(on_black.runs.size(), 1u);
}

// A state chip (a rounded fill of a chip colour) on a card fill: 3:1 or it is listed; a line of
// the same colour is no chip.
ui::ContrastReport CheckChip(ImU32 card, ImU32 chip) {
    HeadlessImGui imgui{400, 200};
    imgui.Frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 200));
        ImGui::Begin("chips", nullptr, ImGuiWindowFlags_NoDecoration);
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(ImVec2(20, 20), ImVec2(380, 180), card, 6.0f);
        draw->AddRectFilled(ImVec2(40, 40), ImVec2(140, 70), chip, 8.0f);
        draw->AddLine(ImVec2(40, 100), ImVec2(360, 170), chip, 3.0f);
        ImGui::End();
    });
    return ui::CheckContrast(*ImGui::GetDrawData(), *ImGui::GetIO().Fonts, kWhite, {chip}, 16.0f);
}

TEST(ContrastCheck, AChipBelowThreeToOneOnItsCardIsListed) {
    // Grey #6B7280 on a highlighted dark card #464137: 2.1:1.
    const ui::ContrastReport dim =
        CheckChip(IM_COL32(0x46, 0x41, 0x37, 255), IM_COL32(0x6B, 0x72, 0x80, 255));
    ASSERT_EQ(dim.chips.size(), 1u) << "the line is no chip";
    ASSERT_EQ(dim.chip_failures.size(), 1u);
    EXPECT_EQ(dim.chip_failures[0].beneath, IM_COL32(0x46, 0x41, 0x37, 255));
    EXPECT_NEAR(dim.chip_failures[0].ratio, 2.1f, 0.05f);
    EXPECT_NE(ui::Describe(dim.chip_failures[0]).find("chip #6B7280FF on #464137"),
              std::string::npos);
    // The same grey on white: 4.8:1.
    const ui::ContrastReport fine = CheckChip(kWhite, IM_COL32(0x6B, 0x72, 0x80, 255));
    ASSERT_EQ(fine.chips.size(), 1u);
    EXPECT_TRUE(fine.chip_failures.empty());
}

}  // namespace
}  // namespace sockstep::testing
