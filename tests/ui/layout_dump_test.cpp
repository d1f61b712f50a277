// The layout dump on hand-made frames: a text cut by its window, a text outside its registered
// box, a card off screen, a card in full view. Proves the walking test's checks can fail.
#include "sockstep/ui/layout_dump.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "headless.h"

namespace sockstep::ui {
namespace {

using testing::HeadlessImGui;

FrameModel ModelWithCards() {
    FrameModel frame;
    frame.font_scale = 1.5f;
    SceneActor actor;
    actor.name = "client";
    frame.scene.actors.push_back(actor);
    for (int id : {1, 2}) {
        SceneCard card;
        card.view.id = id;
        card.view.name = id == 1 ? "sock" : "conn";
        card.pane = 0;
        card.in_focus = id == 2;
        frame.scene.cards.push_back(card);
    }
    return frame;
}

TEST(LayoutDump, FindsATextCutByItsWindowAndOneOutsideItsBoxAndAnOffScreenCard) {
    HeadlessImGui gui(800, 600);
    Layout layout;
    gui.Frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("##main", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::Text("fits well");
        // A child 60 px wide: a widget's text longer than that is cut at its edge.
        ImGui::BeginChild("narrow", ImVec2(60, 40), true);
        ImGui::TextUnformatted("WWWWWWWWWWWWWWWW");
        ImGui::EndChild();
        // A text registered for a box it overruns.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ScreenRect box{ImVec2(100, 300), ImVec2(140, 330)};
        const int before = draw->VtxBuffer.Size;
        draw->AddText(ImVec2(102, 305), IM_COL32_WHITE, "overrun");
        layout.text_spans.push_back({draw, before, draw->VtxBuffer.Size, box, "card 1"});
        const ImVec2 clip_min = draw->GetClipRectMin();
        const ImVec2 clip_max = draw->GetClipRectMax();
        // Card 1 lies right of the window; card 2 in full view.
        layout.cards_drawn.push_back(
            {1, {ImVec2(900, 100), ImVec2(1000, 160)}, {clip_min, clip_max}});
        layout.cards_drawn.push_back(
            {2, {ImVec2(300, 100), ImVec2(400, 160)}, {clip_min, clip_max}});
        layout.stage = {ImVec2(0, 0), ImVec2(400, 300)};
        ImGui::End();
    });
    const LayoutDump dump = AnalyzeLayout(*ImGui::GetDrawData(), layout, ModelWithCards());

    EXPECT_EQ(dump.width, 800);
    EXPECT_EQ(dump.height, 600);
    EXPECT_EQ(dump.text_scale, 1.5f);
    EXPECT_FLOAT_EQ(dump.stage_share, 0.25f);
    ASSERT_EQ(dump.cards.size(), 2u);
    EXPECT_EQ(dump.cards[0].socket, "sock");
    EXPECT_EQ(dump.cards[0].actor, "client");
    EXPECT_EQ(dump.cards[0].visible, 0.0f);
    EXPECT_FALSE(dump.cards[0].in_focus);
    EXPECT_EQ(dump.cards[1].visible, 1.0f);
    EXPECT_TRUE(dump.cards[1].in_focus);

    ASSERT_EQ(dump.clipped.size(), 2u) << LayoutJson(dump);
    // The main window's list comes before its child's.
    const ClippedText& over = dump.clipped[0];
    const ClippedText& cut = dump.clipped[1];
    EXPECT_EQ(cut.kind, ClipKind::kClipped);
    EXPECT_EQ(cut.text, "WWWWWWW");  // the 7th crosses the edge; ImGui drops the rest
    EXPECT_NE(cut.window.find("narrow"), std::string::npos) << cut.window;
    EXPECT_GT(cut.where.max.x, cut.box_rect.max.x);
    EXPECT_EQ(over.kind, ClipKind::kOutsideBox);
    EXPECT_EQ(over.text, "overrun");
    EXPECT_EQ(over.box, "card 1");
    EXPECT_EQ(over.window, "##main");
    EXPECT_GT(over.where.max.x, 140.0f);
    EXPECT_EQ(dump.glyphs, 22u);  // "fits well", 7 W, "overrun"; spaces draw none

    const nlohmann::json j = nlohmann::json::parse(LayoutJson(dump));
    EXPECT_EQ(j["clipped_texts"][0]["kind"], "outside_box");
    EXPECT_EQ(j["clipped_texts"][1]["kind"], "clipped");
    EXPECT_EQ(j["cards"][0]["visible"], 0.0);
    EXPECT_EQ(j["cards"][1]["in_focus"], true);
}

TEST(LayoutDump, AFrameWhereEverythingFitsReportsNothing) {
    HeadlessImGui gui(800, 600);
    Layout layout;
    gui.Frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("##main", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::Text("fits well");
        ImGui::Button("a button");
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const int before = draw->VtxBuffer.Size;
        draw->AddRectFilled(ImVec2(100, 300), ImVec2(300, 330), IM_COL32(40, 40, 40, 255), 4.0f);
        draw->AddLine(ImVec2(100, 300), ImVec2(500, 330), IM_COL32_WHITE, 1.0f);
        draw->AddText(ImVec2(102, 305), IM_COL32_WHITE, "inside");
        layout.text_spans.push_back(
            {draw, before, draw->VtxBuffer.Size, {ImVec2(100, 300), ImVec2(300, 330)}, "card 1"});
        ImGui::End();
    });
    const LayoutDump dump = AnalyzeLayout(*ImGui::GetDrawData(), layout, FrameModel{});
    EXPECT_TRUE(dump.clipped.empty()) << LayoutJson(dump);
    // "fits well", "a button", "inside", without spaces: 21 glyphs, none taken for a shape.
    EXPECT_EQ(dump.glyphs, 21u);
}

}  // namespace
}  // namespace sockstep::ui
