// The code panel: each actor's program in C or Python (its switch), the lines of the call at the
// cursor highlighted and the next step's line marked, scrolled into view when they change. Side by
// side when there is room for whole lines, else one program at a time with a selector. Long lines
// wrap with a hanging indent, and the listing's height and scroll are whole rows of the code font,
// so nothing is cut as a step opens it (a learner scrolling by hand may leave a row cut).
#include <algorithm>
#include <cmath>
#include <vector>

#include "draw_context.h"
#include "sockstep/ui/code_wrap.h"

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

// Every line wrapped to the text width (kept in the view state, per actor, from frame to frame:
// after a call only the new lines are wrapped).
void WrapAll(const ImFont& font, const std::vector<CodeLine>& lines, float width, float hang,
             CodeWrap& out) {
    std::vector<std::string_view> texts;
    texts.reserve(lines.size());
    for (const CodeLine& line : lines) texts.emplace_back(line.text);
    WrapCodeLines(font, font.FontSize, texts, width, hang, out);
}

// The height of one row of a listing in the code font: every row has it.
float RowHeight(const ImFont& font) {
    return std::ceil(font.FontSize * 1.2f);
}

// One program's lines in the rectangle `size` at the cursor: as many whole rows as fit. What
// it shows is a function of the lines and the highlight only, whichever language they are in.
void DrawListing(DrawContext& c, int actor, const std::vector<CodeLine>& lines, const Highlight& h,
                 ImVec2 size) {
    ImFont* font = c.code;
    const float fs = font->FontSize;
    const float row_h = RowHeight(*font);
    const int visible = static_cast<int>(std::floor(size.y / row_h));
    const float gutter = std::ceil(fs * 1.3f);  // ▶ the call shown, → the next one
    if (visible < 1 || size.x <= gutter) return;
    // A continuation hangs four columns in, so it cannot be taken for a statement of its own.
    const float hang = font->GetCharAdvance(' ') * 4.0f;
    // A pixel to spare: a glyph's ink may reach a little past its advance. Whether the rows
    // overflow (and a scrollbar takes its width) is decided here, not by ImGui from last
    // frame's content, so the rows fit this frame; with more lines than rows, it is certain.
    const float text_w = size.x - gutter - 1.0f;
    const float scrollbar = ImGui::GetStyle().ScrollbarSize;
    CodeWrap& rows = c.view.code_wraps[actor];
    bool overflow = lines.size() > static_cast<size_t>(visible);
    WrapAll(*font, lines, overflow ? text_w - scrollbar : text_w, hang, rows);
    if (!overflow && rows.rows.size() > static_cast<size_t>(visible)) {
        overflow = true;
        WrapAll(*font, lines, text_w - scrollbar, hang, rows);
    }
    const ImGuiWindowFlags flags =
        overflow ? ImGuiWindowFlags_AlwaysVerticalScrollbar : ImGuiWindowFlags_NoScrollbar;
    const int total = static_cast<int>(rows.rows.size());

    auto current = [&](const CodeLine& line) {
        return actor == h.actor && ((line.step >= 0 && line.step == h.step) ||
                                    (line.event != kNoEvent && line.event == h.enter));
    };
    auto next = [&](const CodeLine& line) { return line.step >= 0 && line.step == h.next_step; };
    // The rows to bring into view: the highlighted lines', else the next step's.
    CodeScroll want{-1, -1, visible, total, row_h};
    for (int pass = 0; pass < 2 && want.first < 0; ++pass) {
        for (size_t i = 0; i < lines.size(); ++i) {
            if (pass == 0 ? !current(lines[i]) : !next(lines[i])) continue;
            if (want.first < 0) want.first = static_cast<int>(rows.first[i]);
            want.last = static_cast<int>(rows.first[i + 1]) - 1;
        }
    }

    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
    Child("listing", ImVec2(size.x, static_cast<float>(visible) * row_h), false, flags, [&] {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 origin = ImGui::GetCursorScreenPos();  // the first row's top, scrolled
        const float width = ImGui::GetContentRegionAvail().x;
        const float scroll = ImGui::GetScrollY();
        const int top = static_cast<int>(std::floor(scroll / row_h));
        const float pad = std::floor((row_h - fs) * 0.5f);
        const ImVec2 view_min = ImGui::GetWindowPos();
        c.view.layout.code_listings[actor] = {
            view_min, ImVec2(view_min.x + width, view_min.y + ImGui::GetWindowHeight())};
        for (size_t i = 0; i < lines.size(); ++i) {
            const int step = lines[i].step;
            if (step < 0 || c.view.layout.code_steps.count(step)) continue;
            const float y0 = origin.y + static_cast<float>(rows.first[i]) * row_h;
            c.view.layout.code_steps[step] = {ImVec2(origin.x, y0),
                                              ImVec2(origin.x + width, y0 + row_h)};
        }
        // Only the lines with a row in view are drawn: free play after 2,000 calls has as many
        // lines. rows.first is ascending, so the first of them is found by bisection.
        const auto first_row = static_cast<size_t>(std::max(0, top));
        const size_t from = static_cast<size_t>(
            std::upper_bound(rows.first.begin(), rows.first.begin() + lines.size() + 1, first_row) -
            rows.first.begin());
        for (size_t i = from == 0 ? 0 : from - 1; i < lines.size(); ++i) {
            if (static_cast<int>(rows.first[i]) > top + visible) break;
            const CodeLine& line = lines[i];
            const bool is_current = current(line);
            const bool is_next = next(line);
            const ImU32 colour = line.comment ? c.pal.text_dim : c.pal.text;
            for (size_t r = rows.first[i]; r < rows.first[i + 1]; ++r) {
                const int row = static_cast<int>(r);
                if (row < top || row > top + visible) continue;  // out of view
                const float y = origin.y + static_cast<float>(row) * row_h;
                if (is_current) {
                    draw->AddRectFilled(ImVec2(origin.x, y), ImVec2(origin.x + width, y + row_h),
                                        c.pal.accent_soft);
                    draw->AddRectFilled(ImVec2(origin.x, y), ImVec2(origin.x + 3, y + row_h),
                                        c.pal.accent);
                }
                if (r == rows.first[i] && (is_current || is_next)) {
                    draw->AddText(font, fs, ImVec2(origin.x + 4, y + pad),
                                  is_current ? c.pal.accent : c.pal.text_dim,
                                  is_current ? "▶" : "→");
                }
                if (r != rows.first[i]) {
                    // A continuation: a ↳ in the gutter (drawn: every font has lines), beside
                    // the hang, so it cannot pass for a line of the program's own indentation.
                    const float x = origin.x + gutter * 0.45f;
                    const float mid = y + row_h * 0.5f;
                    const float t = std::max(1.0f, std::floor(fs / 12.0f));
                    draw->AddLine(ImVec2(x, y + row_h * 0.15f), ImVec2(x, mid), c.pal.text_dim, t);
                    draw->AddLine(ImVec2(x, mid), ImVec2(origin.x + gutter * 0.85f, mid),
                                  c.pal.text_dim, t);
                }
                const CodeRow& piece = rows.rows[r];
                draw->AddText(font, fs, ImVec2(origin.x + gutter + piece.indent, y + pad), colour,
                              line.text.data() + piece.begin, line.text.data() + piece.end);
            }
        }
        // The content is whole rows, so ImGui's furthest scroll is whole rows too.
        ImGui::Dummy(ImVec2(width, static_cast<float>(total) * row_h));

        // Scroll when what the step is about (or the geometry) changes, not every frame: the
        // learner may scroll away to read. All of the rows in view, else the first on top,
        // with a third of the room left above them for what led there.
        auto [it, inserted] = c.view.code_focus.try_emplace(actor);
        if (it->second == want) return;
        it->second = want;
        const int max_top = std::max(0, total - visible);
        int new_top = std::clamp(static_cast<int>(std::lround(scroll / row_h)), 0, max_top);
        if (want.first >= 0) {
            const int block = want.last - want.first + 1;
            if (block > visible) {
                new_top = want.first;
            } else if (new_top > want.first || new_top + visible <= want.last) {
                new_top = std::clamp(want.first - (visible - block) / 3, 0, max_top);
            }
        }
        if (static_cast<float>(new_top) * row_h != scroll) {
            ImGui::SetScrollY(static_cast<float>(new_top) * row_h);
        }
    });
    ImGui::PopStyleVar();
}

// Which program a narrow panel shows: one button per program when all fit on one row (the
// shown one lit), else a combo naming it. ImGui's tab bar would shrink tabs and cut names.
void DrawSelector(DrawContext& c, const std::vector<ActorProgram>& programs, float width) {
    const ImGuiStyle& style = ImGui::GetStyle();
    float row = 0;
    for (const ActorProgram& program : programs) {
        if (row > 0) row += style.ItemSpacing.x;
        row += ImGui::CalcTextSize(program.name.c_str()).x + style.FramePadding.x * 2;
    }
    if (row <= width) {
        for (size_t p = 0; p < programs.size(); ++p) {
            const ActorProgram& program = programs[p];
            if (p > 0) ImGui::SameLine();
            const bool shown = program.actor == c.view.code_tab_actor;
            // The shown one in the colours of the tab it replaces (legible on them),
            if (shown) {
                ImGui::PushStyleColor(ImGuiCol_Button,
                                      ImGui::GetStyleColorVec4(ImGuiCol_TabActive));
                ImGui::PushStyleColor(ImGuiCol_ButtonHovered,
                                      ImGui::GetStyleColorVec4(ImGuiCol_TabHovered));
                ImGui::PushStyleColor(ImGuiCol_ButtonActive,
                                      ImGui::GetStyleColorVec4(ImGuiCol_TabActive));
            }
            WithId(program.actor, [&] {
                if (ImGui::Button(program.name.c_str())) c.view.code_tab_actor = program.actor;
            });
            if (!shown) continue;
            ImGui::PopStyleColor(3);
            // And underlined in the accent, within the frame's padding under the name: which is
            // shown must not rest on two close shades of blue.
            const ImVec2 a = ImGui::GetItemRectMin();
            const ImVec2 b = ImGui::GetItemRectMax();
            const float bar = std::max(2.0f, std::floor(ImGui::GetStyle().FramePadding.y * 0.8f));
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a.x, b.y - bar), b, c.pal.accent);
        }
        return;
    }
    const auto shown = std::find_if(programs.begin(), programs.end(), [&](const ActorProgram& p) {
        return p.actor == c.view.code_tab_actor;
    });
    const std::string name = shown != programs.end() ? shown->name : std::string();
    // The preview ends before the arrow, within the frame's padding.
    const float preview_w = width - ImGui::GetFrameHeight() - style.FramePadding.x * 2;
    const std::string preview = Ellipsize(ImGui::GetFont(), name, std::max(0.0f, preview_w));
    ImGui::SetNextItemWidth(width);
    if (ImGui::BeginCombo("##program", preview.c_str())) {
        for (const ActorProgram& program : programs) {
            WithId(program.actor, [&] {
                if (ImGui::Selectable(program.name.c_str(),
                                      program.actor == c.view.code_tab_actor)) {
                    c.view.code_tab_actor = program.actor;
                }
            });
        }
        ImGui::EndCombo();
    }
    if (preview != name && ImGui::IsItemHovered()) WrappedTooltip(name);
}

// The C / Python switch. Side by side, a row of radio buttons above the programs; one program at
// a time, a button at the end of the selector's row ("[C] Python": the language shown in
// brackets), in the row the selector takes anyway.
void DrawLanguageSwitch(DrawContext& c) {
    const CodeLanguage shown = c.view.code_language;
    int code = static_cast<int>(shown);
    ImGui::RadioButton("C", &code, static_cast<int>(CodeLanguage::kC));
    const ScreenRect c_button{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    ImGui::RadioButton("Python", &code, static_cast<int>(CodeLanguage::kPython));
    const ScreenRect python_button{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    c.view.code_language = static_cast<CodeLanguage>(code);
    // The button that switches: the language not shown (what the row's button does too).
    c.view.layout.code_switch = shown == CodeLanguage::kC ? python_button : c_button;
}

const char* LanguageButtonLabel(const DrawContext& c) {
    return c.view.code_language == CodeLanguage::kPython ? "C [Python]###language"
                                                         : "[C] Python###language";
}

float LanguageButtonWidth(const DrawContext& c) {
    return ImGui::CalcTextSize(LanguageButtonLabel(c), nullptr, true).x +
           ImGui::GetStyle().FramePadding.x * 2;
}

void DrawLanguageButton(DrawContext& c) {
    const bool python = c.view.code_language == CodeLanguage::kPython;
    if (ImGui::Button(LanguageButtonLabel(c))) {
        c.view.code_language = python ? CodeLanguage::kC : CodeLanguage::kPython;
    }
    c.view.layout.code_switch = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
}

}  // namespace

void DrawCodePanel(DrawContext& c, ImVec2 size) {
    const FrameModel& f = c.frame;
    // A rectangle reaching past the window's edge is drawn in the part that can be seen: what
    // lay beyond would be cut. (The window's layout places the items after it, not this size.)
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 seen = ImGui::GetWindowDrawList()->GetClipRectMax();
    size.x = std::floor(std::min(size.x, seen.x - pos.x));
    size.y = std::floor(std::min(size.y, seen.y - pos.y));
    if (size.x < 1 || size.y < 1) {  // a zero size would make the child fill the window
        c.view.layout.code = {pos, pos};
        return;
    }
    Child("code", size, true, ImGuiWindowFlags_NoScrollbar, [&] {
        const ImVec2 origin = ImGui::GetWindowPos();
        c.view.layout.code = {origin, ImVec2(origin.x + size.x, origin.y + size.y)};
        if (f.programs.empty()) return;
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
        const ImGuiStyle& style = ImGui::GetStyle();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const size_t count = f.programs.size();
        const float column =
            std::floor((avail.x - style.ItemSpacing.x * static_cast<float>(count - 1)) /
                       static_cast<float>(count));
        const float row_h = RowHeight(*c.code);

        // Whole lines are ~50 characters: below that width, one program at a time.
        if (count > 1 && column < c.Em() * 25.0f) {
            // Follow the actor whose call is shown (or who runs next).
            int follow = h.actor;
            if (follow < 0 && h.next_step >= 0 && f.lesson &&
                static_cast<size_t>(h.next_step) < f.lesson->steps.size()) {
                follow = f.lesson->steps[static_cast<size_t>(h.next_step)].actor;
            }
            if (follow >= 0 && follow != c.view.code_tab_last_follow) {
                c.view.code_tab_last_follow = follow;
                c.view.code_tab_actor = follow;
            }
            auto shown = std::find_if(
                f.programs.begin(), f.programs.end(),
                [&](const ActorProgram& p) { return p.actor == c.view.code_tab_actor; });
            if (shown == f.programs.end()) {
                shown = f.programs.begin();
                c.view.code_tab_actor = shown->actor;
            }
            // The selector only when a row of code still fits under it.
            if (avail.y >= ImGui::GetFrameHeight() + style.ItemSpacing.y + row_h) {
                const float switch_w = LanguageButtonWidth(c);
                DrawSelector(c, f.programs, avail.x - switch_w - style.ItemSpacing.x);
                ImGui::SameLine(avail.x - switch_w + style.WindowPadding.x);
                DrawLanguageButton(c);
            }
            WithId(shown->actor, [&] {
                DrawListing(c, shown->actor, shown->lines, h, ImGui::GetContentRegionAvail());
            });
            return;
        }
        // Side by side the panel is wide; the switch takes a row only when three rows of code
        // still fit under it and the titles.
        ImVec2 rest = avail;
        if (avail.y >= ImGui::GetFrameHeightWithSpacing() * 4.0f) {
            DrawLanguageSwitch(c);
            rest = ImGui::GetContentRegionAvail();
        }
        for (size_t p = 0; p < count; ++p) {
            const ActorProgram& program = f.programs[p];
            if (p > 0) ImGui::SameLine();
            WithId(program.actor, [&] {
                Child("program", ImVec2(column, rest.y), false, ImGuiWindowFlags_NoScrollbar, [&] {
                    // The title only when a row of code still fits under it.
                    const float title_h =
                        c.bold->FontSize + style.ItemSpacing.y * 2 + 1.0f;  // and the rule
                    if (rest.y >= title_h + row_h) {
                        const std::string title = Ellipsize(c.bold, program.name, column);
                        WithFont(c.bold, [&] { ImGui::TextUnformatted(title.c_str()); });
                        if (title != program.name && ImGui::IsItemHovered()) {
                            WrappedTooltip(program.name);
                        }
                        ImGui::Separator();
                    }
                    DrawListing(c, program.actor, program.lines, h, ImGui::GetContentRegionAvail());
                });
            });
        }
    });
}

}  // namespace sockstep::ui
