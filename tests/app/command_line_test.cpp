// The command line, run as a real process: help, version, bad options, no display.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {

// Issue #16 item 4: the version of CMakeLists.txt's project() and the commit the binary was
// built from, as git tells it for this source tree (the tests run right after the build).
TEST(CommandLine, VersionPrintsTheProjectVersionAndTheCommit) {
    const auto r = RunProcess({SOCKSTEP_BINARY, "--version"});
    EXPECT_EQ(r.exit_code, 0);
    const auto head =
        RunProcess({"git", "-C", SOCKSTEP_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
    const std::string version = std::string("sockstep ") + SOCKSTEP_PROJECT_VERSION;
    if (head.exit_code != 0) {
        EXPECT_EQ(r.out, version + " (commit unknown: not built from a git checkout)\n")
            << head.err;
        return;
    }
    const auto changes = RunProcess(
        {"git", "-C", SOCKSTEP_SOURCE_DIR, "status", "--porcelain", "--untracked-files=no"});
    ASSERT_EQ(changes.exit_code, 0) << changes.err;
    const std::string commit = head.out.substr(0, head.out.find('\n'));
    ASSERT_EQ(commit.size(), 12u) << head.out;
    EXPECT_EQ(r.out, version + " (commit " + commit +
                         (changes.out.empty() ? "" : " with uncommitted changes") + ")\n");
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

// Issue #12 item 8: CLI11's Range let NaN through (and --font-scale nan aborted later); every
// number option of every command now reads the whole text and wants a finite number.
TEST(CommandLine, NumberOptionsRefuseNanAndInfinityInEveryCommand) {
    const std::vector<std::vector<std::string>> cases = {
        {"--font-scale", "nan"},
        {"--font-scale", "inf"},
        {"--font-scale", "-inf"},
        {"--font-scale", "NaN"},
        {"--frames", "nan"},
        {"--steps", "inf"},
        {"trace", "--lesson", "handshake", "--until", "nan"},
        {"trace", "--lesson", "handshake", "--hold", "nan"},
        {"trace", "--lesson", "handshake", "--hold", "inf"},
        {"trace", "--lesson", "handshake", "--hold", "1e999"},
    };
    for (const auto& args : cases) {
        std::vector<std::string> argv{SOCKSTEP_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = RunProcess(argv);
        const std::string& option = args[args.size() - 2];
        EXPECT_EQ(r.exit_code, 2) << option << " " << args.back() << ": " << r.err;
        EXPECT_NE(r.err.find(option + ": '" + args.back() + "' is not a "), std::string::npos)
            << r.err;
        EXPECT_EQ(r.out, "");
    }
}

// Issue #12 item 14: "2abc" is not a number (CLI11 said "not in range"); "1.5" frames is not a
// whole number; a number out of range says the range.
TEST(CommandLine, NumberOptionsSayWhatIsWrongWithTheText) {
    struct Case {
        std::vector<std::string> args;
        std::string said;
    };
    const Case cases[] = {
        {{"--font-scale", "2abc"}, "--font-scale: '2abc' is not a number"},
        {{"--font-scale", ""}, "--font-scale: '' is not a number"},
        {{"--font-scale", "5"}, "--font-scale: '5' is not between 1 and 3"},
        {{"--frames", "1.5"}, "--frames: '1.5' is not a whole number (between 1 and 10000)"},
        {{"--frames", "3x"}, "--frames: '3x' is not a number"},
        {{"--steps", "-1"}, "--steps: '-1' is not between 0 and 10000"},
        {{"trace", "--lesson", "handshake", "--until", "99999999999999999999"},
         "--until: '99999999999999999999' is not between 1 and 100000"},
        {{"trace", "--lesson", "handshake", "--hold", "-1"},
         "--hold: '-1' is not between 0 and 3600"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> argv{SOCKSTEP_BINARY};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        const auto r = RunProcess(argv);
        EXPECT_EQ(r.exit_code, 2) << c.said;
        EXPECT_NE(r.err.find(c.said), std::string::npos) << r.err;
    }
    // Still accepted: the numbers as people write them.
    const auto ok = RunProcess(
        {SOCKSTEP_BINARY, "trace", "--lesson", "handshake", "--until", "+2", "--hold", "0.0"},
        {"SOCKSTEP_ASSETS=" + std::string(SOCKSTEP_SOURCE_DIR) + "/assets"});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

// Issue #12 item 8: `--connect ''` was silently ignored (and `--lesson ''` opened the first
// lesson): an empty value of any option is an error naming the option.
TEST(CommandLine, EmptyValuesAreErrorsNamingTheOption) {
    const std::vector<std::vector<std::string>> cases = {
        {"trace", "--lesson", "handshake", "--connect", ""},
        {"trace", "--lesson", ""},
        {"trace", "--lesson", "handshake", "--lang", ""},
        {"--lesson", ""},
        {"--screenshot", ""},
        {"--size", ""},
        {"--open-log", ""},
        {"--lang", ""},
        {"--theme", ""},
        {"export", "--lesson", "", "--format", "c", "-o", "x"},
        {"export", "--lesson", "handshake", "--format", "", "-o", "x"},
        {"export", "--lesson", "handshake", "--format", "c", "--output", ""},
        {"export", "--lesson", "handshake", "--format", "c", "-o", "x", "--lang", ""},
    };
    for (const auto& args : cases) {
        std::vector<std::string> argv{SOCKSTEP_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto r = RunProcess(argv, {"DISPLAY=:4242"});
        size_t empty = 0;
        while (!args[empty + 1].empty()) ++empty;  // the option given the empty value
        const std::string& option = args[empty];
        EXPECT_EQ(r.exit_code, 2) << option << ": " << r.err;
        EXPECT_NE(r.err.find(": the value is empty; give "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(option == "-o" ? "--output" : option), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
    }
    const auto check = RunProcess({SOCKSTEP_BINARY, "check", ""});
    EXPECT_EQ(check.exit_code, 2) << check.err;
    EXPECT_NE(check.err.find("files: the value is empty; give a lesson file"), std::string::npos)
        << check.err;
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
