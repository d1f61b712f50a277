// The toolbar, one row at every size (lesson picker, Step, Play/Pause with speed, Reset |
// language, text size, theme, kernel table, help, and a "⋯" menu with what does not fit) and
// the banner under it that says when the view is not live: history, a saved log, a lesson that
// failed to load.
#include <algorithm>
#include <cstdio>
#include <iterator>

#include "draw_context.h"

namespace sockstep::ui {
namespace {

const char* StepTooltip(DrawContext& c, std::string& buffer) {
    const FrameModel& f = c.frame;
    switch (f.step_state) {
        case StepState::kReady:
            return "Space";
        case StepState::kBusy:
            buffer = c.F(Text::kStepBusy, {f.busy_actor, core::CallName(f.busy_call)});
            return buffer.c_str();
        case StepState::kNeedAnswer:
            return c.T(Text::kStepAnswerFirst);
        case StepState::kDone:
            return c.T(Text::kStepDone);
        case StepState::kFile:
            return c.T(Text::kStepFile);
        case StepState::kNoScript:
            return c.T(Text::kNextFree);
    }
    return "";
}

float ButtonWidth(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

// The toolbar's items after Step and Play, in the order they leave the row for the "⋯" menu
// when the window is narrow or the text large (the last first).
enum class Extra : uint8_t { kSpeed, kReset, kLanguage, kSmaller, kLarger, kTheme, kTable, kHelp };
constexpr Extra kExtras[] = {Extra::kSpeed,  Extra::kReset, Extra::kLanguage, Extra::kSmaller,
                             Extra::kLarger, Extra::kTheme, Extra::kTable,    Extra::kHelp};
constexpr size_t kLeftExtras = 2;  // speed and reset stay by Play; the rest go to the right
constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f};
constexpr const char* kMore = "⋯";

core::Lang OtherLang(const DrawContext& c) {
    return c.lang == core::Lang::kKo ? core::Lang::kEn : core::Lang::kKo;
}

std::string SpeedLabel(float v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%g×", static_cast<double>(v));
    return buf;
}

float SpeedWidth() {
    return ImGui::CalcTextSize("0.25×").x + ImGui::GetFrameHeight() +
           ImGui::GetStyle().FramePadding.x * 2;
}

float ExtraWidth(const DrawContext& c, Extra e) {
    switch (e) {
        case Extra::kSpeed:
            return SpeedWidth();
        case Extra::kReset:
            return ButtonWidth(c.T(Text::kReset));
        case Extra::kLanguage:
            return ButtonWidth(Tr(Text::kLanguageName, OtherLang(c)));
        case Extra::kSmaller:
            return ButtonWidth("A-");
        case Extra::kLarger:
            return ButtonWidth("A+");
        case Extra::kTheme:
            return ButtonWidth(
                c.T(c.frame.theme == Theme::kDark ? Text::kThemeLight : Text::kThemeDark));
        case Extra::kTable:
            return ButtonWidth(c.T(Text::kKernelTableButton));
        case Extra::kHelp:
            return ButtonWidth("?");
    }
    return 0;
}

void DrawExtra(DrawContext& c, Extra e) {
    const FrameModel& f = c.frame;
    char size[48];
    switch (e) {
        case Extra::kSpeed:
            // Play's speed, also the animations' speed.
            ImGui::SetNextItemWidth(SpeedWidth());
            if (ImGui::BeginCombo("##speed", SpeedLabel(f.speed).c_str())) {
                for (float v : kSpeeds) {
                    if (ImGui::Selectable(SpeedLabel(v).c_str(), v == f.speed)) c.out.speed = v;
                }
                ImGui::EndCombo();
            }
            WrappedTooltip(c.T(Text::kSpeed));
            break;
        case Extra::kReset:
            if (ImGui::Button(c.T(Text::kReset))) c.out.reset = true;
            c.view.layout.reset_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
            WrappedTooltip(std::string(c.T(Text::kKeyReset)) + "  (R)");
            break;
        case Extra::kLanguage:
            if (ImGui::Button(Tr(Text::kLanguageName, OtherLang(c)))) c.out.lang = OtherLang(c);
            WrappedTooltip(std::string(c.T(Text::kKeyLanguage)) + "  (L)");
            break;
        case Extra::kSmaller:
            ImGui::BeginDisabled(f.font_scale <= kMinFontScale + 0.001f);
            if (ImGui::Button("A-"))
                c.out.font_scale = std::max(kMinFontScale, f.font_scale - kFontScaleStep);
            ImGui::EndDisabled();
            std::snprintf(size, sizeof size, "%s %d%%  (-)", c.T(Text::kTextSize),
                          static_cast<int>(f.font_scale * 100.0f + 0.5f));
            WrappedTooltip(size);
            break;
        case Extra::kLarger:
            ImGui::BeginDisabled(f.font_scale >= kMaxFontScale - 0.001f);
            if (ImGui::Button("A+"))
                c.out.font_scale = std::min(kMaxFontScale, f.font_scale + kFontScaleStep);
            ImGui::EndDisabled();
            std::snprintf(size, sizeof size, "%s %d%%  (+)", c.T(Text::kTextSize),
                          static_cast<int>(f.font_scale * 100.0f + 0.5f));
            WrappedTooltip(size);
            break;
        case Extra::kTheme: {
            const bool dark = f.theme == Theme::kDark;
            if (ImGui::Button(c.T(dark ? Text::kThemeLight : Text::kThemeDark))) {
                c.out.theme = dark ? Theme::kLight : Theme::kDark;
            }
            break;
        }
        case Extra::kTable: {
            const bool table = c.view.kernel_table;
            if (table)
                ImGui::PushStyleColor(ImGuiCol_Button,
                                      ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
            if (ImGui::Button(c.T(Text::kKernelTableButton))) c.view.kernel_table = !table;
            if (table) ImGui::PopStyleColor();
            WrappedTooltip(std::string(c.T(Text::kKeyKernelTable)) + "  (K)");
            break;
        }
        case Extra::kHelp:
            if (ImGui::Button("?")) c.view.help = true;
            WrappedTooltip(std::string(c.T(Text::kMenuShortcuts)) + "  (F1, ?)");
            break;
    }
}

// The same as menu items, in the "⋯" popup: the items that did not fit in the row.
void ExtraMenuItem(DrawContext& c, Extra e) {
    const FrameModel& f = c.frame;
    const std::string text_size = c.T(Text::kTextSize);
    switch (e) {
        case Extra::kSpeed:
            if (ImGui::BeginMenu(c.T(Text::kSpeed))) {
                for (float v : kSpeeds) {
                    if (ImGui::MenuItem(SpeedLabel(v).c_str(), nullptr, v == f.speed))
                        c.out.speed = v;
                }
                ImGui::EndMenu();
            }
            break;
        case Extra::kReset:
            if (ImGui::MenuItem(c.T(Text::kReset), "R")) c.out.reset = true;
            c.view.layout.reset_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
            break;
        case Extra::kLanguage:
            if (ImGui::MenuItem(Tr(Text::kLanguageName, OtherLang(c)), "L"))
                c.out.lang = OtherLang(c);
            break;
        case Extra::kSmaller:
            if (ImGui::MenuItem((text_size + " -").c_str(), "-", false,
                                f.font_scale > kMinFontScale + 0.001f))
                c.out.font_scale = std::max(kMinFontScale, f.font_scale - kFontScaleStep);
            break;
        case Extra::kLarger:
            if (ImGui::MenuItem((text_size + " +").c_str(), "+", false,
                                f.font_scale < kMaxFontScale - 0.001f))
                c.out.font_scale = std::min(kMaxFontScale, f.font_scale + kFontScaleStep);
            break;
        case Extra::kTheme: {
            const bool dark = f.theme == Theme::kDark;
            if (ImGui::MenuItem(c.T(dark ? Text::kThemeLight : Text::kThemeDark)))
                c.out.theme = dark ? Theme::kLight : Theme::kDark;
            break;
        }
        case Extra::kTable:
            ImGui::MenuItem(c.T(Text::kMenuKernelTable), "K", &c.view.kernel_table);
            break;
        case Extra::kHelp:
            if (ImGui::MenuItem(c.T(Text::kMenuShortcuts), "F1")) c.view.help = true;
            break;
    }
}

// The lesson menu's entries: the built-in lessons, then each folder's under a heading naming
// it. A broken file or a shadowed lesson is listed, greyed, with why in its tooltip; the others
// are numbered in order.
void DrawLessonChoices(DrawContext& c) {
    const FrameModel& f = c.frame;
    // A folder's path may be longer than the window: the popup never grows past it.
    const float widest =
        std::max(c.font->FontSize * 8.0f,
                 ImGui::GetIO().DisplaySize.x * 0.9f - ImGui::GetStyle().WindowPadding.x * 2.0f);
    std::string group;
    int shown = 0;
    for (size_t i = 0; i < f.lessons.size(); ++i) {
        const LessonChoice& l = f.lessons[i];
        if (l.source != group) {
            group = l.source;
            ImGui::Separator();
            ImGui::TextDisabled(
                "%s",
                Ellipsize(c.font, Fmt(Text::kLessonsFrom, c.lang, {l.source}), widest).c_str());
            if (ImGui::IsItemHovered()) TooltipNow(l.source);
        }
        const std::string id = "##lesson" + std::to_string(i);
        // Lessons keep their number when shadowed, so "lesson 3" means the same entry for every
        // student; a broken file has none.
        const std::string number = l.broken ? "" : std::to_string(++shown) + ". ";
        if (l.unusable.empty()) {
            if (ImGui::Selectable((Ellipsize(c.font, number + l.title, widest) + id).c_str(),
                                  static_cast<int>(i) == f.lesson_index)) {
                c.out.lesson = l.key;
            }
            continue;
        }
        const std::string label = number + l.title + " (" + l.unusable + ")";
        ImGui::BeginDisabled();
        ImGui::Selectable((Ellipsize(c.font, label, widest) + id).c_str(), false);
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
            std::string why;
            for (const std::string& e : l.errors) why += (why.empty() ? "" : "\n") + e;
            TooltipNow(why);
        }
    }
}

}  // namespace

void DrawToolbar(DrawContext& c) {
    const FrameModel& f = c.frame;
    const float fs = c.font->FontSize;
    const ImGuiStyle& style = ImGui::GetStyle();
    const float sp = style.ItemSpacing.x;
    c.view.layout.reset_button = {};

    // The lesson picker: built-in lessons by title, then free play.
    std::string preview = f.file_mode ? f.file_name
                          : f.lesson_index >= 0
                              ? f.lessons[static_cast<size_t>(f.lesson_index)].title
                          : f.lesson ? f.lesson->title.Get(c.lang)
                                     : std::string(c.T(Text::kFreePlay));
    const bool can_step = f.step_state == StepState::kReady || f.step_state == StepState::kFile;
    const std::string step_label = std::string("▶ ") + c.T(Text::kStep);
    const std::string play =
        f.playing ? std::string("■ ") + c.T(Text::kPause) : std::string("▶▶ ") + c.T(Text::kPlay);

    // One row at every size: Step and Play always; the lesson picker gives up width first,
    // down to a few letters (its tooltip has the whole title); then the other items leave the
    // row, last first, for the "⋯" menu at its end.
    const float row = ImGui::GetContentRegionAvail().x;
    const float arrow = ImGui::GetFrameHeight();
    const float combo_full = std::min(
        fs * 15.0f, ImGui::CalcTextSize(preview.c_str()).x + arrow + style.FramePadding.x * 2);
    const float combo_min = std::min(combo_full, fs * 3.0f + arrow);
    const float combo_easy = std::min(combo_full, fs * 8.0f + arrow);
    const float core_w = ButtonWidth(step_label.c_str()) + sp + ButtonWidth(play.c_str());
    const float more_w = ButtonWidth(kMore) + sp;
    float extras_w[std::size(kExtras)];
    for (size_t i = 0; i < std::size(kExtras); ++i) extras_w[i] = ExtraWidth(c, kExtras[i]) + sp;
    auto needed = [&](size_t shown, float combo) {
        float w = combo + sp + core_w + (shown < std::size(kExtras) ? more_w : 0.0f);
        for (size_t i = 0; i < shown; ++i) w += extras_w[i];
        return w;
    };
    size_t shown = std::size(kExtras);
    float combo_w = combo_full;
    if (needed(shown, combo_full) > row) {
        combo_w = combo_easy;
        while (shown > 0 && needed(shown, combo_w) > row) --shown;
        combo_w = std::clamp(row - needed(shown, 0.0f), combo_min, combo_easy);
    }

    ImGui::SetNextItemWidth(combo_w);
    const std::string shown_title =
        Ellipsize(c.font, preview, combo_w - arrow - style.FramePadding.x * 2);
    // As tall as the window allows: a teacher's folders come after the twelve built-in lessons.
    if (ImGui::BeginCombo("##lesson", shown_title.c_str(), ImGuiComboFlags_HeightLargest)) {
        DrawLessonChoices(c);
        if (!f.lessons.empty()) ImGui::Separator();
        if (ImGui::Selectable(c.T(Text::kFreePlay), !f.lesson && !f.file_mode)) c.out.lesson = "";
        ImGui::EndCombo();
    }
    WrappedTooltip(std::string(c.T(Text::kLesson)) + ": " + preview);

    // Step: one real call.
    ImGui::SameLine();
    ImGui::BeginDisabled(!can_step);
    if (can_step) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(c.pal.accent));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(c.pal.on_accent));
    }
    if (ImGui::Button(step_label.c_str())) c.out.step = true;
    if (can_step) ImGui::PopStyleColor(2);
    ImGui::EndDisabled();
    c.view.layout.step_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    std::string buffer;
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        TooltipNow(StepTooltip(c, buffer));
    }

    // Play / pause.
    ImGui::SameLine();
    if (ImGui::Button((play + "###play").c_str())) c.out.play = !f.playing;
    c.view.layout.play_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    WrappedTooltip("P");

    for (size_t i = 0; i < std::min(shown, kLeftExtras); ++i) {
        ImGui::SameLine();
        DrawExtra(c, kExtras[i]);
    }
    // The view settings and the "⋯" menu go to the right end of the row.
    float right = shown < std::size(kExtras) ? more_w : 0.0f;
    for (size_t i = kLeftExtras; i < shown; ++i) right += extras_w[i];
    if (right > 0) {
        ImGui::SameLine();
        const float gap = ImGui::GetContentRegionAvail().x - right;
        if (gap > 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + gap);
    }
    const bool more = shown < std::size(kExtras);
    for (size_t i = kLeftExtras; i < shown; ++i) {
        DrawExtra(c, kExtras[i]);
        if (i + 1 < shown || more) ImGui::SameLine();
    }
    if (more) {
        if (ImGui::Button(kMore)) ImGui::OpenPopup("##more");
        c.view.layout.more_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
        if (ImGui::BeginPopup("##more")) {
            for (size_t i = shown; i < std::size(kExtras); ++i) ExtraMenuItem(c, kExtras[i]);
            ImGui::EndPopup();
        }
    }
}

// The banner's height this frame: 0 when the view is live and the lesson loaded.
float StatusBannerHeight(const DrawContext& c) {
    const FrameModel& f = c.frame;
    const bool shown = f.file_mode || f.scene.history || !f.lesson_errors.empty();
    return shown ? ImGui::GetFrameHeight() + c.font->FontSize * 0.3f : 0.0f;
}

void DrawStatusBanner(DrawContext& c) {
    const FrameModel& f = c.frame;
    const float fs = c.font->FontSize;
    // `brief` is what the banner says when `message` does not fit (large text, a narrow
    // window): whole words that keep the point, rather than the sentence cut at its end.
    auto banner = [&](ImU32 fill, ImU32 text, const std::string& message, const std::string& brief,
                      const char* button, auto&& on_click) {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        const float h = ImGui::GetFrameHeight() + fs * 0.3f;
        draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), fill, fs * 0.25f);
        c.view.layout.banner = {pos, ImVec2(pos.x + width, pos.y + h)};
        float room = width - fs;
        if (button) {
            const float bw = ButtonWidth(button);
            ImGui::SetCursorScreenPos(ImVec2(pos.x + width - bw - fs * 0.3f, pos.y + fs * 0.15f));
            // A solid button: the banner's colour must not wash it out.
            ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(c.pal.card_bg));
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(c.pal.text));
            const bool clicked = ImGui::Button(button);
            ImGui::PopStyleColor(2);
            if (clicked) on_click();
            if (std::string_view(button) == c.T(Text::kBackToLive)) {
                c.view.layout.back_to_live = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
            }
            room -= bw + fs * 0.5f;
        }
        const auto fits = [&](const std::string& s) {
            return c.bold->CalcTextSizeA(fs, FLT_MAX, 0.0f, s.c_str()).x <= room;
        };
        const std::string shown = fits(message) ? message
                                  : fits(brief) ? brief
                                                : Ellipsize(c.bold, brief, room);
        draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, pos.y + (h - fs) * 0.5f), text,
                      shown.c_str());
        ImGui::SetCursorScreenPos(pos);
        ImGui::Dummy(ImVec2(width, h));
        if (shown != message) WrappedTooltip(message);  // cut only with its whole text on hover
    };
    if (f.file_mode) {
        std::string message = c.F(Text::kFileBanner, {f.file_name});
        std::string brief = c.F(Text::kFileBannerShort, {f.file_name});
        if (f.scene.history) {
            const std::string at =
                "   " + std::to_string(f.scene.cursor) + " / " + std::to_string(f.log.size());
            message += at;
            brief += at;
        }
        banner(c.pal.history, c.pal.on_history, message, brief, c.T(Text::kFileCloseLog),
               [&] { c.out.close_log = true; });
    } else if (f.scene.history) {
        const std::string cursor = std::to_string(f.scene.cursor);
        const std::string total = std::to_string(f.log.size());
        const std::string history = std::string(c.T(Text::kHistory)) + " · ";
        banner(c.pal.history, c.pal.on_history,
               history + c.F(Text::kHistoryBanner, {cursor, total}),
               history + c.F(Text::kHistoryBannerShort, {cursor, total}), c.T(Text::kBackToLive),
               [&] { c.view.cursor.reset(); });
    } else if (!f.lesson_errors.empty()) {
        const std::string error = c.T(Text::kLessonError) + (" " + f.lesson_errors[0]);
        banner(c.pal.error_soft, c.pal.text, error, error, nullptr, [] {});
    }
}

}  // namespace sockstep::ui
