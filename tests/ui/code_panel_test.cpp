// The code panel follows the timeline: moved back into history, the line of the call shown is
// scrolled into view, as it is live. In any rectangle from about 12 em by two lines up, at every
// step, nothing in it is cut (long lines wrap, the rows in view are whole) and the highlighted
// line is in view. Its C / Python switch, clicked, shows the other language's programs with the
// same line highlighted, and the narration adds Python's differences.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "draw_context.h"
#include "headless.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

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

// One lesson run to its end on loopback, in `lang`: the cursors just after each call ended.
struct LessonRun {
    std::unique_ptr<ui::Controller> controller;
    ui::ViewState view;
    std::vector<size_t> steps;
};

LessonRun RunLesson(const std::string& id, core::Lang lang) {
    LessonRun run;
    run.controller = std::make_unique<ui::Controller>(kAssets);
    EXPECT_TRUE(run.controller->OpenLesson(id)) << id;
    const core::Lesson* lesson = run.controller->lesson();
    if (lesson == nullptr) return run;
    EXPECT_EQ(run.controller->RunSteps(lesson->steps.size(), run.view), lesson->steps.size());
    ui::FrameModel model;
    run.controller->Fill(model, run.view, lang);
    for (size_t i = 0; i < model.log.size(); ++i) {
        const core::Phase phase = model.log[i].phase;
        if (phase == core::Phase::kReturn || phase == core::Phase::kBlocked ||
            phase == core::Phase::kInterrupted || phase == core::Phase::kRefused) {
            run.steps.push_back(i + 1);
        }
    }
    return run;
}

// The code panel alone, `size` at the top left of a window as the main window gives it one.
void DrawPanel(const ui::FrameModel& model, ui::ViewState& view, const ui::FontSet& fonts,
               ImVec2 size) {
    ui::Intents out;
    ui::DrawContext c{model,    view,       out,        ui::PaletteFor(ui::Theme::kDark),
                      fonts.ui, fonts.bold, fonts.code, model.lang};
    view.layout.ClearFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("##main", nullptr, ImGuiWindowFlags_NoDecoration);
    ui::DrawCodePanel(c, size);
    ImGui::End();
}

bool WithinY(const ui::ScreenRect& inner, const ui::ScreenRect& outer) {
    return inner.min.y >= outer.min.y - 0.01f && inner.max.y <= outer.max.y + 0.01f;
}

// Widths in em of the UI font, heights in its lines (with their spacing).
constexpr float kWidthsEm[] = {12, 20, 32, 60};
constexpr float kHeightsLines[] = {2, 3, 6, 14};
constexpr float kRectScales[] = {1.0f, 2.0f, 3.0f};

class CodePanelRect : public ::testing::TestWithParam<const char*> {};

TEST_P(CodePanelRect, NothingIsCutAndTheHighlightedLineIsWholeInView) {
    const std::string lesson = GetParam();
    HeadlessImGui gui(4000, 2000);
    size_t checked = 0;
    for (const core::Lang lang : {core::Lang::kKo, core::Lang::kEn}) {
        LessonRun run = RunLesson(lesson, lang);
        ASSERT_FALSE(run.steps.empty());
        for (const float scale : kRectScales) {
            ui::FontSet fonts;
            ui::BuildFonts(*gui.io().Fonts, scale,
                           ui::AllUiText(lang) + run.controller->GlyphText(lang), fonts);
            ASSERT_NE(fonts.code, nullptr);
            unsigned char* pixels = nullptr;
            int tw = 0;
            int th = 0;
            gui.io().Fonts->GetTexDataAsAlpha8(&pixels, &tw, &th);
            ui::ApplyTheme(ui::Theme::kDark, scale);
            const ImGuiStyle& style = ImGui::GetStyle();
            const float em = fonts.ui->FontSize;
            const float line = em + style.ItemSpacing.y;
            for (const float width_em : kWidthsEm) {
                for (const float lines : kHeightsLines) {
                    const ImVec2 size(std::floor(width_em * em),
                                      std::floor(lines * line + style.WindowPadding.y * 2));
                    for (const size_t cursor : run.steps) {
                        SCOPED_TRACE(lesson + " " + std::string(core::LangCode(lang)) + " scale " +
                                     std::to_string(scale) + " " + std::to_string(width_em) +
                                     " em x " + std::to_string(lines) + " lines, cursor " +
                                     std::to_string(cursor));
                        run.view.cursor = cursor;
                        ui::FrameModel model;
                        for (int f = 0; f < 3; ++f) {
                            gui.Frame([&] {
                                model = ui::FrameModel{};
                                run.controller->Fill(model, run.view, lang);
                                model.lang = lang;
                                run.view.fonts = &fonts;
                                model.font_scale = scale;
                                DrawPanel(model, run.view, fonts, size);
                            });
                        }
                        const ui::LayoutDump dump =
                            ui::AnalyzeLayout(*ImGui::GetDrawData(), run.view.layout, model);
                        for (const ui::ClippedText& t : dump.clipped) {
                            ADD_FAILURE() << "cut in " << t.window << ": \"" << t.text << "\"";
                        }
                        ASSERT_TRUE(model.scene.current.has_value());
                        const core::Event& e = model.log[*model.scene.current];
                        if (e.step < 0) continue;
                        const ui::Layout& layout = run.view.layout;
                        ASSERT_TRUE(layout.code_listings.count(e.actor));
                        ASSERT_TRUE(layout.code_steps.count(e.step));
                        const ui::ScreenRect& view = layout.code_listings.at(e.actor);
                        const ui::ScreenRect& row = layout.code_steps.at(e.step);
                        EXPECT_TRUE(WithinY(row, view))
                            << "the step's line at y " << row.min.y << ".." << row.max.y
                            << ", the listing " << view.min.y << ".." << view.max.y;
                        // Whole rows: the listing is a whole number of rows high and scrolled
                        // by whole rows, so every row in view starts a whole number of rows
                        // below its top.
                        const float row_h = row.max.y - row.min.y;
                        const float in_rows = (view.max.y - view.min.y) / row_h;
                        EXPECT_FLOAT_EQ(in_rows, std::round(in_rows));
                        const float offset = (row.min.y - view.min.y) / row_h;
                        EXPECT_NEAR(offset, std::round(offset), 1e-3);
                        ++checked;
                        if (::testing::Test::HasFailure()) return;
                    }
                }
            }
        }
    }
    EXPECT_GE(checked, 50u);
}

// Two actors (reset), four (accept-queue: the selector does not fit a narrow panel on one row),
// the longest lines (ipv6), and data written and read (echo).
INSTANTIATE_TEST_SUITE_P(Lessons, CodePanelRect,
                         ::testing::Values("reset", "accept-queue", "ipv6", "echo"));
std::string ProgramText(const std::vector<ui::ActorProgram>& programs) {
    std::string out;
    for (const ui::ActorProgram& p : programs) {
        for (const ui::CodeLine& l : p.lines) out += l.text + "\n";
    }
    return out;
}

class CodeSwitch : public ::testing::TestWithParam<std::tuple<float, float, float>> {};

TEST_P(CodeSwitch, AClickShowsThePythonProgramsAndAnotherClickC) {
    const auto [scale, width, height] = GetParam();
    Window w("echo", scale, width, height);
    const size_t steps = 7;  // the client's first send()
    ASSERT_EQ(w.controller.RunSteps(steps, w.view), steps);
    w.BuildAppFonts();
    w.Frames(3);
    ASSERT_EQ(w.view.code_language, ui::CodeLanguage::kC);
    EXPECT_NE(ProgramText(w.model.programs).find("send(sock, \"hello\", 5, 0);"),
              std::string::npos);

    const auto click = [&w] {
        const ui::ScreenRect target = w.view.layout.code_switch;
        ASSERT_TRUE(target.max.x > target.min.x) << "no switch drawn";
        ASSERT_TRUE(w.view.layout.code.Contains(target.Center())) << "the switch is in the panel";
        w.imgui.Click(target.Center(), [&w] {
            w.controller.Update(ImGui::GetIO().DeltaTime, w.view);
            w.model = ui::FrameModel{};
            w.controller.Fill(w.model, w.view, core::Lang::kEn);
            w.view.fonts = &w.fonts;
            w.model.font_scale = w.scale;
            w.controller.Apply(ui::DrawMainWindow(w.model, w.view), w.view);
        });
        w.Frames(3);
    };
    click();
    ASSERT_EQ(w.view.code_language, ui::CodeLanguage::kPython);
    const std::string python = ProgramText(w.model.programs);
    EXPECT_NE(python.find("sock.sendall(b\"hello\")"), std::string::npos) << python;
    EXPECT_EQ(python.find("send(sock, \"hello\", 5, 0);"), std::string::npos);
    // The call shown is highlighted in Python too, on screen.
    ASSERT_TRUE(w.view.layout.code_steps.count(static_cast<int>(steps - 1)));
    const ui::ScreenRect line = w.view.layout.code_steps.at(static_cast<int>(steps - 1));
    EXPECT_TRUE(Inside(line, w.view.layout.code));

    click();
    EXPECT_EQ(w.view.code_language, ui::CodeLanguage::kC);
    EXPECT_NE(ProgramText(w.model.programs).find("send(sock, \"hello\", 5, 0);"),
              std::string::npos);
}

// Side by side (a wide window) and as tabs (a narrow one, a large text).
INSTANTIATE_TEST_SUITE_P(Layouts, CodeSwitch,
                         ::testing::Values(std::tuple{1.0f, 1920.0f, 1080.0f},
                                           std::tuple{1.0f, 1280.0f, 720.0f},
                                           std::tuple{2.0f, 1024.0f, 768.0f}));

}  // namespace
}  // namespace sockstep::testing
