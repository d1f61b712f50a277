// sockstep(1) kept true (issue #16 item 2): the man page the build writes has every option of
// every command's --help and no other, every command, every exit status the program uses,
// every environment variable the sources read, the project's version, and groff renders it
// without a warning.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "run_process.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kManPage = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "sockstep.1";

std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The man page's sections: ".SH NAME" → "NAME", ".SS "sockstep trace …"" → "trace", with the
// source lines under each.
std::map<std::string, std::vector<std::string>> Sections(const std::string& page) {
    std::map<std::string, std::vector<std::string>> sections;
    std::string current;
    std::istringstream in(page);
    static const std::regex kCommand(R"(^\.SS "sockstep ([a-z]+))");
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (line.rfind(".SH ", 0) == 0) {
            current = line.substr(4);
            current.erase(std::remove(current.begin(), current.end(), '"'), current.end());
        } else if (std::regex_search(line, m, kCommand)) {
            current = m[1];
        } else {
            sections[current].push_back(line);
        }
    }
    return sections;
}

// The options a section describes: those on the tag line after each .TP ("-o, --output").
std::set<std::string> ManOptions(const std::vector<std::string>& lines) {
    std::set<std::string> options;
    static const std::regex kOption(R"((\\-\\-[a-z](?:[a-z]|\\-)*|\\-[a-z])\b)");
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (lines[i] != ".TP") continue;
        const std::string& tag = lines[i + 1];
        for (auto it = std::sregex_iterator(tag.begin(), tag.end(), kOption);
             it != std::sregex_iterator(); ++it) {
            std::string name = (*it)[1];
            name.erase(std::remove(name.begin(), name.end(), '\\'), name.end());
            options.insert(name);
        }
    }
    return options;
}

// The options CLI11's --help lists ("  -o,--output PATH REQUIRED   …").
std::set<std::string> HelpOptions(const std::string& help) {
    std::set<std::string> options;
    std::istringstream in(help);
    bool in_options = false;
    static const std::regex kOption(R"(^  ((-[a-z]),)?(--[a-z][a-z-]*))");
    for (std::string line; std::getline(in, line);) {
        if (line == "Options:") {
            in_options = true;
            continue;
        }
        if (line.empty() || line.back() == ':') in_options = line == "Options:";
        std::smatch m;
        if (in_options && std::regex_search(line, m, kOption)) {
            if (m[2].matched) options.insert(m[2]);
            options.insert(m[3]);
        }
    }
    return options;
}

std::string Joined(const std::set<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += n + " ";
    return out;
}

class ManPage : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(fs::is_regular_file(kManPage)) << kManPage << " is written by the build";
        m_page = ReadAll(kManPage);
        m_sections = Sections(m_page);
    }
    std::string m_page;
    std::map<std::string, std::vector<std::string>> m_sections;
};

TEST_F(ManPage, EveryCommandsOptionsAreThoseOfItsHelp) {
    const std::map<std::string, std::vector<std::string>> commands = {
        {"OPTIONS", {}}, {"check", {"check"}}, {"trace", {"trace"}}, {"export", {"export"}}};
    for (const auto& [section, args] : commands) {
        SCOPED_TRACE(section);
        std::vector<std::string> argv = {SOCKSTEP_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back("--help");
        const auto help = RunProcess(argv);
        ASSERT_EQ(help.exit_code, 0) << help.err;
        const std::set<std::string> in_help = HelpOptions(help.out);
        ASSERT_GE(in_help.size(), 2u) << help.out;
        ASSERT_TRUE(m_sections.count(section)) << "no section for " << section;
        const std::set<std::string> in_man = ManOptions(m_sections.at(section));
        EXPECT_EQ(Joined(in_man), Joined(in_help))
            << "the man page (first) and --help (second) differ";
    }
}

TEST_F(ManPage, EveryCommandHasItsSection) {
    const auto help = RunProcess({SOCKSTEP_BINARY, "--help"});
    ASSERT_EQ(help.exit_code, 0);
    std::istringstream in(help.out);
    std::set<std::string> commands;
    bool in_commands = false;
    for (std::string line; std::getline(in, line);) {
        if (line == "Subcommands:") {
            in_commands = true;
        } else if (in_commands && line.rfind("  ", 0) == 0) {
            commands.insert(line.substr(2, line.find(' ', 2) - 2));
        } else {
            in_commands = false;
        }
    }
    EXPECT_EQ(commands, (std::set<std::string>{"check", "export", "trace"})) << help.out;
    for (const std::string& c : commands) EXPECT_TRUE(m_sections.count(c)) << c;
}

TEST_F(ManPage, ExitStatusesVersionAndEnvironmentAreTheProgramsOwn) {
    const std::vector<std::string>& status = m_sections["EXIT STATUS"];
    for (const int code :
         {app::kExitOk, app::kExitExpectFailed, app::kExitUsage, 128 + 2, 128 + 15}) {
        EXPECT_NE(std::find(status.begin(), status.end(), ".B " + std::to_string(code)),
                  status.end())
            << code;
    }
    EXPECT_NE(m_page.find("\n.TH SOCKSTEP 1 \""), std::string::npos);
    EXPECT_NE(m_page.find("\"sockstep " + std::string(SOCKSTEP_PROJECT_VERSION) + "\""),
              std::string::npos)
        << "the version of CMakeLists.txt";

    // Every variable the program's sources read is documented: named on a tag line.
    std::string environment;
    const std::vector<std::string>& env_lines = m_sections["ENVIRONMENT"];
    for (size_t i = 0; i + 1 < env_lines.size(); ++i) {
        if (env_lines[i] == ".TP") environment += env_lines[i + 1] + "\n";
    }
    std::set<std::string> read;
    static const std::regex kGetenv(R"re(getenv\("([A-Z_]+)"\))re");
    for (const char* dir : {"app/src", "core/src", "model/src", "ui/src"}) {
        for (const auto& entry :
             fs::recursive_directory_iterator(fs::path(SOCKSTEP_SOURCE_DIR) / dir)) {
            const std::string text = ReadAll(entry.path());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), kGetenv);
                 it != std::sregex_iterator(); ++it) {
                read.insert((*it)[1]);
            }
        }
    }
    EXPECT_GE(read.size(), 5u) << Joined(read);
    for (const std::string& name : read) {
        EXPECT_TRUE(std::regex_search(environment, std::regex("\\b" + name + "\\b")))
            << name << " is read by the program but not in ENVIRONMENT:\n"
            << environment;
    }
}

TEST_F(ManPage, GroffRendersItWithoutAWarning) {
    const auto r = RunProcess({"groff", "-man", "-Tutf8", "-ww", "-z", kManPage.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto text = RunProcess({"groff", "-man", "-Tascii", "-P-cbou", kManPage.string()});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    for (const char* heading : {"NAME", "SYNOPSIS", "OPTIONS", "COMMANDS", "LESSON FOLDERS",
                                "EXIT STATUS", "ENVIRONMENT", "FILES"}) {
        EXPECT_NE(text.out.find(std::string("\n") + heading + "\n"), std::string::npos) << heading;
    }
}

}  // namespace
}  // namespace sockstep::testing
