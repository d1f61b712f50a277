// WriteExport: a single file at the path asked, or the C programs into a directory (created
// when missing); nothing replaced without force, and then nothing written at all; nothing left
// beside the targets (the temporary files are renamed into place). And the JSON Lines export
// reads back with core::ReadJsonLines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sockstep/core/trace_json.h"
#include "sockstep/model/export.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

class ExportWrite : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("sockstep-export-write-" + std::to_string(getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    std::set<std::string> Entries(const fs::path& dir) const {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename());
        return out;
    }
    static std::string Read(const fs::path& file) {
        std::ifstream in(file);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    static ui::ExportResult One(const std::string& content) {
        return {false, {{"x.svg", content}}};
    }

    fs::path m_dir;
};

TEST_F(ExportWrite, OneFileAtThePathAskedAndNowhereElse) {
    const fs::path target = m_dir / "diagram.svg";
    EXPECT_EQ(ui::WriteExport(One("first"), target, false), std::nullopt);
    EXPECT_EQ(Read(target), "first");
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"diagram.svg"});

    // Without force an existing file stays as it was, and the message names it.
    const auto refused = ui::WriteExport(One("second"), target, false);
    ASSERT_TRUE(refused.has_value());
    EXPECT_NE(refused->find("'" + target.string() + "' already exists"), std::string::npos);
    EXPECT_NE(refused->find("--force"), std::string::npos);
    EXPECT_EQ(Read(target), "first");

    EXPECT_EQ(ui::WriteExport(One("second"), target, true), std::nullopt);
    EXPECT_EQ(Read(target), "second");
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"diagram.svg"});
}

TEST_F(ExportWrite, BadTargetsAreNamed) {
    auto error = ui::WriteExport(One("x"), m_dir / "missing" / "x.svg", false);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("'" + (m_dir / "missing").string() + "' does not exist"),
              std::string::npos)
        << *error;
    error = ui::WriteExport(One("x"), m_dir, true);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("is a directory"), std::string::npos) << *error;
    std::ofstream(m_dir / "file") << "keep";
    const ui::ExportResult programs{true, {{"server.c", "int main(void) { return 0; }\n"}}};
    error = ui::WriteExport(programs, m_dir / "file", true);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("is not a directory"), std::string::npos) << *error;
    EXPECT_EQ(Read(m_dir / "file"), "keep");
    EXPECT_EQ(Entries(m_dir), std::set<std::string>{"file"});
}

TEST_F(ExportWrite, ProgramsGoIntoADirectoryAllOrNothing) {
    auto exported = ui::ExportC(HandshakeLesson(), core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported));
    const auto& programs = std::get<ui::ExportResult>(exported);
    const fs::path out = m_dir / "a" / "b";  // created, parents too
    EXPECT_EQ(ui::WriteExport(programs, out, false), std::nullopt);
    EXPECT_EQ(Entries(out), (std::set<std::string>{"server.c", "client.c", "README.txt"}));
    EXPECT_EQ(Read(out / "server.c"), programs.files[0].content);

    // One file already there: refused before anything is written.
    fs::remove(out / "server.c");
    std::ofstream(out / "client.c") << "mine";
    const auto refused = ui::WriteExport(programs, out, false);
    ASSERT_TRUE(refused.has_value());
    EXPECT_NE(refused->find("client.c' already exists"), std::string::npos) << *refused;
    EXPECT_EQ(Entries(out), (std::set<std::string>{"client.c", "README.txt"}));
    EXPECT_EQ(Read(out / "client.c"), "mine");

    // Other files in the directory are left alone; --force replaces only ours.
    std::ofstream(out / "notes.txt") << "teacher's";
    EXPECT_EQ(ui::WriteExport(programs, out, true), std::nullopt);
    EXPECT_EQ(Entries(out),
              (std::set<std::string>{"server.c", "client.c", "README.txt", "notes.txt"}));
    EXPECT_EQ(Read(out / "client.c"), programs.files[1].content);
    EXPECT_EQ(Read(out / "notes.txt"), "teacher's");
}

TEST(ExportJson, ReadsBackWithTheCoreReader) {
    core::Session session;
    SetUpHandshake(session);
    RunSteps(session, 10);
    const core::LogView log = session.Log();
    auto exported = ui::Export(ui::ExportFormat::kJson, HandshakeLesson(), log, core::Lang::kEn);
    ASSERT_TRUE(std::holds_alternative<ui::ExportResult>(exported));
    const auto& r = std::get<ui::ExportResult>(exported);
    ASSERT_EQ(r.files.size(), 1u);
    EXPECT_EQ(r.files[0].name, "handshake-test.jsonl");
    std::istringstream in(r.files[0].content);
    auto read = core::ReadJsonLines(in);
    ASSERT_TRUE(std::holds_alternative<std::vector<core::Event>>(read))
        << std::get<core::TraceError>(read).message;
    const auto& events = std::get<std::vector<core::Event>>(read);
    ASSERT_EQ(events.size(), log.size());
    for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].seq, log[i].seq);
        EXPECT_EQ(events[i].phase, log[i].phase);
        EXPECT_EQ(events[i].ret, log[i].ret);
    }
}

TEST(ExportFormats, NamesRoundTrip) {
    for (const auto f : {ui::ExportFormat::kC, ui::ExportFormat::kMermaid, ui::ExportFormat::kSvg,
                         ui::ExportFormat::kJson}) {
        EXPECT_EQ(ui::ParseExportFormat(ui::ExportFormatName(f)), f);
    }
    EXPECT_EQ(ui::ParseExportFormat("png"), std::nullopt);
    EXPECT_FALSE(ui::ExportNeedsLog(ui::ExportFormat::kC));
    EXPECT_TRUE(ui::ExportNeedsLog(ui::ExportFormat::kSvg));
}

}  // namespace
}  // namespace sockstep::testing
