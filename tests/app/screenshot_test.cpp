// The real window under Xvfb: --screenshot writes a PNG of the requested size with content.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {
namespace fs = std::filesystem;

struct Image {
    int width = 0;
    int height = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels{nullptr, stbi_image_free};
};

Image LoadPng(const fs::path& path) {
    Image image;
    int channels = 0;
    image.pixels.reset(stbi_load(path.c_str(), &image.width, &image.height, &channels, 4));
    return image;
}

size_t DistinctColours(const Image& image) {
    std::set<uint32_t> colours;
    const auto* p = reinterpret_cast<const uint32_t*>(image.pixels.get());
    for (int i = 0; i < image.width * image.height; i += 7) colours.insert(p[i]);
    return colours.size();
}

class Screenshot : public ::testing::Test {
  protected:
    void SetUp() override {
        // scripts/test runs the suite under xvfb-run; without a display this test cannot run.
        ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run the GUI tests under xvfb-run -a";
        dir_ = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "screenshots";
        fs::create_directories(dir_);
        // One config dir per test: ctest runs tests in parallel, and SetUp wipes it.
        config_ = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) /
                  ("test-config-" +
                   std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(config_);
    }
    fs::path dir_;
    fs::path config_;
};

TEST_F(Screenshot, WritesAPngOfTheRequestedSizeThatIsNotFlat) {
    const fs::path png = dir_ / "shell-en.png";
    fs::remove(png);
    const auto r = RunProcess({SOCKSTEP_BINARY, "--screenshot", png, "--frames", "5", "--size",
                               "1000x560", "--lang", "en"},
                              {"XDG_CONFIG_HOME=" + config_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Image image = LoadPng(png);
    ASSERT_NE(image.pixels, nullptr) << "not a PNG: " << png;
    EXPECT_EQ(image.width, 1000);
    EXPECT_EQ(image.height, 560);
    EXPECT_GT(DistinctColours(image), 3u);
}

TEST_F(Screenshot, KoreanWindowRendersAndKeepsIniOutOfTheWorkingDirectory) {
    const fs::path png = dir_ / "shell-ko.png";
    const fs::path cwd = fs::current_path();
    const bool ini_before = fs::exists(cwd / "imgui.ini");
    const auto r = RunProcess({SOCKSTEP_BINARY, "--screenshot", png, "--frames", "3", "--lang",
                               "ko", "--font-scale", "1.5"},
                              {"XDG_CONFIG_HOME=" + config_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("fonts-nanum"), std::string::npos) << r.err;
    const Image image = LoadPng(png);
    ASSERT_NE(image.pixels, nullptr);
    EXPECT_EQ(image.width, 1280);
    EXPECT_EQ(image.height, 720);
    EXPECT_GT(DistinctColours(image), 3u);
    // A scripted run writes no settings and no ini file, here or anywhere (issue #12 item 14).
    EXPECT_FALSE(fs::exists(config_ / "sockstep")) << "not even the settings directory";
    EXPECT_EQ(fs::exists(cwd / "imgui.ini"), ini_before);
}

// --frames alone (how scripts/bench times start to first frame): the window draws that many
// frames and the program exits by itself, writing no PNG and no remembered settings.
TEST_F(Screenshot, FramesAloneDrawsThenExitsWithoutWritingAnything) {
    const auto r =
        RunProcess({SOCKSTEP_BINARY, "--frames", "2", "--lesson", "handshake", "--size", "800x600"},
                   {"XDG_CONFIG_HOME=" + config_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
    EXPECT_FALSE(fs::exists(config_ / "sockstep" / "settings.json"));
}

// Issue #12 item 10: `--screenshot /dev/full` printed "wrote …" and exited 0 (stb's writer does
// not check). A device node is refused before any window (never replaced), an unwritable path
// is said before any window, and a failed write (here past RLIMIT_FSIZE: EFBIG) is reported,
// leaves no file, and exits 2 like every front end's unwritable output.
TEST_F(Screenshot, AnOutputThatCannotBeWrittenIsReportedAndExitsTwo) {
    struct stat before {};
    ASSERT_EQ(stat("/dev/full", &before), 0);
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"/dev/full", "'/dev/full' is a character device; sockstep writes only regular files"},
        {"/nonexistent/x.png", "the directory '/nonexistent' does not exist"},
    };
    for (const auto& [path, said] : refused) {
        ProcessOptions options;
        options.env = {"XDG_CONFIG_HOME=" + config_.string(), "DISPLAY=:4242"};
        const auto r =
            RunProcess({SOCKSTEP_BINARY, "--screenshot", path, "--frames", "2"}, options);
        ASSERT_FALSE(r.hung);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_NE(r.err.find("sockstep: --screenshot: "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(said), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("display"), std::string::npos) << "said before any window: " << r.err;
        EXPECT_EQ(r.out, "");
    }
    struct stat after {};
    ASSERT_EQ(stat("/dev/full", &after), 0);
    EXPECT_TRUE(S_ISCHR(after.st_mode));
    EXPECT_EQ(after.st_rdev, before.st_rdev);

    const fs::path png = dir_ / "too-big.png";
    fs::remove(png);
    ProcessOptions options;
    options.env = {"XDG_CONFIG_HOME=" + config_.string()};
    options.file_size_limit = 1000;  // a PNG of the window is far bigger
    const auto r = RunProcess(
        {SOCKSTEP_BINARY, "--screenshot", png.string(), "--frames", "2", "--size", "640x400"},
        options);
    ASSERT_FALSE(r.hung);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("cannot write '" + png.string() + "': file too large (EFBIG)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.out.find("wrote"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(png));
    for (const auto& e : fs::directory_iterator(dir_)) {
        EXPECT_EQ(e.path().filename().string().find(".sockstep-"), std::string::npos)
            << "a temporary file was left: " << e.path();
    }
}

// Issue #12 item 9: settings.json as a directory aborted start-up, and as a FIFO (like
// imgui.ini as a FIFO) hung for ever. The window starts with defaults and says why; the hang
// guard fails the test instead of hanging.
TEST_F(Screenshot, SettingsOfTheWrongKindStartWithDefaults) {
    const fs::path dir = config_ / "sockstep";
    struct Case {
        std::string name;
        std::string file;
        bool fifo;
        std::string said;
    };
    const Case cases[] = {
        {"settings as a directory", "settings.json", false, "it is a directory"},
        {"settings as a FIFO", "settings.json", true, "it is a FIFO (named pipe)"},
        {"imgui.ini as a directory", "imgui.ini", false, "it is a directory"},
        {"imgui.ini as a FIFO", "imgui.ini", true, "it is a FIFO (named pipe)"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        fs::remove_all(config_);
        fs::create_directories(dir);
        const fs::path file = dir / c.file;
        if (c.fifo) {
            ASSERT_EQ(mkfifo(file.c_str(), 0600), 0);
        } else {
            fs::create_directory(file);
        }
        ProcessOptions options;
        options.env = {"XDG_CONFIG_HOME=" + config_.string()};
        const auto r = RunProcess({SOCKSTEP_BINARY, "--frames", "2", "--lang", "en"}, options);
        ASSERT_FALSE(r.hung) << "start-up blocked on " << file;
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.err.find("sockstep: " + file.string() + ": " + c.said), std::string::npos)
            << r.err;
        // Left as it was.
        EXPECT_EQ(c.fifo ? fs::is_fifo(file) : fs::is_directory(file), true);
    }
}

}  // namespace
}  // namespace sockstep::testing
