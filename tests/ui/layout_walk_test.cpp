// Issue #13's walk: every step of every built-in lesson at 1280x720, 1024x768, 1366x768 and
// 1920x1080, at text scale 1.0, 1.5, 2.0 and 3.0, in Korean and English, checked from the layout
// dump of the frame (ImDrawData, not the drawing helpers' bookkeeping):
//   - every socket the step is about (SceneCard::in_focus) is drawn and 100% visible; only where
//     no form of the stage can show them all at once (a step about four sockets at text scale
//     3.0), the call's own are, and the stage names each one it leaves out on its "more" mark;
//   - no two cards overlap;
//   - no text is clipped or runs outside its box, and no word on the stage is cut with "…";
//   - the stage gets more than half the window's height.
// Each lesson runs once for real on loopback; its log is replayed through the history cursor.
// A failure is reported once per kind with its count and the first examples, so a regression
// reads as "what broke where" rather than as thousands of lines.
// SOCKSTEP_WALK_ONLY=1280x720@3 (or 1024x768, or @2) narrows the walk while working on a fix.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "headless.h"
#include "sockstep/core/lesson.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

struct Look {
    ImVec2 size;
    float scale;
};

std::string LookName(const Look& look) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.0fx%.0f@%.1f", look.size.x, look.size.y, look.scale);
    return buf;
}

std::vector<Look> Looks() {
    const char* only = std::getenv("SOCKSTEP_WALK_ONLY");
    std::vector<Look> looks;
    for (const ImVec2 size :
         {ImVec2(1280, 720), ImVec2(1024, 768), ImVec2(1366, 768), ImVec2(1920, 1080)}) {
        for (const float scale : {1.0f, 1.5f, 2.0f, 3.0f}) {
            const Look look{size, scale};
            // "1280x720@3" matches "1280x720@3.0": a prefix of the look's name, or its scale.
            if (only != nullptr && *only != '\0') {
                const std::string name = LookName(look);
                const std::string want = only;
                const bool by_scale = want[0] == '@' && name.find(want) != std::string::npos;
                if (name.rfind(want, 0) != 0 && !by_scale) continue;
            }
            looks.push_back(look);
        }
    }
    return looks;
}

std::vector<fs::path> LessonFiles() {
    std::vector<fs::path> files;
    for (const auto& entry :
         fs::directory_iterator(fs::path(SOCKSTEP_SOURCE_DIR) / "assets" / "lessons")) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// What went wrong, by kind: a count and the first few places.
class Findings {
  public:
    void Add(const std::string& kind, const std::string& where) {
        Entry& e = m_kinds[kind];
        ++e.count;
        if (e.examples.size() < 8) e.examples.push_back(where);
    }
    // Not a failure: printed with the count, so a run shows how often it happened.
    void Note(const std::string& kind, const std::string& where) {
        Entry& e = m_notes[kind];
        ++e.count;
        if (e.examples.size() < 3) e.examples.push_back(where);
    }
    void Report(const std::string& lesson, size_t combinations) const {
        for (const auto& [kind, e] : m_notes) {
            std::printf("%s: %s: %zu (first: %s)\n", lesson.c_str(), kind.c_str(), e.count,
                        e.examples.front().c_str());
        }
        for (const auto& [kind, e] : m_kinds) {
            std::ostringstream out;
            out << lesson << ": " << kind << " in " << e.count << " of " << combinations
                << " step frames; first ones:";
            for (const std::string& where : e.examples) out << "\n  " << where;
            ADD_FAILURE() << out.str();
        }
    }

  private:
    struct Entry {
        size_t count = 0;
        std::vector<std::string> examples;
    };
    std::map<std::string, Entry> m_kinds;
    std::map<std::string, Entry> m_notes;
};

bool Whole(const ui::DumpedCard& card) {
    // A half-pixel strip may round either way.
    const float w = card.rect.max.x - card.rect.min.x;
    const float h = card.rect.max.y - card.rect.min.y;
    return (1.0f - card.visible) * w * h <= 0.5f * (w + h);
}

bool Apart(const ui::ScreenRect& a, const ui::ScreenRect& b) {
    return a.max.x <= b.min.x + 0.5f || b.max.x <= a.min.x + 0.5f || a.max.y <= b.min.y + 0.5f ||
           b.max.y <= a.min.y + 0.5f;
}

void CheckFrame(const ui::LayoutDump& dump, const ui::FrameModel& model, const std::string& where,
                Findings& findings) {
    for (const ui::SceneCard& card : model.scene.cards) {
        if (!card.in_focus) continue;
        const ui::DumpedCard* drawn = nullptr;
        for (const ui::DumpedCard& d : dump.cards) {
            if (d.socket_id == card.view.id) drawn = &d;
        }
        if (drawn == nullptr) {
            findings.Add("an in-focus socket is not drawn as a card",
                         where + ": " + card.view.name);
        } else if (!Whole(*drawn) && !dump.focus_fits && !card.touched && !card.fresh &&
                   std::count(dump.focus_named.begin(), dump.focus_named.end(), card.view.id)) {
            // No form shows every card of the step at once: the stage shows the call's own and
            // names this one on its "▲ 2 more" mark.
            findings.Note(
                "cards of a step left out of view, where the step's cards cannot all fit (named on "
                "the mark)",
                where);
        } else if (!Whole(*drawn)) {
            char visible[16];
            std::snprintf(visible, sizeof visible, "%.2f", drawn->visible);
            findings.Add("an in-focus card is not wholly visible",
                         where + ": " + drawn->actor + "/" + drawn->socket + " visible " + visible);
        }
    }
    for (size_t i = 0; i < dump.cards.size(); ++i) {
        for (size_t j = i + 1; j < dump.cards.size(); ++j) {
            if (!Apart(dump.cards[i].rect, dump.cards[j].rect)) {
                findings.Add("two cards overlap",
                             where + ": " + dump.cards[i].socket + " and " + dump.cards[j].socket);
            }
        }
    }
    for (const ui::ClippedText& t : dump.clipped) {
        findings.Add(
            t.kind == ui::ClipKind::kClipped ? "a text is clipped" : "a text runs outside its box",
            where + ": \"" + t.text + "\" in " + t.window + " (" + t.box + ")");
    }
    for (const ui::ClippedText& t : dump.ellipsized) {
        findings.Add("a word on the stage is cut with \"…\"",
                     where + ": \"" + t.text + "\" in " + t.window);
    }
    if (dump.stage_height_share <= 0.5f) {
        char share[16];
        std::snprintf(share, sizeof share, "%.2f", dump.stage_height_share);
        findings.Add("the stage gets no more than half the window's height", where + ": " + share);
    }
}

// Walks every step of what `controller` holds (a lesson run, or a log opened for replay) and
// reports what went wrong as failures of the running test.
void Walk(ui::Controller& controller, ui::ViewState& view, const std::string& id) {
    // The cursors just after each call ended: one frame per step.
    std::vector<size_t> steps;
    {
        ui::FrameModel model;
        controller.Fill(model, view, core::Lang::kEn);
        for (size_t i = 0; i < model.log.size(); ++i) {
            const core::Phase phase = model.log[i].phase;
            if (phase == core::Phase::kReturn || phase == core::Phase::kBlocked ||
                phase == core::Phase::kRefused) {
                steps.push_back(i + 1);
            }
        }
    }
    ASSERT_FALSE(steps.empty()) << id;

    HeadlessImGui gui;
    ImGuiIO& io = gui.io();
    Findings findings;
    size_t frames = 0;
    size_t focus_cards = 0;
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        for (const Look& look : Looks()) {
            ui::FontSet fonts;
            io.Fonts->Clear();
            ui::BuildFonts(*io.Fonts, look.scale, ui::AllUiText(lang) + controller.GlyphText(lang),
                           fonts);
            ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
            unsigned char* pixels = nullptr;
            int w = 0;
            int h = 0;
            io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
            ui::ApplyTheme(ui::Theme::kDark, look.scale);
            io.DisplaySize = look.size;
            for (size_t step = 0; step < steps.size(); ++step) {
                view.cursor = steps[step];
                ui::FrameModel model;
                // The first frame lays out, the second scrolls if it must, the third is measured.
                for (int f = 0; f < 3; ++f) {
                    gui.Frame([&] {
                        controller.Fill(model, view, lang);
                        model.lang = lang;
                        model.theme = ui::Theme::kDark;
                        model.font_scale = look.scale;
                        view.fonts = &fonts;
                        (void)ui::DrawMainWindow(model, view);
                    });
                }
                const ui::LayoutDump dump =
                    ui::AnalyzeLayout(*ImGui::GetDrawData(), view.layout, model);
                for (const ui::SceneCard& card : model.scene.cards) focus_cards += card.in_focus;
                const std::string where = LookName(look) + " " +
                                          (lang == core::Lang::kKo ? "ko" : "en") + " step " +
                                          std::to_string(step + 1);
                CheckFrame(dump, model, where, findings);
                ++frames;
            }
            view.fonts = nullptr;
        }
    }
    // The walk looked at something: frames were drawn and the steps had sockets in focus.
    EXPECT_EQ(frames, steps.size() * 2 * Looks().size());
    EXPECT_GT(focus_cards, 0u) << id;
    findings.Report(id, frames);
}

// A test's name from its file's stem ("04-backlog-full" → 04_backlog_full).
std::string FileTestName(const ::testing::TestParamInfo<fs::path>& param) {
    std::string name = param.param.stem().string();
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    return name;
}

class LayoutWalk : public ::testing::TestWithParam<fs::path> {};

TEST_P(LayoutWalk, EveryStepAtEverySizeTextScaleAndLanguageShowsItsSocketsWhole) {
    const fs::path assets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
    auto parsed = core::LoadLesson(GetParam());
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(parsed)) << GetParam();
    const std::string id = std::get<core::Lesson>(parsed).id;

    ui::Controller controller(assets);
    ui::ViewState view;
    ASSERT_TRUE(controller.OpenLesson(id)) << id;
    const core::Lesson* lesson = controller.lesson();
    ASSERT_NE(lesson, nullptr);
    // A lesson whose step waits for a program outside sockstep (server-alone) runs up to that
    // step, which stays blocked: nothing here connects to it. Every other lesson runs to its end.
    size_t runnable = 0;
    while (runnable < lesson->steps.size() && !lesson->steps[runnable].outside_client) ++runnable;
    if (runnable < lesson->steps.size()) ++runnable;
    EXPECT_EQ(controller.RunSteps(runnable, view), runnable) << id;
    Walk(controller, view, id);
    if (HasFailure()) {
        // The kernel's timing shapes a run (a late packet lands in the next step): keep this
        // one, so that it can be walked again as a log, and kept in tests/data/walk/ once fixed.
        const fs::path saved =
            fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "walk" / (GetParam().stem().string() + ".jsonl");
        fs::create_directories(saved.parent_path());
        const std::string error = controller.SaveLog(saved);
        ADD_FAILURE() << (error.empty()
                              ? "this run's log, to walk again: SOCKSTEP_WALK_LOG=" + saved.string()
                              : "saving this run's log failed: " + error);
    }
}

// Logs of runs whose timing once broke the layout (tests/data/walk/), and SOCKSTEP_WALK_LOG's.
std::vector<fs::path> SavedLogs() {
    std::vector<fs::path> files;
    if (const char* only = std::getenv("SOCKSTEP_WALK_LOG"); only != nullptr && *only != '\0') {
        files.emplace_back(only);
        return files;
    }
    for (const auto& entry :
         fs::directory_iterator(fs::path(SOCKSTEP_SOURCE_DIR) / "tests" / "data" / "walk")) {
        if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

class LayoutWalkLog : public ::testing::TestWithParam<fs::path> {};

TEST_P(LayoutWalkLog, EveryStepOfASavedRunShowsItsSocketsWhole) {
    ui::Controller controller(fs::path(SOCKSTEP_SOURCE_DIR) / "assets");
    ui::ViewState view;
    const std::string error = controller.OpenLog(GetParam());
    ASSERT_EQ(error, "") << GetParam();
    Walk(controller, view, GetParam().filename().string());
}

INSTANTIATE_TEST_SUITE_P(BuiltinLessons, LayoutWalk, ::testing::ValuesIn(LessonFiles()),
                         FileTestName);

INSTANTIATE_TEST_SUITE_P(SavedRuns, LayoutWalkLog, ::testing::ValuesIn(SavedLogs()), FileTestName);

}  // namespace
}  // namespace sockstep::testing
