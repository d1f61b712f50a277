// The in-app file browser: its model lists real folders (folders first, "..", sorted, the kinds
// asked for), and the dialog, drawn headless in the main window, goes into folders from the
// keyboard, refuses a FIFO or a symlink loop with the kernel's reason without blocking, shows a
// name with invalid UTF-8 escaped and draws only the visible rows of 5,000 files.
#include "sockstep/model/file_browser.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "headless.h"
#include "sockstep/core/user_file.h"
#include "sockstep/model/controller.h"
#include "sockstep/ui/main_window.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kEnter = 257;
constexpr int kEscape = 256;
constexpr int kO = 79;

class FileBrowser : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("sockstep-browser-" + std::to_string(getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override {
        std::error_code ec;
        fs::permissions(m_dir / "locked", fs::perms::owner_all, ec);
        fs::remove_all(m_dir, ec);
    }
    void Touch(const fs::path& file, const std::string& text = "") {
        std::ofstream(m_dir / file) << text;
    }
    std::vector<std::string> Names(const ui::FolderListing& listing) {
        std::vector<std::string> out;
        for (const ui::BrowserEntry& e : listing.entries) out.push_back(e.name);
        return out;
    }

    fs::path m_dir;
};

TEST_F(FileBrowser, FoldersFirstThenTheFilesOfTheKindEachSortedWithDotDotOnTop) {
    fs::create_directory(m_dir / "beta");
    fs::create_directory(m_dir / "alpha");
    Touch("z.jsonl");
    Touch("c.jsonl");
    Touch("notes.txt");
    ASSERT_EQ(mkfifo((m_dir / "pipe.jsonl").c_str(), 0600), 0);
    fs::create_symlink("loop.jsonl", m_dir / "loop.jsonl");  // points at itself: ELOOP
    Touch("\xff\xfe.jsonl");
    const ui::FolderListing listing = ui::ListFolder(m_dir, {".jsonl"});
    EXPECT_EQ(listing.error, "");
    EXPECT_EQ(Names(listing),
              (std::vector<std::string>{"..", "alpha", "beta", "c.jsonl", "loop.jsonl",
                                        "pipe.jsonl", "z.jsonl", "\xff\xfe.jsonl"}));
    EXPECT_TRUE(listing.entries[1].folder);
    EXPECT_FALSE(listing.entries[4].folder);
    EXPECT_EQ(listing.entries.back().shown, "\\xff\\xfe.jsonl");
    // Folders only (a C export is a folder), and another kind.
    EXPECT_EQ(Names(ui::ListFolder(m_dir, {})), (std::vector<std::string>{"..", "alpha", "beta"}));
    EXPECT_EQ(Names(ui::ListFolder(m_dir, {".txt"})),
              (std::vector<std::string>{"..", "alpha", "beta", "notes.txt"}));
}

TEST_F(FileBrowser, AFolderThatCannotBeReadSaysWhyAsTheKernelDoes) {
    fs::create_directory(m_dir / "locked");
    Touch("locked/inside.jsonl");
    fs::permissions(m_dir / "locked", fs::perms::none);
    // The kernel is the judge: root reads a mode-000 folder, an ordinary user gets EACCES.
    DIR* dir = opendir((m_dir / "locked").c_str());
    const int error = dir ? 0 : errno;
    if (dir) closedir(dir);
    const ui::FolderListing locked = ui::ListFolder(m_dir / "locked", {".jsonl"});
    EXPECT_EQ(locked.error, error ? core::DescribeFileErrno(error) : "");
    EXPECT_EQ(locked.entries.size(), error ? 1u : 2u);
    // A path through a file and a missing folder are refused for everyone.
    Touch("file");
    EXPECT_EQ(ui::ListFolder(m_dir / "file" / "x", {".jsonl"}).error,
              core::DescribeFileErrno(ENOTDIR));
    EXPECT_EQ(ui::ListFolder(m_dir / "missing", {".jsonl"}).error, "it does not exist");
    EXPECT_EQ(Names(ui::ListFolder(m_dir / "missing", {".jsonl"})),
              (std::vector<std::string>{".."}));
}

// The main window headless with the Open dialog up, intents applied after each frame.
class Window {
  public:
    Window() : m_controller(std::nullopt) {
        ImGuiIO& io = m_imgui.io();
        io.KeyMap[ImGuiKey_Enter] = kEnter;
        io.KeyMap[ImGuiKey_Escape] = kEscape;
    }
    void Open(const fs::path& folder, ui::FileAction action = ui::FileAction::kOpenLog) {
        ui::FileDialogState& d = m_view.file_dialog;
        d.action = action;
        d.open = true;
        d.reread = true;
        d.folder = folder.string();
        d.path.clear();
        for (int i = 0; i < 4; ++i) Frame();  // the modal appears and the field takes the keys
    }
    void Type(const std::string& text) {
        m_imgui.io().AddInputCharactersUTF8(text.c_str());
        Frame();
    }
    void Press(int key) {
        m_imgui.io().KeysDown[key] = true;
        Frame();
        m_imgui.io().KeysDown[key] = false;
        Frame();
    }
    void Frame() {
        m_imgui.Frame([this] {
            ui::FrameModel model;
            m_controller.Fill(model, m_view, core::Lang::kEn);
            m_view.keys.escape = kEscape;
            m_view.keys.o = kO;
            const ui::Intents intents = ui::DrawMainWindow(model, m_view);
            m_controller.Apply(intents, m_view);
        });
    }
    ImGuiIO& io() { return m_imgui.io(); }
    ui::FileDialogState& dialog() { return m_view.file_dialog; }
    ui::Controller& controller() { return m_controller; }

  private:
    HeadlessImGui m_imgui{1280, 720};
    ui::Controller m_controller;
    ui::ViewState m_view;
};

TEST_F(FileBrowser, TheKeyboardGoesIntoAFolderAndOpensALog) {
    const fs::path log = m_dir / "logs" / "saved.jsonl";
    fs::create_directory(m_dir / "logs");
    {
        ui::Controller saver(std::nullopt);
        saver.UseLesson(HandshakeLesson());
        ui::ViewState view;
        saver.RunSteps(2, view);
        ASSERT_EQ(saver.SaveLog(log), "");
    }
    Window w;
    w.Open(m_dir);
    ASSERT_EQ(w.dialog().action, ui::FileAction::kOpenLog);
    w.Type("logs");
    w.Press(kEnter);  // a folder: go into it
    EXPECT_EQ(w.dialog().folder, (m_dir / "logs").string());
    ASSERT_EQ(w.dialog().listing.entries.size(), 2u);
    EXPECT_EQ(w.dialog().listing.entries[1].name, "saved.jsonl");
    w.Frame();
    w.Type("saved.jsonl");
    w.Press(kEnter);
    EXPECT_TRUE(w.controller().FileMode()) << w.dialog().error;
    w.Frame();
    EXPECT_EQ(w.dialog().action, ui::FileAction::kNone);
    // The folder is kept for the next dialog (and in settings.json, by the app).
    EXPECT_EQ(w.dialog().folder, (m_dir / "logs").string());
}

// File → Export lesson → As Python programs: the folder typed is written (a folder that exists
// is not gone into), one .py per actor and the README, and the dialog closes.
TEST_F(FileBrowser, ThePythonExportWritesAFolderOfProgramsWhereTheNameTyped) {
    Window w;
    w.controller().UseLesson(HandshakeLesson());
    w.Open(m_dir, ui::FileAction::kExportPython);
    w.Type("handshake-py");
    w.Press(kEnter);
    EXPECT_EQ(w.dialog().error, "");
    w.Frame();
    EXPECT_EQ(w.dialog().action, ui::FileAction::kNone);
    for (const char* file : {"client.py", "server.py", "README.txt"}) {
        EXPECT_GT(fs::file_size(m_dir / "handshake-py" / file), 100u) << file;
    }
    std::ifstream in(m_dir / "handshake-py" / "client.py");
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first.rfind("# client.py: the program \"client\" of the sockstep lesson", 0), 0u)
        << first;
    // Again into the folder that now exists: refused without the checkbox, not gone into.
    w.Open(m_dir, ui::FileAction::kExportPython);
    w.Type("handshake-py");
    w.Press(kEnter);
    EXPECT_EQ(w.dialog().action, ui::FileAction::kExportPython);
    EXPECT_EQ(w.dialog().folder, m_dir.string());
    EXPECT_NE(w.dialog().error.find("Replace files that exist"), std::string::npos)
        << w.dialog().error;
}

TEST_F(FileBrowser, CtrlOOpensTheDialogInTheLastFolder) {
    Window w;
    w.dialog().folder = m_dir.string();  // as the app restores it from settings.json
    w.Frame();
    w.io().KeyCtrl = true;
    w.Press(kO);
    w.io().KeyCtrl = false;
    w.Frame();
    EXPECT_EQ(w.dialog().action, ui::FileAction::kOpenLog);
    EXPECT_EQ(w.dialog().listing.folder, m_dir);
    w.Press(kEscape);
    EXPECT_EQ(w.dialog().action, ui::FileAction::kNone);
}

TEST_F(FileBrowser, AFifoAndASymlinkLoopAreRefusedWithTheRealReasonWithoutBlocking) {
    ASSERT_EQ(mkfifo((m_dir / "pipe.jsonl").c_str(), 0600), 0);  // no writer, ever
    fs::create_symlink("loop.jsonl", m_dir / "loop.jsonl");
    Window w;
    w.Open(m_dir);
    w.Type("pipe.jsonl");
    w.Press(kEnter);
    EXPECT_FALSE(w.controller().FileMode());
    EXPECT_EQ(w.dialog().action, ui::FileAction::kOpenLog);  // still open, saying why
    EXPECT_NE(w.dialog().error.find("it is a FIFO (named pipe), not a regular file"),
              std::string::npos)
        << w.dialog().error;
    w.Press(kEscape);
    EXPECT_EQ(w.dialog().action, ui::FileAction::kNone);
    w.Open(m_dir);
    w.Type("loop.jsonl");
    w.Press(kEnter);
    EXPECT_FALSE(w.controller().FileMode());
    EXPECT_NE(w.dialog().error.find("(ELOOP)"), std::string::npos) << w.dialog().error;
}

TEST_F(FileBrowser, FiveThousandFilesDrawOnlyTheRowsInView) {
    for (int i = 0; i < 5000; ++i) Touch("log-" + std::to_string(10000 + i) + ".jsonl");
    Window w;
    w.Open(m_dir);
    ASSERT_EQ(w.dialog().listing.entries.size(), 5001u);
    EXPECT_EQ(w.dialog().listing.entries[1].name, "log-10000.jsonl");
    EXPECT_GT(w.dialog().rows_drawn, 3u);
    EXPECT_LT(w.dialog().rows_drawn, 60u);
}

}  // namespace
}  // namespace sockstep::testing
