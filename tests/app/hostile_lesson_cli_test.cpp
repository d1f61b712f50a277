// Text from lesson files and from peers never reaches the terminal raw: `check` errors,
// `--list-lessons`, `trace` (titles, narration, data received) and `export` messages, run as the
// real binary on the hostile corpus (tests/core/lessons/hostile/). What `check` accepts,
// `trace` and `export` run to the end.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kHostile = fs::path(SOCKSTEP_SOURCE_DIR) / "tests/core/lessons/hostile";
const std::string kAccepted = (kHostile / "accepted/peer-bytes-and-wide-text.toml").string();
const std::vector<std::string> kEnv = {"SOCKSTEP_ASSETS=" + std::string(SOCKSTEP_SOURCE_DIR) +
                                       "/assets"};

// No byte a terminal acts on: C0 controls but the line break, DEL, the UTF-8 of C1 controls
// (C2 80-9F) and of the bidirectional overrides and isolates (E2 80 AA-AE, E2 81 A6-A9).
std::string FirstUnsafe(const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto b = [&](size_t k) {
            return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
        };
        const bool c0 = (b(0) < 0x20 && b(0) != '\n') || b(0) == 0x7F;
        const bool c1 = b(0) == 0xC2 && b(1) >= 0x80 && b(1) <= 0x9F;
        const bool bidi = b(0) == 0xE2 && ((b(1) == 0x80 && b(2) >= 0xAA && b(2) <= 0xAE) ||
                                           (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9));
        if (c0 || c1 || bidi) return "byte " + std::to_string(i) + ": ..." + text.substr(i, 20);
    }
    return "";
}

size_t LineCount(const std::string& text) {
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(HostileLessonCli, CheckErrorsAreEscapedCutAndCapped) {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kHostile / "rejected")) {
        SCOPED_TRACE(entry.path().string());
        const auto r = RunProcess({SOCKSTEP_BINARY, "check", entry.path().string()}, kEnv);
        EXPECT_EQ(r.exit_code, 1) << r.err;
        EXPECT_EQ(FirstUnsafe(r.err), "");
        EXPECT_EQ(r.out, "");
        // At most 20 errors, one line counting the rest, and the summary.
        EXPECT_LE(LineCount(r.err), 22u);
        EXPECT_LE(r.err.size(), 22u * 1300u);
        ++files;
    }
    EXPECT_GE(files, 10u);
    // A key quoted in a message is still readable, escaped.
    const auto r =
        RunProcess({SOCKSTEP_BINARY, "check", (kHostile / "rejected/esc-key.toml")}, kEnv);
    EXPECT_NE(r.err.find("\\u001b]0;PWNED\\u0007"), std::string::npos) << r.err;
}

TEST(HostileLessonCli, TraceOfAnAcceptedHostileLessonShowsEverythingEscaped) {
    const auto check = RunProcess({SOCKSTEP_BINARY, "check", kAccepted}, kEnv);
    ASSERT_EQ(check.exit_code, 0) << check.err;
    for (const std::string lang : {"en", "ko"}) {
        SCOPED_TRACE(lang);
        const auto r =
            RunProcess({SOCKSTEP_BINARY, "trace", "--lesson", kAccepted, "--lang", lang}, kEnv);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(FirstUnsafe(r.out), "");
        EXPECT_EQ(FirstUnsafe(r.err), "");
        // The title's override, shown as an escape; the data sent and received, as C escapes.
        EXPECT_NE(r.out.find("\\u202e"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("😀"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("\\033]0;PWNED\\007\\302\\23331m"), std::string::npos) << r.out;
    }
}

TEST(HostileLessonCli, ListLessonsEscapesTitles) {
    const fs::path assets = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "hostile-assets";
    fs::remove_all(assets);
    fs::create_directories(assets / "lessons");
    fs::copy_file(kAccepted, assets / "lessons/hostile-bytes.toml");
    const auto r = RunProcess({SOCKSTEP_BINARY, "--list-lessons", "--lang", "en"},
                              {"SOCKSTEP_ASSETS=" + assets.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(FirstUnsafe(r.out), "");
    EXPECT_NE(r.out.find("hostile-bytes  Bytes \\u202eevil\\u202c"), std::string::npos) << r.out;
}

TEST(HostileLessonCli, ExportOfAnAcceptedHostileLessonRunsAndItsMessagesAreEscaped) {
    const fs::path dir = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "hostile-export";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto r = RunProcess({SOCKSTEP_BINARY, "export", "--lesson", kAccepted, "--format",
                               "mermaid", "-o", (dir / "out.md").string()},
                              kEnv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(FirstUnsafe(r.out), "");
    EXPECT_EQ(FirstUnsafe(r.err), "");
    EXPECT_TRUE(fs::exists(dir / "out.md"));
    const auto bad = RunProcess(
        {SOCKSTEP_BINARY, "export", "--lesson", kAccepted, "--format", "\x1b]0;PWNED\x07"}, kEnv);
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_EQ(FirstUnsafe(bad.err), "");
    EXPECT_NE(bad.err.find("\\u001b]0;PWNED\\u0007"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace sockstep::testing
