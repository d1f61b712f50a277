// `sockstep check`, `--list-lessons` and `--lesson`, run as the real binary: exit codes, the
// compiler-style file:line:column messages, and the order and languages of the lesson list.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const std::string kAssets = std::string(SOCKSTEP_SOURCE_DIR) + "/assets";
const std::string kBroken = std::string(SOCKSTEP_SOURCE_DIR) + "/tests/core/lessons/broken";
// Every command finds the lessons of this source tree, whatever was copied into the build tree,
// and none of the account's or the machine's lesson folders (XDG_DATA_HOME, XDG_DATA_DIRS).
const std::vector<std::string> kEnv = {"SOCKSTEP_ASSETS=" + kAssets,
                                       "XDG_DATA_HOME=/nonexistent/sockstep-test",
                                       "XDG_DATA_DIRS=/nonexistent/sockstep-test"};

std::vector<std::string> BuiltinFiles() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(kAssets + "/lessons")) {
        files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(CheckCommand, EveryBuiltinLessonIsValid) {
    std::vector<std::string> argv = {SOCKSTEP_BINARY, "check"};
    const auto files = BuiltinFiles();
    ASSERT_EQ(files.size(), 12u);
    argv.insert(argv.end(), files.begin(), files.end());
    const auto r = RunProcess(argv, kEnv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto lines = Lines(r.out);
    ASSERT_EQ(lines.size(), 12u) << r.out;
    for (size_t i = 0; i < files.size(); ++i) {
        EXPECT_EQ(lines[i].rfind(files[i] + ": ok: lesson '", 0), 0u) << lines[i];
    }
}

TEST(CheckCommand, ABrokenFileExitsOneWithFileLineColumn) {
    const std::string file = kBroken + "/unknown-call.toml";
    const auto r = RunProcess({SOCKSTEP_BINARY, "check", file}, kEnv);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(file + ":40:8: error: 'acept' is not a call sockstep can make (did you "
                                "mean 'accept'?)"),
              std::string::npos)
        << r.err;
}

TEST(CheckCommand, ValidAndBrokenTogetherReportBoth) {
    const std::string good = kAssets + "/lessons/01-handshake.toml";
    const std::string bad1 = kBroken + "/wildcard-address.toml";
    const std::string bad2 = kBroken + "/toml-syntax.toml";
    const auto r = RunProcess({SOCKSTEP_BINARY, "check", bad1, good, bad2}, kEnv);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find(good + ": ok"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(bad1 + ":26:8: error: '0.0.0.0' is not a loopback address"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(bad2 + ":39:16: error:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("2 of 3 lesson files are not valid"), std::string::npos) << r.err;
}

TEST(CheckCommand, EveryBrokenFileOfTheCorpusIsRejected) {
    for (const auto& entry : fs::directory_iterator(kBroken)) {
        const std::string file = entry.path().string();
        const auto r = RunProcess({SOCKSTEP_BINARY, "check", file}, kEnv);
        EXPECT_EQ(r.exit_code, 1) << file;
        EXPECT_EQ(r.err.rfind(file + ":", 0), 0u) << r.err;
    }
}

TEST(CheckCommand, MissingFilesAndNoFiles) {
    const auto missing = RunProcess({SOCKSTEP_BINARY, "check", "/nonexistent/lesson.toml"}, kEnv);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("/nonexistent/lesson.toml: error: cannot read the file"),
              std::string::npos)
        << missing.err;

    const auto none = RunProcess({SOCKSTEP_BINARY, "check"}, kEnv);
    EXPECT_EQ(none.exit_code, 2) << none.err;
    EXPECT_NE(none.err.find("files"), std::string::npos) << none.err;
}

TEST(ListLessons, IdsInTeachingOrderWithTitlesInTheChosenLanguage) {
    const std::vector<std::string> ids = {"handshake",    "refused",      "accept-queue",
                                          "backlog-full", "echo",         "close-and-time-wait",
                                          "half-close",   "reset",        "udp",
                                          "nonblocking",  "server-alone", "ipv6"};
    const auto en = RunProcess({SOCKSTEP_BINARY, "--list-lessons", "--lang", "en"}, kEnv);
    const auto ko = RunProcess({SOCKSTEP_BINARY, "--list-lessons", "--lang", "ko"}, kEnv);
    ASSERT_EQ(en.exit_code, 0) << en.err;
    ASSERT_EQ(ko.exit_code, 0) << ko.err;
    const auto en_lines = Lines(en.out);
    const auto ko_lines = Lines(ko.out);
    ASSERT_EQ(en_lines.size(), ids.size()) << en.out;
    ASSERT_EQ(ko_lines.size(), ids.size()) << ko.out;
    for (size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(en_lines[i].rfind(ids[i] + " ", 0), 0u) << en_lines[i];
        EXPECT_EQ(ko_lines[i].rfind(ids[i] + " ", 0), 0u) << ko_lines[i];
        EXPECT_NE(en_lines[i], ko_lines[i]);
    }
    EXPECT_NE(en.out.find("The handshake: how a server and a client meet"), std::string::npos);
    EXPECT_NE(ko.out.find("연결 맺기"), std::string::npos);
    // The locale decides when --lang is not given.
    const auto by_locale =
        RunProcess({SOCKSTEP_BINARY, "--list-lessons"},
                   {kEnv[0], kEnv[1], kEnv[2], "LC_ALL", "LC_MESSAGES", "LANG=ko_KR.UTF-8"});
    EXPECT_EQ(by_locale.out, ko.out);
}

TEST(ListLessons, NoLessonsFolderIsExitTwo) {
    const auto r =
        RunProcess({SOCKSTEP_BINARY, "--list-lessons"}, {"SOCKSTEP_ASSETS=/nonexistent"});
    // Without a usable SOCKSTEP_ASSETS the build tree's own copy is found; with neither it says so.
    if (r.exit_code == 0) {
        EXPECT_NE(r.out.find("handshake"), std::string::npos);
    } else {
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("cannot find the lessons folder"), std::string::npos) << r.err;
    }
}

TEST(GuiLesson, AnInvalidLessonIsRefusedBeforeAnyWindow) {
    const std::string file = kBroken + "/lan-address.toml";
    // A display that does not exist: if the lesson check were skipped, the message would be
    // about the display instead.
    const auto r = RunProcess({SOCKSTEP_BINARY, "--lesson", file}, {kEnv[0], "DISPLAY=:4242"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(file + ":49:8: error: '192.168.1.10' is not a loopback address"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("display"), std::string::npos) << r.err;

    const auto unknown =
        RunProcess({SOCKSTEP_BINARY, "--lesson", "no-such-lesson"}, {kEnv[0], "DISPLAY=:4242"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("no-such-lesson: error: there is no lesson with this id"),
              std::string::npos)
        << unknown.err;
}

TEST(GuiLesson, AValidLessonGoesOnToTheWindow) {
    // No display at all: the lesson passed its check, so the window code says why it cannot open.
    const auto r =
        RunProcess({SOCKSTEP_BINARY, "--lesson", "echo"}, {kEnv[0], "DISPLAY", "WAYLAND_DISPLAY"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("display"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("error:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace sockstep::testing
