// Hostile text in lesson files (tests/core/lessons/hostile/): what `check` accepts, every front
// end runs, so the parser refuses a NUL or another control character in any text at its
// file:line:column (a NUL aborted the window's font builder; "127.0.0.1\0.evil.com" bound
// 127.0.0.1), and every message it gives is safe for a terminal: escaped, cut, and at most
// Diagnostics::kMaxErrors of them plus one that counts the rest. The accepted hostile lessons
// are run by ui/hostile_lesson_gui_test.cpp and app/hostile_lesson_cli_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/lesson.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

const fs::path kHostile = fs::path(SOCKSTEP_SOURCE_DIR) / "tests/core/lessons/hostile";

struct Case {
    const char* file;
    int line;
    int column;
    std::vector<std::string> words;  // every one must appear in the (first) message
    size_t errors = 1;
};

const std::vector<Case> kRejected = {
    {"nul-summary.toml", 6, 14, {"'summary.en'", "control character U+0000", "character 2"}},
    {"esc-title.toml", 4, 12, {"'title.en'", "control character U+001B", "character 1"}},
    {"c1-narration.toml", 21, 16, {"'narration.en'", "control character U+009B"}},
    {"tab-title.toml", 4, 12, {"'title.en'", "control character U+0009", "character 4"}},
    // Refused as a text; the address check would refuse it too (address.cpp).
    {"nul-host.toml", 33, 8, {"'host'", "control character U+0000", "character 10"}},
    {"esc-call.toml", 18, 8, {"'call'", "control character U+001B"}},
    // A key is quoted in the message with its ESC and BEL escaped.
    {"esc-key.toml", 3, 1, {"unknown key 'k\\u001b]0;PWNED\\u0007'"}},
    // An invalid byte is reported where it is, not one character before.
    {"ff-title.toml", 4, 13, {"invalid utf-8", "not valid TOML"}},
    // A 500 KB key gives one short line, not a 500 KB one.
    {"bigkey.toml", 3, 1, {"unknown key 'kkkk", "…"}},
    {"many-errors.toml", 1, 1, {"has no 'title'"}, 21},
};

bool TerminalSafe(const std::string& text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

TEST(LessonHostileText, ControlCharactersAreRefusedWhereTheyAre) {
    for (const Case& c : kRejected) {
        SCOPED_TRACE(c.file);
        const fs::path path = kHostile / "rejected" / c.file;
        ASSERT_TRUE(fs::exists(path));
        const LessonResult result = LoadLesson(path);
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_NE(errors, nullptr) << "accepted";
        ASSERT_EQ(errors->size(), c.errors);
        const LessonError& first = errors->front();
        SCOPED_TRACE(first.Format());
        EXPECT_EQ(first.line, c.line);
        EXPECT_EQ(first.column, c.column);
        for (const std::string& word : c.words) {
            EXPECT_NE(first.message.find(word), std::string::npos) << word;
        }
        for (const LessonError& e : *errors) {
            EXPECT_TRUE(TerminalSafe(e.Format())) << e.Format();
            EXPECT_LE(e.Format().size(), 1200u);
        }
    }
}

TEST(LessonHostileText, AFileOfErrorsSaysHowManyMoreThereAre) {
    const LessonResult result = LoadLesson(kHostile / "rejected/many-errors.toml");
    const auto* errors = std::get_if<std::vector<LessonError>>(&result);
    ASSERT_NE(errors, nullptr);
    ASSERT_EQ(errors->size(), 21u);
    // 200 unknown keys (lines 2-201) and no title, summary, actors or steps (line 1): the
    // first 20 by position, then one line for the other 184, at the first one not shown.
    EXPECT_EQ(errors->back().line, 18);
    EXPECT_EQ(errors->back().message,
              "184 more errors from here on are not shown; fix the ones above first");
}

TEST(LessonHostileText, EveryFileOfTheRejectedCorpusHasACase) {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kHostile / "rejected")) {
        files += entry.path().extension() == ".toml" ? 1 : 0;
    }
    EXPECT_EQ(files, kRejected.size());
}

TEST(LessonHostileText, PrintableButHostileTextIsAccepted) {
    // Bidirectional overrides, characters above U+FFFF, and NUL, ESC and C1 bytes in data to
    // send: all valid, so every front end must show them safely (see the header comment).
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kHostile / "accepted")) {
        SCOPED_TRACE(entry.path().string());
        const LessonResult result = LoadLesson(entry.path());
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_EQ(errors, nullptr) << (errors ? errors->front().Format() : "");
        ++files;
    }
    EXPECT_GE(files, 1u);
}

}  // namespace
}  // namespace sockstep::core
