// The code panel: each actor's program in C or Python (the switch at the top), the line of the call
// at the cursor highlighted and the next step's line marked, scrolled into view when it changes.
// Side by side when there is room for whole lines, else one tab per actor, switching to the actor
// whose call is shown.
#include <algorithm>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

// The Enter event of the call `index` belongs to (free-mode lines are keyed by it).
size_t EnterOf(const core::LogView& log, size_t index) {
    const int actor = log[index].actor;
    for (size_t i = index + 1; i-- > 0;) {
        if (log[i].actor == actor && log[i].phase == core::Phase::kEnter) return i;
    }
    return kNoEvent;
}

struct Highlight {
    int actor = -1;
    int step = -1;
    size_t enter = kNoEvent;
    int next_step = -1;
};

void DrawProgram(DrawContext& c, const ActorProgram& program, const Highlight& h, bool title) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    if (title) {
        WithFont(c.bold, [&] { ImGui::TextUnformatted(program.name.c_str()); });
        ImGui::Separator();
    }
    int focus = -1;
    int next_line = -1;
    // Where those lines were laid out (ImGui's cursor Y: content coordinates), measured: the
    // code font's line height and the title's are not the UI font's.
    float focus_y = 0;
    float next_y = 0;
    float line_bottom = 0;
    WithFont(c.code, [&] {
        for (size_t i = 0; i < program.lines.size(); ++i) {
            const CodeLine& line = program.lines[i];
            const bool current =
                program.actor == h.actor && ((line.step >= 0 && line.step == h.step) ||
                                             (line.event != kNoEvent && line.event == h.enter));
            const bool next = line.step >= 0 && line.step == h.next_step;
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            const float w = std::max(ImGui::GetContentRegionAvail().x, fs * 10);
            const ImVec2 end(pos.x + w, pos.y + fs * 1.2f);
            if (current) {
                draw->AddRectFilled(pos, end, c.pal.accent_soft);
                draw->AddRectFilled(pos, ImVec2(pos.x + 3, end.y), c.pal.accent);
                if (focus < 0) {
                    focus = static_cast<int>(i);
                    focus_y = ImGui::GetCursorPosY();
                }
            }
            if (next && next_line < 0) {
                next_line = static_cast<int>(i);
                next_y = ImGui::GetCursorPosY();
            }
            // The gutter: ▶ the call shown, → the next one.
            const char* mark = current ? "▶" : next ? "→" : " ";
            draw->AddText(c.code, fs, ImVec2(pos.x + 4, pos.y),
                          current ? c.pal.accent : c.pal.text_dim, mark);
            ImGui::SetCursorScreenPos(ImVec2(pos.x + fs * 1.3f, pos.y));
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                                     line.comment ? c.pal.text_dim : c.pal.text));
            ImGui::TextUnformatted(line.text.c_str());
            ImGui::PopStyleColor();
            line_bottom = ImGui::GetItemRectSize().y;
            const ScreenRect rect{pos, end};
            if (line.step >= 0 && !c.view.layout.code_steps.count(line.step)) {
                c.view.layout.code_steps[line.step] = rect;
            }
            if (line.event != kNoEvent && !c.view.layout.code_events.count(line.event)) {
                c.view.layout.code_events[line.event] = rect;
            }
        }
    });
    // Scroll to the highlighted line (else the next one) when it changes, not every frame: the
    // learner may scroll away to read.
    const int target = focus >= 0 ? focus : next_line;
    if (target < 0) return;
    auto [it, inserted] = c.view.code_focus.try_emplace(program.actor, -1);
    if (it->second == target) return;
    it->second = target;
    const float y = focus >= 0 ? focus_y : next_y;  // the line's top, in content coordinates
    const float line_h = line_bottom + ImGui::GetStyle().ItemSpacing.y;
    const float visible = ImGui::GetWindowHeight();
    const float scrollbar = ImGui::GetStyle().ScrollbarSize;  // the horizontal one, at the foot
    const float top = y - ImGui::GetScrollY();
    if (top < 0 || top + line_h * 2 > visible - scrollbar) {
        ImGui::SetScrollY(std::max(0.0f, y - visible * 0.4f));
    }
}

// The C / Python switch: side by side, a row of radio buttons above the programs; with tabs, a
// button at the end of the tab bar, in the row the tabs take anyway ("[C] Python": the current
// language in brackets).
void DrawLanguageSwitch(DrawContext& c) {
    const CodeLanguage shown = c.view.code_language;
    int code = static_cast<int>(shown);
    ImGui::RadioButton("C", &code, static_cast<int>(CodeLanguage::kC));
    const ScreenRect c_button{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    ImGui::RadioButton("Python", &code, static_cast<int>(CodeLanguage::kPython));
    const ScreenRect python_button{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    c.view.code_language = static_cast<CodeLanguage>(code);
    // The button that switches: the language not shown (what the tab button does too).
    c.view.layout.code_switch = shown == CodeLanguage::kC ? python_button : c_button;
}

void DrawLanguageTab(DrawContext& c) {
    const bool python = c.view.code_language == CodeLanguage::kPython;
    if (ImGui::TabItemButton(python ? "C [Python]###language" : "[C] Python###language",
                             ImGuiTabItemFlags_Trailing)) {
        c.view.code_language = python ? CodeLanguage::kC : CodeLanguage::kPython;
    }
    c.view.layout.code_switch = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

}  // namespace

void DrawCodePanel(DrawContext& c, ImVec2 size) {
    const FrameModel& f = c.frame;
    Child("code", size, true, ImGuiWindowFlags_NoScrollbar, [&] {
        const ImVec2 origin = ImGui::GetWindowPos();
        c.view.layout.code = {origin, ImVec2(origin.x + size.x, origin.y + size.y)};
        Highlight h;
        if (f.scene.current) {
            const core::Event& e = f.log[*f.scene.current];
            h.step = e.step;
            h.actor = e.actor;
            if (e.step < 0) h.enter = EnterOf(f.log, *f.scene.current);
        }
        h.next_step = !f.file_mode && !f.scene.history && f.next_step < f.script_size
                          ? static_cast<int>(f.next_step)
                          : -1;
        const size_t count = std::max<size_t>(1, f.programs.size());
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        const float column =
            (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(count - 1)) /
            static_cast<float>(count);
        const float fs = c.font->FontSize;

        // Whole lines are ~50 characters: below that width, one program at a time.
        if (count > 1 && column < fs * 25.0f) {
            // Follow the actor whose call is shown (or who runs next).
            int follow = h.actor;
            if (follow < 0 && h.next_step >= 0 && f.lesson &&
                static_cast<size_t>(h.next_step) < f.lesson->steps.size()) {
                follow = f.lesson->steps[static_cast<size_t>(h.next_step)].actor;
            }
            const bool switch_tab = follow >= 0 && follow != c.view.code_tab_actor;
            if (switch_tab) c.view.code_tab_actor = follow;
            if (ImGui::BeginTabBar("programs")) {
                DrawLanguageTab(c);
                for (const ActorProgram& program : f.programs) {
                    const ImGuiTabItemFlags flags =
                        switch_tab && program.actor == follow ? ImGuiTabItemFlags_SetSelected : 0;
                    WithId(program.actor, [&] {
                        if (ImGui::BeginTabItem(program.name.c_str(), nullptr, flags)) {
                            Child("program", ImVec2(0, 0), false,
                                  ImGuiWindowFlags_HorizontalScrollbar,
                                  [&] { DrawProgram(c, program, h, false); });
                            ImGui::EndTabItem();
                        }
                    });
                }
                ImGui::EndTabBar();
            }
            return;
        }
        // Side by side the panel is wide; a row of one line or two is left to the code.
        if (size.y >= ImGui::GetFrameHeightWithSpacing() * 4.0f) DrawLanguageSwitch(c);
        for (size_t p = 0; p < f.programs.size(); ++p) {
            const ActorProgram& program = f.programs[p];
            if (p > 0) ImGui::SameLine();
            WithId(program.actor, [&] {
                Child("program", ImVec2(column, 0), false, ImGuiWindowFlags_HorizontalScrollbar,
                      [&] { DrawProgram(c, program, h, true); });
            });
        }
    });
}

}  // namespace sockstep::ui
