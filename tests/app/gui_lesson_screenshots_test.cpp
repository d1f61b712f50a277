// The real window under Xvfb, driven through RunGui in this process: the handshake lesson
// after each step, in both languages and both themes, written to
// build-test/screenshots/handshake-<lang>-<theme>-<step>.png. Each must be the window's size,
// not flat, and differ from the step before it.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "gui_main.h"
#include "gui_settings.h"
#include "run_process.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/trace_json.h"

namespace sockstep::testing {
namespace {
namespace fs = std::filesystem;

struct Image {
    int width = 0;
    int height = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, stbi_image_free};
    const uint32_t* At(int i) const { return reinterpret_cast<const uint32_t*>(pixels.get()) + i; }
};

Image LoadPng(const fs::path& path) {
    Image image;
    int channels = 0;
    image.pixels.reset(stbi_load(path.c_str(), &image.width, &image.height, &channels, 4));
    return image;
}

size_t DistinctColours(const Image& image) {
    std::set<uint32_t> colours;
    for (int i = 0; i < image.width * image.height; i += 7) colours.insert(*image.At(i));
    return colours.size();
}

// The share of pixels that differ between two images of the same size.
double Difference(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height) return 1.0;
    const int n = a.width * a.height;
    int differ = 0;
    for (int i = 0; i < n; ++i) differ += *a.At(i) != *b.At(i);
    return static_cast<double>(differ) / n;
}

class GuiScreenshots : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run the GUI tests under xvfb-run -a";
        dir_ = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "screenshots";
        fs::create_directories(dir_);
        config_ = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "test-config-gui";
        fs::remove_all(config_);
        setenv("XDG_CONFIG_HOME", config_.c_str(), 1);
        setenv("SOCKSTEP_ASSETS", (fs::path(SOCKSTEP_SOURCE_DIR) / "assets").c_str(), 1);
    }
    void TearDown() override {
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("SOCKSTEP_ASSETS");
    }

    // Runs the window once and returns its exit code; stdout and stderr are kept for messages.
    int Run(const app::GuiOptions& options) {
        std::ostringstream out;
        std::ostringstream err;
        const int code = app::RunGui(options, out, err);
        last_err_ = err.str();
        return code;
    }

    fs::path dir_;
    fs::path config_;
    std::string last_err_;
};

TEST_F(GuiScreenshots, HandshakeAfterEveryStepInBothLanguagesAndThemes) {
    constexpr int kSteps = 10;  // the handshake lesson's steps
    for (const char* lang : {"en", "ko"}) {
        for (const char* theme : {"dark", "light"}) {
            Image previous;
            for (int step = 0; step <= kSteps; ++step) {
                char name[64];
                std::snprintf(name, sizeof name, "handshake-%s-%s-%02d.png", lang, theme, step);
                const fs::path png = dir_ / name;
                fs::remove(png);
                app::GuiOptions options;
                options.screenshot = png.string();
                options.frames = 3;
                options.lesson = "handshake";
                options.steps = step;
                options.theme = theme;
                options.lang = core::ParseLang(lang);
                ASSERT_EQ(Run(options), 0) << name << ": " << last_err_;
                Image image = LoadPng(png);
                ASSERT_NE(image.pixels, nullptr) << "not a PNG: " << png;
                EXPECT_EQ(image.width, 1280) << name;
                EXPECT_EQ(image.height, 720) << name;
                EXPECT_GT(DistinctColours(image), 20u) << name;
                if (step > 0) {
                    // Every step changes something real: a card, a state, the narration.
                    EXPECT_GT(Difference(previous, image), 0.002) << name;
                }
                previous = std::move(image);
            }
        }
    }
}

TEST_F(GuiScreenshots, TheCommandLineReachesTheSameOptions) {
    // The real binary: --lesson, --steps, --theme and --kernel-table as a teacher types them.
    const fs::path png = dir_ / "handshake-ko-light-cli-04.png";
    fs::remove(png);
    const auto r =
        RunProcess({SOCKSTEP_BINARY, "--screenshot", png.string(), "--lesson", "handshake",
                    "--steps", "4", "--theme", "light", "--lang", "ko", "--kernel-table"},
                   {"XDG_CONFIG_HOME=" + config_.string(),
                    "SOCKSTEP_ASSETS=" + (fs::path(SOCKSTEP_SOURCE_DIR) / "assets").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Image image = LoadPng(png);
    ASSERT_NE(image.pixels, nullptr);
    EXPECT_EQ(image.width, 1280);
    EXPECT_GT(DistinctColours(image), 20u);
}

TEST_F(GuiScreenshots, KernelTableAndLargeTextFitTheWindow) {
    const fs::path png = dir_ / "handshake-en-light-table-scale150.png";
    app::GuiOptions options;
    options.screenshot = png.string();
    options.lesson = "handshake";
    options.steps = 6;
    options.theme = "light";
    options.lang = core::Lang::kEn;
    options.kernel_table = true;
    options.font_scale = 1.5f;
    options.font_scale_given = true;
    options.width = 1920;
    options.height = 1080;
    options.size_given = true;
    ASSERT_EQ(Run(options), 0) << last_err_;
    const Image image = LoadPng(png);
    ASSERT_NE(image.pixels, nullptr);
    EXPECT_EQ(image.width, 1920);
    EXPECT_EQ(image.height, 1080);
    EXPECT_GT(DistinctColours(image), 20u);
}

TEST_F(GuiScreenshots, ASavedLogReplaysWithoutOpeningSockets) {
    // A log of the whole handshake, recorded by the core the way File > Save writes it.
    const fs::path log = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "handshake-test.jsonl";
    {
        auto found = core::FindLesson("handshake", fs::path(SOCKSTEP_SOURCE_DIR) / "assets");
        ASSERT_TRUE(std::holds_alternative<core::Lesson>(found));
        const core::Lesson& lesson = std::get<core::Lesson>(found);
        core::Session session;
        core::AddActors(session, lesson);
        session.SetScript(core::ToScript(lesson));
        session.RunToEnd();
        std::ofstream out(log);
        core::WriteJsonLines(session.Log(), out);
    }
    ASSERT_GT(fs::file_size(log), 100u);
    const fs::path png = dir_ / "replay-en-dark.png";
    app::GuiOptions options;
    options.screenshot = png.string();
    options.open_log = log.string();
    options.steps = 4;  // in a replay, steps move through the recorded calls
    options.lang = core::Lang::kEn;
    ASSERT_EQ(Run(options), 0) << last_err_;
    const Image image = LoadPng(png);
    ASSERT_NE(image.pixels, nullptr);
    EXPECT_GT(DistinctColours(image), 20u);
}

TEST_F(GuiScreenshots, SettingsAreRememberedButNotByScriptedScreenshots) {
    app::GuiOptions options;
    options.screenshot = (dir_ / "settings.png").string();
    options.lang = core::Lang::kKo;
    options.theme = "light";
    ASSERT_EQ(Run(options), 0) << last_err_;
    // A scripted screenshot must not overwrite what a teacher chose.
    EXPECT_FALSE(fs::exists(config_ / "sockstep" / "settings.json"));

    app::GuiSettings saved;
    saved.theme = ui::Theme::kLight;
    saved.font_scale = 2.0f;
    saved.lang = core::Lang::kKo;
    saved.width = 1000;
    saved.height = 600;
    saved.x = 10;
    saved.y = 20;
    saved.kernel_table = true;
    saved.speed = 2.0f;
    saved.python = true;  // the code panel's C / Python switch
    saved.last_folder = "/tmp/a folder/logs";
    fs::create_directories(config_ / "sockstep");
    ASSERT_EQ(app::SaveGuiSettings(config_ / "sockstep" / "settings.json", saved), "");
    std::string problem;
    const app::GuiSettings loaded =
        app::LoadGuiSettings(config_ / "sockstep" / "settings.json", problem);
    EXPECT_EQ(problem, "");
    EXPECT_EQ(loaded.theme, ui::Theme::kLight);
    EXPECT_EQ(loaded.font_scale, 2.0f);
    EXPECT_EQ(loaded.lang, core::Lang::kKo);
    EXPECT_EQ(loaded.width, 1000);
    EXPECT_EQ(loaded.height, 600);
    EXPECT_EQ(loaded.x, 10);
    EXPECT_TRUE(loaded.kernel_table);
    EXPECT_EQ(loaded.speed, 2.0f);
    EXPECT_TRUE(loaded.python);
    EXPECT_EQ(loaded.last_folder, "/tmp/a folder/logs");  // the file dialog's folder

    // A damaged file gives defaults, never a failure.
    {
        std::ofstream bad(config_ / "sockstep" / "settings.json");
        bad << "{ \"theme\": 42, \"font_scale\": 99, \"window\": [1,2] ";
    }
    const app::GuiSettings fallback =
        app::LoadGuiSettings(config_ / "sockstep" / "settings.json", problem);
    EXPECT_FALSE(fallback.theme.has_value());
    EXPECT_FALSE(fallback.font_scale.has_value());
    EXPECT_FALSE(fallback.width.has_value());
    EXPECT_FALSE(fallback.python);  // C, the default
}

}  // namespace
}  // namespace sockstep::testing
