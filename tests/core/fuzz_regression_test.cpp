// Inputs the fuzzers (fuzz/, scripts/fuzz) found, replayed through the shipped readers: each one
// must end in the exact error (or result) written here, never a crash, hang or wrong message.
// The files are in tests/core/fuzz_regressions/{lesson,json}; scripts/fuzz also seeds from them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/lesson.h"
#include "sockstep/core/trace_json.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

const fs::path kRegressions = fs::path(SOCKSTEP_SOURCE_DIR) / "tests/core/fuzz_regressions";

struct LessonCase {
    const char* file;
    int line;
    int column;
    std::vector<std::string> words;  // every one must appear in the (single) error message
};

// What each reproducer was, and what it must give now.
const std::vector<LessonCase> kLessonCases = {
    // lesson_fuzz: a control character right after "[[" of a table header reached a toml++
    // 3.3.0 precondition (parse_key asserts it is given a key character; upstream
    // marzer/tomlplusplus#301). It must be the positioned "not valid TOML" error.
    {"table-header-control-char.toml",
     11,
     3,
     {"expected bare key starting character", "not valid TOML", "docs/LESSONS.md"}},
    // lesson_fuzz: 'є' (U+0454) right after a key. toml++ 3.3.0 asks whether it is whitespace
    // and its is_non_ascii_horizontal_whitespace() reaches __builtin_unreachable() (undefined
    // behaviour, upstream marzer/tomlplusplus#295). The reader now finds it before toml++ does.
    {"cyrillic-after-key.toml",
     11,
     10,
     {"'є' (U+0454)", "outside double quotes", "not valid TOML"}},
    // lesson_fuzz: the same toml++ fault, reached through a value that starts with a digit:
    // toml++ reads `1"rrexpect…˳` ahead as one would-be number, quote included, and classifies
    // '˳' (U+02F3) there.
    {"number-then-quote.toml", 1, 26, {"'˳' (U+02F3)", "outside double quotes"}},
    // lesson_fuzz: a letter right after the 'T' of a date and time. toml++ 3.3.0's parse_time()
    // asserts it is given a digit (a precondition fuzz/toml_assert.h explains) and then reports
    // the letter itself; the shipped build must give that report.
    {"datetime-letter-after-t.toml", 3, 22, {"expected 2-digit hour, saw 'x'", "not valid TOML"}},
};

std::vector<fs::path> FilesIn(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
    return files;
}

TEST(FuzzRegression, EveryLessonReproducerHasACase) {
    const std::vector<fs::path> files = FilesIn(kRegressions / "lesson");
    EXPECT_EQ(files.size(), kLessonCases.size());
    for (const fs::path& file : files) {
        bool found = false;
        for (const LessonCase& c : kLessonCases) found = found || file.filename() == c.file;
        EXPECT_TRUE(found) << file << " has no case in kLessonCases";
    }
}

TEST(FuzzRegression, LessonReproducersGiveOnePositionedError) {
    for (const LessonCase& c : kLessonCases) {
        SCOPED_TRACE(c.file);
        const LessonResult result = LoadLesson(kRegressions / "lesson" / c.file);
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_NE(errors, nullptr) << "the reproducer was accepted as a lesson";
        ASSERT_EQ(errors->size(), 1u) << (*errors)[0].Format();
        const LessonError& e = errors->front();
        SCOPED_TRACE(e.Format());
        EXPECT_EQ(e.line, c.line);
        EXPECT_EQ(e.column, c.column);
        for (const std::string& word : c.words) {
            EXPECT_NE(e.message.find(word), std::string::npos) << word;
        }
    }
}

// One error for `text` placed after a valid first line; checks its place and words.
void ExpectOneError(const std::string& text, int line, int column,
                    const std::vector<std::string>& words) {
    SCOPED_TRACE(text);
    const LessonResult result = ParseLesson("id = \"x\"\n" + text, "unsafe.toml");
    const auto* errors = std::get_if<std::vector<LessonError>>(&result);
    ASSERT_NE(errors, nullptr);
    ASSERT_EQ(errors->size(), 1u);
    SCOPED_TRACE(errors->front().Format());
    EXPECT_EQ(errors->front().line, line);
    EXPECT_EQ(errors->front().column, column);
    for (const std::string& word : words) {
        EXPECT_NE(errors->front().message.find(word), std::string::npos) << word;
    }
}

// The same toml++ precondition, reached by typos a teacher can make in a table header.
TEST(FuzzRegression, TableHeaderWithoutAKeyIsATomlErrorAtItsColumn) {
    ExpectOneError("[=]\n", 2, 2, {"not valid TOML", "saw '='"});
    ExpectOneError("[[=]]\n", 2, 3, {"not valid TOML", "saw '='"});
    ExpectOneError("[[[steps]]]\n", 2, 3, {"not valid TOML", "saw '['"});
    ExpectOneError("[[ ,]]\n", 2, 4, {"not valid TOML", "saw ','"});
    ExpectOneError("[\n", 2, 2, {"not valid TOML", "saw '\\n'"});
}

// lesson_fuzz: a '}' where an array expects a value reached another toml++ 3.3.0 precondition
// (parse_value asserts it is not given a value terminator); the shipped build reports it.
TEST(FuzzRegression, ClosingBraceInAnArrayIsATomlError) {
    ExpectOneError("a = [}]\n", 2, 6, {"could not determine value type"});
}

// The parse_time() precondition of datetime-letter-after-t.toml, reached by other slips after
// the 'T' (or 't').
TEST(FuzzRegression, DateTimeWithoutItsHourIsATomlErrorAtItsColumn) {
    ExpectOneError("a = 1979-05-27T:00\n", 2, 16, {"expected 2-digit hour", "saw ':'"});
    ExpectOneError("a = 1979-05-27t_7:00\n", 2, 16, {"expected 2-digit hour", "saw '_'"});
    ExpectOneError("a = [1979-05-27TZ:00]\n", 2, 17, {"expected 2-digit hour", "saw 'Z'"});
}

// Each place where toml++ 3.3.0 would classify a character it cannot: the reader says what is
// wrong there instead of handing the text to toml++.
TEST(FuzzRegression, TextTomlCannotClassifyIsReportedWhereItIs) {
    // An unquoted value in French or Russian, a teacher's likely slip.
    ExpectOneError("title.en = Café\n", 2, 15, {"'é' (U+00E9)", "outside double quotes"});
    ExpectOneError("title.ko = Привет\n", 2, 12, {"'П' (U+041F)", "outside double quotes"});
    // Inside an array that goes on over lines.
    ExpectOneError("a = [\n  1,\n é ]\n", 4, 2, {"'é' (U+00E9)", "outside double quotes"});
    // After a bare key and inside a table header.
    ExpectOneError("[stépś]\n", 2, 4, {"'é' (U+00E9)"});
    // A no-break space pasted from a web page.
    ExpectOneError("a =\u00a01\n", 2, 4, {"U+00A0", "looks like a space", "plain space"});
    // A quote right after a number or a date does not open a string for toml++.
    ExpectOneError("a = 1\"é\"\n", 2, 7, {"'é' (U+00E9)", "outside double quotes"});
    ExpectOneError("a = [1.5'é']\n", 2, 10, {"'é' (U+00E9)"});
    ExpectOneError("a = { b = -1\"é\" }\n", 2, 14, {"'é' (U+00E9)"});
    // An escape of a non-ASCII character in a multi-line string.
    ExpectOneError("a = \"\"\"x\\é\"\"\"\n", 2, 10, {"'\\é' is not an escape sequence"});
}

// A line-ending backslash followed by such a character is valid TOML, but toml++ cannot read
// it: the message says so and gives the spelling that works.
TEST(FuzzRegression, LineEndingBackslashBeforeUnreadableTextNamesTheEscape) {
    ExpectOneError("a = \"\"\"\\\n   é\"\"\"\n", 3, 4,
                   {"toml++", "line-ending backslash", "'é' (U+00E9)", "\\u00E9"});
    ExpectOneError("a = \"\"\"\\  \n\n  。\"\"\"\n", 4, 3, {"'。' (U+3002)", "\\u3002"});
}

// In a key, a quote after digits starts a quoted part of a dotted key: valid TOML, read by
// toml++, and then refused by the validator as an unknown key, not as text outside quotes.
TEST(FuzzRegression, QuotedKeyAfterDigitsIsAKeyNotANumber) {
    const LessonResult result = ParseLesson("1.\"é\" = 2\n", "key.toml");
    const auto& errors = std::get<std::vector<LessonError>>(result);
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors.front().message.find("unknown key '1'"), std::string::npos)
        << errors.front().Format();
}

// toml++ stops at its first error: a mistake before the unreadable text is the one reported.
TEST(FuzzRegression, AnEarlierTomlErrorWinsOverUnreadableText) {
    ExpectOneError("a = = 1\nb = é\n", 2, 5, {"not valid TOML"});
    const LessonResult result = ParseLesson("a = = 1\nb = é\n", "first.toml");
    const auto& errors = std::get<std::vector<LessonError>>(result);
    EXPECT_EQ(errors.front().message.find("outside double quotes"), std::string::npos);
}

// What toml++ reads safely still reads: such characters inside quotes, Korean anywhere in
// strings, and a line-ending backslash before Korean or before the escape.
TEST(FuzzRegression, SafeNonAsciiTextStillReadsAsALesson) {
    const std::string lesson = R"(id = "unicode"
title.ko = "제목 — “Café” Привет 。"
title.en = 'Café — Привет'
summary.ko = """\
    요약은 다음 줄에서 시작한다"""
summary.en = """\
    \u00E9tude: the escape after a line-ending backslash"""
# A comment may say anything: é є 。

[[actors]]
name = "server"
role = "server"

[[steps]]
actor = "server"
call = "socket"
result = "listener"
narration.ko = "소켓을 만든다"
narration.en = "Make a socket"
)";
    const LessonResult result = ParseLesson(lesson, "unicode.toml");
    const auto* parsed = std::get_if<Lesson>(&result);
    ASSERT_NE(parsed, nullptr) << std::get<std::vector<LessonError>>(result).front().Format();
    EXPECT_EQ(parsed->title.ko, "제목 — “Café” Привет 。");
    EXPECT_EQ(parsed->summary.ko, "요약은 다음 줄에서 시작한다");
    EXPECT_EQ(parsed->summary.en, "étude: the escape after a line-ending backslash");
}

}  // namespace
}  // namespace sockstep::core
