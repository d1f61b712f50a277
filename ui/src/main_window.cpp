// The main window's layout: it shares the window out between the panels (the stage first, at
// every size and text size) and hands each its rectangle and its own Draw* function.
#include "sockstep/ui/main_window.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "draw_context.h"

namespace sockstep::ui {

namespace {

// The stage's least share of the window's height, at every size and text size (issue #13).
constexpr float kStageShare = 0.5f;
// The code panel folds to a one-line bar below this many text lines of height (its tabs and
// two lines of code), unless the user opened it.
constexpr float kCodeMinLines = 4.5f;

// Panels drawn in a thin frame: one line of text needs little more than a line of height.
template <class Body>
void ThinPanel(const DrawContext& c, Body&& body) {
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(ImGui::GetStyle().WindowPadding.x, c.Em() * 0.15f));
    body();
    ImGui::PopStyleVar();
}

std::string CodeBarLabel(const DrawContext& c) {
    return std::string(c.T(Text::kCode)) + " ⋯";
}

// The folded code panel: one line with the button that opens it again.
void DrawCodeBar(DrawContext& c, ImVec2 size) {
    Child("code_bar", size, true, ImGuiWindowFlags_NoScrollbar, [&] {
        const std::string label = CodeBarLabel(c);
        if (ImGui::Button(label.c_str())) c.view.code_panel = true;
        c.view.layout.code_bar = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    });
}

float CodeBarWidth(const DrawContext& c) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::string label = CodeBarLabel(c);
    return ImGui::CalcTextSize(label.c_str()).x + style.FramePadding.x * 2 +
           style.WindowPadding.x * 2 + style.ChildBorderSize * 2;
}

// Below the toolbar: the status banner, the stage with the kernel table, the narration and the
// code (beside the stage on a wide window, else a strip below it), the timeline. The stage
// comes first: it keeps more than half the window's height; the panels shrink, the code folds
// to a one-line bar and the banner (whose facts the timeline and the narration also show) is
// left out before the stage gives up any of that.
void DrawMainArea(DrawContext& c, float window_h) {
    ViewState& view = c.view;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float fs = c.Em();
    // The rows are placed here, a thin gap apart (ImGui's item spacing is wider at large text).
    const float gap = std::max(2.0f, std::floor(fs * 0.15f));
    const float left = ImGui::GetCursorScreenPos().x;
    const float bottom = ImGui::GetCursorScreenPos().y + ImGui::GetContentRegionAvail().y;
    const float width = ImGui::GetContentRegionAvail().x;
    float y = ImGui::GetCursorScreenPos().y - style.ItemSpacing.y + gap;
    const float stage_floor = std::ceil(window_h * kStageShare) + 1.0f;
    // One line of text or one row of buttons, in a thin panel.
    const float one_line =
        std::max(ImGui::GetFrameHeight(), ImGui::GetTextLineHeightWithSpacing()) + fs * 0.3f;
    const float timeline_h = one_line;

    // On a wide window the narration and code stand in a column beside the stage, so the stage
    // keeps the whole height; the column needs room for two panes and the wire left of it.
    // The kernel table stands beside the stage too and takes its share of that room first.
    const float column_w = std::clamp(width * 0.3f, fs * 17.0f, fs * 28.0f);
    auto table_w = [&](float stage_w) {
        return view.kernel_table
                   ? std::clamp(stage_w * 0.36f, std::min(fs * 24.0f, stage_w * 0.4f), fs * 36.0f)
                   : 0.0f;
    };
    const float room = width - column_w - style.ItemSpacing.x;
    const bool beside =
        room - (view.kernel_table ? table_w(room) + style.ItemSpacing.x : 0.0f) >= fs * 40.0f;
    const float strip_min = beside ? 0.0f : one_line + gap;
    const float banner_h = StatusBannerHeight(c);
    if (banner_h > 0 && bottom - y - banner_h - gap - timeline_h - gap - strip_min >= stage_floor) {
        ImGui::SetCursorScreenPos(ImVec2(left, y));
        DrawStatusBanner(c);
        y += banner_h + gap;
    }

    const float rest_h = bottom - y - timeline_h - gap;
    const float stage_w = beside ? width - column_w - style.ItemSpacing.x : width;
    const float strip_want = std::clamp(rest_h * 0.24f, fs * 5.0f, fs * 11.0f);
    float strip_h =
        beside ? 0.0f
               : std::floor(std::max(one_line, std::min(strip_want, rest_h - gap - stage_floor)));
    float stage_h = std::floor(rest_h - (beside ? 0.0f : strip_h + gap));
    // Follow the step: when the step's cards do not fit the stage but would with the strip
    // below at one line (the narration behind its "More of this step" control, the code
    // folded), the strip gives the stage that height.
    const float panes_w =
        view.kernel_table ? stage_w - table_w(stage_w) - style.ItemSpacing.x : stage_w;
    const StageFit fit =
        beside || strip_h <= one_line ? StageFit::kWhole : StageFits(c, ImVec2(panes_w, stage_h));
    if (fit != StageFit::kWhole) {
        const float taller = std::floor(rest_h - one_line - gap);
        if (StageFits(c, ImVec2(panes_w, taller)) > fit) {
            strip_h = std::floor(one_line);
            stage_h = taller;
        }
    }

    ImGui::SetCursorScreenPos(ImVec2(left, y));
    ImGui::BeginGroup();
    if (view.kernel_table) {
        const float side = table_w(stage_w);
        const float w = stage_w - side - style.ItemSpacing.x;
        view.layout.stage_area = {ImVec2(left, y), ImVec2(left + w, y + stage_h)};
        DrawStage(c, ImVec2(w, stage_h));
        ImGui::SameLine();
        DrawKernelTable(c, ImVec2(side, stage_h));
    } else {
        view.layout.stage_area = {ImVec2(left, y), ImVec2(left + stage_w, y + stage_h)};
        DrawStage(c, ImVec2(stage_w, stage_h));
    }
    ImGui::EndGroup();

    const float code_min = fs * kCodeMinLines;
    if (beside) {
        const float x = left + stage_w + style.ItemSpacing.x;
        float narration_h = std::floor((stage_h - gap) * 0.58f);
        const bool folded = !view.code_panel.value_or(stage_h - narration_h - gap >= code_min);
        view.code_folded = folded;
        if (folded) narration_h = stage_h - one_line - gap;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ThinPanel(c, [&] { DrawNarration(c, ImVec2(column_w, narration_h)); });
        ImGui::SetCursorScreenPos(ImVec2(x, y + narration_h + gap));
        ThinPanel(c, [&] {
            const ImVec2 size(column_w, stage_h - narration_h - gap);
            if (folded) {
                DrawCodeBar(c, size);
            } else {
                DrawCodePanel(c, size);
            }
        });
    } else {
        const bool folded = !view.code_panel.value_or(strip_h >= code_min);
        view.code_folded = folded;
        const float code_w =
            folded ? CodeBarWidth(c)
                   : width - std::max(fs * 18.0f, (width - style.ItemSpacing.x) * 0.46f) -
                         style.ItemSpacing.x;
        ImGui::SetCursorScreenPos(ImVec2(left, y + stage_h + gap));
        ThinPanel(c, [&] {
            DrawNarration(c, ImVec2(width - code_w - style.ItemSpacing.x, strip_h));
            ImGui::SameLine();
            if (folded) {
                DrawCodeBar(c, ImVec2(code_w, strip_h));
            } else {
                DrawCodePanel(c, ImVec2(code_w, strip_h));
            }
        });
    }
    ImGui::SetCursorScreenPos(ImVec2(left, bottom - timeline_h));
    ThinPanel(c, [&] { DrawTimeline(c, ImVec2(width, timeline_h)); });
}

}  // namespace

Intents DrawMainWindow(const FrameModel& frame, ViewState& view) {
    Intents out;
    ImGuiIO& io = ImGui::GetIO();
    ImFont* regular = view.fonts && view.fonts->ui ? view.fonts->ui : ImGui::GetFont();
    DrawContext c{frame,
                  view,
                  out,
                  PaletteFor(frame.theme),
                  regular,
                  view.fonts && view.fonts->bold ? view.fonts->bold : regular,
                  view.fonts && view.fonts->code ? view.fonts->code : regular,
                  frame.lang};
    view.time = ImGui::GetTime();
    view.layout.ClearFrame();

    // Animations start from events new since the last frame, only while live.
    const size_t events = frame.log.size();
    if (view.restart_animations) {
        view.animator.Clear();
        view.restart_animations = false;
    }
    if (events < view.seen_events) {
        view.animator.Clear();
        view.seen_events = 0;
    }
    if (events > view.seen_events) {
        if (view.Live() && !frame.file_mode)
            view.animator.OnEvents(frame.log, view.seen_events, events);
        view.seen_events = events;
    }
    view.animator.Update(io.DeltaTime * view.speed);

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    constexpr ImGuiWindowFlags kFlags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoBringToFrontOnFocus;
    // Thin margins above and below: the height goes to the stage.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(c.Em() * 0.5f, c.Em() * 0.25f));
    const bool visible = ImGui::Begin("##main", nullptr, kFlags);
    ImGui::PopStyleVar();
    if (visible) {
        DrawMenuBar(c);
        DrawToolbar(c);
        DrawMainArea(c, viewport->WorkSize.y);
    }
    ImGui::End();

    DrawCallDialog(c);
    DrawFileDialog(c);
    DrawDiscardDialog(c);
    DrawHelpOverlay(c);
    DrawAbout(c);
    DrawNotice(c);
    if (view.animator.Active()) {
        view.animator.Draw(ImGui::GetForegroundDrawList(), view.layout, c.pal.accent, c.pal.text);
    }
    HandleShortcuts(c);
    return out;
}

}  // namespace sockstep::ui
