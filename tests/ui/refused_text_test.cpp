// ECONNREFUSED told by what really happened, in every place that prints it: the refused lesson
// (a TCP connect() answered with a RST) and the udp lesson (a connected UDP socket's recv()
// reporting the ICMP port unreachable it kept) run for real; the timeline's tooltip for the
// failed call and the narration of that step are read back from the draw data. The UDP case
// never says RST.
#include <gtest/gtest.h>
#include <imgui_internal.h>

#include <cerrno>
#include <string>
#include <vector>

#include "lesson_run.h"
#include "sockstep/model/explain.h"

namespace sockstep::testing {
namespace {

// The runs drawn, lines joined with spaces (a wrapped line reads on).
std::string Joined(const std::vector<std::string>& texts) {
    std::string out;
    for (const std::string& t : texts) out += (out.empty() ? "" : " ") + t;
    return out;
}

struct Seen {
    std::string tooltip;
    std::string narration;
    std::string line;  // ErrnoLineOf the failed call: what both must say
};

// The failed call's timeline tooltip and its step's narration, as drawn.
Seen RefusedTexts(const std::string& lesson, core::Lang lang) {
    HeadlessImGui gui(1920, 1080);
    LessonRun run = RunLesson(lesson);
    Seen seen;
    ui::FrameModel model;
    run.controller->Fill(model, run.view, lang);
    size_t failed = model.log.size();
    for (size_t i = 0; i < model.log.size(); ++i) {
        if (model.log[i].phase == core::Phase::kReturn && model.log[i].err == ECONNREFUSED) {
            failed = i;
            break;
        }
    }
    EXPECT_LT(failed, model.log.size()) << lesson;
    if (failed == model.log.size()) return seen;
    seen.line = ui::ErrnoLineOf(model.log[failed], "", lang);
    run.steps = {failed + 1};
    bool first = true;
    EveryStep(gui, run, ImVec2(1920, 1080), 1.0f, lang, ui::Theme::kDark,
              [&](size_t, const ui::LayoutDump&, const ui::FrameModel&) {
                  if (!first) return;
                  first = false;
                  seen.narration =
                      Joined(ui::TextsDrawn(*ImGui::GetDrawData(), run.view.layout.narration));
              });
    // Hover the failed call's mark: event i sits at i + 0.5 of n equal slices.
    const ui::ScreenRect strip = run.view.layout.timeline_strip;
    const float step = (strip.max.x - strip.min.x) / static_cast<float>(model.log.size());
    gui.io().MousePos = ImVec2(strip.min.x + (static_cast<float>(failed) + 0.5f) * step,
                               (strip.min.y + strip.max.y) * 0.5f);
    for (int f = 0; f < 3; ++f) {
        gui.Frame([&] {
            run.controller->Fill(model, run.view, lang);
            model.lang = lang;
            model.font_scale = 1.0f;
            (void)ui::DrawMainWindow(model, run.view);
        });
    }
    for (ImGuiWindow* w : GImGui->Windows) {
        if (std::string(w->Name).rfind("##Tooltip", 0) == 0 && w->Active) {
            seen.tooltip = Joined(
                ui::TextsDrawn(*ImGui::GetDrawData(),
                               {w->Pos, ImVec2(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y)}));
        }
    }
    return seen;
}

TEST(RefusedText, TcpSaysRstAndUdpSaysIcmpInTheTimelineAndTheNarration) {
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        // The table's line names both (TCP: RST; UDP: ICMP): neither lesson shows it.
        const std::string generic = ui::ErrnoLine(ECONNREFUSED, "", lang);
        const Seen tcp = RefusedTexts("refused", lang);
        EXPECT_NE(tcp.tooltip.find("ECONNREFUSED"), std::string::npos) << tcp.tooltip;
        EXPECT_NE(tcp.tooltip.find("RST"), std::string::npos) << tcp.tooltip;
        EXPECT_EQ(tcp.tooltip.find("ICMP"), std::string::npos) << tcp.tooltip;
        EXPECT_NE(tcp.line.find("RST"), std::string::npos) << tcp.line;
        EXPECT_NE(tcp.narration.find(tcp.line), std::string::npos) << tcp.narration;
        EXPECT_EQ(tcp.narration.find(generic), std::string::npos) << tcp.narration;
        EXPECT_EQ(tcp.tooltip.find(generic), std::string::npos) << tcp.tooltip;

        const Seen udp = RefusedTexts("udp", lang);
        EXPECT_NE(udp.tooltip.find("ECONNREFUSED"), std::string::npos) << udp.tooltip;
        EXPECT_NE(udp.tooltip.find("ICMP"), std::string::npos) << udp.tooltip;
        EXPECT_EQ(udp.tooltip.find("RST"), std::string::npos) << udp.tooltip;
        EXPECT_EQ(udp.line.find("RST"), std::string::npos) << udp.line;
        EXPECT_NE(udp.line.find("ICMP"), std::string::npos) << udp.line;
        EXPECT_NE(udp.narration.find(udp.line), std::string::npos) << udp.narration;
        EXPECT_EQ(udp.narration.find(generic), std::string::npos) << udp.narration;
    }
}

// The one line: ErrnoLineOf gives the card, the narration and the timeline the same words.
TEST(RefusedText, ErrnoLineOfIsTheTablesLineForOtherErrors) {
    core::Event e;
    e.err = EADDRINUSE;
    EXPECT_EQ(ui::ErrnoLineOf(e, "", core::Lang::kEn),
              ui::ErrnoLine(EADDRINUSE, "", core::Lang::kEn));
    e.err = ECONNREFUSED;  // no socket in the event: the table's line
    EXPECT_EQ(ui::ErrnoLineOf(e, "", core::Lang::kKo),
              ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kKo));
}

}  // namespace
}  // namespace sockstep::testing
