// The toolbar (lesson picker, Step, Play/Pause with speed, Reset | language, text size, theme,
// kernel table, help) and the banner under it that says when the view is not live: history,
// a saved log, a lesson that failed to load, free play.
#include <algorithm>
#include <cstdio>

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

// Language, text size, theme, kernel table, help.
float RightGroupWidth(DrawContext& c) {
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const core::Lang other = c.lang == core::Lang::kKo ? core::Lang::kEn : core::Lang::kKo;
    return ButtonWidth(Tr(Text::kLanguageName, other)) + ButtonWidth("A-") + ButtonWidth("A+") +
           ButtonWidth(c.T(c.frame.theme == Theme::kDark ? Text::kThemeLight : Text::kThemeDark)) +
           ButtonWidth(c.T(Text::kKernelTableButton)) + ButtonWidth("?") + sp * 6;
}

void DrawRightGroup(DrawContext& c) {
    const FrameModel& f = c.frame;
    const core::Lang other = c.lang == core::Lang::kKo ? core::Lang::kEn : core::Lang::kKo;
    if (ImGui::Button(Tr(Text::kLanguageName, other))) c.out.lang = other;
    WrappedTooltip(std::string(c.T(Text::kKeyLanguage)) + "  (L)");
    ImGui::SameLine();
    ImGui::BeginDisabled(f.font_scale <= kMinFontScale + 0.001f);
    if (ImGui::Button("A-"))
        c.out.font_scale = std::max(kMinFontScale, f.font_scale - kFontScaleStep);
    ImGui::EndDisabled();
    char size[48];
    std::snprintf(size, sizeof size, "%s %d%%  (-)", c.T(Text::kTextSize),
                  static_cast<int>(f.font_scale * 100.0f + 0.5f));
    WrappedTooltip(size);
    ImGui::SameLine();
    ImGui::BeginDisabled(f.font_scale >= kMaxFontScale - 0.001f);
    if (ImGui::Button("A+"))
        c.out.font_scale = std::min(kMaxFontScale, f.font_scale + kFontScaleStep);
    ImGui::EndDisabled();
    std::snprintf(size, sizeof size, "%s %d%%  (+)", c.T(Text::kTextSize),
                  static_cast<int>(f.font_scale * 100.0f + 0.5f));
    WrappedTooltip(size);
    ImGui::SameLine();
    const bool dark = f.theme == Theme::kDark;
    if (ImGui::Button(c.T(dark ? Text::kThemeLight : Text::kThemeDark))) {
        c.out.theme = dark ? Theme::kLight : Theme::kDark;
    }
    ImGui::SameLine();
    const bool table = c.view.kernel_table;
    if (table)
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
    if (ImGui::Button(c.T(Text::kKernelTableButton))) c.view.kernel_table = !table;
    if (table) ImGui::PopStyleColor();
    WrappedTooltip(std::string(c.T(Text::kKeyKernelTable)) + "  (K)");
    ImGui::SameLine();
    if (ImGui::Button("?")) c.view.help = true;
    WrappedTooltip(std::string(c.T(Text::kMenuShortcuts)) + "  (F1, ?)");
}

}  // namespace

void DrawToolbar(DrawContext& c) {
    const FrameModel& f = c.frame;
    const float fs = c.font->FontSize;

    // The lesson picker: built-in lessons by title, then free play.
    std::string preview = f.file_mode ? f.file_name
                          : f.lesson_index >= 0
                              ? f.lessons[static_cast<size_t>(f.lesson_index)].title
                          : f.lesson ? f.lesson->title.Get(c.lang)
                                     : std::string(c.T(Text::kFreePlay));
    ImGui::SetNextItemWidth(fs * 15.0f);
    if (ImGui::BeginCombo("##lesson", preview.c_str())) {
        for (size_t i = 0; i < f.lessons.size(); ++i) {
            const std::string label = std::to_string(i + 1) + ". " + f.lessons[i].title;
            if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == f.lesson_index)) {
                c.out.lesson = f.lessons[i].key;
            }
        }
        if (!f.lessons.empty()) ImGui::Separator();
        if (ImGui::Selectable(c.T(Text::kFreePlay), !f.lesson && !f.file_mode)) c.out.lesson = "";
        ImGui::EndCombo();
    }
    WrappedTooltip(c.T(Text::kLesson));

    // Step: one real call.
    ImGui::SameLine();
    const bool can_step = f.step_state == StepState::kReady || f.step_state == StepState::kFile;
    ImGui::BeginDisabled(!can_step);
    const std::string step_label = std::string("▶ ") + c.T(Text::kStep);
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
        ImGui::SetTooltip("%s", StepTooltip(c, buffer));
    }

    // Play / pause, and its speed (also the animations' speed).
    ImGui::SameLine();
    const std::string play =
        f.playing ? std::string("■ ") + c.T(Text::kPause) : std::string("▶▶ ") + c.T(Text::kPlay);
    if (ImGui::Button((play + "###play").c_str())) c.out.play = !f.playing;
    c.view.layout.play_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    WrappedTooltip("P");
    ImGui::SameLine();
    static constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f};
    auto speed_label = [](float v) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%g×", static_cast<double>(v));
        return std::string(buf);
    };
    ImGui::SetNextItemWidth(ImGui::CalcTextSize("0.25×").x + ImGui::GetFrameHeight() +
                            ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::BeginCombo("##speed", speed_label(f.speed).c_str())) {
        for (float v : kSpeeds) {
            if (ImGui::Selectable(speed_label(v).c_str(), v == f.speed)) c.out.speed = v;
        }
        ImGui::EndCombo();
    }
    WrappedTooltip(c.T(Text::kSpeed));

    ImGui::SameLine();
    if (ImGui::Button(c.T(Text::kReset))) c.out.reset = true;
    c.view.layout.reset_button = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    WrappedTooltip(std::string(c.T(Text::kKeyReset)) + "  (R)");

    // The view settings go to the right, or to a second row when the window is narrow.
    const float right = RightGroupWidth(c);
    ImGui::SameLine();
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail >= right) {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - right);
    } else {
        ImGui::NewLine();
    }
    DrawRightGroup(c);
}

void DrawStatusBanner(DrawContext& c) {
    const FrameModel& f = c.frame;
    const float fs = c.font->FontSize;
    auto banner = [&](ImU32 fill, ImU32 text, const std::string& message, const char* button,
                      auto&& on_click) {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        const float h = ImGui::GetFrameHeight() + fs * 0.3f;
        draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), fill, fs * 0.25f);
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
        draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, pos.y + (h - fs) * 0.5f), text,
                      Ellipsize(c.bold, message, room).c_str());
        ImGui::SetCursorScreenPos(pos);
        ImGui::Dummy(ImVec2(width, h));
    };
    if (f.file_mode) {
        std::string message = c.F(Text::kFileBanner, {f.file_name});
        if (f.scene.history) {
            message +=
                "   " + std::to_string(f.scene.cursor) + " / " + std::to_string(f.log.size());
        }
        banner(c.pal.history, c.pal.on_history, message, c.T(Text::kFileCloseLog),
               [&] { c.out.close_log = true; });
    } else if (f.scene.history) {
        const std::string message = std::string(c.T(Text::kHistory)) + " · " +
                                    c.F(Text::kHistoryBanner, {std::to_string(f.scene.cursor),
                                                               std::to_string(f.log.size())});
        banner(c.pal.history, c.pal.on_history, message, c.T(Text::kBackToLive),
               [&] { c.view.cursor.reset(); });
    } else if (!f.lesson_errors.empty()) {
        banner(c.pal.error_soft, c.pal.text, c.T(Text::kLessonError) + (" " + f.lesson_errors[0]),
               nullptr, [] {});
    }
}

}  // namespace sockstep::ui
