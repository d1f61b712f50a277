// Every step of the built-in lessons, drawn headless with the app's fonts, meets WCAG AA contrast
// in both themes and both languages: before each step, after the last, with any question open.
// What is measured is what the frame drew (ui::CheckContrast walks ImDrawData).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "headless.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/snapshot.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/contrast_check.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

struct Case {
    const char* lesson;  // file in assets/lessons
    float scale;
};

void PrintTo(const Case& c, std::ostream* out) {
    *out << c.lesson << " x" << c.scale;
}

// server-alone's outside program: a loopback client that connects to the listener and sends a
// line, so the accept() and recv() the lesson waits in return. Returns its descriptor.
int ConnectOutsideClient(core::Session& session, const std::string& listener) {
    const core::Snapshot now = session.ProbeNow();
    const core::SocketView* l = core::FindSocketByName(now, listener);
    if (l == nullptr || !l->local) return -1;
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(l->local->port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char line[] = "hello from the test\n";
    if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 ||
        send(fd, line, sizeof line - 1, 0) != static_cast<ssize_t>(sizeof line - 1)) {
        close(fd);
        return -1;
    }
    return fd;
}

class ContrastLessons : public ::testing::TestWithParam<Case> {};

TEST_P(ContrastLessons, EveryStepMeetsWcagAaInBothThemesAndLanguages) {
    const Case param = GetParam();
    core::LessonResult loaded =
        core::LoadLesson(fs::path(SOCKSTEP_SOURCE_DIR) / "assets/lessons" / param.lesson);
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(loaded));
    const core::Lesson lesson = std::get<core::Lesson>(std::move(loaded));

    HeadlessImGui imgui{1280, 720};
    ui::Controller controller(std::nullopt);
    controller.UseLesson(lesson);
    ui::ViewState view;
    ui::FontSet fonts;
    int built = -1;
    size_t frames_checked = 0;
    size_t glyphs = 0;
    size_t chips_checked = 0;
    float lowest = 21.0f;
    std::set<std::string> reported;

    const auto check_all = [&](size_t step) {
        if (controller.GlyphGeneration() != built) {
            // One atlas for both languages, as the app builds it from every text in use.
            ui::BuildFonts(*ImGui::GetIO().Fonts, param.scale,
                           ui::AllUiText(core::Lang::kEn) + ui::AllUiText(core::Lang::kKo) +
                               controller.GlyphText(core::Lang::kEn) +
                               controller.GlyphText(core::Lang::kKo),
                           fonts);
            built = controller.GlyphGeneration();
        }
        for (const ui::Theme theme : {ui::Theme::kDark, ui::Theme::kLight}) {
            ui::ApplyTheme(theme, param.scale);
            for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
                const auto draw = [&] {
                    ui::FrameModel model;
                    controller.Fill(model, view, lang);
                    model.lang = lang;
                    model.theme = theme;
                    model.font_scale = param.scale;
                    view.fonts = &fonts;
                    ui::DrawMainWindow(model, view);
                };
                // Animations run to their end first: what is checked is the settled frame.
                imgui.io().DeltaTime = 5.0f;
                imgui.Frame(draw);
                imgui.io().DeltaTime = 1.0f / 60.0f;
                imgui.Frame(draw);
                const ImU32 clear =
                    ImGui::ColorConvertFloat4ToU32(ImGui::GetStyle().Colors[ImGuiCol_WindowBg]);
                // The state chips: 3:1 against the card, pane or stage beneath them.
                std::vector<ImU32> chips = {ui::NoStateColour()};
                for (int s = 1; s <= static_cast<int>(core::TcpState::kNewSynRecv); ++s) {
                    chips.push_back(ui::TcpStateColour(static_cast<core::TcpState>(s)));
                }
                const ui::ContrastReport report =
                    ui::CheckContrast(*ImGui::GetDrawData(), *ImGui::GetIO().Fonts, clear, chips,
                                      ImGui::GetFontSize() * 0.9f);
                ++frames_checked;
                glyphs += report.glyphs;
                lowest = std::min(lowest, report.lowest);
                EXPECT_GT(report.glyphs, 50u);
                chips_checked += report.chips.size();
                for (const ui::ChipFill& chip : report.chip_failures) {
                    const std::string said = ui::Describe(chip);
                    if (!reported.insert(said.substr(0, said.rfind(" (at "))).second) continue;
                    ADD_FAILURE() << "before step " << step << ", " << ui::ThemeName(theme) << ", "
                                  << (lang == core::Lang::kKo ? "ko" : "en") << ": " << said;
                }
                for (const ui::GlyphRun& run : report.failures) {
                    // Each text and pair of colours once: the same chip fails on every step.
                    const std::string said = ui::Describe(run);
                    if (!reported.insert(said.substr(0, said.rfind(" at "))).second) continue;
                    ADD_FAILURE() << "before step " << step << ", " << ui::ThemeName(theme) << ", "
                                  << (lang == core::Lang::kKo ? "ko" : "en") << ": " << said;
                }
            }
        }
    };

    int outside = -1;
    for (size_t step = 0; step < lesson.steps.size(); ++step) {
        check_all(step);
        ASSERT_EQ(controller.RunSteps(1, view), 1u) << "step " << step;
        if (lesson.steps[step].outside_client) {
            check_all(step + 1);  // the server waits for a program from outside: say how
            outside =
                ConnectOutsideClient(*controller.session(), lesson.steps[step].request.socket);
            ASSERT_GE(outside, 0);
        }
    }
    check_all(lesson.steps.size());
    if (outside >= 0) close(outside);
    EXPECT_EQ(frames_checked, 4 * (lesson.steps.size() + 1 + (outside >= 0 ? 1 : 0)));
    EXPECT_GT(chips_checked, frames_checked) << "no state chip was measured";
    std::printf("%s x%.1f: %zu frames, %zu glyphs, lowest ratio %.2f\n", param.lesson,
                static_cast<double>(param.scale), frames_checked, glyphs,
                static_cast<double>(lowest));
}

INSTANTIATE_TEST_SUITE_P(
    AllLessons, ContrastLessons,
    ::testing::Values(Case{"01-handshake.toml", 1.0f}, Case{"02-refused.toml", 1.0f},
                      Case{"03-accept-queue.toml", 1.0f}, Case{"04-backlog-full.toml", 1.0f},
                      Case{"05-echo.toml", 1.0f}, Case{"06-close-and-time-wait.toml", 1.0f},
                      Case{"07-half-close.toml", 1.0f}, Case{"08-reset.toml", 1.0f},
                      Case{"09-udp.toml", 1.0f}, Case{"10-nonblocking.toml", 1.0f},
                      Case{"11-server-alone.toml", 1.0f}, Case{"12-ipv6.toml", 1.0f},
                      Case{"01-handshake.toml", 2.0f}, Case{"06-close-and-time-wait.toml", 2.0f},
                      Case{"08-reset.toml", 2.0f}));

}  // namespace
}  // namespace sockstep::testing
