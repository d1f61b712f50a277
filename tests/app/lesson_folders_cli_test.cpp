// Lesson folders from the command line (issue #16 item 3), run as the real binary: --lessons,
// XDG_DATA_HOME and XDG_DATA_DIRS listed by --list-lessons with where each lesson comes from,
// the winner of an id clash run by trace and export, broken files listed without hiding the
// others, and a --lessons that is not a folder refused with what it is.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lesson_folder.h"
#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";

class LessonFolders : public ::testing::Test {
  protected:
    fs::path Dir(const std::string& name) const { return m_folder.Dir(name); }
    static void WriteLesson(const fs::path& file, const std::string& id, const std::string& title) {
        WriteHandshakeAs(file, id, title);
    }
    // The environment of every run: this tree's lessons, and XDG folders of this test only.
    std::vector<std::string> Env() const {
        return {"SOCKSTEP_ASSETS=" + kAssets.string(),
                "XDG_DATA_HOME=" + (m_root / "home").string(),
                "XDG_DATA_DIRS=" + (m_root / "system").string(), "LC_ALL=C.UTF-8"};
    }
    ProcessResult Run(std::vector<std::string> args) const {
        args.insert(args.begin(), SOCKSTEP_BINARY);
        return RunProcess(args, Env());
    }

    TestFolder m_folder{"folders-cli"};
    const fs::path& m_root = m_folder.Path();
    const fs::path m_home = Dir("home/sockstep/lessons");      // XDG_DATA_HOME/sockstep/lessons
    const fs::path m_system = Dir("system/sockstep/lessons");  // XDG_DATA_DIRS/sockstep/lessons
};

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::string LineOf(const std::string& out, const std::string& id) {
    for (const std::string& line : Lines(out)) {
        if (line.rfind(id + " ", 0) == 0) return line;
    }
    return "";
}

TEST_F(LessonFolders, ListLessonsSaysWhereEachComesFromAndWhichIsShadowed) {
    const fs::path option = Dir("course");
    WriteLesson(option / "handshake.toml", "handshake", "The course own handshake");
    WriteLesson(m_home / "mine.toml", "mine", "My own lesson");
    WriteLesson(m_home / "also-handshake.toml", "handshake", "Home handshake");
    WriteLesson(m_system / "lab.toml", "lab", "The lab's lesson");
    WriteLesson(m_system / "mine-again.toml", "mine", "Shadowed by the home one");

    const auto r = Run({"--list-lessons", "--lang", "en", "--lessons", option.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> lines = Lines(r.out);
    ASSERT_EQ(lines.size(), 17u) << r.out;
    // The built-in lessons first, in teaching order; the built-in handshake is shadowed.
    EXPECT_EQ(lines[0].rfind("handshake ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find("[built-in; shadowed: " + (option / "handshake.toml").string() + "]"),
              std::string::npos)
        << lines[0];
    EXPECT_NE(lines[1].find("[built-in]"), std::string::npos) << lines[1];
    EXPECT_NE(lines[12].find("The course own handshake  [--lessons " + option.string() + "]"),
              std::string::npos)
        << lines[12];
    EXPECT_NE(r.out.find("My own lesson  [XDG_DATA_HOME " + m_home.string() + "]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Home handshake  [XDG_DATA_HOME " + m_home.string() +
                         "; shadowed: " + (option / "handshake.toml").string() + "]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("The lab's lesson  [XDG_DATA_DIRS " + m_system.string() + "]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Shadowed by the home one  [XDG_DATA_DIRS " + m_system.string() +
                         "; shadowed: " + (m_home / "mine.toml").string() + "]"),
              std::string::npos)
        << r.out;

    // Without --lessons the home folder's handshake wins over the built-in one.
    const auto home = Run({"--list-lessons", "--lang", "en"});
    ASSERT_EQ(home.exit_code, 0) << home.err;
    EXPECT_NE(LineOf(home.out, "handshake")
                  .find("[built-in; shadowed: " + (m_home / "also-handshake.toml").string()),
              std::string::npos)
        << home.out;
}

TEST_F(LessonFolders, TraceAndExportRunTheWinnerOfAnIdClash) {
    const fs::path option = Dir("course");
    WriteLesson(option / "x.toml", "handshake", "The course own handshake");
    WriteLesson(m_home / "mine.toml", "mine", "My own lesson");

    const auto own = Run({"trace", "--lesson", "mine", "--lang", "en"});
    ASSERT_EQ(own.exit_code, 0) << own.err;
    EXPECT_NE(own.out.find("My own lesson"), std::string::npos) << own.out;

    const auto course =
        Run({"trace", "--lesson", "handshake", "--lang", "en", "--lessons", option.string()});
    ASSERT_EQ(course.exit_code, 0) << course.err;
    EXPECT_NE(course.out.find("The course own handshake"), std::string::npos) << course.out;
    // --lessons before the command counts too.
    const auto before =
        Run({"--lessons", option.string(), "trace", "--lesson", "handshake", "--lang", "en"});
    ASSERT_EQ(before.exit_code, 0) << before.err;
    EXPECT_NE(before.out.find("The course own handshake"), std::string::npos) << before.out;
    const auto builtin = Run({"trace", "--lesson", "handshake", "--lang", "en"});
    ASSERT_EQ(builtin.exit_code, 0) << builtin.err;
    EXPECT_NE(builtin.out.find("The handshake: how a server and a client meet"), std::string::npos)
        << builtin.out;

    const fs::path svg = m_root / "out.svg";
    const auto exported = Run({"export", "--lesson", "handshake", "--format", "svg", "-o",
                               svg.string(), "--lang", "en", "--lessons", option.string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    std::ifstream in(svg);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("The course own handshake"), std::string::npos)
        << text.str().substr(0, 2000);
}

TEST_F(LessonFolders, ABrokenFileIsNamedWithItsPlaceAndTheOthersAreStillListed) {
    WriteLesson(m_home / "good.toml", "good", "A good lesson");
    std::ofstream(m_home / "bad.toml") << "id = \"bad\"\ntitle.en = = 3\n";
    const auto r = Run({"--list-lessons", "--lang", "en"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find((m_home / "bad.toml").string() + ":2:"), std::string::npos) << r.err;
    EXPECT_EQ(Lines(r.out).size(), 13u) << r.out;
    EXPECT_NE(r.out.find("A good lesson"), std::string::npos) << r.out;
    // `--lesson bad` names the broken file, not an unknown id.
    const auto opened = Run({"trace", "--lesson", "bad"});
    EXPECT_EQ(opened.exit_code, 2);
    EXPECT_NE(opened.err.find((m_home / "bad.toml").string() + ":2:"), std::string::npos)
        << opened.err;
}

TEST_F(LessonFolders, ALessonsOptionThatIsNotAFolderIsRefusedBeforeAnythingRuns) {
    const fs::path fifo = m_root / "pipe";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const fs::path file = m_root / "file.toml";
    std::ofstream(file) << "x";
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"--list-lessons", "--lessons", (m_root / "missing").string()}, "no such folder"},
        {{"--list-lessons", "--lessons", fifo.string()}, "not a folder but a FIFO"},
        {{"trace", "--lesson", "handshake", "--lessons", file.string()}, "not a folder but a file"},
        {{"export", "--lesson", "handshake", "--format", "json", "-o",
          (m_root / "x.jsonl").string(), "--lessons", fifo.string()},
         "not a folder but a FIFO"},
        {{"--list-lessons", "--lessons", ""}, "the value is empty"},
        {{"--list-lessons", "--lessons"}, "--lessons"},
    };
    for (const Case& c : cases) {
        const auto r = Run(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args.back() << ": " << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("--lessons"), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    EXPECT_FALSE(fs::exists(m_root / "x.jsonl")) << "nothing was run";
}

}  // namespace
}  // namespace sockstep::testing
