// The validator against a corpus of broken lesson files (tests/core/lessons/broken/): each file
// has one mistake, and the checker must name its line and column and say how to fix it, without
// a cascade of follow-on errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/lesson.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

const fs::path kBroken = fs::path(SOCKSTEP_SOURCE_DIR) / "tests/core/lessons/broken";

struct Expected {
    int line;
    int column;  // 0: the column is not checked (the error is about a whole table)
    std::vector<std::string> words;  // every one must appear in the message
};

struct Case {
    const char* file;
    std::vector<Expected> errors;  // exactly these, in this order
};

// Each message must say what is wrong and point at the fix.
const std::vector<Case> kCases = {
    {"toml-syntax.toml", {{39, 16, {"not valid TOML", "docs/LESSONS.md"}}}},
    {"unknown-top-key.toml",
     {{4, 1, {"'summary' has no English text", "summary.en"}},
      {5, 1, {"unknown key 'sumary'", "did you mean 'summary'"}}}},
    {"missing-korean.toml", {{42, 1, {"'narration' has no Korean text", "narration.ko ="}}}},
    {"empty-english.toml", {{3, 12, {"'title.en' is empty", "English"}}}},
    {"unknown-actor.toml",
     {{39, 9, {"no actor named 'sever'", "did you mean 'server'", "'server', 'client'"}}}},
    {"unknown-call.toml", {{40, 8, {"'acept' is not a call", "did you mean 'accept'"}}}},
    {"port-as-text.toml", {{27, 8, {"'port'", "whole number without quotes", "not a string"}}}},
    {"wildcard-address.toml", {{26, 8, {"'0.0.0.0' is not a loopback address", "127.0.0.0/8"}}}},
    {"lan-address.toml", {{49, 8, {"'192.168.1.10' is not a loopback address"}}}},
    {"hostname.toml", {{49, 8, {"'example.com'", "looks up no names", "localhost"}}}},
    {"used-before-created.toml",
     {{41, 10, {"no socket named 'sock' exists yet", "created at line 46", "move this step"}}}},
    {"other-actors-socket.toml",
     {{41, 10, {"'listener' belongs to the actor 'server'", "line 15", "another program"}}}},
    {"used-after-close.toml", {{48, 10, {"'listener' was closed at line 38", "new socket"}}}},
    {"unknown-errno.toml",
     {{53, 9, {"'ECONREFUSED' is not an errno name", "did you mean 'ECONNREFUSED'"}}}},
    {"rfc-state-name.toml", {{41, 7, {"'ESTABLISHED' is not a TCP state", "\"ESTAB\""}}}},
    {"argument-of-other-call.toml",
     {{50, 1, {"'backlog' is not an argument of connect()", "used by listen()"}}}},
    {"duplicate-socket-name.toml",
     {{41, 10, {"'listener' was already created at line 15", "'listener2'"}}}},
    {"answer-out-of-range.toml", {{41, 10, {"answer = 4", "only 3 choices", "count from 1"}}}},
    {"ok-and-errno.toml", {{39, 9, {"either ok = true", "not both"}}}},
    {"no-actors.toml", {{1, 1, {"no actors", "[[actors]]"}}}},
    {"ipv4-on-ipv6-socket.toml", {{27, 8, {"IPv4 address", "AF_INET6", "::1"}}}},
    {"tcp-state-on-udp.toml", {{26, 7, {"'rx' is a UDP socket", "no TCP state", "Remove 'tcp'"}}}},
    {"connect-nowhere.toml", {{45, 0, {"connect() needs somewhere to go", "peer = \"listener\""}}}},
    {"outside-client-on-connect.toml", {{50, 18, {"'outside_client'", "accept()"}}}},
    {"focus-unknown-socket.toml",
     {{50, 18, {"'focus' names 'listner'", "did you mean 'listener'", "earlier step"}}}},
    {"bad-id.toml", {{1, 6, {"the id 'My Lesson'", "lowercase", "\"my-lesson\""}}}},
    {"duplicate-key.toml", {{28, 8, {"cannot redefine", "'port'", "not valid TOML"}}}},
    {"expect-checks-nothing.toml", {{37, 0, {"checks nothing", "ok = true"}}}},
    {"api-state-unknown.toml", {{40, 7, {"'Listen' is not an API state", "'Listening'"}}}},
    {"listen-without-bind.toml",
     {{25, 10, {"never bound", "every network interface", "add a bind() step for 'listener'"}}}},
};

TEST(LessonBroken, CorpusHasAtLeastFifteenDistinctFiles) {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kBroken)) {
        files += entry.path().extension() == ".toml" ? 1 : 0;
    }
    EXPECT_GE(files, 15u);
    EXPECT_EQ(files, kCases.size()) << "every file of the corpus needs a case here";
}

TEST(LessonBroken, EachFileGivesItsErrorAtTheRightPlaceWithAFix) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.file);
        const fs::path path = kBroken / c.file;
        const LessonResult result = LoadLesson(path);
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_NE(errors, nullptr) << "the broken lesson was accepted";
        ASSERT_EQ(errors->size(), c.errors.size());
        for (size_t i = 0; i < c.errors.size(); ++i) {
            const LessonError& got = (*errors)[i];
            const Expected& want = c.errors[i];
            SCOPED_TRACE(got.Format());
            EXPECT_EQ(got.file, path.string());
            EXPECT_EQ(got.line, want.line);
            if (want.column > 0) {
                EXPECT_EQ(got.column, want.column);
            }
            for (const std::string& word : want.words) {
                EXPECT_NE(got.message.find(word), std::string::npos) << word;
            }
            // The compiler-style line editors can jump to.
            const std::string prefix = path.string() + ":" + std::to_string(want.line) + ":";
            EXPECT_EQ(got.Format().rfind(prefix, 0), 0u);
            EXPECT_NE(got.Format().find(": error: "), std::string::npos);
        }
    }
}

TEST(LessonBroken, EveryErrorOfAFileIsReportedTopToBottom) {
    // Three independent mistakes: all three come back, sorted by position.
    const std::string text = R"(id = "Bad Id"
title.ko = "제목"
title.en = "Title"
summary.ko = "요약"
summary.en = "Summary"
[[actors]]
name = "server"
role = "waiter"
[[steps]]
actor = "server"
call = "socket"
result = "s"
narration.en = "English only"
)";
    const LessonResult result = ParseLesson(text, "three.toml");
    const auto& errors = std::get<std::vector<LessonError>>(result);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].line, 1);
    EXPECT_NE(errors[0].message.find("'Bad Id'"), std::string::npos);
    EXPECT_EQ(errors[1].line, 8);
    EXPECT_NE(errors[1].message.find("\"server\" or \"client\""), std::string::npos);
    EXPECT_EQ(errors[2].line, 13);
    EXPECT_NE(errors[2].message.find("no Korean text"), std::string::npos);
}

}  // namespace
}  // namespace sockstep::core
