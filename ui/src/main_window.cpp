// The main window's layout: it sizes the panels for the window (legible at 1280×720) and
// hands each to its own Draw* function.
#include "sockstep/ui/main_window.h"

#include <algorithm>
#include <cmath>

#include "draw_context.h"

namespace sockstep::ui {

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
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(c.Em() * 0.5f, c.Em() * 0.4f));
    const bool visible = ImGui::Begin("##main", nullptr, kFlags);
    ImGui::PopStyleVar();
    if (visible) {
        DrawMenuBar(c);
        DrawToolbar(c);
        DrawStatusBanner(c);

        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const ImGuiStyle& style = ImGui::GetStyle();
        const float fs = c.Em();
        const float timeline_h = ImGui::GetFrameHeight() + fs * 1.2f;
        const float rest_h = avail.y - timeline_h - style.ItemSpacing.y;
        // The stage comes first. On a wide window the narration and code stand in a column
        // beside it, so the stage keeps the whole height; otherwise they share a short strip
        // below it. The column needs room for two panes and the wire left of it.
        const float column_w = std::clamp(avail.x * 0.3f, fs * 17.0f, fs * 28.0f);
        const float stage_min_w = fs * 40.0f;
        const bool beside = avail.x - column_w - style.ItemSpacing.x >= stage_min_w;
        const float stage_w = beside ? avail.x - column_w - style.ItemSpacing.x : avail.x;
        const float bottom_h = beside ? 0.0f : std::clamp(rest_h * 0.24f, fs * 5.0f, fs * 11.0f);
        const float stage_h =
            std::max(fs * 8.0f, rest_h - (beside ? 0.0f : bottom_h + style.ItemSpacing.y));

        ImGui::BeginGroup();
        if (view.kernel_table) {
            const float side =
                std::clamp(stage_w * 0.36f, std::min(fs * 24.0f, stage_w * 0.5f), fs * 36.0f);
            DrawStage(c, ImVec2(stage_w - side - style.ItemSpacing.x, stage_h));
            ImGui::SameLine();
            DrawKernelTable(c, ImVec2(side, stage_h));
        } else {
            DrawStage(c, ImVec2(stage_w, stage_h));
        }
        ImGui::EndGroup();
        if (beside) {
            ImGui::SameLine();
            ImGui::BeginGroup();
            const float narration_h = std::floor((stage_h - style.ItemSpacing.y) * 0.58f);
            DrawNarration(c, ImVec2(column_w, narration_h));
            DrawCodePanel(c, ImVec2(column_w, stage_h - narration_h - style.ItemSpacing.y));
            ImGui::EndGroup();
        } else {
            const float narration_w = std::max(fs * 18.0f, (avail.x - style.ItemSpacing.x) * 0.46f);
            DrawNarration(c, ImVec2(narration_w, bottom_h));
            ImGui::SameLine();
            DrawCodePanel(c, ImVec2(avail.x - narration_w - style.ItemSpacing.x, bottom_h));
        }
        DrawTimeline(c, ImVec2(avail.x, timeline_h));
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
