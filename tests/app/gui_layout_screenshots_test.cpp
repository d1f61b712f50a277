// A sample of the layout walk as real pictures under Xvfb: three lessons at a middle step, at
// 1280x720 text scale 2.0 in Korean and 1024x768 text scale 1.0 in English, each with its layout
// dump beside it, in <build>/screenshots/layout/ for a person to look at.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_process.h"

namespace sockstep::testing {
namespace {
namespace fs = std::filesystem;

struct Sample {
    const char* lesson;
    const char* steps;
};
constexpr Sample kLessons[] = {{"handshake", "8"}, {"accept-queue", "9"}, {"udp", "6"}};

struct Look {
    const char* size;
    int width;
    int height;
    const char* lang;
    const char* scale;
};
constexpr Look kLooks[] = {{"1280x720", 1280, 720, "ko", "2.0"},
                           {"1024x768", 1024, 768, "en", "1.0"}};

TEST(GuiLayoutScreenshots, ThreeLessonsAtTwoLooksWithTheirLayoutDumps) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run the GUI tests under xvfb-run -a";
    const fs::path dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "screenshots" / "layout";
    fs::create_directories(dir);
    for (const Sample& s : kLessons) {
        for (const Look& look : kLooks) {
            const std::string name =
                std::string(s.lesson) + "-" + look.size + "-" + look.lang + "-" + look.scale;
            const fs::path png = dir / (name + ".png");
            const fs::path json = dir / (name + ".json");
            const fs::path config = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / ("test-config-" + name);
            fs::remove_all(config);
            const auto r =
                RunProcess({SOCKSTEP_BINARY, "--lesson", s.lesson, "--steps", s.steps, "--size",
                            look.size, "--lang", look.lang, "--font-scale", look.scale, "--frames",
                            "10", "--screenshot", png, "--layout-json", json},
                           {"XDG_CONFIG_HOME=" + config.string()});
            ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
            int w = 0;
            int h = 0;
            int channels = 0;
            unsigned char* pixels = stbi_load(png.c_str(), &w, &h, &channels, 4);
            ASSERT_NE(pixels, nullptr) << "not a PNG: " << png;
            stbi_image_free(pixels);
            EXPECT_EQ(w, look.width) << name;
            EXPECT_EQ(h, look.height) << name;
            std::ifstream in(json);
            const nlohmann::json j = nlohmann::json::parse(in);
            EXPECT_EQ(j["window"]["width"].get<int>(), look.width) << name;
            EXPECT_EQ(j["text_scale"].get<double>(), std::stod(look.scale)) << name;
            // The step's socket is among the cards drawn.
            bool focus = false;
            for (const auto& card : j["cards"]) focus = focus || card["in_focus"].get<bool>();
            EXPECT_TRUE(focus) << name << ": no card in focus\n" << j.dump(2);
        }
    }
}

}  // namespace
}  // namespace sockstep::testing
