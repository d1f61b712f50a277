// Test helper: a built-in lesson run for real on loopback, then replayed step by step through
// the history cursor, each step's frame drawn headless and handed to a check with its layout
// dump (ImDrawData). Shared by the stage, ellipsis, UDP and refused-text tests.
#pragma once

#include <gtest/gtest.h>

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

struct LessonRun {
    std::unique_ptr<ui::Controller> controller;
    ui::ViewState view;
    std::vector<size_t> steps;  // cursors just after each call ended
};

// Opens lesson `id` and runs all its steps for real.
LessonRun RunLesson(const std::string& id);

// Every step of `run` at `size`, text `scale`, `lang` and `theme`: calls
// check(step, dump, model) with each step's third frame (the first lays out, the second
// scrolls if it must).
template <class Check>
void EveryStep(HeadlessImGui& gui, LessonRun& run, ImVec2 size, float scale, core::Lang lang,
               ui::Theme theme, Check&& check) {
    ImGuiIO& io = gui.io();
    ui::FontSet fonts;
    ui::BuildFonts(*io.Fonts, scale, ui::AllUiText(lang) + run.controller->GlyphText(lang), fonts);
    ASSERT_NE(fonts.ui, nullptr) << "fonts-nanum is needed";
    unsigned char* pixels = nullptr;
    int w = 0;
    int h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
    ui::ApplyTheme(theme, scale);
    io.DisplaySize = size;
    for (size_t step = 0; step < run.steps.size(); ++step) {
        run.view.cursor = run.steps[step];
        ui::FrameModel model;
        for (int f = 0; f < 3; ++f) {
            gui.Frame([&] {
                run.controller->Fill(model, run.view, lang);
                model.lang = lang;
                model.theme = theme;
                model.font_scale = scale;
                run.view.fonts = &fonts;
                (void)ui::DrawMainWindow(model, run.view);
            });
        }
        check(step, ui::AnalyzeLayout(*ImGui::GetDrawData(), run.view.layout, model), model);
    }
    // `fonts` ends here: a later frame drawn with run.view must not read it.
    run.view.fonts = nullptr;
}

}  // namespace sockstep::testing
