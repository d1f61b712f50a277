// The command line, run as a real process: help, version, bad options, no display.
#include <gtest/gtest.h>

#include "run_process.h"

namespace sockstep::testing {
namespace {

TEST(CommandLine, VersionPrintsTheProjectVersion) {
    const auto r = RunProcess({SOCKSTEP_BINARY, "--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, "sockstep 0.1.0\n");
}

TEST(CommandLine, HelpListsTheOptions) {
    const auto r = RunProcess({SOCKSTEP_BINARY, "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* option : {"--screenshot", "--frames", "--size", "--font-scale", "--lang"}) {
        EXPECT_NE(r.out.find(option), std::string::npos) << option;
    }
}

TEST(CommandLine, UnknownOptionIsOneLineAndExitTwo) {
    const auto r = RunProcess({SOCKSTEP_BINARY, "--frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CommandLine, BadValuesExitTwoNamingTheOption) {
    struct Case {
        std::vector<std::string> args;
        const char* named;
    };
    const Case cases[] = {{{"--size", "big"}, "--size"},
                          {{"--size", "100x100"}, "--size"},
                          {{"--font-scale", "9"}, "--font-scale"},
                          {{"--lang", "fr"}, "--lang"},
                          {{"--frames", "0"}, "--frames"}};
    for (const Case& c : cases) {
        std::vector<std::string> argv{SOCKSTEP_BINARY};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        const auto r = RunProcess(argv);
        EXPECT_EQ(r.exit_code, 2) << c.named;
        EXPECT_NE(r.err.find(c.named), std::string::npos) << r.err;
    }
}

TEST(CommandLine, NoDisplayIsAClearMessageAndExitTwo) {
    const auto r = RunProcess({SOCKSTEP_BINARY}, {"DISPLAY", "WAYLAND_DISPLAY"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no display"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("GLFW error"), std::string::npos) << r.err;
}

TEST(CommandLine, UnreachableDisplayIsAClearMessageAndExitTwo) {
    const auto r = RunProcess({SOCKSTEP_BINARY}, {"DISPLAY=:4242", "WAYLAND_DISPLAY"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot open the display"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace sockstep::testing
