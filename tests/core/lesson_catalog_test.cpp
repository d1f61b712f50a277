// Lesson folders (issue #16 item 3): which folders, in which order, and what the catalog lists
// from real folders on disk: precedence on an id clash, shadowed and broken files, the built-in
// folder never twice, and FindLesson agreeing with the list.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../support/lesson_folder.h"
#include "sockstep/core/lesson_catalog.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";

class Folders : public ::testing::Test {
  protected:
    fs::path Dir(const std::string& name) { return m_folder.Dir(name); }
    const fs::path& Root() const { return m_folder.Path(); }
    static void WriteLesson(const fs::path& file, const std::string& id, const std::string& title) {
        testing::WriteHandshakeAs(file, id, title);
    }

  private:
    testing::TestFolder m_folder{"catalog"};
};

std::vector<fs::path> Dirs(const std::vector<LessonFolder>& folders) {
    std::vector<fs::path> out;
    for (const LessonFolder& f : folders) out.push_back(f.dir);
    return out;
}

const CatalogEntry* EntryOf(const LessonCatalog& catalog, const fs::path& file) {
    for (const CatalogEntry& e : catalog.entries) {
        if (e.file == file) return &e;
    }
    return nullptr;
}

TEST_F(Folders, PrecedenceIsOptionThenDataHomeThenDataDirsInOrderThenBuiltin) {
    const fs::path option1 = Dir("opt1");
    const fs::path option2 = Dir("opt2");
    const fs::path home = Dir("home");
    const fs::path data_home = Dir("data-home");
    const fs::path sys1 = Dir("sys1");
    const fs::path sys2 = Dir("sys2");
    for (const fs::path& p : {data_home, sys1, sys2, home / ".local/share"}) {
        fs::create_directories(p / "sockstep/lessons");
    }
    const std::string dirs = sys1.string() + ":relative/ignored::" + sys2.string() + "/";
    const auto folders =
        LessonFolders({{option1, option2}, data_home.string(), dirs, home.string(), kAssets});
    ASSERT_EQ(folders.size(), 6u);
    EXPECT_EQ(Dirs(folders),
              (std::vector<fs::path>{
                  option1, option2, data_home / "sockstep/lessons", sys1 / "sockstep/lessons",
                  fs::path(sys2.string() + "/") / "sockstep/lessons", kAssets / "lessons"}));
    EXPECT_EQ(folders[0].origin, LessonOrigin::kOption);
    EXPECT_EQ(folders[2].origin, LessonOrigin::kUserData);
    EXPECT_EQ(folders[3].origin, LessonOrigin::kSystemData);
    EXPECT_EQ(folders[5].origin, LessonOrigin::kBuiltin);

    // XDG_DATA_HOME unset, empty or relative: $HOME/.local/share.
    for (const std::string& unset : {std::string(), std::string("relative/dir")}) {
        const auto defaulted = LessonFolders({{}, unset, sys1.string(), home.string(), kAssets});
        ASSERT_EQ(defaulted.size(), 3u) << unset;
        EXPECT_EQ(defaulted[0].dir, home / ".local/share/sockstep/lessons");
        EXPECT_EQ(defaulted[0].origin, LessonOrigin::kUserData);
    }
}

TEST_F(Folders, MissingXdgFoldersAreLeftOutAndAnOptionFolderIsKept) {
    const fs::path missing = Root() / "no-such-dir";
    const auto folders = LessonFolders({{missing},
                                        (Root() / "nothing-here").string(),
                                        (Root() / "nor-here").string(),
                                        "",
                                        kAssets});
    ASSERT_EQ(folders.size(), 2u);
    EXPECT_EQ(folders[0].dir, missing);
    const LessonCatalog catalog = ReadLessonCatalog(folders);
    const CatalogEntry* entry = EntryOf(catalog, missing);
    ASSERT_NE(entry, nullptr) << "the missing --lessons folder is listed with its error";
    ASSERT_EQ(entry->errors.size(), 1u);
    EXPECT_NE(entry->errors[0].Format().find("no-such-dir: error: --lessons: there is no such "
                                             "folder"),
              std::string::npos)
        << entry->errors[0].Format();
    // The built-in lessons are still all there.
    EXPECT_EQ(std::count_if(catalog.entries.begin(), catalog.entries.end(),
                            [](const CatalogEntry& e) { return e.Usable(); }),
              12);
}

TEST_F(Folders, TheBuiltinFolderIsNeverListedTwice) {
    // A data folder whose sockstep/lessons is the built-in folder itself (an installed copy
    // under /usr/share, with XDG_DATA_DIRS naming /usr/share), by a symlink and by its path.
    const fs::path share = Dir("share");
    fs::create_directories(share / "sockstep");
    fs::create_directory_symlink(kAssets / "lessons", share / "sockstep/lessons");
    const std::string dirs = share.string() + ":" + share.string() + "/";
    const auto folders = LessonFolders({{kAssets / "lessons/"}, "", dirs, "", kAssets});
    ASSERT_EQ(folders.size(), 1u) << folders[0].dir;
    EXPECT_EQ(folders[0].origin, LessonOrigin::kBuiltin);
    const LessonCatalog catalog = ReadLessonCatalog(folders);
    EXPECT_EQ(catalog.entries.size(), 12u);
}

TEST_F(Folders, OnAnIdClashTheEarlierFolderWinsAndTheOtherIsShadowed) {
    const fs::path option = Dir("opt");
    const fs::path data = Dir("data");
    WriteLesson(option / "mine.toml", "handshake", "The teacher's handshake");
    WriteLesson(data / "a-first.toml", "extra", "Extra from the data folder");
    WriteLesson(data / "b-second.toml", "extra", "The same id again");
    WriteLesson(data / "c-shadowed.toml", "handshake", "Also a handshake");
    const std::vector<LessonFolder> folders = {{option, LessonOrigin::kOption},
                                               {data, LessonOrigin::kUserData},
                                               {kAssets / "lessons", LessonOrigin::kBuiltin}};
    const LessonCatalog catalog = ReadLessonCatalog(folders);
    // The built-in lessons first, in teaching order; then each folder's in precedence order.
    ASSERT_EQ(catalog.entries.size(), 16u);
    EXPECT_EQ(catalog.entries[0].file, kAssets / "lessons/01-handshake.toml");
    EXPECT_EQ(catalog.entries[12].file, option / "mine.toml");
    EXPECT_EQ(catalog.entries[13].file, data / "a-first.toml");

    const CatalogEntry* builtin = EntryOf(catalog, kAssets / "lessons/01-handshake.toml");
    ASSERT_NE(builtin, nullptr);
    EXPECT_FALSE(builtin->Usable());
    EXPECT_EQ(builtin->shadowed_by, option / "mine.toml");
    EXPECT_TRUE(EntryOf(catalog, option / "mine.toml")->Usable());
    EXPECT_EQ(EntryOf(catalog, data / "c-shadowed.toml")->shadowed_by, option / "mine.toml");
    EXPECT_TRUE(EntryOf(catalog, data / "a-first.toml")->Usable());
    EXPECT_EQ(EntryOf(catalog, data / "b-second.toml")->shadowed_by, data / "a-first.toml");

    // FindLesson opens what the list says wins.
    const LessonResult handshake = FindLesson("handshake", folders);
    ASSERT_TRUE(std::holds_alternative<Lesson>(handshake));
    EXPECT_EQ(std::get<Lesson>(handshake).title.en, "The teacher's handshake");
    EXPECT_EQ(std::get<Lesson>(handshake).path, option / "mine.toml");
    const LessonResult extra = FindLesson("extra", folders);
    ASSERT_TRUE(std::holds_alternative<Lesson>(extra));
    EXPECT_EQ(std::get<Lesson>(extra).path, data / "a-first.toml");
    // Without the option folder the built-in one is back.
    const LessonResult builtin_again = FindLesson("handshake", {folders[1], folders[2]});
    ASSERT_TRUE(std::holds_alternative<Lesson>(builtin_again));
    EXPECT_EQ(std::get<Lesson>(builtin_again).path, data / "c-shadowed.toml");
    const LessonResult only_builtin = FindLesson("handshake", {folders[2]});
    EXPECT_EQ(std::get<Lesson>(only_builtin).path, kAssets / "lessons/01-handshake.toml");
}

TEST_F(Folders, ABrokenFileIsListedWithItsCheckErrorAndHidesNothing) {
    const fs::path dir = Dir("course");
    WriteLesson(dir / "good.toml", "good", "A good one");
    std::ofstream(dir / "broken.toml") << "id = \"broken\"\ntitle.en = = 3\n";
    ASSERT_EQ(mkfifo((dir / "fifo.toml").c_str(), 0600), 0);
    fs::create_directory(dir / "folder.toml");
    std::ofstream(dir / ".#editor-lock.toml") << "not a lesson";
    std::ofstream(dir / "notes.txt") << "not a lesson either";
    const std::vector<LessonFolder> folders = {{dir, LessonOrigin::kSystemData},
                                               {kAssets / "lessons", LessonOrigin::kBuiltin}};
    const LessonCatalog catalog = ReadLessonCatalog(folders);
    ASSERT_EQ(catalog.entries.size(), 16u) << "12 built-in, 4 .toml entries (no dot file)";
    const CatalogEntry* broken = EntryOf(catalog, dir / "broken.toml");
    ASSERT_NE(broken, nullptr);
    EXPECT_FALSE(broken->lesson);
    ASSERT_FALSE(broken->errors.empty());
    EXPECT_NE(broken->errors[0].Format().find("broken.toml:2:"), std::string::npos)
        << broken->errors[0].Format();
    const CatalogEntry* fifo = EntryOf(catalog, dir / "fifo.toml");
    ASSERT_NE(fifo, nullptr) << "a FIFO named like a lesson is listed, never opened blocking";
    ASSERT_FALSE(fifo->errors.empty());
    EXPECT_NE(fifo->errors[0].message.find("cannot read the file"), std::string::npos);
    ASSERT_NE(EntryOf(catalog, dir / "folder.toml"), nullptr);
    EXPECT_FALSE(EntryOf(catalog, dir / "folder.toml")->errors.empty());
    EXPECT_TRUE(EntryOf(catalog, dir / "good.toml")->Usable());

    // The id of a broken file named after it: FindLesson says what is wrong with that file.
    const LessonResult by_name = FindLesson("broken", folders);
    ASSERT_TRUE(std::holds_alternative<std::vector<LessonError>>(by_name));
    EXPECT_EQ(std::get<std::vector<LessonError>>(by_name)[0].file, (dir / "broken.toml").string());
    // An unknown id lists the ids there are, by folder.
    const LessonResult unknown = FindLesson("no-such-id", folders);
    const auto& errors = std::get<std::vector<LessonError>>(unknown);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("there is no lesson with this id ("), std::string::npos)
        << errors[0].message;
    EXPECT_NE(errors[0].message.find("built-in: handshake, refused"), std::string::npos)
        << errors[0].message;
    EXPECT_NE(errors[0].message.find(dir.string() + ": good"), std::string::npos)
        << errors[0].message;
}

TEST_F(Folders, AnOptionThatIsNotAFolderIsRefusedWithWhatItIs) {
    const fs::path file = Root() / "lesson.toml";
    std::ofstream(file) << "x";
    const fs::path fifo = Root() / "pipe";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(LessonFolderProblem(Root()), std::nullopt);
    EXPECT_NE(LessonFolderProblem(file).value_or("").find("not a folder but a file"),
              std::string::npos);
    EXPECT_NE(LessonFolderProblem(fifo).value_or("").find("not a folder but a FIFO"),
              std::string::npos);
    EXPECT_NE(LessonFolderProblem(Root() / "missing").value_or("").find("no such folder"),
              std::string::npos);
}

}  // namespace
}  // namespace sockstep::core
