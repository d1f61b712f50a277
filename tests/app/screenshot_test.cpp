// The real window under Xvfb: --screenshot writes a PNG of the requested size with content.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

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
    EXPECT_TRUE(fs::exists(config_ / "sockstep" / "imgui.ini"));
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

}  // namespace
}  // namespace sockstep::testing
