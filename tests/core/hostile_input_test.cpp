// Truncated, corrupted and hostile inputs for the two readers of untrusted files: the JSON Lines
// log reader (ReadJsonLines) and the lesson parser (ParseLesson / LoadLesson). The inputs are
// made here from real data: a log the Session wrote for the handshake lesson, and every
// built-in lesson file. Each is cut at several points of every line, has bytes flipped, NUL
// bytes and invalid UTF-8 spliced in, numbers too big for any type, nesting 100,000 deep, a
// 10 MB line. The answer must always be a result, never a crash or an exception: either the
// input is still valid, or an error that names the line (and for lessons, the file). These are
// deterministic regression tests; the libFuzzer targets explore further.
// trace_json_test.cpp covers one hand-built event's truncations and a named corpus of broken
// fields; lesson_broken_test.cpp covers one mistake per file with exact messages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "session_helpers.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/trace_json.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;
using sessiontest::RunScript;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";

std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string Join(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// ---- the log reader ------------------------------------------------------------------------

// The handshake lesson run for real, written as JSON Lines.
std::string RealLog() {
    const LessonResult loaded = FindLesson("handshake", kAssets);
    EXPECT_TRUE(std::holds_alternative<Lesson>(loaded));
    if (!std::holds_alternative<Lesson>(loaded)) return {};
    const Lesson& lesson = std::get<Lesson>(loaded);
    Session session;
    AddActors(session, lesson);
    RunScript(session, ToScript(lesson));
    std::ostringstream out;
    WriteJsonLines(session.Log(), out);
    return out.str();
}

std::variant<std::vector<Event>, TraceError> ReadText(const std::string& text) {
    std::istringstream in(text);
    return ReadJsonLines(in);
}

// Either read (then `lines` events), or an error on `bad_line` whose message says so.
void ExpectReadOrErrorAt(const std::string& text, size_t lines, int bad_line,
                         const std::string& what) {
    SCOPED_TRACE(what);
    std::variant<std::vector<Event>, TraceError> result;
    ASSERT_NO_THROW(result = ReadText(text));
    if (const auto* events = std::get_if<std::vector<Event>>(&result)) {
        EXPECT_EQ(events->size(), lines);
        return;
    }
    const TraceError& error = std::get<TraceError>(result);
    EXPECT_EQ(error.line, bad_line) << error.message;
    EXPECT_EQ(error.message.rfind("line " + std::to_string(bad_line) + ": ", 0), 0u)
        << error.message;
}

void ExpectErrorAt(const std::string& text, int bad_line, const std::string& what,
                   const std::string& says = "") {
    SCOPED_TRACE(what);
    std::variant<std::vector<Event>, TraceError> result;
    ASSERT_NO_THROW(result = ReadText(text));
    ASSERT_TRUE(std::holds_alternative<TraceError>(result)) << "accepted";
    const TraceError& error = std::get<TraceError>(result);
    EXPECT_EQ(error.line, bad_line) << error.message;
    EXPECT_EQ(error.message.rfind("line " + std::to_string(bad_line) + ": ", 0), 0u)
        << error.message;
    if (!says.empty()) {
        EXPECT_NE(error.message.find(says), std::string::npos) << error.message;
    }
}

class HostileLog : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { s_log = new std::string(RealLog()); }
    static void TearDownTestSuite() {
        delete s_log;
        s_log = nullptr;
    }
    static std::vector<std::string> Lines() { return SplitLines(*s_log); }
    static std::string* s_log;
};
std::string* HostileLog::s_log = nullptr;

TEST_F(HostileLog, TheRealLogReadsBack) {
    const auto lines = Lines();
    ASSERT_GE(lines.size(), 20u) << "the handshake log is too short to be a good corpus";
    const auto result = ReadText(*s_log);
    ASSERT_TRUE(std::holds_alternative<std::vector<Event>>(result))
        << std::get<TraceError>(result).message;
    EXPECT_EQ(std::get<std::vector<Event>>(result).size(), lines.size());
}

TEST_F(HostileLog, EveryLineCutAtSeveralPointsIsAnErrorOnThatLine) {
    const auto lines = Lines();
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        for (size_t k = 1; k <= 9; ++k) {
            const size_t cut = line.size() * k / 10;
            std::vector<std::string> broken(lines.begin(), lines.begin() + static_cast<long>(i));
            broken.push_back(line.substr(0, cut));
            // The rest of the file follows: the first bad line is the one reported.
            broken.insert(broken.end(), lines.begin() + static_cast<long>(i) + 1, lines.end());
            ExpectErrorAt(Join(broken), static_cast<int>(i) + 1,
                          "line " + std::to_string(i + 1) + " cut at " + std::to_string(cut));
        }
        // The file itself cut there: no newline at the end.
        std::vector<std::string> head(lines.begin(), lines.begin() + static_cast<long>(i));
        ExpectErrorAt(Join(head) + line.substr(0, line.size() / 2), static_cast<int>(i) + 1,
                      "file cut in line " + std::to_string(i + 1));
    }
}

TEST_F(HostileLog, FlippedBytesAreReadOrReportedOnTheirLine) {
    const auto lines = Lines();
    for (size_t i = 0; i < lines.size(); ++i) {
        for (size_t k = 0; k < 12; ++k) {
            const size_t at = lines[i].size() * k / 12;
            for (const unsigned char mask : {0x01, 0x20, 0x80, 0xff}) {
                std::vector<std::string> broken = lines;
                broken[i][at] = static_cast<char>(static_cast<unsigned char>(broken[i][at]) ^ mask);
                if (broken[i][at] == '\n') continue;  // that would make two lines
                ExpectReadOrErrorAt(Join(broken), lines.size(), static_cast<int>(i) + 1,
                                    "line " + std::to_string(i + 1) + " byte " +
                                        std::to_string(at) + " ^ " + std::to_string(mask));
            }
        }
    }
}

TEST_F(HostileLog, NulBytesAndInvalidUtf8AreReportedOnTheirLine) {
    const auto lines = Lines();
    const std::vector<std::string> splices = {
        std::string(1, '\0'),          "\xff",
        "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* a UTF-16 surrogate */,
        "\xe2\x82" /* cut sequence */, "\xf8\x88\x80\x80\x80" /* 5 bytes */};
    for (size_t i = 0; i < lines.size(); i += 3) {
        // Inside the first string value of the line ("v" is first: after `{"`).
        for (const std::string& bad : splices) {
            std::vector<std::string> broken = lines;
            broken[i].insert(2, bad);
            ExpectErrorAt(Join(broken), static_cast<int>(i) + 1,
                          "splice into line " + std::to_string(i + 1));
        }
    }
}

TEST_F(HostileLog, HugeNumbersAreReportedNotWrapped) {
    const auto lines = Lines();
    const std::string& first = lines.front();
    ASSERT_NE(first.find("\"seq\":0"), std::string::npos) << first;
    for (const char* huge : {"1e999999", "99999999999999999999999999", "-1", "1.5", "-0.0",
                             "1e-400", "18446744073709551616"}) {
        std::string line = first;
        line.replace(line.find("\"seq\":0"), 7, std::string("\"seq\":") + huge);
        ExpectErrorAt(line + "\n", 1, std::string("seq = ") + huge);
    }
    // The same in a socket's fd and a port.
    for (size_t i = 0; i < lines.size(); ++i) {
        const size_t fd = lines[i].find("\"fd\":");
        if (fd == std::string::npos) continue;
        std::string line = lines[i];
        const size_t end = line.find_first_of(",}", fd);
        line.replace(fd, end - fd, "\"fd\":1e308");
        std::vector<std::string> broken = lines;
        broken[i] = line;
        ExpectErrorAt(Join(broken), static_cast<int>(i) + 1, "fd = 1e308", "'fd'");
        break;
    }
}

TEST_F(HostileLog, DeepNestingIsRefusedBeforeParsing) {
    const auto lines = Lines();
    for (const char* open : {"[", "{\"a\":"}) {
        std::string deep = lines[1];
        // Replace the line's sockets array by 100,000 levels of nesting.
        const size_t at = deep.find("\"sockets\":");
        ASSERT_NE(at, std::string::npos);
        deep = deep.substr(0, at) + "\"sockets\":";
        for (int i = 0; i < 100000; ++i) deep += open;
        std::vector<std::string> broken = lines;
        broken[1] = deep;
        ExpectErrorAt(Join(broken), 2, std::string("100000 x ") + open, "nested deeper");
    }
}

TEST_F(HostileLog, TenMegabyteLineIsRefused) {
    const auto lines = Lines();
    std::string huge = "{\"v\":1,\"message\":\"" + std::string(10 << 20, 'x') + "\"}";
    ExpectErrorAt(lines[0] + "\n" + huge + "\n" + lines[1] + "\n", 2, "10 MB line", "longer than");
    // And 10 MB of a line with no newline at all at the end of the file.
    ExpectErrorAt(lines[0] + "\n" + std::string(10 << 20, '{'), 2, "10 MB unterminated");
}

TEST_F(HostileLog, ByteOrderMarkAndStrayControlCharacters) {
    const auto lines = Lines();
    ExpectReadOrErrorAt("\xEF\xBB\xBF" + Join(lines), lines.size(), 1, "BOM");
    std::vector<std::string> broken = lines;
    broken[2] = "\x1b[31m" + broken[2];
    ExpectErrorAt(Join(broken), 3, "terminal escape before a line");
    ExpectErrorAt(Join(lines) + "\x04\n", static_cast<int>(lines.size()) + 1, "Ctrl-D line");
}

// ---- the lesson parser ---------------------------------------------------------------------

struct LessonFile {
    std::string name;
    std::string text;
    int lines = 0;
};

std::vector<LessonFile> BuiltinLessons() {
    std::vector<LessonFile> out;
    for (const fs::path& path : BuiltinLessonFiles(kAssets)) {
        LessonFile f;
        f.name = path.filename().string();
        f.text = ReadFile(path);
        f.lines = static_cast<int>(std::count(f.text.begin(), f.text.end(), '\n')) + 1;
        out.push_back(std::move(f));
    }
    return out;
}

// Parses `text`; either a lesson, or errors that each name this file and a line within it.
// Returns true when it was rejected.
bool ExpectParsedOrLocated(const std::string& text, const std::string& name, int max_line,
                           const std::string& what) {
    SCOPED_TRACE(what);
    LessonResult result;
    EXPECT_NO_THROW(result = ParseLesson(text, name));
    const auto* errors = std::get_if<std::vector<LessonError>>(&result);
    if (errors == nullptr) return false;
    EXPECT_FALSE(errors->empty());
    for (const LessonError& e : *errors) {
        EXPECT_EQ(e.file, name);
        EXPECT_GE(e.line, 1) << e.Format();
        EXPECT_LE(e.line, max_line) << e.Format();
        EXPECT_GE(e.column, 0) << e.Format();
        EXPECT_FALSE(e.message.empty());
        EXPECT_EQ(e.Format().rfind(name + ":" + std::to_string(e.line) + ":", 0), 0u) << e.Format();
    }
    return true;
}

void ExpectRejectedAt(const std::string& text, const std::string& name, int line,
                      const std::string& what, const std::string& says = "") {
    SCOPED_TRACE(what);
    LessonResult result;
    ASSERT_NO_THROW(result = ParseLesson(text, name));
    const auto* errors = std::get_if<std::vector<LessonError>>(&result);
    ASSERT_NE(errors, nullptr) << "accepted";
    ASSERT_FALSE(errors->empty());
    const LessonError& e = errors->front();
    EXPECT_EQ(e.line, line) << e.Format();
    if (!says.empty()) {
        EXPECT_NE(e.message.find(says), std::string::npos) << e.Format();
    }
}

TEST(HostileLesson, EveryBuiltinLessonCutAnywhereIsALessonOrALocatedError) {
    const auto files = BuiltinLessons();
    ASSERT_EQ(files.size(), 12u);
    for (const LessonFile& f : files) {
        int rejected = 0;
        int cuts = 0;
        for (size_t k = 1; k < 60; ++k) {
            const size_t cut = f.text.size() * k / 60;
            rejected += ExpectParsedOrLocated(f.text.substr(0, cut), f.name, f.lines,
                                              f.name + " cut at " + std::to_string(cut))
                            ? 1
                            : 0;
            ++cuts;
        }
        // Most cuts break something (a string, a step without its narration, an expect).
        EXPECT_GT(rejected, cuts / 2) << f.name;
    }
}

TEST(HostileLesson, FlippedBytesNulAndInvalidUtf8AreLocated) {
    for (const LessonFile& f : BuiltinLessons()) {
        for (size_t k = 0; k < 40; ++k) {
            const size_t at = f.text.size() * k / 40;
            for (const unsigned char mask : {0x01, 0x20, 0x80}) {
                std::string broken = f.text;
                broken[at] = static_cast<char>(static_cast<unsigned char>(broken[at]) ^ mask);
                ExpectParsedOrLocated(broken, f.name, f.lines + 1,
                                      f.name + " byte " + std::to_string(at));
            }
            for (const std::string& bad : {std::string(1, '\0'), std::string("\xff\xfe"),
                                           std::string("\xc0\xaf"), std::string("\xed\xa0\x80")}) {
                std::string broken = f.text;
                broken.insert(at, bad);
                const bool rejected = ExpectParsedOrLocated(
                    broken, f.name, f.lines + 1, f.name + " splice at " + std::to_string(at));
                // TOML allows neither NUL nor invalid UTF-8 anywhere in a document.
                EXPECT_TRUE(rejected) << f.name << " accepted a bad byte at " << at;
            }
        }
    }
}

// The first lesson with one line replaced.
std::string HandshakeWith(const std::string& from, const std::string& to, int* line = nullptr) {
    std::string text = ReadFile(kAssets / "lessons/01-handshake.toml");
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return text;
    if (line)
        *line =
            static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) +
            1;
    text.replace(at, from.size(), to);
    return text;
}

TEST(HostileLesson, HugeNumbersAreRefusedWithTheirLine) {
    struct Case {
        const char* from;
        const char* to;
    };
    const Case cases[] = {
        {"port = 0", "port = 99999999999999999999999"},
        {"port = 0", "port = 65536"},
        {"port = 0", "port = -1"},
        {"port = 0", "port = 1e400"},
        {"port = 0", "port = nan"},
        {"port = 0", "port = 9223372036854775807"},
        {"backlog = 5", "backlog = 9223372036854775807"},
        {"backlog = 5", "backlog = -9223372036854775808"},
        {"backlog = 5", "backlog = 2147483648"},
        {"backlog = 5", "backlog = inf"},
        {"answer = 2", "answer = 18446744073709551617"},
        {"answer = 2", "answer = -2147483649"},
    };
    for (const Case& c : cases) {
        int line = 0;
        const std::string text = HandshakeWith(c.from, c.to, &line);
        ExpectRejectedAt(text, "huge.toml", line, c.to);
    }
}

TEST(HostileLesson, DeepNestingIsRefusedWithoutRecursingForever) {
    for (const auto& [open, close] : {std::pair<std::string, std::string>{"[", "]"},
                                      std::pair<std::string, std::string>{"{a=", "}"}}) {
        std::string deep = "x = ";
        for (int i = 0; i < 100000; ++i) deep += open;
        deep += "1";
        for (int i = 0; i < 100000; ++i) deep += close;
        const std::string text = HandshakeWith("id = \"handshake\"", "id = \"handshake\"\n" + deep);
        ExpectRejectedAt(text, "deep.toml", 3, std::string("100000 x ") + open);
    }
}

TEST(HostileLesson, TenMegabyteLineIsALocatedErrorOrRefusedAsAFile) {
    // As text: a 10 MB narration is still TOML; what matters is no crash and a clear answer.
    const std::string big(10 << 20, 'x');
    int line = 0;
    const std::string text =
        HandshakeWith("narration.en = \"The server creates", "narration.en = \"" + big, &line);
    ExpectParsedOrLocated(text, "big.toml", line + 1, "10 MB narration");
    // A 10 MB line that is not TOML at all.
    ExpectRejectedAt(HandshakeWith("id = \"handshake\"", big), "garbage.toml", 2, "10 MB garbage");
    // As a file: LoadLesson refuses anything over its size limit before parsing, naming it.
    const fs::path file =
        fs::temp_directory_path() / ("sockstep-hostile-" + std::to_string(getpid()) + ".toml");
    {
        std::ofstream out(file, std::ios::binary);
        out << text;
    }
    const LessonResult loaded = LoadLesson(file);
    fs::remove(file);
    const auto* errors = std::get_if<std::vector<LessonError>>(&loaded);
    ASSERT_NE(errors, nullptr) << "a 10 MB lesson file was loaded";
    EXPECT_EQ(errors->front().file, file.string());
    EXPECT_NE(errors->front().message.find("bytes"), std::string::npos) << errors->front().Format();
}

TEST(HostileLesson, NotTomlAtAll) {
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {"empty", ""},
        {"only NUL", std::string(64, '\0')},
        {"binary", std::string("\x7f"
                               "ELF\x02\x01\x01\0\0\0",
                               10)},
        {"JSON", "{\"id\": \"handshake\"}"},
        {"lone bracket", "[[steps"},
        {"BOM and nothing", "\xEF\xBB\xBF"},
        {"CR only", "id = \"x\"\r\r\r"},
        {"100k empty tables",
         [] {
             std::string s;
             for (int i = 0; i < 100000; ++i) s += "[[steps]]\n";
             return s;
         }()},
    };
    for (const auto& [what, text] : inputs) {
        LessonResult result;
        ASSERT_NO_THROW(result = ParseLesson(text, "odd.toml")) << what;
        const auto* errors = std::get_if<std::vector<LessonError>>(&result);
        ASSERT_NE(errors, nullptr) << what << ": accepted";
        for (const LessonError& e : *errors) {
            EXPECT_GE(e.line, 1) << what << ": " << e.Format();
            EXPECT_EQ(e.file, "odd.toml");
        }
    }
}

}  // namespace
}  // namespace sockstep::core
