// Issue #13: every step of every built-in lesson, at four projector sizes, four text sizes and
// both languages, checked from the layout dump of the frame (ImDrawData, headless): each
// in-focus socket card is fully visible, no two cards overlap, no text is cut by its window or
// runs outside its box, and the stage has more than half the window's height. Each lesson runs once
// per language (a real session on loopback); its log is then replayed at every step through the
// history cursor for each size and scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
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

struct Size {
    float width;
    float height;
};
constexpr Size kSizes[] = {{1280, 720}, {1024, 768}, {1366, 768}, {1920, 1080}};
constexpr float kScales[] = {1.0f, 1.5f, 2.0f, 3.0f};
// Frames drawn at each cursor before the dump: the first lays out, the next scrolls to what
// the step is about (a scroll request takes effect the frame after), the last is measured.
constexpr int kFramesPerCheck = 3;
// At most this many problems are quoted in full; all are counted.
constexpr size_t kQuoted = 60;

std::string Rect(const ui::ScreenRect& r) {
    char text[96];
    std::snprintf(text, sizeof text, "(%.0f,%.0f %.0fx%.0f)", r.min.x, r.min.y, r.max.x - r.min.x,
                  r.max.y - r.min.y);
    return text;
}

std::string Card(const ui::DumpedCard& c) {
    return c.actor + "/" + c.socket + " (id " + std::to_string(c.socket_id) + ") " + Rect(c.rect);
}

// The problems of one dump, one line each.
std::vector<std::string> Problems(const ui::LayoutDump& dump) {
    std::vector<std::string> out;
    // The stage comes first: all DrawStage got has more than half the window's height.
    if (!(dump.stage_height_share > 0.5f)) {
        char share[32];
        std::snprintf(share, sizeof share, "%.1f%%", dump.stage_height_share * 100.0f);
        out.push_back("stage share of the window's height only " + std::string(share) + " " +
                      Rect(dump.stage_area));
    }
    for (const ui::DumpedCard& c : dump.cards) {
        // Hidden: more than a half-pixel strip (fractional positions round either way).
        const float w = c.rect.max.x - c.rect.min.x;
        const float h = c.rect.max.y - c.rect.min.y;
        if (c.in_focus && (1.0f - c.visible) * w * h > 0.5f * (w + h)) {
            char v[32];
            std::snprintf(v, sizeof v, "%.1f%%", c.visible * 100.0f);
            out.push_back("in-focus card " + Card(c) + " only " + v + " visible");
        }
    }
    for (size_t i = 0; i < dump.cards.size(); ++i) {
        for (size_t j = i + 1; j < dump.cards.size(); ++j) {
            const ui::DumpedCard& a = dump.cards[i];
            const ui::DumpedCard& b = dump.cards[j];
            if (a.visible <= 0.0f || b.visible <= 0.0f) continue;  // neither is on screen
            const float w =
                std::min(a.rect.max.x, b.rect.max.x) - std::max(a.rect.min.x, b.rect.min.x);
            const float h =
                std::min(a.rect.max.y, b.rect.max.y) - std::max(a.rect.min.y, b.rect.min.y);
            if (w > 0.5f && h > 0.5f)
                out.push_back("cards overlap: " + Card(a) + " and " + Card(b));
        }
    }
    for (const ui::ClippedText& t : dump.clipped) {
        out.push_back(std::string(t.kind == ui::ClipKind::kClipped ? "text cut by the clip rect"
                                                                   : "text outside its box") +
                      " in " + t.window + ": \"" + t.text + "\" at " + Rect(t.where) + ", " +
                      t.box + " " + Rect(t.box_rect));
    }
    return out;
}

// What a problem is about, for the summary: its kind and the window (ImGui's path without the
// hashed ids) or the card's actor. "text cut by the clip rect in ##main/code_C51BE4C2/x_1" is
// "text cut by the clip rect in ##main/code".
std::string Category(const std::string& problem) {
    for (const char* kind : {"in-focus card", "cards overlap", "stage share"})
        if (problem.rfind(kind, 0) == 0) return kind;
    const size_t in = problem.find(" in ##");
    if (in == std::string::npos) return problem;
    std::string window = problem.substr(in + 4, problem.find(':', in) - in - 4);
    const size_t underscore = window.find('_');
    if (underscore != std::string::npos) window.resize(underscore);
    return problem.substr(0, in) + " in " + window;
}

// One lesson, run to its end in a real session: the log the checks replay.
struct LessonRun {
    std::string id;
    std::unique_ptr<ui::Controller> controller;
    ui::ViewState view;
    std::vector<size_t> steps;  // cursors just after each call ended
};

std::vector<LessonRun> RunAllLessons(core::Lang lang, const std::filesystem::path& assets) {
    std::vector<LessonRun> runs;
    ui::Controller catalog(assets);
    for (const ui::LessonEntry& entry : catalog.Catalog()) {
        LessonRun run;
        run.id = entry.key;
        run.controller = std::make_unique<ui::Controller>(assets);
        EXPECT_TRUE(run.controller->OpenLesson(entry.key)) << entry.key;
        const core::Lesson* lesson = run.controller->lesson();
        if (lesson == nullptr) continue;
        // A step that waits for a program outside sockstep (server-alone's accept()) ends the
        // run there: its call is entered and blocks, and the steps after it need that program.
        size_t runnable = lesson->steps.size();
        for (size_t i = 0; i < lesson->steps.size(); ++i) {
            if (lesson->steps[i].outside_client) {
                runnable = i + 1;
                break;
            }
        }
        const size_t ran = run.controller->RunSteps(runnable, run.view);
        EXPECT_EQ(ran, runnable) << entry.key << " (" << core::LangCode(lang) << ")";
        ui::FrameModel model;
        run.controller->Fill(model, run.view, lang);
        for (size_t i = 0; i < model.log.size(); ++i) {
            const core::Phase phase = model.log[i].phase;
            if (phase == core::Phase::kReturn || phase == core::Phase::kBlocked ||
                phase == core::Phase::kInterrupted || phase == core::Phase::kRefused) {
                run.steps.push_back(i + 1);
            }
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

TEST(LayoutWalk, EveryStepOfEveryLessonFitsAtEverySizeTextSizeAndLanguage) {
    const std::filesystem::path assets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";
    HeadlessImGui gui;
    ImGuiIO& io = gui.io();
    const auto start = std::chrono::steady_clock::now();
    size_t frames_checked = 0;
    size_t combinations = 0;
    size_t failing = 0;
    size_t problems = 0;
    size_t shown = 0;
    std::ostringstream quoted;
    // While working on one part of the window, SOCKSTEP_WALK_ONLY=text quotes only the problems
    // that contain that text (all are still counted and fail the test).
    const char* only_env = std::getenv("SOCKSTEP_WALK_ONLY");
    const std::string only = only_env != nullptr ? only_env : "";
    // Problems counted by category, and by category at each size and scale.
    std::map<std::string, size_t> by_category;
    std::map<std::string, size_t> by_size;
    // The least height share of the stage (all DrawStage got) and of its panes and wire, at each
    // size and scale.
    std::map<std::string, std::pair<float, float>> least_share;

    for (const core::Lang lang : {core::Lang::kKo, core::Lang::kEn}) {
        const auto run_start = std::chrono::steady_clock::now();
        std::vector<LessonRun> runs = RunAllLessons(lang, assets);
        std::printf(
            "layout walk: the lessons ran (%s) in %.1f s\n",
            std::string(core::LangCode(lang)).c_str(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count());
        ASSERT_GE(runs.size(), 12u) << "the built-in lessons";
        std::string glyphs = ui::AllUiText(lang);
        for (const LessonRun& run : runs) glyphs += run.controller->GlyphText(lang);
        for (const float scale : kScales) {
            // As the app does at each text size: a new atlas at that size, the theme's sizes.
            ui::FontSet fonts;
            ui::BuildFonts(*io.Fonts, scale, glyphs, fonts);
            ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
            ASSERT_TRUE(fonts.korean_capable);
            unsigned char* pixels = nullptr;
            int w = 0;
            int h = 0;
            io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
            ui::ApplyTheme(ui::Theme::kDark, scale);
            for (const Size size : kSizes) {
                io.DisplaySize = ImVec2(size.width, size.height);
                for (LessonRun& run : runs) {
                    for (size_t step = 0; step < run.steps.size(); ++step) {
                        run.view.cursor = run.steps[step];
                        ui::FrameModel model;
                        ui::LayoutDump dump;
                        for (int f = 0; f < kFramesPerCheck; ++f) {
                            gui.Frame([&] {
                                run.controller->Fill(model, run.view, lang);
                                model.lang = lang;
                                model.theme = ui::Theme::kDark;
                                model.font_scale = scale;
                                run.view.fonts = &fonts;
                                (void)ui::DrawMainWindow(model, run.view);
                            });
                        }
                        dump = ui::AnalyzeLayout(*ImGui::GetDrawData(), run.view.layout, model);
                        ++frames_checked;
                        ++combinations;
                        char where[48];
                        std::snprintf(where, sizeof where, "%.0fx%.0f scale %.1f ", size.width,
                                      size.height, scale);
                        const float panes = (dump.stage.max.y - dump.stage.min.y) / size.height;
                        auto least =
                            least_share.try_emplace(where, dump.stage_height_share, panes).first;
                        least->second.first =
                            std::min(least->second.first, dump.stage_height_share);
                        least->second.second = std::min(least->second.second, panes);
                        const std::vector<std::string> found = Problems(dump);
                        if (found.empty()) continue;
                        ++failing;
                        problems += found.size();
                        for (const std::string& p : found) {
                            ++by_category[Category(p)];
                            ++by_size[where + Category(p)];
                        }
                        for (const std::string& p : found) {
                            if (!only.empty() && p.find(only) == std::string::npos) continue;
                            if (shown++ >= kQuoted) break;
                            quoted << run.id << " step " << step + 1 << "/" << run.steps.size()
                                   << " " << size.width << "x" << size.height << " scale " << scale
                                   << " " << core::LangCode(lang) << ": " << p << "\n";
                        }
                    }
                }
            }
        }
    }
    std::ostringstream summary;
    for (const auto& [category, count] : by_category)
        summary << "  " << count << "  " << category << "\n";
    for (const auto& [category, count] : by_size)
        std::printf("layout walk: %6zu  %s\n", count, category.c_str());
    for (const auto& [where, least] : least_share) {
        std::printf("layout walk: %sleast stage height share %.3f (panes and wire %.3f)\n",
                    where.c_str(), static_cast<double>(least.first),
                    static_cast<double>(least.second));
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "layout walk: %zu frames checked (%zu drawn) in %.1f s; %zu of %zu combinations "
        "with problems, %zu problems\n",
        frames_checked, frames_checked * kFramesPerCheck, seconds, failing, combinations, problems);
    EXPECT_EQ(failing, 0u) << failing << " of " << combinations
                           << " lesson-step/size/scale/language combinations have problems ("
                           << problems << " in all), by kind:\n"
                           << summary.str() << "the first ones:\n"
                           << quoted.str();
}

}  // namespace
}  // namespace sockstep::testing
