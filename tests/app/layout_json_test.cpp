// sockstep --layout-json: the layout dump of the frame the screenshot saved, from a real window
// under Xvfb, and the same refusals as --screenshot for a path that cannot be written.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_process.h"

namespace sockstep::testing {
namespace {
namespace fs = std::filesystem;

fs::path ConfigFor(const char* name) {
    const fs::path config =
        fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / (std::string("test-config-layout-") + name);
    fs::remove_all(config);
    return config;
}

TEST(LayoutJson, TheListenerOfTheAcceptQueueLessonIsDumpedInFocusWithTheWindowAndScale) {
    ASSERT_NE(std::getenv("DISPLAY"), nullptr) << "run the GUI tests under xvfb-run -a";
    const fs::path dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "screenshots";
    fs::create_directories(dir);
    const fs::path json = dir / "layout-accept-queue.json";
    const fs::path png = dir / "layout-accept-queue.png";
    fs::remove(json);
    const auto r = RunProcess({SOCKSTEP_BINARY, "--lesson", "accept-queue", "--steps", "3",
                               "--size", "1280x720", "--lang", "en", "--font-scale", "1.5",
                               "--frames", "5", "--screenshot", png, "--layout-json", json},
                              {"XDG_CONFIG_HOME=" + ConfigFor("focus").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("sockstep: wrote " + json.string()), std::string::npos) << r.out;
    std::ifstream in(json);
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j["window"]["width"], 1280.0);
    EXPECT_EQ(j["window"]["height"], 720.0);
    EXPECT_EQ(j["text_scale"], 1.5);
    EXPECT_GT(j["glyphs"].get<int>(), 100);
    EXPECT_GT(j["stage"]["share"].get<double>(), 0.0);
    // Three steps: socket, bind, listen. The listener is the step's socket.
    bool listener = false;
    for (const auto& card : j["cards"]) {
        if (card["socket"] == "listener") {
            listener = true;
            EXPECT_EQ(card["actor"], "server");
            EXPECT_EQ(card["in_focus"], true);
            EXPECT_GT(card["rect"]["w"].get<double>(), 0.0);
        }
    }
    EXPECT_TRUE(listener) << j.dump(2);
    EXPECT_TRUE(j["clipped_texts"].is_array());
}

TEST(LayoutJson, APathThatCannotBeWrittenIsSaidBeforeAnyWindowAndExitsTwo) {
    ProcessOptions options;
    options.env = {"XDG_CONFIG_HOME=" + ConfigFor("refused").string(), "DISPLAY=:4242"};
    const auto r = RunProcess(
        {SOCKSTEP_BINARY, "--layout-json", "/nonexistent/x.json", "--frames", "2"}, options);
    ASSERT_FALSE(r.hung);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("sockstep: --layout-json: cannot write '/nonexistent/x.json': the "
                         "directory '/nonexistent' does not exist"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("display"), std::string::npos) << "said before any window: " << r.err;
    EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace sockstep::testing
