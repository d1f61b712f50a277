// The timeline: every event of the log as a mark, coloured by what happened. Clicking a mark
// shows the whole state at that moment, clearly labelled HISTORY, with a way back to live.
#include <algorithm>

#include "draw_context.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::Phase;

ImU32 MarkColour(const DrawContext& c, const EventMark& e) {
    switch (e.phase) {
        case Phase::kEnter:
            return c.pal.wire;
        case Phase::kBlocked:
            return c.pal.warn;
        case Phase::kReturn:
            return e.failed ? c.pal.error : c.pal.ok;
        case Phase::kInterrupted:
            return c.pal.warn;
        case Phase::kRefused:
            return c.pal.error;
        case Phase::kPacket:
            return c.pal.wire;
        case Phase::kKernel:
            return c.pal.accent;
    }
    return c.pal.wire;
}

Text PhaseText(Phase phase) {
    switch (phase) {
        case Phase::kEnter:
            return Text::kPhaseEnter;
        case Phase::kBlocked:
            return Text::kPhaseBlocked;
        case Phase::kReturn:
            return Text::kPhaseReturn;
        case Phase::kInterrupted:
            return Text::kPhaseInterrupted;
        case Phase::kRefused:
            return Text::kPhaseRefused;
        case Phase::kPacket:
            return Text::kPhasePacket;
        case Phase::kKernel:
            return Text::kPhaseKernel;
    }
    return Text::kPhaseEnter;
}

std::string Describe(const DrawContext& c, size_t index, const core::Event& e) {
    if (e.phase == Phase::kKernel) {
        const core::Snapshot before = index > 0 ? c.frame.log[index - 1].sockets : core::Snapshot();
        return "#" + std::to_string(index + 1) + "  " + c.T(Text::kPhaseKernel) + "\n" +
               core::DescribeKernelChanges(before, e.sockets);
    }
    std::string out = "#" + std::to_string(index + 1) + "  " + e.actor_name + ": " +
                      core::FormatCall(e.request) + "\n" + c.T(PhaseText(e.phase));
    if (e.phase == Phase::kReturn) {
        out += e.err == 0 ? " " + std::to_string(e.ret) : " " + ErrnoLineOf(e, "", c.lang);
    }
    if (e.phase == Phase::kBlocked && e.blocked) out += " (" + e.blocked->wchan + ")";
    return out;
}

}  // namespace

void SeekTo(DrawContext& c, size_t cursor) {
    const size_t total = c.frame.log.size();
    if (cursor >= total) {
        c.view.cursor.reset();
    } else {
        c.view.cursor = std::max<size_t>(cursor, 1);
    }
}

void DrawTimeline(DrawContext& c, ImVec2 size) {
    const FrameModel& f = c.frame;
    const float fs = c.font->FontSize;
    Child("timeline", size, true, ImGuiWindowFlags_NoScrollbar, [&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const float height = ImGui::GetContentRegionAvail().y;
        c.view.layout.timeline = {
            origin, ImVec2(origin.x + ImGui::GetContentRegionAvail().x, origin.y + height)};

        // LIVE / HISTORY chip, impossible to miss. A loaded log is never live, even at its end.
        const bool history = f.scene.history || f.file_mode;
        const char* chip = c.T(f.file_mode ? Text::kLogBadge
                               : history   ? Text::kHistory
                                           : Text::kLive);
        const ImU32 fill = history ? c.pal.history : c.pal.live;
        c.view.layout.timeline_chip = chip;
        const ImVec2 chip_size = BadgeSize(c.bold, chip);
        Badge(draw, c.bold, ImVec2(origin.x, origin.y + (height - chip_size.y) * 0.5f), chip, fill,
              TextOn(fill));
        float left = origin.x + chip_size.x + fs * 0.6f;

        // Right: "back to live" while in history.
        float right = origin.x + ImGui::GetContentRegionAvail().x;
        if (history && !f.file_mode) {
            const char* label = c.T(Text::kBackToLive);
            const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
            ImGui::SetCursorScreenPos(
                ImVec2(right - w, origin.y + (height - ImGui::GetFrameHeight()) * 0.5f));
            if (ImGui::Button(label)) c.view.cursor.reset();
            c.view.layout.back_to_live = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
            right -= w + fs * 0.6f;
        }
        const std::string counter =
            std::to_string(f.scene.cursor) + " / " + std::to_string(f.log.size());
        const float cw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, counter.c_str()).x;
        draw->AddText(c.font, fs, ImVec2(right - cw, origin.y + (height - fs) * 0.5f),
                      c.pal.text_dim, counter.c_str());
        right -= cw + fs * 0.6f;

        // The strip of marks.
        const ImVec2 a(left, origin.y + height * 0.15f);
        const ImVec2 b(std::max(left + fs, right), origin.y + height * 0.85f);
        draw->AddRectFilled(a, b, c.pal.bar_bg, fs * 0.2f);
        c.view.layout.timeline_strip = {a, b};
        const size_t n = f.log.size();
        if (n == 0) {
            const char* hint = c.T(Text::kTimelineHint);
            draw->AddText(c.font, fs, ImVec2(a.x + fs * 0.5f, (a.y + b.y - fs) * 0.5f),
                          c.pal.text_dim, Ellipsize(c.font, hint, b.x - a.x - fs).c_str());
            return;
        }
        const float w = b.x - a.x;
        const float step = w / static_cast<float>(n);
        float last_x = -1e9f;
        for (size_t i = 0; i < n && i < f.marks.size(); ++i) {
            const EventMark& e = f.marks[i];
            const float x = a.x + (static_cast<float>(i) + 0.5f) * step;
            // With thousands of events several share a pixel: draw one, but never hide errors.
            const bool important = e.failed || e.phase == Phase::kBlocked ||
                                   e.phase == Phase::kInterrupted || e.phase == Phase::kRefused;
            if (x - last_x < 1.0f && !important) continue;
            last_x = x;
            const float inset =
                e.phase == Phase::kEnter ? (b.y - a.y) * 0.32f : (b.y - a.y) * 0.12f;
            draw->AddLine(ImVec2(x, a.y + inset), ImVec2(x, b.y - inset), MarkColour(c, e),
                          std::clamp(step * 0.5f, 1.0f, fs * 0.3f));
        }
        // The cursor: the moment shown.
        if (f.scene.cursor > 0) {
            const float x = a.x + (static_cast<float>(f.scene.cursor - 1) + 0.5f) * step;
            const ImU32 colour = history ? c.pal.history : c.pal.accent;
            draw->AddLine(ImVec2(x, a.y - 2), ImVec2(x, b.y + 2), colour, 3.0f);
            draw->AddTriangleFilled(ImVec2(x - fs * 0.35f, a.y - 2),
                                    ImVec2(x + fs * 0.35f, a.y - 2), ImVec2(x, a.y + fs * 0.35f),
                                    colour);
        }
        // Clicking a mark shows that moment; hovering says what it was.
        ImGui::SetCursorScreenPos(a);
        ImGui::InvisibleButton("strip", ImVec2(w, b.y - a.y));
        if (ImGui::IsItemHovered()) {
            const float mx = ImGui::GetIO().MousePos.x;
            const size_t i =
                std::min(n - 1, static_cast<size_t>(std::max(0.0f, (mx - a.x) / step)));
            draw->AddRect(ImVec2(a.x + static_cast<float>(i) * step, a.y),
                          ImVec2(a.x + static_cast<float>(i + 1) * step, b.y), c.pal.text, 0, 0,
                          1.0f);
            TooltipNow(Describe(c, i, f.log[i]));
            if (ImGui::IsItemClicked()) SeekTo(c, i + 1);
        }
    });
}

}  // namespace sockstep::ui
